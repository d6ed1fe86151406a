"""The canned queries on the bundled dataset: exact rows, on Oxigraph and on rdflib.

Expected rows are read off the bundled YAML (data/bundled/*.yaml, data/gazetteer.yaml)
and the seed documents, not copied from a run. Cells are written the way `coopkg query`
shows them (``id:partnership/timis-rhone``, ``status:ended``, a literal's text); numbers
are compared as numbers, since engines may write 212000.0 or 212000 for the same decimal.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from rdflib import Literal, URIRef

from coopkg import query
from coopkg.query_output import short
from coopkg.store import SelectResult, Store


def _numbers() -> set[URIRef]:
    from rdflib.namespace import XSD  # not a module global: pytest's collection would probe it

    return {XSD.integer, XSD.decimal, XSD.int, XSD.long, XSD.double, XSD.float}


NUMBERS = _numbers()

RHONE_DOC = "000_f1604e6ac0ab52dc.txt"
REFORM = "id:reorganization/fr-regional-reform-2016"
REFORM_LABEL = "Réforme territoriale de 2016 : nouvelle délimitation des régions françaises"


def cell(term: object) -> object:
    if term is None:
        return ""
    if isinstance(term, Literal) and term.datatype in NUMBERS:
        return term.toPython()
    return short(term)  # type: ignore[arg-type]


def rows(answer: SelectResult) -> list[tuple[object, ...]]:
    return [tuple(cell(v) for v in row) for row in answer.rows]


@pytest.fixture(scope="module", params=["oxigraph", "oxigraph-substitutions", "rdflib"])
def store(request: pytest.FixtureRequest, bundled_store: Store, bundled_rdflib: Store) -> query.LocalRunner:
    """Where each query runs: Oxigraph with a VALUES block (the default) or with SEP-0007
    substitutions, and rdflib with initBindings; all three must give the same rows."""
    if request.param == "rdflib":
        return query.LocalRunner(bundled_rdflib)
    return query.LocalRunner(bundled_store, binding="store" if request.param.endswith("substitutions") else "values")


def ask(runner: query.LocalRunner, name: str, **values: str) -> list[tuple[object, ...]]:
    canned = query.find_query(name)
    answer = query.run(canned, values, runner)
    assert answer.variables == list(canned.columns), "the header's columns are the SELECT's, in order"
    return rows(answer)


# -- 1. ended by an administrative reorganisation -------------------------------------
MERGER = REFORM + "/event/merger-"


def _ended(item: str, type_: str, title: str, a: str, b: str, start: str, signed: str, end: str, inferred: bool,
           merged_into: str, lines: list[int]) -> list:
    return [(item, type_, title, a, b, 2, start, signed, end, REFORM, REFORM_LABEL, "2016-01-01", str(inferred).lower(),
             MERGER + merged_into, "stated-not-taken-over", RHONE_DOC, line)
            for line in lines]


def test_ended_by_reorganisation(store: query.LocalRunner) -> None:
    # The Rhône's end « din cauza reorganizării UAT din Franța » (line 22) is the source's; that
    # it was the 2016 regional reform, through the merger of its region Rhône-Alpes, is the
    # curator's inference. Alsace and Rhône-Alpes were themselves merged (line 18). Line 18
    # says the cooperation ceased: no successor took it over.
    expected = (
        _ended("id:agreement/timis-rhone-protocol-1997", "agreement", "Protocol de cooperare Timiș – Rhône",
               "Județul Timiș", "Rhône", "", "1997-11-22", "", True, "fr-auvergne-rhone-alpes",
               [22, 34, 36, 37, 38, 39, 40, 41])
        + _ended("id:partnership/timis-alsace", "partnership", "Înfrățire Timiș – Alsacia",
                 "Alsace", "Județul Timiș", "", "", "2016-01", False, "fr-grand-est", [14, 18])
        + _ended("id:partnership/timis-rhone", "partnership", "Cooperare descentralizată Timiș – Rhône",
                 "Județul Timiș", "Rhône", "1993", "", "2016", True, "fr-auvergne-rhone-alpes",
                 [14, 18, 22, 29, 34, 60])
        + _ended("id:partnership/timis-rhone-alpes", "partnership", "Relații instituționale Timiș – Rhône-Alpes",
                 "Județul Timiș", "Rhône-Alpes", "", "", "2016-01", False, "fr-auvergne-rhone-alpes", [14, 18])
    )
    got = ask(store, "ended-by-reorganisation")
    assert got == expected
    items = {row[0] for row in got}
    # the 1996 Midi-Pyrénées agreement and the 2006 Alsace protocol expired
    assert "id:agreement/timis-midi-pyrenees-1996" not in items
    assert "id:agreement/vest-alsace-protocol-2006" not in items
    # the Midi-Pyrénées partnership's end by the reform is only a contradicted claim (line 18)
    assert "id:partnership/timis-midi-pyrenees" not in items


# -- 2. active at a date (docs/time.md, the interval rule) -------------------------------
TIMIS, VEST_ALSACE = "id:collectivity/ro-timis", "id:agreement/vest-alsace-protocol-2006"
VEST_TITLE = "Protocol de cooperare Regiunea de Dezvoltare Vest – Regiunea Alsacia"


def _active(runner: query.LocalRunner, who: str, at: str | None = None) -> list[tuple[object, ...]]:
    """(item, partner, certainty) rows, in the query's order."""
    values = {"collectivity": who} | ({"at": at} if at else {})
    return [(r[2], r[5], r[10]) for r in ask(runner, "active-partnerships", **values)]


