"""Pair tables: one row per pair of partners, each party with its own country or identifier.

The shapes twinning lists come in (docs/readers.md, section 2b):

    city1,country1,city2,country2            (lists scraped from Wikipedia)
    ville;pays;ville jumelle;pays            (a French council's list)
    qid_a,name_a,qid_b,name_b                (a Wikidata query result, one row per direction)
    Town,Country,Twin town,Twin country,Since

Columns are recognised by scoring every header (coopkg.normalise.headers); each row is
one partnership (form twinning unless a kind column says otherwise) through the same
row interpretation as the other tables. A→B and B→A, and repeated rows, are one
partnership with every row as a source; namesakes are told apart by their countries
(docs/identity.md), and a row whose two parties are one place is refused.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from coopkg.normalise.headers import PARTY_CONCEPTS, is_pair_table, pair_columns, words
from coopkg.normalise.text import clean
from coopkg.readers import sparql_json
from coopkg.readers._rows import RowContext, finish, interpret, source_text
from coopkg.readers.gazetteer import gazetteer
from coopkg.readers.registry import inferred_mapping
from coopkg.records import Problem, ReadResult

NAME = "pairs"
SUFFIXES = {".csv", ".tsv", ".tab", ".txt", ""}
_TOWN_WORDS = {"city", "town", "ville", "commune", "municipality", "oras", "orasul", "localitate", "localitatea",
               "municipiu", "municipiul", "sister", "twin", "jumelle", "locality", "place", "lieu",
               "stadt", "partnerstadt", "partnerstadte", "gemeinde", "ciudad", "ciudades", "municipio", "localidad",
               "comune", "citta"}


def role_of(pair_role: str) -> str:
    """``name_a`` -> institution, ``country_b`` -> partner_country, ``wikidata_a`` -> institution_wikidata."""
    concept, _, side = pair_role.rpartition("_")
    if concept not in PARTY_CONCEPTS:
        return pair_role
    party = "institution" if side == "a" else "partner"
    if concept == "name":
        return party
    return f"{party}_{concept}"


def _delimiter(line: str, suffix: str) -> str:
    if suffix in {".tsv", ".tab"}:
        return "\t"
    return max(("\t", ";", ","), key=line.count)


def header_of(head: str, suffix: str) -> tuple[int, str, list[str], dict[int, str]] | None:
    """(line number, delimiter, cells, roles) of the first non-empty line, if it reads as a pair table."""
    for number, line in enumerate(head.splitlines(), start=1):
        if not line.strip():
            continue
        delimiter = _delimiter(line, suffix)
        try:
            cells = next(csv.reader([line], delimiter=delimiter))
        except (csv.Error, StopIteration):
            return None
        roles = pair_columns(cells)
        return (number, delimiter, cells, roles) if is_pair_table(roles) else None
    return None


# what to do with a town's own list of partners (a council's or a Wikipedia page's twin towns):
# it cannot say whose partners they are, the user can, once, in a mapping
ONE_PARTY = ("its columns name one party a row (a town's own list of partners?): say whose partners they are in a "
             "mapping beside it, with the partner's columns and defaults: {institution: NAME, home_country: CODE} "
             "(docs/readers.md, section 3)")


def one_party_cells(cells: list[str]) -> bool:
    """Whether a header names one party's columns only (a name, and its country or
    identifier): a town's own list of its partners, which says nowhere which town it is."""
    roles = pair_columns(cells).values()
    found = {role.rpartition("_")[2] for role in roles if role.rpartition("_")[0] in PARTY_CONCEPTS}
    return len(found) == 1 and any(role.startswith("name_") for role in roles)


def one_party_header(head: str, suffix: str) -> bool:
    """Whether the first line of a text table is a one-party header (``one_party_cells``)."""
    for line in head.splitlines():
        if not line.strip():
            continue
        try:
            cells = next(csv.reader([line], delimiter=_delimiter(line, suffix)))
        except (csv.Error, StopIteration):
            return False
        return one_party_cells(cells)
    return False


def sniff(path: Path, head: str) -> bool:
    suffix = path.suffix.lower()
    if suffix in sparql_json.SUFFIXES:
        names = sparql_json.variables(head)
        return names is not None and is_pair_table(pair_columns(names))
    return suffix in SUFFIXES and header_of(head, suffix) is not None


