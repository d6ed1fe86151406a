"""A saved web page -> lines of text with their source line numbers.

Block elements (p, div, h1-h6, li, dt, dd, br, tr...) end a line; the cells of a table
row are kept apart with tabs, so a reader sees a table row as a tab-separated line and
a label/value block as two lines, exactly as in the page's text form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from coopkg import limits
from coopkg.normalise.text import clean

_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dt", "dd", "dl", "br", "tr", "table",
          "thead", "tbody", "section", "article", "header", "footer", "label", "span-block", "form", "fieldset",
          "legend", "caption", "hr", "blockquote", "pre", "title", "nav", "main"}
_SKIP = {"script", "style", "noscript", "template", "head-meta"}


@dataclass
class Line:
    number: int  # 1-based line in the source file
    text: str
    cells: list[str] = field(default_factory=list)  # a table row's cells; [] for plain text


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[Line] = []
        self.parts: list[str] = []
        self.cells: list[str] | None = None
        self.cell: list[str] = []
        self.start: int | None = None
        self.skip = 0

    def _flush(self) -> None:
        if self.cells is not None:
            return
        text = clean(" ".join(self.parts))
        if text and self.start is not None:
            self.lines.append(Line(self.start, text))
        self.parts, self.start = [], None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag == "tr":
            self._flush()
            self.cells, self.start = [], None
        elif tag in {"td", "th"} and self.cells is not None:
            self.cell = []
        elif tag in _BLOCK:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in {"td", "th"} and self.cells is not None:
            self.cells.append(clean(" ".join(self.cell)))
            self.cell = []
        elif tag == "tr" and self.cells is not None:
            cells, self.cells = self.cells, None
            if any(cells) and self.start is not None:
                self.lines.append(Line(self.start, " ".join(c for c in cells if c), cells))
            self.start = None
        elif tag in _BLOCK:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.skip or not data.strip():
            return
        if self.start is None:
            self.start = self.getpos()[0]
        (self.cell if self.cells is not None else self.parts).append(data)


def html_lines(text: str) -> list[Line]:
    parser = _Parser()
    parser.feed(text)
    parser.close()
    parser._flush()
    return parser.lines


def text_lines(text: str) -> list[Line]:
    """Plain text: one Line per non-empty line (cells split on tabs when there are any)."""
    out = []
    for number, raw in enumerate(text.splitlines(), start=1):
        cleaned = clean(raw)
        if cleaned:
            cells = [clean(c) for c in raw.split("\t")] if "\t" in raw else []
            out.append(Line(number, cleaned, cells))
        else:
            out.append(Line(number, ""))
    return out


def looks_like_html(head: str) -> bool:
    lowered = head[:4096].lower()
    return "<html" in lowered or "<!doctype html" in lowered or ("<body" in lowered and "</" in lowered)


# -- the tables of a page, as a reader of the page sees them ----------------------------------
# What a table's cell shows but is not its value: Wikipedia's footnote marks (<sup class="reference">),
# sort keys and other hidden text, edit links. The cleaning of a pasted table drops "[1]" too.
_NOT_SHOWN_CLASSES = {"reference", "sortkey", "mw-editsection", "noprint", "sr-only", "visually-hidden"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "col", "source", "area", "base"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6", "caption"}


def not_shown(tag: str, attr: dict[str, str]) -> bool:
    """Whether an element's content is not what the page shows (a footnote mark, a sort key, hidden text)."""
    style = attr.get("style", "").replace(" ", "").lower()
    return (tag in _SKIP or "display:none" in style or "hidden" in attr
            or bool(_NOT_SHOWN_CLASSES & set(attr.get("class", "").split())))


def is_void(tag: str) -> bool:
    """An element without content or end tag (<br>, <img>)."""
    return tag in _VOID


@dataclass
class Table:
    number: int  # 1-based, in the order the tables open in the page
    line: int  # line of <table> in the file
    classes: str  # its class attribute ("wikitable sortable")
    heading: str = ""  # the caption, else the nearest heading above it
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (line of <tr>, cells)
    what: str = "table"  # or "list": a list under a twinning heading, read as a table (coopkg.readers.htmllist)
    notes: list[tuple[int, str]] = field(default_factory=list)  # (line, why): a list's items not read

    def name(self) -> str:
        """How messages and docs name it: 'table 2 (line 14, "Twin towns")'."""
        return f"{self.what} {self.number} (line {self.line}" + (f", {self.heading!r})" if self.heading else ")")


@dataclass
class _Open:
    table: Table
    row: list[tuple[str, int, int]] | None = None  # (text, rowspan, colspan) of the open row's cells
    row_line: int = 0
    cell: list[str] | None = None
    alt: list[str] = field(default_factory=list)  # images' alternative texts in the open cell
    span: tuple[int, int] = (1, 1)
    pending: dict[int, tuple[int, str]] = field(default_factory=dict)  # column -> (rows left, text)