def test_active_unknown_start_is_not_active_since_forever(store: query.LocalRunner) -> None:
    # Alsace and Rhône-Alpes are known only by their end in January 2016 (seed 000 line 18):
    # their first known date is that end, so they are not active in 1950
    assert _active(store, "Timiș", "1950-01-01") == []
    # ... and only possibly active in the month they ended
    got = _active(store, "ro-timis", "2016-01-15")
    assert ("id:partnership/timis-alsace", "id:collectivity/fr-alsace", "possible") in got
    assert ("id:partnership/timis-rhone-alpes", "id:collectivity/fr-rhone-alpes", "possible") in got


def test_active_midi_pyrenees_after_its_1996_agreement(store: query.LocalRunner) -> None:
    # signed 16.02.1996 (line 21), amended 27.07.1997 (line 76): surely running in between; its
    # end date is unknown (the table gives none), so afterwards it is only possible
    assert _active(store, "Timiș", "1996-06-01") == [
        ("id:partnership/timis-midi-pyrenees", "id:collectivity/fr-midi-pyrenees", "certain"),
        ("id:partnership/timis-rhone", "id:collectivity/fr-rhone", "certain"),
    ]
    assert ("id:partnership/timis-midi-pyrenees", "id:collectivity/fr-midi-pyrenees", "possible") in _active(
        store, "Timiș", "1999-06-01")
    assert _active(store, "Timiș", "1996-02-15") == [("id:partnership/timis-rhone", "id:collectivity/fr-rhone", "certain")]


def test_active_counties_on_whose_behalf_the_west_region_signed(store: query.LocalRunner) -> None:
    # 28.09.2006, 3+3 years (line 23): surely in force for the first term, possibly for the
    # second (the renewal is not recorded), over after both
    rows = ask(store, "active-partnerships", collectivity="Arad", at="2007-06-01")
    assert rows == [
        ("id:collectivity/ro-arad", "2007-06-01", VEST_ALSACE, "agreement", VEST_TITLE, "id:collectivity/fr-alsace",
         "Alsace", "2006-09-28", "", "status:ended", "certain"),
        ("id:collectivity/ro-arad", "2007-06-01", VEST_ALSACE, "agreement", VEST_TITLE, "id:institution/ro-regiunea-vest",
         "Regiunea de Dezvoltare Vest", "2006-09-28", "", "status:ended", "certain"),
    ]
    assert {r[2] for r in _active(store, "Arad", "2011-06-01")} == {"possible"}
    assert _active(store, "Arad", "2009-09-27")[0][2] == "certain"
    assert _active(store, "Arad", "2013-01-01") == []
    assert _active(store, "Hunedoara", "2006-09-27") == []


def test_active_romans_today_not_the_ended_triennial(store: query.LocalRunner) -> None:
    # the 2010 partnership is triennial (line 97): over by 2013-12-31. The others are « en
    # cours » on the 2013 page: running then, possibly still today
    today = date.today().isoformat()
    got = ask(store, "active-partnerships", collectivity="Romans")
    assert [(r[1], r[2], r[5], r[7], r[9], r[10]) for r in got] == [
        (today, "id:partnership/romans-beit-sahour", "id:collectivity/ps-beit-sahour", "1995", "status:ongoing", "possible"),
        (today, "id:partnership/romans-el-jem", "id:collectivity/tn-el-jem", "1992", "status:ongoing", "possible"),
        (today, "id:partnership/romans-taroudannt", "id:collectivity/ma-taroudannt", "1994", "status:ongoing", "possible"),
        (today, "id:partnership/romans-vardenis", "id:collectivity/am-vardenis", "1994", "status:ongoing", "possible"),
    ]
    in_2011 = _active(store, "Romans", "2011-06-01")
    assert ("id:partnership/romans-pair-2010", "id:collectivity/tn-el-jem", "certain") in in_2011
    assert ("id:partnership/romans-el-jem", "id:collectivity/tn-el-jem", "certain") in in_2011
    assert "id:partnership/romans-pair-2010" not in {r[0] for r in _active(store, "Romans", "2014-01-01")}