def _level(headers: list[str], roles: dict[int, str]) -> str | None:
    """"city" when the party columns say town (city1, Stadt, ville jumelle...): a town, not a county namesake."""
    party_words = {w for i, r in roles.items() if r in ("institution", "partner") for w in words(headers[i])}
    return "city" if party_words & _TOWN_WORDS else None


def infer_mapping(cells: list[str]) -> dict[str, object] | None:
    """The mapping a header row of a sheet (XLSX) is read with, as for a CSV of it; None if not a pair table's."""
    pair_roles = pair_columns(cells)
    if not is_pair_table(pair_roles):
        return None
    roles = {i: role_of(r) for i, r in pair_roles.items()}
    return inferred_mapping(cells, roles, ",", "en", "partnership", {"kind": "twinning"}, _level(cells, roles))


def _csv_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    start = 1
    for cells in reader:
        yield start, cells  # a row is named by its first line (a quoted cell may span several)
        start = reader.line_num + 1


def read(path: Path | str, **options: Any) -> ReadResult:
    path = Path(path)
    name = str(path)
    result = ReadResult(reader=NAME, source=name)
    text = source_text(path, result)
    if text is None:
        return result
    rows: list[tuple[int, list[str]]] | None = None
    if path.suffix.lower() in sparql_json.SUFFIXES:
        try:
            variables, rows = sparql_json.table(text)
        except sparql_json.NotResults as err:
            result.problems.append(Problem(name, None, None, f"cannot read SPARQL JSON results: {err}"))
            return result
        roles_found = pair_columns(variables)
        found = (1, ",", variables, roles_found) if is_pair_table(roles_found) else None
    else:
        found = header_of(text[:65536], path.suffix.lower())
    if found is None:
        result.problems.append(Problem(name, None, None, "no pair header found: expected a name column for each "
                                       "party (city1/city2, ville/ville jumelle, name_a/name_b or qid_a/qid_b)"))
        return result
    header_line, delimiter, headers, pair_roles = found
    read_table(result, header_line, delimiter, headers, pair_roles,
               ((n, cells) for n, cells in (rows if rows is not None else _csv_rows(text, delimiter)) if n > header_line),
               str(options.get("document") or path.name), options)
    return result


def read_table(result: ReadResult, header_line: int, delimiter: str, headers: list[str], pair_roles: dict[int, str],
               rows: Iterable[tuple[int, list[str]]], document: str, options: dict[str, Any],
               one_way_expected: bool = False) -> None:
    """A pair table's rows, (line, cells) under its header, into ``result``: a CSV's, a SPARQL
    result's or a web page's table (coopkg.readers.htmltable) read alike. ``one_way_expected``:
    the rows state each pair from one side (a national list article), so one-way pairs are no
    sign of rows lost and are not warned about (they are still counted for reconcile.txt)."""
    name = result.source
    roles = {i: role_of(r) for i, r in pair_roles.items()}
    unused = [clean(h) or f"column {i + 1}" for i, h in enumerate(headers) if i not in roles]
    if unused:
        result.problems.append(Problem(name, header_line, None, "columns not used: " + ", ".join(repr(u) for u in unused),
                                       "warning"))
    ctx = RowContext(
        file=name, document=document,
        gazetteer=options.get("gazetteer") or gazetteer(), language=options.get("language") or "en",
        record="partnership", form="twinning", prefer=_level(headers, roles), one_way_expected=one_way_expected,
    )
    width = len(headers)
    for number, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < width and all(not cells[i].strip() for i in range(len(cells)) if i in roles):
            continue
        row = {role: cells[i] if i < len(cells) else "" for i, role in roles.items()}
        out = interpret(ctx, row, number)
        result.records.extend(out.records)
        result.problems.extend(out.problems)
        result.skipped += out.skipped
    result.problems.extend(finish(ctx))
    result.reconciliation = ctx.reconciliation
    result.mapping = inferred_mapping(headers, roles, delimiter, ctx.language, "partnership", {"kind": "twinning"},
                                      ctx.prefer)

