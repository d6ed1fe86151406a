"""SHACL property paths as SPARQL property paths."""

from __future__ import annotations

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from coopkg.shacl_sparql.base import CompilerBase, UnsupportedShape
from coopkg.vocab import SH

_PATH_KEYS = (SH.alternativePath, SH.inversePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath)


class PathsMixin(CompilerBase):
    def path(self, node: Node) -> str:
        """A SHACL property path as a SPARQL property path."""
        if isinstance(node, URIRef):
            return f"<{node}>"
        if (node, RDF.first, None) in self.shapes:
            return "(" + "/".join(self.path(p) for p in self.items(node)) + ")"
        alt = self.one(node, SH.alternativePath)
        if alt is not None:
            return "(" + "|".join(self.path(p) for p in self.items(alt)) + ")"
        for prop, op in ((SH.inversePath, "^"), (SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"),
                         (SH.zeroOrOnePath, "?")):
            inner = self.one(node, prop)
            if inner is not None:
                return f"^{self.path(inner)}" if op == "^" else f"({self.path(inner)}){op}"
        raise UnsupportedShape(f"unknown property path {node!r}")


def _direct(path: Node | None, shapes: Graph) -> bool:
    """Whether a SHACL path is one predicate or its inverse: its triples are one index scan."""
    if isinstance(path, URIRef):
        return True
    inverse = shapes.value(path, SH.inversePath) if isinstance(path, BNode) else None
    return isinstance(inverse, URIRef) and len(list(shapes.predicate_objects(path))) == 1

