"""Dated membership and territorial part-of (docs/time.md section 2): read from the native
format, written as W3C ORG memberships and coop:TerritorialInclusion with OWL-Time
intervals, and used by active-partnerships for agreements signed on behalf of members."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import ORG, RDF, TIME, XSD

from coopkg import build, query
from coopkg.readers import native
from coopkg.records import Membership, PartialDate
from coopkg.store import Store, from_text
from coopkg.vocab import COOP, DEFAULT_BASE

# A region that signs for its counties, as the West development region did with Alsace on
# 2006-09-28 for 3+3 years (seed 000 line 23); the counties' memberships are made up to
# cover each case: one that ended before the day asked, one that began after it.
RECORDS = """\
coopkg: 1
language: en
source: memberships.txt
collectivities:
  - {key: c-stays, name: "Stays County", kind: county, country: RO, line: 1}
  - {key: c-left-2007, name: "Left County", kind: county, country: RO, line: 2}
  - {key: c-joined-2008-03, name: "Joined County", kind: county, country: RO, line: 3}
  - {key: c-left-2007-05-10, name: "Left On A Day County", kind: county, country: RO, line: 4}
  - {key: c-undated, name: "Undated County", kind: county, country: RO, line: 5}
  - {key: c-commune, name: "A Commune", kind: commune, country: RO, line: 6}
  - {key: fr-partner, name: "Partner Region", kind: region, country: FR, line: 7}
institutions:
  - {key: r-west, name: "West Region", kind: development-region, country: RO, line: 8}
agreements:
  - key: west-partner-2006
    kind: cooperation-protocol
    title: "West - Partner protocol"
    parties:
      - {actor: r-west, on_behalf_of: [c-stays, c-left-2007, c-joined-2008-03, c-left-2007-05-10, c-undated]}
      - fr-partner
    signed: 2006-09-28
    term: {years: 3, renewable_times: 1}
    status: ended
    line: 9
  - key: commune-protocol-2006
    kind: cooperation-protocol
    title: "County for its commune"
    parties:
      - {actor: c-stays, on_behalf_of: [c-commune]}
      - fr-partner
    signed: 2006-09-28
    term: {years: 3, renewable_times: 1}
    status: ended
    line: 10
memberships:
  - {member: c-stays, organization: r-west, start: 1998, attested: 2006-09-28, line: 11}
  - {member: c-left-2007, organization: r-west, start: 1998, end: 2007, line: 12}
  - {member: c-joined-2008-03, organization: r-west, start: 2008-03, line: 13}
  - {member: c-left-2007-05-10, organization: r-west, end: 2007-05-10, line: 14}
  - {member: c-commune, organization: c-stays, relation: part-of, end: 2008, line: 15}