def test_active_timis_in_2010(store: query.LocalRunner) -> None:
    assert ask(store, "active-partnerships", collectivity="Timiș", at="2010-06-01") == [
        (TIMIS, "2010-06-01", VEST_ALSACE, "agreement", VEST_TITLE, "id:collectivity/fr-alsace", "Alsace",
         "2006-09-28", "", "status:ended", "possible"),
        (TIMIS, "2010-06-01", VEST_ALSACE, "agreement", VEST_TITLE, "id:institution/ro-regiunea-vest",
         "Regiunea de Dezvoltare Vest", "2006-09-28", "", "status:ended", "possible"),
        (TIMIS, "2010-06-01", "id:partnership/timis-midi-pyrenees", "partnership", "Cooperare Timiș – Midi-Pyrénées",
         "id:collectivity/fr-midi-pyrenees", "Midi-Pyrénées", "1996-02-16", "", "status:ended", "possible"),
        (TIMIS, "2010-06-01", "id:partnership/timis-rhone", "partnership", "Cooperare descentralizată Timiș – Rhône",
         "id:collectivity/fr-rhone", "Rhône", "1993", "2016", "status:ended", "certain"),
    ]
    # a year-precision end ("2016") lasts to 2016-12-31 at the latest and surely to 2016-01-01
    assert ("id:partnership/timis-rhone", "id:collectivity/fr-rhone", "possible") in _active(store, "ro-timis", "2016-06-30")
    assert "id:partnership/timis-rhone" not in {r[0] for r in _active(store, "ro-timis", "2017-01-01")}
    # a year-precision start ("1993") has possibly begun on 1993-01-01, surely by 1993-12-31
    assert _active(store, "ro-timis", "1993-06-01") == [("id:partnership/timis-rhone", "id:collectivity/fr-rhone", "possible")]
    assert _active(store, "ro-timis", "1993-12-31") == [("id:partnership/timis-rhone", "id:collectivity/fr-rhone", "certain")]
    assert _active(store, "ro-timis", "1992-12-31") == []


# -- 3. timeline ------------------------------------------------------------------------
def test_partnership_timeline(store: query.LocalRunner) -> None:
    p = "id:partnership/timis-rhone"
    protocol, programme = "id:agreement/timis-rhone-protocol-1997", "id:agreement/timis-rhone-programme-protocol-2013-2014"
    recas, lugoj, visits = "id:project/recas-childrens-home", "id:project/lugoj-protected-housing", \
        "id:project/timis-rhone-visits-2011-2016"
    t_p = "Cooperare descentralizată Timiș – Rhône"
    t_recas = "Casa de copii cu școală specială din Recaș"
    t_lugoj = "Program de construcții de locuințe protejate în județul Timiș (Lugoj)"
    t_visits = "Vizite bilaterale și planuri de acțiuni Timiș – Rhône 2011-2016"
    t_prot = "Protocol de cooperare Timiș – Rhône"
    assert ask(store, "partnership-timeline", partnership="timis-rhone") == [
        (p, "1993", "partnership-start", p, t_p, "", "", ""),
        (p, "1993", "project-start", recas, t_recas, "", "", ""),
        (p, "1997-11-22", "agreement-signed", protocol, t_prot, "", "", ""),
        (p, "1997-11-22", "project-end", recas, t_recas, "", "", "ended by Completion"),
        (p, "2004-11-19", "renewal", "id:change/timis-rhone-protocol-1997-renewal-2004", "", "", "", ""),
        (p, "2009", "funding", "id:funding/lugoj-protected-housing-rhone-2009", "", 212000, "EUR", "Rhône"),
        (p, "2009", "funding", "id:funding/lugoj-protected-housing-timis-2009", "", 177837, "RON", "Județul Timiș"),
        (p, "2009-07", "agreement-signed", "id:agreement/timis-rhone-funding-convention-2009",
         "Convenția privind finanțarea unui program de construcții de locuințe protejate în județul Timiș", "", "", ""),
        (p, "2010", "project-end", lugoj, t_lugoj, "", "", "ended by Completion"),
        (p, "2011", "project-start", visits, t_visits, "", "", ""),
        # « S-a avut în vedere » (line 66): envisaged, never signed nor active (docs/time.md)
        (p, "2013", "planned-agreement-start", programme, "Protocol Program 2013-2014", "", "", ""),
        (p, "2014", "planned-agreement-end", programme, "Protocol Program 2013-2014", "", "", ""),
        (p, "2016", "partnership-end", p, t_p, "", "", "ended by Administrative reorganisation"),
        (p, "2016", "project-end", visits, t_visits, "", "", ""),
        (p, "", "undated-agreement", "id:agreement/timis-rhone-framework-convention",
         "Convenție Cadru de Cooperare Descentralizată", "", "", ""),
        (p, "", "undated-project", "id:project/maguri-roma-social-housing",
         "Locuințe sociale în satul Măguri pentru romii repatriați din sud-estul Franței", "", "", ""),
        (p, "", "undated-project", "id:project/timis-rhone-consultations-2009-2010",
         "Ședințe de consultare și de analiză cu o delegație franceză", "", "", ""),
        (p, "", "undated-project", "id:project/timis-rhone-cultural-action-plan",
         "Plan de acțiuni culturale Timiș – Rhône", "", "", ""),
        (p, "", "undated-project", "id:project/timis-rhone-roma-reinsertion-pilot",
         "Proiect experimental de reinserție a populației rome", "", "", ""),
        (p, "", "undated-project", "id:project/timis-rhone-selected-projects",
         "Pachet de proiecte selectate în comun Timiș – Rhône", "", "", ""),
        (p, "", "agreement-end", protocol, t_prot, "", "", "ended by Administrative reorganisation"),
    ]


