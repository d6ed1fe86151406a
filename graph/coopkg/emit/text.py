"""The Turtle text the emitter writes: vocabulary terms and literals, each made once.

Every emitter module spells terms ``COOP.party`` here, but these ``COOP``, ``RDF``, ...
give the term's Turtle text ("coop:party"), not an rdflib term: the emitter yields
triples of strings (`coopkg.terms`).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from coopkg import vocab
from coopkg.records import Label, PartialDate
from coopkg.terms import GRAPH_TERMS
from coopkg.vocabularies import fold

_T = GRAPH_TERMS


class _Names:
    """A namespace whose terms are Turtle text, made once each (``COOP.party`` -> "coop:party")."""

    def __init__(self, namespace: object) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        text = _T.iri(str(getattr(self._namespace, name)))
        setattr(self, name, text)
        return text


COOP = _Names(vocab.COOP)
DCTERMS = _Names(vocab.DCTERMS)
FOAF = _Names(vocab.FOAF)
GEO = _Names(vocab.GEO)
ORG = _Names(vocab.ORG)
PROV = _Names(vocab.PROV)
RDF = _Names(vocab.RDF)
RDFS = _Names(vocab.RDFS)
SCHEMA = _Names(vocab.SCHEMA)
SKOS = _Names(vocab.SKOS)
TIME = _Names(vocab.TIME)

_DATE_TYPES = {"year": str(vocab.XSD.gYear), "month": str(vocab.XSD.gYearMonth), "day": str(vocab.XSD.date)}
_DECIMAL = str(vocab.XSD.decimal)
_INTEGER = str(vocab.XSD.integer)


def iri_text(iri: str) -> str:
    """An IRI as Turtle text (prefixed when a graph prefix fits)."""
    return _T.iri(iri)


@lru_cache(maxsize=65536)
def date_literal(date: PartialDate) -> str:
    """A date at its own precision: xsd:gYear, xsd:gYearMonth or xsd:date."""
    return _T.literal(date.isoformat(), datatype=_DATE_TYPES[date.precision])


def name_key(name: str) -> str:
    """"Județul Timiș" -> "judetultimis": what likely-duplicate names share."""
    return re.sub(r"[\W_]+", "", fold(name))


def decimal_literal(value: Decimal) -> str:
    """xsd:decimal in canonical form ("212000.0"), so equal amounts are equal terms everywhere."""
    text = format(Decimal(value), "f")
    if "." not in text:
        text += ".0"
    return _T.literal(text, datatype=_DECIMAL)


def text_literal(label: Label) -> str:
    return _T.literal(label.text, label.lang)


def plain_literal(text: str, lang: str | None = None) -> str:
    return _T.literal(text, lang)


def wkt_literal(wkt: str) -> str:
    """A GeoSPARQL WKT geometry (geo:wktLiteral; CRS84, longitude first, is its default)."""
    return _T.literal(wkt, datatype=str(vocab.GEO.wktLiteral))


def integer_literal(value: int) -> str:
    return _T.literal(str(int(value)), datatype=_INTEGER)
