"""Exports for linked-data portals: Turtle, N-Triples, JSON-LD and TriG, deterministic.

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
  `group_by_derivation`). Triples that come from no source (the shipped vocabularies)
  stay in the default graph. The union of all graphs is exactly the exported graph.

Why the writers build text themselves instead of handing triples to a serialiser: a
serialiser needs one Python triple object per triple, in order; here the text of each
distinct term is made once, and each chunk of rows becomes text through numpy arrays of
those strings and one ``str.join``, with no Python code running per triple.

rdflib triples (what `coopkg.emit` yields) and pyoxigraph triples are accepted everywhere
and converted.
"""

from __future__ import annotations

import io
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import numpy as np
import pyoxigraph as ox
from rdflib.term import Node

from coopkg import resources
from coopkg.store import to_ox
from coopkg.termtable import Canonical, TripleTable, as_table, distinct
from coopkg.vocab import COOP, DCTERMS, PREFIXES, PROV, RDF, XSD

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
_RDF_TYPE = str(RDF.type)
_RDF_TYPE_NT = f"<{_RDF_TYPE}>"
_XSD_STRING, _XSD_INTEGER, _XSD_BOOLEAN = str(XSD.string), str(XSD.integer), str(XSD.boolean)
_XSD_DECIMAL, _XSD_DOUBLE = str(XSD.decimal), str(XSD.double)
_RDF_LANG_STRING = str(RDF.langString)
# Rows turned into text per chunk: bounds the memory of the text being built.
_CHUNK = 1 << 16


def format_of(path: Path) -> str | None:
    """The export format a file name stands for (``.ttl`` -> ``ttl``), or None."""
    suffix = path.suffix.lower()
    return next((name for name, f in FORMATS.items() if f["extension"] == suffix), EXTRA_EXTENSIONS.get(suffix))


# -- from rdflib terms -------------------------------------------------------------------
class _Converter:
    """rdflib terms to pyoxigraph terms, each distinct term converted once."""

    def __init__(self) -> None:
        self._cache: dict[Node, Term] = {}
        self._graphs: dict[Node | None, ox.NamedNode | ox.DefaultGraph] = {}

    def term(self, node: Node) -> Term:
        found = self._cache.get(node)
        if found is None:
            found = self._cache[node] = to_ox(node)
        return found

    def triple(self, t: Any) -> ox.Triple:
        return t if isinstance(t, ox.Triple) else ox.Triple(self.term(t[0]), self.term(t[1]), self.term(t[2]))  # type: ignore[arg-type]

    def quad(self, q: Any) -> ox.Quad:
        if isinstance(q, ox.Quad):
            return q
        graph = self._graphs.get(q[0])
        if graph is None:
            graph = self._graphs[q[0]] = ox.DefaultGraph() if q[0] is None else ox.NamedNode(str(q[0]))
        t = self.triple(q[1])
        return ox.Quad(t.subject, t.predicate, t.object, graph)


def ox_triples(triples: Iterable[Any]) -> list[ox.Triple]:
    """Triples as pyoxigraph triples (rdflib tuples are converted, each term once)."""
    convert = _Converter()
    return [convert.triple(t) for t in triples]


def ox_quads(quads: Iterable[Any]) -> list[ox.Quad]:
    """(graph, rdflib triple) pairs as pyoxigraph quads (graph None: the default graph)."""
    convert = _Converter()
    return [convert.quad(q) for q in quads]


def sorted_triples(triples: Iterable[Any]) -> list[ox.Triple]:
    """Distinct triples, sorted by their N-Triples text."""
    c = as_table(triples).canonical()
    term = c.term
    return [ox.Triple(term(s), term(p), term(o))  # type: ignore[arg-type]
            for s, p, o in zip(c.s.tolist(), c.p.tolist(), c.o.tolist(), strict=True)]


def _sorted_quads(quads: Iterable[Any]) -> tuple[list[ox.Quad], int]:
    """Distinct quads (the default graph first, then each named graph, triples sorted),
    and how many distinct triples they hold."""
    by_key: dict[tuple[str, str], ox.Quad] = {}
    for q in ox_quads(quads):
        graph = q.graph_name
        by_key[("" if isinstance(graph, ox.DefaultGraph) else "~" + str(graph), str(q.triple))] = q
    return [by_key[k] for k in sorted(by_key)], len({k[1] for k in by_key})


def sorted_quads(quads: Iterable[Any]) -> list[ox.Quad]:
    return _sorted_quads(quads)[0]


