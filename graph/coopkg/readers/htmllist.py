"""Twin towns as a list under a heading in a saved page (Wikipedia, a council's site).

The commonest shape of a town's twinnings on the web is not a table but a list under a
heading ("Twin towns – sister cities", "Partnerstädte", "Jumelages", "Orașe înfrățite",
"Ciudades hermanadas", "Gemellaggi"): ``<li><img alt="Italy"> Faenza, Italy (1991)</li>``,
``Frankreich: Mulhouse (seit 1959)``, ``Lyon (France) – depuis 1990``, or towns grouped
under their country (``<li>France<ul><li>Lyon</li>...``, a ``<dl>``, a bold line).

Each item is the row a town's own list has, ``City | Country | Since | Kind`` (HEADER):
the cells as the page shows them (the partner's name, its country as written, the start
year, the agreement kind the heading names), the source line the ``<li>``'s. A list is
thus a one-party table (coopkg.readers.htmltable refuses it with the mapping hint; the
mapped reader reads it with the mapping beside the page): lists are never read a second
way. Only lists under a heading naming twin towns or partners are read (the heading words
are coopkg.normalise.headers.LIST_HEADINGS), never those of navigation boxes, references,
menus or "See also"; a section ends at the next heading of its level or above, or at a
sub-heading that is neither a continent nor a country ("Contact" under a page's title).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from coopkg.normalise.countries import country_code, find_country, split_stated_country
from coopkg.normalise.headers import SINCE_WORDS, is_continent, list_kind
from coopkg.normalise.text import clean
from coopkg.readers._rows import drop_footnotes
from coopkg.readers.htmltext import Table, is_void, not_shown

HEADER = ["City", "Country", "Since", "Kind"]
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_LISTS = {"ul", "ol", "dl"}
# Where a page's lists are not its content: navigation, references, menus, boxes; a table's
# lists are its cells' (coopkg.readers.htmltable reads tables).
_OUTSIDE_TAGS = {"nav", "footer", "header", "aside", "table", "form", "select", "menu"}
_OUTSIDE_CLASSES = {"navbox", "navbox-inner", "vertical-navbox", "navigation", "reflist", "references",
                    "mw-references-wrap", "refbegin", "toc", "vector-toc", "catlinks", "sidebar", "infobox",
                    "portal", "portalbox", "sistersitebox", "side-box", "metadata", "printfooter", "breadcrumb",
                    "breadcrumbs", "menu", "nav", "footer"}
# Blocks that end an open <p> (HTML's implied end), and those that break a cell's text
_ENDS_P = {"p", "div", "ul", "ol", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "blockquote",
           "pre", "hr", "nav", "footer", "header", "aside", "form"}
_BREAKS = _ENDS_P | {"br", "li", "dt", "dd", "tr", "td", "th"}
# Elements nested deeper than this are read as the content of the deepest one: the tree is
# walked recursively, and a hostile page of 100,000 nested <div>s must not exhaust the stack
# (real pages nest some 30 deep).
_MAX_DEPTH = 150
_INTRO_CHARS = 120  # a line above a list longer than this is prose, not "Partner cities:"
_ITEM_WORDS = 8  # more words than any town's name: a sentence, not a partner

_SINCE = "|".join(SINCE_WORDS)
# "(Italia, dal 1991)": a country and a year in one pair of parentheses
_PAREN_COUNTRY_YEAR = re.compile(rf"\(\s*([^()\d]+?)\s*[,;–—-]\s*(?:(?:{_SINCE})\b[^()\d]{{0,20}})?(\d{{4}})\s*\)",
                                 re.IGNORECASE)
# "(1991)", "(seit 1959)", "(12 May 1991)"
_PAREN_YEAR = re.compile(rf"\(\s*(?:(?:{_SINCE})\b)?[^()]{{0,25}}?\b(\d{{4}})\s*\)", re.IGNORECASE)
# "depuis 1990", "din 1991", "depuis le 12 mai 1990", after a dash or a comma
_WORD_YEAR = re.compile(rf"[\s,;–—-]*\b(?:{_SINCE})\b[^()\[\],;\d]{{0,20}}?(?:\d{{1,2}}\.?\s+[^\W\d]+\.?\s+)?"
                        r"(\d{4})\b", re.IGNORECASE)
# "Mulhouse, France, 1991", "Lyon (France) – 1990": a year ending the item after a comma or dash
_TRAILING_YEAR = re.compile(r"\s*[,;–—-]\s*(\d{4})\s*$")
# "Frankreich: Mulhouse": the country first
_COUNTRY_FIRST = re.compile(r"^([^:()]+?)\s*:\s*(.+)$")
# a flag's alternative text: "Italy", "Flag of Italy", "Drapeau de l'Italie"
_FLAG_OF = re.compile(r"^(?:flag of( the)?|drapeau (?:de la|de l'|du|des|de)|flagge (?:von)?|steagul|bandera de|"
                      r"bandiera d(?:ell[ae']|el|i)?)\s*", re.IGNORECASE)


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[_Node | str] = field(default_factory=list)


class _TreeParser(HTMLParser):
    """The page as a tree of what it shows: hidden text, footnote marks and scripts left out;
    HTML's implied ends kept (an unclosed <li> ends at the next, an unclosed <p> at a block)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {}, 1)
        self.stack: list[_Node] = [self.root]
        self.hidden: list[str] = []

    def _close_to(self, tag: str, stop: set[str]) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return
            if self.stack[i].tag in stop:
                return

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if self.hidden:
            if not is_void(tag):
                self.hidden.append(tag)
            return
        if not_shown(tag, attr):
            if not is_void(tag):
                self.hidden.append(tag)
            return
        if tag == "li":
            self._close_to("li", {"ul", "ol", "menu"})
        elif tag in {"dt", "dd"}:
            self._close_to("dt", {"dl"})
            self._close_to("dd", {"dl"})
        if tag in _ENDS_P:
            self._close_to("p", {"div", "li", "td", "th", "dd", "dt", "table", "section", "body"})
        node = _Node(tag, attr, self.getpos()[0])
        self.stack[-1].children.append(node)
        if not is_void(tag) and len(self.stack) < _MAX_DEPTH:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if not is_void(tag) and not self.hidden and self.stack[-1].tag == tag:
            self.stack.pop()
        elif self.hidden and self.hidden[-1] == tag:
            self.hidden.pop()

    def handle_endtag(self, tag: str) -> None:
        if self.hidden:
            if tag == self.hidden[-1]:
                self.hidden.pop()
            elif tag in self.hidden:  # a tag left open inside the hidden one
                del self.hidden[self.hidden.index(tag):]
            return
        if any(n.tag == tag for n in self.stack[1:]):
            while self.stack[-1].tag != tag:
                self.stack.pop()
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.stack[-1].children.append(data)


