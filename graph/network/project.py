"""Projection of the RDF graph into networkx graphs, by SPARQL (so it scales).

The main graph is a ``networkx.MultiGraph`` of actors: one edge per ``coop:Partnership``
between its ``coop:party`` actors (a partnership of more than two parties gives an edge
between each pair), keyed by the partnership's IRI. An agreement that belongs to no
partnership stands for its own partnership, so signed agreements are never lost.

Every node is keyed by the actor's IRI and carries ``key`` (the IRI's last segment),
``label``, ``country`` (ISO code or ``"?"``), ``kind`` (``collectivity``, ``institution``
or ``funder``) and ``subkind`` (collectivity or institution kind code).

Every edge carries ``link`` (the partnership IRI), ``source_kind`` (``partnership`` or
``agreement``), ``title``, ``kinds`` (sorted agreement-kind codes of its agreements, or
its form), ``start``/``end`` (ISO dates at their own precision), ``start_year``/
``end_year`` (ints; falling back to its agreements' and projects' dates when the
partnership has none), ``status`` (status code or ``unknown``), ``end_reason``,
``reorganization``, ``themes`` (codes of the partnership's, its agreements' and its
projects' themes), ``funding`` (``{currency: total}``, over fundings of the partnership,
its agreements and its projects) and ``style`` (see `edge_style`).

Queries live in ``queries/network/*.rq``.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import combinations
from pathlib import Path

import networkx as nx
from rdflib import Literal
from rdflib.term import Node

from coopkg import resources
from coopkg.store import SelectResult, Store
from coopkg.vocab import COOP, DCTERMS, SCHEMA

# Edge styles: what a partnership looks like in every picture.
ACTIVE = "active"
ENDED = "ended"
ENDED_REORGANISATION = "ended-reorganisation"
UNKNOWN = "unknown"
FUNDING = "funding"  # the edge from a funder to the parties of what it funds
REORGANISATION_REASON = "administrative-reorganisation"


def _query_text(name: str) -> str:
    return (resources.folder("queries") / "network" / f"{name}.rq").read_text(encoding="utf-8")


def _select(store: Store, name: str) -> list[dict[str, Node | None]]:
    answer = store.query(_query_text(name))
    if not isinstance(answer, SelectResult):
        raise TypeError(f"queries/network/{name}.rq is not a SELECT query")
    return answer.dicts()


def local_name(iri: Node | str) -> str:
    """The last segment of an IRI: the record key slug or the vocabulary code."""
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _year(value: str | None) -> int | None:
    if not value:
        return None
    head = value.lstrip("-")[:4]
    return int(head) if head.isdigit() else None


def edge_style(status: str, end_reason: str | None, reorganization: str | None) -> str:
    """``ended-reorganisation``, ``ended``, ``active`` (ongoing or planned) or ``unknown``."""
    if status == "ended" or end_reason or reorganization:
        if end_reason == REORGANISATION_REASON or reorganization:
            return ENDED_REORGANISATION
        return ENDED
    if status in {"ongoing", "planned"}:
        return ACTIVE
    return UNKNOWN


# Query variable -> the property it reads, so claimed values can be recognised.
_PROPERTIES = {
    "title": str(DCTERMS.title),
    "start": str(SCHEMA.startDate),
    "end": str(SCHEMA.endDate),
    "signed": str(COOP.signatureDate),
    "status": str(COOP.status),
    "endReason": str(COOP.endReason),
    "endedBy": str(COOP.endedBy),
    "form": str(COOP.form),
    "kind": str(COOP.agreementKind),
}


@dataclass
class _Link:
    """What the queries say about one partnership (or stand-alone agreement)."""

    iri: str
    source_kind: str
    values: dict[str, set[Node]] = field(default_factory=lambda: defaultdict(set))  # variable -> values
    parties: set[str] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)
    themes: set[str] = field(default_factory=set)
    funding: dict[str, Decimal] = field(default_factory=dict)
    member_years: list[int] = field(default_factory=list)
    member_end_years: list[int] = field(default_factory=list)

    def value(self, name: str, claimed: set[tuple[str, str, Node]]) -> Node | None:
        """The record's own value, never one that only a contradicting source claims."""
        own = [v for v in self.values.get(name, ()) if (self.iri, _PROPERTIES[name], v) not in claimed]
        return min(own, key=str) if own else None

    def text(self, name: str, claimed: set[tuple[str, str, Node]]) -> str | None:
        node = self.value(name, claimed)
        return None if node is None else str(node)

    def code(self, name: str, claimed: set[tuple[str, str, Node]]) -> str | None:
        node = self.value(name, claimed)
        return None if node is None else local_name(node)

    def title(self, languages: Iterable[str]) -> str:
        titles: dict[str, str] = {}
        for node in sorted(self.values.get("title", set()), key=str):
            if isinstance(node, Literal):
                titles.setdefault(node.language or "", str(node))
        return _title(titles, languages)


