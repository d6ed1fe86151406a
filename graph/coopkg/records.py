"""The one record model shared by every reader and the emitter.

Readers turn a source (YAML, atlas sheet, registry table, mapped spreadsheet,
Wikidata) into these records; `coopkg.emit` turns records into triples. Nothing
downstream of a reader knows which format a record came from.

Records refer to each other by *key* (a stable, human-chosen or reader-derived
identifier such as ``ro-timis`` or ``fr-rhone``), never by IRI: minting IRIs is
the job of `coopkg.iris` alone.

Controlled values (kinds, statuses, end reasons, themes) are *codes*: the local
name of a concept in one of the SKOS vocabularies shipped in ``ontology/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Precision = Literal["year", "month", "day"]


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day ("1993", "juin 2012", "16.02.1996").

    The precision is kept so a year stays a year in the graph (xsd:gYear), and so that
    comparisons across precisions can be made correctly (a year *contains* its days).
    """

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    def isoformat(self) -> str:
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def earliest(self) -> tuple[int, int, int]:
        """The first day this date may stand for."""
        return (self.year, self.month or 1, self.day or 1)

    def latest(self) -> tuple[int, int, int]:
        """The last day this date may stand for (day 31 is an upper bound, not a date)."""
        return (self.year, self.month or 12, self.day or 31)

    def __str__(self) -> str:
        return self.isoformat()


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a fact was read: a document (file name or URL) and a 1-based line or row."""

    document: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.document}:{self.line}" if self.line is not None else self.document


@dataclass(frozen=True, slots=True)
class Label:
    """A name in a language (BCP 47 tag: "ro", "fr", "en"...)."""

    text: str
    lang: str


@dataclass(slots=True)
class Claim:
    """A value that one source states and another contradicts.

    Kept next to the record's agreed values so that nothing is picked silently: the
    emitter writes the value and a reified statement saying which source made it.
    ``field`` names a record attribute ("kind", "signed"...).
    """

    field: str
    value: object
    source: SourceRef


@dataclass(slots=True, kw_only=True)
class Record:
    """What every record has: a key, the sources it was read from, and claims."""

    key: str
    sources: list[SourceRef] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    note: str | None = None  # a free-text comment (rdfs:comment, in the source language)
    note_lang: str | None = None
    # fields whose values the curator inferred rather than read (docs/time.md section 5):
    # emitted with a coop:InferredStatement, never as if a source had stated them
    inferred: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Point:
    """Where a place is: WGS 84 degrees, and where the coordinates come from."""

    latitude: float
    longitude: float
    source: str | None = None  # "GeoNames 665087", "Wikidata P625", "sheet.csv:12"; None: the record's own sources


@dataclass(slots=True, kw_only=True)
class Actor(Record):
    """Anything that can sign, fund or act: a collectivity or an institution."""

    name: Label
    alt_names: list[Label] = field(default_factory=list)
    country: str | None = None  # ISO 3166-1 alpha-2, upper case
    part_of: str | None = None  # key of the larger unit (department -> region)
    wikidata: str | None = None  # "Q12345"
    homepage: str | None = None
    point: Point | None = None  # emitted as a GeoSPARQL geometry; the map places the actor there


@dataclass(slots=True, kw_only=True)
class Collectivity(Actor):
    """A territorial authority: commune, department, region, county, district, province..."""

    kind: str | None = None  # code in the collectivity-kind scheme
    insee: str | None = None
    siruta: str | None = None
    nuts: str | None = None
    lau: str | None = None  # Eurostat Local Administrative Unit code
    iso_code: str | None = None  # ISO 3166-2 subdivision code ("RO-TM")
    geonames: str | None = None  # GeoNames id ("2519240")
    council: Label | None = None  # the deliberative body acting for it ("Consiliul Județean Timiș")
    abolished: PartialDate | None = None
    created: PartialDate | None = None


@dataclass(slots=True, kw_only=True)
class Institution(Actor):
    """Any other actor: ministry, embassy, institute, development region, NGO, association."""

    kind: str | None = None  # code in the institution-kind scheme
    members: list[str] = field(default_factory=list)  # keys of member actors
    themes: list[str] = field(default_factory=list)  # priorities, as theme codes
    description: str | None = None
    description_lang: str | None = None


@dataclass(frozen=True, slots=True)
class Party:
    """A party to an agreement, possibly acting on behalf of members."""

    actor: str
    on_behalf_of: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Term:
    """How long an agreement runs: e.g. 3 years, renewable once ("3+3 ani")."""

    years: int | None = None
    renewable_times: int | None = None  # None: unknown; 0: not renewable
    tacit_renewal: bool = False


@dataclass(frozen=True, slots=True)
class Document:
    """A document attached to an agreement or project (title, file name, size)."""

    title: str
    file: str | None = None
    size_kb: Decimal | None = None
    lang: str | None = None


@dataclass(slots=True, kw_only=True)
class Lifetime(Record):
    """What partnerships, agreements and projects share: a title, dates, status, end."""

    title: Label | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    status: str | None = None  # code in the status scheme: ongoing, ended, planned, unknown
    end_reason: str | None = None  # code in the end-reason scheme
    reorganization: str | None = None  # key of the Reorganization an end is due to
    themes: list[str] = field(default_factory=list)  # theme codes
    domains: list[Label] = field(default_factory=list)  # free-text fields of cooperation
    description: Label | None = None
    documents: list[Document] = field(default_factory=list)
    legal_basis: list[Label] = field(default_factory=list)  # laws the source cites for it
    # after a reorganisation: True/False when a source says whether a successor took it
    # over, None when the sources are silent (docs/time.md section 3)
    taken_over: bool | None = None
    taken_over_by: str | None = None  # key of the successor that took it over


@dataclass(slots=True, kw_only=True)
class Partnership(Lifetime):
    """The lasting relation between parties that agreements, projects and fundings belong to."""

    parties: list[str] = field(default_factory=list)  # actor keys
    form: str | None = None  # code in the agreement-kind scheme, or None
    term: Term | None = None  # e.g. triennial partnership


@dataclass(slots=True, kw_only=True)
class Agreement(Lifetime):
    """A signed instrument: protocol, convention, twinning, programme protocol..."""

    kind: str | None = None  # code in the agreement-kind scheme
    parties: list[Party] = field(default_factory=list)
    partnership: str | None = None
    signed: PartialDate | None = None
    term: Term | None = None
    programme: str | None = None  # key of a Programme it belongs to
    framework: str | None = None  # key of the agreement it implements (programme protocol -> framework)


@dataclass(slots=True, kw_only=True)
class AgreementChange(Record):
    """A dated event on an agreement: a renewal or an amendment."""

    kind: Literal["renewal", "amendment"]
    agreement: str
    date: PartialDate | None = None
    themes: list[str] = field(default_factory=list)
    domains: list[Label] = field(default_factory=list)
    description: Label | None = None


@dataclass(slots=True, kw_only=True)
class Project(Lifetime):
    """A concrete action under a partnership (a children's home, an antenna, visits)."""

    partnership: str | None = None
    agreement: str | None = None
    participants: list[str] = field(default_factory=list)  # actor keys
    programme: str | None = None
    location: str | None = None  # free text place ("Lugoj", "Recaș")
    outcome: Label | None = None


@dataclass(slots=True, kw_only=True)
class Funding(Record):
    """A funding line: funder, amount, currency, year and what it funds."""

    funder: str | None  # actor key; None only for the atlas' anonymous "Autre" line
    amount: Decimal
    currency: str  # ISO 4217
    year: PartialDate | None = None
    funds: str  # key of a partnership, agreement, project or programme
    water_amount: Decimal | None = None  # the atlas' "1 % Eau (loi Oudin)" share
    funder_label: Label | None = None  # the name as the source wrote it


@dataclass(frozen=True, slots=True)
class UnitChange:
    """What a reorganisation did to one unit: abolished, merged, split or renamed."""

    unit: str
    change: Literal["abolished", "merged", "split", "renamed", "created"]
    successors: tuple[str, ...] = ()


@dataclass(slots=True, kw_only=True)
class Reorganization(Record):
    """An administrative reorganisation (the 2016 French regional reform)."""

    title: Label
    date: PartialDate
    country: str | None = None
    legal_basis: str | None = None
    changes: list[UnitChange] = field(default_factory=list)
    description: Label | None = None


@dataclass(slots=True, kw_only=True)
class Programme(Record):
    """A programme agreements and projects run under (ECOS-Ouverture, EU Twinning)."""

    name: Label
    alt_names: list[Label] = field(default_factory=list)
    operator: str | None = None  # actor key
    themes: list[str] = field(default_factory=list)
    start: PartialDate | None = None
    end: PartialDate | None = None
    description: Label | None = None


@dataclass(slots=True, kw_only=True)
class Theme(Record):
    """A theme concept added by data (the shipped scheme holds the usual ones)."""

    labels: list[Label]
    broader: str | None = None


@dataclass(slots=True, kw_only=True)
class Relation(Record):
    """A lasting link between two actors: support, collaboration, membership."""

    subject: str
    kind: Literal["supported-by", "collaborates-with", "member-of", "governs"]
    object: str


@dataclass(slots=True, kw_only=True)
class Membership(Record):
    """A dated membership of an organisation, or a dated territorial part-of (docs/time.md).

    ``relation`` "member": an agent's membership (W3C ORG ``org:Membership``, a county of a
    development region); "part-of": a unit lying in a larger one (a commune in its county).
    ``start``/``end`` at the source's precision, None when the sources do not say;
    ``attested``: days on which a source shows it in force (a signature on its behalf).
    """

    member: str  # actor key
    organization: str  # actor key: the organisation, or the larger unit
    relation: Literal["member", "part-of"] = "member"
    start: PartialDate | None = None
    end: PartialDate | None = None
    attested: list[PartialDate] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class SourceDocument(Record):
    """What is known of a source document itself: its own date (a page's "22 juin 2012").

    The key is the document's name as records cite it ("003_a2b13ec7f20f0d04.txt"). The
    date bounds what a status read from the document can say (docs/time.md section 2).
    """

    date: PartialDate | None = None
    title: str | None = None


@dataclass(slots=True, kw_only=True)
class Contact(Record):
    """A person to contact. Personal data: left out of the graph unless asked for."""

    name: str
    organisation: str | None = None  # actor key
    role: str | None = None
    email: str | None = None


AnyRecord = (
    Collectivity
    | Institution
    | Partnership
    | Agreement
    | AgreementChange
    | Project
    | Funding
    | Reorganization
    | Programme
    | Theme
    | Relation
    | Membership
    | Contact
    | SourceDocument
)


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in a source, returned next to the records instead of raised.

    Readers never print or exit: they give problems back so the CLI decides how loud
    to be (``--strict``) and the good records are never lost.
    """

    file: str
    line: int | None
    field: str | None
    message: str
    severity: Literal["error", "warning"] = "error"
    record: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f" [{self.field}]" if self.field else ""
        rec = f" (record {self.record})" if self.record else ""
        return f"{where}{what}{rec}: {self.severity}: {self.message}"


@dataclass(slots=True)
class Reconciliation:
    """How the names of one input were matched to collectivities (docs/identity.md, section 5)."""

    by_identifier: int = 0
    by_name: int = 0
    minted: int = 0
    ambiguous: list[tuple[str, str, str, tuple[str, ...]]] = field(default_factory=list)  # where, name, key, candidates
    without_country: list[tuple[str, str]] = field(default_factory=list)  # where, name
    one_way: list[tuple[str, str, str]] = field(default_factory=list)  # where, party, party
    reciprocal: int = 0  # rows that restated a pair already read (B->A after A->B, or a duplicate)
    seen: set[tuple[str, str]] = field(default_factory=set)  # (name, key) already counted

    def count(self, how: str, name: str, key: str) -> bool:
        """Count a name the first time it is met with this key; True when new."""
        if (name, key) in self.seen:
            return False
        self.seen.add((name, key))
        if how == "identifier":
            self.by_identifier += 1
        elif how == "name":
            self.by_name += 1
        elif how == "minted":
            self.minted += 1
        return True  # "ambiguous" ones are listed by the reader with their candidates


@dataclass(slots=True)
class ReadResult:
    """What a reader returns: records, problems, and the reader's name."""

    records: list[AnyRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    reader: str = ""
    source: str = ""
    skipped: int = 0  # rows or entries that gave no record
    reconciliation: Reconciliation | None = None  # readers that match names say how
    mapping: dict[str, object] | None = None  # the mapping a table reader inferred (--write-mapping)
