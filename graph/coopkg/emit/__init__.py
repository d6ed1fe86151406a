"""Records -> triples: the one emitter every reader's records go through (one module per record kind).
May import readers, merge, normalise and below (records, vocab, vocabularies, iris, terms); not store, turtle, screen.

It uses records, vocab, vocabularies, iris and terms only; `build`, `export` and the tests use it.

It knows nothing of stores: it yields each triple as three strings, the terms' Turtle
text (`coopkg.terms`), so the same triples can be written straight to graph.ttl, loaded
into Oxigraph, or turned into rdflib terms for rdflib's memory store. Each record's
triples are produced together (`Emitter.record_triples`), which lets exports put them in
the named graph of each source the record came from.

The modules: `text` (terms and literals as Turtle text), `base` (options, IRIs, the
dispatch), `actors` (collectivities, institutions, relations, contacts), `agreements`
(partnerships, agreements, renewals and amendments), `fundings` (projects, programmes,
fundings), `changes` (reorganisations), `lifetime` (what lasting records share, themes),
`provenance` (source lines, claims), `emitter` (the whole graph). A new record kind gets
a ``_<class name>`` method in the module of its family (see docs/architecture.md).
"""

from coopkg.emit.base import RECORD_KIND, EmitOptions
from coopkg.emit.emitter import Emitter, Triple, emit
from coopkg.emit.text import date_literal
from coopkg.records import SourceRef
from coopkg.terms import TextTriple

__all__ = ["RECORD_KIND", "EmitOptions", "Emitter", "SourceRef", "TextTriple", "Triple", "date_literal", "emit"]