def _title(titles: dict[str, str], languages: Iterable[str]) -> str:
    for lang in languages:
        if lang in titles:
            return titles[lang]
    return titles[sorted(titles)[0]] if titles else ""


LANGUAGES = ("en", "fr", "ro", "")


@dataclass
class Projection:
    """The three graphs of the network view, and the theme labels they use."""

    actors: nx.MultiGraph
    countries: nx.Graph
    themes: nx.Graph
    theme_labels: dict[str, str]


def project(store: Store, languages: Iterable[str] = LANGUAGES, include_funders: bool = False) -> Projection:
    """Project a store into the actor multigraph, the country graph and the theme graph.

    With ``include_funders``, an actor that funds a partnership it is no party to (a
    ministry, the European Commission) becomes a node of kind ``funder``, linked to each
    party by an edge with ``relation="funds"`` and ``style="funding"`` carrying its own
    amounts. Metrics, the country graph and the theme graph leave those edges out.
    """
    languages = tuple(languages)
    links: dict[str, _Link] = {}
    for row in _select(store, "partnerships"):
        _fold(links, row, "partnership")
    for row in _select(store, "standalone-agreements"):
        _fold(links, row, "agreement")
    claimed = {(str(r["subject"]), str(r["predicate"]), r["object"]) for r in _select(store, "claims")}

    def own(row: dict[str, Node | None], name: str) -> Node | None:
        value = row.get(name)
        return None if value is None or (str(row["member"]), _PROPERTIES[name], value) in claimed else value

    for row in _select(store, "parties"):
        link = links.get(str(row["link"]))
        if link is not None:
            link.parties.add(str(row["actor"]))

    member_of: dict[str, set[str]] = defaultdict(set)  # agreement/project IRI -> link IRIs
    for row in _select(store, "members"):
        link = links.get(str(row["link"]))
        if link is None:
            continue
        member = str(row["member"])
        member_of[member].add(link.iri)
        kind = own(row, "kind")
        if kind is not None:
            link.kinds.add(local_name(kind))
        for name in ("signed", "start"):
            year = _year(str(own(row, name) or ""))
            if year is not None:
                link.member_years.append(year)
        end_year = _year(str(own(row, "end") or ""))
        if end_year is not None:
            link.member_end_years.append(end_year)
    for iri in links:
        member_of[iri].add(iri)

    theme_labels: dict[str, str] = {}
    for row in _select(store, "themes"):
        code = local_name(row["theme"])  # type: ignore[arg-type]
        if row.get("label") is not None:
            theme_labels[code] = str(row["label"])
        for iri in member_of.get(str(row["thing"]), ()):
            links[iri].themes.add(code)

    # link IRI -> funder IRI -> currency -> amount
    funders: dict[str, dict[str, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for row in _select(store, "fundings"):
        targets = member_of.get(str(row["target"]), set())
        try:
            amount = Decimal(str(row["amount"]))
        except InvalidOperation:
            continue
        currency = str(row["currency"])
        for iri in targets:
            funding = links[iri].funding
            funding[currency] = funding.get(currency, Decimal(0)) + amount
            if row.get("funder") is not None:
                own_amounts = funders[iri][str(row["funder"])]
                own_amounts[currency] = own_amounts.get(currency, Decimal(0)) + amount

    actors = _actor_attributes(store)
    graph = _actor_graph(links, actors, languages, claimed)
    if include_funders:
        _add_funders(graph, links, funders, actors)
    return Projection(graph, country_graph(graph), theme_graph(graph, theme_labels), dict(sorted(theme_labels.items())))


def _add_funders(graph: nx.MultiGraph, links: dict[str, _Link], funders: dict[str, dict[str, dict[str, Decimal]]],
                 actors: dict[str, dict[str, str]]) -> None:
    by_link = {d["link"]: d for _, _, d in graph.edges(data=True)}
    for link_iri in sorted(funders):
        base = by_link.get(link_iri)
        if base is None:
            continue
        parties = links[link_iri].parties
        for funder in sorted(funders[link_iri]):
            if funder in parties:
                continue  # a party funding its own partnership adds no link
            if funder not in graph:
                graph.add_node(funder, **{**actors.get(funder, _unknown_actor(funder)), "kind": "funder"})
            amounts = funders[link_iri][funder]
            for party in sorted(parties):
                attrs = {**base, "relation": "funds", "style": FUNDING, "funder": funder,
                         "funding": {c: amounts[c] for c in sorted(amounts)}}
                graph.add_edge(funder, party, key=f"{link_iri}#funded-by#{local_name(funder)}#{local_name(party)}", **attrs)


def partnerships_only(graph: nx.MultiGraph) -> nx.MultiGraph:
    """The actor graph without funder edges (and funders linked by nothing else)."""
    if all(d.get("relation", "partnership") == "partnership" for _, _, d in graph.edges(data=True)):
        return graph
    keep = [(a, b, k) for a, b, k, d in graph.edges(keys=True, data=True) if d.get("relation", "partnership") == "partnership"]
    out = graph.edge_subgraph(keep).copy()
    out.graph.update(graph.graph)
    return out


def _fold(links: dict[str, _Link], row: dict[str, Node | None], source_kind: str) -> None:
    iri = str(row["link"])
    link = links.setdefault(iri, _Link(iri, source_kind))
    for name, value in row.items():
        if name != "link" and value is not None:
            link.values[name].add(value)


def _unknown_actor(iri: str) -> dict[str, str]:
    name = local_name(iri)
    return {"key": name, "label": name, "display": name, "country": "?", "kind": "institution", "subkind": ""}


def _actor_attributes(store: Store) -> dict[str, dict[str, str]]:
    rank = {"collectivity": 0, "institution": 1, "funder": 2}
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    found: dict[str, dict[str, str]] = {}
    for row in _select(store, "actors"):
        iri = str(row["actor"])
        kind = local_name(row["type"]).lower()  # type: ignore[arg-type]
        attrs = found.setdefault(
            iri, {"key": local_name(iri), "label": "", "display": "", "country": "?", "kind": kind, "subkind": ""}
        )
        if rank[kind] < rank[attrs["kind"]]:
            attrs["kind"] = kind
        label = row.get("label")
        if isinstance(label, Literal):
            lang = label.language or ""
            labels[iri][lang] = min(labels[iri].get(lang, str(label)), str(label))
        if row.get("country") is not None:
            attrs["country"] = str(row["country"]).upper()
        for name in ("ckind", "ikind"):
            if row.get(name) is not None:
                attrs["subkind"] = local_name(row[name])  # type: ignore[arg-type]
    alternatives: dict[str, list[str]] = defaultdict(list)
    for row in _select(store, "actor-alt-labels"):
        alternatives[str(row["actor"])].append(str(row["alt"]))
    for iri, attrs in found.items():
        # An actor has one rdfs:label, its name in its own language; a contradicting
        # source may add another: the smallest language tag wins, so the choice is stable.
        names = labels.get(iri, {})
        attrs["label"] = names[min(names)] if names else attrs["key"]
        attrs["display"] = display_label(attrs["label"], alternatives.get(iri, []))
    return found


def is_latin(text: str) -> bool:
    """True when every letter of ``text`` is a Latin letter (what any font can draw)."""
    return all(unicodedata.name(ch, "").startswith("LATIN") for ch in text if ch.isalpha())


def display_label(name: str, alternatives: list[str]) -> str:
    """The name to print: the actor's own, or its shortest Latin-script other name."""
    if is_latin(name):
        return name
    latin = sorted((alt for alt in alternatives if is_latin(alt)), key=lambda a: (len(a), a))
    return latin[0] if latin else name


def _actor_graph(links: dict[str, _Link], actors: dict[str, dict[str, str]], languages: tuple[str, ...],
                 claimed: set[tuple[str, str, Node]]) -> nx.MultiGraph:
    graph = nx.MultiGraph()
    nodes = sorted({p for link in links.values() for p in link.parties})
    for iri in nodes:
        graph.add_node(iri, **actors.get(iri, _unknown_actor(iri)))
    for iri in sorted(links):
        link = links[iri]
        if len(link.parties) < 2:
            continue
        status = link.code("status", claimed) or "unknown"
        start = link.text("start", claimed) or link.text("signed", claimed)
        end = link.text("end", claimed)
        end_reason = link.code("endReason", claimed)
        reorganization = link.code("endedBy", claimed)
        kinds = set(link.kinds)
        for name in ("form", "kind"):
            kinds.update(local_name(v) for v in link.values.get(name, ()) if (iri, _PROPERTIES[name], v) not in claimed)
        start_year = _year(start) or (min(link.member_years) if link.member_years else None)
        end_year = _year(end)
        if end_year is None and status == "ended" and link.member_end_years:
            end_year = max(link.member_end_years)
        attrs = {
            "link": iri,
            "link_key": local_name(iri),
            "source_kind": link.source_kind,
            "title": link.title(languages),
            "kinds": sorted(kinds),
            "start": start,
            "end": end,
            "start_year": start_year,
            "end_year": end_year,
            "status": status,
            "end_reason": end_reason,
            "reorganization": reorganization,
            "themes": sorted(link.themes),
            "funding": {c: link.funding[c] for c in sorted(link.funding)},
            "style": edge_style(status, end_reason, reorganization),
            "parties": len(link.parties),
            "relation": "partnership",
        }
        for a, b in combinations(sorted(link.parties), 2):
            graph.add_edge(a, b, key=iri if len(link.parties) == 2 else f"{iri}#{local_name(a)}--{local_name(b)}", **attrs)
    return graph


def simple_graph(graph: nx.MultiGraph) -> nx.Graph:
    """Parallel partnerships folded into one edge whose ``weight`` counts them."""
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes(data=True))
    for a, b in graph.edges():
        if simple.has_edge(a, b):
            simple[a][b]["weight"] += 1
        else:
            simple.add_edge(a, b, weight=1)
    return simple


def country_graph(graph: nx.MultiGraph) -> nx.Graph:
    """Countries linked by the partnerships between their actors (``weight``: how many)."""
    graph = partnerships_only(graph)
    countries = nx.Graph()
    for _, attrs in sorted(graph.nodes(data=True)):
        country = attrs["country"]
        if country not in countries:
            countries.add_node(country, actors=0)
        countries.nodes[country]["actors"] += 1
    seen: set[tuple[str, str, str]] = set()
    for a, b, attrs in graph.edges(data=True):
        ca, cb = sorted((graph.nodes[a]["country"], graph.nodes[b]["country"]))
        if (ca, cb, attrs["link"]) in seen:  # one count per partnership, even multi-party
            continue
        seen.add((ca, cb, attrs["link"]))
        if countries.has_edge(ca, cb):
            countries[ca][cb]["weight"] += 1
        else:
            countries.add_edge(ca, cb, weight=1)
    return countries


def theme_graph(graph: nx.MultiGraph, theme_labels: dict[str, str]) -> nx.Graph:
    """Bipartite actor–theme graph: ``weight`` = partnerships of the actor with the theme."""
    graph = partnerships_only(graph)
    themes = nx.Graph()
    counts: dict[tuple[str, str], set[str]] = defaultdict(set)
    for a, b, attrs in graph.edges(data=True):
        for code in attrs["themes"]:
            counts[(a, code)].add(attrs["link"])
            counts[(b, code)].add(attrs["link"])
    for iri, attrs in sorted(graph.nodes(data=True)):
        themes.add_node(iri, bipartite=0, **attrs)
    for code in sorted({code for _, code in counts}):
        themes.add_node(f"theme:{code}", bipartite=1, kind="theme", key=code, label=theme_labels.get(code, code))
    for (iri, code), found in sorted(counts.items()):
        themes.add_edge(iri, f"theme:{code}", weight=len(found))
    return themes


def load_store(graph_file: Path | None = None) -> Store:
    """A graph file in Oxigraph, or the bundled dataset built in memory."""
    from coopkg import build
    from coopkg.store import from_triples, open_graph

    if graph_file is not None:
        return open_graph(graph_file, "oxigraph")
    loaded = build.load()
    return from_triples(build.graph_triples(loaded.records), "oxigraph")
