"""Registry tables of cooperation relations (seed 000: Consiliul Județean Timiș).

A table of agreements, one a row, with a header row naming the columns in Romanian,
French or English (cells may be wrapped in ``<b>…</b>``): institution, kind of relation,
foreign locality/region, date(s), status; optionally country, end date, term, title.
Tab-, semicolon- or comma-separated; UTF-8 (with or without BOM) or Windows-1252. The
table may sit inside a longer text (a saved web page): the reader finds the header line,
reads the rows below it up to the first blank line, and takes the partners' country
from the nearest heading above that names a country ("# Republica Franceză").
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coopkg.normalise.countries import country_code
from coopkg.normalise.headers import REGISTRY, assign
from coopkg.normalise.text import clean
from coopkg.readers._rows import GENERIC, RowContext, finish, interpret, source_text
from coopkg.readers.gazetteer import gazetteer
from coopkg.records import Problem, ReadResult
from coopkg.vocabularies import fold

NAME = "registry"
SUFFIXES = {".txt", ".tsv", ".csv", ".tab", ".text", ".md", ""}

REQUIRED = ("institution", "partner")
ROLE_NAMES = {"institution": "institution", "partner": "foreign locality/region", "kind": "kind of relation",
              "date": "date(s)", "status": "status"}
_LANG_WORDS = {
    "ro": {"institutia", "tipul", "localitatea", "data", "stadiul", "tara", "relatiei", "incheierii", "strainatate"},
    "fr": {"collectivite", "type", "partenaire", "etrangere", "date", "statut", "pays", "signature", "relation"},
    "en": {"institution", "kind", "partner", "foreign", "date", "status", "country", "signed", "relation", "type"},
}
_HOME = {"ro": "RO", "fr": "FR"}
DELIMITERS = ("\t", ";", ",")


@dataclass
class Header:
    line: int  # 1-based
    delimiter: str
    roles: dict[int, str]  # column index -> role
    cells: list[str]
    language: str


def _split(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter, quotechar='"', skipinitialspace=delimiter != "\t"))


def header_roles(cells: list[str]) -> dict[int, str]:
    """Column roles by scoring every header against every role (coopkg.normalise.headers)."""
    return assign(cells, REGISTRY).roles


def language_of(cells: list[str]) -> str:
    """The language a header row is written in (ro, fr, en): the home country it implies."""
    words = set(fold(clean(" ".join(cells))).split())
    scores = {lang: len(words & vocab) for lang, vocab in _LANG_WORDS.items()}
    return max(scores, key=lambda lang: (scores[lang], lang == "en"))


HEADER_SEARCH_LINES = 200  # a header sits near the top; data rows are not scored past this


def find_header(lines: list[str], minimum: int = 3) -> Header | None:
    """The line among the first ones that reads as a header with the most known columns (at least ``minimum``).

    The most, not the first: in a web page a paragraph split at its commas can read as
    two columns ("Consiliul Județean ..., ... regiunile franceze"), the table's header
    further down names five."""
    best: Header | None = None
    for number, line in enumerate(lines[:HEADER_SEARCH_LINES], start=1):
        if not line.strip():
            continue
        for delimiter in DELIMITERS:
            if delimiter not in line:
                continue
            try:
                cells = _split(line, delimiter)
            except csv.Error:
                continue
            if len(cells) < 2:
                continue
            roles = header_roles(cells)
            if len(roles) >= minimum and (best is None or len(roles) > len(best.roles)):
                best = Header(number, delimiter, roles, cells, language_of(cells))
    return best


def sniff(path: Path, head: str) -> bool:
    if path.suffix.lower() not in SUFFIXES:
        return False
    header = find_header(head.splitlines())
    return header is not None and set(REQUIRED) <= set(header.roles.values())


def _heading_country(lines: list[str], before: int) -> str | None:
    """The country named by the nearest heading-like line above the table."""
    for line in reversed(lines[: before - 1]):
        text = clean(line).strip("#*= ")
        if text and len(text) <= 60 and (code := country_code(text)):
            return code
    return None


_TABLE_FILES = {".csv", ".tsv", ".tab"}


def _quoted_end(lines: list[str], number: int) -> int:
    """The last line of the row starting at ``number``: later when a quoted cell stays open
    (an odd count of '"'), up to the line that closes it; ``number`` when none does (a stray quote)."""
    open_ = lines[number - 1].count('"') % 2
    for end in range(number + 1, len(lines) + 1) if open_ else ():
        open_ ^= lines[end - 1].count('"') % 2
        if not open_:
            return end
    return number


def _after_blank(lines: list[str], blank: int, delimiter: str, width: int, name: str, result: ReadResult) -> None:
    """A warning when the line after the blank line that ends a page's table has the header's cells."""
    following = next(((n, line) for n, line in enumerate(lines[blank:], start=blank + 1) if line.strip()), None)
    if following is None or following[1].lstrip().startswith("#"):
        return
    try:
        cells = _split(following[1], delimiter)
    except csv.Error:
        return
    if len(cells) == width:
        result.problems.append(Problem(name, following[0], None, f"the table ends at the blank line {blank}: this "
                                       f"line has the header's {width} cells but is not read (remove the blank line "
                                       "to read it)", "warning"))


def read(path: Path | str, **options: Any) -> ReadResult:
    path = Path(path)
    name = str(path)
    result = ReadResult(reader=NAME, source=str(path))
    text = source_text(path, result)
    if text is None:
        return result
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        result.problems.append(Problem(name, None, None, "empty file: no table to read"))
        return result
    header = find_header(lines, minimum=2)
    if header is None:
        result.problems.append(Problem(name, None, None, "no table header found: expected columns such as "
                                       "institution, kind of relation, foreign locality/region, date, status "
                                       "(Romanian, French or English), separated by tabs, ';' or ','"))
        return result
    read_table(result, header, _text_table(lines, header, path.suffix.lower() in _TABLE_FILES, name, result),
               document=str(options.get("document") or path.name), partner_country=_heading_country(lines, header.line),
               options=options)
    return result


def _text_table(lines: list[str], header: Header, whole: bool, name: str,
                result: ReadResult) -> Iterator[tuple[int, list[str]]]:
    """The rows below a text table's header: (first line, cells)."""
    width = len(header.cells)
    # A .csv/.tsv file is one table: a blank line in it (an export's) is skipped, not its end.
    # In a page (.txt), the table ends at a blank line; rows that seem to follow are said, not read.
    number = header.line
    while number < len(lines):
        number += 1
        line = lines[number - 1]
        if not line.strip():
            if whole:
                continue
            _after_blank(lines, number, header.delimiter, width, name, result)
            break
        start = number
        if whole and (end := _quoted_end(lines, number)) > number:
            # a quoted cell with line breaks (an export's notes): one row, named by its first line
            line, number = "\n".join(lines[number - 1:end]), end
        try:
            cells = _split(line, header.delimiter)
        except csv.Error as err:
            result.problems.append(Problem(name, start, None, f"row skipped: {err}"))
            result.skipped += 1
            continue
        yield start, cells


