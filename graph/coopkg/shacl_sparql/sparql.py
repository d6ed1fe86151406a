"""SHACL-SPARQL: sh:sparql constraints (sh:select) with $this, $PATH, ?value, ?path, ?message."""

from __future__ import annotations

import re

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL
from rdflib.term import Node

from coopkg.shacl_sparql.base import CompilerBase, Focus, Outcome, UnsupportedShape
from coopkg.shacl_sparql.check import binds_this, query_problem
from coopkg.store import SelectResult
from coopkg.vocab import SH


def prefixes(shapes: Graph, constraint: Node) -> str:
    """The PREFIX lines of a SPARQL constraint: the sh:declare of its sh:prefixes, and of what
    those reach through sh:prefixes and owl:imports (SHACL 5.2.1)."""
    lines: dict[str, str] = {}
    todo = list(shapes.objects(constraint, SH.prefixes))
    seen: set[Node] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for decl in shapes.objects(node, SH.declare):
            prefix, ns = shapes.value(decl, SH.prefix), shapes.value(decl, SH.namespace)
            if prefix is not None and ns is not None:
                lines[str(prefix)] = f"PREFIX {prefix}: <{ns}>"
        todo.extend(shapes.objects(node, SH.prefixes))
        todo.extend(shapes.objects(node, OWL.imports))
    return "\n".join(lines[p] for p in sorted(lines))


class SparqlMixin(CompilerBase):
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
        query = prefixes(self.shapes, constraint) + "\n" + text
        problem = query_problem(query)
        if problem:  # `check.refusals` says so before anything runs; this guards direct callers
            raise UnsupportedShape(f"{constraint}: {problem}")
        if binds_this(query):
            if query not in self._answers:
                # a constraint held by several shapes (end-before-start: four) is asked once
                answer = self.data.query(query)
                if not isinstance(answer, SelectResult):  # pragma: no cover - query_problem checks it
                    raise UnsupportedShape(f"{constraint}: sh:select must be a SELECT query")
                self._answers[query] = answer.dicts()
            solutions = self._answers[query]
            focus_nodes = self.members(focus, {s["this"] for s in solutions})  # type: ignore[misc]
        else:
            # $this is not bound by the query's own patterns: pre-bind it, one focus node at a time
            focus_nodes = self.focus_set(focus)
            solutions = []
            for node in sorted(focus_nodes, key=str):
                one = self.data.query(query, {"this": node})
                if isinstance(one, SelectResult):
                    solutions.extend({**row, "this": node} for row in one.dicts())
        messages = self.messages(constraint) or self.messages(shape)
        for solution in solutions:
            node = solution.get("this")
            if node not in focus_nodes:
                continue
            if isinstance(solution.get("failure"), Literal) and solution["failure"].toPython() is True:
                # SHACL 5.3.1: ?failure true means the constraint could not be checked
                raise UnsupportedShape(f"{constraint}: the query reported a failure for {node}")
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
