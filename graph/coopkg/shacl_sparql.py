"""Fast SHACL: the shapes compiled into SPARQL queries and run on the store (Oxigraph).

The SHACL specification defines each Core constraint component by what a SPARQL query
would find (https://www.w3.org/TR/shacl/#core-components); this module writes those
queries for the project's shapes, runs them on the data `Store`, and builds the same
standard ``sh:ValidationReport`` graph (rdflib) that pyshacl gives, so everything after
the engine is engine-agnostic. At atlas scale (12,000 partnerships) pyshacl needs minutes
and this a few seconds, because every constraint is checked for all focus nodes at once
inside Oxigraph instead of node by node in Python.

Supported (what the project's shapes use, and the usual rest of SHACL Core):
targets sh:targetClass (with rdfs:subClassOf in the data), sh:targetNode,
sh:targetSubjectsOf, sh:targetObjectsOf, implicit class targets; sh:path as an IRI,
sequence, sh:alternativePath, sh:inversePath, sh:zeroOrMorePath, sh:oneOrMorePath,
sh:zeroOrOnePath; sh:minCount, sh:maxCount, sh:datatype (ill-typed literals such as
"31.02.2004"^^xsd:date are reported), sh:class, sh:nodeKind, sh:in, sh:hasValue,
sh:pattern (+ sh:flags), sh:minInclusive, sh:minExclusive, sh:maxInclusive,
sh:maxExclusive, sh:minLength, sh:maxLength, sh:languageIn, sh:uniqueLang, sh:node,
sh:or, sh:and, sh:not, sh:xone, sh:property; SHACL-SPARQL sh:sparql with sh:select,
sh:prefixes/sh:declare, $this (and $PATH on property shapes), ?value, ?path, ?message;
sh:message with {?var}/{$var} substitution, sh:severity, sh:deactivated.
Unsupported components (sh:closed, sh:equals, sh:disjoint, sh:lessThan, qualified value
shapes...) raise `UnsupportedShape` so nothing is skipped silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import count

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from coopkg.store import SelectResult, Store
from coopkg.terms import GRAPH_TERMS
from coopkg.vocab import SH

# A target of a shape, as data: ("class", C), ("node", n), ("subjectsOf", p) or ("objectsOf", p).
Target = tuple[str, Node]


class Focus:
    """Focus nodes: SPARQL group pattern text binding a given variable to them, and the
    targets they come from when they are a shape's targets (None for value nodes).

    ``lookup`` says the pattern is cheap with the variable bound (triple patterns and
    VALUES, no sub-select), so it can test given nodes inside FILTER EXISTS.
    """

    def __init__(self, pattern: Callable[[str], str], targets: frozenset[Target] | None = None,
                 lookup: bool = False) -> None:
        self.pattern = pattern
        self.targets = targets
        self.lookup = lookup

    def __call__(self, var: str) -> str:
        return self.pattern(var)

_WELL_FORMED = {
    XSD.integer: r"^[+-]?[0-9]+$",
    XSD.int: r"^[+-]?[0-9]+$",
    XSD.long: r"^[+-]?[0-9]+$",
    XSD.nonNegativeInteger: r"^(\+?[0-9]+|-0+)$",
    XSD.positiveInteger: r"^\+?0*[1-9][0-9]*$",
    XSD.decimal: r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$",
    XSD.double: r"^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN)$",
    XSD.float: r"^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN)$",
    XSD.boolean: r"^(true|false|1|0)$",
    XSD.gYear: r"^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.gYearMonth: r"^-?[0-9]{4,}-(0[1-9]|1[0-2])(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.date: r"^-?[0-9]{4,}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)"
              r"|02-(0[1-9]|1[0-9]|2[0-8]))(Z|[+-][0-9]{2}:[0-9]{2})?$"
              r"|^-?([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)-02-29"
              r"(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.dateTime: r"^-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
                  r"(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$",
}
_PATH_KEYS = (SH.alternativePath, SH.inversePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath)
_VALUE_COMPONENTS = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.maxLength: SH.MaxLengthConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH["and"]: SH.AndConstraintComponent,
    SH["not"]: SH.NotConstraintComponent,
    SH.xone: SH.XoneConstraintComponent,
}
_KNOWN = set(_VALUE_COMPONENTS) | {
    SH.path, SH.minCount, SH.maxCount, SH.hasValue, SH.uniqueLang, SH.property, SH.sparql, SH.flags,
    SH.message, SH.severity, SH.deactivated, SH.name, SH.description, SH.order, SH.group, SH.defaultValue,
    SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
}
_UNSUPPORTED = {SH.closed, SH.ignoredProperties, SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals,
                SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount}


class UnsupportedShape(ValueError):
    """A shape uses a SHACL feature this engine does not implement."""


def _nt(node: Node) -> str:
    """A term in SPARQL syntax."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise UnsupportedShape(f"a blank node cannot be written into a query: {node!r}")


