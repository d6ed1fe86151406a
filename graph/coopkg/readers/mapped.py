"""Any spreadsheet (CSV, TSV, XLSX) plus a small YAML mapping that says what each column holds.

The mapping is given with ``coopkg build SHEET --mapping MAPPING`` (a file, or the name of
a mapping shipped in data/mappings/, e.g. ``registry``), or sits beside the sheet as
``<sheet>.mapping.yaml`` (``timis.csv.mapping.yaml`` or ``timis.mapping.yaml``). See
docs/readers.md for the format. Each row becomes an agreement (or a partnership) through
the same row interpretation as the registry reader, so the same facts give the same keys.
"""

from __future__ import annotations

import csv
import io
import re
import string
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from coopkg import limits, resources
from coopkg.normalise.countries import country_code, is_country
from coopkg.normalise.text import NotText, clean, read_text
from coopkg.readers import htmllist, htmltable, pairs, registry, sparql_json  # pairs and registry infer a mapping from a header
from coopkg.readers._rows import GENERIC, ID_ROLES, POINT_ROLES, ROLES, RowContext, finish, interpret
from coopkg.readers.gazetteer import gazetteer
from coopkg.readers.htmltext import html_tables
from coopkg.records import Problem, ReadResult
from coopkg.terms import TermError, check_language
from coopkg.vocabularies import codes, fold

NAME = "mapped"
SUFFIXES = {".csv", ".tsv", ".tab", ".txt", ".xlsx", ".xlsm", ".json", ".srj", ".html", ".htm", ".xhtml"}
MAPPING_VERSION = 1
_SCHEMES = {"kind": "agreement-kind", "status": "status", "end_reason": "end-reason", "themes": "theme"}
_COUNTRY_VALUES = ("country", "institution_country", "partner_country")  # values: country: {Ecosse: GB}
_KNOWN = {"coopkg-mapping", "record", "language", "delimiter", "encoding", "sheet", "header_row", "columns",
          "split", "date_formats", "values", "defaults", "description", "optional", "header", "level", "join"}
_LEVELS = ("city", "municipality", "commune", "county", "region", "department", "province", "district", "state")


class _PlainLoader(yaml.SafeLoader):
    """YAML where only true/false are booleans: ``home_country: NO`` is Norway, not false."""


_PlainLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_PlainLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                   list("tTfF"))


class MappingError(ValueError):
    pass


@dataclass
class Mapping:
    path: str
    record: str = "agreement"
    language: str = "en"
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    columns: dict[str, list[str]] = field(default_factory=dict)
    party_separator: str = "/"
    date_formats: list[str] = field(default_factory=list)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    optional: set[str] = field(default_factory=set)  # roles whose column may be absent without a warning
    header: bool = True  # False: the file has no header row; columns are letters ("C") or numbers (3)
    level: str | None = None  # what the party columns name ("city" in a twinning list)
    join: Join | None = None
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Join:
    """A second file of places (nodes) that the party columns of the links refer to by a key."""

    file: Path
    key: str  # the nodes file's column holding the key the links use
    columns: dict[str, str] = field(default_factory=dict)  # name, country, wikidata, geonames... -> nodes header


def beside(path: Path) -> Path | None:
    """``sheet.csv.mapping.yaml`` or ``sheet.mapping.yaml`` next to the sheet, if there is one."""
    for candidate in (path.with_name(path.name + ".mapping.yaml"), path.with_suffix(".mapping.yaml")):
        if candidate.is_file():
            return candidate
    return None


def shipped() -> dict[str, Path]:
    """The mappings shipped in data/mappings/, by name."""
    return {p.stem: p for p in resources.files("data", "mappings/*.yaml")
            if "coopkg-mapping:" in p.read_text(encoding="utf-8")}


def find_mapping(spec: str | Path) -> Path:
    path = Path(spec)
    if path.is_file():
        return path
    if str(spec) in shipped():
        return shipped()[str(spec)]
    raise MappingError(f"no mapping {str(spec)!r}: not a file, nor a shipped mapping ({', '.join(sorted(shipped()))})")


