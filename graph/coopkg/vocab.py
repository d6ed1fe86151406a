"""Namespaces and the terms of the coopkg ontology that code refers to.

The ontology itself (labels, definitions, alignments) lives in ``ontology/coopkg.ttl``;
this module only names its terms so Python code never spells an IRI by hand. The namespaces'
IRIs themselves are `coopkg.namespaces`' (text, for code that needs no rdflib term).
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, TIME, VOID, XSD

from coopkg import namespaces
from coopkg.namespaces import DEFAULT_BASE, GEONAMES, PREFIXES, VOCAB

COOP = Namespace(namespaces.COOP)
SCHEMA = Namespace(namespaces.SCHEMA)
WD = Namespace(namespaces.WD)
SH = Namespace(namespaces.SH)
GEO = Namespace(namespaces.GEO)  # OGC GeoSPARQL: geometries as WKT

# One namespace per SKOS concept scheme; a record's code is the local name.
AGREEMENT_KIND = Namespace(namespaces.AGREEMENT_KIND)
STATUS = Namespace(namespaces.STATUS)
END_REASON = Namespace(namespaces.END_REASON)
COLLECTIVITY_KIND = Namespace(namespaces.COLLECTIVITY_KIND)
INSTITUTION_KIND = Namespace(namespaces.INSTITUTION_KIND)
CHANGE_KIND = Namespace(namespaces.CHANGE_KIND)
THEME = Namespace(namespaces.THEME)

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

# PREFIXES (prefix -> namespace IRI) is `coopkg.namespaces`' own, as text.

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
