"""Results of one rule that name each other, grouped into one result with a count.

A rule such as "another collectivity has the same name, kind and country"
(`coopsh:collectivity-duplicate`) reports every member of a set of same-name nodes once
for each other member: k nodes give k x (k - 1) results. Synthetic atlases name their
145,000 communes from a few syllables, and at 120,000 partnerships that made 370,000
warnings. When three or more focus nodes are each reported, by one constraint of one
shape with one severity, path and message, with every other one as the value (and the
rule is symmetric for them), those k x (k - 1) results become one: its focus node is the
first of the set (IRI order), its ``coop:alsoFocusNode`` the others and its
``coop:focusNodeCount`` k; it has no ``sh:value``. A pair stays two results (each names the
other), and so does a set where one pair is missing. docs/validation.md says it for users.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib.term import Node

from coopkg.shacl_sparql.base import Outcome

#: The smallest set grouped: a pair's two results are as short as one grouped result.
MIN_GROUP = 3


def _rule(o: Outcome) -> tuple:
    return (o.shape, o.constraint, o.component, o.severity, o.path, o.detail, tuple(o.messages))


def group_outcomes(outcomes: Iterable[Outcome], min_group: int = MIN_GROUP) -> list[Outcome]:
    """The outcomes with every complete set of mutually reported focus nodes made one outcome."""
    kept: list[Outcome] = []
    by_rule: dict[tuple, list[Outcome]] = {}
    for o in outcomes:
        if o.value is None or o.others or o.value == o.focus:
            kept.append(o)
        else:
            by_rule.setdefault(_rule(o), []).append(o)
    for rule_outcomes in by_rule.values():
        kept.extend(_group_rule(rule_outcomes, min_group))
    return kept


def _group_rule(outcomes: list[Outcome], min_group: int) -> list[Outcome]:
    # the nodes numbered once: the union-find and the pair look-ups then hash and compare
    # ints, not rdflib terms, whose Python-level __eq__ and __hash__ took 30 s of grouping
    # 362,000 duplicate-name results at 120,000 partnerships
    index: dict[Node, int] = {}
    nodes: list[Node] = []

    def number(node: Node) -> int:
        i = index.get(node)
        if i is None:
            i = index[node] = len(nodes)
            nodes.append(node)
        return i

    numbered = [(number(o.focus), number(o.value)) for o in outcomes]  # type: ignore[arg-type]
    pairs = set(numbered)
    names = [str(node) for node in nodes]
    # union-find over the pairs reported both ways; a set's root is its first node (IRI order)
    parent = list(range(len(nodes)))

    def find(i: int) -> int:
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:  # path halving keeps the chains short
            parent[i], i = root, parent[i]
        return root

    joined: set[int] = set()
    for focus, value in pairs:
        if (value, focus) in pairs:
            joined.update((focus, value))
            a, b = find(focus), find(value)
            if a != b:
                first, second = (a, b) if names[a] <= names[b] else (b, a)
                parent[second] = first
    members: dict[int, list[int]] = {}
    for i in joined:
        members.setdefault(find(i), []).append(i)
    grouped: dict[int, tuple[int, ...]] = {}  # node -> its complete set, in IRI order
    for group in members.values():
        if len(group) < min_group:
            continue
        group.sort(key=names.__getitem__)
        if all((a, b) in pairs for a in group for b in group if a != b):
            for i in group:
                grouped[i] = tuple(group)
    out: list[Outcome] = []
    made: set[tuple[int, ...]] = set()
    for o, (focus, value) in zip(outcomes, numbered, strict=True):
        complete = grouped.get(focus)
        if complete is None or value not in complete:
            out.append(o)  # not part of a complete set (a pair, or a value outside the set)
            continue
        if complete in made:
            continue
        made.add(complete)
        out.append(Outcome(nodes[complete[0]], o.shape, o.component, o.severity, o.path, None, o.constraint,
                           list(o.messages), o.detail, tuple(nodes[i] for i in complete[1:])))
    return out
