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
        for row in rows:
            writer.writerow(["" if v is None else (f"_:{v.text}" if v.kind == "bnode" else v.text) for v in row])
    elif fmt == "tsv":
        from coopkg.query import cell_text

        print("\t".join(f"?{v}" for v in variables), file=out)
        for row in rows:
            print("\t".join("" if v is None else cell_text(v) for v in row), file=out)
    elif fmt == "json":
        bindings = [{n: json_term(v) for n, v in zip(variables, row, strict=True) if v is not None} for row in rows]
        json.dump({"head": {"vars": variables}, "results": {"bindings": bindings}}, out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