def _str(text: str) -> str:
    """A string literal in SPARQL syntax (the same escapes as Turtle)."""
    return GRAPH_TERMS.literal(text)


@dataclass
class Outcome:
    """One validation result before it becomes report triples."""

    focus: Node
    shape: Node
    component: URIRef
    severity: URIRef
    path: Node | None = None
    value: Node | None = None
    constraint: Node | None = None
    messages: list[Literal] = field(default_factory=list)


class Compiler:
    """Compiles shapes of one shapes graph to SPARQL and runs them on one store."""

    def __init__(self, data: Store, shapes: Graph) -> None:
        self.data = data
        self.shapes = shapes
        self.var = count()
        self.outcomes: list[Outcome] = []
        self._subclasses = self._class_closure()
        self._answers: dict[str, list[dict[str, Node | None]]] = {}
        self._focus_sets: dict[int, tuple[Focus, set[Node | None]]] = {}

    # -- helpers -----------------------------------------------------------------
    def fresh(self, stem: str = "v") -> str:
        return f"?_{stem}{next(self.var)}"

    def select(self, query: str) -> list[tuple[Node | None, ...]]:
        answer = self.data.query(query)
        if not isinstance(answer, SelectResult):  # pragma: no cover - all queries here are SELECTs
            raise TypeError("expected a SELECT answer")
        return answer.rows

    def _class_closure(self) -> dict[Node, set[Node]]:
        rows = self.select(f"SELECT ?sub ?super WHERE {{ ?sub <{RDFS.subClassOf}> ?super }}")
        parents: dict[Node, set[Node]] = {}
        for sub, sup in rows:
            if sub is not None and sup is not None:
                parents.setdefault(sup, set()).add(sub)
        return parents

    def subclasses(self, cls: Node) -> list[Node]:
        """``cls`` and every class below it (rdfs:subClassOf*), from the data graph."""
        seen = {cls}
        todo = [cls]
        while todo:
            for sub in self._subclasses.get(todo.pop(), ()):
                if sub not in seen:
                    seen.add(sub)
                    todo.append(sub)
        return sorted(seen, key=str)

    def has_class(self, var: str, cls: Node) -> str:
        """A pattern true when ``var`` is a SHACL instance of ``cls``."""
        classes = [c for c in self.subclasses(cls) if isinstance(c, URIRef)]
        if len(classes) == 1:
            return f"{var} <{RDF.type}> {_nt(classes[0])} ."
        t = self.fresh("t")
        return f"{var} <{RDF.type}> {t} . VALUES {t} {{ {' '.join(_nt(c) for c in classes)} }}"

    def one(self, node: Node, prop: URIRef) -> Node | None:
        return self.shapes.value(node, prop)

    def items(self, node: Node) -> list[Node]:
        return list(Collection(self.shapes, node))

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

    def severity(self, shape: Node) -> URIRef:
        value = self.one(shape, SH.severity)
        return value if isinstance(value, URIRef) else SH.Violation

    def messages(self, node: Node) -> list[Literal]:
        return sorted((m for m in self.shapes.objects(node, SH.message) if isinstance(m, Literal)), key=str)

    def deactivated(self, shape: Node) -> bool:
        value = self.one(shape, SH.deactivated)
        return isinstance(value, Literal) and value.toPython() is True

    # -- targets -------------------------------------------------------------------
    def targets(self, shape: Node) -> frozenset[Target] | None:
        """The targets of ``shape`` as data, or None when untargeted."""
        found: set[Target] = {("class", cls) for cls in self.shapes.objects(shape, SH.targetClass)}
        if (shape, RDF.type, RDFS.Class) in self.shapes:
            found.add(("class", shape))
        found |= {("node", n) for n in self.shapes.objects(shape, SH.targetNode)}
        found |= {("subjectsOf", p) for p in self.shapes.objects(shape, SH.targetSubjectsOf)}
        found |= {("objectsOf", p) for p in self.shapes.objects(shape, SH.targetObjectsOf)}
        return frozenset(found) or None

    def focus_of(self, targets: frozenset[Target]) -> Focus:
        """A focus pattern for the nodes the targets select (the union of them)."""
        classes = sorted({c for kind, cls in targets if kind == "class" for c in self.subclasses(cls)
                          if isinstance(c, URIRef)}, key=str)
        nodes = sorted((n for kind, n in targets if kind == "node"), key=str)
        subjects = sorted((p for kind, p in targets if kind == "subjectsOf"), key=str)
        objects = sorted((p for kind, p in targets if kind == "objectsOf"), key=str)

        def class_pattern(var: str) -> str:
            if len(classes) == 1:
                return f"{var} <{RDF.type}> {_nt(classes[0])} ."
            t = self.fresh("t")
            # the VALUES first: Oxigraph joins in the written order
            return f"VALUES {t} {{ {' '.join(_nt(c) for c in classes)} }} {var} <{RDF.type}> {t} ."

        if not (nodes or subjects or objects):
            # class targets only: a node of two target classes comes twice, which every query
            # tolerates (DISTINCT, COUNT(DISTINCT)); a DISTINCT sub-select would be computed
            # on its own before the join
            return Focus(class_pattern, targets, lookup=True)
        patterns: list[Callable[[str], str]] = []
        if classes:
            patterns.append(class_pattern)
        if nodes:
            patterns.append(lambda v: f"VALUES {v} {{ {' '.join(_nt(n) for n in nodes)} }}")
        for prop in subjects:
            patterns.append(lambda v, p=prop: f"{v} {_nt(p)} {self.fresh('o')} .")
        for prop in objects:
            patterns.append(lambda v, p=prop: f"{self.fresh('s')} {_nt(p)} {v} .")
        if len(patterns) == 1 and not subjects and not objects:
            return Focus(patterns[0], targets, lookup=True)

        def focus(var: str) -> str:
            body = " UNION ".join("{ " + p(var) + " }" for p in patterns)
            return f"{{ SELECT DISTINCT {var} WHERE {{ {body} }} }}"

        return Focus(focus, targets)

    def focus_set(self, focus: Focus) -> set[Node]:
        """All focus nodes of ``focus`` (computed once per focus)."""
        key = id(focus)
        if key not in self._focus_sets:
            # the Focus is kept alongside: its id stays its own while the entry lives
            self._focus_sets[key] = (focus, {r[0] for r in self.select(f"SELECT ?f WHERE {{ {focus('?f')} }}")})
        return self._focus_sets[key][1]  # type: ignore[return-value]

    def members(self, focus: Focus, candidates: set[Node]) -> set[Node]:
        """The ``candidates`` that are focus nodes of ``focus``.

        Asked about the candidates only (VALUES first, then one lookup per target) when the
        targets are known: the whole focus set can be tens of thousands of nodes where a
        SPARQL constraint answers a few hundred.
        """
        if not candidates:
            return set()
        if focus.targets is None or any(not isinstance(c, URIRef) for c in candidates):
            # only IRIs are written into the query: a literal's text may not give back the
            # same term (a non-canonical form), a blank node has no text at all
            return candidates & self.focus_set(focus)
        values = "VALUES ?f { " + " ".join(_nt(c) for c in sorted(candidates, key=str)) + " }"
        found: set[Node] = set()
        classes = {c for kind, cls in focus.targets if kind == "class" for c in self.subclasses(cls)}
        if classes:
            rows = self.select(f"SELECT ?f ?t WHERE {{ {values} ?f <{RDF.type}> ?t . }}")
            found |= {f for f, t in rows if t in classes}  # type: ignore[misc]
        found |= {n for kind, n in focus.targets if kind == "node"} & candidates
        for kind, prop in sorted(focus.targets, key=str):
            if kind == "subjectsOf":
                found |= {r[0] for r in self.select(f"SELECT DISTINCT ?f WHERE {{ {values} ?f {_nt(prop)} ?o . }}")}
            elif kind == "objectsOf":
                found |= {r[0] for r in self.select(f"SELECT DISTINCT ?f WHERE {{ {values} ?s {_nt(prop)} ?f . }}")}
        return found & candidates

    # -- conditions: a SPARQL expression true when a node conforms --------------------
    def value_condition(self, key: URIRef, arg: Node, var: str, shape: Node) -> str | None:
        """An expression true when node ``var`` satisfies the value-based constraint ``key arg``."""
        if key == SH["class"]:
            return f"EXISTS {{ {self.has_class(var, arg)} }}"
        if key == SH.datatype:
            if arg == RDF.langString:
                return f"(isLiteral({var}) && LANG({var}) != \"\")"
            check = f"(isLiteral({var}) && DATATYPE({var}) = {_nt(arg)}"
            if arg in _WELL_FORMED:
                check += f" && REGEX(STR({var}), {_str(_WELL_FORMED[arg])})"
            if arg == XSD.string:
                check += f" && LANG({var}) = \"\""
            return check + ")"
        if key == SH.nodeKind:
            kinds = {
                SH.IRI: f"isIRI({var})", SH.BlankNode: f"isBlank({var})", SH.Literal: f"isLiteral({var})",
                SH.BlankNodeOrIRI: f"(isBlank({var}) || isIRI({var}))",
                SH.BlankNodeOrLiteral: f"(isBlank({var}) || isLiteral({var}))",
                SH.IRIOrLiteral: f"(isIRI({var}) || isLiteral({var}))",
            }
            if arg not in kinds:
                raise UnsupportedShape(f"unknown sh:nodeKind {arg}")
            return kinds[arg]
        if key == SH["in"]:
            members = self.items(arg)
            if any(isinstance(m, BNode) for m in members):
                return None
            return "(" + (" || ".join(f"sameTerm({var}, {_nt(m)})" for m in members) or "false") + ")"
        if key == SH.pattern:
            flags = self.one(shape, SH.flags)
            extra = f", {_str(str(flags))}" if flags is not None else ""
            return f"(!isBlank({var}) && REGEX(STR({var}), {_str(str(arg))}{extra}))"
        ops = {SH.minInclusive: ">=", SH.minExclusive: ">", SH.maxInclusive: "<=", SH.maxExclusive: "<"}
        if key in ops:
            return f"COALESCE({var} {ops[key]} {_nt(arg)}, false)"
        if key in (SH.minLength, SH.maxLength):
            op = ">=" if key == SH.minLength else "<="
            return f"(!isBlank({var}) && COALESCE(STRLEN(STR({var})) {op} {int(arg)}, false))"  # type: ignore[call-overload]
        if key == SH.languageIn:
            langs = [str(x) for x in self.items(arg)]
            tests = " || ".join(f"langMatches(LANG({var}), {_str(lang)})" for lang in langs) or "false"
            return f"(isLiteral({var}) && ({tests}))"
        if key == SH.node:
            return self.conforms(arg, var)
        if key in (SH["or"], SH["and"], SH.xone):
            parts = [self.conforms(member, var) for member in self.items(arg)]
            if any(p is None for p in parts):
                return None
            if key == SH["or"]:
                return "(" + (" || ".join(parts) or "false") + ")"  # type: ignore[arg-type]
            if key == SH["and"]:
                return "(" + (" && ".join(parts) or "true") + ")"  # type: ignore[arg-type]
            ones = " + ".join(f"IF({p}, 1, 0)" for p in parts)
            return f"(({ones}) = 1)"
        if key == SH["not"]:
            inner = self.conforms(arg, var)
            return None if inner is None else f"(!{inner})"
        return None

    def conforms(self, shape: Node, var: str) -> str | None:
        """An expression true when ``var`` conforms to ``shape``; None if not expressible."""
        if self.deactivated(shape):
            return "true"
        parts: list[str] = []
        path_node = self.one(shape, SH.path)
        for key, arg in sorted(self.shapes.predicate_objects(shape), key=lambda kv: (str(kv[0]), str(kv[1]))):
            if key in _UNSUPPORTED or key == SH.sparql:
                return None
            if key == SH.property:
                inner = self.conforms(arg, var)
                if inner is None:
                    return None
                parts.append(inner)
            elif path_node is None and key == SH.hasValue:
                parts.append(f"sameTerm({var}, {_nt(arg)})")
            elif path_node is not None and key in (SH.hasValue, SH.minCount, SH.maxCount):
                path = self.path(path_node)
                if key == SH.hasValue:
                    parts.append(f"EXISTS {{ {var} {path} {_nt(arg)} }}")
                elif key == SH.minCount and int(arg) <= 1:  # type: ignore[call-overload]
                    if int(arg) == 1:  # type: ignore[call-overload]
                        parts.append(f"EXISTS {{ {var} {path} {self.fresh()} }}")
                else:
                    return None
            elif key in _VALUE_COMPONENTS:
                if path_node is None:
                    cond = self.value_condition(key, arg, var, shape)
                    if cond is None:
                        return None
                    parts.append(cond)
                else:
                    value = self.fresh()
                    cond = self.value_condition(key, arg, value, shape)
                    if cond is None:
                        return None
                    parts.append(f"NOT EXISTS {{ {var} {self.path(path_node)} {value} FILTER (!{cond}) }}")
            elif key == SH.uniqueLang:
                return None
        return "(" + (" && ".join(parts) or "true") + ")"

    # -- validation --------------------------------------------------------------------
    def run(self) -> None:
        node_shapes = set(self.shapes.subjects(RDF.type, SH.NodeShape)) | set(
            self.shapes.subjects(RDF.type, SH.PropertyShape))
        for prop in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
            node_shapes |= set(self.shapes.subjects(prop, None))
        # A property shape gives the same results for a focus node whichever node shape holds
        # it (its results name it, its severity and its messages): one used by several node
        # shapes is checked once, on the union of their targets.
        shared: dict[Node, set[Target]] = {}
        for shape in sorted(node_shapes, key=str):
            if self.deactivated(shape):
                continue
            targets = self.targets(shape)
            if targets is None:
                continue
            self.validate(shape, self.focus_of(targets), shared)
        for prop_shape in sorted(shared, key=str):
            self.validate(prop_shape, self.focus_of(frozenset(shared[prop_shape])))

    def validate(self, shape: Node, focus: Focus, shared: dict[Node, set[Target]] | None = None) -> None:
        """All results of ``shape`` for the focus nodes ``focus`` gives.

        With ``shared`` (and targets known), the property shapes of ``shape`` are not checked
        here but collected with the targets, for `run` to check each once.
        """
        if self.deactivated(shape):
            return
        for key in set(self.shapes.predicates(shape)):
            if key in _UNSUPPORTED:
                raise UnsupportedShape(f"{shape}: {key} is not supported by the fast engine; use --engine pyshacl")
        path_node = self.one(shape, SH.path)
        path = self.path(path_node) if path_node is not None else None
        severity = self.severity(shape)
        messages = self.messages(shape)

        def outcome(focus_node: Node, component: URIRef, value: Node | None) -> Outcome:
            return Outcome(focus_node, shape, component, severity, path_node, value, None, messages)

        this = self.fresh("this")
        value = self.fresh("value") if path is not None else this
        values = f"{focus(this)} {this} {path} {value} ." if path is not None else focus(this)
        conditions: list[tuple[URIRef, str]] = []
        counts: list[tuple[URIRef, int]] = []
        for key, arg in sorted(self.shapes.predicate_objects(shape), key=lambda kv: (str(kv[0]), str(kv[1]))):
            if key in _VALUE_COMPONENTS:
                cond = self.value_condition(key, arg, value, shape)
                if cond is None:
                    self._value_fallback(shape, key, arg, focus, path, outcome)
                else:
                    conditions.append((_VALUE_COMPONENTS[key], cond))
            elif key in (SH.minCount, SH.maxCount) and path is not None:
                n = int(arg)  # type: ignore[call-overload]
                if key == SH.maxCount or n > 0:
                    counts.append((key, n))
            elif key == SH.hasValue:
                if path is None:
                    rows = self.select(f"SELECT {this} WHERE {{ {focus(this)} FILTER (!sameTerm({this}, {_nt(arg)})) }}")
                    self.outcomes.extend(outcome(r[0], SH.HasValueConstraintComponent, r[0]) for r in rows)  # type: ignore[arg-type]
                else:
                    rows = self.select(
                        f"SELECT {this} WHERE {{ {focus(this)} FILTER NOT EXISTS {{ {this} {path} {_nt(arg)} }} }}")
                    self.outcomes.extend(outcome(r[0], SH.HasValueConstraintComponent, None) for r in rows)  # type: ignore[arg-type]
            elif key == SH.uniqueLang and path is not None and isinstance(arg, Literal) and arg.toPython() is True:
                a, b = self.fresh(), self.fresh()
                rows = self.select(
                    f"SELECT DISTINCT {this} (LANG({a}) AS ?lang) WHERE {{ {focus(this)} {this} {path} {a}, {b} . "
                    f"FILTER (!sameTerm({a}, {b}) && LANG({a}) != \"\" && LANG({a}) = LANG({b})) }}")
                self.outcomes.extend(outcome(r[0], SH.UniqueLangConstraintComponent, None) for r in rows)  # type: ignore[arg-type]
            elif key == SH.property:
                if shared is not None and focus.targets is not None:
                    shared.setdefault(arg, set()).update(focus.targets)
                else:
                    self.validate(arg, focus)
            elif key == SH.sparql:
                self._sparql(shape, arg, focus, path_node, path, severity)
        # sh:minCount 1 alone rides along the value query (OPTIONAL); other counts need a count
        with_min = path is not None and bool(counts) and all(k == SH.minCount and n == 1 for k, n in counts)
        if counts and not with_min:
            self._counts(focus, this, path, counts, outcome)  # type: ignore[arg-type]
        if path is not None and _direct(path_node, self.shapes) and (conditions or with_min):
            if conditions:
                self._failing_values(focus, this, value, path, conditions, outcome)
            if with_min:
                rows = self.select(f"SELECT {this} WHERE {{ {focus(this)} FILTER NOT EXISTS {{ {this} {path} {value} }} }}")
                self.outcomes.extend(outcome(r[0], SH.MinCountConstraintComponent, None) for r in rows)  # type: ignore[arg-type]
            return
        if not conditions and not with_min:
            return
        projection = this if value == this else f"{this} {value}"
        if len(conditions) == 1 and not with_min:
            component, cond = conditions[0]
            rows = self.select(f"SELECT DISTINCT {projection} WHERE {{ {values} FILTER (!{cond}) }}")
            self.outcomes.extend(outcome(r[0], component, r[-1]) for r in rows)  # type: ignore[arg-type]
            return
        # All value constraints of the shape in one pass over its value nodes: one flag per
        # constraint, true when it fails (an error counts as no failure, as in FILTER (!cond)).
        if with_min:
            values = f"{focus(this)} OPTIONAL {{ {this} {path} {value} }}"
        flags = [f"?_fail{i}" for i in range(len(conditions))]
        binds = " ".join(f"BIND (IF(BOUND({value}), COALESCE(!({cond}), false), false) AS {flag})"
                         for flag, (_, cond) in zip(flags, conditions, strict=True))
        failed = flags + ([f"!BOUND({value})"] if with_min else [])
        rows = self.select(f"SELECT DISTINCT {projection} {' '.join(flags)} WHERE {{ {values} {binds} "
                           f"FILTER ({' || '.join(failed)}) }}")
        width = 1 if value == this else 2
        for row in rows:
            if row[width - 1] is None:
                self.outcomes.append(outcome(row[0], SH.MinCountConstraintComponent, None))  # type: ignore[arg-type]
                continue
            for (component, _), flag in zip(conditions, row[width:], strict=True):
                if isinstance(flag, Literal) and flag.toPython() is True:
                    self.outcomes.append(outcome(row[0], component, row[width - 1]))  # type: ignore[arg-type]

    def _failing_values(self, focus: Focus, this: str, value: str, path: str, conditions: list[tuple[URIRef, str]],
                        outcome: Callable[[Node, URIRef, Node | None], Outcome]) -> None:
        """Value constraints on a one-step path, checked on each distinct value once.

        The conditions depend on the value alone, so the values that fail them are found
        among the path's distinct objects (a scan of one predicate), and only those are
        joined back to their focus nodes: checking every (focus, value) row costs a focus
        join per row where most values (themes, kinds, actors) recur thousands of times.
        """
        flags = [f"?_fail{i}" for i in range(len(conditions))]
        binds = " ".join(f"BIND (COALESCE(!({cond}), false) AS {flag})"
                         for flag, (_, cond) in zip(flags, conditions, strict=True))
        failing = (f"{{ {{ SELECT DISTINCT {value} WHERE {{ {self.fresh('s')} {path} {value} . }} }} {binds} "
                   f"FILTER ({' || '.join(flags)}) }}")
        if not self.select(f"SELECT {value} WHERE {failing} LIMIT 1"):
            return  # the usual case: no value fails, and no join at all
        # Oxigraph joins a FILTER EXISTS row by row (the focus pattern is a lookup of the bound
        # node) but a group of patterns as a whole (every focus node, then a hash join).
        test = f"FILTER EXISTS {{ {focus(this)} }}" if focus.lookup else focus(this)
        rows = self.select(f"SELECT DISTINCT {this} {value} {' '.join(flags)} WHERE {{ {failing} "
                           f"{this} {path} {value} . {test} }}")
        for row in rows:
            for (component, _), flag in zip(conditions, row[2:], strict=True):
                if isinstance(flag, Literal) and flag.toPython() is True:
                    self.outcomes.append(outcome(row[0], component, row[1]))  # type: ignore[arg-type]

    def _counts(self, focus: Focus, this: str, path: str, counts: list[tuple[URIRef, int]],
                outcome: Callable[[Node, URIRef, Node | None], Outcome]) -> None:
        """sh:minCount and sh:maxCount of one shape: the values counted once for all of them."""
        v, n = self.fresh(), self.fresh("n")
        need_zero = any(k == SH.minCount for k, _ in counts)  # a focus node without values counts 0
        body = f"{focus(this)} OPTIONAL {{ {this} {path} {v} }}" if need_zero else f"{focus(this)} {this} {path} {v} ."
        tests = " || ".join(f"{n} {'<' if k == SH.minCount else '>'} {c}" for k, c in counts)
        rows = self.select(f"SELECT {this} {n} WHERE {{ {{ SELECT {this} (COUNT(DISTINCT {v}) AS {n}) WHERE {{ {body} }} "
                           f"GROUP BY {this} }} FILTER ({tests}) }}")
        for node, found in rows:
            total = int(found)  # type: ignore[arg-type]
            for key, limit in counts:
                if (total < limit) if key == SH.minCount else (total > limit):
                    component = SH.MinCountConstraintComponent if key == SH.minCount else SH.MaxCountConstraintComponent
                    self.outcomes.append(outcome(node, component, None))  # type: ignore[arg-type]

    def _values_focus(self, focus: Focus, path: str | None) -> Focus:
        """The value nodes of ``path`` from the focus nodes, as a new focus."""
        def values(var: str) -> str:
            if path is None:
                return focus(var)
            outer = self.fresh("f")
            return f"{{ SELECT DISTINCT {var} WHERE {{ {focus(outer)} {outer} {path} {var} . }} }}"

        return values

    def _failing(self, shape: Node, focus: Focus) -> set[Node]:
        """Focus nodes that do not conform to ``shape`` (nested validation, outcomes kept apart)."""
        saved = self.outcomes
        self.outcomes = []
        try:
            self.validate(shape, focus)
            return {o.focus for o in self.outcomes}
        finally:
            self.outcomes = saved

    def _value_fallback(self, shape: Node, key: URIRef, arg: Node, focus: Focus, path: str | None,
                        outcome: Callable[[Node, URIRef, Node | None], Outcome]) -> None:
        """Shape-based components that do not fit in one expression: nested validation in Python."""
        this = self.fresh("this")
        value = self.fresh("value") if path is not None else this
        values = f"{focus(this)} {this} {path} {value} ." if path is not None else focus(this)
        if value == this:
            pairs = [(r[0], r[0]) for r in self.select(f"SELECT DISTINCT {this} WHERE {{ {values} }}")]
        else:
            pairs = self.select(f"SELECT DISTINCT {this} {value} WHERE {{ {values} }}")  # type: ignore[assignment]
        value_focus = self._values_focus(focus, path)
        if key == SH["in"]:
            allowed = set(self.items(arg))
            bad = [(f, v) for f, v in pairs if v not in allowed]
        elif key == SH.node:
            failing = self._failing(arg, value_focus)
            bad = [(f, v) for f, v in pairs if v in failing]
        else:
            members = [arg] if key == SH["not"] else self.items(arg)
            failing_sets = [self._failing(m, value_focus) for m in members]

            def ok(v: Node | None) -> bool:
                passed = sum(v not in s for s in failing_sets)
                if key == SH["or"]:
                    return passed >= 1
                if key == SH["and"]:
                    return passed == len(members)
                if key == SH.xone:
                    return passed == 1
                return passed == 0  # sh:not

            bad = [(f, v) for f, v in pairs if not ok(v)]
        self.outcomes.extend(outcome(f, _VALUE_COMPONENTS[key], v) for f, v in bad)  # type: ignore[arg-type]

    # -- SHACL-SPARQL --------------------------------------------------------------------
    def prefixes(self, constraint: Node) -> str:
        lines: dict[str, str] = {}
        todo = list(self.shapes.objects(constraint, SH.prefixes))
        seen: set[Node] = set()
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            for decl in self.shapes.objects(node, SH.declare):
                prefix, ns = self.one(decl, SH.prefix), self.one(decl, SH.namespace)
                if prefix is not None and ns is not None:
                    lines[str(prefix)] = f"PREFIX {prefix}: <{ns}>"
            todo.extend(self.shapes.objects(node, (SH.prefixes)))
        return "\n".join(lines[p] for p in sorted(lines))

    def _sparql(self, shape: Node, constraint: Node, focus: Focus, path_node: Node | None, path: str | None,
                severity: URIRef) -> None:
        if self.deactivated(constraint):
            return
        select = self.one(constraint, SH.select)
        if select is None:
            raise UnsupportedShape(f"{constraint}: only sh:select SPARQL constraints are supported")
        text = str(select)
        if path is not None:
            text = text.replace("$PATH", path)
        query = self.prefixes(constraint) + "\n" + text
        if query not in self._answers:
            # a constraint held by several shapes (end-before-start: four) is asked once
            answer = self.data.query(query)
            if not isinstance(answer, SelectResult):
                raise UnsupportedShape(f"{constraint}: sh:select must be a SELECT query")
            if "this" not in answer.variables:
                raise UnsupportedShape(f"{constraint}: the SELECT must project $this")
            self._answers[query] = answer.dicts()
        solutions = self._answers[query]
        if any(s.get("this") is None for s in solutions):
            # $this is not bound by the query itself: pre-bind it, one focus node at a time.
            focus_nodes = self.focus_set(focus)
            solutions = []
            for node in sorted(focus_nodes, key=str):
                one = self.data.query(query, {"this": node})
                if isinstance(one, SelectResult):
                    solutions.extend({**row, "this": node} for row in one.dicts())
        else:
            focus_nodes = self.members(focus, {s["this"] for s in solutions})  # type: ignore[misc]
        messages = self.messages(constraint) or self.messages(shape)
        for solution in solutions:
            node = solution.get("this")
            if node not in focus_nodes:
                continue
            if isinstance(solution.get("failure"), Literal) and solution["failure"].toPython() is True:
                continue
            result_path: Node | None = path_node
            if result_path is None and isinstance(solution.get("path"), URIRef):
                result_path = solution["path"]
            value = solution.get("value")
            if value is None and path_node is None:
                value = node
            texts = [solution["message"]] if isinstance(solution.get("message"), Literal) else messages
            texts = [_substitute(m, solution) for m in texts]  # type: ignore[arg-type]
            self.outcomes.append(Outcome(node, shape, SH.SPARQLConstraintComponent, severity, result_path, value,  # type: ignore[arg-type]
                                         constraint, texts))


