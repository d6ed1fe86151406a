"""The OWL ontology (ontology/coopkg.ttl) and the SKOS vocabularies (ontology/vocabularies/).

Checks that every file parses (rdflib and Oxigraph), that every coop: term the emitter
writes is declared and documented, that every code of docs/vocabulary-codes.md is a
concept with labels in en, fr and ro, and that labels map source words to codes
unambiguously.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "coopkg.ttl"
VOCAB_DIR = ROOT / "ontology" / "vocabularies"
EMIT = ROOT / "graph" / "coopkg" / "emit"
CODES_DOC = ROOT / "docs" / "vocabulary-codes.md"

COOP = Namespace("https://w3id.org/coopkg/ontology#")
VOCAB = "https://w3id.org/coopkg/vocab/"
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
VANN = Namespace("http://purl.org/vocab/vann/")

SCHEME_FILES = {
    "agreement-kind": "agreement-kinds.ttl",
    "status": "statuses.ttl",
    "end-reason": "end-reasons.ttl",
    "collectivity-kind": "collectivity-kinds.ttl",
    "institution-kind": "institution-kinds.ttl",
    "change-kind": "change-kinds.ttl",
    "theme": "themes.ttl",
}
LANGS = ("en", "fr", "ro")
ALL_FILES = [ONTOLOGY, *(VOCAB_DIR / name for name in SCHEME_FILES.values())]


# -- helpers ------------------------------------------------------------------------
def _parse(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


@pytest.fixture(scope="module")
def onto() -> Graph:
    return _parse(ONTOLOGY)


@pytest.fixture(scope="module")
def schemes() -> dict[str, Graph]:
    return {scheme: _parse(VOCAB_DIR / name) for scheme, name in SCHEME_FILES.items()}


def emitted_terms() -> set[str]:
    """Every local name written as ``COOP.<name>`` in the emitter package graph/coopkg/emit/."""
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted(EMIT.glob("*.py")))
    return set(re.findall(r"\bCOOP\.([A-Za-z_]\w*)", text))


def documented_codes() -> dict[str, list[str]]:
    """scheme -> codes, read from docs/vocabulary-codes.md."""
    codes: dict[str, list[str]] = {}
    scheme = None
    for line in CODES_DOC.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^##\s+([a-z-]+)", line)
        if heading:
            scheme = heading.group(1)
            codes[scheme] = []
            continue
        if scheme is None or not line.strip():
            continue
        item = re.match(r"^\s*-\s+([a-z0-9-]+)", line)
        if item:
            codes[scheme].append(item.group(1))
        else:
            codes[scheme].extend(c.strip() for c in line.split(",") if c.strip())
    return codes


def documented_theme_parents() -> dict[str, str | None]:
    """theme code -> parent code, from the indentation of the theme list."""
    parents: dict[str, str | None] = {}
    stack: list[tuple[int, str]] = []
    in_theme = False
    for line in CODES_DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            in_theme = line.startswith("## theme")
            continue
        item = re.match(r"^(\s*)-\s+([a-z0-9-]+)", line)
        if not in_theme or not item:
            continue
        depth = len(item.group(1))
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parents[item.group(2)] = stack[-1][1] if stack else None
        stack.append((depth, item.group(2)))
    return parents


def norm(text: str) -> str:
    """Case- and diacritic-insensitive form of a label (ș, ț, é... -> s, t, e)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def langs_of(g: Graph, s: URIRef, p: URIRef) -> list[str]:
    return [o.language for o in g.objects(s, p) if isinstance(o, Literal)]


def scheme_iri(scheme: str) -> URIRef:
    return URIRef(VOCAB + scheme)


def concept_iri(scheme: str, code: str) -> URIRef:
    return URIRef(f"{VOCAB}{scheme}/{code}")


def concepts_of(g: Graph, scheme: str) -> set[URIRef]:
    return {c for c in g.subjects(RDF.type, SKOS.Concept) if (c, SKOS.inScheme, scheme_iri(scheme)) in g}


# -- every file parses ---------------------------------------------------------------
def test_every_scheme_file_exists() -> None:
    assert set(documented_codes()) == set(SCHEME_FILES)
    for path in ALL_FILES:
        assert path.is_file(), path


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_parses_with_rdflib(path: Path) -> None:
    assert len(_parse(path)) > 0


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_parses_with_oxigraph(path: Path) -> None:
    quads = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == len(_parse(path))


