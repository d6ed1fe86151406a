"""The build pipeline: sources -> records -> merged records -> triples -> graph.ttl.

No printing here: the CLI decides how loud to be. Each stage is a function so the
benchmark and the tests can run them one by one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib.term import Node

from coopkg import atomic, gc_pause, resources, screen
from coopkg.emit import RECORD_KIND, EmitOptions, Emitter
from coopkg.merge import merge
from coopkg.readers import read_source
from coopkg.records import (
    Actor,
    Agreement,
    AgreementChange,
    AnyRecord,
    Collectivity,
    Contact,
    Funding,
    Institution,
    Membership,
    Partnership,
    Problem,
    Programme,
    Project,
    ReadResult,
    Reconciliation,
    Relation,
    Reorganization,
    SourceDocument,
    Theme,
)
from coopkg.terms import GRAPH_TERMS, TermText, TextTriple
from coopkg.turtle import _TYPE_KEY, header, pairs_of, write_blocks, write_text_triples, write_turtle
from coopkg.vocab import COOP, RDF

Triple = tuple[Node, Node, Node]


def bundled_sources() -> list[Path]:
    """The curated records shipped with coopkg (one YAML file per seed document)."""
    return resources.files("data", "bundled/*.yaml")


def gazetteer_path() -> Path:
    return resources.folder("data") / "gazetteer.yaml"


@dataclass
class SourceSummary:
    source: str
    reader: str
    records: int
    skipped: int
    errors: int
    warnings: int


@dataclass
class Loaded:
    records: list[AnyRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    summaries: list[SourceSummary] = field(default_factory=list)
    reconciliations: list[tuple[str, Reconciliation]] = field(default_factory=list)  # (source, how names matched)
    mappings: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (source, the mapping a reader inferred)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def _summary(result: ReadResult) -> SourceSummary:
    return SourceSummary(
        result.source,
        result.reader or "-",
        len(result.records),
        result.skipped,
        sum(p.severity == "error" for p in result.problems),
        sum(p.severity == "warning" for p in result.problems),
    )


def references(record: AnyRecord) -> list[tuple[str, str]]:
    """(field, key) pairs of the records this record points to."""
    refs: list[tuple[str, str]] = []
    for name, keys in _REFERENCES[type(record)](record):
        refs.extend((name, k) for k in keys if k)
    return refs


# Per record class, (field, keys) of what it points to: called twice per record at
# load, where an isinstance chain per record was a tenth of the reading time.
_Refs = list[tuple[str, Iterable[str | None]]]


def _actor_refs(a: Actor) -> _Refs:
    refs: _Refs = [("part_of", [a.part_of])]
    if isinstance(a, Institution):
        refs.append(("members", a.members))
    return refs


def _agreement_refs(a: Agreement) -> _Refs:
    return [("parties", [p.actor for p in a.parties]),
            ("parties.on_behalf_of", [k for p in a.parties for k in p.on_behalf_of]),
            ("partnership", [a.partnership]), ("programme", [a.programme]), ("framework", [a.framework]),
            ("reorganization", [a.reorganization]), ("taken_over_by", [a.taken_over_by])]


def _project_refs(p: Project) -> _Refs:
    return [("reorganization", [p.reorganization]), ("partnership", [p.partnership]),
            ("agreement", [p.agreement]), ("participants", p.participants), ("programme", [p.programme])]


def _reorganization_refs(r: Reorganization) -> _Refs:
    return [("changes.unit", [c.unit for c in r.changes]),
            ("changes.successors", [k for c in r.changes for k in c.successors])]


_REFERENCES: dict[type, Any] = {
    Collectivity: _actor_refs,
    Institution: _actor_refs,
    Partnership: lambda p: [("parties", p.parties), ("reorganization", [p.reorganization]),
                            ("taken_over_by", [p.taken_over_by])],
    Agreement: _agreement_refs,
    AgreementChange: lambda c: [("agreement", [c.agreement])],
    Project: _project_refs,
    Funding: lambda f: [("funder", [f.funder]), ("funds", [f.funds])],
    Reorganization: _reorganization_refs,
    Programme: lambda p: [("operator", [p.operator])],
    Relation: lambda r: [("subject", [r.subject]), ("object", [r.object])],
    Membership: lambda m: [("member", [m.member]), ("organization", [m.organization])],
    Contact: lambda c: [("organisation", [c.organisation])],
    Theme: lambda t: [],
    SourceDocument: lambda d: [],
}


def _with_gazetteer(records: list[AnyRecord], gazetteer: list[AnyRecord], everything: bool) -> list[AnyRecord]:
    """Add the gazetteer's actors the records refer to (or all of them), transitively."""
    by_key: dict[str, AnyRecord] = {}
    for r in gazetteer:  # the first entry of a key wins (a user's gazetteer comes before the shipped one)
        by_key.setdefault(r.key, r)
    defined = {r.key for r in records}
    if everything:
        return records + [r for r in by_key.values() if r.key not in defined]
    wanted = [k for r in records for _, k in references(r) if k not in defined]
    # An actor a source describes (an imported collectivity) merges with the gazetteer's entry,
    # which comes first so its curated name and facts (part_of, codes, council) win; its
    # references are followed too.
    described = [by_key[r.key] for r in records if isinstance(r, Actor) and isinstance(by_key.get(r.key), type(r))]
    described = list({r.key: r for r in described}.values())
    wanted.extend(k for r in described for _, k in references(r) if k not in defined)
    added: list[AnyRecord] = []
    while wanted:
        key = wanted.pop()
        if key in defined or key not in by_key:
            continue
        defined.add(key)
        added.append(by_key[key])
        wanted.extend(k for _, k in references(by_key[key]))
    return described + records + sorted(added, key=lambda r: r.key)