def test_timeline_keeps_contested_end_out(store: query.LocalRunner) -> None:
    """Midi-Pyrénées: the record's end is an undated expiry; "2016-01" is only claimed."""
    got = ask(store, "partnership-timeline", partnership="Cooperare Timiș – Midi-Pyrénées")
    assert [(r[1], r[2], r[3], r[7]) for r in got] == [
        ("1996-02-16", "partnership-start", "id:partnership/timis-midi-pyrenees", ""),
        ("1996-02-16", "agreement-signed", "id:agreement/timis-midi-pyrenees-1996", ""),
        ("1997-07-27", "amendment", "id:change/timis-midi-pyrenees-1996-amendment-1997", ""),
        # the interval rule: no end is dated, so after its last dated record it is only possibly active
        ("1997-07-27", "partnership-last-evidence", "id:partnership/timis-midi-pyrenees",
         "the last dated record: possibly active after, end unknown"),
        ("", "agreement-end", "id:agreement/timis-midi-pyrenees-1996", "ended by Expiry of the term"),
        ("", "partnership-end", "id:partnership/timis-midi-pyrenees", "ended by Expiry of the term"),
        ("", "project-end", "id:project/timis-ecos-ouverture-antenna", ""),
    ]


TIMELINE_EDGES = """\
@prefix coop: <https://w3id.org/coopkg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix endreason: <https://w3id.org/coopkg/vocab/end-reason/> .
@prefix ag: <https://w3id.org/coopkg/id/agreement/> .
@prefix ch: <https://w3id.org/coopkg/id/change/> .
@prefix cl: <https://w3id.org/coopkg/id/claim/> .
@prefix co: <https://w3id.org/coopkg/id/collectivity/> .
@prefix fu: <https://w3id.org/coopkg/id/funding/> .
@prefix pa: <https://w3id.org/coopkg/id/partnership/> .
@prefix pr: <https://w3id.org/coopkg/id/project/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix status: <https://w3id.org/coopkg/vocab/status/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

endreason:expiry skos:prefLabel "Expiry of the term"@en, "Expiration"@fr .
pa:tp a coop:Partnership ; rdfs:label "TP" ; schema:startDate "2001"^^xsd:gYear ;
    coop:status status:ongoing .
pa:other a coop:Partnership ; rdfs:label "Other" ; schema:startDate "1999"^^xsd:gYear .
ag:tp-a1 a coop:Agreement ; coop:partnership pa:tp ; rdfs:label "A1" ;
    coop:signatureDate "2002-03-04"^^xsd:date ; schema:endDate "2005"^^xsd:gYear, "2004"^^xsd:gYear ;
    coop:status status:ended ; coop:endReason endreason:expiry .
cl:a1-end a rdf:Statement ; rdf:subject ag:tp-a1 ; rdf:predicate schema:endDate ;
    rdf:object "2004"^^xsd:gYear .
ag:tp-a2 a coop:Agreement ; coop:partnership pa:tp ; rdfs:label "A2" ;
    coop:status status:ended ; schema:endDate "2010"^^xsd:gYear ; coop:endReason endreason:expiry .
cl:a2-end a rdf:Statement ; rdf:subject ag:tp-a2 ; rdf:predicate schema:endDate ;
    rdf:object "2010"^^xsd:gYear .
cl:a2-reason a rdf:Statement ; rdf:subject ag:tp-a2 ; rdf:predicate coop:endReason ;
    rdf:object endreason:expiry .
ag:tp-a3 a coop:Agreement ; coop:partnership pa:tp ; rdfs:label "A3" .
ch:tp-a1-renewal a coop:Renewal ; coop:changes ag:tp-a1 ; dcterms:date "2004-05-06"^^xsd:date .
pr:tp-pr a coop:Project ; coop:partnership pa:tp ; rdfs:label "Pr" .
fu:tp-f1 a coop:Funding ; coop:funds pr:tp-pr ; coop:amount 100.0 ; coop:currency "EUR" ;
    coop:funderName "Someone" .
fu:tp-f2 a coop:Funding ; coop:funds pa:tp ; coop:amount 50.5 ; coop:currency "RON" ;
    coop:fundingYear "2003"^^xsd:gYear ; coop:funder co:town .
co:town a coop:Collectivity ; rdfs:label "Town" .
fu:other-f a coop:Funding ; coop:funds pa:other ; coop:amount 1.0 ; coop:currency "EUR" .
"""


