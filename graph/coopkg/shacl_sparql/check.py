"""What the fast engine can check exactly, decided before any query runs.

`refusals` walks every shape reachable from a targeted shape (sh:property, sh:node, the
members of sh:and / sh:or / sh:xone, sh:not) and every SPARQL constraint they hold, and
names each construct the engine does not implement exactly: a component it has no query
for, a custom constraint component, an ill-formed path, a recursive shape, a SPARQL
query the specification says a processor must refuse (MINUS, VALUES, sub-SELECT,
SERVICE, a pre-bound variable assigned with AS; SHACL 5.2.1), or one that needs what the
engine does not give ($shapesGraph, $currentShape). The fast engine never answers for a
shape with a refusal: `coopkg validate --engine auto` sends that shape to pyshacl,
``--engine fast`` stops with the list.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from coopkg.shacl_sparql.values import _KNOWN, _UNSUPPORTED
from coopkg.vocab import SH

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_NODE_KINDS = {SH.IRI, SH.BlankNode, SH.Literal, SH.BlankNodeOrIRI, SH.BlankNodeOrLiteral, SH.IRIOrLiteral}
# Variables a SHACL processor binds before a SPARQL constraint runs (SHACL 5.2.1).
_PRE_BOUND = {"this", "shapesGraph", "currentShape"}


@dataclass(frozen=True, order=True)
class Refusal:
    """A construct the fast engine does not check exactly: where it is and why."""

    shape: str  # the top-level (targeted) shape that cannot be run fast
    where: str  # the shape or SPARQL constraint holding the construct
    construct: str  # "sh:closed", "SPARQL query", ...
    why: str

    def __str__(self) -> str:
        place = self.shape if self.where == self.shape else f"{self.shape} (in {self.where})"
        return f"{place}: {self.construct}: {self.why}"


def _name(node: Node) -> str:
    if isinstance(node, URIRef):
        text = str(node)
        return "sh:" + text[len(str(SH)):] if text.startswith(str(SH)) else f"<{text}>"
    return f"_:{node}" if isinstance(node, BNode) else node.n3()


def top_shapes(shapes: Graph) -> list[Node]:
    """Shapes with targets (the ones validation starts from), sorted."""
    found = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    for prop in _TARGETS:
        found |= set(shapes.subjects(prop, None))
    out = []
    for shape in found:
        implicit = (shape, RDF.type, RDFS.Class) in shapes
        if implicit or any((shape, prop, None) in shapes for prop in _TARGETS) or (shape, SH.target, None) in shapes:
            out.append(shape)
    return sorted(out, key=str)


def _custom_parameters(shapes: Graph) -> dict[Node, Node]:
    """Parameter path -> constraint component, for every sh:ConstraintComponent of the shapes graph."""
    params: dict[Node, Node] = {}
    for component in shapes.subjects(RDF.type, SH.ConstraintComponent):
        for param in shapes.objects(component, SH.parameter):
            path = shapes.value(param, SH.path)
            if path is not None and path not in _KNOWN and path not in _UNSUPPORTED:
                params[path] = component
    return params


class _Checker:
    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self.custom = _custom_parameters(shapes)

    def items(self, node: Node) -> list[Node] | None:
        try:
            return list(Collection(self.shapes, node))
        except Exception:  # noqa: BLE001 - rdflib raises bare errors on broken lists
            return None

    def shape(self, top: Node, shape: Node, stack: tuple[Node, ...], out: list[Refusal]) -> None:
        """Refusals for ``shape`` and the shapes it refers to; ``stack`` holds the shapes above it."""
        if shape in stack:
            out.append(Refusal(str(top), str(shape), "recursive shape",
                               "the shape refers to itself; SHACL leaves its validation undefined"))
            return
        deactivated = self.shapes.value(shape, SH.deactivated)
        if isinstance(deactivated, Literal) and deactivated.toPython() is True:
            return
        stack = (*stack, shape)
        where = str(shape)

        def refuse(construct: str, why: str) -> None:
            out.append(Refusal(str(top), where, construct, why))

        if (shape, SH.target, None) in self.shapes:
            refuse("sh:target", "SPARQL-based targets are SHACL Advanced Features; not implemented")
        path = self.shapes.value(shape, SH.path)
        if path is not None:
            problem = self.path_problem(path, set())
            if problem:
                refuse("sh:path", problem)
        elif (shape, RDF.type, SH.PropertyShape) in self.shapes:
            refuse("sh:PropertyShape", "a property shape without sh:path is ill-formed")
        for key, arg in sorted(self.shapes.predicate_objects(shape), key=lambda kv: (str(kv[0]), str(kv[1]))):
            if key in _UNSUPPORTED:
                refuse(_name(key), "this constraint component is not implemented by the fast engine")
            elif key in self.custom:
                refuse(_name(key), f"parameter of the custom constraint component {_name(self.custom[key])}, "
                       "which the fast engine does not run")
            elif str(key).startswith(str(SH)) and key not in _KNOWN and key not in (SH.target, SH.ignoredProperties):
                refuse(_name(key), "not a SHACL Core term the fast engine knows")
            elif key == SH.nodeKind and arg not in _NODE_KINDS:
                refuse("sh:nodeKind", f"unknown node kind {_name(arg)}")
            elif key in (SH.minCount, SH.maxCount, SH.minLength, SH.maxLength) and not _is_integer(arg):
                refuse(_name(key), f"the value {_name(arg)} is not an integer")
            elif key in (SH["in"], SH.languageIn, SH["and"], SH["or"], SH.xone) and self.items(arg) is None:
                refuse(_name(key), "the value is not a well-formed RDF list")
            elif key == SH.property or key == SH.node or key == SH["not"]:
                self.shape(top, arg, stack, out)
            elif key in (SH["and"], SH["or"], SH.xone):
                for member in self.items(arg) or []:
                    self.shape(top, member, stack, out)
            elif key == SH.sparql:
                self.sparql(top, arg, path is not None, out)
            elif key == SH.uniqueLang and path is None:
                refuse("sh:uniqueLang", "sh:uniqueLang on a node shape is ill-formed")

    def path_problem(self, node: Node, seen: set[Node]) -> str | None:
        if isinstance(node, URIRef):
            return None
        if not isinstance(node, BNode) or node in seen:
            return f"{_name(node)} is not a well-formed SHACL path"
        seen = seen | {node}
        if (node, RDF.first, None) in self.shapes:
            members = self.items(node)
            if not members or len(members) < 2:
                return "a sequence path needs at least two members"
            return next((p for p in (self.path_problem(m, seen) for m in members) if p), None)
        keys = set(self.shapes.predicates(node))
        for key, what in ((SH.alternativePath, "list"), (SH.inversePath, "one"), (SH.zeroOrMorePath, "one"),
                          (SH.oneOrMorePath, "one"), (SH.zeroOrOnePath, "one")):
            if key in keys:
                if len(keys) != 1 or len(list(self.shapes.objects(node, key))) != 1:
                    return f"{_name(node)} is not a well-formed SHACL path"
                inner = self.shapes.value(node, key)
                if what == "list":
                    members = self.items(inner) or []
                    if len(members) < 2:
                        return "an alternative path needs at least two members"
                    return next((p for p in (self.path_problem(m, seen) for m in members) if p), None)
                return self.path_problem(inner, seen)  # type: ignore[arg-type]
        return f"{_name(node)} is not a well-formed SHACL path"

    def sparql(self, top: Node, constraint: Node, on_path: bool, out: list[Refusal]) -> None:
        deactivated = self.shapes.value(constraint, SH.deactivated)
        if isinstance(deactivated, Literal) and deactivated.toPython() is True:
            return
        where = str(constraint)

        def refuse(why: str) -> None:
            out.append(Refusal(str(top), where, "SPARQL constraint", why))

        select = self.shapes.value(constraint, SH.select)
        if select is None:
            refuse("a SPARQL constraint needs exactly one sh:select")
            return
        text = str(select)
        if on_path:
            text = text.replace("$PATH", "<urn:coopkg:path>")
        from coopkg.shacl_sparql.sparql import prefixes  # sparql.py imports this module

        problem = query_problem(prefixes(self.shapes, constraint) + "\n" + text)
        if problem:
            refuse(problem)


def _is_integer(node: Node) -> bool:
    return isinstance(node, Literal) and isinstance(node.toPython(), int) and not isinstance(node.toPython(), bool)


def query_problem(query: str) -> str | None:
    """Why the fast engine must not run this SELECT for a SPARQL constraint (None when it may)."""
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(query)
        parsed = prepareQuery(query)
    except Exception as err:  # noqa: BLE001 - the parser raises many kinds
        return f"the query does not parse: {str(err).splitlines()[0] if str(err) else type(err).__name__}"
    algebra = parsed.algebra
    if algebra.name != "SelectQuery":
        return "sh:select must hold a SELECT query"
    if "this" not in {str(v) for v in algebra.get("PV", [])}:
        return "the SELECT must project $this"
    found: list[str] = []
    _walk_syntax(tree, found)
    _walk_subselects(algebra["p"], True, found)
    return found[0] if found else None


# Syntax forms a query with pre-bound variables must not use (SHACL 5.2.1), by the name
# of rdflib's parse-tree node; GRAPH is left out because the data is the default graph.
_FORBIDDEN = {"MinusGraphPattern": "MINUS", "InlineData": "VALUES", "ValuesClause": "VALUES", "ServiceGraphPattern": "SERVICE",
              "GraphGraphPattern": "GRAPH"}


def _walk_syntax(node: object, found: list[str]) -> None:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    if isinstance(node, Variable):
        if str(node) in ("shapesGraph", "currentShape"):
            found.append(f"${node} is not supported by the fast engine")
        return
    if isinstance(node, CompValue):
        name = node.name
        if name in _FORBIDDEN:
            verb = "is not supported by the fast engine" if name == "GraphGraphPattern" else \
                "is not allowed in a SPARQL constraint (SHACL 5.2.1: pre-bound variables)"
            found.append(f"{_FORBIDDEN[name]} {verb}")
            return
        assigned = node.get("var") if name == "Bind" else node.get("evar") if name == "vars" else None
        if assigned is not None and str(assigned) in _PRE_BOUND:
            found.append(f"${assigned} is pre-bound and must not be assigned with AS (SHACL 5.2.1)")
            return
        for value in node.values():
            _walk_syntax(value, found)
    elif isinstance(node, (list, tuple, ParseResults)):
        for item in node:
            _walk_syntax(item, found)


def _walk_subselects(node: object, top: bool, found: list[str]) -> None:
    """A sub-SELECT must return $this, bound inside it (SHACL 5.2.1)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, (list, tuple)):
        for item in node:
            _walk_subselects(item, top, found)
        return
    if not isinstance(node, CompValue):
        return
    if node.name == "Project" and not top and not ("this" in {str(v) for v in node.get("PV", [])}
                                                   and _mentions_this(node["p"])):
        found.append("a sub-SELECT must return $this, bound by its own patterns (SHACL 5.2.1: pre-bound variables)")
        return
    for key, value in node.items():
        if key != "_vars":
            _walk_subselects(value, top and node.name != "Project", found)