# -- building text from rows -----------------------------------------------------------------
def _strings(size: int) -> np.ndarray:
    """An object array for strings (numpy would otherwise guess a fixed-width dtype)."""
    return np.empty(size, dtype=object)


def _fill(target: np.ndarray, indices: np.ndarray, texts: list[str]) -> None:
    values = _strings(len(texts))
    values[:] = texts
    target[indices] = values


def _starts(column: np.ndarray) -> np.ndarray:
    """True where a row's value differs from the row before (the first row: True)."""
    out = np.ones(len(column), dtype=bool)
    out[1:] = column[1:] != column[:-1]
    return out


def _text_range(c: Canonical, start: str) -> np.ndarray:
    """The ranks of the terms whose N-Triples text starts with ``start``."""
    found = c.starting(start)
    return np.arange(found.start, found.stop, dtype=np.int64)


def _compact_names(c: Canonical, names: np.ndarray, by_ns: list[tuple[str, str]],
                   local_name: Callable[[str], object]) -> None:
    """Set ``names[i]`` to ``prefix:local`` for each IRI in a namespace of ``by_ns``
    (longest first) whose rest is a local name ``local_name`` accepts.

    The IRIs of a namespace are one run of the terms (sorted by text), found by bisection,
    so only they are looked at: data IRIs outside every namespace cost nothing.
    """
    done: set[int] = set()
    nt = c.nt
    for name, ns in by_ns:
        cut = len(ns) + 1
        for i in _text_range(c, "<" + ns).tolist():
            if i not in done:
                local = nt[i][cut:-1]
                if local_name(local):
                    names[i] = f"{name}:{local}"
                    done.add(i)


def _write_parts(out: IO[str], *columns: np.ndarray) -> None:
    """Write row i as columns[0][i] + columns[1][i] + ..., one string per chunk."""
    n, width = len(columns[0]), len(columns)
    for start in range(0, n, _CHUNK):
        stop = min(n, start + _CHUNK)
        parts = _strings((stop - start) * width)
        for k, column in enumerate(columns):
            parts[k::width] = column[start:stop]
        out.write("".join(parts.tolist()))


# -- N-Triples -----------------------------------------------------------------------------
def nt_term(node: Node | Term) -> str:
    """A term in N-Triples syntax (rdflib or pyoxigraph)."""
    return str(node if isinstance(node, ox.NamedNode | ox.BlankNode | ox.Literal) else to_ox(node))


def write_ntriples(triples: Iterable[Any], out: IO[str]) -> int:
    """One line per distinct triple, the lines sorted; return the number of lines."""
    c = as_table(triples).canonical()
    nt = _strings(len(c.nt))
    nt[:] = c.nt
    middle = _strings(len(c.nt))  # " <predicate> " for the few predicates
    predicates = distinct(c.p, size=len(c.nt))
    _fill(middle, predicates, [f" {c.nt[i]} " for i in predicates.tolist()])
    for start in range(0, len(c), _CHUNK):
        rows = slice(start, start + _CHUNK)
        end = _strings(len(c.s[rows]))
        end[:] = " .\n"
        _write_parts(out, nt[c.s[rows]], middle[c.p[rows]], nt[c.o[rows]], end)
    return len(c)


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
_TURTLE_INLINE = {_XSD_BOOLEAN: re.compile("true|false"), _XSD_INTEGER: _TURTLE_INTEGER,
                  _XSD_DECIMAL: _TURTLE_DECIMAL, _XSD_DOUBLE: _TURTLE_DOUBLE}


class _Prefixer:
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
        self._prefixer = _Prefixer(prefixes.items(), _PN_LOCAL.fullmatch)
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
        return "a" if nt == _RDF_TYPE_NT else self.iri(nt[1:-1])


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
    text = _strings(len(nt))
    text[:] = nt
    _compact_names(c, text, turtle.by_ns, _PN_LOCAL.fullmatch)
    typed = [i for i in _text_range(c, '"').tolist() if nt[i][-1] == ">"]
    _fill(text, np.asarray(typed, dtype=np.int64), [turtle.typed_literal(nt[i]) for i in typed])
    first, then = _strings(len(c.nt)), _strings(len(c.nt))  # " pred " after a subject, " ;\n\tpred "
    predicates = distinct(c.p, size=len(c.nt)).tolist()
    names = [turtle.predicate(c.nt[i]) for i in predicates]
    _fill(first, np.asarray(predicates), [f" {name} " for name in names])
    _fill(then, np.asarray(predicates), [f" ;\n\t{name} " for name in names])
    new_subject = _starts(c.s)
    new_predicate = new_subject | _starts(c.p)
    for start in range(0, n, _CHUNK):
        rows = slice(start, start + _CHUNK)
        s, p, o = c.s[rows], c.p[rows], c.o[rows]
        subject, predicate = new_subject[rows], new_predicate[rows] & ~new_subject[rows]
        # what comes before each object: the subject and predicate, a predicate, or a comma
        before = _strings(len(s))
        before[:] = " , "
        before[predicate] = then[p[predicate]]
        before[subject] = " .\n" + text[s[subject]] + first[p[subject]]
        if start == 0:
            before[0] = before[0][3:]
        _write_parts(out, before, text[o])
    out.write(" .\n")
    return n


