"""Rows of agreement tables -> records; shared by the registry and the mapped readers.

A row is a dict from a *role* (institution, partner, parties, kind, date, renewed, end,
status, end_reason, term, country, title, domains, themes, note, and per party its
country and identifiers: institution_country, partner_wikidata, ...) to the cell's text. The
interpretation — names through the gazetteer, dates in fr/ro/en, words to vocabulary codes,
"(3+3 ani)" to a term, "reînnoit la ..." to a renewal — is the same whichever reader found
the row, so a table read as a registry and the same table read through a mapping give the
same records, with the same keys.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from coopkg.geo import distance_km
from coopkg.normalise.coordinates import CoordinateError, check, degrees
from coopkg.normalise.countries import country_code, find_country, is_former_state, split_stated_country
from coopkg.normalise.dates import DateError, compare, find_dates, parse_date, parse_year_range
from coopkg.normalise.keys import agreement_key, change_key, partnership_key
from coopkg.normalise.names import UNKNOWN_KIND, Gazetteer, Match, kind_hint, split_names
from coopkg.normalise.text import NotText, clean, read_text
from coopkg.records import (
    Actor,
    Agreement,
    AgreementChange,
    AnyRecord,
    Claim,
    Collectivity,
    Label,
    PartialDate,
    Partnership,
    Party,
    Point,
    Problem,
    ReadResult,
    Reconciliation,
    SourceRef,
    Term,
)
from coopkg.vocabularies import fold, schemes

# A reference mark copied with a Wikipedia table ("Lyon[1]", "1960[a]", "[note 2]", "[citation needed]"):
# not part of the cell ("Lyon[1]" read as "Lyon 1" is Lyon's 1st arrondissement).
_FOOTNOTE = re.compile(r"\s*\[(?:\d{1,3}|[a-z]|(?:note|nota|nb|n|ref|fn|anm\.?)\s*\d{1,3}|citation needed|when|who|which)\]",
                       re.IGNORECASE)


def drop_footnotes(text: str) -> str:
    """A cell's text without the reference marks a copied Wikipedia page leaves in it."""
    return _FOOTNOTE.sub("", text)


# Identifier columns a party may have: <party>_<field> (institution_wikidata, partner_geonames...).
ID_ROLES = {"wikidata": "wikidata", "iso_code": "iso3166-2", "insee": "insee", "siruta": "siruta", "nuts": "nuts",
            "lau": "lau", "geonames": "geonames"}
# Coordinate columns a party may have: <party>_latitude, <party>_longitude (WGS 84 degrees).
POINT_ROLES = ("latitude", "longitude")
ROLES = ("institution", "partner", "parties", "kind", "date", "renewed", "end", "status", "end_reason", "term",
         "country", "title", "domains", "themes", "note", "institution_country", "partner_country",
         *(f"{party}_{field}" for party in ("institution", "partner") for field in (*ID_ROLES, *POINT_ROLES)))
# The generic values an unknown word falls back to (with a warning): the graph still builds.
GENERIC = {"kind": "cooperation-agreement", "status": "unknown"}
_QID = re.compile(r"(?:^|/|wd:)(Q[1-9]\d*)$")

_ON_BEHALF = re.compile(
    r"\s+(?:prin|în numele|in numele|through|via|on behalf of|par l'intermédiaire d[eu']s?|par l’intermédiaire d[eu']s?|"
    r"pour le compte d[eu']s?|au nom d[eu']s?)\s+",
    re.I,
)
_RENEWED = re.compile(r"\b(reinnoit\w*|reinnoire\w*|prelungit\w*|renouvel\w*|reconduit\w*|renewed|renewal|extended|prolong\w*)\b")
_AMENDED = re.compile(r"\b(amendat\w*|modificat\w*|modifie\w*|avenant\w*|amended|amendment\w*)\b")
_TERM = re.compile(r"(\d{1,2})((?:\s*\+\s*\d{1,2})*)\s*(?:de\s+)?(?:ani|an|ans|annees|years?|yrs?)\b")
# A sheet's point for a place the gazetteer already places: within this distance it is the
# same place (a county drawn at its seat or at its centre); farther, the sheet is warned.
SAME_PLACE_KM = 50.0
_TACIT = re.compile(r"\b(tacit\w*|reconduction tacite|automatic renewal)\b")


