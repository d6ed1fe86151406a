"""The one writer of RDF terms can never emit text that changes the statement structure.

Hypothesis feeds arbitrary strings as lexical forms, language tags and IRIs; whatever the
writer accepts must parse, with rdflib and with Oxigraph, as exactly the one statement
written, holding exactly the value given. What it refuses, it refuses with a TermError.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from coopkg.terms import GRAPH_TERMS, TermError, TermText, check_iri, check_language

T = TermText(GRAPH_TERMS.prefixes)
S, P = "<https://e.example/s>", "<https://e.example/p>"
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Any Unicode code point, surrogates included (what a YAML "\ud800" escape gives).
ANY_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=40)
# Texts built from the characters that matter to Turtle's grammar, to reach the edges often.
SYNTAX = st.text(st.sampled_from(list(' .;,<>"\'\\@^#_:-/?{}|`\n\r\t\x00\u2028aZ09é\ud800\ufffe')), max_size=30)
TEXTS = st.one_of(ANY_TEXT, SYNTAX)


def _parse_both(statement: str) -> tuple[list, list]:
    doc = "".join(f"@prefix {k}: <{v}> .\n" for k, v in T.prefixes.items()) + statement + "\n"
    graph = Graph()
    graph.parse(data=doc, format="turtle")
    oxi = list(ox.parse(doc.encode("utf-8"), format=ox.RdfFormat.TURTLE))
    return list(graph), oxi


@SETTINGS
@given(lexical=TEXTS, lang=st.one_of(st.none(), TEXTS, st.sampled_from(["fr", "en-GB", "ro", "sr-Latn", "de-CH-1996"])))
def test_a_written_literal_is_one_statement_with_its_value(lexical, lang):
    try:
        text = T.literal(lexical, lang)
    except TermError:
        # refused only for a reason: a lone surrogate, or a tag that is no BCP 47 tag
        assert any("\ud800" <= c <= "\udfff" for c in lexical) or lang
        return
    rdflib_triples, ox_triples = _parse_both(f"{S} {P} {text} .")
    assert len(rdflib_triples) == 1 and len(ox_triples) == 1
    (_, _, obj), = rdflib_triples
    assert str(obj) == lexical
    assert ox_triples[0].object.value == lexical
    if lang:
        assert obj.language.lower() == lang.lower() and ox_triples[0].object.language.lower() == lang.lower()
    assert T.to_rdflib(text) == Literal(lexical, lang=lang or None)


@SETTINGS
@given(tail=TEXTS)
def test_a_written_iri_is_one_statement_with_its_value(tail):
    iri = "https://e.example/" + tail
    try:
        text = T.iri(iri)
    except TermError:
        return
    rdflib_triples, ox_triples = _parse_both(f"{S} {P} {text} .")
    assert len(rdflib_triples) == 1 and len(ox_triples) == 1
    assert str(rdflib_triples[0][2]) == iri
    assert ox_triples[0].object.value == iri
    assert T.to_rdflib(text) == URIRef(iri)


@SETTINGS
@given(tag=TEXTS)
def test_a_language_tag_that_passes_is_one_oxigraph_accepts(tag):
    try:
        check_language(tag)
    except TermError:
        return
    ox.Literal("x", language=tag)  # raises if Oxigraph's BCP 47 parser refuses it


@pytest.mark.parametrize("tag", [
    'fr . <http://e.example/s> <http://e.example/p> "x"@fr',  # the injection of the issue
    "en fr", "fr-", "zz", "fr\n", "é",
])
def test_bad_language_tags_are_refused(tag):
    with pytest.raises(TermError, match="BCP 47"):
        T.literal("A", tag)


@pytest.mark.parametrize("iri", [
    "https://e.example/a b", "https://e.example/<x>", 'https://e.example/"', "relative/path", "https://[nope]/",
    "https://e.example/x> <https://e.example/p> <https://e.example/o", "https://e.example/\x00",
])
def test_bad_iris_are_refused(iri):
    with pytest.raises(TermError, match="RFC 3987"):
        check_iri(iri)


def test_good_iris_pass():
    for iri in ["https://w3id.org/coopkg/id/collectivity/ro-timis", "urn:isbn:0451450523", "mailto:a@b.example",
                "https://[2001:db8::1]:8080/x?q=1#f", "https://ro.example/Timiș", "https://e.example/%C8%99"]:
        assert check_iri(iri) == iri


def test_a_lone_surrogate_is_refused():
    with pytest.raises(TermError, match="surrogate"):
        T.literal("Tim\ud800is", "ro")


def test_controls_are_escaped_and_read_back():
    text = T.literal("a\x00b\x7f\u2028c\\u0041", "ro")
    assert "\x00" not in text and "\u2028" not in text
    assert T.to_rdflib(text) == Literal("a\x00b\x7f\u2028c\\u0041", lang="ro")


def test_a_literal_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setenv("COOPKG_LIMIT_LITERAL_CHARS", "70000")
    T.literal("x" * 70000)
    with pytest.raises(TermError, match="COOPKG_LIMIT_LITERAL_CHARS"):
        T.literal("x" * 70001)