# -- TriG (pyoxigraph's streaming serialiser, on sorted input) -------------------------------
def _serialize(items: Sequence[ox.Triple] | Sequence[ox.Quad], out: IO[str], fmt: ox.RdfFormat,
               prefixes: dict[str, str] | None) -> None:
    data = ox.serialize(items, format=fmt, prefixes=dict(sorted((prefixes or PREFIXES).items())))
    out.write(data.decode("utf-8"))


def write_trig(quads: Iterable[Any], out: IO[str], prefixes: dict[str, str] | None = None) -> int:
    """Write quads as TriG; return the number of distinct triples over all graphs.

    (A triple stated in two source documents sits in both graphs but counts once.)
    """
    rows, distinct = _sorted_quads(quads)
    _serialize(rows, out, ox.RdfFormat.TRIG, prefixes)
    return distinct


# -- JSON-LD ---------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def context() -> dict[str, Any]:
    """The ``@context`` shipped with coopkg (ontology/context.jsonld)."""
    with open(resources.folder("ontology") / "context.jsonld", encoding="utf-8") as handle:
        return dict(json.load(handle)["@context"])


_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_CANONICAL_INT = re.compile(r"0|-?[1-9][0-9]*")  # (with fullmatch)
_json_string = json.encoder.encode_basestring  # type: ignore[attr-defined]  # what json.dumps(ensure_ascii=False) uses


