"""A fast path for the YAML that large generated record files use: one flow mapping per line.

PyYAML (even its libyaml parser) reads about 1 MB/s with line tracking, so a 14 MB
atlas-scale file takes 15-50 s. Files written one entry per line, e.g.::

    partnerships:
      - {key: p1, parties: [fr-a, de-b], title: "Coopération A – B@fr", start: 2008, line: 12}

are parsed here by a small tokenizer instead, giving exactly what ``yaml.load`` with the
native reader's loader gives (same values, same implicit typing of plain scalars, same
``__line__`` of every mapping). Anything outside that subset (block mappings, multi-line
entries, anchors, tags, comments after values, unusual escapes...) makes `load` return
None, and the caller reads the file with PyYAML as before, with PyYAML's messages.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<punct>[{}\[\],])
    | (?P<colon>:(?=[\s,\[\]{}]))
    | "(?P<dq>[^"\\]*(?:\\.[^"\\]*)*)"
    | '(?P<sq>[^']*(?:''[^']*)*)'
    | (?P<plain>[A-Za-z0-9_./+\-\u00C0-\uFFFF](?:[^,\[\]{}:#"\n]*[^,\[\]{}:#"\s])?)
    )""",
    re.X,
)
_ENTRY = re.compile(r"^( *)- (\{.*\})\s*$")
_TOP = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):(?:[ \t]+(.*?))?\s*$")
_JSON_ESCAPES = re.compile(r'\\(?![\\"/bfnrt]|u[0-9A-Fa-f]{4})')
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


class _Unsupported(Exception):
    """The text leaves the fast subset: read it with PyYAML instead."""


class _Scalars:
    """Plain scalars typed exactly as the given loader would type them (cached)."""

    def __init__(self, loader_class: type[yaml.SafeLoader]) -> None:
        self.loader = loader_class("")
        self.cache: dict[str, Any] = {}

    def plain(self, text: str) -> Any:
        try:
            return self.cache[text]
        except KeyError:
            pass
        tag = self.loader.resolve(yaml.ScalarNode, text, (True, False))
        if tag not in _PLAIN_TAGS:
            raise _Unsupported(tag)
        node = yaml.ScalarNode(tag, text)
        value = self.loader.yaml_constructors[tag](self.loader, node)
        self.cache[text] = value
        return value


def _double(text: str) -> str:
    if "\\" not in text:
        return text
    if _JSON_ESCAPES.search(text):
        raise _Unsupported("escape")
    return json.loads(f'"{text}"')


def _flow(text: str, line: int, scalars: _Scalars, line_key: str) -> Any:
    """Parse one line holding a flow collection (or a scalar)."""
    tokens = []
    pos = 0
    end = len(text.rstrip())
    while pos < end:
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise _Unsupported(text[pos:])
        pos = m.end()
        kind = m.lastgroup
        tokens.append((kind, m.group(kind)))
    value, i = _value(tokens, 0, line, scalars, line_key)
    if i != len(tokens):
        raise _Unsupported("trailing")
    return value


def _value(tokens: list[tuple[str | None, str]], i: int, line: int, scalars: _Scalars, line_key: str) -> tuple[Any, int]:
    if i >= len(tokens):
        raise _Unsupported("empty")
    kind, text = tokens[i]
    if kind == "plain":
        return scalars.plain(text), i + 1
    if kind == "dq":
        return _double(text), i + 1
    if kind == "sq":
        return text.replace("''", "'"), i + 1
    if text == "{":
        mapping: dict[Any, Any] = {}
        i += 1
        while True:
            if tokens[i][1] == "}":
                break
            key, i = _value(tokens, i, line, scalars, line_key)
            if isinstance(key, dict | list) or tokens[i][0] != "colon":
                raise _Unsupported("key")
            mapping[key], i = _value(tokens, i + 1, line, scalars, line_key)
            if tokens[i][1] == ",":
                i += 1
            elif tokens[i][1] != "}":
                raise _Unsupported("mapping")
        mapping[line_key] = line
        return mapping, i + 1
    if text == "[":
        items = []
        i += 1
        while tokens[i][1] != "]":
            item, i = _value(tokens, i, line, scalars, line_key)
            if tokens[i][0] == "colon":
                raise _Unsupported("pair in sequence")
            items.append(item)
            if tokens[i][1] == ",":
                i += 1
            elif tokens[i][1] != "]":
                raise _Unsupported("sequence")
        return items, i + 1
    raise _Unsupported(text)


def load(text: str, loader_class: type[yaml.SafeLoader], line_key: str) -> dict[str, Any] | None:
    """The document as ``yaml.load(text, loader_class)`` gives it, or None (use PyYAML)."""
    try:
        return _load(text, loader_class, line_key)
    except (_Unsupported, IndexError, ValueError, yaml.YAMLError):
        return None


def _load(text: str, loader_class: type[yaml.SafeLoader], line_key: str) -> dict[str, Any] | None:
    if "\t" in text or "\r" in text or text.startswith("%") or "\n---" in text or "\n..." in text:
        return None
    scalars = _Scalars(loader_class)
    doc: dict[str, Any] = {}
    section: list[Any] | None = None
    indent: str | None = None
    first_line: int | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if raw[0] not in " -":
            m = _TOP.match(raw)
            if m is None:
                return None
            key = scalars.plain(m.group(1))
            if key in doc or key == line_key:
                return None  # duplicate top-level keys: leave PyYAML's behaviour to PyYAML
            if first_line is None:
                first_line = number
            value_text = m.group(2)
            if value_text is None:
                section = doc[key] = []
                indent = None
                continue
            if value_text.startswith(("{", "[", "&", "*", "!", "|", ">", "?")) or " #" in value_text:
                return None
            doc[key] = _flow(value_text, number, scalars, line_key)
            section = None
            continue
        m = _ENTRY.match(raw)
        if m is None or section is None:
            return None
        if indent is None:
            indent = m.group(1)
        elif indent != m.group(1):
            return None
        entry = _flow(m.group(2), number, scalars, line_key)
        section.append(entry)
    if first_line is None:
        return None
    # A top-level key with no entries under it is null in YAML, not an empty list.
    for key, value in doc.items():
        if value == []:
            doc[key] = None
    doc[line_key] = first_line
    return doc
