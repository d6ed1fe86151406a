"""SHACL-SPARQL: sh:sparql constraints (sh:select) with $this, $PATH, ?value, ?path, ?message."""

from __future__ import annotations

import re

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL
from rdflib.term import Node

from coopkg.shacl_sparql.analysis import PATH_PLACEHOLDER, binds_this, query_problem
from coopkg.shacl_sparql.base import CompilerBase, Focus, Outcome, UnsupportedShape, _nt
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


# Tokens a query holds whole: strings (long ones first), IRIs, comments; and $this / ?this.
_TOKENS = re.compile(r'''("""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'|"(?:[^"\\\n]|\\.)*"'''
                     r"""|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*)"""
                     r"|(?P<bound>\bbound\s*\(\s*[?$]this\s*\))|(?P<this>[?$]this\b)", re.IGNORECASE)


def pre_bind(query: str, term: str) -> str:
    """``query`` with $this replaced by ``term`` (SPARQL syntax) everywhere, as SHACL's
    pre-binding defines it: bound($this) is true, the projected $this is given by AS."""
    head_end = query.find("{")
    out: list[str] = []
    last = 0
    for m in _TOKENS.finditer(query):
        if m.group("bound"):
            out.append(query[last:m.start()] + "(true)")
        elif m.group("this"):
            in_head = m.start() < head_end
            before = query[:m.start()].rstrip()
            projected = in_head and not before.endswith("(") and query[:m.start()].count("(") == query[:m.start()].count(")")
            after_body = m.start() > query.rfind("}")
            text = f"({term} AS ?this)" if projected else f"({term})" if after_body else term
            out.append(query[last:m.start()] + text)
        else:
            out.append(query[last:m.end()])
        last = m.end()
    out.append(query[last:])
    return "".join(out)


class SparqlMixin(CompilerBase):
    def _sparql(self, shape: Node, constraint: Node, focus: Focus, path_node: Node | None, path: str | None,
                severity: URIRef) -> None:
        if self.deactivated(constraint):
            return
        select = self.one(constraint, SH.select)
        if select is None:
            raise UnsupportedShape(f"{constraint}: only sh:select SPARQL constraints are supported")
        text = str(select)
        head = prefixes(self.shapes, constraint) + "\n"
        analysed = head + (text.replace("$PATH", PATH_PLACEHOLDER) if path is not None else text)
        query = head + (text.replace("$PATH", path) if path is not None else text)
        problem = query_problem(analysed)
        if problem:  # `check.refusals` says so before anything runs; this guards direct callers
            raise UnsupportedShape(f"{constraint}: {problem}")
        if binds_this(analysed):
            if query not in self._answers:
                # a constraint held by several shapes (end-before-start: four) is asked once
                answer = self.data.query(query)
                if not isinstance(answer, SelectResult):  # pragma: no cover - query_problem checks it
                    raise UnsupportedShape(f"{constraint}: sh:select must be a SELECT query")
                self._answers[query] = answer.dicts()
            solutions = self._answers[query]
            focus_nodes = self.members(focus, {s["this"] for s in solutions})  # type: ignore[misc]
        else:
            # $this is not bound by the query's own patterns: pre-bind it, one focus node at a time,
            # written into the query (Oxigraph's substitutions do not reach nested groups or BIND)
            focus_nodes = self.focus_set(focus)
            solutions = []
            for node in sorted(focus_nodes, key=str):
                if isinstance(node, BNode):
                    raise UnsupportedShape(f"{constraint}: $this must be pre-bound inside the query and the "
                                           f"focus node {node} is a blank node, which cannot be written into a query")
                try:
                    one = self.data.query(pre_bind(query, _nt(node)))
                except SyntaxError as err:  # pragma: no cover - a form pre_bind does not know
                    raise UnsupportedShape(f"{constraint}: $this cannot be pre-bound in this query: {err}") from err
                if isinstance(one, SelectResult):
                    solutions.extend({**row, "this": node} for row in one.dicts())
        messages = self.messages(constraint) or self.messages(shape)
        # a message without {?name} reads the same for every solution: written once, not once
        # a row (the 362,000 duplicate-name rows at 120,000 partnerships spent 29 s here)
        fixed = [None if _TEMPLATE.search(m) else _substitute(m, {}) for m in messages]
        unchanging = fixed if all(f is not None for f in fixed) else None
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
            if isinstance(solution.get("message"), Literal):
                texts = [_substitute(solution["message"], solution)]  # type: ignore[arg-type]
            elif unchanging is not None:
                texts = unchanging
            else:
                texts = [f if f is not None else _substitute(m, solution) for m, f in zip(messages, fixed, strict=True)]
            self.outcomes.append(Outcome(node, shape, SH.SPARQLConstraintComponent, severity, result_path, value,  # type: ignore[arg-type]
                                         constraint, texts))


_TEMPLATE = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


def _substitute(message: Literal, solution: dict[str, Node | None]) -> Literal:
    def value(m: re.Match[str]) -> str:
        bound = solution.get(m.group(1))
        return m.group(0) if bound is None else str(bound)

    text = _TEMPLATE.sub(value, str(message))
    return Literal(text, lang=message.language) if message.language else Literal(text)