@pytest.fixture(scope="module", params=["oxigraph", "oxigraph-substitutions", "rdflib"])
def edges(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> query.LocalRunner:
    """A made-up partnership with the cases the timeline must tell apart, three ways."""
    from coopkg.store import open_graph

    path = tmp_path_factory.mktemp("timeline") / "graph.ttl"
    path.write_text(TIMELINE_EDGES, encoding="utf-8")
    engine = "rdflib" if request.param == "rdflib" else "oxigraph"
    return query.LocalRunner(open_graph(path, engine), binding="store" if request.param != "oxigraph" else "values")


def test_timeline_edge_cases(edges: query.LocalRunner) -> None:
    """An end date or reason only a claim states is not the record's; a funding without a
    year or a funder still counts; the other partnership's records stay out."""
    p = "id:partnership/tp"
    assert ask(edges, "partnership-timeline", partnership="tp") == [
        (p, "2001", "partnership-start", p, "TP", "", "", ""),
        (p, "2002-03-04", "agreement-signed", "id:agreement/tp-a1", "A1", "", "", ""),
        (p, "2003", "funding", "id:funding/tp-f2", "", Decimal("50.5"), "RON", "Town"),
        (p, "2004-05-06", "renewal", "id:change/tp-a1-renewal", "", "", "", ""),
        # 2004 is only claimed: the end is the record's own 2005
        (p, "2005", "agreement-end", "id:agreement/tp-a1", "A1", "", "", "ended by Expiry of the term"),
        (p, "", "undated-agreement", "id:agreement/tp-a3", "A3", "", "", ""),
        (p, "", "undated-project", "id:project/tp-pr", "Pr", "", "", ""),
        (p, "", "funding", "id:funding/tp-f1", "", 100, "EUR", "Someone"),
        # its only end date and its end reason are claims: ended, with no date and no reason
        (p, "", "agreement-end", "id:agreement/tp-a2", "A2", "", "", ""),
    ]


# -- 4. partners with predecessors's ------------------------------------------------------
def test_partners_with_predecessors(store: query.LocalRunner) -> None:
    assert ask(store, "partners-with-predecessors", collectivity="Grand Est") == [
        ("id:collectivity/fr-grand-est", "id:collectivity/fr-alsace", "Alsace", "id:collectivity/ro-timis", "Județul Timiș",
         "id:partnership/timis-alsace", "partnership", "Înfrățire Timiș – Alsacia", "status:ended"),
        ("id:collectivity/fr-grand-est", "id:collectivity/fr-alsace", "Alsace", "id:institution/ro-regiunea-vest",
         "Regiunea de Dezvoltare Vest", "id:agreement/vest-alsace-protocol-2006", "agreement",
         "Protocol de cooperare Regiunea de Dezvoltare Vest – Regiunea Alsacia", "status:ended"),
    ]
    got = ask(store, "partners-with-predecessors", collectivity="Auvergne-Rhône-Alpes")
    assert [(r[1], r[3], r[5]) for r in got] == [
        ("id:collectivity/fr-rhone-alpes", "id:collectivity/ro-timis", "id:partnership/timis-rhone-alpes")]
    normandie = ask(store, "partners-with-predecessors", collectivity="Normandie")
    assert [(r[1], r[3]) for r in normandie] == [
        ("id:collectivity/fr-basse-normandie", f"id:collectivity/{k}")
        for k in ("cn-fujian", "gb-hampshire", "it-toscana", "no-hordaland")]


# -- 5. per country, per kind ---------------------------------------------------------------
def test_partnerships_per_country(store: query.LocalRunner) -> None:
    assert ask(store, "partnerships-per-country", home="RO") == [("RO", "FR", 7, 6)]
    assert ask(store, "partnerships-per-country") == [
        ("FR", "RO", 7, 2),   # Timiș' six partnerships and the West region's protocol with Alsace
        ("FR", "BF", 2, 2),
        ("FR", "TN", 2, 1),   # Romans–El Jem and the PAIR project
        *[("FR", c, 1, 1) for c in ("AM", "CN", "DE", "GB", "IT", "LB", "MA", "NO", "PS", "RS")],
    ]


def test_partnerships_per_kind(store: query.LocalRunner) -> None:
    assert ask(store, "partnerships-per-kind") == [
        ("kind:decentralised-cooperation-project", "Decentralised cooperation project", 6, 0),
        ("kind:cooperation-agreement", "Cooperation agreement", 5, 5),
        ("kind:cooperation-protocol", "Cooperation protocol", 2, 2),
        ("kind:framework-convention", "Framework convention", 1, 1),
        ("kind:funding-convention", "Funding convention", 1, 1),
        ("kind:multilateral-agreement", "Multilateral agreement", 1, 1),
        ("kind:programme-protocol", "Programme protocol", 1, 1),
    ]
    # « înfrățire ... prin programul Twinning al Comisiei Europene » (seed 000 line 14) is EU
    # institution building, not a town twinning: no partnership has the twinning form


# -- 6. per theme, rolled up ------------------------------------------------------------------
def test_partnerships_per_theme(store: query.LocalRunner) -> None:
    got = {r[0]: (r[1], r[2], r[3]) for r in ask(store, "partnerships-per-theme")}
    # timis-alsace, timis-rhone, romans-pair-2010, timis-toulouse, timis-mulhouse, timis-midi-pyrenees
    assert got["theme:governance"] == ("Governance", "", 6)
    assert got["theme:institutional-cooperation"] == ("Institutional and administrative cooperation", "theme:governance", 6)
    # timis-rhone (economic development, tourism), romans-pair-2010 (clusters), the two Burkina communes (agro-ecology)
    assert got["theme:sustainable-economy"] == ("Sustainable economy", "", 4)
    # the two Burkina communes and timis-rhone, whose 2004 renewal added the Buziaș vineyard
    assert got["theme:agriculture"] == ("Agriculture and food", "theme:sustainable-economy", 3)
    assert got["theme:viticulture"] == ("Viticulture", "theme:agriculture", 1)
    assert got["theme:culture-heritage"] == ("Culture and heritage", "", 3)
    assert got["theme:social-development"] == ("Social development", "", 2)
    assert got["theme:youth-sport"] == ("Youth and sport", "", 2)
    assert got["theme:education-research"] == ("Education, training and research", "", 1)
    assert got["theme:urban-development"] == ("Urban planning and development", "", 1)
    assert got["theme:human-resources-training"][2] == 3  # Rhône, Toulouse, Mulhouse
    assert got["theme:public-reading"][2] == 2  # Kab Elias library, the 2004 renewal's public readings
    assert len(got) == 32
    assert "theme:international-solidarity" not in got  # only a programme's theme, no partnership's


# -- 7, 8. fundings ---------------------------------------------------------------------------
def test_funding_totals_keep_currencies_apart(store: query.LocalRunner) -> None:
    maee = "id:institution/fr-ministry-foreign-affairs"
    maee_name = "Ministère de l'Europe et des Affaires étrangères"
    assert ask(store, "funding-totals") == [
        ("", "Autre", "2010", "EUR", 0, 1),
        ("id:collectivity/ro-timis", "Județul Timiș", "2009", "RON", 177837, 1),
        (maee, maee_name, "2010", "EUR", 25000, 1),
        (maee, maee_name, "2011", "EUR", 25000, 1),
        (maee, maee_name, "2012", "EUR", 25000, 1),
        ("id:collectivity/fr-rhone", "Rhône", "2009", "EUR", 212000, 1),
        ("id:collectivity/fr-romans-sur-isere", "Romans-sur-Isère", "2010", "EUR", 112285, 1),
        ("", "Villes partenaires", "2010", "EUR", 27000, 1),
    ]
    # the Lugoj houses: 212,000 EUR and 177,837 RON are never one sum of 389,837
    totals = [r[4] for r in ask(store, "funding-totals")]
    assert Decimal(389837) not in totals


def test_funded_by(store: query.LocalRunner) -> None:
    maee, pair = "id:institution/fr-ministry-foreign-affairs", "id:partnership/romans-pair-2010"
    title = "Projet d'action internationale de Romans et de ses villes partenaires"
    assert ask(store, "funded-by", funder="Ministère des Affaires étrangères") == [
        (maee, "funding", pair, "partnership", title, pair, "2010", 25000, "EUR", "id:funding/romans-pair-2010-maee-2010"),
        (maee, "funding", pair, "partnership", title, pair, "2011", 25000, "EUR", "id:funding/romans-pair-2010-maee-2011"),
        (maee, "funding", pair, "partnership", title, pair, "2012", 25000, "EUR", "id:funding/romans-pair-2010-maee-2012"),
        (maee, "supported-by", "id:collectivity/fr-territoire-de-belfort", "collectivity", "Territoire de Belfort",
         "", "", "", "", ""),
    ]
    assert ask(store, "funded-by", funder="fr-rhone") == [
        ("id:collectivity/fr-rhone", "funding", "id:project/lugoj-protected-housing", "project",
         "Program de construcții de locuințe protejate în județul Timiș (Lugoj)", "id:partnership/timis-rhone",
         "2009", 212000, "EUR", "id:funding/lugoj-protected-housing-rhone-2009"),
        # the Recaș services complex « finanțat tot de către partenerii francezi » (seed 000 line 56): no amount
        ("id:collectivity/fr-rhone", "supported-by", "id:institution/ro-cssc-recas", "institution",
         "Complexul de Servicii Specializate pentru Copiii cu Dizabilități Recaș", "", "", "", "", ""),
    ]


# -- 9. terms ---------------------------------------------------------------------------------
def test_terms_ending(store: query.LocalRunner) -> None:
    pair = ("id:partnership/romans-pair-2010", "partnership",
            "Projet d'action internationale de Romans et de ses villes partenaires", "2010", 3, 0, "", "2013", "")
    # triennial from 2010: its term ends some day of 2013
    assert ask(store, "terms-ending", at="2013-06-01", months="12") == [("2013-06-01", 12, *pair, "ending")]
    assert ask(store, "terms-ending", at="2012-06-30", months="7") == [("2012-06-30", 7, *pair, "ending")]
    assert ask(store, "terms-ending", at="2012-06-30", months="6") == []  # horizon 2012-12-30
    assert ask(store, "terms-ending", at="2014-01-01") == [("2014-01-01", 6, *pair, "run-out")]
    assert ask(store, "terms-ending") == [(date.today().isoformat(), 6, *pair, "run-out")]


# -- 10. stale --------------------------------------------------------------------------------
def test_stale_records(store: query.LocalRunner) -> None:
    expected = [
        (f"id:agreement/basse-normandie-{k}", "agreement", f"Accord de coopération Région Basse-Normandie – {where}", "",
         "id:collectivity/fr-basse-normandie", "Basse-Normandie", "2016-01-01", REFORM, "change:merged",
         "id:collectivity/fr-normandie", "Normandie")
        for k, where in (("fujian", "province du Fujian"), ("hampshire", "comté du Hampshire"),
                         ("hordaland", "province du Hordaland"), ("toscana", "région Toscane"))
    ]
    assert ask(store, "stale-records") == expected


# -- 11. multilateral -------------------------------------------------------------------------
def test_multilateral(store: query.LocalRunner) -> None:
    romans = [("id:collectivity/am-vardenis", "Vardenis"), ("id:collectivity/fr-romans-sur-isere", "Romans-sur-Isère"),
              ("id:collectivity/ma-taroudannt", "Taroudannt"), ("id:collectivity/ps-beit-sahour", "Beit Sahour"),
              ("id:collectivity/tn-el-jem", "El Jem")]
    groups = [
        ("id:agreement/romans-multilateral-agreement-2010", "agreement", "Accord de coopération multilatérale", romans),
        ("id:project/romans-pair-2010-2012", "project", "Projet International de Romans et de ses partenaires", romans),
        ("id:project/timis-ecos-ouverture-antenna", "project",
         "Antena Timiș de gestiune națională a programului ECOS-Ouverture",
         [("id:collectivity/fr-midi-pyrenees", "Midi-Pyrénées"), ("id:collectivity/ro-timis", "Județul Timiș"),
          ("id:institution/fr-ecos-ouverture-office-midi-pyrenees", None),
          ("id:institution/ro-antena-ecos-ouverture-timis", None)]),
        ("id:project/timis-rhone-consultations-2009-2010", "project",
         "Ședințe de consultare și de analiză cu o delegație franceză",
         [("id:collectivity/fr-rhone", "Rhône"), ("id:institution/ro-css-gavojdia", None),
          ("id:institution/ro-cssc-recas", None), ("id:institution/ro-cssrrs-timisoara", None)]),
        ("id:project/timis-rhone-cultural-action-plan", "project", "Plan de acțiuni culturale Timiș – Rhône",
         [("id:collectivity/fr-rhone", "Rhône"), ("id:collectivity/ro-timis", "Județul Timiș"),
          ("id:institution/ro-dgaspc-timis", None), ("id:institution/ro-institut-francais-timisoara", None)]),
        ("id:project/maguri-roma-social-housing", "project",
         "Locuințe sociale în satul Măguri pentru romii repatriați din sud-estul Franței",
         [("id:collectivity/fr-rhone", "Rhône"), ("id:collectivity/ro-lugoj", "Municipiul Lugoj"),
          ("id:collectivity/ro-timis", "Județul Timiș")]),
        ("id:project/romans-medurbs-projects", "project", "Projets menés au sein du financement européen MEDURBS",
         [("id:collectivity/fr-romans-sur-isere", "Romans-sur-Isère"), ("id:collectivity/ma-taroudannt", "Taroudannt"),
          ("id:collectivity/tn-el-jem", "El Jem")]),
    ]
    got = ask(store, "multilateral")
    # institutions' names are the gazetteer's business: compare them only where written above
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in got] == [
        (item, type_, title, len(parties), party) for item, type_, title, parties in groups for party, _ in parties]
    names = {(r[0], r[4]): r[5] for r in got}
    for item, _, _, parties in groups:
        for party, name in parties:
            if name is not None:
                assert names[(item, party)] == name
    # two-party relations are not listed, whatever they signed on behalf of others
    assert not {r[0] for r in got} & {"id:agreement/vest-alsace-protocol-2006", "id:partnership/timis-rhone"}


