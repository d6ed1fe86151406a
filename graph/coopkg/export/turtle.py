"""Turtle: one block per subject, predicates and objects in N-Triples order, with the prefixes of
`coopkg.vocab.PREFIXES` (the layout of Oxigraph's Turtle serialiser).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import IO, Any

import numpy as np

from coopkg.export.formats import CHUNK, RDF_TYPE_NT, XSD_BOOLEAN, XSD_DECIMAL, XSD_DOUBLE, XSD_INTEGER
from coopkg.export.rows import compact_names, fill, object_array, run_starts, text_range, write_parts
from coopkg.termtable import as_table, distinct
from coopkg.vocab import PREFIXES

# -- Turtle ----------------------------------------------------------------------------------
_PN_CHARS_BASE = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
                  "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
_PN_CHARS = _PN_CHARS_BASE + "_\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
# A local name that needs no escape (Turtle's PN_LOCAL without ':', '%' and '\' escapes):
# anything else is written as a full <IRI>, which is always valid.
_PN_LOCAL = re.compile(f"(?:[{_PN_CHARS_BASE}_0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)?")
_TURTLE_INTEGER = re.compile(r"[+-]?[0-9]+")
_TURTLE_DECIMAL = re.compile(r"[+-]?[0-9]*\.[0-9]+")
_TURTLE_DOUBLE = re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+")
_TURTLE_INLINE = {XSD_BOOLEAN: re.compile("true|false"), XSD_INTEGER: _TURTLE_INTEGER,
                  XSD_DECIMAL: _TURTLE_DECIMAL, XSD_DOUBLE: _TURTLE_DOUBLE}


class Prefixer:
    """Compact names for IRIs: ``name:local`` for the longest namespace whose rest is a
    local name ``local_name`` accepts, else None.

    The namespaces to try are found once per IRI "folder" (the IRI up to its last ``/``
    or ``#``), which data IRIs share by the thousand, so most IRIs cost one dict look-up.
    """

    def __init__(self, prefixes: Iterable[tuple[str, str]], local_name: Callable[[str], object]) -> None:
        # Longest namespace first; between equals, by name (a stable order).
        self.by_ns = sorted(sorted(prefixes), key=lambda kv: -len(kv[1]))
        self._local_name = local_name
        self._folders: dict[str, list[tuple[str, str]]] = {}

    def compact(self, iri: str) -> str | None:
        folder = iri[:max(iri.rfind("/"), iri.rfind("#")) + 1]
        candidates = self._folders.get(folder)
        if candidates is None:
            # a namespace that is a prefix of the IRI is a prefix of its folder or starts with it
            candidates = self._folders[folder] = [(name, ns) for name, ns in self.by_ns
                                                  if folder.startswith(ns) or ns.startswith(folder)]
        for name, ns in candidates:
            if iri.startswith(ns):
                local = iri[len(ns):]
                if self._local_name(local):
                    return f"{name}:{local}"
        return None


class _TurtleTerms:
    """Terms as Turtle text, from their N-Triples text (which is valid Turtle): prefixed
    names where the local name allows, numbers and booleans bare, as Oxigraph writes them."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self._prefixer = Prefixer(prefixes.items(), _PN_LOCAL.fullmatch)
        self.by_ns = self._prefixer.by_ns
        self._datatypes: dict[str, tuple[str, re.Pattern[str] | None]] = {}  # '"^^<dt>' -> ('"^^xsd:dt', grammar)

    def prelude(self) -> str:
        return "".join(f"@prefix {name}: <{ns}> .\n" for name, ns in self.by_ns)

    def iri(self, iri: str) -> str:
        return self._prefixer.compact(iri) or f"<{iri}>"

    def typed_literal(self, nt: str) -> str:
        """A literal of a datatype other than xsd:string, from its ``"..."^^<datatype>``."""
        cut = nt.rindex('"^^<')
        suffix = nt[cut:]
        found = self._datatypes.get(suffix)
        if found is None:
            datatype = suffix[4:-1]
            found = self._datatypes[suffix] = ('"^^' + self.iri(datatype), _TURTLE_INLINE.get(datatype))
        short, inline = found
        # these grammars have no character N-Triples escapes: the text is the value
        if inline is not None and inline.fullmatch(nt, 1, cut):
            return nt[1:cut]
        return nt[:cut] + short

    def predicate(self, nt: str) -> str:
        return "a" if nt == RDF_TYPE_NT else self.iri(nt[1:-1])


def write_turtle(triples: Iterable[Any], out: IO[str], prefixes: dict[str, str] | None = None) -> int:
    """The distinct triples as Turtle, in N-Triples order; return their number."""
    c = as_table(triples).canonical()
    turtle = _TurtleTerms(prefixes or PREFIXES)
    out.write(turtle.prelude())
    n = len(c)
    if n == 0:
        return 0
    # Each term's text: its N-Triples text, but prefixed names and short typed literals.
    nt = c.nt
    text = object_array(len(nt))
    text[:] = nt
    compact_names(c, text, turtle.by_ns, _PN_LOCAL.fullmatch)
    typed = [i for i in text_range(c, '"').tolist() if nt[i][-1] == ">"]
    fill(text, np.asarray(typed, dtype=np.int64), [turtle.typed_literal(nt[i]) for i in typed])
    first, then = object_array(len(c.nt)), object_array(len(c.nt))  # " pred " after a subject, " ;\n\tpred "
    predicates = distinct(c.p, size=len(c.nt)).tolist()
    names = [turtle.predicate(c.nt[i]) for i in predicates]
    fill(first, np.asarray(predicates), [f" {name} " for name in names])
    fill(then, np.asarray(predicates), [f" ;\n\t{name} " for name in names])
    new_subject = run_starts(c.s)
    new_predicate = new_subject | run_starts(c.p)
    for start in range(0, n, CHUNK):
        rows = slice(start, start + CHUNK)
        s, p, o = c.s[rows], c.p[rows], c.o[rows]
        subject, predicate = new_subject[rows], new_predicate[rows] & ~new_subject[rows]
        # what comes before each object: the subject and predicate, a predicate, or a comma
        before = object_array(len(s))
        before[:] = " , "
        before[predicate] = then[p[predicate]]
        before[subject] = " .\n" + text[s[subject]] + first[p[subject]]
        if start == 0:
            before[0] = before[0][3:]
        write_parts(out, before, text[o])
    out.write(" .\n")
    return n