@dataclass
class RowContext:
    """What a reader knows about the rows it hands over."""

    file: str  # how problems name the file (the path as given)
    gazetteer: Gazetteer
    document: str | None = None  # how provenance names it (default: ``file``)
    language: str = "en"
    home_country: str | None = None
    home_guessed: bool = False  # home_country guessed from the language, not stated: a preference only
    partner_country: str | None = None
    record: str = "agreement"  # or "partnership"
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # role -> folded word -> code
    defaults: dict[str, str] = field(default_factory=dict)
    date_formats: list[str] = field(default_factory=list)
    party_separator: str = "/"
    new_actors: dict[str, Collectivity] = field(default_factory=dict)
    keys: dict[str, int] = field(default_factory=dict)
    prefer: str | None = None  # the level party columns speak of ("city" in a twinning table)
    form: str | None = None  # a partnership's form when the row does not say (twinning)
    # one way a pair is what the rows are (a national list article: the other direction is in the
    # partner country's article), not a sign of rows lost: counted, never warned about
    one_way_expected: bool = False
    reconciliation: Reconciliation = field(default_factory=Reconciliation)
    # partnership rows by their parties (and form, start): A->B and B->A are one partnership
    pairs: dict[tuple[frozenset[str], str | None], list[tuple[Partnership, set[tuple[str, str]], list[int]]]] \
        = field(default_factory=dict)
    described: set[str] = field(default_factory=set)  # keys given identifiers by a row already
    points: dict[str, Point] = field(default_factory=dict)  # points this file gave to known places


