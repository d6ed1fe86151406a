"""SHACL-SPARQL: sh:sparql constraints (sh:select) with $this, $PATH, ?value, ?path, ?message."""

from __future__ import annotations

import re

from rdflib import Literal, URIRef
from rdflib.term import Node

from coopkg.shacl_sparql.base import CompilerBase, Focus, Outcome, UnsupportedShape
from coopkg.store import SelectResult
from coopkg.vocab import SH


class SparqlMixin(CompilerBase):
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


def _substitute(message: Literal, solution: dict[str, Node | None]) -> Literal:
    def value(m: re.Match[str]) -> str:
        bound = solution.get(m.group(1))
        return m.group(0) if bound is None else str(bound)

    text = _TEMPLATE.sub(value, str(message))
    return Literal(text, lang=message.language) if message.language else Literal(text)
