"""Resource bounds: how big, deep or slow an input may be before coopkg refuses it.

Every reader, writer and remote call that a hostile or broken input could make unbounded
(a 1.7 KB spreadsheet claiming a cell at XFD1048576, a YAML alias chain, a number with a
billion-digit exponent, a server that trickles its answer) checks one of these limits and
refuses with a message instead of running out of memory or time. The defaults are far
above what real cooperation data needs (docs/security.md lists them); each can be raised
or lowered with an environment variable ``COOPKG_LIMIT_<NAME>`` (upper case), e.g.::

    COOPKG_LIMIT_LITERAL_CHARS=4194304 coopkg build big-descriptions.yaml

Environment variables, not options: the same limits hold in every command (build, query,
export, publish, import) and in the library, without threading an option through each.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Limits:
    #: characters in one literal (a name, a description, a title)
    literal_chars: int = 1_048_576
    #: characters in one CSV/TSV/XLSX cell
    cell_chars: int = 1_048_576
    #: rows of one sheet (CSV/TSV/XLSX), header included
    sheet_rows: int = 1_048_576
    #: columns of one sheet
    sheet_columns: int = 1_024
    #: cells of one XLSX sheet as its declared dimension says (rows x columns)
    sheet_cells: int = 20_000_000
    #: nesting depth of a YAML document (mappings and lists inside each other)
    yaml_depth: int = 64
    #: YAML nodes that aliases (``*name``) add when expanded (records files need none)
    yaml_alias_nodes: int = 100_000
    #: characters of one line of a JSON Lines record file (one record; its literals have their own limit)
    record_line_chars: int = 16_777_216
    #: decimal exponent of a number (amounts, sizes, decimal query parameters): |x| < 10^N
    number_exponent: int = 30
    #: bytes of one answer from a remote server (SPARQL endpoint, store, Wikidata)
    answer_bytes: int = 512 * 1024 * 1024

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> Limits:
        environ = dict(os.environ if environ is None else environ)
        changes: dict[str, int] = {}
        for f in fields(cls):
            raw = environ.get(f"COOPKG_LIMIT_{f.name.upper()}")
            if raw is None:
                continue
            try:
                value = int(raw.replace("_", ""))
            except ValueError:
                raise LimitError(f"COOPKG_LIMIT_{f.name.upper()}={raw!r} is not a whole number") from None
            if value < 1:
                raise LimitError(f"COOPKG_LIMIT_{f.name.upper()}={raw!r} must be positive")
            changes[f.name] = value
        return replace(cls(), **changes)


class LimitError(ValueError):
    """An input over one of the limits (the message names the limit and how to raise it)."""


def current() -> Limits:
    """The limits in force: the defaults, changed by COOPKG_LIMIT_* variables (read each call,
    so a test or a long-lived caller sees a change)."""
    return Limits.from_environment()


def over(name: str, value: int, limit: int, what: str) -> LimitError:
    """The error for ``what`` of size ``value`` over ``limit`` (the variable that raises it named)."""
    return LimitError(f"{what} ({value:,}) is over the limit of {limit:,} "
                      f"(set COOPKG_LIMIT_{name.upper()} to raise it; see docs/security.md)")