def _dangling(records: list[AnyRecord]) -> list[Problem]:
    defined = {r.key for r in records}
    problems = []
    for record in records:
        for name, key in references(record):
            if key not in defined:
                src = record.sources[0] if record.sources else None
                problems.append(
                    Problem(src.document if src else "?", src.line if src else None, name,
                            f"{type(record).__name__} {record.key!r} refers to unknown key {key!r}",
                            record=record.key)
                )
    return problems


def load(sources: list[Path] | None = None, reader: str | None = None, use_gazetteer: bool = True,
         gazetteers: list[Path] | None = None, whole_gazetteer: bool | None = None, **options: Any) -> Loaded:
    """Read every source (the bundled data when none is given), merge, check references.

    The gazetteer's actors join the records: all of them for the bundled dataset (so
    every place the seeds name is in the graph, even one no record cites), only those
    the records refer to for your own sources (your graph holds your data, not every
    known place); ``whole_gazetteer`` overrides that (`coopkg build --gazetteer all`).
    ``gazetteers``: the user's own gazetteer files (``--gazetteer FILE``), used to
    resolve names in every source and added to the graph like the shipped entries.
    """
    with gc_pause.paused():
        return _load(sources, reader, use_gazetteer, list(gazetteers or []), whole_gazetteer, **options)


def _load(sources: list[Path] | None, reader: str | None, use_gazetteer: bool, gazetteers: list[Path],
          whole_gazetteer: bool | None, **options: Any) -> Loaded:
    from coopkg.readers import gazetteer as gazetteer_files

    bundled = not sources
    paths = bundled_sources() if bundled else [Path(s) for s in sources]
    loaded = Loaded()
    collected: list[AnyRecord] = []
    if gazetteers:
        loaded.problems.extend(gazetteer_files.check(gazetteers))
        gazetteers = [g for g in gazetteers if Path(g).is_file()]
        # one gazetteer for every source of the build: a place met in one file is the same in the next
        options = {**options, "gazetteer": gazetteer_files.gazetteer(extra=tuple(Path(g) for g in gazetteers))}
    for path in paths:
        result = read_source(path, reader, **options)
        collected.extend(result.records)
        loaded.problems.extend(result.problems)
        loaded.summaries.append(_summary(result))
        if result.reconciliation is not None:
            loaded.reconciliations.append((result.source, result.reconciliation))
        if result.mapping is not None:
            loaded.mappings.append((result.source, result.mapping))
    if use_gazetteer and gazetteer_path().is_file():
        gaz = read_source(gazetteer_path(), "native")
        loaded.problems.extend(gaz.problems)
        # Reference facts (the 2016 reform) that readers link to, like the gazetteer's actors.
        reference = [] if bundled else [r for path in resources.files("data", "bundled/reference.yaml")
                                        for r in read_source(path, "native").records]
        # the user's entries first: they correct or complete the shipped ones (same key)
        user = [r for g in gazetteers for r in read_source(g, "native").records]
        everything = bundled if whole_gazetteer is None else whole_gazetteer
        collected = _with_gazetteer(collected, user + gaz.records + reference, everything=everything)
    records, conflicts = merge(collected)
    loaded.problems.extend(conflicts)
    # What the term writer would refuse, and distinct keys that slug to one IRI, are
    # problems of their records here (FILE:LINE [FIELD]), not a failure of the whole build.
    records, unwritable = screen.writable(records)
    loaded.problems.extend(unwritable)
    records, collisions = screen.distinct_iris(records, RECORD_KIND)
    loaded.problems.extend(collisions)
    loaded.problems.extend(_dangling(records))
    loaded.records = records
    return loaded


def emitter(records: list[AnyRecord], base: str | None = None, include_contacts: bool = False) -> Emitter:
    return Emitter(records, EmitOptions(base=base, include_contacts=include_contacts))


