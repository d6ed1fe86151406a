"""The interactive page: one self-contained HTML file (data, CSS and JS inlined).

No CDN and no library: plain JavaScript draws the network as SVG at the same seeded
layout as the static picture, and offers pan, zoom, search, a panel with an actor's
partnerships (dates, status, end, themes, funding), filters by status, country and theme,
and a year slider showing the network as it stood in a given year.

The page speaks English, French and Romanian (a switch; ``lang`` is where it opens): its
own words are in page.js; names of actors, kinds, statuses, end reasons, themes and
reorganisations come from the graph's language-tagged labels (the shipped vocabularies
where the graph lacks them), country names from pycountry's ISO 3166 translations. A
name the data has in no chosen language stays in the language it has.
"""

from __future__ import annotations

import gettext
import json
import math
from collections import Counter
from functools import cache
from html import escape
from importlib import resources
from pathlib import Path

import networkx as nx

from coopkg import atomic
from coopkg.network.draw import labelled_nodes, node_sizes
from coopkg.network.export import funding_text
from coopkg.network.filters import STATUSES
from coopkg.network.layout import layout as seeded_layout
from coopkg.network.style import EDGE_STYLES, country_colors

PIXELS_PER_UNIT = 90.0
LANGUAGES = ("en", "fr", "ro")
VOCAB = "https://w3id.org/coopkg/vocab/"


@cache
def _shipped_vocabulary_labels() -> dict[str, dict[str, dict[str, str]]]:
    """scheme -> code -> language -> prefLabel, from the shipped SKOS files."""
    from rdflib import Graph
    from rdflib.namespace import SKOS

    from coopkg import resources as shipped

    graph = Graph()
    for path in shipped.files("ontology", "vocabularies/*.ttl"):
        graph.parse(path, format="turtle")
    out: dict[str, dict[str, dict[str, str]]] = {}
    for concept, label in graph.subject_objects(SKOS.prefLabel):
        _vocab_label(out, str(concept), getattr(label, "language", None) or "", str(label))
    return out


def _vocab_label(out: dict[str, dict[str, dict[str, str]]], iri: str, language: str, text: str) -> None:
    if not iri.startswith(VOCAB) or not language:
        return
    scheme, _, code = iri[len(VOCAB):].partition("/")
    if code:
        out.setdefault(scheme, {}).setdefault(code, {})[language] = text


def vocabulary_labels(labels: dict[str, dict[str, str]] | None) -> dict[str, dict[str, dict[str, str]]]:
    """scheme -> code -> language -> label: the graph's labels over the shipped ones."""
    out = {scheme: {code: dict(names) for code, names in codes.items()}
           for scheme, codes in _shipped_vocabulary_labels().items()}
    for iri, names in (labels or {}).items():
        for language, text in names.items():
            _vocab_label(out, iri, language, text)
    return out


@cache
def country_names(code: str) -> dict[str, str]:
    """An ISO 3166-1 alpha-2 code's short name in en, fr and ro ({} for an unknown code)."""
    import pycountry

    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    if country is None:
        return {}
    english = getattr(country, "common_name", None) or country.name
    names = {"en": english}
    for lang in ("fr", "ro"):
        translator = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        names[lang] = translator.gettext(english) if english != country.name and translator.gettext(english) != english \
            else translator.gettext(country.name)
    return names


def _asset(name: str) -> str:
    return resources.files("coopkg.network").joinpath(name).read_text(encoding="utf-8")


def assemble(template: str, generator: str, title: str, lang: str, css: str, js: str, data: str) -> str:
    """A self-contained page: the shared head, stylesheet and helpers (head.html, common.css,
    common.js) with the page's own, its data inlined (already escaped for a <script> element)."""
    head = (_asset("head.html").replace("{{GENERATOR}}", escape(generator)).replace("{{COMMON_CSS}}", _asset("common.css"))
            .replace("{{CSS}}", css))
    # split at the data first: neither the data nor a title holding "{{DATA}}" is read as a placeholder
    before, after = template.split("{{DATA}}")

    def fill(part: str) -> str:
        return (part.replace("{{HEAD}}", head).replace("{{COMMON_JS}}", _asset("common.js")).replace("{{JS}}", js)
                .replace("{{TITLE}}", escape(title)).replace("{{LANG}}", escape(lang)))

    return fill(before) + data + fill(after)


def page_titles(attrs: dict) -> dict[str, str]:
    """A partnership's titles in the page's languages, where they differ from ``title``.

    The page shows the one of its language, else ``title`` (English, French, Romanian,
    then any language: the projection's order); nothing is sent when no language differs."""
    titles = attrs.get("titles") or {}
    return {lg: titles[lg] for lg in LANGUAGES if lg in titles and titles[lg] != attrs.get("title", "")}