def _text(node: _Node, skip_lists: bool = False, alts: list[str] | None = None) -> str:
    """What an element shows, as one line (an item's own text when ``skip_lists``: not its sub-list's)."""
    parts: list[str] = []

    def walk(n: _Node) -> None:
        for child in n.children:
            if isinstance(child, str):
                parts.append(child)
            elif skip_lists and child.tag in _LISTS:
                continue
            else:
                if child.tag == "img" and alts is not None and child.attrs.get("alt", "").strip():
                    alts.append(child.attrs["alt"])
                if child.tag in _BREAKS:
                    parts.append(" ")
                walk(child)

    walk(node)
    return clean(" ".join(parts))


def _outside(node: _Node) -> bool:
    classes = set(node.attrs.get("class", "").lower().split())
    return (node.tag in _OUTSIDE_TAGS or bool(classes & _OUTSIDE_CLASSES)
            or node.attrs.get("role", "").lower() in {"navigation", "menu", "contentinfo"})


def _flag_country(alts: list[str]) -> str:
    """The country a flag's alternative text names: "Italy", "Flag of Italy"; "Steagul Republicii
    Moldova" (a Romanian genitive) by the country named in it, as its code."""
    for alt in alts:
        text = _FLAG_OF.sub("", clean(alt)).strip()
        if text and country_code(text):
            return text
        if text and (code := find_country(text)):
            return code
    return ""


def item_cells(text: str, alts: list[str], country: str, kind: str) -> tuple[list[str] | None, str | None]:
    """One list item's row (City, Country, Since, Kind), or why it is not one.

    The country is the one the item writes ("Mulhouse (Frankreich)", "Faenza, Italy",
    "Frankreich: Mulhouse"), else its flag's, else its group's (``country``); the start is
    a year in parentheses or after since/seit/depuis/din/desde/dal."""
    shown = clean(" ".join([text, *alts]))
    text = drop_footnotes(clean(text))
    since = stated = ""
    if m := _PAREN_COUNTRY_YEAR.search(text):
        stated, since = m.group(1), m.group(2)
        text = f"{text[:m.start()]} {text[m.end():]}"
    else:
        for pattern in (_PAREN_YEAR, _WORD_YEAR, _TRAILING_YEAR):
            if m := pattern.search(text):
                since = m.group(1)
                text = f"{text[:m.start()]} {text[m.end():]}"
                break
    text = clean(text).strip(" ,;:–—-")
    if not stated and (m := _COUNTRY_FIRST.match(text)) and country_code(m.group(1)):
        stated, text = m.group(1), m.group(2)
    if not stated:
        bare, code = split_stated_country(text)
        if code is not None:
            stated, text = text[len(bare):].strip(" ,()"), bare
    flag = _flag_country(alts)
    name = clean(text).strip(" ,;:–—-.")
    if not re.search(r"[^\W\d_]", name):
        return None, f"list item without a partner name ({shown!r}): not read"
    if len(name.split()) > _ITEM_WORDS:
        return None, f"list item {name[:60]!r} is a sentence, not a partner's name: not read"
    if country_code(name) and not (stated or flag):
        return None, f"list item {name!r} names a country, not a partner (a group without its towns?): not read"
    return [name, stated or flag or country, since, kind], None


