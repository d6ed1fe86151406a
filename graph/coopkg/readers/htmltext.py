"""A saved web page -> lines of text with their source line numbers.

Block elements (p, div, h1-h6, li, dt, dd, br, tr...) end a line; the cells of a table
row are kept apart with tabs, so a reader sees a table row as a tab-separated line and
a label/value block as two lines, exactly as in the page's text form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

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
