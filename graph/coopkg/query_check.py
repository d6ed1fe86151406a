"""What a SPARQL query would do beyond reading the local graph, found by parsing it.

A text search for ``SERVICE`` was bypassed: an escape such as ``ex:p\\'`` before the
clause hid it from the masking of strings, and ``\\u0053ERVICE`` is SERVICE to a SPARQL
parser (escapes are decoded before parsing) but not to a regular expression. So the
query is parsed with rdflib's SPARQL parser and translated to its algebra, and the
algebra is searched: what the engines evaluate is what is checked, on both engines
(Oxigraph's parser exposes no algebra to Python). A query rdflib cannot parse cannot be
checked, and is refused for a local run with the parser's message.

Parsing costs a command 0.2-0.6 s (importing rdflib's SPARQL grammar, then the parse), more
than the rest of a canned query at 12,000 partnerships; so `could_name` first asks the text
whether the keyword can be there at all. A query without a backslash has no escape, so the
parser reads its characters as they are, and a keyword is its letters in a row, in any case:
when neither the upper- nor the case-folded text holds them, no reading of the query has the
clause, and nothing needs parsing. Any backslash, or the letters anywhere (a comment, a
string, a variable), and the query is parsed as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any


class UncheckableQuery(ValueError):
    """The query could not be parsed, so what it would do is unknown."""


@dataclass(frozen=True)
class QueryReach:
    """What a query reaches beyond the default graph it runs on."""

    services: tuple[str, ...]  # SERVICE endpoints (IRIs, or ?var for a variable one)
    datasets: tuple[str, ...]  # FROM / FROM NAMED graph IRIs


def could_name(text: str, keyword: str) -> bool:
    """Whether ``keyword`` (SERVICE, FROM) can be a keyword of the query; False only when it
    cannot be (no backslash, and its letters nowhere in the text, in any case)."""
    return "\\" in text or keyword.upper() in text.upper() or keyword.casefold() in text.casefold()


@lru_cache(maxsize=256)
def reach(text: str) -> QueryReach:
    """The SERVICE endpoints and FROM / FROM NAMED graphs of a query or update."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        tree: Any = parseQuery(text)
        translate: Any = translateQuery
    except ParseBaseException as query_error:
        try:
            tree, translate = parseUpdate(text), translateUpdate
        except ParseBaseException:
            raise UncheckableQuery(f"not valid SPARQL: {query_error}") from None
    try:
        algebra: Any = translate(tree)
    except Exception:  # noqa: BLE001 - rdflib raises plain Exception for an unknown prefix and the like
        algebra = tree  # the parse tree holds every SERVICE and FROM too (the engine will refuse the rest)
    services: list[str] = []
    datasets: list[str] = []
    _walk(algebra, services, datasets, set())
    return QueryReach(tuple(services), tuple(datasets))


def _walk(node: object, services: list[str], datasets: list[str], seen: set[int]) -> None:
    from rdflib.plugins.sparql.parserutils import CompValue

    if id(node) in seen:
        return
    seen.add(id(node))
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.sparql import Query, Update

    children: Any
    if isinstance(node, CompValue):  # dict.get: CompValue.get resolves values, it does not look up
        if node.name == "ServiceGraphPattern":
            services.append(str(dict.get(node, "term")))
        elif node.name == "DatasetClause":
            datasets.append(str(dict.get(node, "default") or dict.get(node, "named")))
        children = list(dict.values(node))
    elif isinstance(node, ParseResults):  # before the attribute test: it answers every attribute
        children = list(node)
    elif isinstance(node, Query | Update):
        children = [node.algebra]
    elif isinstance(node, dict):
        children = list(node.values())
    elif isinstance(node, list | tuple | set | frozenset):
        children = list(node)
    else:
        return
    for child in children:
        _walk(child, services, datasets, seen)
