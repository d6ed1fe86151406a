"""Many sources, one graph: records about the same thing merge into one.

Two records of the same class with the same key are one thing seen by two sources.
The merged record keeps the sources of both; a field only one of them fills is taken
as is; list fields are united; where both fill a field with different values, the
first source's value stays on the record and the other becomes a `Claim` with its
source, and a conflict is reported. Nothing is picked silently.
"""

from __future__ import annotations

from dataclasses import fields

from coopkg.records import AnyRecord, Claim, Problem, Record

_META = {"key", "sources", "claims"}


def _claim_source(record: Record) -> object:
    return record.sources[0] if record.sources else None


def merge(records: list[AnyRecord]) -> tuple[list[AnyRecord], list[Problem]]:
    """Merge records sharing (class, key); return them in first-seen order and conflicts."""
    merged: dict[tuple[type, str], AnyRecord] = {}
    problems: list[Problem] = []
    for record in records:
        ident = (type(record), record.key)
        first = merged.get(ident)
        if first is None:
            merged[ident] = record
            continue
        for f in fields(record):
            if f.name in _META:
                continue
            mine, theirs = getattr(first, f.name), getattr(record, f.name)
            if theirs in (None, [], ()) or theirs == mine:
                continue
            if mine in (None, [], ()):
                setattr(first, f.name, theirs)
            elif isinstance(mine, list):
                setattr(first, f.name, mine + [v for v in theirs if v not in mine])
            else:
                source = _claim_source(record)
                first.claims.append(Claim(f.name, theirs, source))  # type: ignore[arg-type]
                where = record.sources[0] if record.sources else None
                problems.append(
                    Problem(
                        where.document if where else "?",
                        where.line if where else None,
                        f.name,
                        f"conflict on {type(record).__name__} {record.key!r}: {where} says {theirs}, "
                        f"{first.sources[0] if first.sources else '?'} says {mine}; both kept",
                        "warning",
                        record.key,
                    )
                )
        first.sources.extend(s for s in record.sources if s not in first.sources)
        first.claims.extend(c for c in record.claims if c not in first.claims)
    return list(merged.values()), problems
