"""Cardinality: sh:minCount and sh:maxCount, counted once for all of a shape's counts."""

from __future__ import annotations

from collections.abc import Callable

from rdflib import URIRef

from coopkg.shacl_sparql.base import CompilerBase, Focus, Outcome
from coopkg.vocab import SH


class CardinalityMixin(CompilerBase):
    def _counts(self, focus: Focus, this: str, path: str, counts: list[tuple[URIRef, int]],
                outcome: Callable[..., Outcome]) -> None:
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