"""


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> list[object]:
    path = tmp_path_factory.mktemp("memberships") / "memberships.yaml"
    path.write_text(RECORDS, encoding="utf-8")
    result = native.read(path)
    assert result.problems == []
    return result.records  # type: ignore[return-value]


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def store(request: pytest.FixtureRequest, records: list[object]) -> Store:
    return from_text(build.graph_text(records), request.param)  # type: ignore[arg-type]


def test_the_native_format_reads_memberships(records: list[object]) -> None:
    got = {r.key: r for r in records if isinstance(r, Membership)}
    assert got["c-stays--r-west"].start == PartialDate(1998)
    assert got["c-stays--r-west"].attested == [PartialDate(2006, 9, 28)]
    assert got["c-joined-2008-03--r-west"].start == PartialDate(2008, 3)
    assert got["c-left-2007-05-10--r-west"].end == PartialDate(2007, 5, 10)
    inclusion = got["c-commune--c-stays--part-of"]
    assert inclusion.relation == "part-of" and inclusion.end == PartialDate(2008)
    assert [str(s) for s in inclusion.sources] == ["memberships.txt:15"]


def test_refused_values_name_the_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("coopkg: 1\nmemberships:\n  - {member: a, organization: b, relation: friend, start: 'soon'}\n"
                    "  - {organization: b}\n", encoding="utf-8")
    result = native.read(path)
    fields = sorted((p.line, p.field) for p in result.problems)
    assert fields == [(3, "relation"), (3, "start"), (4, "member")]
    assert [r.key for r in result.records] == ["a--b"]  # the bad optional fields are dropped


def _iri(kind: str, key: str) -> URIRef:
    return URIRef(f"{DEFAULT_BASE}{kind}/{key}")


def test_written_as_org_membership_with_an_owl_time_interval(store: Store) -> None:
    graph = store.to_rdflib() if hasattr(store, "to_rdflib") else None
    triples = set(store.triples()) if graph is None else set(graph)
    m = _iri("membership", "c-left-2007-r-west")
    during = URIRef(f"{m}/interval/during")
    assert (m, RDF.type, ORG.Membership) in triples
    assert (m, ORG.member, _iri("collectivity", "c-left-2007")) in triples
    assert (m, ORG.organization, _iri("institution", "r-west")) in triples
    assert (m, ORG.memberDuring, during) in triples
    assert (during, RDF.type, TIME.Interval) in triples
    beginning = {o for s, p, o in triples if s == during and p == TIME.hasBeginning}
    end = {o for s, p, o in triples if s == during and p == TIME.hasEnd}
    # at the source's precision: a year stays a year
    assert {(s, p, o) for s, p, o in triples if s in beginning and p == TIME.inXSDgYear} == {
        (next(iter(beginning)), TIME.inXSDgYear, Literal("1998", datatype=XSD.gYear))}
    assert {o for s, p, o in triples if s in end and p == TIME.inXSDgYear} == {Literal("2007", datatype=XSD.gYear)}
    # a dated membership is not also stated as timeless
    assert (_iri("institution", "r-west"), ORG.hasMember, _iri("collectivity", "c-left-2007")) not in triples
    # territorial part-of: an inclusion, not a membership
    inc = _iri("membership", "c-commune-c-stays-part-of")
    assert (inc, RDF.type, COOP.TerritorialInclusion) in triples and (inc, RDF.type, ORG.Membership) not in triples
    assert (inc, COOP.part, _iri("collectivity", "c-commune")) in triples
    assert (inc, COOP.whole, _iri("collectivity", "c-stays")) in triples
    assert (inc, TIME.hasTime, URIRef(f"{inc}/interval/during")) in triples
    # attested days are instants inside the interval
    stays = URIRef(f"{_iri('membership', 'c-stays-r-west')}/interval/during")
    inside = {o for s, p, o in triples if s == stays and p == TIME.inside}
    assert {o for s, p, o in triples if s in inside and p == TIME.inXSDDate} == {Literal("2006-09-28", datatype=XSD.date)}


def _active(store: Store, who: str, at: str) -> list[tuple[str, str]]:
    answer = query.run(query.find_query("active-partnerships"), {"collectivity": who, "at": at}, query.LocalRunner(store))
    return sorted({(str(r[2]).rsplit("/", 1)[1], str(r[10])) for r in answer.rows})  # type: ignore[union-attr]


WEST = "west-partner-2006"
# (collectivity, day, expected (item, certainty) rows). The agreement itself: surely in force
# 2006-09-28..2009-09-27, possibly until 2012-09-27.
CASES = [
    # a member throughout: what the agreement gives (and its own agreement, as a party)
    ("c-stays", "2007-06-01", [("commune-protocol-2006", "certain"), (WEST, "certain")]),
    ("c-stays", "2011-06-01", [("commune-protocol-2006", "possible"), (WEST, "possible")]),
    ("c-stays", "2006-09-27", []),
    # membership ended in 2007 (the year: 1 Jan..31 Dec): possibly a member all of 2007, not after
    ("c-left-2007", "2006-12-31", [(WEST, "certain")]),
    ("c-left-2007", "2007-06-01", [(WEST, "possible")]),
    ("c-left-2007", "2008-01-01", []),
    # ended on a day: certain until that day, nothing after
    ("c-left-2007-05-10", "2007-05-10", [(WEST, "certain")]),
    ("c-left-2007-05-10", "2007-06-01", []),
    # joined in March 2008: not before, possibly during March, surely after
    ("c-joined-2008-03", "2007-06-01", []),
    ("c-joined-2008-03", "2008-02-29", []),
    ("c-joined-2008-03", "2008-03-15", [(WEST, "possible")]),
    ("c-joined-2008-03", "2008-04-01", [(WEST, "certain")]),
    # no dated membership: the undated rule, a member throughout
    ("c-undated", "2007-06-01", [(WEST, "certain")]),
    # a commune part of its county until 2008 (territorial inclusion)
    ("c-commune", "2007-06-01", [("commune-protocol-2006", "certain")]),
    ("c-commune", "2008-06-01", [("commune-protocol-2006", "possible")]),
    ("c-commune", "2009-01-01", []),
]


@pytest.mark.parametrize(("who", "at", "expected"), CASES, ids=[f"{c[0]}@{c[1]}" for c in CASES])
def test_active_through_a_party_only_while_a_member(store: Store, who: str, at: str,
                                                   expected: list[tuple[str, str]]) -> None:
    assert _active(store, who, at) == expected


def test_the_west_regions_counties_in_the_bundled_data(bundled_store: Store) -> None:
    # seed 000 line 23: the region signed "prin Județele Arad, Caraș-Severin, Hunedoara și
    # Timiș" on 28.09.2006; the memberships are attested that day, undated otherwise
    answer = bundled_store.query("""
        PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX time: <http://www.w3.org/2006/time#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX coop: <https://w3id.org/coopkg/ontology#>
        SELECT ?member ?day ?line WHERE {
          ?m a org:Membership ; org:member ?member ;
             org:organization <https://w3id.org/coopkg/id/institution/ro-regiunea-vest> ;
             org:memberDuring/time:inside/time:inXSDDate ?day ; prov:wasDerivedFrom/coop:line ?line .
          FILTER NOT EXISTS { ?m org:memberDuring/(time:hasBeginning|time:hasEnd) ?bound . }
        }""")
    got = {(str(r[0]).rsplit("/", 1)[1], str(r[1]), int(r[2])) for r in answer.rows}  # type: ignore[union-attr, arg-type]
    assert got == {(c, "2006-09-28", 23) for c in ("ro-arad", "ro-caras-severin", "ro-hunedoara", "ro-timis")}
