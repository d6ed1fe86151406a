"""N-Triples: one sorted line per distinct triple.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

import pyoxigraph as ox
from rdflib.term import Node

from coopkg.export.formats import CHUNK, Term
from coopkg.export.rows import fill, object_array, write_parts
from coopkg.store import to_ox
from coopkg.termtable import as_table, distinct


# -- N-Triples -----------------------------------------------------------------------------
def nt_term(node: Node | Term) -> str:
    """A term in N-Triples syntax (rdflib or pyoxigraph)."""
    return str(node if isinstance(node, ox.NamedNode | ox.BlankNode | ox.Literal) else to_ox(node))


def write_ntriples(triples: Iterable[Any], out: IO[str]) -> int:
    """One line per distinct triple, the lines sorted; return the number of lines."""
    c = as_table(triples).canonical()
    nt = object_array(len(c.nt))
    nt[:] = c.nt
    middle = object_array(len(c.nt))  # " <predicate> " for the few predicates
    predicates = distinct(c.p, size=len(c.nt))
    fill(middle, predicates, [f" {c.nt[i]} " for i in predicates.tolist()])
    for start in range(0, len(c), CHUNK):
        rows = slice(start, start + CHUNK)
        end = object_array(len(c.s[rows]))
        end[:] = " .\n"
        write_parts(out, nt[c.s[rows]], middle[c.p[rows]], nt[c.o[rows]], end)
    return len(c)