_TEMPLATE = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


def _direct(path: Node | None, shapes: Graph) -> bool:
    """Whether a SHACL path is one predicate or its inverse: its triples are one index scan."""
    if isinstance(path, URIRef):
        return True
    inverse = shapes.value(path, SH.inversePath) if isinstance(path, BNode) else None
    return isinstance(inverse, URIRef) and len(list(shapes.predicate_objects(path))) == 1


def _substitute(message: Literal, solution: dict[str, Node | None]) -> Literal:
    def value(m: re.Match[str]) -> str:
        bound = solution.get(m.group(1))
        return m.group(0) if bound is None else str(bound)

    text = _TEMPLATE.sub(value, str(message))
    return Literal(text, lang=message.language) if message.language else Literal(text)


def _copy_path(shapes: Graph, node: Node, report: Graph) -> None:
    """Copy a blank-node path structure (lists, sh:inversePath...) into the report."""
    if not isinstance(node, BNode):
        return
    for p, o in shapes.predicate_objects(node):
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
        key = (o.focus, o.shape, o.component, o.severity, o.path, o.value, o.constraint)
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


def validate_fast(data: Store, shapes: Graph) -> Graph:
    """Validate ``data`` against ``shapes``; return a standard sh:ValidationReport graph.

    ``data`` should hold what the shapes need besides the records (vocabularies,
    rdfs:subClassOf): `coopkg.validate.prepare` adds them.
    """
    compiler = Compiler(data, shapes)
    compiler.run()
    return report_graph(compiler.outcomes, shapes)


__all__ = ["Outcome", "UnsupportedShape", "report_graph", "validate_fast"]
