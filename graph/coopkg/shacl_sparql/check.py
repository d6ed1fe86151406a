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

from coopkg.shacl_sparql.analysis import _LEXICAL, PATH_PLACEHOLDER, _may_read, binds_this, query_problem
from coopkg.shacl_sparql.literals import Rewrites, store_form
from coopkg.shacl_sparql.values import _KNOWN, _UNSUPPORTED
from coopkg.vocab import SH

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_NODE_KINDS = {SH.IRI, SH.BlankNode, SH.Literal, SH.BlankNodeOrIRI, SH.BlankNodeOrLiteral, SH.IRIOrLiteral}


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
    # whatever declares sh:parameter (its class may be a subclass of sh:ConstraintComponent)
    for component, param in shapes.subject_objects(SH.parameter):
        path = shapes.value(param, SH.path)
        if path is not None and path not in _KNOWN and path not in _UNSUPPORTED:
            params[path] = component
    return params


class _Checker:
    def __init__(self, shapes: Graph, rewrites: Rewrites | None = None) -> None:
        self.shapes = shapes
        self.custom = _custom_parameters(shapes)
        self.rewrites = rewrites
        constants = sorted({o for p in (SH["in"], SH.hasValue) for o in _constants(shapes, p)}, key=str)
        forms = store_form(constants) if constants else {}
        # shape constants the store would read as another term: sh:in and sh:hasValue compare terms
        self.rewritten = {lit for lit, stored in forms.items() if stored != lit or str(stored) != str(lit)}

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
            elif str(key).startswith(str(SH)) and key not in _KNOWN and key not in (
                    SH.target, SH.ignoredProperties, SH.select, SH.prefixes):
                refuse(_name(key), "not a SHACL Core term the fast engine knows")
            elif key == SH.nodeKind and arg not in _NODE_KINDS:
                refuse("sh:nodeKind", f"unknown node kind {_name(arg)}")
            elif key in (SH.minCount, SH.maxCount, SH.minLength, SH.maxLength) and not _is_integer(arg):
                refuse(_name(key), f"the value {_name(arg)} is not an integer")
            elif key in (SH["in"], SH.languageIn, SH["and"], SH["or"], SH.xone) and self.items(arg) is None:
                refuse(_name(key), "the value is not a well-formed RDF list")
            elif key in (SH["in"], SH.hasValue) and self.rewritten & set(
                    self.items(arg) or [] if key == SH["in"] else [arg]):
                refuse(_name(key), "holds a literal the store keeps in another form "
                       f"({', '.join(sorted(x.n3() for x in self.rewritten))}), so terms would not compare as written")
            elif key == SH.property or key == SH.node or key == SH["not"]:
                self.shape(top, arg, stack, out)
            elif key in (SH["and"], SH["or"], SH.xone):
                for member in self.items(arg) or []:
                    self.shape(top, member, stack, out)
            elif key == SH.sparql:
                self.sparql(top, arg, path is not None, out)
            elif key in (SH.select, SH.prefixes):
                pass  # a shape that is its own SPARQL constraint (sh:sparql points to it)
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
            text = text.replace("$PATH", PATH_PLACEHOLDER)
        from coopkg.shacl_sparql.sparql import prefixes  # sparql.py imports this module

        query = prefixes(self.shapes, constraint) + "\n" + text
        problem = query_problem(query)
        if problem:
            refuse(problem)
        elif self.rewrites and _LEXICAL.search(text) and _may_read(query, {p for _, p, _ in self.rewrites.occurrences}):
            example = sorted(o.n3() for found in self.rewrites.originals.values() for o in found)[0]  # type: ignore[attr-defined]
            refuse(f"the data holds literals the store keeps in another form (such as {example}) and the query "
                   "looks at literal forms (STR, DATATYPE, sameTerm, REGEX...)")


def _constants(shapes: Graph, prop: URIRef) -> list[Literal]:
    out: list[Literal] = []
    for arg in shapes.objects(None, prop):
        members = list(Collection(shapes, arg)) if prop == SH["in"] and (arg, RDF.first, None) in shapes else [arg]
        out.extend(m for m in members if isinstance(m, Literal))
    return out


def _is_integer(node: Node) -> bool:
    return isinstance(node, Literal) and isinstance(node.toPython(), int) and not isinstance(node.toPython(), bool)


def refusals(shapes: Graph, only: list[Node] | None = None, rewrites: Rewrites | None = None) -> list[Refusal]:
    """Every construct of the (top-level) shapes that the fast engine does not implement exactly.

    With ``rewrites`` (literals of the data the store does not keep as written), also the
    SPARQL constraints that look at literal forms, and every shape when the store merged
    distinct literals into one.
    """
    checker = _Checker(shapes, rewrites)
    out: list[Refusal] = []
    merged = rewrites.merged() if rewrites else []
    if merged:
        s, p, o = merged[0]
        written = ", ".join(sorted(x.n3() for x in rewrites.occurrences[merged[0]]))  # type: ignore[union-attr, attr-defined]
        why = (f"the store holds one literal for distinct ones written ({written} "
               f"as {o.n3()} on {s.n3()} {p.n3()}), so values and counts would differ")  # type: ignore[attr-defined]
        return [Refusal(str(top), str(top), "data", why) for top in (only if only is not None else top_shapes(shapes))]
    for top in only if only is not None else top_shapes(shapes):
        checker.shape(top, top, (), out)
    return sorted(set(out))


def refused_shapes(found: list[Refusal]) -> set[str]:
    return {r.shape for r in found}


__all__ = ["Refusal", "binds_this", "query_problem", "refusals", "refused_shapes", "top_shapes"]