# -- 12. ranking ------------------------------------------------------------------------------
def test_collectivities_by_partners(store: query.LocalRunner) -> None:
    got = ask(store, "collectivities-by-partners")
    assert got[:6] == [
        ("id:collectivity/ro-timis", "Județul Timiș", "RO", 6, 6),
        ("id:collectivity/fr-territoire-de-belfort", "Territoire de Belfort", "FR", 5, 5),
        ("id:collectivity/fr-romans-sur-isere", "Romans-sur-Isère", "FR", 4, 5),
        ("id:collectivity/fr-basse-normandie", "Basse-Normandie", "FR", 4, 4),
        ("id:collectivity/fr-alsace", "Alsace", "FR", 2, 2),  # Timiș, and the West region's 2006 protocol
        ("id:collectivity/tn-el-jem", "El Jem", "TN", 1, 2),
    ]
    ones = ["ps-beit-sahour", "gb-hampshire", "no-hordaland", "lb-kab-elias", "bf-komki-ipala", "de-landkreis-harz",
            "fr-midi-pyrenees", "fr-mulhouse", "fr-rhone", "fr-rhone-alpes", "bf-tanghin-dassouri", "ma-taroudannt",
            "it-toscana", "fr-toulouse", "am-vardenis", "rs-novi-beograd", "cn-fujian"]
    assert [(r[0], r[3], r[4]) for r in got[6:]] == [(f"id:collectivity/{k}", 1, 1) for k in ones]