def load_mapping(spec: str | Path) -> Mapping:
    """Read and check a mapping; problems in it are collected on ``Mapping.problems``."""
    path = find_mapping(spec)
    name = str(path)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_PlainLoader)  # noqa: S506 - a safe loader
    except UnicodeDecodeError as err:
        raise MappingError(f"{name}: not UTF-8 text ({err.reason} at byte {err.start})") from None
    except OSError as err:
        raise MappingError(f"{name}: cannot read: {err.strerror}") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise MappingError(f"{name}:{mark.line + 1 if mark else '?'}: not valid YAML: {getattr(err, 'problem', err)}") from None
    return mapping_from(raw, name, path.parent)


def mapping_from(raw: object, name: str, base: Path) -> Mapping:
    """Check a mapping's content (``base``: the folder a join's file is in)."""
    if not isinstance(raw, dict) or raw.get("coopkg-mapping") != MAPPING_VERSION:
        raise MappingError(f"{name}: not a coopkg mapping ('coopkg-mapping: 1' is missing)")
    mapping = Mapping(path=name)

    def problem(field_name: str, message: str, severity: str = "error") -> None:
        mapping.problems.append(Problem(name, None, field_name, message, severity))  # type: ignore[arg-type]

    for extra in sorted(set(raw) - _KNOWN):
        problem(extra, f"unknown mapping key {extra!r}", "warning")
    mapping.record = str(raw.get("record") or "agreement")
    if mapping.record not in ("agreement", "partnership"):
        raise MappingError(f"{name}: record must be 'agreement' or 'partnership', not {mapping.record!r}")
    # Each value's type is checked here: a wrong one (header_row: abc, defaults: [RO]) is a
    # message naming the mapping key, never a crash further on.
    mapping.language = str(raw.get("language") or "en")
    try:
        check_language(mapping.language)
    except TermError as err:
        raise MappingError(f"{name}: language: {err}") from None
    delimiter = raw.get("delimiter")
    mapping.delimiter = {"tab": "\t", "\\t": "\t", "auto": None}.get(str(delimiter), delimiter) if delimiter else None
    if mapping.delimiter is not None and (not isinstance(mapping.delimiter, str) or len(mapping.delimiter) != 1
                                          or mapping.delimiter in "\"\r\n"):
        raise MappingError(f"{name}: delimiter must be one character (or tab, auto), not {delimiter!r}")
    sheet = raw.get("sheet")
    if sheet is not None and not isinstance(sheet, str | int):
        raise MappingError(f"{name}: sheet must be a sheet's name, not {sheet!r}")
    mapping.sheet = str(sheet) if sheet is not None else None
    header_row = raw.get("header_row")
    if header_row is not None and (isinstance(header_row, bool) or not str(header_row).strip().isdigit()
                                   or int(str(header_row)) < 1):
        raise MappingError(f"{name}: header_row must be a row number (1, 2...), not {header_row!r}")
    mapping.header_row = int(str(header_row)) if header_row is not None else None
    mapping.header = raw.get("header", True) is not False
    if raw.get("level") is not None:
        if str(raw["level"]) in _LEVELS:
            mapping.level = str(raw["level"])
        else:
            problem("level", f"level must be one of {', '.join(_LEVELS)}, not {raw['level']!r}")
    join = raw.get("join")
    if join is not None:
        if not isinstance(join, dict) or not join.get("file") or not join.get("key"):
            problem("join", "join needs file (the nodes file, beside the mapping), key (its id column) and columns")
        else:
            mapping.join = Join(base / str(join["file"]), str(join["key"]),
                                {str(k): str(v) for k, v in (join.get("columns") or {}).items()})
    columns = raw.get("columns") or {}
    if not isinstance(columns, dict) or not columns:
        raise MappingError(f"{name}: 'columns' must map roles ({', '.join(ROLES)}) to column headers")
    for role, headers in columns.items():
        if role not in ROLES:
            problem(f"columns.{role}", f"unknown role {role!r} (known: {', '.join(ROLES)})")
            continue
        mapping.columns[role] = [str(h) for h in (headers if isinstance(headers, list) else [headers])]
    # a town's own list of its twins names the town nowhere in the table: defaults.institution
    # names it once for every row (checked with the other defaults below)
    fixed_institution = isinstance(raw.get("defaults"), dict) and bool(str(raw["defaults"].get("institution") or "").strip())
    if not (({"institution", "partner"} <= set(mapping.columns)
             or ("partner" in mapping.columns and fixed_institution)) or "parties" in mapping.columns):
        raise MappingError(f"{name}: columns need 'institution' and 'partner', or 'parties' (\"A / B\"); a list of "
                           "one town's partners names the town as defaults: {institution: NAME}")
    split = raw.get("split") or {}
    if not isinstance(split, dict):
        raise MappingError(f"{name}: split must be a mapping such as {{parties: \"/\"}}, not {split!r}")
    separator = split.get("parties", "/")
    if not isinstance(separator, str) or not separator.strip():
        raise MappingError(f"{name}: split.parties must be a separator such as \"/\", not {separator!r}")
    mapping.party_separator = separator
    for key in ("date_formats", "optional"):
        if not isinstance(raw.get(key) or [], list):
            raise MappingError(f"{name}: {key} must be a list, not {raw.get(key)!r}")
    for key in ("values", "defaults"):
        if not isinstance(raw.get(key) or {}, dict):
            raise MappingError(f"{name}: {key} must be a mapping (name: value), not {raw.get(key)!r}")
    mapping.date_formats = [str(f) for f in (raw.get("date_formats") or [])]
    for role, table in (raw.get("values") or {}).items():
        if role in _COUNTRY_VALUES and isinstance(table, dict):
            for word, code in table.items():
                if not is_country(str(code)):
                    problem(f"values.{role}", f"{code!r} (for {word!r}) is not an ISO 3166-1 alpha-2 code")
                    continue
                for target in _COUNTRY_VALUES:  # one country table serves every country column
                    mapping.values.setdefault(target, {})[fold(str(word))] = str(code).upper()
            continue
        scheme = _SCHEMES.get(role)
        if scheme is None or not isinstance(table, dict):
            problem(f"values.{role}", f"values can be given for {', '.join([*_SCHEMES, 'country'])} (as word: code)")
            continue
        for word, code in table.items():
            if str(code) not in codes(scheme):
                problem(f"values.{role}", f"{code!r} (for {word!r}) is not a {scheme} code")
                continue
            mapping.values.setdefault(role, {})[fold(str(word))] = str(code)
    mapping.optional = {str(r) for r in (raw.get("optional") or [])}
    defaults = raw.get("defaults") or {}
    mapping.defaults = {str(k): str(v) for k, v in defaults.items()}
    for key in ("country", "home_country"):
        if key in mapping.defaults and country_code(mapping.defaults[key]) is None:
            problem(f"defaults.{key}", f"{mapping.defaults[key]!r} is not a country")
    return mapping


