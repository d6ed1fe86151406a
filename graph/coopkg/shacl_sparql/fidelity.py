"""The results about literals the store rewrote, made again from the literals as written.

`literals.scan` lists them; after a shape's queries, its results on those values are
replaced: the term-sensitive constraints (`literals.TERM_SENSITIVE`) are checked again on
each original term, the other results are given for each original (the store's form has
the same value), and a target node written in the shapes is reported as written.
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.term import Node

from coopkg.shacl_sparql.base import CompilerBase, Focus, Outcome, _nt
from coopkg.shacl_sparql.literals import TERM_SENSITIVE, Rewrites, term_conforms
from coopkg.shacl_sparql.values import _VALUE_COMPONENTS
from coopkg.vocab import SH


class FidelityMixin(CompilerBase):
    rewrites: Rewrites

    def _fidelity(self, shape: Node, focus: Focus, start: int) -> None:
        """Redo the results of ``shape`` (from ``self.outcomes[start:]``) on rewritten literals."""
        path_node = self.one(shape, SH.path)
        if isinstance(path_node, URIRef) and path_node not in self.rewrites.predicates():
            return  # a one-step path that reaches no rewritten literal
        if path_node is None and focus.targets is not None and not any(
                kind in ("node", "objectsOf") for kind, _ in focus.targets):
            return  # class and subjects-of targets are never literals
        tainted = sorted(self.rewrites.originals, key=str)
        this, value = self.fresh("this"), self.fresh("value")
        values = "VALUES " + value + " { " + " ".join(_nt(t) for t in tainted) + " }"
        if path_node is None:
            rows = self.select(f"SELECT DISTINCT {value} WHERE {{ {values} {focus(value)} }}")
            pairs = [(r[0], r[0]) for r in rows]
        else:
            # the pairs reaching a rewritten literal first, then which of their nodes are focus
            # nodes (`members`): joined in one query, Oxigraph paired every rewritten literal
            # with every focus node (at 120,000 partnerships, minutes for one shape)
            rows = self.select(f"SELECT DISTINCT {this} {value} WHERE {{ {values} {this} {self.path(path_node)} {value} . }}")
            inside = self.members(focus, {r[0] for r in rows if r[0] is not None})
            pairs = [(r[0], r[1]) for r in rows if r[0] in inside]
        if not pairs:
            return
        direct = isinstance(path_node, URIRef)
        sensitive = sorted(((k, a) for k, a in self.shapes.predicate_objects(shape) if k in TERM_SENSITIVE
                            and k != SH.hasValue), key=lambda kv: (str(kv[0]), str(kv[1])))
        flags = self.one(shape, SH.flags)
        severity, messages = self.severity(shape), self.messages(shape)
        for f, stored in pairs:
            originals = self.rewrites.for_value(f if direct else None, path_node if direct else None, stored)
            if not originals:
                continue
            # the results the queries gave on the stored form, for this focus node
            mine = [o for o in self.outcomes[start:] if o.shape == shape and o.focus == f and o.value == stored]
            redo = {_VALUE_COMPONENTS[k] for k, _ in sensitive}
            self.outcomes[start:] = [o for o in self.outcomes[start:] if o not in mine]
            for original in sorted(originals, key=lambda n: n.n3()):  # type: ignore[attr-defined]
                node = original if path_node is None else f
                for o in mine:
                    if o.component not in redo:
                        self.outcomes.append(Outcome(node, shape, o.component, o.severity, o.path, original,
                                                     o.constraint, o.messages, o.detail))
                for key, arg in sensitive:
                    members = self.items(arg) if key == SH["in"] else None
                    if not term_conforms(key, arg, original, flags, members):
                        self.outcomes.append(Outcome(node, shape, _VALUE_COMPONENTS[key], severity, path_node,
                                                     original, None, messages, f"{key} {arg}"))

    def _written_targets(self) -> None:
        """Focus nodes that are literals of sh:targetNode, reported as the shapes write them."""
        from coopkg.shacl_sparql.literals import store_form

        written = sorted({n for n in self.shapes.objects(None, SH.targetNode) if isinstance(n, Literal)}, key=str)
        forms = store_form(written) if written else {}
        back: dict[Node, set[Node]] = {}
        for lit, stored in forms.items():
            if stored != lit or str(stored) != str(lit):
                back.setdefault(stored, set()).add(lit)
        for o in self.outcomes:
            if o.focus in back and len(back[o.focus]) == 1:
                original = next(iter(back[o.focus]))
                if o.value == o.focus:
                    o.value = original
                o.focus = original
