"""Namespaces and the terms of the coopkg ontology that code refers to.

The ontology itself (labels, definitions, alignments) lives in ``ontology/coopkg.ttl``;
this module only names its terms so Python code never spells an IRI by hand.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, TIME, VOID, XSD

COOP = Namespace("https://w3id.org/coopkg/ontology#")
VOCAB = "https://w3id.org/coopkg/vocab/"
DEFAULT_BASE = "https://w3id.org/coopkg/id/"
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
SH = Namespace("http://www.w3.org/ns/shacl#")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")  # OGC GeoSPARQL: geometries as WKT
GEONAMES = "https://sws.geonames.org/"  # GeoNames feature IRIs: <https://sws.geonames.org/665087/>

# One namespace per SKOS concept scheme; a record's code is the local name.
AGREEMENT_KIND = Namespace(VOCAB + "agreement-kind/")
STATUS = Namespace(VOCAB + "status/")
END_REASON = Namespace(VOCAB + "end-reason/")
COLLECTIVITY_KIND = Namespace(VOCAB + "collectivity-kind/")
INSTITUTION_KIND = Namespace(VOCAB + "institution-kind/")
CHANGE_KIND = Namespace(VOCAB + "change-kind/")
THEME = Namespace(VOCAB + "theme/")

SCHEMES: dict[str, Namespace] = {
    "agreement-kind": AGREEMENT_KIND,
    "status": STATUS,
    "end-reason": END_REASON,
    "collectivity-kind": COLLECTIVITY_KIND,
    "institution-kind": INSTITUTION_KIND,
    "change-kind": CHANGE_KIND,
    "theme": THEME,
}

# Agreement kinds whose agreements are also typed coop:Protocol.
PROTOCOL_KINDS = frozenset({"cooperation-protocol", "programme-protocol"})

PREFIXES: dict[str, str] = {
    "coop": str(COOP),
    "kind": str(AGREEMENT_KIND),
    "status": str(STATUS),
    "endreason": str(END_REASON),
    "ckind": str(COLLECTIVITY_KIND),
    "ikind": str(INSTITUTION_KIND),
    "change": str(CHANGE_KIND),
    "theme": str(THEME),
    "dcterms": str(DCTERMS),
    "dcat": str(DCAT),
    "foaf": str(FOAF),
    "geo": str(GEO),
    "org": str(ORG),
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "schema": str(SCHEMA),
    "skos": str(SKOS),
    "time": str(TIME),
    "void": str(VOID),
    "wd": str(WD),
    "xsd": str(XSD),
}

__all__ = [
    "AGREEMENT_KIND",
    "CHANGE_KIND",
    "COLLECTIVITY_KIND",
    "COOP",
    "DCAT",
    "DCTERMS",
    "DEFAULT_BASE",
    "END_REASON",
    "FOAF",
    "GEO",
    "GEONAMES",
    "INSTITUTION_KIND",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROTOCOL_KINDS",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SCHEMES",
    "SH",
    "SKOS",
    "STATUS",
    "THEME",
    "TIME",
    "VOCAB",
    "VOID",
    "WD",
    "XSD",
]
