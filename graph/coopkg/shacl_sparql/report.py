"""The outcomes as a standard sh:ValidationReport: an rdflib graph, or Turtle written as it goes.

`write_report` writes the same bytes as `coopkg.validate.canonical_report` of `report_graph`
(blank nodes renamed in a stable order, then the deterministic Turtle writer) without
making the graph: at 120,000 synthetic partnerships the report graph held 3.9 million
triples and 7 GB in rdflib. Each result's triples are made when its block is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from coopkg.shacl_sparql.base import Outcome
from coopkg.shacl_sparql.paths import _PATH_KEYS
from coopkg.terms import TermText
from coopkg.turtle import header, write_blocks
from coopkg.vocab import COOP, DEFAULT_BASE, PREFIXES, SH

SHAPES_NS = "https://w3id.org/coopkg/shapes#"
REPORT_PREFIXES = {**PREFIXES, "sh": str(SH), "coopsh": SHAPES_NS}
# A grouped result (`coopkg.shacl_sparql.grouping`): the other focus nodes it stands for, and how many in all.
ALSO_FOCUS = COOP.alsoFocusNode
FOCUS_COUNT = COOP.focusNodeCount


def curie(iri: str) -> str:
    """``sh:Violation``, ``partnership/x`` (under coopkg's base) or ``<iri>``."""
    best = ("", "")
    for prefix, ns in REPORT_PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(best[1]):
            best = (prefix, ns)
    if best[1]:
        return f"{best[0]}:{iri[len(best[1]):]}"
    return iri[len(DEFAULT_BASE):] if iri.startswith(DEFAULT_BASE) else f"<{iri}>"


def show(node: Node | None) -> str:
    """A term for people (and the report's sort keys)."""
    if node is None:
        return ""
    if isinstance(node, Literal):
        text = str(node)
        if node.language:
            return f'"{text}"@{node.language}'
        if node.datatype:
            return f'"{text}"^^{curie(str(node.datatype))}'
        return f'"{text}"'
    if isinstance(node, URIRef):
        return curie(str(node))
    return f"_:{node}"


def path_triples(shapes: Graph, node: Node, into: dict[Node, list[tuple[Node, Node]]]) -> None:
    """The blank-node structure of a path (lists, sh:inversePath...), subject -> (p, o) pairs."""
    if not isinstance(node, BNode) or node in into:
        return
    # the path as the engine read it (`PathsMixin.path`): a list first, else its one key
    if (node, RDF.first, None) in shapes:
        keys: tuple[Node, ...] = (RDF.first, RDF.rest)
    else:
        keys = next(((k,) for k in _PATH_KEYS if (node, k, None) in shapes), ())
    into[node] = pairs = []
    for p in keys:
        for o in shapes.objects(node, p):
            pairs.append((p, o))
            path_triples(shapes, o, into)


def unique_outcomes(outcomes: Iterable[Outcome]) -> list[Outcome]:
    """One outcome per distinct result, in the order the report lists them."""
    unique: dict[tuple, Outcome] = {}
    for o in outcomes:
        key = (o.focus, o.shape, o.component, o.severity, o.path, o.value, o.constraint, o.detail, o.others)
        unique.setdefault(key, o)
    return sorted(unique.values(), key=lambda o: (str(o.focus), str(o.shape), str(o.component), str(o.value)))


def result_pairs(o: Outcome) -> list[tuple[Node, Node]]:
    """The (predicate, object) pairs of one result's node."""
    pairs: list[tuple[Node, Node]] = [(RDF.type, SH.ValidationResult), (SH.focusNode, o.focus),
                                      (SH.resultSeverity, o.severity), (SH.sourceShape, o.shape),
                                      (SH.sourceConstraintComponent, o.component)]
    if o.path is not None:
        pairs.append((SH.resultPath, o.path))
    if o.value is not None:
        pairs.append((SH.value, o.value))
    if o.constraint is not None:
        pairs.append((SH.sourceConstraint, o.constraint))
    for message in o.messages or [Literal(_default_message(o))]:
        pairs.append((SH.resultMessage, message))
    if o.others:
        pairs.extend((ALSO_FOCUS, other) for other in o.others)
        pairs.append((FOCUS_COUNT, Literal(len(o.others) + 1, datatype=XSD.integer)))
    return pairs


def report_graph(outcomes: Iterable[Outcome], shapes: Graph) -> Graph:
    """The standard sh:ValidationReport graph for the outcomes."""
    report = Graph()
    report.bind("sh", str(SH))
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    unique = unique_outcomes(outcomes)
    paths: dict[Node, list[tuple[Node, Node]]] = {}
    for o in unique:
        result = BNode()
        report.add((root, SH.result, result))
        for p, obj in result_pairs(o):
            report.add((result, p, obj))
        if o.path is not None:
            path_triples(shapes, o.path, paths)
    for s, pairs in paths.items():
        for p, obj in pairs:
            report.add((s, p, obj))
    report.add((root, SH.conforms, Literal(not unique)))
    return report


_KEY = (SH.focusNode, SH.sourceShape, SH.sourceConstraint, SH.resultPath, SH.value, SH.sourceConstraintComponent,
        SH.resultSeverity)


def _key(pairs: list[tuple[Node, Node]]) -> tuple[str, ...]:
    first: dict[Node, Node] = {}
    for p, o in pairs:
        first.setdefault(p, o)
    return tuple(show(first.get(p)) for p in _KEY)


def write_report(outcomes: Iterable[Outcome], shapes: Graph, out: IO[str], batch: int = 2000) -> int:
    """Write the sh:ValidationReport of ``outcomes`` as deterministic Turtle; return the triples written.

    The order and the blank node names are `coopkg.validate.canonical_report`'s: results by
    their focus node, shape, constraint, path, value, component and severity, named
    ``_:result00001``...; the blank nodes they reach, depth first in sorted order, ``_:b…``.
    Only the outcomes (compact) are held; a result's triples are made when it is written.
    """
    unique = unique_outcomes(outcomes)
    order = sorted(range(len(unique)), key=lambda i: _key(result_pairs(unique[i])))
    width = max(5, len(str(len(unique) + 1)))
    terms = TermText(REPORT_PREFIXES)
    paths: dict[Node, list[tuple[Node, Node]]] = {}
    # the blank nodes the results reach, named in the order canonical_report visits them
    names: dict[Node, str] = {}
    taken = 1 + len(unique)  # _:report and the results come first in canonical_report's count

    def visit(pairs: list[tuple[Node, Node]]) -> None:
        nonlocal taken
        for _p, o in sorted(pairs, key=lambda po: (str(po[0]), show(po[1]))):
            if isinstance(o, BNode) and o not in names:
                names[o] = f"_:b{taken:0{width}d}"
                taken += 1
                visit(paths.get(o, []))

    for i in order:
        o = unique[i]
        if o.path is not None:
            path_triples(shapes, o.path, paths)
        visit(result_pairs(o))

    def text(node: Node) -> str:
        return names[node] if isinstance(node, BNode) else terms.of(node)

    rdf_type = terms.iri(str(RDF.type))
    type_key = "\x00"  # what `coopkg.turtle.group_by_subject` gives rdf:type, so it sorts first

    def block(pairs: Iterable[tuple[Node, Node]]) -> list[tuple[str, str]]:
        out_pairs = []
        for p, o in pairs:
            ptext = terms.iri(str(p))
            out_pairs.append((type_key if ptext == rdf_type else ptext, text(o)))
        return out_pairs

    out.write(header(terms))
    count = write_blocks({names[node]: block(pairs) for node, pairs in paths.items() if node in names and pairs}, out)
    results = [f"_:result{n:0{width}d}" for n in range(1, len(unique) + 1)]
    root = [(type_key, terms.iri(str(SH.ValidationReport))), (terms.iri(str(SH.conforms)), "false" if unique else "true")]
    count += write_blocks({"_:report": root + [(terms.iri(str(SH.result)), r) for r in results]}, out)
    for start in range(0, len(order), batch):
        chunk = {results[n]: block(result_pairs(unique[i])) for n, i in enumerate(order[start:start + batch], start)}
        count += write_blocks(chunk, out)
    return count


def iter_results(outcomes: Iterable[Outcome]) -> Iterator[dict[Node, list[Node]]]:
    """Each distinct result as its properties (predicate -> objects), as a report graph would give them."""
    for o in unique_outcomes(outcomes):
        by: dict[Node, list[Node]] = {}
        for p, obj in result_pairs(o):
            by.setdefault(p, []).append(obj)
        yield by


def _default_message(o: Outcome) -> str:
    name = str(o.component).rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
    where = f" on {o.path}" if isinstance(o.path, URIRef) else ""
    return f"{name} constraint not satisfied{where}" + (f": {o.value}" if o.value is not None else "")
