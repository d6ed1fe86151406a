"""Twin towns as a list under a heading in a saved page (Wikipedia, a council's site).

The commonest shape of a town's twinnings on the web is not a table but a list under a
heading ("Twin towns – sister cities", "Partnerstädte", "Jumelages", "Orașe înfrățite",
"Ciudades hermanadas", "Gemellaggi"): ``<li><img alt="Italy"> Faenza, Italy (1991)</li>``,
``Frankreich: Mulhouse (seit 1959)``, ``Lyon (France) – depuis 1990``, or towns grouped
under their country (``<li>France<ul><li>Lyon</li>...``, a ``<dl>``, a bold line).

Each item is the row a town's own list has, ``City | Country | Since | Until | Kind`` (HEADER):
the cells as the page shows them (the partner's name, its country as written, the start
year, the end year of a stated range such as "(1965–2014)", the agreement kind the heading
names), the source line the ``<li>``'s. A list is
thus a one-party table (coopkg.readers.htmltable refuses it with the mapping hint; the
mapped reader reads it with the mapping beside the page): lists are never read a second
way. Only lists under a heading naming twin towns or partners are read (the heading words
are coopkg.normalise.headers.LIST_HEADINGS), never those of navigation boxes, references,
menus or "See also"; a section ends at the next heading of its level or above, or at a
sub-heading that is neither a continent nor a country ("Contact" under a page's title).

A national list article ("List of twin towns and sister cities in France", its title says so)
is not one town's list but many: each home town's partners are rows of a pair table,
``City1 | Country1 | City2 | Country2 | Since | Until | Kind | Status`` (ARTICLE_HEADER; ``list_article``),
the home towns' country the one its title names.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from coopkg.normalise.countries import country_code, drop_subdivision_hint, find_country, split_stated_country
from coopkg.normalise.headers import (
    ARTICLE_COUNTRY_ADJECTIVES,
    SINCE_WORDS,
    is_back_matter,
    is_continent,
    is_former,
    is_list_article_title,
    is_period,
    is_section_title,
    list_kind,
    twinned_subject,
    words,
)
from coopkg.normalise.text import clean
from coopkg.readers._rows import drop_footnotes
from coopkg.readers.htmltext import Table, end_hidden, is_void, not_shown

HEADER = ["City", "Country", "Since", "Until", "Kind"]
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
# a year an item may state (a start, an end, a renewal)
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
# a start and an end: "1965–2014", "(1965 - 2014)"; "de 1990 à 2005", "from 1990 to 2005", "seit 1959, bis
# 2012", "din 1990 până în 2005", "dal 1990 al 2005", "desde 1990 hasta 2005"
_DASH_RANGE = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)\s*[–—-]\s*(1[89]\d\d|20\d\d)(?!\d)")
_WORD_RANGE = re.compile(r"(?:\b(?:from|de|von|seit|since|depuis|din|dal|desde|da)\s+)?(?<!\d)(1[89]\d\d|20\d\d)\s*,?\s+"
                         r"(?:to|until|till|à|a|au|jusqu'en|jusqu'à|bis|până în|pana in|până la|pana la|până|pana|"
                         r"al|hasta|fino al)\s+(1[89]\d\d|20\d\d)(?!\d)", re.IGNORECASE)
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
        if end_hidden(self.hidden, tag):
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
    # "Bad Cannstatt (<a>Stuttgart</a>)": the parts' spaces are not the page's inside parentheses
    return re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", clean(" ".join(parts))))


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
        if text and alt.strip().lower().startswith("steagul"):
            for nominative in _romanian_nominatives(text):
                if code := country_code(nominative):
                    return code
    return ""


# Romanian genitive endings and their nominatives: "Ungariei" Ungaria, "Franței" Franța,
# "Israelului" Israel, "Regatului Unit" Regatul Unit, "Statelor Unite" Statele Unite
_GENITIVES = (("iei", "ia"), ("ei", "a"), ("ului", "ul"), ("ului", ""), ("elor", "ele"))


def _romanian_nominatives(text: str) -> list[str]:
    """The nominatives a Romanian genitive ("Steagul Ungariei", a flag's alternative text) may be of."""
    options = [[word, *(word[:-len(end)] + nominative for end, nominative in _GENITIVES if word.endswith(end))]
               for word in text.split()[:4]]
    return [" ".join(words) for words in itertools.product(*options)]


def item_cells(text: str, alts: list[str], country: str, kind: str) -> tuple[list[str] | None, str | None]:
    """One list item's row (City, Country, Since, Until, Kind), or why it is not one.

    The country is the one the item writes ("Mulhouse (Frankreich)", "Faenza, Italy",
    "Frankreich: Mulhouse"), else its flag's, else its group's (``country``); the start is
    a year in parentheses or after since/seit/depuis/din/desde/dal."""
    shown = clean(" ".join([text, *alts]))
    text = drop_footnotes(clean(text))
    until = ""
    years = _YEAR.findall(text)
    if len(years) == 2 and (m := _DASH_RANGE.search(text) or _WORD_RANGE.search(text)):
        # "(1965–2014)", "de 1990 à 2005": a start and an end. The range becomes its start, read
        # below as any start is ("(1965)", "since 1990"), and the end goes to Until
        if m.group(1) > m.group(2):
            return None, f"list item {shown[:80]!r} ends ({m.group(2)}) before it starts ({m.group(1)}): not read"
        until = m.group(2)
        # "de 1990": its word is a start's ("since 1990"); "1959–2012": the bare year, as "1959" is read
        start = f"since {m.group(1)}" if m.group(0)[:1].isalpha() else m.group(1)
        text = f"{text[:m.start()]}{start}{text[m.end():]}"
    elif len(set(years)) > 1:
        # "twinned 1965, renewed 2014", "1965, 1990 and 2014": which year starts it and which ends
        # it (if any) the item does not say; read with one of them it would be a partnership of the
        # wrong years (or one still active), so it is refused, never guessed
        return None, (f"list item {shown[:80]!r} states {len(set(years))} years ({', '.join(sorted(set(years)))}) "
                      "and not as a range ('1965–2014'): which starts and which ends it is not said; give this one "
                      "as a table row with its start and end: not read")
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
            inner, again = split_stated_country(bare)
            if again == code:  # "Bath, England, United Kingdom": England is in the United Kingdom
                text = inner
    flag = _flag_country(alts)
    name = clean(text).strip(" ,;:–—-.")
    # "Antony (Hauts-de-Seine)": a département beside the name tells namesakes apart for a reader
    name = drop_subdivision_hint(name, country_code(stated or flag or country) or None) if stated or flag or country \
        else name
    if not re.search(r"[^\W\d_]", name):
        return None, f"list item without a partner name ({shown!r}): not read"
    if len(name.split()) > _ITEM_WORDS:
        return None, f"list item {name[:60]!r} is a sentence, not a partner's name: not read"
    if country_code(name) and not (stated or flag):
        return None, f"list item {name!r} names a country, not a partner (a group without its towns?): not read"
    return [name, stated or flag or country, since, until, kind], None


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
            # "Frankreich: Lyon, Nice (seit 1970)": a country's towns in one item, each a row
            m = _COUNTRY_FIRST.match(own)
            found = [(part, [], m.group(1)) for part in partner_pieces(m.group(2))] \
                if m and country_code(m.group(1)) else []
            for text, flags, its_country in found if len(found) > 1 else [(own, alts, group_country)]:
                cells, why = item_cells(text, flags, its_country, group_kind)
                if cells is None:
                    table.notes.append((child.line, why or "not read"))
                else:
                    table.rows.append((child.line, cells))


def _parse(text: str) -> _Node:
    parser = _TreeParser()
    parser.feed(text)
    parser.close()
    return parser.root


def html_lists(text: str) -> list[Table]:
    """The twinning lists of a page, each as a table: the HEADER row (at the list's line),
    then one row an item at its ``<li>``'s line; ``notes`` are the items not read and why."""
    return page_lists(text)[1]


def page_lists(text: str) -> tuple[Article | None, list[Table]]:
    """The page as a national list article (its home towns' partners), else its twinning lists.
    An article's lists are its many towns' partners, never one town's: it has no twinning list."""
    root = _parse(text)
    article = _article(root)
    if article is not None:
        return article, []
    lists = _Lists()
    lists.walk(root)
    return None, lists.tables


def list_article(text: str) -> Article | None:
    """The page as a national list article ("List of twin towns and sister cities in France"), if it is one."""
    return page_lists(text)[0]


# -- a national list article: "List of twin towns and sister cities in France" ----------------
# The body is a sequence of home towns, each a sub-heading ("Aix-en-Provence", "Aix-en-Provence
# (Bouches-du-Rhône)") or a line ("Aix-en-Provence is twinned with:") followed by its partners,
# a list or one paragraph ("Aix-en-Provence – Ashkelon, Bath, Coimbra"); letter and region
# headings ("A", "Auvergne-Rhône-Alpes") group them; a heading that is a section ("History",
# "Twin towns – sister cities"), a date ("1950s") or a sentence is never a town, and a list right
# under it is not read (not_a_town), while under a town ("Former twin towns" below "Lyon") such a
# twinning heading groups the town's partners. Both parties are on the page: each partner
# is the row of a pair table, ARTICLE_HEADER, read by the pairs reader (coopkg.readers.pairs),
# so Lyon's Beersheba here and Beersheba's Lyon in the Israel article are one partnership.
# Status is "ended" for the partners under a former-twinnings heading ("Former twin towns" under
# "Lyon"), else empty; the pairs reader takes it as a pair table's status column.
ARTICLE_HEADER = ["City1", "Country1", "City2", "Country2", "Since", "Until", "Kind", "Status"]
_HEADING_WORDS = 6  # a heading longer than this, with no "(département)" hint, is a sentence, not a town
# "Aix-en-Provence – Ashkelon, Bath" / "Arad: Gyula (Ungaria)": a home town, a dash or a colon, its partners
_HOME_PARTNERS = re.compile(r"^(?P<home>[^:–—]+?)\s*(?:\s-\s|[–—:])\s*(?P<partners>\S.*)$")
_PIECES = re.compile(r"\s*[,;]\s*|\s+(?:and|et|und|și|si|y|&)\s+", re.IGNORECASE)


@dataclass
class Article:
    title: str
    line: int  # of the title's <h1> (or <title>)
    countries: list[str]  # the ISO codes the title names, in its order ("deutsch-französischen": DE, FR)
    table: Table  # what="list article": the ARTICLE_HEADER row, then one row a partner at its line
    # (line, why) of the headings that are no town and had a list right under them, not read
    headings: list[tuple[int, str]] = field(default_factory=list)

    @property
    def home_country(self) -> str | None:
        """The home towns' country: the one the title names, or the first of two (the partners' the second)."""
        return self.countries[0] if 1 <= len(self.countries) <= 2 else None


def title_countries(title: str) -> list[str]:
    """The countries a title names, in its order: by name ("in France", "din România") or by
    adjective ("deutsch-französischen": DE, FR; the words are in coopkg.normalise.headers)."""
    tokens = words(title)
    found: list[str] = []
    i = 0
    while i < len(tokens):
        code = None
        for size in (4, 3, 2, 1):
            chunk = " ".join(tokens[i:i + size])
            if len(tokens[i:i + size]) == size and len(chunk) > 3 and (code := country_code(chunk)):
                i += size
                break
        else:
            code = next((c for stem, c in ARTICLE_COUNTRY_ADJECTIVES.items() if tokens[i].startswith(stem)), None)
            i += 1
        if code and code not in found:
            found.append(code)
    return found


def _first(node: _Node, tag: str) -> _Node | None:
    for child in node.children:
        if isinstance(child, _Node):
            if child.tag == tag:
                return child
            if (found := _first(child, tag)) is not None:
                return found
    return None


def _title(root: _Node) -> tuple[str, int] | None:
    """A list article's title and line: its <h1> (wherever the skin puts it), else its <title>, says so."""
    for tag in ("h1", "title"):
        node = _first(root, tag)
        if node is not None and is_list_article_title(title := _text(node)):
            return title, node.line
    return None


def article_title(text: str) -> str | None:
    """The page's title if it is a list article's: what a reader is picked by (the first 64 KiB
    of a saved article may hold its menus and styles before any of its towns)."""
    found = _title(_parse(text))
    return found[0] if found else None


def _article(root: _Node) -> Article | None:
    found = _title(root)
    if found is None:
        return None
    title, line = found
    countries = title_countries(title)
    table = Table(1, line, "", title, [(line, list(ARTICLE_HEADER))], what="list article")
    walk = _ArticleWalk(table, countries)
    walk.walk(root)
    # a title such as "Liste der Städtepartnerschaften von Karlsruhe" over one town's list: no home
    # town has partners, and the page is what it was (a town's list under its heading)
    return Article(title, line, countries, table, walk.refusals) if len(table.rows) > 1 else None


def not_a_town(heading: str) -> str | None:
    """Why a heading of a list article is no home town, or None if it may be one: a twinning
    heading ("Twin towns – sister cities", "Former twin towns"), a section title ("History",
    "Geschichte"), a date ("1950s", "Since 1990"), or a sentence (more than _HEADING_WORDS words
    and no "(Bouches-du-Rhône)" hint: "Towns that signed a charter of friendship after the war")."""
    letters = sum(ch.isalpha() for ch in heading)
    if list_kind(heading) is not None:
        return "a twinning heading"
    if is_section_title(heading):
        return "a section title"
    if not letters or sum(ch.isdigit() for ch in heading) >= letters or is_period(heading):
        return "a date"
    if len(heading.split()) > _HEADING_WORDS and "(" not in heading:
        return "a sentence"
    return None


class _ArticleWalk:
    """The walk of a list article: the home town each list or paragraph of partners is under."""

    def __init__(self, table: Table, countries: list[str]) -> None:
        self.table = table
        self.home_country = countries[0] if 1 <= len(countries) <= 2 else ""
        self.partner_country = countries[1] if len(countries) == 2 else ""
        self.heading = ""  # the last sub-heading: a home town if partners follow it before the next heading
        self.level = 0  # its level: a twinning heading or a date below it groups its partners
        self.subject = ""  # the town a line since that heading names ("Lyon is twinned with:")
        self.kind = "twinning"
        self.status = ""  # "ended" under "Former twin towns" below a town
        self.group_country = ""  # "Germany" below "Lyon": the country of the partners under it
        self.over = False  # past "See also", "References": links and sources, not partners
        # the last heading when it is no town ("History"): (its line, its text, why); its lists are not read
        self.refused: tuple[int, str, str] | None = None
        self.refusals: list[tuple[int, str]] = []  # (line, message) for Article.headings

    def walk(self, node: _Node) -> None:
        for child in node.children:
            if self.over:
                return
            if isinstance(child, str) or _outside(child):
                continue
            if child.tag in _HEADINGS:
                self.at_heading(int(child.tag[1]), _text(child), child.line)
            elif child.tag in _LISTS:
                self.partners(child)
            elif child.tag in {"p", "dt"}:
                self.line(child)
            else:
                self.walk(child)

    def at_heading(self, level: int, text: str, line: int) -> None:
        self.over = is_back_matter(text)
        self.refused = None
        why = not_a_town(text) if level > 1 and not self.over else None
        if why is not None and self.heading and level > self.level and why in {"a twinning heading", "a date"}:
            # "Former twin towns", "Partner cities", "Since 1990" below "Lyon": Lyon's partners, grouped;
            # the heading says their kind, and whether they are over (their end is not said: none is given)
            self.kind = list_kind(text) or "twinning"
            self.status = "ended" if is_former(text) else ""
            self.group_country = ""  # a grouping of its own: a country heading before it is over
            return
        if self.heading and level > self.level and (country_code(text) or is_continent(text)):
            # "Germany" (or "Europe") below "Lyon": Lyon's partners, grouped by where they are
            self.group_country = text.strip() if country_code(text) else ""
            return
        self.subject, self.kind, self.status, self.group_country = "", "twinning", "", ""
        if why is not None:  # "History", "Twin towns – sister cities" over no town: never a place
            self.heading, self.level, self.refused = "", 0, (line, text, why)
            return
        # "A", "B": a letter groups towns, "France" or "Europe" partners; the title (h1) is no town
        town = level > 1 and len(text.strip(" .")) > 1 and not (country_code(text) or is_continent(text))
        self.heading, self.level = (text, level) if town else ("", 0)

    def _home(self) -> str:
        home = self.subject or self.heading.strip(" :")
        return drop_subdivision_hint(home, self.home_country or None) if home else ""

    def line(self, node: _Node) -> None:
        """A line between a heading and its list ("Lyon is twinned with:", "Partner cities:"), or one
        that is a town's partners ("Aix-en-Provence – Ashkelon, Bath, Coimbra")."""
        text = _text(node)
        subject = twinned_subject(text)
        if subject is not None and len(subject.split()) <= _ITEM_WORDS:  # not a sentence of the lead
            self.subject = subject
            rest = text.split(":", 1)[1].strip() if ":" in text else ""
            if rest:  # "Arad is twinned with: Gyula, Ludwigsburg"
                self.paragraph(self._home(), rest, node.line)
            return
        if len(text) <= _INTRO_CHARS and (found := list_kind(text)) is not None:
            self.kind = found
            return
        if (m := _HOME_PARTNERS.match(text)) is not None and len(m.group("home").split()) <= _ITEM_WORDS \
                and not country_code(m.group("home")):
            self.paragraph(drop_subdivision_hint(clean(m.group("home")), self.home_country or None),
                           m.group("partners"), node.line, quiet=True)

    def paragraph(self, home: str, text: str, line: int, quiet: bool = False) -> None:
        """A town's partners in one line: "Ashkelon, Bath (Royaume-Uni), Perugia, Italy (1970)".
        A piece naming only a country is the piece before's ("Bath, England"). With ``quiet`` (the
        line does not say its town is twinned), a line with a piece that is no partner, or a name
        without a capital, is prose ("Notă – lista nu este completă"): not read, nor warned about."""
        rows, notes = [], []
        for piece in partner_pieces(text):
            cells, why = item_cells(piece, [], self.group_country or self.partner_country, self.kind)
            if cells is None:
                notes.append((line, why or "not read"))
            else:
                rows.append((line, [home, self.home_country, *cells, self.status]))
        names = [home, *(cells[2] for _, cells in rows)]
        if quiet and (notes or not rows or not all(n[:1].isupper() for n in names)):
            return  # prose with a dash ("Notă – lista nu este completă"): towns' names start with a capital
        self.table.rows.extend(rows)
        self.table.notes.extend(notes)

    def partners(self, node: _Node) -> None:
        home = self._home()
        if not home and self.refused is not None:
            # a list right under "History" or "Twin towns – sister cities": whose partners, the page does not say
            line, text, why = self.refused
            count = sum(1 for child in node.children if isinstance(child, _Node) and child.tag in {"li", "dd"})
            self.refusals.append((line, f"heading {text!r} is {why}, not a town, and no line names the town whose "
                                  f"partners the list under it (line {node.line}) are: its {count} items are not "
                                  "read; name the town in a line above the list in the saved page ('Lyon is twinned "
                                  "with:'), or save the list as CSV and read it with a mapping naming its town "
                                  "(docs/readers.md, sections 2c and 3)"))
            return
        if not home:
            # no town above: a list of "Aix-en-Provence – Ashkelon, Bath" lines, or no partners at all
            for child in node.children:
                if isinstance(child, _Node) and child.tag in {"li", "dd"} and not _outside(child):
                    self.line(child)
            return
        found = Table(0, node.line, "", "", [], what="list")
        _Lists().items(node, self.group_country or self.partner_country, self.kind, found)
        for line, cells in found.rows:
            self.table.rows.append((line, [home, self.home_country, *cells, self.status]))
        self.table.notes.extend(found.notes)


def partner_pieces(text: str) -> list[str]:
    """The partners one line names: "Ashkelon, Bath, England, Perugia, Italy (1970)" -> "Ashkelon",
    "Bath, England", "Perugia, Italy (1970)": a piece naming only a country is the piece before's."""
    pieces: list[tuple[str, str | None]] = []  # (text, the country it states)
    for piece in _split_partners(text):
        code = country_code(re.sub(r"\s*\([^()]*\)$", "", piece))  # "Italy (1970)" after "Perugia"
        if code and pieces:
            before, stated = pieces[-1]
            if stated != code:
                pieces[-1] = (f"{before}, {piece}", code)
            continue
        pieces.append((piece, split_stated_country(piece)[1]))
    return [piece for piece, _ in pieces]


def _split_partners(text: str) -> list[str]:
    """"Ashkelon, Bath (Royaume-Uni) et Sulmona (Italia, din 1996)" -> its pieces: cut at commas,
    semicolons and "and"/"et"/"und"/"și" outside parentheses."""
    pieces, start = [], 0
    for m in _PIECES.finditer(text):
        if text[:m.start()].count("(") <= text[:m.start()].count(")"):
            pieces.append(text[start:m.start()])
            start = m.end()
    pieces.append(text[start:])
    return [piece for p in pieces if (piece := clean(p).strip(" ."))]
