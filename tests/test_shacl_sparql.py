"""The fast SHACL engine (shapes compiled to SPARQL on Oxigraph) against pyshacl.

Every file of the validation developer's bad-record corpus (tests/fixtures/validate/)
goes through both engines with the project's shapes; the top-level results must be the
same (focus node, path, source shape, component, severity, value, SPARQL constraint).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from coopkg import build, validate
from coopkg.shacl_sparql import UnsupportedShape, validate_fast
from coopkg.store import Store, from_triples, new_store
from coopkg.vocab import RDF, SH, XSD

FIXTURES = Path(__file__).parent / "fixtures" / "validate"
CORPUS = sorted(p for p in FIXTURES.glob("*") if p.suffix in {".yaml", ".ttl"} and p.name != "actors.yaml")
COOP = "https://w3id.org/coopkg/ontology#"
ID = "https://w3id.org/coopkg/id/"

# pyshacl's known mixed-type date errors: it orders xsd:gYear against xsd:date as typed
# values (and so does rdflib), which the shapes avoid by comparing "YYYY-MM-DD" strings.
# None of the corpus's results differ for that reason today; a result listed here would
# be one that only pyshacl gives because of it.
PYSHACL_MIXED_DATE_ERRORS: set[tuple[str, ...]] = set()


def _store(path: Path) -> Store:
    store = new_store("oxigraph")
    if path.suffix == ".yaml":
        loaded = build.load([path, FIXTURES / "actors.yaml"])
        store.add_triples(build.graph_triples(loaded.records))
    else:
        store.load_file(path)
    validate.prepare(store)
    return store


def _shape_name(shapes: Graph, shape: Node | None) -> str:
    """A blank shape has no name of its own: name it by what holds it and its path."""
    if isinstance(shape, BNode):
        holders = sorted(str(s) for s in shapes.subjects(None, shape))
        return f"[{', '.join(holders)} / {shapes.value(shape, SH.path)}]"
    return str(shape)


def results(report: Graph, shapes: Graph) -> set[tuple[str, ...]]:
    """The report's top-level results (nested sh:detail results left out) as comparable tuples."""
    out = set()
    for result in report.objects(None, SH.result):
        path = report.value(result, SH.resultPath)
        out.add((
            str(report.value(result, SH.focusNode)),
            "[path]" if isinstance(path, BNode) else str(path),
            _shape_name(shapes, report.value(result, SH.sourceShape)),
            str(report.value(result, SH.sourceConstraintComponent)),
            str(report.value(result, SH.resultSeverity)),
            str(report.value(result, SH.value)),
            str(report.value(result, SH.sourceConstraint)),
        ))
    return out


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return validate.load_shapes()


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_same_results_as_pyshacl(path: Path, shapes: Graph) -> None:
    store = _store(path)
    fast = results(validate_fast(store, shapes), shapes)
    with validate.quiet_rdflib():
        reference = results(validate.run_engine(store, shapes, "pyshacl"), shapes)
    assert fast, f"{path.name} is a bad-record file: the fast engine found nothing"
    assert fast == reference - PYSHACL_MIXED_DATE_ERRORS