def sniff(path: Path, head: str) -> bool:
    return beside(path) is not None or path.suffix.lower() in {".xlsx", ".xlsm"}


def _inferred(path: Path, problems: list[Problem]) -> tuple[dict[str, object] | None,
                                                            list[tuple[int, list[str]]] | None]:
    """A sheet without a mapping whose first row is a pair table's or a registry's header: the
    mapping the pairs or registry reader would read its CSV with (``--write-mapping`` writes it),
    and the rows read to find it."""
    if path.suffix.lower() not in {".xlsx", ".xlsm"}:
        return None, None
    read_problems: list[Problem] = []
    try:
        rows = _xlsx_rows(path, None, read_problems)
    except NotText:
        return None, None  # read() reads it again and says why
    first = next((cells for _, cells in rows if any(c.strip() for c in cells)), None)
    if first is None:
        return None, None
    cells = list(first)
    while cells and not cells[-1].strip():  # a sheet's trailing empty columns
        cells.pop()
    found = pairs.infer_mapping(cells) or registry.infer_mapping(cells)
    if found is None:
        return None, None
    problems.append(Problem(str(path), None, "mapping", f"no mapping: read with the {found['record']} "
                            "mapping inferred from the header (--write-mapping FILE writes it, to edit)", "warning"))
    problems.extend(read_problems)
    return found, rows


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(path: Path, sheet: str | None, problems: list[Problem]) -> list[tuple[int, list[str]]]:
    """The sheet's rows, read-only and bounded: a declared dimension over the limits is refused
    before anything is read, and rows and columns past the limits are never materialised
    (a 1.7 KB file with one cell at XFD1048576 took a build to 11.5 GB)."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    bounds = limits.current()
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        raise NotText(f"not an XLSX workbook ({err.__class__.__name__})") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise NotText(f"no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)})")
        ws = book[sheet] if sheet else book.active
        declared_rows, declared_cols = ws.max_row, ws.max_column  # from the sheet's <dimension>, if any
        if declared_rows and declared_cols:
            for name, value, limit, what in (
                    ("sheet_rows", declared_rows, bounds.sheet_rows, "the sheet's declared rows"),
                    ("sheet_columns", declared_cols, bounds.sheet_columns, "the sheet's declared columns"),
                    ("sheet_cells", declared_rows * declared_cols, bounds.sheet_cells, "the sheet's declared cells")):
                if value > limit:
                    raise NotText(str(limits.over(name, value, limit, what)))
        rows: list[tuple[int, list[str]]] = []
        number = 0
        try:
            for number, row in enumerate(ws.iter_rows(max_row=min(declared_rows or bounds.sheet_rows, bounds.sheet_rows),
                                                      max_col=min(declared_cols or bounds.sheet_columns,
                                                                  bounds.sheet_columns), values_only=True), start=1):
                if any(v is not None for v in row):  # gaps come as empty rows: not kept
                    rows.append((number, [_cell(v) for v in row]))
        # openpyxl raises what its XML and number parsing raise on a malformed cell: the rows
        # before it are kept, the problem names the row after the last one read.
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, SyntaxError, zipfile.BadZipFile) as err:
            problems.append(Problem(str(path), number + 1, None, f"malformed cell in row {number + 1}: "
                                    f"{err.__class__.__name__}: {str(err)[:200]}; the rows after it are not read"))
        return rows
    finally:
        book.close()


def _text_rows(text: str, delimiter: str | None, suffix: str, problems: list[Problem],
               name: str) -> list[tuple[int, list[str]]]:
    if delimiter is None:
        delimiter = "\t" if suffix in {".tsv", ".tab"} else guess_delimiter(text)
    bounds = limits.current()
    csv.field_size_limit(bounds.cell_chars)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = []
    start = 1
    try:
        for cells in reader:
            rows.append((start, cells))
            start = reader.line_num + 1
            if len(rows) > bounds.sheet_rows:
                problems.append(Problem(name, start, None, str(limits.over("sheet_rows", len(rows), bounds.sheet_rows,
                                                                          "the rows")) + "; the rows after it are not read"))
                break
    except csv.Error as err:  # a cell over the limit, a NUL byte...: the rows before it are kept
        detail = str(err)
        if "field larger than field limit" in detail:
            detail = str(limits.over("cell_chars", bounds.cell_chars + 1, bounds.cell_chars, "a cell"))
        problems.append(Problem(name, start, None, f"{detail}; the rows after it are not read"))
    return rows


def _page_rows(text: str, mapping: Mapping, problems: list[Problem],
               name: str) -> tuple[list[tuple[int, list[str]]], bool]:
    """A saved page's rows: the tables whose first row has the mapping's party columns, as one
    table when their headers are alike; tables of different headers are refused, naming them.
    A list under a twinning heading is a table whose first row is htmllist.HEADER (City |
    Country | Since | Until | Kind); its items not read are warnings at their lines. With the rows,
    whether they are a national list article's (each pair stated one way: not warned about)."""
    wanted = [mapping.columns[r] for r in ("institution", "partner", "parties") if r in mapping.columns]
    tables = [t for t in html_tables(text) if t.rows]
    article, lists = htmllist.page_lists(text)
    if article is not None:  # a list article's partners, as a pair table (City1 | Country1 | City2 | ...)
        lists = [article.table]
        problems.extend(Problem(name, line, "institution", f"{article.table.name()}: {why}", "warning")
                        for line, why in article.headings)
    found = [t for t in [*tables, *lists] if all(_column(t.rows[0][1], w) is not None for w in wanted)]
    if not found:
        listed = "; ".join(f"{t.name()}: {' | '.join(c for c in t.rows[0][1] if c)[:80]}" for t in [*tables, *lists][:5])
        raise NotText(f"no table of the page has the mapping's columns {', '.join(map(repr, sum(wanted, [])))} in "
                      f"its first row (tables: {listed or 'none'})")
    headers = {tuple(fold(clean(h)) for h in t.rows[0][1]) for t in found}
    if len(headers) > 1:
        listed = "; ".join(f"{t.name()}: {' | '.join(c for c in t.rows[0][1] if c)}" for t in found)
        raise NotText(f"the page has tables of different shapes with the mapping's columns: {listed}")
    for table in found:
        problems.extend(Problem(name, line, "partner", f"{table.name()}: {why}", "warning") for line, why in table.notes)
    if all(t.what == "table" for t in found):
        # the twin towns of the page may be in its lists too: said, as a one-party table beside a read one is
        problems.extend(Problem(name, t.line, None, f"{t.name()} is not read: the mapping's columns are not a "
                                f"{t.what}'s ({' | '.join(t.rows[0][1])})", "warning") for t in lists if len(t.rows) > 1)
    rows = list(found[0].rows)
    for table in found[1:]:
        rows.extend(table.rows[1:])
    return [(n, cells) for n, cells in rows if n == rows[0][0] or cells != rows[0][1]], article is not None