class _Compactor:
    """Turns IRIs into compact IRIs (``coop:Agreement``) with the context's prefixes, and
    literals into JSON-LD values."""

    def __init__(self, ctx: dict[str, Any]) -> None:
        prefixes = [(k, v) for k, v in ctx.items() if isinstance(v, str) and not k.startswith("@")]
        self._prefixer = _Prefixer(prefixes, _LOCAL.match)
        self.by_ns = self._prefixer.by_ns
        self.names = {k for k, _ in prefixes}

    def iri(self, iri: str) -> str:
        text = self._prefixer.compact(iri)
        if text is not None:
            return text
        # An absolute IRI whose scheme is also a prefix would be misread as compact.
        if iri.split(":", 1)[0] in self.names:
            raise ValueError(f"IRI {iri!r} would be read as a compact IRI; rename the prefix")
        return iri

    def literal_text(self, c: Canonical, rank: int, indent: int) -> str:
        """The literal as a JSON-LD value, as ``json.dumps(indent=1, sort_keys=True,
        ensure_ascii=False)`` writes it ``indent`` spaces in.

        The quoted N-Triples text is the JSON string (both escape ``"``, ``\\`` and
        \\b \\f \\n \\r \\t alike) unless N-Triples wrote a ``\\u`` escape, where JSON
        writes something else: then the value is encoded anew.
        """
        nt = c.nt[rank]
        inner, outer = _INDENTS[indent + 1], _INDENTS[indent]
        if nt[-1] == '"':  # xsd:string
            return nt if "\\u" not in nt else _json_string(c.term(rank).value)
        if nt[-1] == ">":
            cut = nt.rindex('"^^<')
            datatype = nt[cut + 4:-1]
            # a canonical integer or boolean is a JSON number or boolean: its lexical form
            if datatype == _XSD_INTEGER and _CANONICAL_INT.fullmatch(nt, 1, cut) or (
                    datatype == _XSD_BOOLEAN and nt[1:cut] in ("true", "false")):
                return nt[1:cut]
            quoted = nt[:cut + 1] if "\\u" not in nt else _json_string(c.term(rank).value)
            return f'{{{inner}"@type": {_json_string(self.iri(datatype))},{inner}"@value": {quoted}{outer}}}'
        cut = nt.rindex('"@')
        language, quoted = nt[cut + 2:], nt[:cut + 1]
        if "\\u" in quoted or "--" in language:  # (a base direction: the language alone, as before)
            language, quoted = c.term(rank).language or "", _json_string(c.term(rank).value)
        return f'{{{inner}"@language": {_json_string(language)},{inner}"@value": {quoted}{outer}}}'

    def literal_texts(self, c: Canonical, ranks: list[int], indent: int) -> list[str]:
        """`literal_text` of many literals: the same texts, with the common cases inlined
        (a function call per literal is a good part of the cost at atlas scale)."""
        nt, inner, outer = c.nt, _INDENTS[indent + 1], _INDENTS[indent]
        typed: dict[str, tuple[str, str]] = {}  # '"^^<dt>' -> (datatype, the text before the value)
        out: list[str] = []
        add = out.append
        for rank in ranks:
            text = nt[rank]
            last = text[-1]
            if "\\u" in text:
                add(self.literal_text(c, rank, indent))
            elif last == '"':
                add(text)
            elif last == ">":
                cut = text.rindex('"^^<')
                suffix = text[cut:]
                found = typed.get(suffix)
                if found is None:
                    datatype = suffix[4:-1]
                    found = typed[suffix] = (datatype, f'{{{inner}"@type": {_json_string(self.iri(datatype))},{inner}"@value": ')
                if found[0] == _XSD_INTEGER and _CANONICAL_INT.fullmatch(text, 1, cut) or (
                        found[0] == _XSD_BOOLEAN and text[1:cut] in ("true", "false")):
                    add(text[1:cut])
                else:
                    add(f"{found[1]}{text[:cut + 1]}{outer}}}")
            else:
                cut = text.rindex('"@')
                language = text[cut + 2:]
                if "--" in language:
                    add(self.literal_text(c, rank, indent))
                else:
                    add(f'{{{inner}"@language": "{language}",{inner}"@value": {text[:cut + 1]}{outer}}}')
        return out

    def references(self, c: Canonical) -> np.ndarray:
        """Each IRI's and blank node's ``@id`` (None for literals), by term index."""
        nt = c.nt
        refs = _strings(len(nt))
        iris = _text_range(c, "<")
        _fill(refs, iris, [nt[i][1:-1] for i in iris.tolist()])
        blanks = _text_range(c, "_:")
        _fill(refs, blanks, [nt[i] for i in blanks.tolist()])
        _compact_names(c, refs, self.by_ns, _LOCAL.match)
        for name in self.names:
            for i in _text_range(c, f"<{name}:").tolist():
                if refs[i] == nt[i][1:-1]:  # not compacted: would be read as compact
                    raise ValueError(f"IRI {refs[i]!r} would be read as a compact IRI; rename the prefix")
        return refs


_INDENTS = ["\n" + " " * i for i in range(8)]


def jsonld_document(triples: Iterable[Any], ctx: dict[str, Any] | None = None) -> dict[str, Any]:
    """A compacted JSON-LD document: ``{"@context": ..., "@graph": [node, ...]}``, sorted.

    (The whole document in memory: for small graphs; `write_jsonld` streams.)
    """
    text = io.StringIO()
    write_jsonld(triples, text, ctx)
    return dict(json.loads(text.getvalue()))


