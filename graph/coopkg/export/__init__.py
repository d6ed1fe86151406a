"""Exports for linked-data portals: Turtle, N-Triples, JSON-LD, TriG, N-Quads, RDF/XML, deterministic.
May import shacl_engines and below (build, termtable, store, vocab, resources); not validate, query, network, parallel.

The graph is held as a `TripleTable` (coopkg.termtable): each distinct term once, each
triple three integers. A graph file is parsed by Oxigraph (Rust) and never turned into
rdflib objects, which at atlas scale is what costs most (see docs/publishing.md). The
writers take the table's canonical order (distinct triples sorted by their N-Triples
text, found by sorting the distinct terms and then integer rows with numpy), so the same
graph always gives byte-identical files whatever order it came in:

* Turtle: one block per subject, predicates and objects in that order, with the prefixes
  of `coopkg.vocab.PREFIXES` (the layout of Oxigraph's Turtle serialiser);
* N-Triples: one sorted line per distinct triple;
* JSON-LD: one node object per subject, sorted by ``@id``, keys sorted, values in the
  N-Triples order, compacted with the ``@context`` shipped in the package
  (``ontology/context.jsonld``: the same prefixes as the Turtle), laid out exactly as
  ``json.dump(..., indent=1, sort_keys=True, ensure_ascii=False)`` would, and written
  node by node rather than built as one document in memory;
* TriG: one named graph per source document. From records, the emitter says which
  source each record came from (`Emitter.by_source`); from a graph file there are no
  records, so triples are grouped by their subject's ``prov:wasDerivedFrom`` (see
  `derived_quads`: integer rows over the table, streamed to the writers). Triples that
  come from no source (the shipped vocabularies) stay in the default graph. The union of all graphs is exactly the exported graph.

Why the writers build text themselves instead of handing triples to a serialiser: a
serialiser needs one Python triple object per triple, in order; here the text of each
distinct term is made once, and each chunk of rows becomes text through numpy arrays of
those strings and one ``str.join``, with no Python code running per triple.

rdflib triples (what `coopkg.emit` yields) and pyoxigraph triples are accepted everywhere
and converted.
"""

from coopkg import resources as resources  # where the shipped @context is found (export.resources, as before the split)
from coopkg.export.convert import ox_quads, ox_triples, sorted_quads, sorted_triples
from coopkg.export.formats import EXTRA_EXTENSIONS, FORMATS, OUT_DIR_FORMATS, SORTED_PREFIXES, Quad, Term, Triple, format_of
from coopkg.export.inputs import Input, read_graph_file, records_input
from coopkg.export.jsonld import context, context_matches_prefixes, jsonld_document, write_jsonld
from coopkg.export.ntriples import nt_term, write_ntriples
from coopkg.export.quads import QuadRows, derived_quads, group_by_derivation, write_nquads, write_rdfxml, write_trig
from coopkg.export.turtle import write_turtle
from coopkg.export.writer import write
from coopkg.termtable import TripleTable

__all__ = [
    "EXTRA_EXTENSIONS",
    "FORMATS",
    "Input",
    "OUT_DIR_FORMATS",
    "Quad",
    "QuadRows",
    "SORTED_PREFIXES",
    "Term",
    "Triple",
    "TripleTable",
    "context",
    "context_matches_prefixes",
    "derived_quads",
    "format_of",
    "group_by_derivation",
    "jsonld_document",
    "nt_term",
    "ox_quads",
    "ox_triples",
    "read_graph_file",
    "records_input",
    "sorted_quads",
    "sorted_triples",
    "write",
    "write_jsonld",
    "write_nquads",
    "write_ntriples",
    "write_rdfxml",
    "write_trig",
    "write_turtle",
]
