"""One entry point: the writer of a format by its name (ttl, nt, jsonld, trig, nq, rdf).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from coopkg.export.formats import FORMATS
from coopkg.export.jsonld import write_jsonld
from coopkg.export.ntriples import write_ntriples
from coopkg.export.quads import derived_quads, write_nquads, write_rdfxml, write_trig
from coopkg.export.turtle import write_turtle


def write(fmt: str, triples: Iterable[Any], out: IO[str], quads: Iterable[Any] | None = None) -> int:
    """Write ``triples`` in ``fmt`` (ttl, nt, jsonld, trig, nq, rdf); TriG and N-Quads use
    ``quads`` when given, else group triples by their subject's prov:wasDerivedFrom."""
    if fmt == "ttl":
        return write_turtle(triples, out)
    if fmt == "nt":
        return write_ntriples(triples, out)
    if fmt == "jsonld":
        return write_jsonld(triples, out)
    if fmt == "trig":
        return write_trig(quads if quads is not None else derived_quads(triples), out)
    if fmt == "nq":
        return write_nquads(quads if quads is not None else derived_quads(triples), out)
    if fmt == "rdf":
        return write_rdfxml(triples, out)
    raise ValueError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")