def write_jsonld(triples: Iterable[Any], out: IO[str], ctx: dict[str, Any] | None = None) -> int:
    """The distinct triples as one compacted JSON-LD document; return their number.

    The text is what ``json.dump(document, indent=1, sort_keys=True, ensure_ascii=False)``
    gives for ``{"@context": ctx, "@graph": [node, ...]}``, nodes sorted by ``@id``, a
    node's values in N-Triples order; it is written a chunk of rows at a time. (IRIs and
    blank-node labels never need a JSON escape: Oxigraph rejects ``"``, ``\\`` and
    control characters in them.)
    """
    ctx = ctx if ctx is not None else context()
    c = as_table(triples).canonical()
    compact = _Compactor(ctx)
    context_text = json.dumps(ctx, ensure_ascii=False, indent=1, sort_keys=True).replace("\n", "\n ")
    n = len(c)
    if n == 0:
        out.write('{\n "@context": ' + context_text + ',\n "@graph": []\n}\n')
        return 0
    nt, m = c.nt, len(c.nt)
    refs = compact.references(c)
    # Keys: rdf:type with an IRI object is "@type"; any other predicate, its compact IRI.
    predicates = distinct(c.p, size=m).tolist()
    key_of = {i: refs[i] for i in predicates}
    is_type = np.zeros(n, dtype=bool)
    for i in predicates:
        if nt[i] == _RDF_TYPE_NT:
            iris = np.zeros(m, dtype=bool)
            iris[_text_range(c, "<")] = True
            is_type = (c.p == i) & iris[c.o]
    type_key = m  # a key index no term has
    keys = sorted({*key_of.values(), "@type"})
    key_rank = {k: r for r, k in enumerate(keys)}
    subjects = distinct(c.s, size=m)
    # (int32 sort keys where they fit: half the memory and time of int64)
    small = np.int32 if (len(subjects) + 1) * len(keys) < 2**31 else np.int64
    rank_of_key = np.zeros(m + 1, dtype=small)
    for i, k in key_of.items():
        rank_of_key[i] = key_rank[k]
    rank_of_key[type_key] = key_rank["@type"]
    # Nodes sorted by @id (which sorts before every key); within a node by key, then by
    # object: c's rows are in N-Triples order and a stable sort keeps that order.
    ids = refs[subjects].tolist()
    by_id = subjects[np.asarray(sorted(range(len(ids)), key=ids.__getitem__), dtype=np.int64)]
    id_rank = np.zeros(m, dtype=small)
    id_rank[by_id] = np.arange(len(by_id))
    key_column = rank_of_key[np.where(is_type, np.int32(type_key), c.p)]  # each row's key, by rank
    del rank_of_key
    order = np.argsort(id_rank[c.s] * small(len(keys)) + key_column, kind="stable")
    s, k, o, typed = c.s[order], key_column[order], c.o[order], is_type[order]
    del order, key_column, is_type, id_rank
    new_node = _starts(s)
    new_group = new_node | _starts(k)
    starts = np.flatnonzero(new_group)
    many = (np.diff(np.append(starts, n)) > 1)[np.cumsum(new_group, dtype=np.int32) - 1]  # the key has several values
    del starts
    # The text of each piece, made once per distinct term or key. A row is written as
    # what comes before its value, then the value. Before: the end of the previous key's
    # list ("\n   ]") and node ("\n  }") where they end, a new node's "@id", a new key
    # (opening a list if it has several values), or a comma.
    width = len(keys)
    opens = _strings(4 * width)  # by key rank + width * (2 * after a list + several values)
    for i, name in enumerate(keys):
        head = f",\n   {_json_string(name)}: "
        opens[i], opens[i + width] = head, head + "[\n    "
        opens[i + 2 * width], opens[i + 3 * width] = "\n   ]" + head, "\n   ]" + head + "[\n    "
    after_list = np.zeros(n, dtype=bool)  # the previous row ends a key with several values
    after_list[1:] = many[:-1]
    open_index = (k + width * (2 * (after_list & ~new_node) + many)).astype(np.int32)
    closers = np.array(["\n  }", "\n   ]\n  }"], dtype=object)
    # the values: one value of a key, one of several (indented deeper), a type
    values = _strings(3 * m)
    one, listed, type_text = values[:m], values[m:2 * m], values[2 * m:]
    literals = np.zeros(m, dtype=bool)
    literals[_text_range(c, '"')] = True
    for target, indent, rows in ((one, 3, ~typed & ~many), (listed, 4, ~typed & many)):
        objects = distinct(o[rows], size=m)
        nodes = objects[~literals[objects]]
        target[nodes] = f"{{{_INDENTS[indent + 1]}\"@id\": \"" + refs[nodes] + f"\"{_INDENTS[indent]}}}"
        texts = objects[literals[objects]].tolist()
        _fill(target, np.asarray(texts, dtype=np.int64), compact.literal_texts(c, texts, indent))
    types = distinct(o[typed], size=m)
    type_text[types] = '"' + refs[types] + '"'
    del literals
    value_index = (o + m * np.where(typed, 2, many)).astype(np.int32)
    out.write('{\n "@context": ' + context_text + ',\n "@graph": [\n')
    for start in range(0, n, _CHUNK):
        rows = slice(start, start + _CHUNK)
        node, opened = new_node[rows], new_group[rows]
        before = _strings(len(node))
        before[:] = ",\n    "
        before[opened] = opens[open_index[rows][opened]]
        # a node's "@id" text is made here, once per node, rather than kept for all nodes
        before[node] = closers[after_list[rows][node].view(np.int8)] + ',\n  {\n   "@id": "' + refs[s[rows][node]] + (
            '"' + before[node])
        if start == 0:
            before[0] = before[0][6:]  # the first node closes nothing and needs no comma
        _write_parts(out, before, values[value_index[rows]])
    out.write(("\n   ]" if many[-1] else "") + "\n  }\n ]\n}\n")
    return n


