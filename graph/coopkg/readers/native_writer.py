"""Records -> native YAML or JSON Lines (docs/record-format.md), the formats `coopkg build` reads back.

Used by ``coopkg import wikidata --out FILE`` so imported facts merge with the user's
other sources. Output is deterministic: sections in the native reader's order, records
sorted by key, fields in the record model's order, empty fields left out.
"""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from decimal import Decimal
from typing import Any

import yaml

from coopkg.readers.native import FORMAT_VERSION, SECTIONS
from coopkg.records import (
    AnyRecord,
    Claim,
    Document,
    Label,
    PartialDate,
    Party,
    Point,
    SourceRef,
    Term,
    UnitChange,
)

_BUILDERS_TO_TYPES = {
    "collectivities": "Collectivity", "institutions": "Institution", "partnerships": "Partnership",
    "agreements": "Agreement", "changes": "AgreementChange", "projects": "Project", "fundings": "Funding",
    "reorganizations": "Reorganization", "programmes": "Programme", "themes": "Theme", "relations": "Relation",
    "memberships": "Membership",
    "contacts": "Contact", "source_documents": "SourceDocument",
}
_SKIP = {"sources", "claims", "note_lang", "description_lang"}


def _value(value: Any) -> Any:
    if isinstance(value, Label):
        return f"{value.text}@{value.lang}"
    if isinstance(value, PartialDate):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, Term):
        return {k: v for k, v in (("years", value.years), ("renewable_times", value.renewable_times),
                                  ("tacit_renewal", value.tacit_renewal or None)) if v is not None}
    if isinstance(value, Point):  # named fields, as the native format writes a point
        return {k: v for k, v in (("lat", value.latitude), ("long", value.longitude), ("source", value.source))
                if v is not None}
    if isinstance(value, Party):
        return {"actor": value.actor, "on_behalf_of": list(value.on_behalf_of)} if value.on_behalf_of else value.actor
    if isinstance(value, Document | UnitChange):
        out = {f.name: _value(getattr(value, f.name)) for f in fields(value)}
        return {k: v for k, v in out.items() if v not in (None, [], ())}
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    if is_dataclass(value):
        return str(value)
    return value


def _source(ref: SourceRef) -> str:
    return str(ref)


def _entry(record: AnyRecord) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    for f in fields(record):
        if f.name in _SKIP:
            continue
        value = getattr(record, f.name)
        if value in (None, [], ()):
            if f.name == "funder" and value is None and type(record).__name__ == "Funding":
                entry["funder"] = None
            continue
        if f.name == "note":
            value = Label(value, record.note_lang) if record.note_lang else value
        if f.name == "description" and isinstance(value, str):
            lang = getattr(record, "description_lang", None)
            value = Label(value, lang) if lang else value
        entry[f.name] = _value(value)
    if record.sources:
        entry["sources"] = [_source(s) for s in record.sources]
    if record.claims:
        entry["claims"] = [_claim(c) for c in record.claims]
    return entry


def _claim(claim: Claim) -> dict[str, Any]:
    return {"field": claim.field, "value": _value(claim.value), "source": _source(claim.source)}


def _sections(records: list[AnyRecord]) -> dict[str, list[dict[str, Any]]]:
    """The entries of each non-empty section, in the native reader's order, sorted by key."""
    out = {}
    for section in SECTIONS:
        type_name = _BUILDERS_TO_TYPES[section]
        entries = [_entry(r) for r in sorted((r for r in records if type(r).__name__ == type_name), key=lambda r: r.key)]
        if entries:
            out[section] = entries
    return out


def dump(records: list[AnyRecord], language: str = "en", comment: str | None = None) -> str:
    """Native YAML text for ``records`` (read back by coopkg.readers.native)."""
    doc: dict[str, Any] = {"coopkg": FORMAT_VERSION, "language": language, **_sections(records)}
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=120, default_flow_style=False)
    if comment:
        text = "".join(f"# {line}\n" for line in comment.splitlines()) + text
    return text


def dump_jsonl(records: list[AnyRecord], language: str = "en") -> str:
    """The same entries as native JSON Lines (read back by coopkg.readers.jsonlines): a
    header line, then one ``{"section": ..., fields...}`` object per record."""
    lines = [json.dumps({"coopkg": FORMAT_VERSION, "language": language}, ensure_ascii=False)]
    for section, entries in _sections(records).items():
        lines.extend(json.dumps({"section": section, **entry}, ensure_ascii=False) for entry in entries)
    return "\n".join(lines) + "\n"
