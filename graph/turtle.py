"""A deterministic Turtle writer that works on plain triples, not on a store.

Why not rdflib's serializer: it needs the triples in its memory store first and takes
~24 s for an atlas-scale graph; this writer sorts the triples once and streams them,
so the same records always give byte-identical Turtle, quickly, whatever store (if
any) holds them. The output is plain Turtle 1.1 that any RDF tool reads.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable
from typing import IO

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from coopkg.vocab import PREFIXES

_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_INTEGER = re.compile(r"^[+-]?\d+$")
_IRI_UNSAFE = re.compile(r'[<>"{}|^`\\ ]')


class TurtleWriter:
    def __init__(self, prefixes: dict[str, str] | None = None) -> None:
        self.prefixes = dict(sorted((prefixes or PREFIXES).items()))
        # Longest namespace first, so "…/vocab/theme/" wins over "…/vocab/".
        self._by_ns = sorted(self.prefixes.items(), key=lambda kv: -len(kv[1]))
        self._cache: dict[Node, str] = {}

    def iri(self, iri: str) -> str:
        for prefix, ns in self._by_ns:
            if iri.startswith(ns):
                local = iri[len(ns):]
                if _LOCAL.match(local):
                    return f"{prefix}:{local}"
        if _IRI_UNSAFE.search(iri) is None:
            return f"<{iri}>"
        escaped = "".join(c if c not in '<>"{}|^`\\ ' else f"\\u{ord(c):04X}" for c in iri)
        return f"<{escaped}>"

    def term(self, node: Node) -> str:
        text = self._cache.get(node)
        if text is not None:
            return text
        if isinstance(node, URIRef):
            text = self.iri(str(node))
        elif isinstance(node, BNode):
            text = f"_:{node}"
        elif isinstance(node, Literal):
            lexical = str(node)
            if node.datatype == XSD.integer and _INTEGER.match(lexical):
                text = lexical
            elif node.datatype == XSD.boolean and lexical in ("true", "false"):
                text = lexical
            else:
                text = '"' + lexical.translate(_ESCAPES) + '"'
                if node.language:
                    text += "@" + node.language
                elif node.datatype and node.datatype != XSD.string:
                    text += "^^" + self.iri(str(node.datatype))
        else:  # pragma: no cover - only URIRef, BNode and Literal exist in triples
            raise TypeError(f"not an RDF term: {node!r}")
        self._cache[node] = text
        return text

    def write(self, triples: Iterable[tuple[Node, Node, Node]], out: IO[str]) -> int:
        """Write the distinct triples, sorted; return how many were written."""
        # Terms are cached by object identity (the emitter hands out the same objects
        # again and again, and rdflib's own __hash__ is slow); the node is kept in the
        # cache so its id cannot be reused. "a" sorts first as "\x00" (see _order).
        nodes: dict[int, tuple[Node, str]] = {}
        predicates: dict[int, tuple[Node, str]] = {}
        term = self.term
        rdf_type = RDF.type

        def node_text(node: Node) -> str:
            hit = nodes.get(id(node))
            if hit is None:
                hit = nodes[id(node)] = (node, term(node))
            return hit[1]

        def predicate_text(node: Node) -> str:
            hit = predicates.get(id(node))
            if hit is None:
                hit = predicates[id(node)] = (node, "\x00" if node == rdf_type else term(node))
            return hit[1]

        # Millions of small tuples make the cyclic GC rescan the heap over and over.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            rows = sorted({(node_text(s), predicate_text(p), node_text(o)) for s, p, o in triples})
        finally:
            if gc_was_enabled:
                gc.enable()
        for prefix, ns in self.prefixes.items():
            out.write(f"@prefix {prefix}: <{ns}> .\n")
        subject = predicate = None
        for s, p, o in rows:
            if p == "\x00":
                p = "a"
            if s != subject:
                if subject is not None:
                    out.write(" .\n")
                out.write(f"\n{s}\n    {p} {o}")
                subject, predicate = s, p
            elif p != predicate:
                out.write(f" ;\n    {p} {o}")
                predicate = p
            else:
                out.write(f" ,\n        {o}")
        if subject is not None:
            out.write(" .\n")
        return len(rows)


def _order(row: tuple[str, str, str]) -> tuple[str, int, str, str]:
    s, p, o = row
    return (s, 0 if p == "a" else 1, p, o)


def write_turtle(triples: Iterable[tuple[Node, Node, Node]], out: IO[str],
                 prefixes: dict[str, str] | None = None) -> int:
    return TurtleWriter(prefixes).write(triples, out)
