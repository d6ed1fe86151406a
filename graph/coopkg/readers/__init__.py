"""Readers: one module per source format, each turning a file into a `ReadResult`.
May import normalise and below (records, iris, terms, remote, vocabularies, limits, ...); never merge, emit or a store.

A reader module has ``NAME`` (what ``--reader`` calls it), ``sniff(path, head) -> bool``
(does this file look like mine? ``head`` is its first 64 KiB decoded leniently) and
``read(path, **options) -> ReadResult``. Readers never import the CLI, print or exit:
problems come back as values.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import Any

from coopkg.records import Problem, ReadResult

# Order matters: the first reader whose sniff() accepts a file reads it.
# A saved page is an Atlas sheet before it is a table of twinnings; a mapping beside it wins over both.
READER_MODULES: tuple[str, ...] = ("native", "jsonlines", "atlas", "mapped", "htmltable", "pairs", "registry")


# what --mapping applies to: sheets, SPARQL JSON results (a query service download), saved pages
_SHEETS = frozenset({".csv", ".tsv", ".tab", ".txt", ".xlsx", ".xlsm", ".json", ".srj", ".html", ".htm", ".xhtml"})


def available() -> dict[str, ModuleType]:
    """Reader modules by NAME, in sniffing order."""
    modules = [import_module(f"coopkg.readers.{name}") for name in READER_MODULES]
    return {module.NAME: module for module in modules}


def _head(path: Path) -> str:
    with path.open("rb") as handle:
        raw = handle.read(65536)
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return ""


def pick(path: Path, reader: str | None = None) -> ModuleType | None:
    """The reader for ``path``: the one named, or the first whose sniff() accepts it."""
    readers = available()
    if reader is not None:
        if reader not in readers:
            raise KeyError(f"unknown reader {reader!r} (known: {', '.join(readers)})")
        return readers[reader]
    head = _head(path)
    for module in readers.values():
        if module.sniff(path, head):
            return module
    return None


def read_source(path: Path | str, reader: str | None = None, **options: Any) -> ReadResult:
    """Read one source file with the right reader; problems (never exceptions) for bad input."""
    path = Path(path)
    if not path.is_file():
        return ReadResult(problems=[Problem(str(path), None, None, "no such file")], source=str(path))
    if reader is None and options.get("mapping") and path.suffix.lower() in _SHEETS:
        reader = "mapped"  # --mapping says how to read the sheets of this build
    module = pick(path, reader)
    if module is None:
        from coopkg.readers import pairs

        names = ", ".join(available())
        message = f"no reader recognises this file (readers: {names}; use --reader)"
        if path.suffix.lower() in pairs.SUFFIXES and pairs.one_party_header(_head(path), path.suffix.lower()):
            message = pairs.ONE_PARTY  # the commonest list there is: the user can say whose it is
        return ReadResult(problems=[Problem(str(path), None, None, message)], source=str(path))
    return module.read(path, **options)