def _mentions_this(node: object) -> bool:
    """Whether $this is in a triple pattern somewhere below ``node`` (in scope, not only in a FILTER)."""
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    if isinstance(node, CompValue):
        if node.name == "BGP":
            return any(Variable("this") in triple for triple in node["triples"])
        return any(_mentions_this(v) for k, v in node.items() if k not in ("_vars", "expr"))
    if isinstance(node, (list, tuple)):
        return any(_mentions_this(v) for v in node)
    return False


def refusals(shapes: Graph, only: list[Node] | None = None) -> list[Refusal]:
    """Every construct of the (top-level) shapes that the fast engine does not implement exactly."""
    checker = _Checker(shapes)
    out: list[Refusal] = []
    for top in only if only is not None else top_shapes(shapes):
        checker.shape(top, top, (), out)
    return sorted(set(out))


def binds_this(query: str) -> bool:
    """Whether every solution of the query binds $this through a triple pattern of its main group.

    Then pre-binding $this to a node gives the same solutions as running the query once and
    keeping those with that $this (SHACL's pre-binding is a join at the start of the
    query). Otherwise ($this only in a FILTER, an OPTIONAL, a NOT EXISTS...) the query
    must run once per focus node with $this bound.
    """
    from rdflib.plugins.sparql import prepareQuery

    return _binds(prepareQuery(query).algebra["p"])


def _binds(node: object) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    if not isinstance(node, CompValue):
        return False
    name = node.name
    if name == "BGP":
        return any(Variable("this") in triple for triple in node["triples"])
    if name in ("Project", "Distinct", "Reduced", "Slice", "OrderBy", "Filter", "Extend", "ToMultiSet"):
        return _binds(node["p"])
    if name in ("Join",):
        return _binds(node["p1"]) or _binds(node["p2"])
    if name in ("LeftJoin", "Minus"):
        return _binds(node["p1"])
    if name == "Union":
        return _binds(node["p1"]) and _binds(node["p2"])
    return False


def refused_shapes(found: list[Refusal]) -> set[str]:
    return {r.shape for r in found}


__all__ = ["Refusal", "binds_this", "query_problem", "refusals", "refused_shapes", "top_shapes"]