def guess_delimiter(text: str) -> str:
    """Tab, semicolon or comma: the one that cuts the first lines into the same number of cells."""
    head = [line for line in text.splitlines() if line.strip()][:6]
    for delimiter in ("\t", ";", ","):
        try:
            counts = {len(row) for row in csv.reader(head, delimiter=delimiter)}
        except csv.Error:
            continue
        if len(counts) == 1 and counts.pop() > 1:
            return delimiter
    first = head[0] if head else ""
    return max(("\t", ";", ","), key=first.count)


def _column(headers: list[str], wanted: list[str]) -> int | None:
    folded = [fold(clean(h)) for h in headers]
    for name in wanted:
        if re.fullmatch(r"[A-Z]{1,2}", name):  # a column letter: "C"
            index = 0
            for ch in name:
                index = index * 26 + string.ascii_uppercase.index(ch) + 1
            return index - 1
        if name.isdigit():
            return int(name) - 1
        target = fold(name)
        for i, header in enumerate(folded):
            if header == target:
                return i
        for i, header in enumerate(folded):
            if target and header.startswith(target):
                return i
    return None


def read(path: Path | str, **options: Any) -> ReadResult:
    path = Path(path)
    name = str(path)
    result = ReadResult(reader=NAME, source=name)
    spec = options.get("mapping") or beside(path)
    sheet_rows: list[tuple[int, list[str]]] | None = None  # read once when the header is inferred from them
    inferred, sheet_rows = _inferred(path, result.problems) if spec is None else (None, None)
    if spec is None and inferred is None:
        result.problems.append(Problem(name, None, None, "no mapping: give --mapping FILE (or a shipped mapping "
                                       f"name: {', '.join(sorted(shipped()))}) or put {path.name}.mapping.yaml "
                                       "beside the sheet (its first row is not a registry's or pair table's header)"))
        return result
    try:
        mapping = mapping_from(inferred, f"{path.name} (inferred)", path.parent) if inferred is not None \
            else load_mapping(spec)  # type: ignore[arg-type]
    except MappingError as err:
        result.problems.append(Problem(name, None, "mapping", str(err)))
        return result
    result.mapping = inferred
    result.problems.extend(mapping.problems)
    one_way_expected = False  # a national list article's rows state each pair from one side
    try:
        if sheet_rows is not None:
            rows = sheet_rows
        elif path.suffix.lower() in {".xlsx", ".xlsm"}:
            rows = _xlsx_rows(path, mapping.sheet, result.problems)
        elif path.suffix.lower() in sparql_json.SUFFIXES:
            names, bindings = sparql_json.table(read_text(path))
            rows = [(1, names), *bindings]
        elif path.suffix.lower() in htmltable.SUFFIXES:
            rows, one_way_expected = _page_rows(read_text(path), mapping, result.problems, name)
        else:
            rows = _text_rows(read_text(path), mapping.delimiter, path.suffix.lower(), result.problems, name)
    except NotText as err:
        result.problems.append(Problem(name, None, None, f"cannot read: {err}"))
        return result
    except sparql_json.NotResults as err:
        result.problems.append(Problem(name, None, None, f"cannot read SPARQL JSON results: {err}"))
        return result
    rows = [(n, cells) for n, cells in rows if any(c.strip() for c in cells)]
    if not rows:
        result.problems.append(Problem(name, None, None, "empty file: no rows to read"))
        return result
    header_at = 0
    if mapping.header_row:
        header_at = next((i for i, (n, _) in enumerate(rows) if n >= mapping.header_row), 0)
    header_line, headers = rows[header_at]
    if not mapping.header:  # every row is data; columns are named by letter or number
        header_at, header_line, headers = -1, 0, [""] * max(len(cells) for _, cells in rows)
    where: dict[str, int] = {}
    for role, wanted in mapping.columns.items():
        index = _column(headers, wanted)
        if index is None:
            required = role in ("institution", "partner", "parties")
            if role in mapping.optional and not required:
                continue
            result.problems.append(Problem(
                name, header_line, role,
                f"missing column {' or '.join(repr(w) for w in wanted)} for {role!r} in the header "
                f"(found: {', '.join(repr(clean(h)) for h in headers if h.strip())})",
                "error" if required else "warning"))
            if required:
                return result
            continue
        where[role] = index
    data = rows[header_at + 1:]
    # A list's Until (htmllist.HEADER) is coopkg's own column, newer than many a mapping: an item
    # with an end read without it would be a partnership still active, so it is refused instead,
    # at its line (and the column is not also named as not used)
    until = headers.index("Until") if path.suffix.lower() in htmltable.SUFFIXES and "end" not in where \
        and headers in (htmllist.HEADER, htmllist.ARTICLE_HEADER) else None
    # a column empty in every row loses nothing by not being read: not worth a warning (a list's
    # Until, when none of its items states an end)
    unused = [clean(h) or f"column {i + 1}" for i, h in enumerate(headers) if i not in where.values() and i != until
              and any(i < len(cells) and cells[i].strip() for _, cells in data)]
    if unused and mapping.header:
        result.problems.append(Problem(name, header_line, None, "columns not used: " + ", ".join(map(repr, unused)),
                                       "warning"))
    defaults = {k: v for k, v in mapping.defaults.items() if k in ROLES and k != "country"}
    if mapping.record == "agreement" and "kind" not in where and not defaults.get("kind"):
        # an agreement needs a kind (shapes): a sheet that gives none, and no defaults.kind,
        # gives the generic one, as the registry reader does, rather than a graph refused whole
        defaults["kind"] = GENERIC["kind"]
        result.problems.append(Problem(name, header_line or None, "kind", "no kind column and no defaults.kind: the "
                                       f"agreements are read as {GENERIC['kind']!r}", "warning"))
    nodes: dict[str, dict[str, str]] = {}
    if mapping.join is not None:
        nodes, join_problems = _nodes(mapping.join)
        result.problems.extend(join_problems)
        if not nodes:
            return result
    ctx = RowContext(
        file=name, document=str(options.get("document") or path.name),
        gazetteer=options.get("gazetteer") or gazetteer(), language=mapping.language,
        home_country=country_code(mapping.defaults.get("home_country", "")) if mapping.defaults.get("home_country")
        else None,
        partner_country=country_code(mapping.defaults.get("country", "")) if mapping.defaults.get("country") else None,
        record=mapping.record, values=mapping.values,
        defaults=defaults,
        date_formats=mapping.date_formats, party_separator=mapping.party_separator,
        prefer=mapping.level, one_way_expected=one_way_expected,
    )
    for number, cells in data:
        if until is not None and until < len(cells) and cells[until].strip():
            result.problems.append(Problem(name, number, "end", f"the list item ends in {cells[until]} (its Until) "
                                           "and the mapping does not read an end: not read; add 'end: Until' to the "
                                           "mapping's columns", "warning"))
            result.skipped += 1
            continue
        row = {role: cells[i] if i < len(cells) else "" for role, i in where.items()}
        if nodes:
            row = _joined(row, nodes, name, number, result.problems)
        out = interpret(ctx, row, number)
        result.records.extend(out.records)
        result.problems.extend(out.problems)
        result.skipped += out.skipped
    result.problems.extend(finish(ctx))
    result.reconciliation = ctx.reconciliation
    return result