# -- 13. renewed ------------------------------------------------------------------------------
def test_renewed_agreements(store: query.LocalRunner) -> None:
    assert ask(store, "renewed-agreements") == [
        ("id:agreement/timis-rhone-protocol-1997", "Protocol de cooperare Timiș – Rhône", "1997-11-22", 1, "2004-11-19",
         "", "status:ended", "endreason:administrative-reorganisation", REFORM, ""),
    ]


# -- 14. sources ------------------------------------------------------------------------------
def test_partnership_sources(store: query.LocalRunner) -> None:
    p = "id:partnership/timis-midi-pyrenees"
    agreement, title_a = "id:agreement/timis-midi-pyrenees-1996", "Acord de cooperare Timiș – Midi-Pyrénées"
    antenna = "id:project/timis-ecos-ouverture-antenna"
    title_x = "Antena Timiș de gestiune națională a programului ECOS-Ouverture"
    title_p = "Cooperare Timiș – Midi-Pyrénées"
    d = RHONE_DOC
    assert ask(store, "partnership-sources", partnership="timis-midi-pyrenees") == [
        (p, agreement, "agreement", title_a, "", "", d, 21),
        (p, agreement, "agreement", title_a, "", "", d, 76),
        (p, agreement, "agreement", title_a, "rdf:type", "coop:Protocol", d, 76),  # line 76 says « Protocolul »
        (p, agreement, "agreement", title_a, "coop:agreementKind", "kind:cooperation-protocol", d, 76),
        (p, "id:change/timis-midi-pyrenees-1996-amendment-1997", "amendment", "", "", "", d, 76),
        (p, p, "partnership", title_p, "", "", d, 14),
        (p, p, "partnership", title_p, "schema:endDate", "2016-01", d, 18),
        (p, p, "partnership", title_p, "coop:endReason", "endreason:administrative-reorganisation", d, 18),
        (p, p, "partnership", title_p, "", "", d, 21),
        (p, p, "partnership", title_p, "", "", d, 76),
        (p, antenna, "project", title_x, "", "", d, 14),
        (p, antenna, "project", title_x, "", "", d, 78),
        (p, antenna, "project", title_x, "", "", d, 82),
        (p, antenna, "project", title_x, "", "", d, 84),
    ]