# -- the ontology --------------------------------------------------------------------
def test_ontology_header(onto: Graph) -> None:
    header = URIRef("https://w3id.org/coopkg/ontology")
    assert (header, RDF.type, OWL.Ontology) in onto
    assert {"en", "fr"} <= set(langs_of(onto, header, DCTERMS.title))
    assert set(langs_of(onto, header, DCTERMS.description)) >= {"en"}
    assert (header, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")) in onto
    assert (header, OWL.versionInfo, Literal("0.1.0")) in onto
    assert onto.value(header, OWL.versionIRI) is not None
    assert onto.value(header, VANN.preferredNamespacePrefix) == Literal("coop")
    notes = " ".join(str(n) for n in onto.objects(header, VANN.usageNote))
    for word in ("xsd:gYear", "xsd:gYearMonth", "xsd:date", "prov:wasDerivedFrom", "coop:SourceLocation",
                 "rdf:Statement"):
        assert word in notes, f"the conventions should mention {word}"


def test_emit_uses_some_terms() -> None:
    # Guards the regex: if the emitter stops spelling COOP.x the next test would pass vacuously.
    assert {"Agreement", "party", "signatureDate", "SourceLocation"} <= emitted_terms()


@pytest.mark.parametrize("name", sorted(emitted_terms() | {"Actor", "AgreementChange"}))
def test_every_emitted_term_is_declared_and_documented(onto: Graph, name: str) -> None:
    term = COOP[name]
    kinds = {k for k in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty) if (term, RDF.type, k) in onto}
    assert len(kinds) == 1, f"coop:{name} must be exactly one of class/object/datatype property, got {kinds}"
    labels = langs_of(onto, term, RDFS.label)
    comments = langs_of(onto, term, RDFS.comment)
    assert {"en", "fr"} <= set(labels), f"coop:{name} labels: {labels}"
    assert {"en", "fr"} <= set(comments), f"coop:{name} comments: {comments}"
    assert (term, RDFS.isDefinedBy, URIRef("https://w3id.org/coopkg/ontology")) in onto


def test_every_coop_term_has_labels_in_three_languages(onto: Graph) -> None:
    terms = {s for s in onto.subjects(RDF.type, None) if isinstance(s, URIRef) and s.startswith(str(COOP))}
    assert terms
    for term in terms:
        labels = langs_of(onto, term, RDFS.label)
        assert sorted(labels) == sorted(LANGS), f"{term}: one rdfs:label per language in en, fr, ro: {labels}"
        assert {"en", "fr"} <= set(langs_of(onto, term, RDFS.comment)), term


def test_every_class_has_labels(onto: Graph) -> None:
    classes = [c for c in onto.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef) and c.startswith(str(COOP))]
    assert len(classes) >= 19
    for cls in classes:
        assert {"en", "fr"} <= set(langs_of(onto, cls, RDFS.label)), cls


@pytest.mark.parametrize(
    "s, p, o",
    [
        (COOP.Actor, RDFS.subClassOf, ORG.Organization),
        (COOP.Actor, RDFS.subClassOf, PROV.Agent),
        (COOP.Collectivity, RDFS.subClassOf, COOP.Actor),
        (COOP.Institution, RDFS.subClassOf, COOP.Actor),
        (COOP.Reorganization, RDFS.subClassOf, PROV.Activity),
        (COOP.Project, RDFS.subClassOf, PROV.Activity),
        (COOP.Project, RDFS.subClassOf, SCHEMA.Project),
        (COOP.AgreementChange, RDFS.subClassOf, PROV.Activity),
        (COOP.Renewal, RDFS.subClassOf, COOP.AgreementChange),
        (COOP.Amendment, RDFS.subClassOf, COOP.AgreementChange),
        (COOP.Agreement, RDFS.subClassOf, PROV.Entity),
        (COOP.Partnership, RDFS.subClassOf, PROV.Entity),
        (COOP.SourceDocument, RDFS.subClassOf, PROV.Entity),
        (COOP.SourceLocation, RDFS.subClassOf, PROV.Entity),
        (COOP.Funding, RDFS.subClassOf, SCHEMA.MonetaryGrant),
        (COOP.Protocol, RDFS.subClassOf, COOP.Agreement),
        (COOP.collaboratesWith, RDFS.subPropertyOf, ORG.linkedTo),
        (COOP.theme, RDFS.subPropertyOf, DCTERMS.subject),
        (COOP.signatureDate, RDFS.subPropertyOf, DCTERMS.date),
        (COOP.partnership, RDFS.subPropertyOf, DCTERMS.isPartOf),
        (COOP.funder, RDFS.subPropertyOf, SCHEMA.funder),
        (COOP.amount, RDFS.subPropertyOf, SCHEMA.amount),
        (COOP.currency, RDFS.subPropertyOf, SCHEMA.currency),
        (COOP.funds, RDFS.subPropertyOf, SCHEMA.fundedItem),
        (COOP.countryCode, RDFS.subPropertyOf, SCHEMA.addressCountry),
        (COOP.partOf, RDFS.subPropertyOf, SCHEMA.containedInPlace),
    ],
)
def test_alignments(onto: Graph, s: URIRef, p: URIRef, o: URIRef) -> None:
    assert (s, p, o) in onto


