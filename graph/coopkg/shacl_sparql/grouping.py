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
    pairs = {(o.focus, o.value) for o in outcomes}
    # union-find over the pairs reported both ways
    parent: dict[Node, Node] = {}

    def find(node: Node) -> Node:
        root = node
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(node, node) != root:  # path halving keeps the chains short
            parent[node], node = root, parent[node]
        return root

    for focus, value in pairs:
        if (value, focus) in pairs:
            a, b = find(focus), find(value)
            if a != b:
                parent[max(a, b, key=str)] = min(a, b, key=str)
    members: dict[Node, list[Node]] = {}
    for node in parent.keys() | set(parent.values()):
        members.setdefault(find(node), []).append(node)
    grouped: dict[Node, tuple[Node, ...]] = {}  # node -> its complete set, sorted
    for nodes in members.values():
        if len(nodes) < min_group:
            continue
        nodes.sort(key=str)
        if all((a, b) in pairs for a in nodes for b in nodes if a != b):
            for node in nodes:
                grouped[node] = tuple(nodes)
    out: list[Outcome] = []
    made: set[tuple[Node, ...]] = set()
    for o in outcomes:
        group = grouped.get(o.focus)
        if group is None or o.value not in group:
            out.append(o)  # not part of a complete set (a pair, or a value outside the set)
            continue
        if group in made:
            continue
        made.add(group)
        out.append(Outcome(group[0], o.shape, o.component, o.severity, o.path, None, o.constraint,
                           list(o.messages), o.detail, group[1:]))
    return out
