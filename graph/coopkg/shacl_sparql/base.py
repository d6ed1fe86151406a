"""The compiler's ground floor: focus patterns, outcomes, term writing and shape lookups.

Every family of constraints (`values`, `cardinality`, `paths`, `logical`, `sparql`) is a
mixin on `CompilerBase`; `compiler.Compiler` puts them together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from coopkg.shacl_sparql.literals import Rewrites
from coopkg.store import SelectResult, Store
from coopkg.terms import GRAPH_TERMS
from coopkg.vocab import SH

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


#: The triples of a one-step path from which its value nodes' EXISTS tests are hash-joined
#: (`CompilerBase.exists`): 10,000 look-ups cost ~0.2 s on the on-disk store, about a scan
#: of 200,000 instances of a class.
HASH_FROM = 10_000


@dataclass
class Hashed:
    """The value variable of a one-step path's conditions being written, the path, the
    OPTIONAL groups `CompilerBase.exists` made for them, and whether the path is big enough."""

    var: str
    path: str
    groups: list[str] = field(default_factory=list)
    many: bool | None = None


class UnsupportedShape(ValueError):
    """A shape uses a SHACL feature this engine does not implement (``refusals``: the list, when known)."""

    def __init__(self, message: str, refusals: list | None = None) -> None:
        super().__init__(message)
        self.refusals = refusals or []


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
    # which constraint of the shape gave it (two sh:class of one shape give two results)
    detail: str | None = None
    # a grouped result (`coopkg.shacl_sparql.grouping`): the other focus nodes it stands for
    others: tuple[Node, ...] = ()


def _is_true(node: Node | None) -> bool:
    """``true``, the one value that switches sh:deactivated or sh:uniqueLang on: "1"^^xsd:boolean
    is another term, and the specification names only true."""
    return isinstance(node, Literal) and node.datatype == XSD.boolean and str(node) == "true"


class CompilerBase:
    """Compiles shapes of one shapes graph to SPARQL and runs them on one store."""

    def __init__(self, data: Store, shapes: Graph, rewrites: Rewrites | None = None) -> None:
        self.rewrites = rewrites or Rewrites()
        self.data = data
        self.shapes = shapes
        self.var = count()
        self.outcomes: list[Outcome] = []
        self._subclasses = self._class_closure()
        self._answers: dict[str, list[dict[str, Node | None]]] = {}
        self._focus_sets: dict[int, tuple[Focus, set[Node | None]]] = {}
        # while the conditions of a one-step path's value nodes are written
        # (`ValuesMixin._failing_values`): the hash-joined groups `exists` adds for them
        self._hashed: Hashed | None = None

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

    def exists(self, var: str, pattern: str, negated: bool = False) -> str:
        """``EXISTS { pattern }`` (``NOT EXISTS`` when ``negated``), ``pattern`` binding ``var``.

        While `_hashed` names ``var``, the test is a flag bound by an OPTIONAL sub-select of
        the nodes matching ``pattern`` instead: Oxigraph evaluates EXISTS with one look-up
        per row (a seek apiece on the on-disk store, ~20 us), a sub-select once, joined by
        hashing. The two agree: the sub-select binds ``var`` (so it joins on it alone) and
        gives each node once (DISTINCT), so the row is kept and the flag bound iff the
        node matches.
        """
        hashed = self._hashed
        # a zero-length path step (*, ?) with no node bound walks every node of the graph
        if hashed is not None and hashed.var == var and ")*" not in pattern and ")?" not in pattern \
                and self._many(hashed):
            flag = self.fresh("in")
            hashed.groups.append(f"OPTIONAL {{ SELECT DISTINCT {var} (true AS {flag}) WHERE {{ {pattern} }} }}")
            return f"!BOUND({flag})" if negated else f"BOUND({flag})"
        return f"{'NOT ' if negated else ''}EXISTS {{ {pattern} }}"

    def _many(self, hashed: Hashed) -> bool:
        """Whether the path has `HASH_FROM` triples or more (asked once a shape): below, the
        look-ups of its few value nodes cost less than a sub-select over all the nodes a
        pattern matches (every instance of a class)."""
        if hashed.many is None:
            rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT {self.fresh('o')} WHERE {{ "
                               f"{self.fresh('s')} {hashed.path} {self.fresh('o')} }} LIMIT {HASH_FROM} }}")
            hashed.many = bool(rows) and isinstance(rows[0][0], Literal) and int(rows[0][0]) >= HASH_FROM
        return hashed.many

    def has_class(self, var: str, cls: Node) -> str:
        """A pattern true when ``var`` is a SHACL instance of ``cls``."""
        classes = [c for c in self.subclasses(cls) if isinstance(c, URIRef)]
        if len(classes) == 1:
            return f"{var} <{RDF.type}> {_nt(classes[0])} ."
        t = self.fresh("t")
        # the VALUES first: Oxigraph joins in the written order, and in a sub-select
        # (`exists`) the type pattern alone would read every rdf:type triple
        return f"VALUES {t} {{ {' '.join(_nt(c) for c in classes)} }} {var} <{RDF.type}> {t} ."

    def one(self, node: Node, prop: URIRef) -> Node | None:
        return self.shapes.value(node, prop)

    def items(self, node: Node) -> list[Node]:
        return list(Collection(self.shapes, node))

    def severity(self, shape: Node) -> URIRef:
        value = self.one(shape, SH.severity)
        return value if isinstance(value, URIRef) else SH.Violation

    def messages(self, node: Node) -> list[Literal]:
        return sorted((m for m in self.shapes.objects(node, SH.message) if isinstance(m, Literal)), key=str)

    def deactivated(self, shape: Node) -> bool:
        return _is_true(self.one(shape, SH.deactivated))
