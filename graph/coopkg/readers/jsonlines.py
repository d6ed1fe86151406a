"""The native record format written as JSON Lines: one record per line (docs/record-format.md).

For big generated or exported record files: json's C parser reads a line in microseconds
and every problem still names the file, the line and the field. The first line says what
the file is, as ``coopkg: 1`` does in YAML::

    {"coopkg": 1, "language": "fr", "source": "atlas-2024.txt"}
    {"section": "collectivities", "key": "fr-lyon", "name": "Lyon", "kind": "commune", "country": "FR"}

Every other line is one entry of a native section, with the same fields; the entries go
through the native reader's own checks (`native.read_entries`), so a record gives the
same triples whichever syntax it was written in. A line that is not one JSON object, or
an object with a key twice (JSON leaves that open; Python would keep the last silently),
is reported and skipped; the other lines still load.
"""

from __future__ import annotations

import codecs
import json
import math
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import IO, Any

from coopkg import limits
from coopkg.readers import native
from coopkg.records import Problem, ReadResult

NAME = "jsonl"
SUFFIXES = frozenset({".jsonl", ".ndjson"})
_HEADER = frozenset({"coopkg", "language", "source"})


class _LineError(ValueError):
    """One line that cannot be an entry; ``field`` is the key it is about, if one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def sniff(path: Path, head: str) -> bool:
    """True for a .jsonl (or .ndjson) file whose first line is a coopkg header."""
    return path.suffix.lower() in SUFFIXES and '"coopkg"' in head.split("\n", 1)[0]


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        twice = next(key for key, _ in pairs if key in seen or seen.add(key))  # type: ignore[func-returns-value]
        raise _LineError(f"duplicate key {twice!r} in one record: the record is skipped", twice)
    return out


def _constant(name: str) -> Any:
    raise _LineError(f"{name} is not a number (JSON has no {name})")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999 would silently become infinity
        raise _LineError(f"the number {text[:40]} is too large for a float")
    return value


_DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_constant=_constant, parse_float=_float)


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


def _parse(line: str, bounds: limits.Limits) -> Any:
    if len(line) > bounds.record_line_chars:
        raise _LineError(str(limits.over("record_line_chars", len(line), bounds.record_line_chars,
                                         "the characters of one line")))
    try:
        value = _DECODER.decode(line)
    except json.JSONDecodeError as err:
        raise _LineError(f"not valid JSON: {err.msg} at column {err.colno}") from None
    except RecursionError:
        raise _LineError(str(limits.over("yaml_depth", 1000, bounds.yaml_depth, "the nesting depth"))) from None
    # brackets counted first: a walk only for the rare line that could be too deep
    if line.count("{") + line.count("[") > bounds.yaml_depth and (depth := _depth(value)) > bounds.yaml_depth:
        raise _LineError(str(limits.over("yaml_depth", depth, bounds.yaml_depth, "the nesting depth")))
    if not isinstance(value, dict):
        raise _LineError(f"a line must be one JSON object {{...}}, not {type(value).__name__}")
    return value


def _lines(path: Path, result: ReadResult) -> Iterator[str] | None:
    """The file's lines (split at "\\n" alone, as ``str.split``), decoded one at a time: the
    whole text and a list of its lines are never held (~0.4 GB at 120,000 partnerships). None,
    with the problem in ``result``, when the file cannot be opened."""
    try:
        handle = path.open("rb")
    except OSError as err:
        result.problems.append(Problem(str(path), None, None, f"cannot read: {err.strerror}"))
        return None
    return _decoded(handle)


class _NotUtf8(Exception):
    def __init__(self, err: UnicodeDecodeError, offset: int) -> None:
        super().__init__(f"not UTF-8 text ({err.reason} at byte {offset + err.start})")


def _decoded(handle: IO[bytes]) -> Iterator[str]:
    # Each line is decoded with its "\n", so an error is the one a decode of the whole file
    # meets first, at the same byte (counted after a BOM, as utf-8-sig counts).
    offset = 0
    with handle:
        for number, raw in enumerate(handle):
            if number == 0 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8):]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                raise _NotUtf8(err, offset) from None
            offset += len(raw)
            yield line[:-1] if line.endswith("\n") else line


def read(path: Path | str, **options: Any) -> ReadResult:
    """Read one native JSON Lines file into records and problems (other readers' options are ignored).

    Line by line: each line's entry is made a record before the next line is read. A file
    that is not UTF-8 gives that one problem and no record, as a file read whole would."""
    path = Path(path)
    result = ReadResult(reader=NAME, source=str(path))
    try:
        _read(path, result)
    except _NotUtf8 as err:
        return ReadResult(reader=NAME, source=str(path), problems=[Problem(str(path), None, None, str(err))])
    except OSError as err:  # a read failing once the file is open
        return ReadResult(reader=NAME, source=str(path),
                          problems=[Problem(str(path), None, None, f"cannot read: {err.strerror}")])
    return result


def _read(path: Path, result: ReadResult) -> None:
    name = str(path)
    lines = _lines(path, result)
    if lines is None:
        return
    with closing(lines):
        bounds = limits.current()
        try:
            header = _parse(next(lines, ""), bounds)
        except _LineError as err:
            header, problem = None, str(err)
        else:
            problem = "not a coopkg record file: the first line must be {\"coopkg\": 1, ...}"
        if not header or "coopkg" not in header:
            result.problems.append(Problem(name, 1, "coopkg", problem))
            return
        if header["coopkg"] != native.FORMAT_VERSION or isinstance(header["coopkg"], bool):
            result.problems.append(Problem(name, 1, "coopkg", f"unsupported format version {header['coopkg']!r}"))
            return
        for extra in sorted(set(header) - _HEADER):
            result.problems.append(Problem(name, 1, extra, f"unknown header field {extra!r}", "warning"))
        ctx = native.file_context(name, header.get("language"), header.get("source"), result, line=1)
        entries = native.EntryReader(ctx, result)
        for number, line in enumerate(lines, start=2):
            if not line.strip():
                continue
            try:
                entry = _parse(line, bounds)
                section = entry.pop("section", None)
                if section not in native.SECTIONS:
                    known = ", ".join(native.SECTIONS)
                    raise _LineError(f"'section' {section!r} is not a section of the native format (known: {known})",
                                     "section")
            except _LineError as err:
                result.problems.append(Problem(name, number, err.field, str(err)))
                result.skipped += 1
                continue
            entry[native.LINE] = number
            entries.add(section, entry)
        entries.finish()
