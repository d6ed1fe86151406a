"""RDF terms as Turtle text: what the emitter produces, the writer sorts and Oxigraph parses.

Making an rdflib term costs microseconds (a URIRef is validated, a Literal cast to a
Python value); at atlas scale that was most of a build. The emitter instead writes each
term once as the text it has in graph.ttl: a prefixed name (``coop:party``), an
``<IRI>``, a literal with its language or datatype (``"2004"^^xsd:gYear``), a bare
integer or boolean. The Turtle writer then only sorts strings, Oxigraph parses the same
text, and rdflib terms are made from it only for callers that want them (`to_rdflib`).

The text of a term is a function of the term and the prefixes, so equal terms have equal
text and the text order is the order of graph.ttl.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from coopkg.vocab import PREFIXES

TextTriple = tuple[str, str, str]

_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_UNESCAPES = {"\\\\": "\\", '\\"': '"', "\\n": "\n", "\\r": "\r", "\\t": "\t"}
_ESCAPED = re.compile(r'\\[\\"nrt]')
_INTEGER = re.compile(r"^[+-]?\d+$")
_IRI_UNSAFE = re.compile(r'[<>"{}|^`\\ ]')
_IRI_ESCAPED = re.compile(r"\\u([0-9A-F]{4})")
_XSD_STRING = str(XSD.string)
_XSD_INTEGER = str(XSD.integer)
_XSD_BOOLEAN = str(XSD.boolean)


class TermText:
    """Writes terms as Turtle text under one set of prefixes, and reads them back."""

    def __init__(self, prefixes: dict[str, str] | None = None) -> None:
        self.prefixes = dict(sorted((prefixes or PREFIXES).items()))
        # Longest namespace first, so "…/vocab/theme/" wins over "…/vocab/".
        self._by_ns = sorted(self.prefixes.items(), key=lambda kv: -len(kv[1]))
        self._iris: dict[str, str] = {}
        self._nodes: dict[str, Node] = {}

    # -- writing -------------------------------------------------------------------
    def iri(self, iri: str) -> str:
        """``coop:party`` or ``<https://…>`` (unsafe characters as \\uXXXX)."""
        text = self._iris.get(iri)
        if text is None:
            text = self._iris[iri] = self._iri(iri)
        return text

    def _iri(self, iri: str) -> str:
        for prefix, ns in self._by_ns:
            if iri.startswith(ns):
                local = iri[len(ns):]
                if _LOCAL.match(local):
                    return f"{prefix}:{local}"
        if _IRI_UNSAFE.search(iri) is None:
            return f"<{iri}>"
        escaped = "".join(c if c not in '<>"{}|^`\\ ' else f"\\u{ord(c):04X}" for c in iri)
        return f"<{escaped}>"

    def literal(self, lexical: str, lang: str | None = None, datatype: str | None = None) -> str:
        """A literal's text; integers and booleans with a canonical-looking form stay bare."""
        if datatype == _XSD_INTEGER and _INTEGER.match(lexical):
            return lexical
        if datatype == _XSD_BOOLEAN and lexical in ("true", "false"):
            return lexical
        text = '"' + lexical.translate(_ESCAPES) + '"'
        if lang:
            return text + "@" + lang
        if datatype and datatype != _XSD_STRING:
            return text + "^^" + self.iri(datatype)
        return text

    def of(self, node: Node) -> str:
        """The text of an rdflib term."""
        if isinstance(node, URIRef):
            return self.iri(str(node))
        if isinstance(node, Literal):
            return self.literal(str(node), node.language, str(node.datatype) if node.datatype else None)
        if isinstance(node, BNode):
            return f"_:{node}"
        raise TypeError(f"not an RDF term: {node!r}")

    def triples_of(self, triples: Iterable[tuple[Node, Node, Node]]) -> list[TextTriple]:
        of = self.of
        return [(of(s), of(p), of(o)) for s, p, o in triples]

    # -- reading -------------------------------------------------------------------
    def to_rdflib(self, text: str) -> Node:
        """The rdflib term written as ``text`` (the inverse of `of`)."""
        node = self._nodes.get(text)
        if node is None:
            node = self._nodes[text] = self._parse(text)
        return node

    def _parse(self, text: str) -> Node:
        first = text[0]
        if first == "<":
            return URIRef(_IRI_ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text[1:-1]))
        if first == '"':
            end = text.rindex('"')
            lexical = _ESCAPED.sub(lambda m: _UNESCAPES[m.group(0)], text[1:end])
            suffix = text[end + 1:]
            if suffix.startswith("@"):
                return Literal(lexical, lang=suffix[1:])
            if suffix.startswith("^^"):
                return Literal(lexical, datatype=self.to_rdflib(suffix[2:]))
            return Literal(lexical)
        if first.isdigit() or first in "+-":
            return Literal(text, datatype=XSD.integer)
        if text in ("true", "false"):
            return Literal(text, datatype=XSD.boolean)
        if text.startswith("_:"):
            return BNode(text[2:])
        prefix, _, local = text.partition(":")
        return URIRef(self.prefixes[prefix] + local)

    def triple_to_rdflib(self, triple: TextTriple) -> tuple[Node, Node, Node]:
        node = self.to_rdflib
        return node(triple[0]), node(triple[1]), node(triple[2])

    def turtle_document(self, triples: Iterable[TextTriple]) -> bytes:
        """The triples as a Turtle document, one per line: what Oxigraph loads in a blink."""
        head = "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in self.prefixes.items())
        body = "".join([f"{s} {p} {o} .\n" for s, p, o in triples])
        return (head + body).encode("utf-8")


#: The terms of graph.ttl: the project's prefixes.
GRAPH_TERMS = TermText(PREFIXES)
