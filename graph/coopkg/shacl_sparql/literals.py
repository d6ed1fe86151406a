"""Literals as written, where the store keeps another form.

Oxigraph stores typed literals in a canonical form: ``"5"^^xsd:int`` becomes
``"5"^^xsd:integer``, ``"1.0"^^xsd:decimal`` becomes ``"1"``, ``"300"^^xsd:byte`` (out of
range) becomes ``"300"^^xsd:integer``. A check of sh:datatype, sh:pattern, sh:minLength,
sh:maxLength or sh:in on the stored form would then answer about a literal the user never
wrote. `scan` reads the graph files once more with Oxigraph's parser (which keeps the
terms as written) and lists, for each literal the store rewrites, the original terms
and the triples they occur in. The compiler re-checks those values against the
originals (`term_conforms`) and reports the originals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from coopkg.vocab import SH

_PLAIN = {"http://www.w3.org/2001/XMLSchema#string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
# The components whose answer depends on the literal as written, not on its value.
TERM_SENSITIVE = {SH.datatype, SH.pattern, SH.minLength, SH.maxLength, SH["in"], SH.hasValue}


@dataclass
class Rewrites:
    """Stored literal -> the original terms it stands for, and where each occurs."""

    originals: dict[Node, set[Node]] = field(default_factory=dict)
    occurrences: dict[tuple[Node, Node, Node], set[Node]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.originals)

    def predicates(self) -> set[Node]:
        """The predicates of the triples holding a rewritten literal."""
        if not hasattr(self, "_predicates"):
            self._predicates = {p for _, p, _ in self.occurrences}
        return self._predicates

    def merged(self) -> list[tuple[Node, Node, Node]]:
        """Triples where the store holds one literal for two or more distinct ones written."""
        return sorted((k for k, v in self.occurrences.items() if len(v) > 1), key=str)

    def for_value(self, subject: Node | None, predicate: Node | None, value: Node) -> set[Node] | None:
        """The original terms of a stored value (None when the store kept it as written).

        With the triple known (a one-step path), its own originals; else every original of
        the stored literal, and `UnsupportedValue` when they are not one.
        """
        if value not in self.originals:
            return None
        if subject is not None and predicate is not None:
            found = self.occurrences.get((subject, predicate, value))
            if found:
                return found
        found = self.originals[value]
        if len(found) > 1:
            raise UnsupportedValue(f"the store holds {value.n3()} for several literals as written "  # type: ignore[attr-defined]
                                   f"({', '.join(sorted(o.n3() for o in found))}) reached by a path of several steps")  # type: ignore[attr-defined]
        return found


class UnsupportedValue(ValueError):
    """A stored literal whose original the engine cannot tell."""


def scan(paths: list[Path]) -> Rewrites:
    """The literals of ``paths`` that an Oxigraph store does not keep as written."""
    import pyoxigraph as ox

    from coopkg.store import _FORMATS, from_ox

    typed: dict[object, list[tuple[object, object]]] = {}
    for path in paths:
        fmt = _FORMATS.get(path.suffix.lower(), _FORMATS[".ttl"])[1]
        for triple in ox.parse(path=str(path), format=fmt, base_iri=path.resolve().as_uri()):
            o = triple.object
            if isinstance(o, ox.Literal) and o.datatype.value not in _PLAIN:
                typed.setdefault(o, []).append((triple.subject, triple.predicate))
    out = Rewrites()
    if not typed:
        return out
    # the store's form of each distinct literal, from a scratch store
    scratch = ox.Store()
    written = list(typed)
    scratch.bulk_extend(ox.Quad(ox.NamedNode(f"urn:x-literal:{i}"), ox.NamedNode("urn:x-p"), lit, ox.DefaultGraph())
                        for i, lit in enumerate(written))
    stored = {int(q.subject.value.rsplit(":", 1)[1]): q.object for q in scratch}
    for i, lit in enumerate(written):
        if stored[i] == lit:
            continue
        canon, original = from_ox(stored[i]), _written(lit)
        out.originals.setdefault(canon, set()).add(original)  # type: ignore[arg-type]
        for s, p in typed[lit]:
            out.occurrences.setdefault((from_ox(s), from_ox(p), canon), set()).add(original)  # type: ignore[arg-type]
    return out


def _written(lit: object) -> Literal:
    """The literal as written (rdflib would normalise "01"^^xsd:integer to "1")."""
    return Literal(lit.value, datatype=URIRef(lit.datatype.value), normalize=False)  # type: ignore[attr-defined]


def store_form(literals: list[Literal]) -> dict[Literal, Node]:
    """What the store makes of each literal (the shapes' own constants: sh:in, sh:hasValue)."""
    import pyoxigraph as ox

    from coopkg.store import from_ox, to_ox

    scratch = ox.Store()
    scratch.bulk_extend(ox.Quad(ox.NamedNode(f"urn:x-literal:{i}"), ox.NamedNode("urn:x-p"), to_ox(lit), ox.DefaultGraph())
                        for i, lit in enumerate(literals))
    stored = {int(q.subject.value.rsplit(":", 1)[1]): from_ox(q.object) for q in scratch}
    return {lit: stored[i] for i, lit in enumerate(literals)}  # type: ignore[misc]


_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}


def term_conforms(key: URIRef, arg: Node, value: Node, flags: Node | None, members: list[Node] | None) -> bool:
    """Whether the literal as written satisfies ``key arg`` (one of `TERM_SENSITIVE`)."""
    if key == SH.datatype:
        if not isinstance(value, Literal):
            return False
        if arg == RDF.langString:
            return bool(value.language)
        datatype = value.datatype or (None if value.language else XSD.string)
        return datatype == arg and value.ill_typed is not True
    if key == SH.pattern:
        if isinstance(value, BNode):
            return False
        options = 0
        for flag in str(flags or ""):
            options |= _FLAGS.get(flag, 0)
        return re.search(str(arg), str(value), options) is not None
    if key in (SH.minLength, SH.maxLength):
        if isinstance(value, BNode):
            return False
        size = len(str(value))
        return size >= int(arg) if key == SH.minLength else size <= int(arg)  # type: ignore[call-overload]
    if key == SH["in"]:
        return any(_same_term(value, m) for m in members or [])
    raise ValueError(f"not a term-sensitive component: {key}")


def _same_term(a: Node, b: Node) -> bool:
    """RDF term equality (rdflib's == compares literals by value for some datatypes)."""
    if isinstance(a, Literal) and isinstance(b, Literal):
        return (str(a), a.datatype, a.language) == (str(b), b.datatype, b.language)
    return a == b and type(a) is type(b)
