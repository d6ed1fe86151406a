"""The compiler: every family of constraints together, and the walk over the shapes."""

from __future__ import annotations

from collections.abc import Callable

from rdflib import Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from coopkg.shacl_sparql.base import Focus, Hashed, Outcome, Target, UnsupportedShape, _is_true, _nt
from coopkg.shacl_sparql.cardinality import CardinalityMixin
from coopkg.shacl_sparql.fidelity import FidelityMixin
from coopkg.shacl_sparql.logical import LogicalMixin
from coopkg.shacl_sparql.paths import PathsMixin, _direct
from coopkg.shacl_sparql.sparql import SparqlMixin
from coopkg.shacl_sparql.targets import TargetsMixin
from coopkg.shacl_sparql.values import _UNSUPPORTED, _VALUE_COMPONENTS, ValuesMixin
from coopkg.vocab import SH


class Compiler(TargetsMixin, PathsMixin, ValuesMixin, CardinalityMixin, LogicalMixin, SparqlMixin, FidelityMixin):
    """Compiles shapes of one shapes graph to SPARQL and runs them on one store."""

    def run(self, skip: frozenset[str] = frozenset()) -> None:
        """Validate every targeted shape but those named in ``skip`` (left to another engine).

        `validate_fast` has checked the shapes first (`check.refusals`).
        """
        node_shapes = set(self.shapes.subjects(RDF.type, SH.NodeShape)) | set(
            self.shapes.subjects(RDF.type, SH.PropertyShape))
        for prop in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
            node_shapes |= set(self.shapes.subjects(prop, None))
        node_shapes = {s for s in node_shapes if str(s) not in skip}
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
        self._written_targets()

    def validate(self, shape: Node, focus: Focus, shared: dict[Node, set[Target]] | None = None) -> None:
        """All results of ``shape`` for the focus nodes ``focus`` gives.

        With ``shared`` (and targets known), the property shapes of ``shape`` are not checked
        here but collected with the targets, for `run` to check each once.
        """
        if self.deactivated(shape):
            return
        start = len(self.outcomes)
        self._validate(shape, focus, shared)
        if self.rewrites:
            self._fidelity(shape, focus, start)

    def _validate(self, shape: Node, focus: Focus, shared: dict[Node, set[Target]] | None) -> None:
        for key in set(self.shapes.predicates(shape)):
            if key in _UNSUPPORTED:
                raise UnsupportedShape(f"{shape}: {key} is not supported by the fast engine; use --engine pyshacl")
        path_node = self.one(shape, SH.path)
        path = self.path(path_node) if path_node is not None else None
        severity = self.severity(shape)
        messages = self.messages(shape)

        def outcome(focus_node: Node, component: URIRef, value: Node | None, detail: str | None = None) -> Outcome:
            return Outcome(focus_node, shape, component, severity, path_node, value, None, messages, detail)

        this = self.fresh("this")
        value = self.fresh("value") if path is not None else this
        values = f"{focus(this)} {this} {path} {value} ." if path is not None else focus(this)
        conditions: list[tuple[URIRef, str]] = []
        counts: list[tuple[URIRef, int]] = []
        # a one-step path's conditions are checked on its distinct values (`_failing_values`),
        # where the EXISTS tests can be hash-joined sub-selects (`exists`)
        outer = self._hashed
        hashed = self._hashed = Hashed(value, path) if path is not None and _direct(path_node, self.shapes) else None
        try:
            self._components(shape, focus, shared, path_node, path, this, value, values, severity,
                             outcome, conditions, counts)
        finally:
            self._hashed = outer
        self._check(focus, path_node, path, this, value, values, outcome, conditions, counts,
                    hashed.groups if hashed is not None else [])

    def _components(self, shape: Node, focus: Focus, shared: dict[Node, set[Target]] | None, path_node: Node | None,
                    path: str | None, this: str, value: str, values: str, severity: URIRef,
                    outcome: Callable[..., Outcome], conditions: list[tuple[URIRef, str]],
                    counts: list[tuple[URIRef, int]]) -> None:
        """Each component of ``shape``: value conditions and counts collected, the rest checked."""
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
                    # no sh:value: the focus node is not missing a value, it is the wrong node
                    self.outcomes.extend(outcome(r[0], SH.HasValueConstraintComponent, None) for r in rows)  # type: ignore[arg-type]
                else:
                    rows = self.select(
                        f"SELECT {this} WHERE {{ {focus(this)} FILTER NOT EXISTS {{ {this} {path} {_nt(arg)} }} }}")
                    self.outcomes.extend(outcome(r[0], SH.HasValueConstraintComponent, None) for r in rows)  # type: ignore[arg-type]
            elif key == SH.uniqueLang and path is not None and _is_true(arg):
                a, b = self.fresh(), self.fresh()
                rows = self.select(
                    f"SELECT DISTINCT {this} (LANG({a}) AS ?lang) WHERE {{ {focus(this)} {this} {path} {a}, {b} . "
                    f"FILTER (!sameTerm({a}, {b}) && LANG({a}) != \"\" && LANG({a}) = LANG({b})) }}")
                # one result per language used twice
                self.outcomes.extend(outcome(r[0], SH.UniqueLangConstraintComponent, None, str(r[1]))  # type: ignore[arg-type]
                                     for r in rows)
            elif key == SH.property and path is not None:
                # a property shape's own property shapes start from its value nodes
                self.validate(arg, self._values_focus(focus, path))
            elif key == SH.property:
                if shared is not None and focus.targets is not None:
                    shared.setdefault(arg, set()).update(focus.targets)
                else:
                    self.validate(arg, focus)
            elif key == SH.sparql:
                self._sparql(shape, arg, focus, path_node, path, severity)

    def _check(self, focus: Focus, path_node: Node | None, path: str | None, this: str, value: str, values: str,
               outcome: Callable[..., Outcome], conditions: list[tuple[URIRef, str]],
               counts: list[tuple[URIRef, int]], hashed: list[str]) -> None:
        """The value conditions and counts of one shape, in as few queries as fit."""
        # sh:minCount 1 alone rides along the value query (OPTIONAL); other counts need a count
        with_min = path is not None and bool(counts) and all(k == SH.minCount and n == 1 for k, n in counts)
        if counts and not with_min:
            self._counts(focus, this, path, counts, outcome, _direct(path_node, self.shapes))  # type: ignore[arg-type]
        if path is not None and _direct(path_node, self.shapes) and (conditions or with_min):
            if conditions:
                self._failing_values(focus, this, value, path, conditions, outcome, hashed)
            if with_min:
                rows = self.select(self._without_values(focus, this, value, path))
                self.outcomes.extend(outcome(r[0], SH.MinCountConstraintComponent, None) for r in rows)  # type: ignore[arg-type]
            return
        if not conditions and not with_min:
            return
        projection = this if value == this else f"{this} {value}"
        if len(conditions) == 1 and not with_min:
            component, cond = conditions[0]
            rows = self.select(f"SELECT DISTINCT {projection} WHERE {{ {values} FILTER (!{cond}) }}")
            self.outcomes.extend(outcome(r[0], component, r[-1], cond) for r in rows)  # type: ignore[arg-type]
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
            for (component, cond), flag in zip(conditions, row[width:], strict=True):
                if isinstance(flag, Literal) and flag.toPython() is True:
                    self.outcomes.append(outcome(row[0], component, row[width - 1], cond))  # type: ignore[arg-type]
