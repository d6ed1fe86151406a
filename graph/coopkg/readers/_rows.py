"""Rows of agreement tables -> records; shared by the registry and the mapped readers.

A row is a dict from a *role* (institution, partner, parties, kind, date, renewed, end,
status, end_reason, term, country, title, domains, themes, note) to the cell's text. The
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

from coopkg.normalise.countries import country_code, find_country
from coopkg.normalise.dates import DateError, find_dates, parse_date, parse_year_range
from coopkg.normalise.keys import agreement_key, change_key, partnership_key
from coopkg.normalise.names import UNKNOWN_KIND, Gazetteer, kind_hint, split_names
from coopkg.normalise.text import clean
from coopkg.records import (
    Agreement,
    AgreementChange,
    AnyRecord,
    Collectivity,
    Label,
    PartialDate,
    Partnership,
    Party,
    Problem,
    SourceRef,
    Term,
)
from coopkg.vocabularies import fold, schemes

ROLES = ("institution", "partner", "parties", "kind", "date", "renewed", "end", "status", "end_reason", "term",
         "country", "title", "domains", "themes", "note")

_ON_BEHALF = re.compile(
    r"\s+(?:prin|în numele|in numele|through|via|on behalf of|par l'intermédiaire d[eu']s?|par l’intermédiaire d[eu']s?|"
    r"pour le compte d[eu']s?|au nom d[eu']s?)\s+",
    re.I,
)
_RENEWED = re.compile(r"\b(reinnoit\w*|reinnoire\w*|prelungit\w*|renouvel\w*|reconduit\w*|renewed|renewal|extended|prolong\w*)\b")
_AMENDED = re.compile(r"\b(amendat\w*|modificat\w*|modifie\w*|avenant\w*|amended|amendment\w*)\b")
_TERM = re.compile(r"(\d{1,2})((?:\s*\+\s*\d{1,2})*)\s*(?:de\s+)?(?:ani|an|ans|annees|years?|yrs?)\b")
_TACIT = re.compile(r"\b(tacit\w*|reconduction tacite|automatic renewal)\b")


@dataclass
class RowContext:
    """What a reader knows about the rows it hands over."""

    file: str  # how problems name the file (the path as given)
    gazetteer: Gazetteer
    document: str | None = None  # how provenance names it (default: ``file``)
    language: str = "en"
    home_country: str | None = None
    partner_country: str | None = None
    record: str = "agreement"  # or "partnership"
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # role -> folded word -> code
    defaults: dict[str, str] = field(default_factory=dict)
    date_formats: list[str] = field(default_factory=list)
    party_separator: str = "/"
    new_actors: dict[str, Collectivity] = field(default_factory=dict)
    keys: dict[str, int] = field(default_factory=dict)


@dataclass
class RowResult:
    records: list[AnyRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: bool = False


class _Row:
    def __init__(self, ctx: RowContext, cells: dict[str, str], line: int) -> None:
        self.ctx = ctx
        self.cells = {k: clean(v) for k, v in cells.items() if v is not None}
        self.line = line
        self.out = RowResult()
        self.source = SourceRef(ctx.document or ctx.file, line)

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
    def actor(self, name: str, country: str | None, role: str) -> str | None:
        name = name.strip(" ,;.:-–")
        if not name:
            return None
        key = self.ctx.gazetteer.resolve(name, country)
        if key:
            return key
        key = self.ctx.gazetteer.mint(name, country)
        if key not in self.ctx.new_actors:
            actor = Collectivity(key=key, name=Label(name, self.ctx.language), country=country,
                                 kind=kind_hint(name) or "other", sources=[self.source],
                                 note=None if kind_hint(name) else UNKNOWN_KIND, note_lang=None if kind_hint(name) else "en")
            self.ctx.new_actors[key] = actor
            self.ctx.gazetteer.add(actor)
            self.out.records.append(actor)
            self.problem(role, f"unknown collectivity {name!r}: new key {key!r} (add it to the gazetteer "
                         "with its alternative names to link it to known data)", "warning")
        return key

    def party(self, text: str, country: str | None, role: str) -> Party | None:
        head, *rest = _ON_BEHALF.split(text, maxsplit=1)
        actor = self.actor(head, country, role)
        if actor is None:
            return None
        members = [m for m in (self.actor(n, country, role) for n in split_names(rest[0])) if m] if rest else []
        return Party(actor, tuple(members))

    def parties(self) -> list[Party]:
        partner_country = country_code(self.get("country")) if self.get("country") else self.ctx.partner_country
        if self.get("country") and partner_country is None:
            self.problem("country", f"unknown country {self.get('country')!r}")
        texts: list[tuple[str, str | None, str]] = []
        if self.get("parties"):
            sep = self.ctx.party_separator
            names = [n for n in (p.strip() for p in self.get("parties").split(sep)) if n]
            texts += [(names[0], self.ctx.home_country, "parties")] if names else []
            texts += [(n, partner_country, "parties") for n in names[1:]]
        if self.get("institution"):
            texts.append((self.get("institution"), self.ctx.home_country, "institution"))
        if self.get("partner"):
            texts.append((self.get("partner"), partner_country, "partner"))
        parties = [p for p in (self.party(t, c, r) for t, c, r in texts) if p]
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
                             f"row skipped: needs two parties, found {len(parties)} (empty: {where})")
            self.out.skipped = True
            return self.out
        kind_text = self.get("kind")
        kind = self.code("kind", "agreement-kind", kind_text)
        if kind_text and kind is None:
            self.problem("kind", f"unknown kind of relation {kind_text!r} (add it to the mapping's values: kind:)")
        status_text = self.get("status")
        status = self.code("status", "status", status_text)
        if status_text and status is None:
            self.problem("status", f"unknown status {status_text!r} (add it to the mapping's values: status:)")
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
        term = self.term(self.get("term"), status_text)
        title = Label(self.get("title"), self.ctx.language) if self.get("title") else None
        domains = [Label(d, self.ctx.language) for d in split_domains(self.get("domains"))]
        themes = [t for t in (self.code("themes", "theme", x, search=False) for x in split_domains(self.get("themes"))) if t]
        if self.ctx.record == "partnership":
            return self.partnership(parties, title, signed, end, status, end_reason, reorganization, term, kind,
                                    themes, domains)
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
                    term: Term | None, form: str | None, themes: list[str], domains: list[Label]) -> RowResult:
        if start is None and self.get("date") and (years := parse_year_range(self.get("date"))):
            start, end = years
        actors = [p.actor for p in parties]
        key = self.unique(partnership_key(actors, title.text if title else (start.isoformat() if start else None)))
        self.out.records.append(Partnership(
            key=key, parties=actors, title=title, start=start, end=end, status=status, end_reason=end_reason,
            reorganization=reorganization, term=term, form=form, themes=themes, domains=domains,
            sources=[self.source],
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