def test_partnership_sources_cover_every_kind_of_record(store: query.LocalRunner) -> None:
    got = ask(store, "partnership-sources", partnership="timis-rhone")
    per_item: dict[str, list[object]] = {}
    for row in got:
        per_item.setdefault(row[1], []).append(row[7])
    assert per_item["id:partnership/timis-rhone"] == [14, 18, 22, 29, 34, 60]
    assert per_item["id:change/timis-rhone-protocol-1997-renewal-2004"] == [22, 48, 50, 51, 52]
    assert per_item["id:funding/lugoj-protected-housing-rhone-2009"] == [54]  # funds a project of the partnership
    assert per_item["id:funding/lugoj-protected-housing-timis-2009"] == [54]
    assert per_item["id:project/timis-rhone-selected-projects"] == [43, 46]
    # the partnership, 4 agreements, 1 renewal, 8 projects, 2 fundings
    assert len(per_item) == 16 and len(got) == 33


# -- 15. a country's collectivities and their French partners -------------------------------------
def test_country_french_partners(store: query.LocalRunner) -> None:
    def row(k: str, name: str, partner: str, partner_name: str, n: int = 1) -> tuple:
        return ("RO", "FR", f"id:collectivity/{k}", name, f"id:collectivity/{partner}", partner_name, n)

    assert ask(store, "country-french-partners", country="ro") == [
        # the counties on whose behalf the West Development Region signed with Alsace in 2006
        row("ro-arad", "Județul Arad", "fr-alsace", "Alsace"),
        row("ro-caras-severin", "Județul Caraș-Severin", "fr-alsace", "Alsace"),
        row("ro-hunedoara", "Județul Hunedoara", "fr-alsace", "Alsace"),
        row("ro-timis", "Județul Timiș", "fr-alsace", "Alsace", 2),
        row("ro-timis", "Județul Timiș", "fr-midi-pyrenees", "Midi-Pyrénées"),
        row("ro-timis", "Județul Timiș", "fr-mulhouse", "Mulhouse"),
        row("ro-timis", "Județul Timiș", "fr-rhone", "Rhône"),
        row("ro-timis", "Județul Timiș", "fr-rhone-alpes", "Rhône-Alpes"),
        row("ro-timis", "Județul Timiș", "fr-toulouse", "Toulouse"),
    ]
    assert ask(store, "country-french-partners", country="FR", partnerCountry="TN") == [
        ("FR", "TN", "id:collectivity/fr-romans-sur-isere", "Romans-sur-Isère", "id:collectivity/tn-el-jem", "El Jem", 2),
    ]
