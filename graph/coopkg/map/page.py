"""The interactive map: one self-contained HTML file (outlines, data, CSS and JS inlined).

No tile server, no CDN, no library: Natural Earth 1:110m outlines drawn as SVG in plate
carrée, a point per located actor, a great-circle arc per partnership styled by status,
country-pair aggregates on big maps until zoomed in, pan and zoom, search, a year slider
(docs/time.md: unknown starts count from the first known date), a panel per place and
per partnership, English and French (a switch; Romanian labels where the data has them).
"""

from __future__ import annotations

import gettext
import json
from collections import Counter
from functools import cache
from importlib import resources
from pathlib import Path

import pycountry

from coopkg import atomic
from coopkg.map.draw import outlines
from coopkg.map.project import MapData
from coopkg.network.export import funding_text
from coopkg.network.filters import STATUSES
from coopkg.network.page import assemble, page_titles
from coopkg.network.style import EDGE_STYLES, country_colors
from coopkg.vocabularies import schemes

AGGREGATE_OVER = 1500  # arcs: above this, the zoomed-out map draws one arc per country pair
DETAIL_ZOOM = 3.0  # times the fitted zoom at which single arcs replace the country pairs (and every name shows)
LABEL_TOP = 25  # places named at every zoom, most partnerships first
LANGUAGES = ("en", "fr", "ro")

def _asset(name: str) -> str:
    return resources.files("coopkg.map").joinpath(name).read_text(encoding="utf-8")


@cache
def _translation(lang: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def country_names(codes: set[str]) -> dict[str, dict[str, str]]:
    """ISO 3166-1 names in en/fr/ro (pycountry and its iso-codes translations)."""
    names: dict[str, dict[str, str]] = {}
    for code in sorted(codes):
        country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
        english = getattr(country, "common_name", None) or (country.name if country else {"XK": "Kosovo"}.get(code, code))
        names[code] = {lang: (_translation(lang).gettext(country.name) if country and lang != "en" else english)
                       for lang in LANGUAGES}
    return names


def _labels(scheme: str, codes: set[str]) -> dict[str, dict[str, str]]:
    known = schemes()[scheme].labels
    return {code: dict(sorted(known.get(code, {}).items())) for code in sorted(codes) if code}


def page_data(data: MapData, title: str, filters: str, lang: str = "en") -> dict:
    graph = data.graph
    actors = sorted(data.located)
    index = {node: i for i, node in enumerate(actors)}
    partnerships: dict[str, dict] = {}
    arcs = []
    pair_index = {pair.countries: i for i, pair in enumerate(data.country_pairs)}
    for a, b, attrs in sorted(graph.edges(data=True), key=lambda e: (e[2]["link"], e[0], e[1])):
        entry = partnerships.get(attrs["link"])
        if entry is None:
            entry = partnerships[attrs["link"]] = {
                "link": attrs["link"], "key": attrs.get("link_key", ""), "title": attrs.get("title", ""),
                "titles": page_titles(attrs),
                "status": attrs.get("status", "unknown"), "style": attrs.get("style", "unknown"),
                "start": attrs.get("start"), "end": attrs.get("end"), "start_year": attrs.get("start_year"),
                "end_year": attrs.get("end_year"), "end_reason": attrs.get("end_reason"),
                "kinds": list(attrs.get("kinds", [])), "themes": list(attrs.get("themes", [])),
                "funding": funding_text(attrs.get("funding") or {}), "parties": [], "unlocated": [],
                "distance_km": None,
            }
        for node in (a, b):
            if node in index and index[node] not in entry["parties"]:
                entry["parties"].append(index[node])
            elif node not in index:
                name = graph.nodes[node].get("display") or graph.nodes[node].get("label", node)
                if name not in entry["unlocated"]:
                    entry["unlocated"].append(name)
    order = {link: i for i, link in enumerate(partnerships)}
    for arc in data.arcs:
        countries = tuple(sorted((graph.nodes[arc.source].get("country", "?"), graph.nodes[arc.target].get("country", "?"))))
        arcs.append({"p": order[arc.link], "style": arc.attrs.get("style", "unknown"), "pieces": arc.pieces,
                     "pair": pair_index.get(countries)})  # type: ignore[arg-type]
        entry = partnerships[arc.link]
        if entry["distance_km"] is None:
            entry["distance_km"] = arc.distance_km
    statuses: Counter[str] = Counter(p["status"] for p in partnerships.values())
    status_order = list(STATUSES) + sorted(set(statuses) - set(STATUSES))
    years = [y for p in partnerships.values() for y in (p["start_year"], p["end_year"]) if y is not None]
    codes = {graph.nodes[n].get("country", "?") for n in graph.nodes} - {"?"}
    located_graph = graph.subgraph(actors)
    return {
        "lang": lang,
        "title": title,
        "filters": filters,
        "outlines": [{"iso": f["properties"]["iso"], "name": f["properties"]["name"],
                      "rings": [ring for polygon in f["geometry"]["coordinates"] for ring in polygon]}
                     for f in outlines()["features"]],
        "actors": [{"id": n, "key": graph.nodes[n].get("key", n), "label": graph.nodes[n].get("label", n),
                    "display": graph.nodes[n].get("display") or graph.nodes[n].get("label", n),
                    "country": graph.nodes[n].get("country", "?"), "kind": graph.nodes[n].get("kind", "collectivity"),
                    "lat": data.located[n].latitude, "lon": data.located[n].longitude, "source": data.located[n].source,
                    "degree": graph.degree(n)} for n in actors],
        "unlocated": [{"key": graph.nodes[n].get("key", n),
                       "label": graph.nodes[n].get("display") or graph.nodes[n].get("label", n),
                       "country": graph.nodes[n].get("country", "?")} for n in data.unlocated],
        "partnerships": list(partnerships.values()),
        "arcs": arcs,
        "pairs": [{"countries": list(p.countries), "count": p.count, "pieces": p.pieces} for p in data.country_pairs],
        "countryPoints": {c: list(p) for c, p in data.country_points.items()},
        "colors": country_colors(located_graph),
        "countryNames": country_names(codes),
        "styles": {name: {"label": s.labels, "color": s.color, "dashed": s.dashed,
                          "dotted": s.dotted, "width": s.width}
                   for name, s in EDGE_STYLES.items() if any(a["style"] == name for a in arcs)},
        "statuses": [{"code": s, "count": statuses[s]} for s in status_order if statuses[s]],
        "statusLabels": _labels("status", set(statuses)),
        "kindLabels": _labels("agreement-kind", {k for p in partnerships.values() for k in p["kinds"]}),
        "endReasonLabels": _labels("end-reason", {p["end_reason"] for p in partnerships.values() if p["end_reason"]}),
        "themeLabels": _labels("theme", {k for p in partnerships.values() for k in p["themes"]}),
        "years": [min(years), max(years)] if years else None,
        "aggregateOver": AGGREGATE_OVER,
        "labelTop": LABEL_TOP,
        "detailZoom": DETAIL_ZOOM,
    }


def render(data: MapData, title: str = "Partners on the map", filters: str = "", lang: str = "en") -> str:
    text = json.dumps(page_data(data, title, filters, lang), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # Inside <script>, "</" would end the element and "<!--" changes how it is parsed.
    text = text.replace("<", "\\u003c")
    page = _asset("page.html")
    return assemble(page, "coopkg map", title, lang, _asset("page.css"), _asset("page.js"), text)


def save(data: MapData, path: Path, title: str = "Partners on the map", filters: str = "", lang: str = "en") -> None:
    atomic.write_text(path, render(data, title, filters, lang))