def _hashed_everywhere(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every one-step path counted as big (its EXISTS tests hash-joined, `CompilerBase.exists`);
    the queries asked, to see that form was run."""
    from coopkg.shacl_sparql import base

    asked: list[str] = []
    select = base.CompilerBase.select
    monkeypatch.setattr(base, "HASH_FROM", 1)
    monkeypatch.setattr(base.CompilerBase, "select", lambda self, q: asked.append(q) or select(self, q))
    return asked


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_hash_joined_exists_gives_the_same_results(path: Path, shapes: Graph, monkeypatch: pytest.MonkeyPatch) -> None:
    store = _store(path)
    looked_up = results(validate_fast(store, shapes), shapes)
    asked = _hashed_everywhere(monkeypatch)
    hashed = results(validate_fast(store, shapes), shapes)
    assert any("(true AS ?_in" in q for q in asked), "no EXISTS test was hash-joined"
    assert hashed == looked_up


def test_report_is_a_standard_validation_report(shapes: Graph) -> None:
    report = validate_fast(_store(FIXTURES / "literals.ttl"), shapes)
    roots = list(report.subjects(None, SH.ValidationReport))
    assert len(roots) == 1
    assert report.value(roots[0], SH.conforms) == Literal(False)
    for result in report.objects(roots[0], SH.result):
        for prop in (SH.focusNode, SH.sourceShape, SH.sourceConstraintComponent, SH.resultSeverity, SH.resultMessage):
            assert report.value(result, prop) is not None, prop


SHAPES_TTL = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
ex:S a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:date ; sh:datatype xsd:date ] ;
    sh:property [ sh:path ( ex:next ex:name ) ; sh:minCount 1 ] ;
    sh:property [ sh:path [ sh:inversePath ex:owns ] ; sh:maxCount 1 ] ;
    sh:property [ sh:path ex:name ; sh:languageIn ( "fr" ) ; sh:uniqueLang true ] ;
    sh:sparql [ sh:select "SELECT $this ?value WHERE { $this <http://example.org/n> ?value . FILTER (?value > 3) }" ;
                sh:message "n is {?value}, more than 3" ] .
ex:Off a sh:NodeShape ; sh:targetClass ex:Thing ; sh:deactivated true ; sh:property [ sh:path ex:x ; sh:minCount 1 ] .
"""
DATA_TTL = """
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
ex:a a ex:Thing ; ex:date "31.02.2004"^^xsd:date ; ex:next ex:b ; ex:name "A"@fr, "A2"@fr ; ex:n 5 .
ex:b ex:name "B"@en .
ex:c a ex:Thing ; ex:date "2004-02-29"^^xsd:date ; ex:name "C"@fr .
ex:o1 ex:owns ex:c . ex:o2 ex:owns ex:c .
"""


def test_core_components_and_sparql_messages(tmp_path: Path) -> None:
    shapes = Graph().parse(data=SHAPES_TTL, format="turtle")
    data = tmp_path / "data.ttl"
    data.write_text(DATA_TTL, encoding="utf-8")
    store = new_store("oxigraph")
    store.load_file(data)
    fast = validate_fast(store, shapes)
    got = {(str(fast.value(r, SH.focusNode)).rsplit("/", 1)[-1],
            str(fast.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]) for r in fast.objects(None, SH.result)}
    assert got == {
        ("a", "DatatypeConstraintComponent"),  # ill-typed "31.02.2004"^^xsd:date
        ("a", "UniqueLangConstraintComponent"),
        ("c", "MinCountConstraintComponent"),  # no ex:next/ex:name
        ("c", "MaxCountConstraintComponent"),  # owned twice (inverse path)
        ("a", "SPARQLConstraintComponent"),
    }
    messages = {str(m) for r in fast.objects(None, SH.result) for m in fast.objects(r, SH.resultMessage)}
    assert "n is 5, more than 3" in messages
    with validate.quiet_rdflib():
        from pyshacl import validate as pyshacl_validate

        _, reference, _ = pyshacl_validate(store.rdflib_graph(), shacl_graph=shapes, inference="none")
    assert {t[0] + t[3] for t in results(fast, shapes)} == {t[0] + t[3] for t in results(reference, shapes)}


def test_unsupported_components_are_refused() -> None:
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:closed true .""", format="turtle")
    store = from_triples([(URIRef("http://example.org/a"), URIRef("http://example.org/p"), Literal(1, datatype=XSD.integer))])
    with pytest.raises(UnsupportedShape):
        validate_fast(store, shapes)


# Cases for the query plans of the fast engine: a failing value shared by a focus node and
# a node no shape targets, property shapes shared by several node shapes, counts, the
# start-date fallback of change-before-signature, same-actor parties, dates on every
# date property.
PLANS_TTL = """
@prefix coop: <https://w3id.org/coopkg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/coopkg/id/> .
@prefix theme: <https://w3id.org/coopkg/vocab/theme/> .
@prefix kind: <https://w3id.org/coopkg/vocab/agreement-kind/> .
@prefix ck: <https://w3id.org/coopkg/vocab/collectivity-kind/> .

id:collectivity\\/a a coop:Collectivity ; rdfs:label "A"@en ; coop:countryCode "RO" ;
    coop:collectivityKind ck:county ; skos:exactMatch <http://www.wikidata.org/entity/Q1> ;
    schema:foundingDate "1990-02-30"^^xsd:date .
id:collectivity\\/a2 a coop:Collectivity ; rdfs:label "A bis"@en ; coop:countryCode "RO" ;
    coop:collectivityKind ck:county ; skos:exactMatch <http://www.wikidata.org/entity/Q1> ;
    schema:dissolutionDate "soon" .
id:collectivity\\/b a coop:Collectivity ; rdfs:label "B"@en ; coop:countryCode "FR" ; coop:collectivityKind ck:region .

id:partnership\\/shared-theme a coop:Partnership ; coop:party id:collectivity\\/a, id:collectivity\\/b ;
    coop:theme theme:no-such-theme ; dcterms:title "untagged" ; schema:startDate "2004"^^xsd:gYear .
id:project\\/shared-theme a coop:Project ; dcterms:title "Project"@en ; coop:theme theme:no-such-theme, theme:water .
<urn:x-untargeted> coop:theme theme:no-such-theme ; dcterms:title "no shape targets this" ; coop:party "a string" .
id:partnership\\/one-party a coop:Partnership ; coop:party id:collectivity\\/a, id:collectivity\\/a .
id:partnership\\/same-actor a coop:Partnership ; coop:party id:collectivity\\/a, id:collectivity\\/a2, id:collectivity\\/b .

id:agreement\\/start-only a coop:Agreement ; coop:agreementKind kind:twinning ;
    coop:party id:collectivity\\/a, id:collectivity\\/b ; schema:startDate "2006-03"^^xsd:gYearMonth .
id:agreement\\/signed-and-started a coop:Agreement ; coop:agreementKind kind:twinning ;
    coop:party id:collectivity\\/a, id:collectivity\\/b ;
    coop:signatureDate "2001-01-01"^^xsd:date ; schema:startDate "2010"^^xsd:gYear .
id:change\\/before-start a coop:Amendment ; coop:changes id:agreement\\/start-only ; dcterms:date "2005"^^xsd:gYear .
id:change\\/on-start a coop:Amendment ; coop:changes id:agreement\\/start-only ; dcterms:date "2006-03-15"^^xsd:date .
id:change\\/after-signature a coop:Renewal ; coop:changes id:agreement\\/signed-and-started ;
    dcterms:date "2005"^^xsd:gYear .
id:change\\/before-signature a coop:Renewal ; coop:changes id:agreement\\/signed-and-started ;
    dcterms:date "2000"^^xsd:gYear .

id:funding\\/bad a coop:Funding ; coop:funds id:partnership\\/shared-theme ; coop:funderName "Someone" ;
    coop:amount -5.0 ; coop:currency "EUR", "RON" ; coop:fundingYear "20x4"^^xsd:gYear .
id:funding\\/no-amount a coop:Funding ; coop:funds <urn:x-untargeted> ; coop:funderName "Someone" ;
    coop:currency "XYZ" ; coop:fundingYear "2004" .
id:reorganization\\/string-date a coop:Reorganization ; rdfs:label "R"@en ; dcterms:date "2004" .
"""


def test_query_plans_give_the_same_results_as_pyshacl(tmp_path: Path, shapes: Graph) -> None:
    data = tmp_path / "plans.ttl"
    data.write_text(PLANS_TTL, encoding="utf-8")
    store = _store(data)
    fast = results(validate_fast(store, shapes), shapes)
    with validate.quiet_rdflib():
        reference = results(validate.run_engine(store, shapes, "pyshacl"), shapes)
    assert fast == reference
    found = {(focus.rsplit("/", 1)[-1], (constraint if constraint != "None" else shape).rsplit("#", 1)[-1])
             for focus, _, shape, _, _, _, constraint in fast}
    expected = {
        ("shared-theme", "theme-in-scheme"),  # the partnership and the project, not <urn:x-untargeted>
        ("shared-theme", "title-language"),
        ("one-party", "parties-two-or-more"),
        ("same-actor", "parties-same-actor"),
        ("before-start", "change-before-signature"),  # no signature: the start date stands for it
        ("before-signature", "change-before-signature"),
        ("bad", "funding-amount-not-negative"),
        ("bad", "funding-currency"),  # two currencies
        ("bad", "date-ill-typed"),
        ("no-amount", "funding-amount"),
        ("no-amount", "funding-currency"),  # not an ISO 4217 code
        ("no-amount", "funding-funds"),
        ("no-amount", "date-not-a-date"),
        ("string-date", "date-not-a-date"),
        ("a", "date-ill-typed"),
        ("a2", "date-not-a-date"),
    }
    assert expected <= found, expected - found
    assert ("on-start", "change-before-signature") not in found
    assert ("after-signature", "change-before-signature") not in found  # the signature wins over the start
    assert not any(focus == "urn:x-untargeted" for focus, *_ in fast)


REFUSED_QUERIES = {
    "MINUS": "SELECT $this WHERE { $this ?p ?o . MINUS { $this ?p 1 } }",
    "VALUES": "SELECT $this WHERE { $this ?p ?o . VALUES ?o { 1 } }",
    "trailing VALUES": "SELECT $this WHERE { $this ?p ?o } VALUES ?o { 1 }",
    "sub-SELECT": "SELECT $this WHERE { $this ?p ?o . { SELECT ?o WHERE { ?s ?q ?o } } }",
    "sub-SELECT naming $this in a FILTER":
        "SELECT $this WHERE { $this ?p ?o . { SELECT $this ?o WHERE { ?s ?q ?o FILTER (?s != $this) } } }",
    "sub-SELECT not binding $this, alone": "SELECT $this WHERE { { SELECT $this ?o WHERE { ?s ?q ?o } } }",
    "AS $this": "SELECT $this WHERE { BIND (<http://example.org/a> AS $this) }",
    "$shapesGraph": "SELECT $this WHERE { $this ?p ?o . FILTER (bound($shapesGraph)) }",
}


@pytest.mark.parametrize("form", sorted(REFUSED_QUERIES))
def test_forbidden_sparql_forms_are_refused_before_any_query(form: str) -> None:
    shapes = Graph().parse(data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql ex:c .
        ex:c sh:select \"\"\"{REFUSED_QUERIES[form]}\"\"\" .""", format="turtle")

    class Refusing(Store):
        def query(self, sparql: str, bindings: dict | None = None) -> object:
            raise AssertionError(f"a query ran: {sparql}")

    with pytest.raises(UnsupportedShape) as err:
        validate_fast(Refusing(), shapes)
    assert "http://example.org/S" in str(err.value) and "http://example.org/c" in str(err.value)
    assert err.value.refusals and err.value.refusals[0].construct == "SPARQL constraint"