def vocabulary_triples() -> list[Triple]:
    """The shipped SKOS schemes (kinds, statuses, end reasons, themes).

    They go into every graph.ttl so it is self-contained: a portal or a SPARQL store
    that receives it can roll themes up ``skos:broader*`` and show labels of kinds
    without fetching anything else.
    """
    from rdflib import Graph

    graph = Graph()
    for path in resources.files("ontology", "vocabularies/*.ttl"):
        graph.parse(path, format="turtle")
    return list(graph)


def graph_text(records: list[AnyRecord], base: str | None = None, include_contacts: bool = False,
               consume: bool = False) -> list[TextTriple]:
    """Every triple of a build, the records' and the vocabularies', as Turtle text.

    The fast path of `coopkg build`: the text is sorted and written as graph.ttl and
    parsed by Oxigraph for validation, with no rdflib term made on the way. With
    ``consume`` the records list is emptied as it is emitted, to free its memory.
    """
    with gc_pause.paused():
        made = emitter(records, base, include_contacts)
        triples = list(made.drain_text_triples() if consume else made.text_triples())
        triples.extend(GRAPH_TERMS.triples_of(vocabulary_triples()))
    return triples


# first characters of a term text that may be a literal a store rewrites (literal_forms)
_MAY_BE_NORMALISED = frozenset('"0123456789+-.tf')


@dataclass
class Grouped:
    """A build's triples grouped by subject as the Turtle writer takes them (`write_grouped`),
    and those whose literal a store rewrites (`coopkg.literal_forms.Rewrites`: what
    `coopkg.literal_forms.from_text_triples` needs of them).

    Each subject's list is flat, predicate and object one after the other (rdf:type as
    `coopkg.turtle._TYPE_KEY`): a (predicate, object) tuple a triple was 0.5 GB at 120,000
    partnerships, held with all the groups until graph.ttl is written."""

    by_subject: dict[str, list[str]]
    candidates: list[TextTriple]


def graph_grouped(records: list[AnyRecord], base: str | None = None, include_contacts: bool = False,
                  consume: bool = False, feed: Callable[[bytes], None] | None = None,
                  feed_every: int = 1_000_000, whole: int | None = None) -> Grouped:
    """`graph_text` grouped by subject as it is emitted: the one-process build never holds the
    list of every triple beside the groups (~1 GB at 120,000 partnerships). ``feed`` gets the
    same triples as Turtle statements (under `header`'s prefixes, in pieces: `_statements`), ``feed_every`` at a time,
    for a store loaded meanwhile (`coopkg.diskstore.PendingStore.stream`); the triples with a
    blank node all come in the last statements (a label names one node in one document). A
    graph of fewer than ``whole`` triples (twice ``feed_every`` unless said) is fed as one
    document: one set of files in the store, whose scans are ~2x faster than two or more.
    The candidates of the forms table are sorted out every ``feed_every`` triples, fed or not."""
    from coopkg.literal_forms import Rewrites, may_be_normalised

    with gc_pause.paused():
        made = emitter(records, base, include_contacts)
        vocabulary = GRAPH_TERMS.triples_of(vocabulary_triples())
        rdf_type = GRAPH_TERMS.iri(str(RDF.type))
        by_subject: dict[str, list[str]] = {}
        get = by_subject.get
        rewrites = Rewrites(GRAPH_TERMS.turtle_document)
        kept: list[TextTriple] = []  # the candidates whose literal the store rewrites
        candidates: list[TextTriple] = []
        pending: list[TextTriple] = []
        held: list[TextTriple] = []
        # the first batches' statements, held until the graph has ``whole`` triples
        early: list[list[bytes]] | None = []
        whole = 2 * feed_every if whole is None else whole
        first = _MAY_BE_NORMALISED
        since = 0  # triples since the last batch (``pending`` holds them when fed)
        for share in (made.drain_text_triples() if consume else made.text_triples()), vocabulary:
            for triple in share:
                s, p, o = triple
                pairs = get(s)
                if pairs is None:
                    pairs = by_subject[s] = []
                pairs.append(_TYPE_KEY if p == rdf_type else p)
                pairs.append(o)
                if o[0] in first and may_be_normalised(o):
                    candidates.append(triple)
                if feed is not None:
                    pending.append(triple)
                since += 1
                if since < feed_every:
                    continue
                since = 0
                # (while the store loads the last batch) each batch's, with a store or not: all
                # of them probed at the end were ~0.3 GB at 120,000 partnerships (the bench's
                # emit stage, which feeds no store)
                kept.extend(rewrites.keep(candidates))
                candidates.clear()
                if feed is None:
                    continue
                statements = _statements(pending, held)
                pending.clear()  # before feed, which may wait for the store: the triples are text now
                if early is None:
                    feed(statements)
                    continue
                early.append(statements)
                if len(early) * feed_every >= whole:
                    for batch in early:
                        feed(batch)
                    early = None
        kept.extend(rewrites.keep(candidates))
        if feed is not None:
            pending.extend(held)
            last = _statements(pending, None) if pending else []
            if early is not None:
                last = [piece for batch in early for piece in batch] + last
            if last:
                feed(last)
    return Grouped(by_subject, kept)