def _nodes(join: Join) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """The nodes file of a join: key -> {name, country, wikidata...: cell}."""
    where = str(join.file)
    problems: list[Problem] = []
    try:
        rows = _text_rows(read_text(join.file), None, join.file.suffix.lower(), problems, where)
    except (NotText, OSError) as err:
        return {}, [Problem(where, None, "join", f"cannot read the joined file: {err}")]
    rows = [(n, cells) for n, cells in rows if any(c.strip() for c in cells)]
    if not rows:
        return {}, [Problem(where, None, "join", "the joined file is empty")]
    _, headers = rows[0]
    key_at = _column(headers, [join.key])
    if key_at is None:
        return {}, [Problem(where, 1, "join.key", f"no column {join.key!r} in the joined file")]
    columns: dict[str, int] = {}
    for field_name, header in join.columns.items():
        if field_name not in ("name", "country", *ID_ROLES, *POINT_ROLES):
            problems.append(Problem(where, 1, f"join.columns.{field_name}", "join columns are name, country, "
                                    f"identifiers ({', '.join(ID_ROLES)}) and {' and '.join(POINT_ROLES)}"))
            continue
        index = _column(headers, [header])
        if index is None:
            problems.append(Problem(where, 1, f"join.columns.{field_name}", f"no column {header!r} in the joined file"))
            continue
        columns[field_name] = index
    nodes: dict[str, dict[str, str]] = {}
    for number, cells in rows[1:]:
        key = cells[key_at].strip() if key_at < len(cells) else ""
        if not key:
            continue
        if key in nodes:
            problems.append(Problem(where, number, "join.key", f"key {key!r} appears twice; the first row is used",
                                    "warning"))
            continue
        nodes[key] = {f: cells[i].strip() for f, i in columns.items() if i < len(cells)}
    return nodes, problems


def _joined(row: dict[str, str], nodes: dict[str, dict[str, str]], file: str, line: int,
            problems: list[Problem]) -> dict[str, str]:
    """A links row whose party cells are node keys, with each node's name, country and identifiers."""
    out = dict(row)
    for party in ("institution", "partner"):
        key = row.get(party, "").strip()
        if not key:
            continue
        node = nodes.get(key)
        if node is None:
            problems.append(Problem(file, line, party, f"{key!r} is not a key of the joined file"))
            out[party] = ""
            continue
        out[party] = node.get("name") or key
        for field_name, value in node.items():
            if field_name != "name" and value and not row.get(f"{party}_{field_name}"):
                out[f"{party}_{field_name}"] = value
    return out