@dataclass
class RowResult:
    records: list[AnyRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: bool = False


class _Row:
    def __init__(self, ctx: RowContext, cells: dict[str, str], line: int) -> None:
        self.ctx = ctx
        self.cells = {k: _FOOTNOTE.sub("", clean(v)).strip() for k, v in cells.items() if v is not None}
        self.line = line
        self.out = RowResult()
        self.source = SourceRef(ctx.document or ctx.file, line)
        self.named = 0  # party cells the row fills

    def problem(self, field_name: str | None, message: str, severity: str = "error") -> None:
        self.out.problems.append(Problem(self.ctx.file, self.line, field_name, message, severity))  # type: ignore[arg-type]

    def get(self, role: str) -> str:
        return self.cells.get(role, "").strip() or self.ctx.defaults.get(role, "")

    # -- values -------------------------------------------------------------------------
    def code(self, role: str, scheme: str, text: str, search: bool = True) -> str | None:
        if not text:
            return None
        local = self.ctx.values.get(role, {})
        folded = fold(text)
        if folded in local:
            return local[folded]
        for word, code in sorted(local.items(), key=lambda kv: -len(kv[0])):
            if f" {word} " in f" {folded} ":
                return code
        found = schemes()[scheme].lookup(text)
        if found is None and search:
            found = schemes()[scheme].find_in(text)
        return found

    def date(self, role: str, text: str) -> PartialDate | None:
        if not text:
            return None
        if (found := _strptime(text, self.ctx.date_formats)) is not None:
            return found
        try:
            return parse_date(text)
        except DateError as err:
            self.problem(role, f"unparseable date {text!r}: {err}")
            return None

    def dates(self, role: str, text: str) -> list[PartialDate]:
        """All dates of a cell ("22.11.1997 reînnoit la 19.11.2004"); a problem when none reads."""
        if not text:
            return []
        first = self.date_quiet(text)
        if first is not None:
            return [first]
        found = find_dates(text)
        if not found:
            self.date(role, text)  # reports the reason
        return found

    def date_quiet(self, text: str) -> PartialDate | None:
        if (found := _strptime(text, self.ctx.date_formats)) is not None:
            return found
        try:
            return parse_date(text)
        except DateError:
            return None

    # -- parties --------------------------------------------------------------------------
    def ids(self, side: str) -> dict[str, str]:
        """The identifiers a row gives for a party (``partner_wikidata``...), by scheme."""
        out: dict[str, str] = {}
        for field_name, scheme in ID_ROLES.items():
            value = self.get(f"{side}_{field_name}")
            if not value:
                continue
            if field_name == "wikidata":
                m = _QID.search(value.strip())
                if m is None:
                    self.problem(f"{side}_{field_name}", f"{value!r} is not a Wikidata item (Q123): ignored")
                    continue
                value = m.group(1)
            elif field_name == "iso_code":
                value = value.upper()
            out[scheme] = value
        return out

    def point(self, side: str, country: str | None) -> Point | None:
        """The party's point from its latitude and longitude cells; None (with a problem) when they cannot be right."""
        texts = {axis: self.get(f"{side}_{axis}") for axis in POINT_ROLES}
        if not any(texts.values()):
            return None
        missing = [axis for axis, text in texts.items() if not text]
        if missing:
            given = next(axis for axis in POINT_ROLES if axis not in missing)
            self.problem(f"{side}_{missing[0]}", f"a {given} without a {missing[0]}: the point is not used")
            return None
        values: dict[str, float] = {}
        for axis, text in texts.items():
            try:
                values[axis] = degrees(text, axis)
            except CoordinateError as err:
                self.problem(f"{side}_{axis}", f"{err}: the point is not used")
                return None
        checked = check(values["latitude"], values["longitude"], country)
        if checked.error:
            self.problem(f"{side}_latitude", checked.error)
            return None
        if checked.warning:
            self.problem(f"{side}_latitude", checked.warning, "warning")
        assert checked.latitude is not None and checked.longitude is not None
        return Point(checked.latitude, checked.longitude, str(self.source))

    def place(self, actor: Actor, point: Point, role: str) -> None:
        """Give a point to an actor this file met, or say how it differs from the one it has."""
        if actor.point is None:
            actor.point = point
        else:
            self.differs(actor.key, actor.point, point, role)

    def differs(self, key: str, placed: Point, point: Point, role: str) -> None:
        """A warning when a row's point is farther than SAME_PLACE_KM from the one the place has."""
        away = distance_km((placed.latitude, placed.longitude), (point.latitude, point.longitude))
        if away > SAME_PLACE_KM:
            self.problem(role, f"{key!r} is placed {away:,.0f} km from the point it already has "
                         f"({placed.source or 'its record'}): the first point is kept", "warning")

    def actor(self, name: str, country: str | None, role: str, ids: dict[str, str] | None = None,
              guessed: bool = False, point: Point | None = None) -> str | None:
        name = name.strip(" ,;.:-–")
        if not name and ids and ids.get("wikidata"):
            name = ids["wikidata"]  # a QID with no label: its QID says who it is
        if not name:
            return None
        loose = self.ctx.gazetteer.resolve(name, country, strict=False) if guessed and not ids else None
        found = Match(loose, "name") if loose else self.ctx.gazetteer.match(name, country, ids, self.ctx.prefer)
        key = found.key
        where = f"{self.ctx.file}:{self.line}"
        first = self.ctx.reconciliation.count(found.how, fold(name), key)
        if found.how == "ambiguous" and first:
            self.ctx.reconciliation.ambiguous.append((where, name, key, found.candidates))
            self.problem(role, f"{name!r} is ambiguous in {country}: new key {key!r}; candidates: "
                         + "; ".join(found.candidates) + " (give an identifier column or a gazetteer entry)", "warning")
        point_role = f"{role}_latitude"
        if found.actor is not None and key not in self.ctx.gazetteer.actors:
            actor = found.actor
            actor.sources.append(self.source)
            for field_name, scheme in ID_ROLES.items():  # the row's QID is identity: the first row keeps it too
                if ids and scheme in ids and getattr(actor, field_name, None) is None:
                    setattr(actor, field_name, ids[scheme])
            if point is not None:  # GeoNames' point of the matched place stays; far from it is a warning
                self.place(actor, point, point_role)
            self.ctx.gazetteer.add(actor)
            self.ctx.new_actors[key] = actor
            self.out.records.append(actor)
        elif found.how in ("minted", "ambiguous") and key not in self.ctx.new_actors and key not in self.ctx.gazetteer.actors:
            hint = kind_hint(name)
            fields_ = {f: ids[s] for f, s in ID_ROLES.items() if ids and s in ids}
            actor = Collectivity(key=key, name=Label(name, self.ctx.language), country=country,
                                 kind=hint or "other", sources=[self.source], point=point,
                                 note=None if hint else UNKNOWN_KIND, note_lang=None if hint else "en", **fields_)
            self.ctx.new_actors[key] = actor
            self.ctx.gazetteer.add(actor)
            self.out.records.append(actor)
            if found.how == "minted":
                self.problem(role, f"unknown collectivity {name!r}: new key {key!r} (add it to the gazetteer "
                             "with its alternative names to link it to known data)", "warning")
            if not country:
                self.ctx.reconciliation.without_country.append((where, name))
                self.problem(role, f"no country is stated for {name!r}: loaded without a country "
                             "(give a country column or a default country)", "warning")
        elif point is not None and key in self.ctx.new_actors:  # met on an earlier row of this file
            self.place(self.ctx.new_actors[key], point, point_role)
        elif key in self.ctx.gazetteer.actors and (ids or point is not None):
            known = self.ctx.gazetteer.actors[key]
            placed = known.point or self.ctx.points.get(key)
            if point is not None and placed is not None:  # every row's point is compared
                self.differs(key, placed, point, point_role)
            if key not in self.ctx.described:
                self._describe(known, name, ids or {}, point if placed is None else None)
        return key

    def _describe(self, known: Actor, name: str, ids: dict[str, str], point: Point | None = None) -> None:
        """A row gives identifiers or a point for a known place: a record with them merges into it (merge.py).

        A point is given only to a place that has none: the gazetteer's curated point stays
        (a sheet's point far from it is a warning, ``differs``)."""
        missing: dict[str, object] = {f: ids[s] for f, s in ID_ROLES.items()
                                      if s in ids and getattr(known, f, None) is None}
        if point is not None:
            missing["point"] = point
            self.ctx.points[known.key] = point
        self.ctx.described.add(known.key)
        if not missing or not isinstance(known, Collectivity):
            return
        self.out.records.append(Collectivity(key=known.key, name=Label(name, self.ctx.language), country=known.country,
                                             kind=known.kind, sources=[self.source], **missing))  # type: ignore[arg-type]

    def party(self, text: str, country: str | None, role: str, ids: dict[str, str] | None = None,
              guessed: bool = False) -> Party | None:
        head, *rest = _ON_BEHALF.split(text, maxsplit=1)
        # the point is the named party's, not its members' ("X through Y": X's)
        point = self.point(role, country) if role in ("institution", "partner") else None
        actor = self.actor(head, country, role, ids, guessed, point)
        if actor is None:
            return None
        members = [m for m in (self.actor(n, country, role, guessed=guessed) for n in split_names(rest[0])) if m] \
            if rest else []
        return Party(actor, tuple(members))

    def country(self, role: str, default: str | None) -> str | None:
        text = self.get(role)
        if not text:
            return default
        code = self.ctx.values.get("country", {}).get(fold(text)) or country_code(text)
        words = text.split()
        if code is None and len(words) % 2 == 0 and words[:len(words) // 2] == words[len(words) // 2:]:
            # "Frankreich Frankreich": a Wikipedia table copied with its flag's alternative text
            code = country_code(" ".join(words[:len(words) // 2]))
        if code is None and is_former_state(text):
            self.problem(role, f"{text!r} is a former state whose towns are in several countries today: the "
                         "party is read without a country (write the country of today)", "warning")
        elif code is None:
            self.problem(role, f"unknown country {text!r}: the party is read without it "
                         "(add it to the mapping's values: country:)", "warning")
        return code

    def stated(self, name: str, country: str | None, guessed: bool) -> tuple[str, str | None]:
        """A name cell that states its country ("Heidelberg, Germany"): the name, and that country when
        no column does (or it is the same one); a cell naming another country than its column is kept whole."""
        bare, code = split_stated_country(name)
        if code is None or (country is not None and code != country and not guessed):
            return name, country
        return bare, code

    def parties(self) -> list[Party]:
        partner_country = self.country("partner_country", None) if self.get("partner_country") else \
            self.country("country", self.ctx.partner_country)
        home_country = self.country("institution_country", self.ctx.home_country)
        guessed = self.ctx.home_guessed and not self.get("institution_country")
        texts: list[tuple[str, str | None, str, dict[str, str], bool]] = []  # name, country, role, ids, home side
        if self.get("parties"):
            sep = self.ctx.party_separator
            names = [n for n in (p.strip() for p in self.get("parties").split(sep)) if n]
            texts += [(names[0], home_country, "parties", {}, True)] if names else []
            texts += [(n, partner_country, "parties", {}, False) for n in names[1:]]
        if self.get("institution") or self.get("institution_wikidata"):
            name, country = self.stated(self.get("institution"), home_country, guessed)
            texts.append((name, country, "institution", self.ids("institution"), True))
            guessed = guessed and country == home_country
        if self.get("partner") or self.get("partner_wikidata"):
            name, country = self.stated(self.get("partner"), partner_country, False)
            texts.append((name, country, "partner", self.ids("partner"), False))
        self.named = len(texts)
        if len(texts) < 2:  # a notes or total line under the table: refused before any name is resolved or minted
            return []
        parties = [p for p in (self.party(t, c, r, i, guessed and home) for t, c, r, i, home in texts) if p]
        return parties

    # -- the row ---------------------------------------------------------------------------
    def term(self, *texts: str) -> Term | None:
        for text in texts:
            plain = _plain(text)
            if m := _TERM.search(plain):
                return Term(int(m.group(1)), m.group(2).count("+") or None, bool(_TACIT.search(plain)))
            if _TACIT.search(plain):
                return Term(tacit_renewal=True)
        return None

    def build(self) -> RowResult:
        parties = self.parties()
        missing = [r for r in ("institution", "partner") if r in self.cells and not self.get(r)]
        if len(parties) < 2:
            if self.get("parties"):
                self.problem("parties", f"row skipped: expected two parties separated by "
                             f"{self.ctx.party_separator!r} in {self.get('parties')!r}")
            else:
                where = ", ".join(missing) or "institution/partner"
                self.problem(missing[0] if missing else "parties",
                             f"row skipped: needs two parties, found {max(len(parties), self.named)} (empty: {where})")
            self.out.skipped = True
            return self.out
        if len({p.actor for p in parties}) < len(parties):
            same = next(p.actor for p in parties if [q.actor for q in parties].count(p.actor) > 1)
            self.problem("partner", f"row skipped: both parties are {same!r} (a collectivity is not its own partner; "
                         "if these are namesakes, give each its country or identifier)")
            self.out.skipped = True
            return self.out
        kind_text = self.get("kind")
        kind = self.code("kind", "agreement-kind", kind_text)
        if kind_text and kind is None:
            kind = self.ctx.form if self.ctx.record == "partnership" and self.ctx.form else GENERIC["kind"]
            self.problem("kind", f"unknown kind of relation {kind_text!r}: read as {kind!r} "
                         "(add it to the mapping's values: kind:)", "warning")
        status_text = self.get("status")
        status = self.code("status", "status", status_text)
        if status_text and status is None:
            status = GENERIC["status"]
            self.problem("status", f"unknown status {status_text!r}: read as {status!r} "
                         "(add it to the mapping's values: status:)", "warning")
        reason_text = self.get("end_reason") or status_text
        end_reason = self.code("end_reason", "end-reason", reason_text) if reason_text else None
        if self.get("end_reason") and end_reason is None:
            self.problem("end_reason", f"unknown end reason {self.get('end_reason')!r}")
        if end_reason and status is None:
            status = "ended"
        reorganization = None
        if end_reason == "administrative-reorganisation":
            partner_country = next((self.ctx.gazetteer.actors[p.actor].country for p in parties[1:]
                                    if p.actor in self.ctx.gazetteer.actors), None)
            country = find_country(reason_text) or partner_country
            reorganization = self.ctx.gazetteer.reorganization_for(country)
        date_text = self.get("date")
        dates = self.dates("date", date_text)
        signed = dates[0] if dates else None
        renewals: list[PartialDate] = []
        amendments: list[PartialDate] = []
        if len(dates) > 1:
            folded = fold(date_text)
            if _AMENDED.search(folded) and not _RENEWED.search(folded):
                amendments = dates[1:]
            else:  # "reînnoit la", "renouvelé le", or two dates without a word: a renewal
                renewals = dates[1:]
        if self.get("renewed"):
            renewals += self.dates("renewed", self.get("renewed"))
        end = self.date("end", self.get("end")) if self.get("end") else None
        if end is not None and signed is not None and compare(end, signed) == -1:
            # docs/time.md: an end before the start cannot both be right; the row loads without the end
            self.problem("end", f"end {end.isoformat()} is before the start {signed.isoformat()}: the end is not used")
            end = None
        term = self.term(self.get("term"), status_text)
        title = Label(self.get("title"), self.ctx.language) if self.get("title") else None
        domains = [Label(d, self.ctx.language) for d in split_domains(self.get("domains"))]
        themes = [t for t in (self.code("themes", "theme", x, search=False) for x in split_domains(self.get("themes"))) if t]
        if self.ctx.record == "partnership":
            return self.partnership(parties, title, signed, end, status, end_reason, reorganization, term,
                                    kind or self.ctx.form, themes, domains, renewals, amendments)
        if title is None:
            names = " – ".join(self.ctx.gazetteer.actors[p.actor].name.text if p.actor in self.ctx.gazetteer.actors
                               else p.actor for p in parties)
            title = Label(f"{kind_text or 'Agreement'}: {names}", self.ctx.language)
        key = self.unique(agreement_key([p.actor for p in parties], signed, kind))
        self.out.records.append(Agreement(
            key=key, kind=kind, parties=parties, signed=signed, end=end, status=status, end_reason=end_reason,
            reorganization=reorganization, term=term, title=title, themes=themes, domains=domains,
            sources=[self.source], note=self.get("note") or None,
            note_lang=self.ctx.language if self.get("note") else None,
        ))
        for change_kind, when_list in (("renewal", renewals), ("amendment", amendments)):
            for n, when in enumerate(when_list, start=1):
                self.out.records.append(AgreementChange(
                    key=change_key(key, change_kind, when, n), kind=change_kind,  # type: ignore[arg-type]
                    agreement=key, date=when, sources=[self.source],
                ))
        return self.out

    def partnership(self, parties: list[Party], title: Label | None, start: PartialDate | None,
                    end: PartialDate | None, status: str | None, end_reason: str | None, reorganization: str | None,
                    term: Term | None, form: str | None, themes: list[str], domains: list[Label],
                    renewals: list[PartialDate], amendments: list[PartialDate]) -> RowResult:
        if start is None and self.get("date") and (years := parse_year_range(self.get("date"))):
            start, end = years
        actors = [p.actor for p in parties]
        note = self.get("note") or None
        ident = (frozenset(actors), form)
        direction = (actors[0], actors[-1])
        # the same parties and form are one partnership unless both rows date it differently
        known = next((entry for entry in self.ctx.pairs.get(ident, [])
                      if start is None or entry[0].start is None or entry[0].start == start), None)
        # B -> A dated otherwise than A -> B: each town's list gives its own year; one partnership
        # (docs/identity.md, section 4), the other year a claim, as the Wikidata import does
        reverse = None if known is not None else next(
            (entry for entry in self.ctx.pairs.get(ident, []) if direction not in entry[1]), None)
        if reverse is not None and start is not None and reverse[0].start is not None:
            first = reverse[0]
            claim = Claim("start", start, self.source)
            if claim not in first.claims:
                first.claims.append(claim)
                self.problem("date", f"conflict on Partnership {first.key!r}: {self.source} says {start}, "
                             f"{first.sources[0]} says {first.start}; both kept", "warning")
            known = reverse
            start = first.start
        if known is not None:  # B -> A after A -> B, or the same row again: one partnership
            partnership, directions, lines = known
            if partnership.start is None and start is not None:
                partnership.start = start
            self.ctx.reconciliation.reciprocal += 1
            directions.add(direction)
            lines.append(self.line)
            if self.source not in partnership.sources:
                partnership.sources.append(self.source)
            for name, value in (("end", end), ("status", status), ("end_reason", end_reason), ("term", term),
                                ("title", title), ("note", note)):
                if getattr(partnership, name) is None and value is not None:
                    setattr(partnership, name, value)
            if note and partnership.note_lang is None:
                partnership.note_lang = self.ctx.language
            return self.out
        suffix = title.text if title else (start.isoformat() if start else form)
        key = self.unique(partnership_key(actors, suffix))
        partnership = Partnership(
            key=key, parties=actors, title=title, start=start, end=end, status=status, end_reason=end_reason,
            reorganization=reorganization, term=term, form=form, themes=themes, domains=domains,
            sources=[self.source], note=note, note_lang=self.ctx.language if note else None,
        )
        self.ctx.pairs.setdefault(ident, []).append((partnership, {direction}, [self.line]))
        self.out.records.append(partnership)
        if renewals or amendments:
            # "12/05/1973 renouvelé le 3 mars 2003": the signed agreement of the partnership and its renewal
            agreement = agreement_key(actors, start, form)  # an agreement key: partnerships' keys are apart
            self.out.records.append(Agreement(
                key=agreement, kind=form or GENERIC["kind"], parties=parties, signed=start, partnership=key,
                title=Label(f"{title.text if title else form or 'Agreement'} ({start or 'undated'})", self.ctx.language),
                sources=[self.source],
            ))
            for change_kind, when_list in (("renewal", renewals), ("amendment", amendments)):
                for n, when in enumerate(when_list, start=1):
                    self.out.records.append(AgreementChange(
                        key=change_key(agreement, change_kind, when, n), kind=change_kind,  # type: ignore[arg-type]
                        agreement=agreement, date=when, sources=[self.source],
                    ))
        return self.out

    def unique(self, key: str) -> str:
        """Two rows for the same parties and date in one file: the second gets -2."""
        n = self.ctx.keys.get(key, 0) + 1
        self.ctx.keys[key] = n
        return key if n == 1 else f"{key}-{n}"


def _strptime(text: str, formats: list[str]) -> PartialDate | None:
    """A date in one of the mapping's strptime formats, at the precision the format has."""
    for fmt in formats:
        try:
            parsed = datetime.strptime(text, fmt)  # noqa: DTZ007 - a calendar date, no time zone
        except ValueError:
            continue
        if "%d" in fmt:
            return PartialDate(parsed.year, parsed.month, parsed.day)
        if any(code in fmt for code in ("%m", "%b", "%B")):
            return PartialDate(parsed.year, parsed.month)
        return PartialDate(parsed.year)
    return None


def _plain(text: str) -> str:
    """Lower case without diacritics, punctuation kept ("(3+3 ani)" stays readable)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def split_domains(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\s*[;|]\s*", text) if p.strip()] if text else []


def interpret(ctx: RowContext, cells: dict[str, str], line: int) -> RowResult:
    """One row -> records (agreement or partnership, changes, newly met collectivities) and problems."""
    return _Row(ctx, cells, line).build()


def source_text(path: Path, result: ReadResult) -> str | None:
    """The source file's text; None when it cannot be read, said on ``result`` (the whole file,
    no line), as every table reader reports it."""
    try:
        return read_text(path)
    except NotText as err:
        result.problems.append(Problem(result.source, None, None, f"cannot read: {err}"))
        return None


def finish(ctx: RowContext) -> list[Problem]:
    """After the last row: the pairs stated in one direction only, when others are stated in both.

    Every one-way pair is counted (reconcile.txt lists them with their rows). A table
    that lists each pair once says nothing more; one that lists most pairs in both
    directions and some in one may have lost rows: each one-way pair is a warning. Rows
    one way by nature (``ctx.one_way_expected``: a national list article) are never warned about.
    """
    pairs = [entry for entries in ctx.pairs.values() for entry in entries]
    both = [p for p in pairs if len(p[1]) > 1]
    problems: list[Problem] = []
    one_way = [p for p in pairs if len(p[1]) == 1]
    for _partnership, directions, lines in one_way:
        a, b = next(iter(directions))
        ctx.reconciliation.one_way.append((f"{ctx.file}:{lines[0]}", a, b))
    if not both or not one_way or ctx.one_way_expected:
        return problems
    if len(both) < len(one_way):  # mostly stated once per pair: one line, the list is in reconcile.txt
        problems.append(Problem(ctx.file, None, None, f"{len(one_way)} pairs are stated in one direction only, "
                                f"{len(both)} in both (see reconcile.txt for the rows)", "warning"))
        return problems
    for partnership, directions, lines in one_way:
        a, b = next(iter(directions))
        problems.append(Problem(ctx.file, lines[0], "partner",
                                f"one-way pair: {a} -> {b} is stated, {b} -> {a} is not "
                                f"({len(both)} other pairs are stated both ways)", "warning", partnership.key))
    return problems