# -- TriG grouping for a graph file -----------------------------------------------------------
def group_by_derivation(triples: Iterable[Any]) -> list[ox.Quad]:
    """Put each triple in the named graph of the source document(s) its subject came from.

    For a graph file, where the records (and so `Emitter.by_source`) are gone:
    * a subject with ``prov:wasDerivedFrom L`` goes to the graph of L's document
      (``L dcterms:isPartOf D``; L itself when it is a document);
    * a source document or location goes to its document's graph;
    * a part of a record (``{record}/{part}/{slug}``: a qualified party, a unit change,
      an attached document) goes where its record goes;
    * anything else (the shipped vocabularies) stays in the default graph.
    """
    rows = ox_triples(triples)
    is_part_of, derived, rdf_type = str(DCTERMS.isPartOf), str(PROV.wasDerivedFrom), _RDF_TYPE
    source_document = str(COOP.SourceDocument)
    part_of: dict[Term, Term] = {}
    documents: set[Term] = set()
    for t in rows:
        p = t.predicate.value
        if p == is_part_of:
            part_of[t.subject] = t.object
        elif p == rdf_type and isinstance(t.object, ox.NamedNode) and t.object.value == source_document:
            documents.add(t.subject)
    homes: dict[Term, set[ox.NamedNode]] = defaultdict(set)
    for t in rows:
        if t.predicate.value == derived and isinstance(t.object, ox.NamedNode):
            homes[t.subject].add(part_of.get(t.object, t.object))  # type: ignore[arg-type]
    for doc in documents:
        homes[doc].add(doc)  # type: ignore[arg-type]
    for loc, doc in part_of.items():
        if doc in documents:
            homes[loc].add(doc)  # type: ignore[arg-type]

    def home(subject: Term) -> set[ox.NamedNode]:
        found = homes.get(subject)
        if found:
            return found
        if isinstance(subject, ox.NamedNode):
            owner = subject.value
            while owner.count("/") > 3:
                owner = owner.rsplit("/", 2)[0]
                found = homes.get(ox.NamedNode(owner))
                if found:
                    return found
        return set()

    default = [ox.DefaultGraph()]
    memo: dict[Term, list[ox.NamedNode] | list[ox.DefaultGraph]] = {}
    quads: list[ox.Quad] = []
    for t in rows:
        graphs = memo.get(t.subject)
        if graphs is None:
            graphs = memo[t.subject] = sorted(home(t.subject), key=str) or default
        for g in graphs:
            quads.append(ox.Quad(t.subject, t.predicate, t.object, g))
    return quads


# -- one entry point -------------------------------------------------------------------------
def write_nquads(quads: Iterable[Any], out: IO[str]) -> int:
    """One line per distinct quad (the default graph first, then each named graph, sorted);
    return the number of distinct triples over all graphs."""
    rows, distinct_triples = _sorted_quads(quads)
    _serialize(rows, out, ox.RdfFormat.N_QUADS, None)
    return distinct_triples


def write_rdfxml(triples: Iterable[Any], out: IO[str], prefixes: dict[str, str] | None = None) -> int:
    """RDF/XML (Oxigraph's serialiser on the triples in N-Triples order: deterministic)."""
    rows = sorted_triples(triples)
    _serialize(rows, out, ox.RdfFormat.RDF_XML, prefixes)
    return len(rows)


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
        return write_trig(quads if quads is not None else group_by_derivation(triples), out)
    if fmt == "nq":
        return write_nquads(quads if quads is not None else group_by_derivation(triples), out)
    if fmt == "rdf":
        return write_rdfxml(triples, out)
    raise ValueError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")


def context_matches_prefixes() -> bool:
    """True when the shipped @context declares exactly the Turtle prefixes."""
    return {k: v for k, v in context().items() if not k.startswith("@")} == PREFIXES


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


__all__ = [
    "FORMATS",
    "Input",
    "TripleTable",
    "context",
    "format_of",
    "group_by_derivation",
    "jsonld_document",
    "records_input",
    "nt_term",
    "ox_quads",
    "ox_triples",
    "sorted_triples",
    "write",
    "write_nquads",
    "write_rdfxml",
    "write_jsonld",
    "write_ntriples",
    "write_trig",
    "write_turtle",
]
