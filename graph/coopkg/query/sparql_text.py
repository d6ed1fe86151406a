"""SPARQL as text: comments and strings masked, the query form, SERVICE, the WHERE group, terms
serialised and escaped, a VALUES block of bindings, a total ORDER BY for paging.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from coopkg.query.catalogue import _IRI, _LANG, _VARIABLE, QueryError

if TYPE_CHECKING:
    from rdflib.term import Node

    from coopkg.store import Cell

# -- masking: where the query text is code, not a string, IRI or comment ---------------
_MASKED = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|#[^\n]*",
)


def mask(text: str) -> str:
    """The query with strings, IRIs and comments blanked out (same length, same offsets)."""
    return _MASKED.sub(lambda m: " " * len(m.group(0)), text)


def strip_comments(text: str) -> str:
    """The query without its comments (strings and IRIs untouched)."""
    return _MASKED.sub(lambda m: "" if m.group(0).startswith("#") else m.group(0), text)


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the query's first form keyword outside strings and comments."""
    match = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", mask(text), re.IGNORECASE)
    return match.group(1).upper() if match else "UNKNOWN"


def uses_service(text: str) -> bool:
    """Whether the query has a SERVICE clause, found in its parsed algebra (`coopkg.query_check`);
    QueryError when it cannot be parsed, so cannot be checked. A text that cannot hold the
    keyword is not parsed (`coopkg.query_check.could_name`)."""
    from coopkg.query_check import UncheckableQuery, could_name, reach

    if not could_name(text, "SERVICE"):
        return False
    try:
        return bool(reach(text).services)
    except UncheckableQuery as err:
        raise QueryError(f"the query cannot be checked for SERVICE clauses: {err}") from None


def where_brace(text: str) -> int:
    """The offset of the ``{`` that opens the query's top-level WHERE group."""
    code = mask(text)
    match = re.search(r"\bWHERE\s*\{", code, re.IGNORECASE)
    if match:
        return match.end() - 1
    brace = code.find("{")
    if brace < 0:
        raise QueryError("the query has no WHERE group")
    return brace


# -- terms -------------------------------------------------------------------------
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
# the same escapes as a table for str.translate (C), not a Python call per character
_ESCAPE_TABLE = str.maketrans(_ESCAPES)


def term_text(term: Node | Cell) -> str:
    """An RDF term (rdflib's, or a `coopkg.store.Cell`) in SPARQL/N-Triples syntax, escaped so it
    reads back as the same term."""
    from coopkg.store import Cell  # here: pyoxigraph, which coopkg.store imports, is no cost of `coopkg queries`

    if type(term) is Cell:
        return cell_text(term)  # type: ignore[arg-type]
    # anything else is an rdflib term or no term: rdflib is loaded already when it is one
    from rdflib import BNode, Literal, URIRef

    if not isinstance(term, URIRef | Literal | BNode):
        raise QueryError(f"not an RDF term: {term!r}")
    return cell_text(Cell.of(term))


def cell_text(cell: Cell) -> str:
    """`term_text` of an answer's cell (`coopkg.store.Cell`): the one serialiser of both."""
    if cell.kind == "uri":
        return _iri_text(cell.text)
    if cell.kind == "literal":
        body = '"' + cell.text.translate(_ESCAPE_TABLE) + '"'
        if cell.lang:
            if not _LANG.match(cell.lang):
                raise QueryError(f"not a valid language tag: {cell.lang!r}")
            return f"{body}@{cell.lang}"
        if cell.datatype:
            return f"{body}^^{_iri_text(cell.datatype)}"
        return body
    from coopkg.iris import slugify  # here: coopkg.iris imports rdflib, for minting IRIs

    return f"_:{slugify(cell.text).replace('-', '_')}"


def _iri_text(iri: str) -> str:
    if not _IRI.match(iri):
        raise QueryError(f"not a valid IRI: {iri!r}")
    return f"<{iri}>"


def with_values(text: str, bindings: dict[str, Node | Cell]) -> str:
    """The query with a VALUES block of the bound terms at the top of its WHERE group.

    Used for remote endpoints, which take no bindings beside the text: the terms are
    serialised (`term_text`), so a value can never close a brace or a string.
    """
    if not bindings:
        return text
    names = sorted(bindings)
    for name in names:
        if not _VARIABLE.match(name):
            raise QueryError(f"not a SPARQL variable name: {name!r}")
    block = "VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(term_text(bindings[n]) for n in names) + ") }"
    at = where_brace(text) + 1
    return f"{text[:at]}\n  {block}\n{text[at:]}"


def split_prologue(text: str) -> tuple[str, str]:
    """The PREFIX/BASE declarations and the rest, for wrapping a query in a sub-query."""
    match = re.search(r"\b(SELECT|ASK)\b", mask(text), re.IGNORECASE)
    if not match:
        raise QueryError("the query has no SELECT")
    return text[: match.start()], text[match.start():]


def total_order(text: str, names: list[str]) -> str:
    """The query with a top-level ORDER BY that orders its rows totally (every projected
    variable added after its own keys), so pages of LIMIT/OFFSET neither repeat nor miss a row."""
    code = mask(text)
    depth, end = 0, -1
    for i, ch in enumerate(code):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                end = i
    if end < 0:
        raise QueryError("no WHERE group")
    tail = code[end + 1:]
    if re.search(r"\b(LIMIT|OFFSET)\b", tail, re.IGNORECASE):
        raise QueryError("it has its own LIMIT or OFFSET")
    if re.search(r"\bVALUES\b", tail, re.IGNORECASE):
        raise QueryError("it ends with a VALUES block")
    keys = " ".join(f"?{n}" for n in names)
    if re.search(r"\bORDER\s+BY\b", tail, re.IGNORECASE):
        return f"{text.rstrip()} {keys}"
    return f"{text.rstrip()}\nORDER BY {keys}"


GEOF = "http://www.opengis.net/def/function/geosparql/"


def without_geosparql(text: str) -> tuple[str, list[str]]:
    """The query with every ``BIND (... AS ?v)`` that calls a GeoSPARQL function (geof:) taken
    out, and those variables: what a SPARQL 1.1 engine without the functions answers (the
    calls are errors, the variables unbound), for a store that refuses the whole query instead."""
    code = mask(text)
    prefixes = re.findall(r"PREFIX\s+([\w.-]*):\s*<" + re.escape(GEOF) + ">", text, re.IGNORECASE)
    prefixed = re.compile("|".join(rf"(?<![\w.:-]){re.escape(p)}:\w" for p in prefixes)) if prefixes else None
    cuts: list[tuple[int, int]] = []
    columns: list[str] = []
    for bind in re.finditer(r"\bBIND\s*\(", code, re.IGNORECASE):
        depth, i = 1, bind.end()
        while depth and i < len(code):
            depth += {"(": 1, ")": -1}.get(code[i], 0)
            i += 1
        inside = code[bind.end():i - 1]
        target = re.search(r"\bAS\s+[?$](\w+)\s*$", inside, re.IGNORECASE)
        # prefixed names are code (not in a string); a full IRI is masked, so looked for in the text
        if target and ((prefixed and prefixed.search(inside)) or "<" + GEOF in text[bind.end():i - 1]):
            cuts.append((bind.start(), i))
            columns.append(target.group(1))
    for start, end in reversed(cuts):
        text = text[:start] + text[end:]
    return text, columns
