"""JSON-LD: one node object per subject, compacted with the shipped ``@context``, laid out as
``json.dump(indent=1, sort_keys=True, ensure_ascii=False)`` would, written node by node.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import IO, Any

import numpy as np

from coopkg import resources
from coopkg.export.formats import CHUNK, RDF_TYPE_NT, XSD_BOOLEAN, XSD_INTEGER
from coopkg.export.rows import compact_names, fill, object_array, run_starts, text_range, write_parts
from coopkg.export.turtle import Prefixer
from coopkg.termtable import Canonical, as_table, distinct
from coopkg.vocab import PREFIXES


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
        self._prefixer = Prefixer(prefixes, _LOCAL.match)
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
            if datatype == XSD_INTEGER and _CANONICAL_INT.fullmatch(nt, 1, cut) or (
                    datatype == XSD_BOOLEAN and nt[1:cut] in ("true", "false")):
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
                if found[0] == XSD_INTEGER and _CANONICAL_INT.fullmatch(text, 1, cut) or (
                        found[0] == XSD_BOOLEAN and text[1:cut] in ("true", "false")):
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
        refs = object_array(len(nt))
        iris = text_range(c, "<")
        fill(refs, iris, [nt[i][1:-1] for i in iris.tolist()])
        blanks = text_range(c, "_:")
        fill(refs, blanks, [nt[i] for i in blanks.tolist()])
        compact_names(c, refs, self.by_ns, _LOCAL.match)
        for name in self.names:
            for i in text_range(c, f"<{name}:").tolist():
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
        if nt[i] == RDF_TYPE_NT:
            iris = np.zeros(m, dtype=bool)
            iris[text_range(c, "<")] = True
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
    new_node = run_starts(s)
    new_group = new_node | run_starts(k)
    starts = np.flatnonzero(new_group)
    many = (np.diff(np.append(starts, n)) > 1)[np.cumsum(new_group, dtype=np.int32) - 1]  # the key has several values
    del starts
    # The text of each piece, made once per distinct term or key. A row is written as
    # what comes before its value, then the value. Before: the end of the previous key's
    # list ("\n   ]") and node ("\n  }") where they end, a new node's "@id", a new key
    # (opening a list if it has several values), or a comma.
    width = len(keys)
    opens = object_array(4 * width)  # by key rank + width * (2 * after a list + several values)
    for i, name in enumerate(keys):
        head = f",\n   {_json_string(name)}: "
        opens[i], opens[i + width] = head, head + "[\n    "
        opens[i + 2 * width], opens[i + 3 * width] = "\n   ]" + head, "\n   ]" + head + "[\n    "
    after_list = np.zeros(n, dtype=bool)  # the previous row ends a key with several values
    after_list[1:] = many[:-1]
    open_index = (k + width * (2 * (after_list & ~new_node) + many)).astype(np.int32)
    closers = np.array(["\n  }", "\n   ]\n  }"], dtype=object)
    # the values: one value of a key, one of several (indented deeper), a type
    values = object_array(3 * m)
    one, listed, type_text = values[:m], values[m:2 * m], values[2 * m:]
    literals = np.zeros(m, dtype=bool)
    literals[text_range(c, '"')] = True
    for target, indent, rows in ((one, 3, ~typed & ~many), (listed, 4, ~typed & many)):
        objects = distinct(o[rows], size=m)
        nodes = objects[~literals[objects]]
        target[nodes] = f"{{{_INDENTS[indent + 1]}\"@id\": \"" + refs[nodes] + f"\"{_INDENTS[indent]}}}"
        texts = objects[literals[objects]].tolist()
        fill(target, np.asarray(texts, dtype=np.int64), compact.literal_texts(c, texts, indent))
    types = distinct(o[typed], size=m)
    type_text[types] = '"' + refs[types] + '"'
    del literals
    value_index = (o + m * np.where(typed, 2, many)).astype(np.int32)
    out.write('{\n "@context": ' + context_text + ',\n "@graph": [\n')
    for start in range(0, n, CHUNK):
        rows = slice(start, start + CHUNK)
        node, opened = new_node[rows], new_group[rows]
        before = object_array(len(node))
        before[:] = ",\n    "
        before[opened] = opens[open_index[rows][opened]]
        # a node's "@id" text is made here, once per node, rather than kept for all nodes
        before[node] = closers[after_list[rows][node].view(np.int8)] + ',\n  {\n   "@id": "' + refs[s[rows][node]] + (
            '"' + before[node])
        if start == 0:
            before[0] = before[0][6:]  # the first node closes nothing and needs no comma
        write_parts(out, before, values[value_index[rows]])
    out.write(("\n   ]" if many[-1] else "") + "\n  }\n ]\n}\n")
    return n


def context_matches_prefixes() -> bool:
    """True when the shipped @context declares exactly the Turtle prefixes."""
    return {k: v for k, v in context().items() if not k.startswith("@")} == PREFIXES