def read_table(result: ReadResult, header: Header, rows: Iterable[tuple[int, list[str]]], document: str,
               partner_country: str | None, options: dict[str, Any]) -> None:
    """A registry table's rows, (line, cells) under ``header``, into ``result``: a text file's
    or a web page's table (coopkg.readers.htmltable) read alike."""
    name = result.source
    found = set(header.roles.values())
    missing = [r for r in REQUIRED if r not in found]
    if missing:
        for role in missing:
            result.problems.append(Problem(name, header.line, role, f"missing column {ROLE_NAMES[role]!r} in the "
                                           f"header (found: {', '.join(sorted(found))})"))
        return
    unused = [clean(c) or f"column {i + 1}" for i, c in enumerate(header.cells) if i not in header.roles]
    if unused:
        result.problems.append(Problem(name, header.line, None, "columns not used: " + ", ".join(map(repr, unused)),
                                       "warning"))
    for role in ("kind", "date", "status"):
        if role not in found:
            # an agreement needs a kind (shapes): without the column it is the generic one, as for an unknown word
            without = f"read as {GENERIC['kind']!r}" if role == "kind" else "read without it"
            result.problems.append(Problem(name, header.line, role, f"no {ROLE_NAMES[role]!r} column: the "
                                           f"agreements are {without}", "warning"))
    language = options.get("language") or header.language
    ctx = RowContext(
        file=name,
        document=document,
        gazetteer=options.get("gazetteer") or gazetteer(),
        language=language,
        home_country=options.get("home_country") or _HOME.get(language),
        home_guessed=not options.get("home_country"),
        partner_country=options.get("country") or partner_country,
        defaults={} if "kind" in found else {"kind": GENERIC["kind"]},
    )
    width = len(header.cells)
    for start, cells in rows:
        if len(cells) != width:
            absent = [header.roles[i] for i in header.roles if i >= len(cells)]
            result.problems.append(Problem(
                name, start, absent[0] if absent else None,
                f"row has {len(cells)} cells, the header {width}" + (f" (missing: {', '.join(absent)})" if absent else ""),
                "warning" if len(cells) > width else "error"))
        row = {role: cells[i] if i < len(cells) else "" for i, role in header.roles.items()}
        out = interpret(ctx, row, start)
        result.records.extend(out.records)
        result.problems.extend(out.problems)
        result.skipped += out.skipped
    result.problems.extend(finish(ctx))
    result.reconciliation = ctx.reconciliation
    defaults = {k: v for k, v in (("home_country", ctx.home_country), ("country", ctx.partner_country)) if v}
    defaults.update(ctx.defaults)  # the generic kind of a table without a kind column: the mapping gives it too
    result.mapping = inferred_mapping(header.cells, header.roles, header.delimiter, language, "agreement", defaults)


def infer_mapping(cells: list[str]) -> dict[str, object] | None:
    """The mapping a header row of a sheet (XLSX) is read with, as for a CSV of it; None if not a registry's."""
    roles = header_roles(cells)
    if not set(REQUIRED) <= set(roles.values()):
        return None
    language = language_of(cells)
    defaults = {"home_country": _HOME[language]} if language in _HOME else {}
    if "kind" not in roles.values():
        defaults["kind"] = GENERIC["kind"]
    return inferred_mapping(cells, roles, ",", language, "agreement", defaults)


def inferred_mapping(headers: list[str], roles: dict[int, str], delimiter: str, language: str, record: str,
                     defaults: dict[str, str], level: str | None = None) -> dict[str, object]:
    """The mapping (docs/readers.md, section 3) a table was read with, for ``--write-mapping``."""
    mapping: dict[str, object] = {"coopkg-mapping": 1, "record": record, "language": language,
                                  "delimiter": {"\t": "tab"}.get(delimiter, delimiter)}
    if level:
        mapping["level"] = level
    names = [clean(h) for h in headers]
    # a header that appears twice ("pays" ... "pays") is named by its column number
    mapping["columns"] = {role: names[i] if names.count(names[i]) == 1 else str(i + 1)
                          for i, role in sorted(roles.items())}
    if defaults:
        mapping["defaults"] = defaults
    return mapping
