"""What every part of the emitter shares: the options, the records' kinds and their IRIs as text.

`EmitterBase` mints (and caches) the Turtle text of record IRIs, concepts, source
locations and record parts; the per-kind modules build on it, and `_describe`
dispatches a record to the ``_<class name>`` method one of them defines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef

from coopkg.emit.text import COOP, text_literal
from coopkg.emit.timeline import TimeIndex
from coopkg.iris import RECORD_KINDS, IriMinter, slugify
from coopkg.records import (
    Agreement,
    AgreementChange,
    AnyRecord,
    Collectivity,
    Contact,
    Funding,
    Institution,
    Label,
    Membership,
    Partnership,
    Programme,
    Project,
    Record,
    Relation,
    Reorganization,
    SourceDocument,
    Theme,
)
from coopkg.terms import GRAPH_TERMS, TermText, TextTriple
from coopkg.vocab import THEME

_T = GRAPH_TERMS

RECORD_KIND: dict[type, str] = {
    Collectivity: "collectivity",
    Institution: "institution",
    Partnership: "partnership",
    Agreement: "agreement",
    AgreementChange: "change",
    Project: "project",
    Funding: "funding",
    Reorganization: "reorganization",
    Programme: "programme",
    Relation: "relation",
    Membership: "membership",
    Contact: "contact",
    SourceDocument: "source",
}


@dataclass
class EmitOptions:
    base: str | None = None
    include_contacts: bool = False


@dataclass
class EmitterBase:
    """The records, the actor index and the term caches; no triples of its own."""

    records: list[AnyRecord]
    options: EmitOptions = field(default_factory=EmitOptions)

    def __post_init__(self) -> None:
        self.iris = IriMinter(self.options.base) if self.options.base else IriMinter()
        # Actors and fundable things are referred to by key alone; the index says
        # which kind of record a key names, so the right IRI can be minted.
        self.kind_of: dict[str, str] = {}
        for record in self.records:
            kind = RECORD_KIND.get(type(record))
            if kind and kind not in {"relation", "membership", "contact", "source"}:
                self.kind_of.setdefault(record.key, kind)
        # spans and change events need every record: made before any is emitted (or let go)
        self.time = TimeIndex.of(self.records)
        self.activities: set[str] = set()  # the inference activities some triple names
        self._locations: set[tuple[str, int | None]] = set()
        self._records: dict[tuple[str, str], str] = {}
        self._location_text: dict[tuple[str, int | None], str] = {}
        self._concepts: dict[tuple[str, str], str] = {}
        # rdflib terms, for callers that want them: cached per emitter, not for the process
        self._terms = TermText(GRAPH_TERMS.prefixes)
        # Record IRIs are {base}{kind}/{slug}: when no prefix can shorten those of a kind,
        # their text is made by concatenation (the base is checked, slugs are safe).
        self._plain_kinds: dict[str, str] = {}
        for kind in RECORD_KINDS:
            stem = self.iris.record_iri(kind, "x")[:-1]
            if not any(stem.startswith(ns) or ns.startswith(stem) for ns in _T.prefixes.values()):
                self._plain_kinds[kind] = "<" + stem

    # -- terms ------------------------------------------------------------------
    def _iri(self, iri: str) -> str:
        return _T.iri(iri)

    def record_text(self, kind: str, key: str) -> str:
        text = self._records.get((kind, key))
        if text is None:
            stem = self._plain_kinds.get(kind)
            if stem is not None:
                text = f"{stem}{slugify(key)}>"
            else:
                text = _T.iri(self.iris.record_iri(kind, key))
            self._records[(kind, key)] = text
        return text

    def ref(self, key: str, default_kind: str = "collectivity") -> str:
        return self.record_text(self.kind_of.get(key, default_kind), key)

    def concept(self, scheme: str, code: str) -> str:
        text = self._concepts.get((scheme, code))
        if text is None:
            text = self._concepts[(scheme, code)] = _T.iri(str(IriMinter.concept(scheme, code)))
        return text

    def location(self, document: str, line: int | None) -> str:
        text = self._location_text.get((document, line))
        if text is None:
            self._locations.add((document, line))
            if line is None:
                text = self.record_text("source", document)
            elif "source" in self._plain_kinds:
                text = f"{self.record_text('source', document)[:-1]}/L{int(line)}>"
            else:
                text = _T.iri(self.iris.location_iri(document, line))
            self._location_text[(document, line)] = text
        return text

    def activity(self, name: str) -> str:
        """The prov:Activity that generated inferred triples (interval-rule, curation-inference)."""
        self.activities.add(name)
        return self._iri(f"{self.iris.base}activity/{name}")

    def part(self, owner: str, part: str, key: str) -> str:
        return _T.iri(f"{self._terms.to_rdflib(owner)}/{part}/{slugify(key)}")

    def _subject(self, record: AnyRecord) -> str:
        if isinstance(record, Theme):
            return self._iri(str(THEME[slugify(record.key)]))
        return self.record_text(RECORD_KIND[type(record)], record.key)

    def iri_of(self, record: AnyRecord) -> URIRef:
        return self._terms.to_rdflib(self._subject(record))  # type: ignore[return-value]

    # -- shared by several kinds -------------------------------------------------
    def _themes(self, s: str, themes: list[str], domains: list[Label], out: list[TextTriple]) -> None:
        for code in themes:
            out.append((s, COOP.theme, self.concept("theme", code)))
        for domain in domains:
            out.append((s, COOP.domain, text_literal(domain)))

    # -- one record's own triples ------------------------------------------------
    def _describe(self, s: str, record: Record, out: list[TextTriple]) -> None:
        """The record's own triples, by the ``_<class name>`` method of its kind's module."""
        getattr(self, "_" + type(record).__name__.lower())(s, record, out)