def test_protocol_is_defined_by_its_kinds(onto: Graph) -> None:
    """coop:Protocol ≡ coop:Agreement ⊓ (∋agreementKind.cooperation-protocol ⊔ ∋agreementKind.programme-protocol)."""
    (definition,) = [d for d in onto.objects(COOP.Protocol, OWL.equivalentClass) if isinstance(d, BNode)]
    members = list(Collection(onto, onto.value(definition, OWL.intersectionOf)))
    assert COOP.Agreement in members
    (union,) = [m for m in members if isinstance(m, BNode)]
    values = set()
    for restriction in Collection(onto, onto.value(union, OWL.unionOf)):
        assert (restriction, RDF.type, OWL.Restriction) in onto
        assert onto.value(restriction, OWL.onProperty) == COOP.agreementKind
        values.add(onto.value(restriction, OWL.hasValue))
    kinds = {concept_iri("agreement-kind", k) for k in ("cooperation-protocol", "programme-protocol")}
    assert values == kinds


def test_a_reasoner_classifies_protocols(onto: Graph) -> None:
    owlrl = pytest.importorskip("owlrl")
    g = Graph()
    for triple in onto:
        g.add(triple)
    kind = Namespace(VOCAB + "agreement-kind/")
    protocol, twinning = URIRef("urn:test:protocol"), URIRef("urn:test:twinning")
    g.add((protocol, RDF.type, COOP.Agreement))
    g.add((protocol, COOP.agreementKind, kind["programme-protocol"]))
    g.add((twinning, RDF.type, COOP.Agreement))
    g.add((twinning, COOP.agreementKind, kind["twinning"]))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    assert (protocol, RDF.type, COOP.Protocol) in g
    assert (twinning, RDF.type, COOP.Protocol) not in g


# -- the vocabularies ----------------------------------------------------------------
@pytest.mark.parametrize("scheme", sorted(SCHEME_FILES))
def test_scheme_header(schemes: dict[str, Graph], scheme: str) -> None:
    g = schemes[scheme]
    iri = scheme_iri(scheme)
    assert (iri, RDF.type, SKOS.ConceptScheme) in g
    assert sorted(langs_of(g, iri, DCTERMS.title)) == sorted(LANGS)
    tops = set(g.objects(iri, SKOS.hasTopConcept))
    assert tops, "a scheme has top concepts"
    assert tops == set(g.subjects(SKOS.topConceptOf, iri))


@pytest.mark.parametrize("scheme", sorted(SCHEME_FILES))
def test_every_documented_code_is_a_concept(schemes: dict[str, Graph], scheme: str) -> None:
    g = schemes[scheme]
    codes = documented_codes()[scheme]
    assert codes
    for code in codes:
        c = concept_iri(scheme, code)
        assert (c, RDF.type, SKOS.Concept) in g, f"{scheme}: missing concept {code}"
        assert (c, SKOS.inScheme, scheme_iri(scheme)) in g
        assert g.value(c, SKOS.notation) == Literal(code)
        prefs = langs_of(g, c, SKOS.prefLabel)
        assert sorted(prefs) == sorted(LANGS), f"{scheme}/{code}: one prefLabel in each of en, fr, ro: {prefs}"
        assert "en" in langs_of(g, c, SKOS.definition), f"{scheme}/{code}: no English definition"
    # and nothing undocumented
    assert {str(c).rsplit("/", 1)[-1] for c in concepts_of(g, scheme)} == set(codes)


@pytest.mark.parametrize("scheme", sorted(SCHEME_FILES))
def test_labels_are_unambiguous(schemes: dict[str, Graph], scheme: str) -> None:
    g = schemes[scheme]
    owner: dict[str, URIRef] = {}
    for c in concepts_of(g, scheme):
        prefs = set(g.objects(c, SKOS.prefLabel))
        alts = set(g.objects(c, SKOS.altLabel))
        assert not prefs & alts, f"{c}: a label is both preferred and alternative (SKOS S13)"
        for label in prefs | alts:
            key = norm(str(label))
            assert owner.setdefault(key, c) == c, f"{scheme}: '{label}' labels both {owner[key]} and {c}"