def end_hidden(hidden: list[str], tag: str) -> bool:
    """An end tag met inside hidden text (``hidden``: the open hidden elements' tags): close
    ``tag`` there, and any tag left open inside it; True when the end tag was hidden text's."""
    if not hidden:
        return False
    if tag == hidden[-1]:
        hidden.pop()
    elif tag in hidden:  # a tag left open inside the hidden one
        del hidden[hidden.index(tag):]
    return True


def _span(value: str | None) -> int:
    digits = "".join(ch for ch in (value or "").strip().split(" ")[0] if ch.isdigit())
    return max(1, min(int(digits), 1000)) if digits else 1  # a bound: rowspan="65534" is not a million cells


class _TableParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self.stack: list[_Open] = []
        self.hidden: list[str] = []  # tags whose content is not shown, still open
        self.heading: list[str] | None = None
        self.last_heading = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if self.hidden:
            if tag not in _VOID:
                self.hidden.append(tag)
            return
        if not_shown(tag, attr):
            if tag not in _VOID:
                self.hidden.append(tag)
            return
        if tag in _HEADINGS:
            self.heading = []
        open_ = self.stack[-1] if self.stack else None
        if tag == "table":
            self._close_cell()
            number, line = len(self.tables) + 1, self.getpos()[0]
            table = Table(number, line, attr.get("class", ""), self.last_heading)
            self.tables.append(table)
            self.stack.append(_Open(table))
        elif open_ is None:
            return
        elif tag == "tr":
            self._close_row()
            open_.row, open_.row_line = [], self.getpos()[0]
        elif tag in {"td", "th"}:
            self._close_cell()
            if open_.row is None:  # a cell without its <tr>: a row all the same
                open_.row, open_.row_line = [], self.getpos()[0]
            open_.cell, open_.alt = [], []
            open_.span = (_span(attr.get("rowspan")), _span(attr.get("colspan")))
        elif tag == "img" and open_.cell is not None and attr.get("alt", "").strip():
            open_.alt.append(attr["alt"])
        elif tag in _BLOCK and open_.cell is not None:
            open_.cell.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if end_hidden(self.hidden, tag):
            return
        if tag in _HEADINGS and self.heading is not None:
            text = clean(" ".join(self.heading))
            if tag == "caption" and self.stack:
                self.stack[-1].table.heading = text or self.stack[-1].table.heading
            elif text:
                self.last_heading = text
            self.heading = None
        if not self.stack:
            return
        if tag in {"td", "th"}:
            self._close_cell()
        elif tag == "tr":
            self._close_row()
        elif tag == "table":
            self._close_row()
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        if self.heading is not None:
            self.heading.append(data)
        if self.stack and self.stack[-1].cell is not None:
            self.stack[-1].cell.append(data)

    def _close_cell(self) -> None:
        if not self.stack:
            return
        open_ = self.stack[-1]
        if open_.cell is None or open_.row is None:
            return
        text = clean(" ".join(open_.cell))
        if not text and open_.alt:  # a cell that shows only a flag: the flag's country
            text = clean(" ".join(open_.alt))
        open_.row.append((text, *open_.span))
        open_.cell, open_.alt = None, []

    def _close_row(self) -> None:
        """The row as a reader of the table sees it: a cell with rowspan repeats downward,
        one with colspan fills the columns it covers (its text in the first of them)."""
        self._close_cell()
        if not self.stack or self.stack[-1].row is None:
            return
        open_ = self.stack[-1]
        cells: list[str] = []
        given = iter(open_.row)
        column = 0
        width = limits.current().sheet_columns  # a page's spans never make a row wider than a sheet may be
        while column < width:
            if column in open_.pending:
                left, text = open_.pending.pop(column)
                cells.append(text)
                if left > 1:
                    open_.pending[column] = (left - 1, text)
                column += 1
                continue
            cell = next(given, None)
            if cell is None:
                if any(c >= column for c in open_.pending):  # spans further right, past this row's cells
                    cells.append("")
                    column += 1
                    continue
                break
            text, rowspan, colspan = cell
            for offset in range(min(colspan, width - column)):
                cells.append(text if offset == 0 else "")
                if rowspan > 1:
                    open_.pending[column] = (rowspan - 1, text if offset == 0 else "")
                column += 1
        if any(cells):
            open_.table.rows.append((open_.row_line, cells))
        open_.row = None


def html_tables(text: str) -> list[Table]:
    """Every table of a page (nested ones too, each apart), with its rows' cells and lines."""
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    while parser.stack:  # a page cut short: its open tables as far as they go
        parser._close_row()
        parser.stack.pop()
    return parser.tables