def page_data(graph: nx.MultiGraph, theme_labels: dict[str, str], seed: int = 7, filters: str = "",
              pos: dict[str, tuple[float, float]] | None = None, labels: dict[str, dict[str, str]] | None = None,
              lang: str = "en") -> dict:
    """Everything the page script needs, as plain JSON-able values.

    ``labels`` (`Projection.labels`) gives names per language; ``lang`` is the language
    the page opens in (en, fr or ro)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown page language {lang!r} (known: {', '.join(LANGUAGES)})")
    labels = labels or {}
    pos = pos if pos is not None else seeded_layout(graph, seed=seed)
    sizes = node_sizes(graph)
    labelled = set(labelled_nodes(graph))
    colors = country_colors(graph)
    countries = Counter(a.get("country", "?") for _, a in graph.nodes(data=True))
    nodes = []
    for node, attrs in sorted(graph.nodes(data=True)):
        x, y = pos[node]
        nodes.append({
            "id": node, "key": attrs.get("key", node), "label": attrs.get("label", node),
            "display": attrs.get("display") or attrs.get("label", node), "country": attrs.get("country", "?"),
            "kind": attrs.get("kind", "collectivity"), "subkind": attrs.get("subkind", ""),
            "x": round(x * PIXELS_PER_UNIT, 2), "y": round(-y * PIXELS_PER_UNIT, 2),
            "radius": round(math.sqrt(sizes[node] / math.pi), 2), "degree": graph.degree(node),
            "labelled": node in labelled,
        })
        # names in the page's languages where the data has them (and they differ)
        own = labels.get(node, {})
        names = {lg: own[lg] for lg in LANGUAGES if lg in own and own[lg] != nodes[-1]["display"]}
        if names:
            nodes[-1]["names"] = names
    edges = []
    years: list[int] = []
    statuses: Counter[str] = Counter()
    seen_links: set[str] = set()
    themes_used: set[str] = set()
    styles_used: set[str] = set()
    for a, b, _key, attrs in sorted(graph.edges(keys=True, data=True), key=lambda e: (str(e[2]), e[0], e[1])):
        edges.append({
            "source": a, "target": b, "link": attrs["link"], "link_key": attrs.get("link_key", ""),
            "title": attrs.get("title", ""), "titles": page_titles(attrs),
            "kinds": list(attrs.get("kinds", [])), "status": attrs.get("status", "unknown"),
            "style": attrs.get("style", "unknown"), "start": attrs.get("start"), "end": attrs.get("end"),
            "start_year": attrs.get("start_year"), "end_year": attrs.get("end_year"),
            "end_reason": attrs.get("end_reason"), "reorganization": attrs.get("reorganization"),
            "themes": list(attrs.get("themes", [])), "funding": funding_text(attrs.get("funding") or {}),
            "relation": attrs.get("relation", "partnership"), "funder": attrs.get("funder"),
        })
        styles_used.add(attrs.get("style", "unknown"))
        years.extend(y for y in (attrs.get("start_year"), attrs.get("end_year")) if y is not None)
        themes_used.update(attrs.get("themes", []))
        if attrs["link"] not in seen_links:
            seen_links.add(attrs["link"])
            statuses[attrs.get("status", "unknown")] += 1
    order = list(STATUSES) + sorted(set(statuses) - set(STATUSES))
    vocabulary = vocabulary_labels(labels)
    reorganizations = {iri.rsplit("/", 1)[-1]: names for iri, names in labels.items()
                       if "/reorganization/" in iri and "/change/" not in iri}
    theme_names = {code: vocabulary.get("theme", {}).get(code, {}) for code in sorted(themes_used)}
    return {
        "lang": lang,
        "vocabulary": {scheme: vocabulary.get(scheme, {}) for scheme in
                       ("status", "end-reason", "agreement-kind", "collectivity-kind", "institution-kind")},
        "reorganizations": reorganizations,
        "themeNames": theme_names,
        "countryNames": {code: country_names(code) for code in sorted(colors)},
        "nodes": nodes,
        "edges": edges,
        "partnerships": len(seen_links),
        "styles": {name: {"label": s.label, "labels": s.labels, "color": s.color, "dashed": s.dashed, "dotted": s.dotted,
                          "width": s.width}
                   for name, s in EDGE_STYLES.items() if name != "funding" or name in styles_used},
        "countries": colors,
        "countryCounts": dict(countries),
        "themes": {code: theme_labels.get(code, code) for code in sorted(themes_used)},
        "statuses": [{"code": s, "count": statuses[s]} for s in order if statuses[s]],
        "years": [min(years), max(years)] if years else None,
        "filters": filters,
    }


def render(graph: nx.MultiGraph, theme_labels: dict[str, str], title: str = "Partner network", seed: int = 7,
           filters: str = "", pos: dict[str, tuple[float, float]] | None = None,
           labels: dict[str, dict[str, str]] | None = None, lang: str = "en") -> str:
    """The page as one HTML string."""
    data = json.dumps(page_data(graph, theme_labels, seed, filters, pos, labels, lang), ensure_ascii=False,
                      sort_keys=True, separators=(",", ":"))
    # Inside <script>, "</script" ends the element and "<!--" changes how it is parsed: every
    # "<" (and ">", "&") is written as a JSON \u escape, which JSON.parse reads back as it was
    # ("<\\!--" was no JSON escape: a name holding "<!--" gave a blank page).
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return assemble(_asset("page.html"), "coopkg network", title, lang, _asset("page.css"), _asset("page.js"), data)


def save(graph: nx.MultiGraph, path: Path, theme_labels: dict[str, str], title: str = "Partner network",
         seed: int = 7, filters: str = "", pos: dict[str, tuple[float, float]] | None = None,
         labels: dict[str, dict[str, str]] | None = None, lang: str = "en") -> None:
    atomic.write_text(path, render(graph, theme_labels, title, seed, filters, pos, labels, lang))
