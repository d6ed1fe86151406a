"""The outcomes as a standard sh:ValidationReport graph."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from coopkg.shacl_sparql.base import Outcome
from coopkg.shacl_sparql.paths import _PATH_KEYS
from coopkg.vocab import SH


def _copy_path(shapes: Graph, node: Node, report: Graph) -> None:
    """Copy a blank-node path structure (lists, sh:inversePath...) into the report."""
    if not isinstance(node, BNode):
        return
    # the path as the engine read it (`PathsMixin.path`): a list first, else its one key
    if (node, RDF.first, None) in shapes:
        keys: tuple[Node, ...] = (RDF.first, RDF.rest)
    else:
        keys = next(((k,) for k in _PATH_KEYS if (node, k, None) in shapes), ())
    for p in keys:
        for o in shapes.objects(node, p):
            report.add((node, p, o))
            _copy_path(shapes, o, report)


def report_graph(outcomes: Iterable[Outcome], shapes: Graph) -> Graph:
    """The standard sh:ValidationReport graph for the outcomes."""
    report = Graph()
    report.bind("sh", str(SH))
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    unique: dict[tuple, Outcome] = {}
    for o in outcomes:
        key = (o.focus, o.shape, o.component, o.severity, o.path, o.value, o.constraint, o.detail)
        unique.setdefault(key, o)
    for o in sorted(unique.values(), key=lambda o: (str(o.focus), str(o.shape), str(o.component), str(o.value))):
        result = BNode()
        report.add((root, SH.result, result))
        report.add((result, RDF.type, SH.ValidationResult))
        report.add((result, SH.focusNode, o.focus))
        report.add((result, SH.resultSeverity, o.severity))
        report.add((result, SH.sourceShape, o.shape))
        report.add((result, SH.sourceConstraintComponent, o.component))
        if o.path is not None:
            report.add((result, SH.resultPath, o.path))
            _copy_path(shapes, o.path, report)
        if o.value is not None:
            report.add((result, SH.value, o.value))
        if o.constraint is not None:
            report.add((result, SH.sourceConstraint, o.constraint))
        for message in o.messages or [Literal(_default_message(o))]:
            report.add((result, SH.resultMessage, message))
    report.add((root, SH.conforms, Literal(not unique)))
    return report


def _default_message(o: Outcome) -> str:
    name = str(o.component).rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
    where = f" on {o.path}" if isinstance(o.path, URIRef) else ""
    return f"{name} constraint not satisfied{where}" + (f": {o.value}" if o.value is not None else "")