def test_service_is_never_run() -> None:
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    shapes = Graph().parse(data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:select
            "SELECT $this WHERE {{ $this ?p ?o . SERVICE <http://127.0.0.1:{port}/sparql> {{ ?o ?q ?r }} }}" ] .""",
                           format="turtle")
    store = from_triples([(URIRef("http://example.org/a"), URIRef("http://example.org/p"), URIRef("http://example.org/b"))])
    with pytest.raises(UnsupportedShape, match="SERVICE"):
        validate_fast(store, shapes)
    with pytest.raises(TimeoutError):
        listener.accept()
    listener.close()


def test_custom_components_and_recursion_are_named() -> None:
    from coopkg.shacl_sparql import refusals

    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:Comp a sh:ConstraintComponent ; sh:parameter [ sh:path ex:limit ] ;
            sh:nodeValidator [ a sh:SPARQLSelectValidator ; sh:select "SELECT $this WHERE { $this ?p ?o }" ] .
        ex:S a sh:NodeShape ; sh:targetNode ex:a ; ex:limit 3 .
        ex:R a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:node ex:R ] .
        ex:Ok a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .""", format="turtle")
    found = refusals(shapes)
    assert {(r.shape.rsplit("/", 1)[-1], r.construct) for r in found} == {
        ("S", "<http://example.org/limit>"), ("R", "recursive shape")}
    assert "custom constraint component <http://example.org/Comp>" in str(found[-1]) + str(found[0])


