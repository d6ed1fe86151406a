"""Many sources, one graph: records about the same thing merge into one.

Two records of the same class with the same key are one thing seen by two sources.
Agreements are also the same thing when they have the same parties and the same
signature date, whatever their keys (a curated ``timis-rhone-protocol-1997`` and a
registry table's ``fr-rhone--ro-timis--1997-11-22``); so are partnerships with the same
parties and start, and fundings of the same thing by the same funder, amount and year.
The first key is kept and every reference to the other key (renewals, projects,
fundings) is rewritten to it. A record already merged is never merged again: the
merge is idempotent.

The merged record keeps the sources of both; a field only one of them fills is taken
as is; list fields are united; a date known more precisely by one source refines the
other's (1997 and 1997-11-22 agree). Names and titles are wording, not facts: a second
name becomes an alternative name, a second title is dropped. Where both fill a fact
(kind, date, status...) with different values, the first source's value stays on the
record, the other becomes a `Claim` with its source, and a conflict is reported.
Nothing is picked silently.

Collectivities of different sources are the same place when they share an identifier
(QID, ISO 3166-2, INSEE, SIRUTA, NUTS, LAU, GeoNames id; docs/identity.md): the first key is kept and
every reference to the other (parties, part of, members, funder...) is rewritten, so
the partnerships between them meet too. Two actors with *different* values of one
identifier are never merged, even under one key: the second is reported.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from coopkg.normalise.dates import compare
from coopkg.records import (
    Actor,
    Agreement,
    AgreementChange,
    AnyRecord,
    Claim,
    Collectivity,
    Contact,
    Funding,
    Institution,
    Label,
    Membership,
    PartialDate,
    Partnership,
    Party,
    Problem,
    Programme,
    Project,
    Record,
    Relation,
    Reorganization,
    UnitChange,
)
from coopkg.vocabularies import fold

_META = {"key", "sources", "claims"}
# Wording rather than facts: a disagreement is not a conflict.
_SOFT = {"title", "description", "note", "note_lang", "description_lang", "outcome", "council", "homepage"}


def _claim_source(record: Record) -> object:
    return record.sources[0] if record.sources else None


def _identity(record: AnyRecord) -> tuple[object, ...] | None:
    """A second identity, for records that two sources key differently.

    Agreements: same parties, same signature date. Partnerships: same parties, same start.
    Renewals and amendments: same agreement, kind and date.
    Fundings: same funded record, funder (or funder name), amount and year.
    """
    if isinstance(record, Agreement) and record.signed is not None and len(record.parties) >= 2:
        return ("agreement", frozenset(p.actor for p in record.parties), record.signed)
    if isinstance(record, Partnership) and record.start is not None and len(record.parties) >= 2:
        return ("partnership", frozenset(record.parties), record.start)
    if isinstance(record, Partnership) and record.form is not None and len(record.parties) >= 2:
        # undated: the same parties in the same form (a twinning read from two lists) are one
        return ("partnership", frozenset(record.parties), record.form, None)
    if isinstance(record, AgreementChange) and record.date is not None:
        return ("change", record.agreement, record.kind, record.date)
    if isinstance(record, Funding):
        who = record.funder or (fold(record.funder_label.text) if record.funder_label else None)
        return ("funding", record.funds, who, record.amount, record.currency, record.year)
    return None


Aliases = dict[tuple[str, str], str]  # (kind, key) -> the key kept


def _aliases(records: list[AnyRecord]) -> Aliases:
    """Keys of records whose identity an earlier record already has -> that record's key."""
    first: dict[tuple[object, ...], str] = {}
    aliases: Aliases = {}
    for record in records:
        ident = _identity(record)
        if ident is None:
            continue
        kept = first.setdefault(ident, record.key)
        if kept != record.key:
            aliases[(str(ident[0]), record.key)] = kept
    return aliases


def _rename(record: AnyRecord, aliases: Aliases) -> AnyRecord:
    """The record with its own key and its references rewritten through the aliases."""

    def alias(kind: str, key: str | None) -> str | None:
        return aliases.get((kind, key), key) if key else key

    changes: dict[str, object] = {}

    def change(name: str, value: object) -> None:
        if value != getattr(record, name):
            changes[name] = value

    own = {Agreement: "agreement", Partnership: "partnership", Funding: "funding",
           AgreementChange: "change"}.get(type(record))
    if own:
        change("key", alias(own, record.key))
    if isinstance(record, Agreement | Project):
        change("partnership", alias("partnership", record.partnership))
    if isinstance(record, Agreement):
        change("framework", alias("agreement", record.framework))
    if isinstance(record, AgreementChange | Project):
        change("agreement", alias("agreement", record.agreement))
    if isinstance(record, Funding):
        change("funds", alias("agreement", alias("partnership", record.funds)))
    return replace(record, **changes) if changes else record  # type: ignore[arg-type]


def _parties(mine: list[Party], theirs: list[Party]) -> list[Party] | None:
    """Parties of two agreements on the same actors: keep the richer (with on_behalf_of)."""
    if {p.actor for p in mine} != {p.actor for p in theirs}:
        return None
    by_actor = {p.actor: p for p in mine}
    for p in theirs:
        if len(p.on_behalf_of) > len(by_actor[p.actor].on_behalf_of):
            by_actor[p.actor] = p
    return [by_actor[p.actor] for p in mine]


def _conflict(first: AnyRecord, record: AnyRecord, name: str, mine: object, theirs: object) -> Problem:
    where = record.sources[0] if record.sources else None
    return Problem(
        where.document if where else "?",
        where.line if where else None,
        name,
        f"conflict on {type(record).__name__} {first.key!r}: {where} says {theirs}, "
        f"{first.sources[0] if first.sources else '?'} says {mine}; both kept",
        "warning",
        first.key,
    )


