"""The IRI policy, in one place: nothing else in coopkg builds an IRI string.

Policy
------
* Data IRIs are ``{base}{kind}/{slug}``, with a configurable ``base`` (default
  ``https://w3id.org/coopkg/id/``) and ``kind`` one of the record kinds below.
* ``slug`` comes from the record's *key*, never from a label: a renamed collectivity
  keeps its key and so its IRI (the new name is a new label), while a successor made by
  a reorganisation (Grand Est after Alsace) is a new record with its own key.
* A slug is human-readable ASCII: diacritics are folded ("Timiș" -> "timis"), anything
  that is not a letter or a digit becomes one hyphen, and it is lower case. So
  ``Departamentul Rhône`` and ``Departamentul Rhone`` give the same slug; hostile
  characters (``<>"{}|\\^`` and spaces) can never reach an IRI.
* Parts hanging off a record (a qualified party, a unit change, a document) are
  ``{record IRI}/{part}/{slug}``.
* Source documents are ``{base}source/{slug of the file name}`` and a line in one is
  ``{document IRI}/L{line}``.
* Vocabulary concepts are ``https://w3id.org/coopkg/vocab/{scheme}/{code}``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rdflib import URIRef

from coopkg.vocab import DEFAULT_BASE, SCHEMES

RECORD_KINDS = frozenset(
    {
        "collectivity",
        "institution",
        "partnership",
        "agreement",
        "change",
        "project",
        "funding",
        "reorganization",
        "programme",
        "relation",
        "membership",
        "contact",
        "source",
    }
)

# Letters that NFKD does not decompose into a base letter and a mark.
_EXTRA_FOLDS = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "đ": "d",
     "Đ": "D", "ł": "l", "Ł": "L", "ı": "i", "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D"}
)
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """ASCII, lower-case, hyphen-separated slug of ``text``; never empty.

    >>> slugify("Caraș-Severin")
    'caras-severin'
    >>> slugify('a <b> "c" {d}|e\\\\^f')
    'a-b-c-d-e-f'
    """
    folded = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    slug = _NOT_ALNUM.sub("-", ascii_text).strip("-")
    return slug or "x"


class IriMinter:
    """Mints every data IRI of one build, under one base namespace."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        if not re.match(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]*[/#]$", base):
            raise ValueError(
                f"base namespace {base!r} must be an absolute IRI ending in '/' or '#'"
            )
        self.base = base
        self._cache: dict[tuple[str, str], URIRef] = {}

    def record(self, kind: str, key: str) -> URIRef:
        """The IRI of a record of ``kind`` (collectivity, agreement...) with ``key``."""
        cached = self._cache.get((kind, key))
        if cached is None:
            cached = self._cache[(kind, key)] = URIRef(self.record_iri(kind, key))
        return cached

    def record_iri(self, kind: str, key: str) -> str:
        """`record` as a plain string (the emitter writes text, not rdflib terms)."""
        if kind not in RECORD_KINDS:
            raise ValueError(f"unknown record kind {kind!r}")
        return f"{self.base}{kind}/{slugify(key)}"

    @staticmethod
    def part(owner: URIRef | str, part: str, key: str) -> URIRef:
        """The IRI of a part of a record: a qualified party, a unit change, a document."""
        return URIRef(f"{owner}/{part}/{slugify(key)}")

    def document(self, name: str) -> URIRef:
        return self.record("source", name)

    def location(self, name: str, line: int | None) -> URIRef:
        return URIRef(self.location_iri(name, line))

    def location_iri(self, name: str, line: int | None) -> str:
        doc = self.record_iri("source", name)
        return doc if line is None else f"{doc}/L{int(line)}"

    @staticmethod
    def concept(scheme: str, code: str) -> URIRef:
        """The IRI of a concept in one of the shipped SKOS schemes."""
        return SCHEMES[scheme][slugify(code)]
