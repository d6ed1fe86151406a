"""SPARQL query results as JSON (W3C SPARQL 1.1 Query Results JSON Format) as a table.

The Wikidata Query Service's "JSON" download of a twinning query is this format: the
query's variables are the header, each binding a row. Rows are numbered as in the CSV
download of the same query (the header is row 1), so a message names the same row
whichever format was saved. Used by the pairs reader and, with a mapping, the mapped one.
"""

from __future__ import annotations

import json
import re

from coopkg import limits

SUFFIXES = frozenset({".json", ".srj"})
_VARS = re.compile(r'"head"\s*:\s*\{\s*(?:"link"\s*:\s*\[[^\]]*\]\s*,\s*)?"vars"\s*:\s*\[([^\]]*)\]')


class NotResults(ValueError):
    """A .json file that is not SPARQL JSON results (or is over a limit), in plain words."""


def variables(head: str) -> list[str] | None:
    """The variables of results whose first 64 KiB are ``head``, or None if it does not look like results."""
    m = _VARS.search(head)
    if m is None or '"results"' not in head:
        return None
    return re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1))


def table(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(variables, numbered rows): an unbound variable is an empty cell. NotResults says why not."""
    bounds = limits.current()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise NotResults(f"not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}") from None
    except RecursionError:
        raise NotResults(str(limits.over("yaml_depth", 1000, bounds.yaml_depth, "the nesting depth"))) from None
    if not isinstance(data, dict) or not isinstance(data.get("head"), dict) or not isinstance(data.get("results"), dict):
        raise NotResults("not SPARQL query results (no head and results objects)")
    names = data["head"].get("vars")
    bindings = data["results"].get("bindings")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names) or not isinstance(bindings, list):
        raise NotResults("not SPARQL query results (head.vars and results.bindings must be lists)")
    if len(names) > bounds.sheet_columns:
        raise NotResults(str(limits.over("sheet_columns", len(names), bounds.sheet_columns, "the variables")))
    if len(bindings) + 1 > bounds.sheet_rows:
        raise NotResults(str(limits.over("sheet_rows", len(bindings) + 1, bounds.sheet_rows, "the rows")))
    rows: list[tuple[int, list[str]]] = []
    for number, binding in enumerate(bindings, start=2):
        cells = []
        for name in names:
            term = binding.get(name) if isinstance(binding, dict) else None
            value = term.get("value") if isinstance(term, dict) else None
            if isinstance(value, str) and len(value) > bounds.cell_chars:
                raise NotResults(f"row {number} [{name}]: "
                                 + str(limits.over("cell_chars", len(value), bounds.cell_chars, "a cell")))
            cells.append(value if isinstance(value, str) else "")
        rows.append((number, cells))
    return names, rows
