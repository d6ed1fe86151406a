"""Targets: which nodes a shape is checked on (sh:targetClass, sh:targetNode, ...)."""

from __future__ import annotations

from collections.abc import Callable

from rdflib import URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from coopkg.shacl_sparql.base import CompilerBase, Focus, Target, _nt
from coopkg.vocab import SH


class TargetsMixin(CompilerBase):
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
