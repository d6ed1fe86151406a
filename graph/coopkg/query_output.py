"""Writing query answers: a table for people, SPARQL 1.1 CSV, TSV and JSON for programs.

* ``table``: aligned columns; IRIs shortened with the usual prefixes (``coop:``,
  ``status:``...) and data IRIs as ``id:collectivity/ro-timis``; long cells cut at 60
  characters. For reading only.
* ``csv``: SPARQL 1.1 Query Results CSV (IRIs and lexical forms, empty when unbound).
* ``tsv``: SPARQL 1.1 Query Results TSV (terms in SPARQL syntax, ``?var`` header).
* ``json``: SPARQL 1.1 Query Results JSON.

An ASK answer is ``true``/``false`` (JSON: ``{"head": {}, "boolean": ...}``); a
CONSTRUCT or DESCRIBE answer is written as N-Triples whatever the format.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import TYPE_CHECKING, Any, TextIO

from coopkg.namespaces import DEFAULT_BASE, PREFIXES
from coopkg.store import Cell, CellResult, SelectResult

if TYPE_CHECKING:
    from rdflib.term import Node

FORMATS = ("table", "csv", "tsv", "json")
MAX_CELL = 60

# Longest namespace first, so "kind:" wins over a shorter prefix of the same IRI.
_SHORT = sorted(((ns, p) for p, ns in PREFIXES.items()), key=lambda item: -len(item[0])) + [(DEFAULT_BASE, "id")]
_SHORT.sort(key=lambda item: -len(item[0]))


def short(term: Cell | Node | None) -> str:
    """A term as a person reads it: prefixed IRI, a literal's text, empty when unbound."""
    if term is None:
        return ""
    cell = term if isinstance(term, Cell) else Cell.of(term)
    if cell.kind == "uri":
        iri = cell.text
        for ns, prefix in _SHORT:
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns):]}"
        return f"<{iri}>"
    if cell.kind == "bnode":
        return f"_:{cell.text}"
    return cell.text


def sparql_term(term: Node | None) -> str:
    """A term in SPARQL/N-Triples syntax (N-Triples lines); empty when unbound."""
    from coopkg.query import term_text

    if term is None:
        return ""
    return term_text(term)


def json_term(cell: Cell) -> dict[str, str]:
    out = {"type": cell.kind, "value": cell.text}
    if cell.lang:
        out["xml:lang"] = cell.lang
    elif cell.datatype:
        out["datatype"] = cell.datatype
    return out


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


class _Memo(dict[Any, str]):
    """Each distinct cell's text made once by ``make`` (None: ``empty``), for texts dear to
    make (a TSV term, a JSON object): answers repeat terms (an actor in each of its
    partnerships, a country, a year), and a cell met again is a lookup in C
    (`dict.__getitem__`), no Python call."""

    def __init__(self, make: Callable[[Cell], str], empty: str = "") -> None:
        super().__init__({None: empty})
        self._make = make

    def __missing__(self, cell: Cell) -> str:
        text = self[cell] = self._make(cell)
        return text


def write_table(variables: list[str], rows: list[tuple[Cell | None, ...]], out: TextIO) -> None:
    cells = [[_cut(short(v)) for v in row] for row in rows]
    widths = [max([len(name)] + [len(r[i]) for r in cells]) for i, name in enumerate(variables)]
    print("  ".join(n.ljust(w) for n, w in zip(variables, widths, strict=True)).rstrip(), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for row in cells:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip(), file=out)
    print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", file=out)


def write(answer: Any, fmt: str, out: TextIO) -> None:
    """Write a CellResult or SelectResult, an ASK boolean or a list of triples in ``fmt``."""
    if isinstance(answer, bool):
        if fmt == "json":
            json.dump({"head": {}, "boolean": answer}, out)
            out.write("\n")
        else:
            print("true" if answer else "false", file=out)
        return
    if isinstance(answer, list):
        for s, p, o in answer:
            print(f"{sparql_term(s)} {sparql_term(p)} {sparql_term(o)} .", file=out)
        return
    if isinstance(answer, SelectResult):  # rdflib terms (the rdflib engine, an endpoint): the same writers
        answer = CellResult(answer.variables,
                            [tuple(None if node is None else Cell.of(node) for node in row) for row in answer.rows])
    variables, rows = answer.variables, answer.rows
    if fmt == "table":
        write_table(variables, rows, out)
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(variables)
        # each cell's text made in the comprehension: a memo of it (as TSV has) is slower here,
        # a Cell tuple hashed per cell costing more than the text it would save
        for row in rows:
            writer.writerow(["" if v is None else (f"_:{v.text}" if v.kind == "bnode" else v.text) for v in row])
    elif fmt == "tsv":
        from coopkg.query import cell_text

        print("\t".join(f"?{v}" for v in variables), file=out)
        term = _Memo(cell_text).__getitem__
        _write_lines(("\t".join(map(term, row)) for row in rows), out)
    elif fmt == "json":
        write_json(variables, rows, out)
    else:
        raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")


def _write_lines(lines: Iterable[str], out: TextIO, batch: int = 4096) -> None:
    """Each line and a newline, written a few thousand lines at a time, not a print (a call and
    two writes) per row."""
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) == batch:
            out.write("\n".join(chunk) + "\n")
            chunk.clear()
    if chunk:
        out.write("\n".join(chunk) + "\n")


def write_json(variables: list[str], rows: list[tuple[Cell | None, ...]], out: TextIO) -> None:
    """SPARQL 1.1 Query Results JSON, the bytes ``json.dump(..., ensure_ascii=False, indent=1)``
    writes for it and a newline, each distinct term's object encoded once: json's indenting
    encoder is Python code, called per value (1.3-1.8 s for partnership-geography's 210,000
    cells at 12,000 partnerships, docs/performance.md)."""
    text = encode_basestring  # what json.dumps uses for a str with ensure_ascii=False

    def term(cell: Cell) -> str:
        inner = ",\n     ".join(f"{text(k)}: {text(v)}" for k, v in json_term(cell).items())
        return "{\n     " + inner + "\n    }"

    objects = _Memo(term).__getitem__
    keys = [f"{text(name)}: " for name in variables]

    def binding(row: tuple[Cell | None, ...]) -> str:
        bound = [key + objects(cell) for key, cell in zip(keys, row, strict=True) if cell is not None]
        return "{\n    " + ",\n    ".join(bound) + "\n   }" if bound else "{}"

    head = "[\n   " + ",\n   ".join(map(text, variables)) + "\n  ]" if variables else "[]"
    out.write('{\n "head": {\n  "vars": ' + head + '\n },\n "results": {\n  "bindings": ')
    if not rows:
        out.write("[]")
    else:
        out.write("[\n   ")
        chunk: list[str] = []
        first = True
        for row in rows:
            chunk.append(binding(row))
            if len(chunk) == 4096:
                out.write(("" if first else ",\n   ") + ",\n   ".join(chunk))
                first = False
                chunk.clear()
        if chunk:
            out.write(("" if first else ",\n   ") + ",\n   ".join(chunk))
        out.write("\n  ]")
    out.write("\n }\n}\n")