@pytest.mark.parametrize(
    "scheme, word, code",
    [
        ("agreement-kind", "Protocol de cooperare", "cooperation-protocol"),
        ("agreement-kind", "protocole de coopération", "cooperation-protocol"),
        ("agreement-kind", "Protocol de colaborare", "cooperation-protocol"),
        ("agreement-kind", "Proccol de colaborare", "cooperation-protocol"),
        ("agreement-kind", "Acord de cooperare", "cooperation-agreement"),
        ("agreement-kind", "accord de coopération", "cooperation-agreement"),
        ("agreement-kind", "înfrățire", "twinning"),
        ("agreement-kind", "jumelage", "twinning"),
        ("agreement-kind", "Convenție Cadru de Cooperare Descentralizată", "framework-convention"),
        ("agreement-kind", "convention-cadre", "framework-convention"),
        ("agreement-kind", "Protocol Program", "programme-protocol"),
        ("agreement-kind", "Convenția privind finanțarea", "funding-convention"),
        ("agreement-kind", "convention de financement", "funding-convention"),
        ("agreement-kind", "Accord de coopération multilatérale", "multilateral-agreement"),
        ("agreement-kind", "Projet de coopération décentralisée", "decentralised-cooperation-project"),
        ("status", "En cours", "ongoing"),
        ("status", "în desfășurare", "ongoing"),
        ("status", "activ", "ongoing"),
        ("status", "Terminé", "ended"),
        ("status", "Încetat", "ended"),
        ("end-reason", "Încetat prin expirarea termenului", "expiry"),
        ("end-reason", "Încetat din cauza reorganizării UAT", "administrative-reorganisation"),
        ("end-reason", "réorganisation administrative", "administrative-reorganisation"),
        ("collectivity-kind", "județ", "county"),
        ("collectivity-kind", "comté", "county"),
        ("collectivity-kind", "département", "department"),
        ("collectivity-kind", "région", "region"),
        ("collectivity-kind", "regiune", "region"),
        ("collectivity-kind", "commune", "commune"),
        ("collectivity-kind", "comună", "commune"),
        ("collectivity-kind", "municipiu", "municipality"),
        ("collectivity-kind", "oraș", "city"),
        ("collectivity-kind", "ville", "city"),
        ("collectivity-kind", "Landkreis", "district"),
        ("collectivity-kind", "province", "province"),
        ("collectivity-kind", "provincie", "province"),
        ("theme", "Economie durable", "sustainable-economy"),
        ("theme", "Attractivité des territoires", "territorial-attractiveness"),
        ("theme", "Pôles de compétitivité, clusters, filières", "competitiveness-clusters"),
    ],
)
def test_source_spellings_map_to_codes(schemes: dict[str, Graph], scheme: str, word: str, code: str) -> None:
    g = schemes[scheme]
    found = {
        c
        for c in concepts_of(g, scheme)
        for p in (SKOS.prefLabel, SKOS.altLabel)
        for label in g.objects(c, p)
        if norm(str(label)) == norm(word)
    }
    assert found == {concept_iri(scheme, code)}


def test_theme_hierarchy(schemes: dict[str, Graph]) -> None:
    g = schemes["theme"]
    scheme = scheme_iri("theme")
    concepts = concepts_of(g, "theme")
    t = Namespace(VOCAB + "theme/")
    # three levels under sustainable-economy, as the French Atlas has them
    assert (t["competitiveness-clusters"], SKOS.broader, t["territorial-attractiveness"]) in g
    assert (t["territorial-attractiveness"], SKOS.broader, t["sustainable-economy"]) in g
    assert (scheme, SKOS.hasTopConcept, t["sustainable-economy"]) in g
    for c in concepts:
        broader = set(g.objects(c, SKOS.broader))
        assert len(broader) <= 1, f"{c}: at most one broader theme"
        for b in broader:
            assert b in concepts, f"{c}: broader {b} is not a concept of the scheme"
            assert (b, SKOS.narrower, c) in g, f"{b} lacks skos:narrower {c}"
        assert bool(broader) != ((c, SKOS.topConceptOf, scheme) in g), f"{c}: top concept iff no broader"
    for b, n in g.subject_objects(SKOS.narrower):
        assert (n, SKOS.broader, b) in g
    # the hierarchy is the documented one
    for code, parent in documented_theme_parents().items():
        assert g.value(t[code], SKOS.broader) == (t[parent] if parent else None), code