# triples encoded at a time by `_statements`
_STATEMENT_SLICE = 50_000


def _statements(triples: list[TextTriple], held: list[TextTriple] | None) -> list[bytes]:
    """The triples as Turtle statements, UTF-8, in pieces of `_STATEMENT_SLICE` triples (their
    join is the document): a batch is never one str beside its bytes (~0.3 GB, more when one
    name makes the str 2 or 4 bytes a character). With ``held``, those with a blank node go there."""
    pieces = []
    for start in range(0, len(triples), _STATEMENT_SLICE):
        part = triples[start:start + _STATEMENT_SLICE]
        text = "".join([f"{s} {p} {o} .\n" for s, p, o in part]).encode("utf-8")
        if held is not None and b"_:" in text:  # (a literal may hold "_:" too: then the test below)
            blank = [t for t in part if t[0].startswith("_:") or t[2].startswith("_:")]
            if blank:
                held.extend(blank)
                text = "".join([f"{s} {p} {o} .\n" for s, p, o in part
                                if not (s.startswith("_:") or o.startswith("_:"))]).encode("utf-8")
        pieces.append(text)
    return pieces


def write_grouped(grouped: Grouped, path: Path) -> tuple[int, dict[str, int]]:
    """Write the grouped triples as graph.ttl does (not atomically: `coopkg.build_report.write_built`
    writes to a temporary file and renames); the groups are let go on the way. Return the
    triple count and the coop: class counts."""
    by_subject, grouped.by_subject = grouped.by_subject, {}
    counts = grouped_class_counts(by_subject)
    with gc_pause.paused(), open(path, "w", encoding="utf-8") as out:
        out.write(header())
        count = write_blocks(by_subject, out, flat=True)
    return count, counts


def grouped_class_counts(by_subject: dict[str, list[str]]) -> dict[str, int]:
    """`class_counts` (distinct subjects of each coop: class) from the grouped pairs (`Grouped`)."""
    coop = str(COOP)
    texts: Counter[str] = Counter()
    for pairs in by_subject.values():
        for o in {o for p, o in pairs_of(pairs) if p == _TYPE_KEY}:
            texts[o] += 1
    counts: Counter[str] = Counter()
    for text, n in texts.items():
        iri = str(GRAPH_TERMS.to_rdflib(text))
        if iri.startswith(coop):
            counts[iri[len(coop):]] += n
    return dict(sorted(counts.items()))


def graph_triples(records: list[AnyRecord], base: str | None = None, include_contacts: bool = False) -> list[Triple]:
    """`graph_text` as rdflib terms, for callers that script against rdflib."""
    to_rdflib = TermText(GRAPH_TERMS.prefixes).triple_to_rdflib  # its cache lives as long as this call
    return [to_rdflib(t) for t in graph_text(records, base, include_contacts)]


def class_counts(triples: Iterable[Triple] | Iterable[TextTriple]) -> dict[str, int]:
    """How many subjects of each coop: class the triples type (rdflib terms or Turtle text).

    Distinct subjects: a funder typed by each of its fundings is one funder.
    """
    typed: set[tuple[object, object]] = set()
    rdf_type, coop = GRAPH_TERMS.iri(str(RDF.type)), str(COOP)
    for s, p, o in triples:
        if p == rdf_type or p == RDF.type:  # Turtle text, or rdflib terms (str subclasses)
            typed.add((s, o))
    counts: Counter[str] = Counter()
    names: dict[object, str] = {}
    for _, o in typed:
        name = names.get(o)
        if name is None:  # a handful of distinct classes
            iri = str(GRAPH_TERMS.to_rdflib(o)) if type(o) is str else str(o)
            name = names[o] = iri[len(coop):] if iri.startswith(coop) else ""
        if name:
            counts[name] += 1
    return dict(sorted(counts.items()))


def write_graph(triples: list[Triple] | list[TextTriple], path: Path, consume: bool = False) -> int:
    """Write the triples (rdflib terms or Turtle text) as deterministic Turtle, atomically;
    return the triple count. With ``consume`` a list of Turtle text is emptied on the way."""
    with atomic.atomic_write(path) as handle:
        if triples and type(triples[0][0]) is str:
            return write_text_triples(triples, handle, consume=consume)  # type: ignore[arg-type]
        return write_turtle(triples, handle)  # type: ignore[arg-type]
