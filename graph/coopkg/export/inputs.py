"""Where the triples to export or publish come from: a graph file (read by Oxigraph into a
`TripleTable`) or records built in memory (with their source documents' named graphs).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox

from coopkg.export.convert import ox_quads, ox_triples
from coopkg.export.formats import Triple
from coopkg.termtable import TripleTable


# -- where the triples come from ---------------------------------------------------------
class Input:
    """The graph to export or publish: from a graph file or from records.

    ``triples`` is what was given: a `TripleTable` (a graph file) or a list of triples
    (records); either iterates as triples. ``table`` is the same graph as a table, which
    the writers use. ``quads`` (for TriG) is set only when records were read: each
    record's triples in the named graph of each source document (`Emitter.by_source`),
    the shipped vocabularies in the default graph.
    """

    def __init__(self, triples: TripleTable | list[Any], origin: str, quads: list[ox.Quad] | None = None,
                 problems: list[Any] | None = None) -> None:
        self.triples = triples
        self.origin = origin
        self.quads = quads
        self.problems = problems or []
        self._table: TripleTable | None = triples if isinstance(triples, TripleTable) else None

    @property
    def table(self) -> TripleTable:
        if self._table is None:
            self._table = TripleTable.from_triples(self.triples)
        return self._table

    def count(self) -> int:
        """Distinct triples."""
        return len(self.table.canonical())

    def rdflib_triples(self) -> list[Triple]:
        """The triples as rdflib terms (slow at scale: for APIs that need them)."""
        from coopkg.store import from_ox

        return [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in self.table]  # type: ignore[misc]


def read_graph_file(path: Path) -> TripleTable:
    """Every triple of a graph file (any RDF syntax Oxigraph reads; named graphs merged)."""
    return TripleTable.from_file(path)


def records_input(sources: list[Path] | None = None, base: str | None = None, include_contacts: bool = False,
                  reader: str | None = None, with_quads: bool = False, mapping: str | None = None) -> Input:
    """The graph built in memory from record files (the bundled dataset when none)."""
    from coopkg import build

    options = {"mapping": mapping} if mapping else {}
    loaded = build.load(sources or None, reader=reader, **options)
    emitter = build.emitter(loaded.records, base, include_contacts)
    vocabulary = build.vocabulary_triples()
    quads: list[ox.Quad] | None = None
    if with_quads:
        quads = ox_quads(list(emitter.by_source()) + [(None, t) for t in vocabulary])
        triples = list({q.triple for q in quads})
    else:
        triples = list(set(ox_triples(list(emitter.triples()) + vocabulary)))
    origin = "the bundled dataset" if not sources else ", ".join(str(s) for s in sources)
    return Input(triples, origin, quads, loaded.problems)
