"""What the emitter needs to know across records for time and change (docs/time.md).

Computed once per emitter, before any record is emitted (`drain_text_triples` lets
records go as it emits them): the lifetime span of each partnership and stand-alone
agreement (`coopkg.intervals`), the change events of each reorganisation (one
``org:ChangeEvent`` per merger, split, abolition or renaming), and which event touched
each unit, so an agreement ended by a reform is linked to the change of *its* party.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coopkg.intervals import Span, spans
from coopkg.records import Actor, Agreement, AnyRecord, Lifetime, Partnership, Project, Reorganization

# how far up coop:partOf a party's unit is looked for (commune -> department -> region -> country)
PART_OF_DEPTH = 4


@dataclass(frozen=True, slots=True)
class ChangeEvent:
    """One change of a reorganisation: the units before (originals) and after (results)."""

    slug: str  # the event's part name under the reorganisation's IRI
    kind: str  # change-kind code: merged, split, abolished, renamed, created
    originals: tuple[str, ...]
    results: tuple[str, ...]
    units: tuple[str, ...]  # the units whose coop:UnitChange belongs to this event


def change_events(r: Reorganization) -> list[ChangeEvent]:
    """Group a reorganisation's unit changes into ORG change events.

    Units merged into the same successors are one merger; a unit "created" that is one
    of those successors belongs to it. A split, an abolition or a renaming is an event
    of its own; a unit created from nothing is one too.
    """
    mergers: dict[tuple[str, ...], list[str]] = {}
    events: list[ChangeEvent] = []
    for c in r.changes:
        if c.change == "merged":
            mergers.setdefault(tuple(sorted(c.successors)), []).append(c.unit)
    merged_into = {s for succ in mergers for s in succ}
    for succ, units in sorted(mergers.items()):
        created = tuple(u for u in succ if any(c.unit == u and c.change == "created" for c in r.changes))
        events.append(ChangeEvent("merger-" + "-".join(succ) if succ else "merger-" + "-".join(sorted(units)),
                                  "merged", tuple(sorted(units)), succ, tuple(sorted(units)) + created))
    for c in r.changes:
        if c.change == "merged" or (c.change == "created" and c.unit in merged_into):
            continue
        if c.change == "created":
            events.append(ChangeEvent(f"created-{c.unit}", "created", (), (c.unit,), (c.unit,)))
        elif c.change == "renamed":
            events.append(ChangeEvent(f"renamed-{c.unit}", "renamed", (c.unit,), c.successors or (c.unit,), (c.unit,)))
        else:
            events.append(ChangeEvent(f"{c.change}-{c.unit}", c.change, (c.unit,), tuple(c.successors), (c.unit,)))
    return events


@dataclass
class TimeIndex:
    """Spans, change events and the unit -> event index of one set of records."""

    spans: dict[str, Span] = field(default_factory=dict)
    events: dict[str, list[ChangeEvent]] = field(default_factory=dict)  # reorganisation key -> events
    touched: dict[tuple[str, str], str] = field(default_factory=dict)  # (reorganisation, unit) -> event slug
    event_of_unit: dict[tuple[str, str], str] = field(default_factory=dict)  # (reorganisation, unit change unit) -> slug
    part_of: dict[str, str] = field(default_factory=dict)
    standalone: set[str] = field(default_factory=set)  # agreements that belong to no partnership

    @classmethod
    def of(cls, records: list[AnyRecord]) -> TimeIndex:
        index = cls(spans=spans(records))
        for r in records:
            if isinstance(r, Reorganization):
                index.events[r.key] = change_events(r)
                for event in index.events[r.key]:
                    for unit in event.originals:
                        index.touched[(r.key, unit)] = event.slug
                    for unit in event.units:
                        index.event_of_unit[(r.key, unit)] = event.slug
            elif isinstance(r, Actor) and r.part_of:
                index.part_of[r.key] = r.part_of
            elif isinstance(r, Agreement) and not r.partnership:
                index.standalone.add(r.key)
        return index

    def span_of(self, kind: str, key: str) -> Span | None:
        """The span written for a record: partnerships and stand-alone agreements only
        (what `active-partnerships` and the network page show; it keeps the graph small)."""
        if kind == "partnership" or (kind == "agreement" and key in self.standalone):
            return self.spans.get(f"{kind}:{key}")
        return None

    def ended_by_changes(self, r: Lifetime) -> list[str]:
        """The change events of ``r.reorganization`` that touched one of r's parties, or a
        larger unit a party lies in (the nearest one), as event slugs."""
        if not r.reorganization:
            return []
        if isinstance(r, Partnership):
            parties = list(r.parties)
        elif isinstance(r, Agreement):
            parties = [p.actor for p in r.parties] + [m for p in r.parties for m in p.on_behalf_of]
        elif isinstance(r, Project):
            parties = list(r.participants)
        else:
            parties = []
        found: set[str] = set()
        for party in parties:
            unit: str | None = party
            for _ in range(PART_OF_DEPTH):
                if unit is None:
                    break
                slug = self.touched.get((r.reorganization, unit))
                if slug is not None:
                    found.add(slug)
                    break
                unit = self.part_of.get(unit)
        return sorted(found)