def test_this_only_in_a_filter_is_pre_bound() -> None:
    # run once with $this unbound, FILTER ($this = ...) is an error and answers nothing
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetNode ex:a, ex:b ; sh:sparql [ sh:select
            '''SELECT $this WHERE { FILTER ($this = <http://example.org/a>)
                   FILTER NOT EXISTS { $this <http://example.org/ok> true } }''' ] .""",
                           format="turtle")
    store = from_triples([(URIRef("http://example.org/b"), URIRef("http://example.org/p"), URIRef("http://example.org/c"))])
    report = validate_fast(store, shapes)
    assert {str(f) for f in report.objects(None, SH.focusNode)} == {"http://example.org/a"}


def test_sub_select_returning_this_unbound_gives_pyshacl_results() -> None:
    # the other side of a pair in sub-SELECTs that return $this without binding it (as
    # coopsh:collectivity-duplicate): run once for all focus nodes, each row joined on the
    # shared key; pyshacl pre-binds $this one focus node at a time
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:message "same name" ; sh:select
            '''SELECT $this ?value WHERE {
                   { SELECT $this ?value ?n WHERE { ?value <http://example.org/name> ?n } }
                   { SELECT $this ?value WHERE { ?value a <http://example.org/C> } }
                   { SELECT $this ?n WHERE { $this <http://example.org/name> ?n } }
                   FILTER (!sameTerm(?value, $this)) }''' ] .""", format="turtle")
    ex = "http://example.org/"
    triples = [(URIRef(ex + s), URIRef(ex + "name"), Literal(n)) for s, n in
               (("a", "x"), ("b", "x"), ("c", "y"), ("d", "x"), ("e", "y"))]
    triples += [(URIRef(ex + s), RDF.type, URIRef(ex + "C")) for s in ("a", "b", "c", "d")]  # e is no C
    store = from_triples(triples)

    def pairs(report: Graph) -> set[tuple[str, str]]:
        return {(str(report.value(r, SH.focusNode))[len(ex):], str(report.value(r, SH.value))[len(ex):])
                for r in report.objects(None, SH.result)}

    got = pairs(validate_fast(store, shapes))
    assert got == {("a", "b"), ("a", "d"), ("b", "a"), ("b", "d"), ("d", "a"), ("d", "b")}
    from pyshacl import validate as pyshacl_validate

    with validate.quiet_rdflib():
        _, reference, _ = pyshacl_validate(store.rdflib_graph(), shacl_graph=shapes, inference="none")
    assert got == pairs(reference)
