"""Saved web pages (a Wikipedia article, a council's site): the twinning tables in them.

The page's tables are read as a reader of the page sees them (coopkg.readers.htmltext:
footnote marks, sort keys and hidden text dropped, a flag's alternative text only for a
cell that shows nothing else, a rowspan cell repeated downward). A table whose header
scores as a pair table's or a registry's is handed, rows and lines, to the pairs or the
registry reader's own ``read_table``: the same table as a CSV gives the same records.
Which tables are read (docs/readers.md, section 2c): every table whose header scores;
several of one shape are read as one table; two shapes on one page are refused, naming
them, never guessed. A table naming one party a row (City | Country | Since) is refused
with what to do: a mapping beside the page (``twins.html.mapping.yaml``) names the town.
A list under a twinning heading (coopkg.readers.htmllist) is such a one-party table, and
refused alike; beside a twinning table it is a second shape: the page is refused naming both.
A national list article (its title: "List of twin towns and sister cities in France") names
both parties of every row: its partners are a pair table handed to the pairs reader, the
home towns' country its title's (else a mapping's defaults.home_country); a twinning table on
it too is refused naming both.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coopkg.normalise.countries import country_code
from coopkg.normalise.text import clean
from coopkg.readers import htmllist, pairs, registry
from coopkg.readers._rows import source_text
from coopkg.readers.htmltext import Table, html_tables, looks_like_html
from coopkg.records import Problem, ReadResult

NAME = "html"
SUFFIXES = {".html", ".htm", ".xhtml"}
HEADER_ROWS = 3  # a header is one of a table's first rows (a title row may sit above it)


def is_page(path: Path, head: str) -> bool:
    return path.suffix.lower() in SUFFIXES or looks_like_html(head)


def sniff(path: Path, head: str) -> bool:
    if not is_page(path, head):
        return False
    return (any(len(t.rows) >= 2 for t in html_tables(head)) or any(len(t.rows) >= 2 for t in htmllist.html_lists(head))
            or htmllist.article_title(head) is not None)


@dataclass
class Candidate:
    table: Table
    kind: str  # "pairs" or "registry"
    at: int  # index of the header row in table.rows
    roles: dict[int, str]

    @property
    def shape(self) -> tuple[str, tuple[tuple[int, str], ...]]:
        return self.kind, tuple(sorted(self.roles.items()))

    @property
    def headers(self) -> list[str]:
        return self.table.rows[self.at][1]


def candidate(table: Table) -> Candidate | None:
    """The table as a pair table or a registry, by its header's score (as a CSV's first line)."""
    for at, (_, cells) in enumerate(table.rows[:HEADER_ROWS]):
        roles = pairs.pair_columns(cells)
        if pairs.is_pair_table(roles):
            return Candidate(table, "pairs", at, roles)
        found = registry.header_roles(cells)
        if len(found) >= 3 and set(registry.REQUIRED) <= set(found.values()):
            return Candidate(table, "registry", at, found)
    return None


def _one_party(table: Table) -> bool:
    return bool(table.rows) and pairs.one_party_cells(table.rows[0][1])


def _header_text(cells: list[str]) -> str:
    return " | ".join(c for c in cells if c)


def _rows(found: list[Candidate]) -> list[tuple[int, list[str]]]:
    """The data rows of the tables read, in page order: a row repeating the header (a long
    table's header again, mid-table) is not data."""
    out = []
    for c in found:
        header = [clean(h) for h in c.headers]
        out.extend((line, cells) for line, cells in c.table.rows[c.at + 1:] if [clean(x) for x in cells] != header)
    return out


def read(path: Path | str, **options: Any) -> ReadResult:
    path = Path(path)
    name = str(path)
    result = ReadResult(reader=NAME, source=name)
    text = source_text(path, result)
    if text is None:
        return result
    tables = [t for t in html_tables(text) if t.rows]
    article, all_lists = htmllist.page_lists(text)
    lists = [t for t in all_lists if len(t.rows) >= 2]
    found = [c for t in tables if (c := candidate(t)) is not None]
    one_party = [t for t in tables if _one_party(t) and all(c.table is not t for c in found)]
    if article is not None:
        _read_article(result, path, article, found, one_party, options)
        return result
    if found and lists:
        # a twinning table and a twinning list: two shapes, as two table shapes are; neither is guessed
        listed = "; ".join([*(f"{c.table.name()}: {c.kind}, {_header_text(c.headers)}" for c in found),
                            *(f"{t.name()}: {len(t.rows) - 1} items" for t in lists)])
        result.problems.append(Problem(name, None, None, f"the page has twinning tables and twinning lists: {listed}; "
                                       "save the one to read as CSV, or give a mapping beside the page naming its "
                                       "columns (a list's are " + " | ".join(htmllist.HEADER) + "; docs/readers.md, "
                                       "section 2c)"))
        return result
    if not found:
        one_party = sorted([*one_party, *lists], key=lambda t: t.line)
        if one_party:
            first_one = one_party[0]
            columns = f", read as {' | '.join(htmllist.HEADER)}" if first_one.what == "list" else ""
            message = f"{first_one.name()}{columns}: {pairs.ONE_PARTY}; for this page: {path.name}.mapping.yaml"
        elif tables:
            listed = "; ".join(f"{t.name()}: {_header_text(t.rows[0][1])[:80]}" for t in tables[:5])
            message = ("no table of the page has a twinning header (a name column for each party, or a registry's "
                       f"institution and partner columns); its tables: {listed}")
        else:
            message = "no table in the page, nor a list under a twin towns heading"
        result.problems.append(Problem(name, None, None, message))
        return result
    shapes = {c.shape for c in found}
    if len(shapes) > 1:
        # two different tables on one page: which one holds the twinnings is not for a reader to guess
        listed = "; ".join(f"{c.table.name()}: {c.kind}, {_header_text(c.headers)}" for c in found)
        result.problems.append(Problem(name, None, None, f"the page has tables of different shapes: {listed}; save "
                                       "the one to read as CSV, or give a mapping beside the page (docs/readers.md, "
                                       "section 3)"))
        return result
    for table in one_party:
        result.problems.append(Problem(name, table.line, None, f"{table.name()} is not read: {pairs.ONE_PARTY}",
                                       "warning"))
    first = found[0]
    rows = _rows(found)
    document = str(options.get("document") or path.name)
    header_line = first.table.rows[first.at][0]
    if first.kind == "pairs":
        pairs.read_table(result, header_line, "\t", first.headers, first.roles, rows, document, options)
    else:
        cells = first.headers
        header = registry.Header(header_line, "\t", first.roles, cells, registry.language_of(cells))
        registry.read_table(result, header, rows, document, _heading_country(found), options)
    return result


def _read_article(result: ReadResult, path: Path, article: htmllist.Article, found: list[Candidate],
                  one_party: list[Table], options: dict[str, Any]) -> None:
    """A national list article: its home towns' partners, a pair table (htmllist.ARTICLE_HEADER)
    handed to the pairs reader. A twinning table on it too is a second shape: which one holds
    the page's twinnings is not guessed, the page is refused naming both."""
    name, table = str(path), article.table
    columns = " | ".join(htmllist.ARTICLE_HEADER)
    if found or one_party:
        listed = "; ".join([*(f"{c.table.name()}: {c.kind}, {_header_text(c.headers)}" for c in found),
                            *(f"{t.name()}: one party a row, {_header_text(t.rows[0][1])}" for t in one_party)])
        result.problems.append(Problem(name, None, None, f"the page is a list article ({table.name()}: "
                                       f"{len(table.rows) - 1} partners, read as {columns}) and has twinning tables: "
                                       f"{listed}; save the one to read as CSV, or give a mapping beside the page "
                                       "naming its columns (docs/readers.md, section 2c)"))
        return
    if article.home_country is None:
        named = ", ".join(article.countries) or "none"
        result.problems.append(Problem(name, table.line, None, f"{table.name()}: its title names no single country "
                                       f"(countries named: {named}), so its home towns' country is not known: say it "
                                       f"in {path.name}.mapping.yaml beside the page, with columns {{institution: "
                                       "City1, institution_country: Country1, partner: City2, partner_country: "
                                       "Country2, date: Since, kind: Kind} and defaults: {home_country: CC} "
                                       "(docs/readers.md, section 2c)"))
        return
    # headings that are no town (their lists not read) and items not read, in page order
    result.problems.extend(sorted([*(Problem(name, line, "institution", f"{table.name()}: {why}", "warning")
                                     for line, why in article.headings),
                                   *(Problem(name, line, "partner", f"{table.name()}: {why}", "warning")
                                     for line, why in table.notes)], key=lambda p: p.line or 0))
    header_line, headers = table.rows[0]
    # each town's partners from its side: the other side is in the partner country's article
    pairs.read_table(result, header_line, "\t", headers, pairs.pair_columns(headers), table.rows[1:],
                     str(options.get("document") or path.name), options, one_way_expected=True)


def _heading_country(found: list[Candidate]) -> str | None:
    """The partners' country the table's caption or heading names ("Franța"), as a heading
    above a page's text table does; for several tables, only when every one's names the same.
    Only headings: an infobox's "Country: Romania" above is the town's country, not its partners'."""
    countries = {country_code(c.table.heading) if c.table.heading and len(c.table.heading) <= 60 else None
                 for c in found}
    return countries.pop() if len(countries) == 1 else None
