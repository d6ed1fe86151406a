"""A deterministic Turtle writer that works on plain triples, not on a store.

Why not rdflib's serializer: it needs the triples in its memory store first and takes
~24 s for an atlas-scale graph. This writer takes triples as Turtle text
(`coopkg.terms`), sorts them (subject, then ``a`` first, then predicate and object)
and streams them, so the same records always give byte-identical Turtle, quickly,
whatever store (if any) holds them. The output is plain Turtle 1.1 that any RDF tool reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO

from rdflib.term import Node

from coopkg import gc_pause
from coopkg.terms import GRAPH_TERMS, TermText, TextTriple

# Subjects are written in sorted order; within one, rdf:type first ("a"), then the rest.
_TYPE_KEY = "\x00"


def write_text_triples(triples: Iterable[TextTriple], out: IO[str], terms: TermText = GRAPH_TERMS,
                       consume: bool = False) -> int:
    """Write distinct triples given as Turtle text (under ``terms``' prefixes); return how many.

    With ``consume`` (``triples`` a list) the list is emptied as the triples are grouped,
    so the two copies are never held at once (~0.5 GB at 120,000 partnerships).
    """
    with gc_pause.paused():  # millions of small tuples would make the GC rescan the heap
        by_subject = group_by_subject(_drained(triples) if consume else triples, terms)  # type: ignore[arg-type]
        out.write(header(terms))
        return write_blocks(by_subject, out, flat=True)


def header(terms: TermText = GRAPH_TERMS) -> str:
    """The ``@prefix`` lines that start the file."""
    return "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in terms.prefixes.items())


def group_by_subject(triples: Iterable[TextTriple], terms: TermText = GRAPH_TERMS,
                     into: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """Each subject's predicates and objects, one after the other (`pairs_of`; no tuple a
    triple: 56 bytes each), rdf:type keyed to sort first; added to ``into`` when given (to
    group triples that come a part at a time)."""
    rdf_type = terms.iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    by_subject: dict[str, list[str]] = {} if into is None else into
    get = by_subject.get
    for s, p, o in triples:
        pairs = get(s)
        if pairs is None:
            pairs = by_subject[s] = []
        pairs.append(_TYPE_KEY if p == rdf_type else p)
        pairs.append(o)
    return by_subject


def write_blocks(by_subject: dict[str, list[tuple[str, str]]] | dict[str, list[str]], out: IO[str],
                 flat: bool = False) -> int:
    """Write the subjects in sorted order, each one's distinct pairs sorted; return how many
    triples. Subjects split in sorted ranges and written one range after another give the
    same bytes as one call (`coopkg.parallel` relies on it). ``flat``: each subject's list
    is predicate, object, predicate, object... (`coopkg.build.Grouped`), not pairs."""
    count = 0
    chunk: list[str] = []
    for s in sorted(by_subject):
        if flat:
            pairs = sorted(set(pairs_of(by_subject[s])))  # type: ignore[arg-type]
        else:
            pairs = sorted(set(by_subject[s]))  # type: ignore[arg-type]
        count += len(pairs)
        predicate = None
        for p, o in pairs:
            if p == predicate:
                chunk.append(f" ,\n        {o}")
                continue
            shown = "a" if p == _TYPE_KEY else p
            chunk.append(f"\n{s}\n    {shown} {o}" if predicate is None else f" ;\n    {shown} {o}")
            predicate = p
        chunk.append(" .\n")
        if len(chunk) > 4096:
            out.write("".join(chunk))
            chunk.clear()
    out.write("".join(chunk))
    return count


def pairs_of(flat: list[str]) -> Iterator[tuple[str, str]]:
    """The (predicate, object) pairs of a flat list: predicate, object, predicate, object..."""
    return zip(flat[::2], flat[1::2], strict=True)


def _drained(triples: list[TextTriple]) -> Iterator[TextTriple]:
    """The list's items from the end, each removed as it is given (order does not matter:
    every subject's pairs are sorted)."""
    pop = triples.pop
    while triples:
        yield pop()


def write_turtle(triples: Iterable[tuple[Node, Node, Node]], out: IO[str],
                 prefixes: dict[str, str] | None = None) -> int:
    """Write rdflib triples as deterministic Turtle; return how many distinct ones."""
    terms = TermText(prefixes) if prefixes else GRAPH_TERMS
    return write_text_triples(terms.triples_of(triples), out, terms)
