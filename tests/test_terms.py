"""Terms as Turtle text (coopkg.terms): the form the emitter, the writer and Oxigraph share."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from coopkg import build
from coopkg.store import from_text, from_triples
from coopkg.terms import GRAPH_TERMS, TermText
from coopkg.turtle import write_text_triples
from coopkg.vocab import COOP

HOSTILE = [
    URIRef("https://example.org/%20a-b%3Cc%3E"),
    URIRef("https://w3id.org/coopkg/ontology#party"),
    URIRef("https://w3id.org/coopkg/ontology#not/a-local"),
    Literal('quote " backslash \\ newline \n tab \t cr \r'),
    Literal("Județul Timiș", lang="ro"),
    Literal("EN-tagged", lang="en-GB"),
    Literal("2004", datatype=XSD.gYear),
    Literal("31.02.2004", datatype=XSD.date),  # ill-typed stays as written
    Literal("212000.0", datatype=XSD.decimal),
    Literal(12),
    Literal("-007", datatype=XSD.integer),
    Literal("1e3", datatype=XSD.integer),  # not an integer's form: stays quoted
    Literal(True),
    Literal("yes", datatype=XSD.boolean),
    Literal("x", datatype=URIRef("https://example.org/dt")),
    BNode("b1"),
]


@pytest.mark.parametrize("node", HOSTILE, ids=repr)
def test_text_reads_back_as_the_same_rdflib_term(node: object) -> None:
    terms = TermText()
    text = terms.of(node)  # type: ignore[arg-type]
    back = terms.to_rdflib(text)
    assert back == node and type(back) is type(node)
    if isinstance(node, Literal):
        assert str(back) == str(node) and back.language == node.language and back.datatype == node.datatype


def test_prefixed_names_only_for_valid_local_names() -> None:
    assert GRAPH_TERMS.of(COOP.party) == "coop:party"
    assert GRAPH_TERMS.of(RDF.type) == "rdf:type"
    assert GRAPH_TERMS.of(URIRef(str(COOP) + "not/a-local")).startswith("<")
    assert GRAPH_TERMS.of(Literal(5)) == "5" and GRAPH_TERMS.of(Literal(False)) == "false"


def test_text_turtle_parses_to_the_same_graph_in_rdflib_and_oxigraph() -> None:
    subject = URIRef("https://example.org/s")
    # (rdflib's Turtle parser casts literals: the ill-typed ones are left to the round trip above)
    triples = [(subject, URIRef(f"https://example.org/p{i}"), node) for i, node in enumerate(HOSTILE)
               if not isinstance(node, BNode) and not (isinstance(node, Literal) and node.ill_typed)]
    text = GRAPH_TERMS.triples_of(triples)
    buffer = io.StringIO()
    assert write_text_triples(text, buffer) == len(triples)
    parsed = Graph().parse(data=buffer.getvalue(), format="turtle")
    assert set(parsed) == set(triples)
    # Oxigraph refuses an IRI with a space even when escaped (so does ox.NamedNode): valid ones only
    valid = [t for t in triples if " " not in t[2]]
    store = from_text(GRAPH_TERMS.triples_of(valid))
    assert set(store.store) == set(from_triples(valid, "oxigraph").store)  # type: ignore[attr-defined]


def test_bundled_graph_is_the_same_through_text_and_through_rdflib_terms() -> None:
    records = build.load().records
    text = build.graph_text(records)
    through_text = from_text(text)
    through_terms = from_triples(build.graph_triples(records), "oxigraph")
    assert len(through_text) == len(through_terms) > 1000
    assert set(through_text.store) == set(through_terms.store)  # type: ignore[attr-defined]
    ox_graph = ox.DefaultGraph()
    assert all(q.graph_name == ox_graph for q in through_text.store)  # type: ignore[attr-defined]
