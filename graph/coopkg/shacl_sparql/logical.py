"""Logical and shape-based components (sh:node, sh:and, sh:or, sh:xone, sh:not, sh:property
inside expressions): as one SPARQL expression when possible, else nested validation."""

from __future__ import annotations

from collections.abc import Callable

from rdflib import URIRef
from rdflib.term import Node

from coopkg.shacl_sparql.base import CompilerBase, Focus, Outcome, _nt
from coopkg.shacl_sparql.literals import TERM_SENSITIVE
from coopkg.shacl_sparql.values import _UNSUPPORTED, _VALUE_COMPONENTS
from coopkg.vocab import SH


class LogicalMixin(CompilerBase):
    def conforms(self, shape: Node, var: str) -> str | None:
        """An expression true when ``var`` conforms to ``shape``; None if not expressible."""
        if self.deactivated(shape):
            return "true"
        parts: list[str] = []
        path_node = self.one(shape, SH.path)
        for key, arg in sorted(self.shapes.predicate_objects(shape), key=lambda kv: (str(kv[0]), str(kv[1]))):
            if key in _UNSUPPORTED or key == SH.sparql:
                return None
            # checked on the literals as written, by nested validation; but an IRI in
            # sh:hasValue compares the same with a literal as stored or as written (neither is
            # it), and nested validation of every value node (sh:node of the in-scheme shapes)
            # took 10-47 s CPU a shape at 120,000 partnerships
            if self.rewrites and key in TERM_SENSITIVE and not (key == SH.hasValue and isinstance(arg, URIRef)):
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
                    parts.append(self.exists(var, f"{var} {path} {_nt(arg)} ."))
                elif key == SH.minCount and int(arg) <= 1:  # type: ignore[call-overload]
                    if int(arg) == 1:  # type: ignore[call-overload]
                        parts.append(self.exists(var, f"{var} {path} {self.fresh()} ."))
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
                    parts.append(self.exists(var, f"{var} {self.path(path_node)} {value} FILTER (!{cond})", negated=True))
            elif key == SH.uniqueLang:
                return None
        return "(" + (" && ".join(parts) or "true") + ")"

    def _values_focus(self, focus: Focus, path: str | None) -> Focus:
        """The value nodes of ``path`` from the focus nodes, as a new focus."""
        def values(var: str) -> str:
            if path is None:
                return focus(var)
            outer = self.fresh("f")
            return f"{{ SELECT DISTINCT {var} WHERE {{ {focus(outer)} {outer} {path} {var} . }} }}"

        return Focus(values)

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
                        outcome: Callable[..., Outcome]) -> None:
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