@dataclass
class _Section:
    level: int
    kind: str
    heading: str
    country: str = ""  # a sub-heading naming a country ("Frankreich")


class _Lists:
    """The walk of a page's tree: sections under twinning headings, and their lists."""

    def __init__(self) -> None:
        self.tables: list[Table] = []
        self.section: _Section | None = None
        self.intro = ""  # the line just above a list ("Partner cities:", a bold "France")

    def walk(self, node: _Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                continue
            if _outside(child):
                continue
            if child.tag in _HEADINGS:
                self.heading(int(child.tag[1]), _text(child))
            elif child.tag in _LISTS:
                if self.section is not None:
                    self.read(child)
            elif child.tag in {"p", "b", "strong", "dt"}:
                text = _text(child)
                self.intro = text if len(text) <= _INTRO_CHARS else ""
            else:
                self.walk(child)

    def heading(self, level: int, text: str) -> None:
        self.intro = ""
        kind = list_kind(text)
        if kind is not None:
            self.section = _Section(level, kind, text)
        elif self.section is not None and level > self.section.level and (country_code(text) or is_continent(text)):
            # "Europe", "Frankreich" under "Partnerstädte": still its section; a country applies to its lists
            self.section.country = text if country_code(text) else ""
        else:  # the next section, or a sub-heading of another subject ("Contact")
            self.section = None

    def read(self, node: _Node) -> None:
        assert self.section is not None
        kind, country = self.section.kind, self.section.country
        intro = self.intro.strip(" :")
        if intro:
            if country_code(intro):
                country = intro
            elif (found := list_kind(intro)) is not None:
                kind = found
        self.intro = ""
        table = Table(len(self.tables) + 1, node.line, node.attrs.get("class", ""), self.section.heading,
                      [(node.line, list(HEADER))], what="list")
        self.items(node, country, kind, table)
        if len(table.rows) > 1 or table.notes:
            self.tables.append(table)

    def items(self, node: _Node, country: str, kind: str, table: Table) -> None:
        """The items of a list (``<ul>``, ``<ol>``, ``<dl>``), a group's country and kind applied to its own."""
        group_country, group_kind = country, kind
        for child in node.children:
            if isinstance(child, str) or _outside(child):
                continue
            if child.tag == "dt":  # a <dl>'s country or kind, for the <dd> after it
                label = _text(child).strip(" :")
                group_country, group_kind = country, kind
                if country_code(label):
                    group_country = label
                elif (found := list_kind(label)) is not None:
                    group_kind = found
                continue
            if child.tag not in {"li", "dd"}:
                if child.tag in _LISTS:  # a list straight inside a list (invalid, met in pages)
                    self.items(child, group_country, group_kind, table)
                continue
            alts: list[str] = []
            own = _text(child, skip_lists=True, alts=alts)
            subs = [n for n in child.children if isinstance(n, _Node) and n.tag in _LISTS]
            if subs:  # "France" over its towns: the group's country (or kind) for its items
                label = own.strip(" :")
                sub_country, sub_kind = group_country, group_kind
                if label and country_code(label):
                    sub_country = label
                elif label and (found := list_kind(label)) is not None:
                    sub_kind = found
                elif not label and (flag := _flag_country(alts)):
                    sub_country = flag
                for sub in subs:
                    self.items(sub, sub_country, sub_kind, table)
                continue
            if not own and not alts:
                continue
            cells, why = item_cells(own, alts, group_country, group_kind)
            if cells is None:
                table.notes.append((child.line, why or "not read"))
            else:
                table.rows.append((child.line, cells))


def html_lists(text: str) -> list[Table]:
    """The twinning lists of a page, each as a table: the HEADER row (at the list's line),
    then one row an item at its ``<li>``'s line; ``notes`` are the items not read and why."""
    parser = _TreeParser()
    parser.feed(text)
    parser.close()
    lists = _Lists()
    lists.walk(parser.root)
    return lists.tables
