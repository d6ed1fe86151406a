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

Queries live in ``queries/network/*.rq``. Each asks for one kind of fact and Python
joins them by IRI. On Oxigraph the answers are read as pyoxigraph terms (`_rows`):
turning a million of them into rdflib terms cost more than the queries themselves.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from itertools import combinations
from pathlib import Path
from typing import Any, NamedTuple

import networkx as nx
import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.term import Node

from coopkg import gc_pause, resources
from coopkg.store import OxigraphStore, SelectResult, Store
from coopkg.vocab import COOP, DCTERMS, SCHEMA

# Edge styles: what a partnership looks like in every picture.
ACTIVE = "active"
ENDED = "ended"
ENDED_REORGANISATION = "ended-reorganisation"
UNKNOWN = "unknown"
FUNDING = "funding"  # the edge from a funder to the parties of what it funds
REORGANISATION_REASON = "administrative-reorganisation"

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class Lit(NamedTuple):
    """A literal as the projection reads it. Equal RDF literals give equal values (a
    claimed value is recognised by equality); ``datatype`` is "" for plain strings and
    language-tagged text."""

    text: str
    language: str
    datatype: str


# An IRI (or blank node) is its string; a literal is a Lit; None is an unbound variable.
Value = str | Lit
Row = tuple[Any, ...]  # Value | None each, read by position


def _from_ox(term: object) -> Value | None:
    if term is None:
        return None
    if type(term) is ox.Literal:
        if term.language:
            return Lit(term.value, term.language, "")
        datatype = term.datatype.value
        return Lit(term.value, "", "" if datatype == _XSD_STRING else datatype)
    return term.value  # type: ignore[attr-defined]  # NamedNode or BlankNode


def _from_rdflib(term: object) -> Value | None:
    if term is None:
        return None
    if isinstance(term, Literal):
        if term.language:
            return Lit(str(term), term.language, "")
        datatype = "" if term.datatype is None else str(term.datatype)
        return Lit(str(term), "", "" if datatype == _XSD_STRING else datatype)
    return str(term)


def _text(value: Value) -> str:
    """The lexical form of a literal, the string of an IRI."""
    return value if isinstance(value, str) else value.text


def _query_text(name: str) -> str:
    return (resources.folder("queries") / "network" / f"{name}.rq").read_text(encoding="utf-8")


def _rows(store: Store, name: str, variables: tuple[str, ...]) -> Iterator[Row]:
    """The answers of ``queries/network/NAME.rq``, one tuple per row in ``variables`` order."""
    text = _query_text(name)
    if isinstance(store, OxigraphStore):
        solutions = store.store.query(text)
        if not isinstance(solutions, ox.QuerySolutions):
            raise TypeError(f"queries/network/{name}.rq is not a SELECT query")
        _check(name, tuple(v.value for v in solutions.variables), variables)
        convert = _from_ox
        for solution in solutions:
            yield tuple(map(convert, solution))
        return
    answer = store.query(text)
    if not isinstance(answer, SelectResult):
        raise TypeError(f"queries/network/{name}.rq is not a SELECT query")
    _check(name, tuple(answer.variables), variables)
    for row in answer.rows:
        yield tuple(map(_from_rdflib, row))


def rows(store: Store, name: str, variables: tuple[str, ...]) -> Iterator[Row]:
    """Public name of `_rows` for the projections built on this one (the map)."""
    return _rows(store, name, variables)


def _check(name: str, found: tuple[str, ...], wanted: tuple[str, ...]) -> None:
    if found != wanted:  # the rows are read by position
        raise ValueError(f"queries/network/{name}.rq selects {found}, the projection reads {wanted}")


def local_name(iri: Node | Lit | str) -> str:
    """The last segment of an IRI: the record key slug or the vocabulary code."""
    text = iri.text if isinstance(iri, Lit) else str(iri)
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
# Query variable -> the _Link slot keeping its smallest own value
_SLOTS = {"start": "start", "end": "end", "signed": "signed", "status": "status", "endReason": "end_reason",
          "endedBy": "ended_by"}

Claims = set[tuple[str, str, Value]]


class _Shared:
    """One string (and one int) per distinct code, date or currency.

    An atlas repeats a few thousand of them a million times over, and every edge keeps
    its own references: sharing them keeps the graph small.
    """

    def __init__(self) -> None:
        self.codes: dict[str, str] = {}  # IRI -> its local name
        self.texts: dict[str, str] = {}
        self.years: dict[str, int | None] = {}

    def code(self, value: Value) -> str:
        iri = _text(value)
        found = self.codes.get(iri)
        if found is None:
            found = self.codes[iri] = local_name(iri)
        return found

    def text(self, value: Value | str) -> str:
        text = _text(value)
        return self.texts.setdefault(text, text)

    def year(self, text: str | None) -> int | None:
        if not text:
            return None
        if text not in self.years:
            self.years[text] = _year(text)
        return self.years[text]


@dataclass(slots=True)
class _Link:
    """What the queries say about one partnership (or stand-alone agreement).

    Each field keeps the record's own values only, never one that only a contradicting
    source claims; where a property has several, the smallest (lexical form or IRI).
    """

    iri: str
    source_kind: str
    titles: dict[str, str] | None = None  # language -> its smallest title
    start: str | None = None
    end: str | None = None
    signed: str | None = None
    status: str | None = None
    end_reason: str | None = None
    ended_by: str | None = None
    parties: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)  # its form or kind, and its agreements' kinds
    themes: list[str] = field(default_factory=list)  # its own, its agreements' and its projects'
    funding: dict[str, Decimal] | None = None
    first_year: int | None = None  # earliest signature or start year of its agreements and projects
    last_end_year: int | None = None  # latest end year of its agreements and projects

    def title(self, languages: Iterable[str]) -> str:
        return _title(self.titles or {}, languages)


def _add(items: list[str], item: str) -> None:
    if item not in items:  # a handful of items: a list costs far less than a set
        items.append(item)


def _title(titles: dict[str, str], languages: Iterable[str]) -> str:
    for lang in languages:
        if lang in titles:
            return titles[lang]
    return titles[sorted(titles)[0]] if titles else ""


LANGUAGES = ("en", "fr", "ro", "")


@dataclass
class Projection:
    """The actor graph of the network view and the theme labels it uses.

    The country and theme graphs are derived from it on first use (the command line
    derives them from the filtered graph instead).
    """

    actors: nx.MultiGraph
    theme_labels: dict[str, str]
    # IRI -> language -> name: actors (their own name first, then preferred, then other
    # names), reorganisations and vocabulary concepts; what the page's language switch shows
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    store: Store | None = None  # what it was projected from (the map reads the actors' points there)

    @cached_property
    def countries(self) -> nx.Graph:
        return country_graph(self.actors)

    @cached_property
    def themes(self) -> nx.Graph:
        return theme_graph(self.actors, self.theme_labels)


_LINK_VARIABLES = ("link", "title", "start", "end", "status", "endReason", "endedBy", "form")
_STANDALONE_VARIABLES = ("link", "title", "start", "end", "signed", "status", "endReason", "endedBy", "kind", "actor")


def project(store: Store, languages: Iterable[str] = LANGUAGES, include_funders: bool = False) -> Projection:
    """Project a store into the actor multigraph (the country and theme graphs follow from it).

    With ``include_funders``, an actor that funds a partnership it is no party to (a
    ministry, the European Commission) becomes a node of kind ``funder``, linked to each
    party by an edge with ``relation="funds"`` and ``style="funding"`` carrying its own
    amounts. Metrics, the country graph and the theme graph leave those edges out.
    """
    with gc_pause.paused():
        return _project(store, tuple(languages), include_funders)


def _project(store: Store, languages: tuple[str, ...], include_funders: bool) -> Projection:
    shared = _Shared()
    claimed: Claims = set(_rows(store, "claims", ("subject", "predicate", "object")))
    links: dict[str, _Link] = {}
    _fold(links, _rows(store, "partnerships", _LINK_VARIABLES), _LINK_VARIABLES, "partnership", claimed, shared)
    _fold(links, _rows(store, "standalone-agreements", _STANDALONE_VARIABLES), _STANDALONE_VARIABLES, "agreement",
          claimed, shared)

    for link_iri, actor in _rows(store, "parties", ("link", "actor")):
        link = links.get(link_iri)
        if link is not None:
            _add(link.parties, _text(actor))

    # agreement/project IRI -> the links it belongs to (one, nearly always); a link
    # belongs to itself, which `targets` adds
    member_of: dict[str, tuple[str, ...]] = {}
    for member, link_iri, kind, signed, start, end in _rows(
            store, "members", ("member", "link", "kind", "signed", "start", "end")):
        link = links.get(link_iri)
        if link is None:
            continue
        member = _text(member)
        known = member_of.get(member, ())
        if link.iri not in known:
            member_of[member] = (*known, link.iri)
        if claimed:
            kind = _unclaimed(member, "kind", kind, claimed)
            signed = _unclaimed(member, "signed", signed, claimed)
            start = _unclaimed(member, "start", start, claimed)
            end = _unclaimed(member, "end", end, claimed)
        if kind is not None:
            _add(link.kinds, shared.code(kind))
        for value in (signed, start):
            year = None if value is None else shared.year(_text(value))
            if year is not None and (link.first_year is None or year < link.first_year):
                link.first_year = year
        year = None if end is None else shared.year(_text(end))
        if year is not None and (link.last_end_year is None or year > link.last_end_year):
            link.last_end_year = year

    def targets(thing: str) -> tuple[str, ...]:
        """The links that a thing (a link, an agreement, a project) counts for."""
        found = member_of.get(thing, ())
        return (*found, thing) if thing in links and thing not in found else found

    used_themes: set[str] = set()
    for thing, theme in _rows(store, "themes", ("thing", "theme")):
        code = shared.code(theme)
        used_themes.add(code)
        for iri in targets(thing):
            _add(links[iri].themes, code)
    theme_labels: dict[str, str] = {}
    for theme, label in _rows(store, "theme-labels", ("theme", "label")):
        code = shared.code(theme)
        text = _text(label)
        if code in used_themes and (code not in theme_labels or text < theme_labels[code]):
            theme_labels[code] = text

    # link IRI -> funder IRI -> currency -> amount (only when funders are drawn)
    funders: dict[str, dict[str, dict[str, Decimal]]] = {}
    for target, amount_value, currency_value, funder in _rows(store, "fundings", ("target", "amount", "currency", "funder")):
        found = targets(target)
        if not found:
            continue
        try:
            amount = Decimal(_text(amount_value))
        except InvalidOperation:
            continue
        currency = shared.text(currency_value)
        for iri in found:
            link = links[iri]
            if link.funding is None:
                link.funding = {}
            link.funding[currency] = link.funding.get(currency, Decimal(0)) + amount
            if include_funders and funder is not None:
                own_amounts = funders.setdefault(iri, {}).setdefault(_text(funder), {})
                own_amounts[currency] = own_amounts.get(currency, Decimal(0)) + amount
    member_of.clear()  # the largest of the lookups, freed before the graph is made

    actors = _actor_attributes(store, shared)
    parties = {iri: links[iri].parties for iri in funders}
    graph = _actor_graph(links, actors, languages, shared)
    if include_funders:
        _add_funders(store, graph, parties, funders, actors)
    return Projection(graph, dict(sorted(theme_labels.items())), _labels(store, graph), store)


def _labels(store: Store, graph: nx.MultiGraph) -> dict[str, dict[str, str]]:
    """IRI -> language -> one name, for the actors of ``graph``, reorganisations and concepts.

    Per language the best-ranked name wins (own label, preferred, other), then the
    shortest, then the smallest: stable whatever order the store answers in."""
    every: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
    for thing, label, rank in _rows(store, "labels", ("thing", "label", "rank")):
        if not isinstance(label, Lit) or not label.language:
            continue
        iri = _text(thing)
        if "/id/" in iri and "/reorganization/" not in iri and iri not in graph:
            continue  # an actor the network does not show
        every[iri].append((label.language.lower().split("-")[0], int(_text(rank)), label.text))
    out: dict[str, dict[str, str]] = {}
    for iri in sorted(every):
        # "Timis" beside "Timiș" is a spelling without diacritics (for search), not a name to show
        accented = {_folded(text) for _, _, text in every[iri] if not text.isascii()}
        best: dict[str, tuple[int, int, str]] = {}
        for language, rank, text in every[iri]:
            if text.isascii() and _folded(text) in accented:
                continue
            candidate = (rank, len(text), text)
            if language not in best or candidate < best[language]:
                best[language] = candidate
        out[iri] = {lang: best[lang][2] for lang in sorted(best)}
    return out


def _folded(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)).casefold()


def _add_funders(store: Store, graph: nx.MultiGraph, parties_of: dict[str, list[str]],
                 funders: dict[str, dict[str, dict[str, Decimal]]], actors: dict[str, _Actor]) -> None:
    by_link = {d["link"]: d for _, _, d in graph.edges(data=True)}
    for link_iri in sorted(funders):
        base = by_link.get(link_iri)
        if base is None:
            continue
        parties = parties_of[link_iri]
        for funder in sorted(funders[link_iri]):
            if funder in parties:
                continue  # a party funding its own partnership adds no link
            if funder not in graph:
                # other names stand in only for actors that are party to something
                attrs = _node_attributes(funder, actors, lambda iri: _is_party(store, iri))
                graph.add_node(funder, **{**attrs, "kind": "funder"})
            amounts = funders[link_iri][funder]
            for party in sorted(parties):
                attrs = {**base, "relation": "funds", "style": FUNDING, "funder": funder,
                         "funding": {c: amounts[c] for c in sorted(amounts)}}
                graph.add_edge(funder, party, key=f"{link_iri}#funded-by#{local_name(funder)}#{local_name(party)}", **attrs)


def _is_party(store: Store, actor: str) -> bool:
    return bool(store.query(_query_text("is-party"), {"actor": URIRef(actor)}))


def partnerships_only(graph: nx.MultiGraph) -> nx.MultiGraph:
    """The actor graph without funder edges (and funders linked by nothing else)."""
    if all(d.get("relation", "partnership") == "partnership" for _, _, d in graph.edges(data=True)):
        return graph
    keep = [(a, b, k) for a, b, k, d in graph.edges(keys=True, data=True) if d.get("relation", "partnership") == "partnership"]
    out = graph.edge_subgraph(keep).copy()
    out.graph.update(graph.graph)
    return out


def _fold(links: dict[str, _Link], rows: Iterable[Row], variables: tuple[str, ...], source_kind: str,
          claimed: Claims, shared: _Shared) -> None:
    names = variables[1:]
    for row in rows:
        iri = _text(row[0])
        link = links.get(iri)
        if link is None:
            link = links[iri] = _Link(iri, source_kind)
        for name, value in zip(names, row[1:], strict=True):
            if value is None:
                continue
            if name == "actor":
                _add(link.parties, _text(value))
            elif name == "title":  # every title counts, whoever claims it (as before claims were read)
                if isinstance(value, Lit):
                    titles = link.titles
                    if titles is None:
                        link.titles = {value.language: value.text}
                    elif value.language not in titles or value.text < titles[value.language]:
                        titles[value.language] = value.text
            elif claimed and (iri, _PROPERTIES[name], value) in claimed:
                continue
            elif name in ("form", "kind"):
                _add(link.kinds, shared.code(value))
            else:
                slot = _SLOTS[name]
                text = shared.text(value)
                current = getattr(link, slot)
                if current is None or text < current:
                    setattr(link, slot, text)


def _unclaimed(subject: str, name: str, value: Value | None, claimed: Claims) -> Value | None:
    return None if value is None or (subject, _PROPERTIES[name], value) in claimed else value


def _unknown_actor(iri: str) -> dict[str, str]:
    name = local_name(iri)
    return {"key": name, "label": name, "display": name, "country": "?", "kind": "institution", "subkind": ""}


@dataclass(slots=True)
class _Actor:
    """What the queries say about one actor."""

    kind: str
    country: str = "?"
    subkind: str = ""
    # An actor has one rdfs:label, its name in its own language; a contradicting source
    # may add another: the smallest language tag wins (then the smallest text), so the
    # choice is stable.
    label: tuple[str, str] | None = None  # (language, text)
    alternatives: list[str] | None = None  # skos:altLabel


_RANK = {"collectivity": 0, "institution": 1, "funder": 2}


def _actor_attributes(store: Store, shared: _Shared) -> dict[str, _Actor]:
    found: dict[str, _Actor] = {}
    for iri, type_, label, country, ckind, ikind in _rows(
            store, "actors", ("actor", "type", "label", "country", "ckind", "ikind")):
        iri = _text(iri)
        kind = shared.text(shared.code(type_).lower())
        actor = found.get(iri)
        if actor is None:
            actor = found[iri] = _Actor(kind)
        elif _RANK[kind] < _RANK[actor.kind]:
            actor.kind = kind
        if isinstance(label, Lit):
            named = (label.language, label.text)
            if actor.label is None or named < actor.label:
                actor.label = named
        if country is not None:
            actor.country = shared.text(_text(country).upper())
        for value in (ckind, ikind):
            if value is not None:
                actor.subkind = shared.code(value)
    for iri, alt in _rows(store, "actor-alt-labels", ("actor", "alt")):
        actor = found.get(_text(iri))
        if actor is not None:
            if actor.alternatives is None:
                actor.alternatives = []
            actor.alternatives.append(_text(alt))
    return found


def _node_attributes(iri: str, actors: dict[str, _Actor], party: Callable[[str], bool] = lambda iri: True) -> dict[str, str]:
    """A node's attributes; ``party`` says whether the actor is party to something
    (only then may one of its other names stand in for a name no font can draw)."""
    actor = actors.get(iri)
    if actor is None:
        return _unknown_actor(iri)
    key = local_name(iri)
    label = actor.label[1] if actor.label is not None else key
    display = label
    if actor.alternatives and not is_latin(label) and party(iri):
        display = display_label(label, actor.alternatives)
    return {"key": key, "label": label, "display": display, "country": actor.country, "kind": actor.kind,
            "subkind": actor.subkind}


def is_latin(text: str) -> bool:
    """True when every letter of ``text`` is a Latin letter (what any font can draw)."""
    if text.isascii():
        return True  # every ASCII letter is a Latin one: the common case, without a name lookup per letter
    return all(unicodedata.name(ch, "").startswith("LATIN") for ch in text if ch.isalpha())


def display_label(name: str, alternatives: list[str]) -> str:
    """The name to print: the actor's own, or its shortest Latin-script other name."""
    if is_latin(name):
        return name
    latin = sorted((alt for alt in alternatives if is_latin(alt)), key=lambda a: (len(a), a))
    return latin[0] if latin else name


def _actor_graph(links: dict[str, _Link], actors: dict[str, _Actor], languages: tuple[str, ...],
                 shared: _Shared) -> nx.MultiGraph:
    """The actor multigraph. ``links`` is emptied on the way: each link's facts are
    dropped once its edges hold them, so the two are never both whole in memory."""
    graph = nx.MultiGraph()
    nodes = sorted({p for link in links.values() for p in link.parties})
    # every node is a party to a link: its other names may stand in for its own
    graph.add_nodes_from((iri, _node_attributes(iri, actors)) for iri in nodes)
    for iri in sorted(links):
        link = links.pop(iri)
        if len(link.parties) < 2:
            continue
        status = (None if link.status is None else shared.code(link.status)) or "unknown"
        start = link.start or link.signed
        end = link.end
        end_reason = None if link.end_reason is None else shared.code(link.end_reason)
        reorganization = None if link.ended_by is None else shared.code(link.ended_by)
        start_year = shared.year(start) or link.first_year
        end_year = shared.year(end)
        if end_year is None and status == "ended":
            end_year = link.last_end_year
        funding = link.funding or {}
        attrs = {
            "link": iri,
            "link_key": local_name(iri),
            "source_kind": link.source_kind,
            "title": link.title(languages),
            "titles": dict(sorted((link.titles or {}).items())),  # language -> title, for pages and exports
            "kinds": sorted(link.kinds),
            "start": start,
            "end": end,
            "start_year": start_year,
            "end_year": end_year,
            "status": status,
            "end_reason": end_reason,
            "reorganization": reorganization,
            "themes": sorted(link.themes),
            "funding": {c: funding[c] for c in sorted(funding)},
            "style": edge_style(status, end_reason, reorganization),
            "parties": len(link.parties),
            "relation": "partnership",
        }
        parties = sorted(link.parties)
        for a, b in combinations(parties, 2):
            graph.add_edge(a, b, key=iri if len(parties) == 2 else f"{iri}#{local_name(a)}--{local_name(b)}", **attrs)
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
    from coopkg.diskstore import load_for_scans
    from coopkg.store import from_triples

    if graph_file is not None:
        return load_for_scans(graph_file)
    loaded = build.load()
    return from_triples(build.graph_triples(loaded.records), "oxigraph")
