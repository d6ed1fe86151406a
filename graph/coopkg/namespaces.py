"""The namespaces coopkg names, as IRI text: what `coopkg.vocab` makes rdflib namespaces of.

Apart from `coopkg.vocab` so that code writing IRIs as text (the on-disk store's query path,
`coopkg query`'s output) does not import rdflib for them: importing it is 0.15 s of a
query process that never builds an rdflib term (docs/performance.md, "The start of a
query process"). The W3C and other standard namespaces are spelled as rdflib's `rdflib.namespace`
spells them (tests/test_foundation.py compares them).
"""

from __future__ import annotations

COOP = "https://w3id.org/coopkg/ontology#"
VOCAB = "https://w3id.org/coopkg/vocab/"
DEFAULT_BASE = "https://w3id.org/coopkg/id/"
SCHEMA = "https://schema.org/"
WD = "http://www.wikidata.org/entity/"
SH = "http://www.w3.org/ns/shacl#"
GEO = "http://www.opengis.net/ont/geosparql#"  # OGC GeoSPARQL: geometries as WKT
GEONAMES = "https://sws.geonames.org/"  # GeoNames feature IRIs: <https://sws.geonames.org/665087/>

# One namespace per SKOS concept scheme; a record's code is the local name.
AGREEMENT_KIND = VOCAB + "agreement-kind/"
STATUS = VOCAB + "status/"
END_REASON = VOCAB + "end-reason/"
COLLECTIVITY_KIND = VOCAB + "collectivity-kind/"
INSTITUTION_KIND = VOCAB + "institution-kind/"
CHANGE_KIND = VOCAB + "change-kind/"
THEME = VOCAB + "theme/"

# rdflib.namespace's, as text
DCAT = "http://www.w3.org/ns/dcat#"
DCTERMS = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
ORG = "http://www.w3.org/ns/org#"
OWL = "http://www.w3.org/2002/07/owl#"
PROV = "http://www.w3.org/ns/prov#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
TIME = "http://www.w3.org/2006/time#"
VOID = "http://rdfs.org/ns/void#"
XSD = "http://www.w3.org/2001/XMLSchema#"

PREFIXES: dict[str, str] = {
    "coop": COOP,
    "kind": AGREEMENT_KIND,
    "status": STATUS,
    "endreason": END_REASON,
    "ckind": COLLECTIVITY_KIND,
    "ikind": INSTITUTION_KIND,
    "change": CHANGE_KIND,
    "theme": THEME,
    "dcterms": DCTERMS,
    "dcat": DCAT,
    "foaf": FOAF,
    "geo": GEO,
    "org": ORG,
    "owl": OWL,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "schema": SCHEMA,
    "skos": SKOS,
    "time": TIME,
    "void": VOID,
    "wd": WD,
    "xsd": XSD,
}