def _absorb(first: AnyRecord, record: AnyRecord, problems: list[Problem]) -> None:
    for f in fields(record):
        if f.name in _META:
            continue
        mine, theirs = getattr(first, f.name), getattr(record, f.name)
        if theirs in (None, [], ()) or theirs == mine:
            continue
        if mine in (None, [], ()):
            setattr(first, f.name, theirs)
        elif f.name == "name" and isinstance(first, Actor) and isinstance(theirs, Label):
            if theirs not in first.alt_names:
                first.alt_names.append(theirs)
        elif f.name in _SOFT:
            continue
        elif f.name == "parties" and isinstance(first, Agreement) and (merged := _parties(mine, theirs)) is not None:
            first.parties = merged
        elif isinstance(mine, list):
            setattr(first, f.name, mine + [v for v in theirs if v not in mine])
        elif isinstance(mine, PartialDate) and isinstance(theirs, PartialDate) and compare(mine, theirs) is None:
            # 1997 and 1997-11-22 agree: keep the more precise.
            if len(theirs.isoformat()) > len(mine.isoformat()):
                setattr(first, f.name, theirs)
        else:
            claim = Claim(f.name, theirs, _claim_source(record))  # type: ignore[arg-type]
            if claim not in first.claims:
                first.claims.append(claim)
                problems.append(_conflict(first, record, f.name, mine, theirs))
    first.sources.extend(s for s in record.sources if s not in first.sources)
    first.claims.extend(c for c in record.claims if c not in first.claims)


_ID_FIELDS = ("wikidata", "iso_code", "insee", "siruta", "nuts", "lau", "geonames")


def _actor_aliases(records: list[AnyRecord]) -> dict[str, str]:
    """Keys of actors whose identifier an earlier actor (with another key) carries -> that key."""
    first: dict[tuple[str, str], tuple[str, set[str]]] = {}
    aliases: dict[str, str] = {}
    for record in records:
        if not isinstance(record, Collectivity | Institution):
            continue
        documents = {s.document for s in record.sources}
        for name in _ID_FIELDS:
            value = getattr(record, name, None)
            if not value:
                continue
            kept, seen_in = first.setdefault((name, str(value)), (aliases.get(record.key, record.key), documents))
            # Within one source two keys are its own statement that they are two records (validation
            # reports a shared identifier there); across sources the identifier decides.
            if kept != record.key and record.key not in aliases and kept not in aliases and not documents & seen_in:
                aliases[record.key] = kept
    return aliases


def _rename_actors(record: AnyRecord, aliases: dict[str, str]) -> AnyRecord:
    """The record with every actor key it holds or points to rewritten through ``aliases``."""

    def a(key: str | None) -> str | None:
        return aliases.get(key, key) if key else key

    changes: dict[str, Any] = {}
    if isinstance(record, Collectivity | Institution):
        changes["key"] = a(record.key)
        changes["part_of"] = a(record.part_of)
        if isinstance(record, Institution):
            changes["members"] = [a(k) for k in record.members]
    elif isinstance(record, Partnership):
        changes["parties"] = [a(k) for k in record.parties]
    elif isinstance(record, Agreement):
        changes["parties"] = [Party(a(p.actor) or p.actor, tuple(a(m) or m for m in p.on_behalf_of))
                              for p in record.parties]
    elif isinstance(record, Project):
        changes["participants"] = [a(k) for k in record.participants]
    elif isinstance(record, Funding):
        changes["funder"] = a(record.funder)
    elif isinstance(record, Programme):
        changes["operator"] = a(record.operator)
    elif isinstance(record, Relation):
        changes["subject"], changes["object"] = a(record.subject), a(record.object)
    elif isinstance(record, Membership):
        changes["member"], changes["organization"] = a(record.member), a(record.organization)
    elif isinstance(record, Contact):
        changes["organisation"] = a(record.organisation)
    elif isinstance(record, Reorganization):
        changes["changes"] = [UnitChange(a(c.unit) or c.unit, c.change, tuple(a(k) or k for k in c.successors))
                              for c in record.changes]
    changes = {k: v for k, v in changes.items() if v != getattr(record, k)}
    return replace(record, **changes) if changes else record  # type: ignore[arg-type]


def _identifier_clash(first: AnyRecord, record: AnyRecord) -> Problem | None:
    """Two actors under one key that carry different values of one identifier: two places."""
    for name in _ID_FIELDS:
        mine, theirs = getattr(first, name, None), getattr(record, name, None)
        if mine and theirs and mine != theirs:
            where = record.sources[0] if record.sources else None
            return Problem(where.document if where else "?", where.line if where else None, name,
                           f"key {record.key!r} is given to two places: {name} {mine} and {theirs}; the second is "
                           "not merged (give one of them another key)", "error", record.key)
    return None


def merge(records: list[AnyRecord]) -> tuple[list[AnyRecord], list[Problem]]:
    """Merge records sharing (class, key) or an identity; first-seen order; conflicts as problems."""
    actor_aliases = _actor_aliases(records)
    if actor_aliases:
        records = [_rename_actors(r, actor_aliases) for r in records]
    for _ in range(3):  # fundings find each other once the partnerships they fund are one
        aliases = _aliases(records)
        if not aliases:
            break
        records = [_rename(r, aliases) for r in records]
    merged: dict[tuple[type, str], AnyRecord] = {}
    problems: list[Problem] = []
    for record in records:
        ident = (type(record), record.key)
        first = merged.get(ident)
        if first is None:
            merged[ident] = record
            continue
        if isinstance(record, Collectivity | Institution) and (clash := _identifier_clash(first, record)):
            problems.append(clash)
            continue
        _absorb(first, record, problems)
    return list(merged.values()), problems
