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
import math
import re
from typing import Any

import yaml

_PLAIN = r"[A-Za-z0-9_./+\-\u00C0-\uFFFF](?:[^,\[\]{}:#\"\n]*[^,\[\]{}:#\"\s])?"
_DQ = r'"(?:[^"\\]*(?:\\.[^"\\]*)*)"'
_SQ = r"'(?:[^']*(?:''[^']*)*)'"
# Between tokens only flow punctuation and spaces, and a colon never right before a
# token ("a:b" is not a pair): checked on the separators joined by NUL, in one search.
_BAD_SEPARATOR = re.compile(r"[^\s{}\[\],:\x00]|:(?=\x00|$)")
# What must change for JSON (one capturing group: `split` puts these at odd indices):
# scalars, and mappings' closing braces, which get the line.
_TOKENS = re.compile(rf"({_DQ}|{_SQ}|\{{\s*\}}|\}}|{_PLAIN})")
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


# The plain scalars starting with a letter that YAML 1.1 does not read as text.
_WORDS = frozenset(
    "y Y yes Yes YES n N no No NO true True TRUE false False FALSE on On ON off Off OFF null Null NULL".split()
)


# An int without a leading zero (YAML 1.1 reads 017 as octal) or a plain decimal fraction.
_DECIMAL = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?", re.ASCII)


class _Unsupported(Exception):
    """The text leaves the fast subset: read it with PyYAML instead."""


class _ToJson:
    """Rewrites one flow line as JSON that decodes to exactly what the YAML loader gives.

    Plain scalars are typed as the given loader types them (YAML 1.1: ``NO`` is false,
    ``0x10`` is 16), single-quoted ones become JSON strings, double-quoted ones are kept
    when their escapes mean the same in JSON, and every mapping gets its line under
    ``line_key``, last, as the native reader's loader adds it. The decoding itself is
    json's C parser, one call per section: that is what makes this path fast.
    """

    def __init__(self, loader_class: type[yaml.SafeLoader], line_key: str) -> None:
        self.loader = loader_class("")
        self.known: dict[str, str] = {}  # token -> its JSON text (not the braces: they carry the line)
        self.line_key = json.dumps(line_key)
        self.close = self.empty = ""
        # YAML 1.1 types a plain scalar starting with a letter only as a bool or null word;
        # a loader with other resolvers for letters takes the slow, exact path.
        self.letters_are_text = all(
            tag in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:null")
            for first, resolvers in loader_class.yaml_implicit_resolvers.items() if first and first.isalpha()
            for tag, _ in resolvers
        )
        # ...and reads digits as an int or a float: checked, not assumed, for another loader
        self.numbers_as_usual = all(
            self._plain(text) == expected for text, expected in (("12", "12"), ("0", "0"), ("17462.97", "17462.97"))
        )

    def line(self, text: str, number: int) -> str:
        self.close = f",{self.line_key}:{number}}}"
        self.empty = f"{{{self.line_key}:{number}}}"
        # split and a dict lookup per token: a Python call per token took twice as long
        parts = _TOKENS.split(text)
        get, convert = self.known.get, self._convert
        if _BAD_SEPARATOR.search("\x00".join(parts[0::2])):
            raise _Unsupported(text)
        parts[1::2] = [get(token) or convert(token) for token in parts[1::2]]
        return "".join(parts)

    def _convert(self, token: str) -> str:
        first = token[0]
        if first == "}":
            return self.close
        if first == "{":
            return self.empty
        if first == '"':
            if "\\" in token and _JSON_ESCAPES.search(token):
                raise _Unsupported("escape")
            return token  # not kept: titles rarely repeat
        if first == "'":
            json_text = json.dumps(token[1:-1].replace("''", "'"), ensure_ascii=False)
        elif first.isalpha() and self.letters_are_text and token not in _WORDS:
            # no YAML 1.1 type starts with a letter; a plain scalar holds no '"'
            json_text = f'"{token}"' if "\\" not in token else json.dumps(token, ensure_ascii=False)
        elif self.numbers_as_usual and _DECIMAL.fullmatch(token):
            # line numbers and amounts: what YAML 1.1 reads them as, without the resolver
            json_text = token if "." not in token else repr(float(token))
        else:
            json_text = self._plain(token)
        self.known[token] = json_text
        return json_text

    def _plain(self, text: str) -> str:
        tag = self.loader.resolve(yaml.ScalarNode, text, (True, False))
        if tag not in _PLAIN_TAGS:
            raise _Unsupported(tag)
        value = self.loader.yaml_constructors[tag](self.loader, yaml.ScalarNode(tag, text))
        if isinstance(value, float) and not math.isfinite(value):
            raise _Unsupported("not a finite number")
        return json.dumps(value, ensure_ascii=False)


def load(text: str, loader_class: type[yaml.SafeLoader], line_key: str) -> dict[str, Any] | None:
    """The document as ``yaml.load(text, loader_class)`` gives it, or None (use PyYAML)."""
    try:
        return _load(text, loader_class, line_key)
    except (_Unsupported, IndexError, ValueError, yaml.YAMLError):
        return None


def _load(text: str, loader_class: type[yaml.SafeLoader], line_key: str) -> dict[str, Any] | None:
    if "\t" in text or "\r" in text or text.startswith("%") or "\n---" in text or "\n..." in text:
        return None
    to_json = _ToJson(loader_class, line_key)
    doc: dict[str, Any] = {}
    sections: dict[str, list[str]] = {}  # key -> its entries as JSON, decoded at the end
    section: list[str] | None = None
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
            key = json.loads(to_json.line(m.group(1), number))
            if key in doc or key == line_key:
                return None  # duplicate top-level keys: leave PyYAML's behaviour to PyYAML
            if first_line is None:
                first_line = number
            value_text = m.group(2)
            if value_text is None:
                doc[key] = None
                section = sections[key] = []
                indent = None
                continue
            if value_text.startswith(("{", "[", "&", "*", "!", "|", ">", "?")) or " #" in value_text:
                return None
            doc[key] = json.loads(to_json.line(value_text, number))
            section = None
            continue
        m = _ENTRY.match(raw)
        if m is None or section is None:
            return None
        if indent is None:
            indent = m.group(1)
        elif indent != m.group(1):
            return None
        section.append(to_json.line(m.group(2), number))
    if first_line is None:
        return None
    for key, entries in sections.items():
        # A top-level key with no entries under it is null in YAML, not an empty list.
        doc[key] = json.loads("[" + ",".join(entries) + "]") if entries else None
    doc[line_key] = first_line
    return doc
