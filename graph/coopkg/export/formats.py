"""The export formats (name, extension, media type), the format a file name stands for, and the
term types and constant IRIs the writers share.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib.term import Node

from coopkg.vocab import PREFIXES, RDF, XSD

Triple = tuple[Node, Node, Node]
Quad = tuple[Node | None, Triple]  # (named graph or None for the default graph, rdflib triple)
Term = ox.NamedNode | ox.BlankNode | ox.Literal

FORMATS: dict[str, dict[str, str]] = {
    "ttl": {"media_type": "text/turtle", "extension": ".ttl", "eu_file_type": "RDF_TURTLE"},
    "nt": {"media_type": "application/n-triples", "extension": ".nt", "eu_file_type": "RDF_N_TRIPLES"},
    "jsonld": {"media_type": "application/ld+json", "extension": ".jsonld", "eu_file_type": "JSON_LD"},
    "trig": {"media_type": "application/trig", "extension": ".trig", "eu_file_type": "RDF_TRIG"},
    "nq": {"media_type": "application/n-quads", "extension": ".nq", "eu_file_type": "RDF_N_QUADS"},
    "rdf": {"media_type": "application/rdf+xml", "extension": ".rdf", "eu_file_type": "RDF_XML"},
}
# Other extensions that name a format (an OWL file is RDF/XML by convention).
EXTRA_EXTENSIONS = {".owl": "rdf", ".xml": "rdf", ".turtle": "ttl", ".json": "jsonld"}
# What --out-dir writes: one file per format portals expect (N-Quads and RDF/XML on request).
OUT_DIR_FORMATS = ("ttl", "nt", "jsonld", "trig")
SORTED_PREFIXES = dict(sorted(PREFIXES.items()))
RDF_TYPE = str(RDF.type)
RDF_TYPE_NT = f"<{RDF_TYPE}>"
XSD_STRING, XSD_INTEGER, XSD_BOOLEAN = str(XSD.string), str(XSD.integer), str(XSD.boolean)
XSD_DECIMAL, XSD_DOUBLE = str(XSD.decimal), str(XSD.double)
RDF_LANG_STRING = str(RDF.langString)
# Rows turned into text per chunk: bounds the memory of the text being built.
CHUNK = 1 << 16


def format_of(path: Path) -> str | None:
    """The export format a file name stands for (``.ttl`` -> ``ttl``), or None."""
    suffix = path.suffix.lower()
    return next((name for name, f in FORMATS.items() if f["extension"] == suffix), EXTRA_EXTENSIONS.get(suffix))
