"""French Atlas of decentralised cooperation: one project sheet (seed 001), as text or HTML.

The sheet is a run of label/value blocks ("Titre", "Année de première signature de la
convention", "Thématique d'intervention"...) and tables (foreign partners, French
collectivities, contacts, funding, documents). The reader gives one Partnership (title,
parties, first signature, start/end, status, three-level theme, form, term), the
Agreement a cooperation document stands for, the funding lines, and the contacts
(personal data: emitted only with ``coopkg build --include-contacts``). Collectivities
are resolved through the gazetteer; funders too, else kept by name (``funder_label``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from coopkg.iris import slugify
from coopkg.normalise.countries import country_code, split_trailing_country
from coopkg.normalise.dates import DateError, parse_date
from coopkg.normalise.headers import REGISTRY, assign, is_pair_table, pair_columns
from coopkg.normalise.keys import agreement_key
from coopkg.normalise.names import UNKNOWN_KIND, Gazetteer, kind_hint
from coopkg.normalise.text import NotText, read_text
from coopkg.readers.gazetteer import gazetteer
from coopkg.readers.htmltext import Line, html_lines, looks_like_html, text_lines
from coopkg.records import (
    Agreement,
    Collectivity,
    Contact,
    Document,
    Funding,
    Label,
    PartialDate,
    Partnership,
    Party,
    Problem,
    ReadResult,
    SourceRef,
    Term,
)
from coopkg.vocabularies import fold, schemes

NAME = "atlas"
LANG = "fr"

# Label of a value block -> field.
LABELS = {fold(k): v for k, v in {
    "Titre": "title",
    "Année de première signature de la convention": "signed",
    "Thématique d'intervention": "theme1",
    "Sous-thématique d'intervention": "theme2",
    "Sous-sous-thématique d'intervention": "theme3",
    "Année de début du partenariat": "start",
    "Le partenariat est": "status",
    "Date de fin du partenariat": "end",
    "Contexte": "context",
    "Historique": "history",
    "Historique des coopérations": "history",
    "Objectif du partenariat": "objective",
    "Description détaillée du partenariat": "description",
    "Votre partenariat prend la forme d'un(e)": "form",
    "Mise en œuvre du partenariat": "implementation",
    "Maître(s) d'œuvre": "prime_contractor",
    "Maître(s) d'ouvrage": "owner",
    "Bénéficiaire(s)": "beneficiaries",
}.items()}
# Title of a table block -> table.
SECTIONS = {fold(k): v for k, v in {
    "Partenaires étrangers du partenariat": "foreign",
    "Contacts dans les partenaires étrangers du partenariat": "foreign_contacts",
    "Collectivités territoriales partenaires du partenariat": "french",
    "Financement du partenariat": "funding",
    "Documents": "documents",
    "Autres thématiques mises en œuvre pour le partenariat": "other_themes",
    "Volontaires impliqués dans le partenariat (VSI, service civique, etc.) d'Échange et de Solidarité": "volunteers",
    "Évaluations, communication et perspectives": "evaluation",
    "PIED DE PAGE": "footer",
}.items()}
_TABLE_HEADERS = ("nom de la collectivite", "nom du financeur", "titre du document", "thematique eligible",
                  "nom prenom", "nom de la collectivite territoriale")
_ICON = re.compile(r"\s*\bcommun\.ico\.\S+")
_TERMS = {"annuel": 1, "biennal": 2, "bisannuel": 2, "triennal": 3, "quadriennal": 4, "quinquennal": 5}
_TERM_LINE = re.compile(r"^le partenariat est (annuel|biennal|bisannuel|triennal|quadriennal|quinquennal)$")
_EMBASSY = re.compile(r'^Contacts dans le poste diplomatique\s*["«“]?\s*(.+?)\s*["»”]?$')
_DOC_ROW = re.compile(r"^(?P<title>.+?)\s+(?P<size>\d+(?:[.,]\d+)?)\s+(?P<file>\S+\.[A-Za-z0-9]{2,5})\b")
_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")


def _table_header(head: str) -> bool:
    """Whether the first line is a registry or pair table's header (read by those readers)."""
    first = next((line.strip() for line in head.splitlines() if line.strip()), "")
    delimiter = max(("\t", ";", ","), key=first.count)
    cells = first.split(delimiter)
    if len(cells) < 3:
        return False
    roles = set(assign(cells, REGISTRY).roles.values())
    return {"institution", "partner"} <= roles or is_pair_table(pair_columns(cells))


def sniff(path: Path, head: str) -> bool:
    if _table_header(head):
        return False  # a table (an Atlas export's CSV, whose notes line names the Atlas), not a project sheet
    text = fold(head)
    return ("atlas francais de la cooperation decentralisee" in text
            or ("thematique d intervention" in text and "le partenariat est" in text))


@dataclass
class _Sheet:
    values: dict[str, tuple[int, str]] = field(default_factory=dict)  # field -> (line, text)
    tables: dict[str, list[Line]] = field(default_factory=dict)
    term: tuple[int, int] | None = None  # (line, years)
    embassy: tuple[int, str] | None = None
    embassy_contacts: list[list[Line]] = field(default_factory=list)


def _label(line: Line) -> tuple[str, str] | None:
    key = fold(line.text)
    if key in LABELS:
        return "label", LABELS[key]
    if key in SECTIONS:
        return "section", SECTIONS[key]
    return None


def parse(lines: list[Line]) -> _Sheet:
    """Label/value blocks and tables, each with the line it came from."""
    sheet = _Sheet()
    current: tuple[str, str] | None = None
    for line in lines:
        text = line.text
        if not text:
            if current and current[0] == "section" and sheet.tables.get(current[1]):
                current = None  # a blank line ends a table
            continue
        if m := _TERM_LINE.match(fold(text)):
            sheet.term = (line.number, _TERMS[m.group(1)])
            current = None
            continue
        if m := _EMBASSY.match(text):
            sheet.embassy = (line.number, m.group(1))
            current = ("embassy", "")
            continue
        found = _label(line)
        if found:
            current = found
            continue
        if current is None:
            continue
        kind, name = current
        if kind == "embassy":
            if text.lower().startswith("courriel"):
                sheet.embassy_contacts[-1].append(line) if sheet.embassy_contacts else None
            elif not sheet.embassy_contacts or any(x.text.lower().startswith("courriel")
                                                  for x in sheet.embassy_contacts[-1]):
                sheet.embassy_contacts.append([line])
            else:
                sheet.embassy_contacts[-1].append(line)
        elif kind == "label":
            if name in sheet.values:
                number, previous = sheet.values[name]
                sheet.values[name] = (number, previous + "\n" + text)
            else:
                sheet.values[name] = (line.number, text)
        elif kind == "section":
            if fold(text).startswith(_TABLE_HEADERS) or "pagination" in text:
                sheet.tables.setdefault(name, [])
                continue
            sheet.tables.setdefault(name, []).append(line)
    return sheet


class _Reader:
    def __init__(self, path: Path, options: dict[str, Any]) -> None:
        self.file = str(path)
        self.document = str(options.get("document") or path.name)
        self.gaz: Gazetteer = options.get("gazetteer") or gazetteer()
        self.result = ReadResult(reader=NAME, source=str(path))
        self.new: set[str] = set()

    def ref(self, line: int) -> SourceRef:
        return SourceRef(self.document, line)

    def problem(self, line: int | None, field_name: str | None, message: str, severity: str = "error") -> None:
        self.result.problems.append(Problem(self.file, line, field_name, message, severity))  # type: ignore[arg-type]

    def year(self, sheet: _Sheet, name: str) -> tuple[PartialDate | None, int | None]:
        if name not in sheet.values:
            return None, None
        line, text = sheet.values[name]
        try:
            return parse_date(text.splitlines()[0]), line
        except DateError as err:
            self.problem(line, name, f"unparseable date {text.splitlines()[0]!r}: {err}")
            return None, line

    def collectivity(self, name: str, country: str | None, line: int, table: str) -> str | None:
        name = _ICON.sub("", name).strip()
        if not name:
            return None
        key = self.gaz.resolve(name, country)
        if key:
            return key
        key = self.gaz.mint(name, country)
        if key not in self.new:
            self.new.add(key)
            hint = kind_hint(name)
            actor = Collectivity(key=key, name=Label(name, LANG), country=country, kind=hint or "other",
                                 sources=[self.ref(line)], note=None if hint else UNKNOWN_KIND,
                                 note_lang=None if hint else "en")
            self.gaz.add(actor)
            self.result.records.append(actor)
            self.problem(line, table, f"unknown collectivity {name!r}: new key {key!r} (add it to the gazetteer)",
                         "warning")
        return key

    def partners(self, sheet: _Sheet) -> tuple[list[str], list[int]]:
        keys: list[str] = []
        lines: list[int] = []
        for row in sheet.tables.get("french", []):
            cells = [c for c in row.cells if c and not _ICON.fullmatch(" " + c)] if row.cells else [row.text]
            key = self.collectivity(cells[0], "FR", row.number, "french")
            if key and key not in keys:
                keys.append(key)
                lines.append(row.number)
        for row in sheet.tables.get("foreign", []):
            if row.cells:
                cells = [c for c in row.cells if c and not _ICON.fullmatch(" " + c)]
                name, country = cells[0], country_code(cells[1]) if len(cells) > 1 else None
            else:
                name, country = split_trailing_country(_ICON.sub("", row.text).strip())
            if country is None:
                self.problem(row.number, "foreign", f"no country found for foreign partner {row.text!r}", "warning")
            key = self.collectivity(name, country, row.number, "foreign")
            if key and key not in keys:
                keys.append(key)
                lines.append(row.number)
        return keys, lines

    def theme(self, sheet: _Sheet) -> tuple[list[str], list[int]]:
        scheme = schemes()["theme"]
        for name in ("theme3", "theme2", "theme1"):
            if name in sheet.values:
                line, text = sheet.values[name]
                code = scheme.lookup(text.splitlines()[0])
                if code:
                    return [code], [sheet.values[n][0] for n in ("theme1", "theme2", "theme3") if n in sheet.values]
                self.problem(line, name, f"unknown theme {text.splitlines()[0]!r}", "warning")
        return [], []

    def read(self, lines: list[Line]) -> ReadResult:
        sheet = parse(lines)
        if "title" not in sheet.values:
            self.problem(None, "title", "no 'Titre' block: not an Atlas project sheet")
            return self.result
        title_line, title = sheet.values["title"]
        title = title.splitlines()[0]
        used = [title_line]
        signed, signed_line = self.year(sheet, "signed")
        start, start_line = self.year(sheet, "start")
        end, end_line = self.year(sheet, "end")
        used += [n for n in (signed_line, start_line, end_line) if n]
        status = None
        if "status" in sheet.values:
            line, text = sheet.values["status"]
            status = schemes()["status"].lookup(text.splitlines()[0])
            if status is None:
                self.problem(line, "status", f"unknown status {text.splitlines()[0]!r} (expected En cours / Terminé)")
            used.append(line)
        form = None
        if "form" in sheet.values:
            line, text = sheet.values["form"]
            form = schemes()["agreement-kind"].lookup(text.splitlines()[0])
            if form is None:
                self.problem(line, "form", f"unknown form of partnership {text.splitlines()[0]!r}", "warning")
            used.append(line)
        themes, theme_lines = self.theme(sheet)
        parties, party_lines = self.partners(sheet)
        used += theme_lines + party_lines
        term = None
        if sheet.term:
            term = Term(years=sheet.term[1])
            used.append(sheet.term[0])
        if len(parties) < 1:
            self.problem(title_line, "parties", "no partner collectivity found (tables 'Partenaires étrangers' / "
                         "'Collectivités territoriales partenaires')")
        description = None
        if "objective" in sheet.values:
            description = Label(sheet.values["objective"][1].splitlines()[0], LANG)
            used.append(sheet.values["objective"][0])
        key = _title_key(title, start or signed)
        if not parties:
            self.result.skipped += 1
        else:
            self.result.records.append(Partnership(
                key=key, title=Label(title, LANG), parties=parties, start=start, end=end, status=status,
                form=form, term=term, themes=themes, description=description,
                sources=[self.ref(n) for n in sorted(set(used))],
            ))
            self.documents(sheet, key, parties, signed, signed_line)
            self.fundings(sheet, key)
        self.contacts(sheet)
        return self.result

    def documents(self, sheet: _Sheet, partnership: str, parties: list[str], signed: PartialDate | None,
                  signed_line: int | None) -> None:
        loose: list[Document] = []
        for row in sheet.tables.get("documents", []):
            if row.cells:
                cells = [c for c in row.cells if c and not _ICON.fullmatch(" " + c)]
                title, size, file = (cells + ["", "", ""])[:3]
            elif m := _DOC_ROW.match(_ICON.sub("", row.text)):
                title, size, file = m.group("title"), m.group("size"), m.group("file")
            else:
                self.problem(row.number, "documents", f"cannot read document row {row.text!r} "
                             "(expected: title, size in KB, file name)")
                self.result.skipped += 1
                continue
            try:
                size_kb = Decimal(size.replace(",", ".")) if size else None
            except InvalidOperation:
                self.problem(row.number, "documents", f"size {size!r} is not a number")
                size_kb = None
            doc = Document(title, file or None, size_kb, LANG)
            kind = schemes()["agreement-kind"].lookup(title) or schemes()["agreement-kind"].find_in(title)
            if kind is None or kind == "collaboration":
                loose.append(doc)
                continue
            sources = [self.ref(n) for n in sorted({row.number, *( [signed_line] if signed_line else [])})]
            self.result.records.append(Agreement(
                key=agreement_key(parties, signed, kind), kind=kind, title=Label(title, LANG),
                parties=[Party(p) for p in parties], partnership=partnership, signed=signed, documents=[doc],
                sources=sources,
            ))
        if loose:
            partnership_record = next(r for r in self.result.records if isinstance(r, Partnership))
            partnership_record.documents.extend(loose)

    def fundings(self, sheet: _Sheet, partnership: str) -> None:
        seen: dict[str, int] = {}
        for row in sheet.tables.get("funding", []):
            parsed = _funding_row(row)
            if parsed is None:
                self.problem(row.number, "funding", f"cannot read funding row {row.text!r} "
                             "(expected: funder, amount in euros, [1 % water amount], year)")
                self.result.skipped += 1
                continue
            name, amount, water, year = parsed
            funder = self.gaz.resolve(name) if fold(name) not in {"autre", "autres"} else None
            slug = slugify(funder or name)
            key = f"{partnership}-{slug}-{year.isoformat() if year else 'undated'}"
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > 1:
                key = f"{key}-{seen[key]}"
            self.result.records.append(Funding(
                key=key, funder=funder, funder_label=Label(name, LANG), amount=amount, currency="EUR",
                water_amount=water, year=year, funds=partnership, sources=[self.ref(row.number)],
            ))

    def contacts(self, sheet: _Sheet) -> None:
        if sheet.embassy:
            organisation = self.gaz.resolve(sheet.embassy[1])
            for block in sheet.embassy_contacts:
                role = block[0].text if len(block) > 2 else None
                name = block[1].text if len(block) > 2 else block[0].text
                email = next((_email(x.text) for x in block if x.text.lower().startswith("courriel")), None)
                self.result.records.append(Contact(
                    key=f"contact-{slugify(name)}", name=name, organisation=organisation, role=role, email=email,
                    sources=[self.ref(sheet.embassy[0]), *(self.ref(x.number) for x in block)],
                ))
        for row in sheet.tables.get("foreign_contacts", []):
            cells = [c for c in row.cells if c] if row.cells else []
            words = row.text.split()
            email = next((w for w in (cells or words) if "@" in w or "[at]" in w), None)
            organisation, name = None, None
            if cells:
                organisation = self.gaz.resolve(cells[0])
                name = " ".join(c for c in cells[1:] if c != email)
            else:
                rest = [w for w in words if w != email]
                for cut in range(len(rest) - 1, 0, -1):
                    if key := self.gaz.resolve(" ".join(rest[:cut])):
                        organisation, name = key, " ".join(rest[cut:])
                        break
            if not name:
                self.problem(row.number, "foreign_contacts", f"cannot read contact row {row.text!r}", "warning")
                continue
            self.result.records.append(Contact(key=f"contact-{slugify(name)}", name=name, organisation=organisation,
                                               email=email, sources=[self.ref(row.number)]))


def _email(text: str) -> str | None:
    value = text.split(":", 1)[-1].strip()
    return value or None


def _number(text: str) -> Decimal:
    return Decimal(text.replace("\u00a0", "").replace(" ", "").replace(",", "."))


def _funding_row(row: Line) -> tuple[str, Decimal, Decimal | None, PartialDate | None] | None:
    """(funder, amount, water amount, year) of a funding row, text or table cells."""
    if row.cells:
        name, numbers = row.cells[0], list(row.cells[1:])
    else:
        words = row.text.split()
        cut = len(words)
        while cut > 0 and _NUMBER.match(words[cut - 1]):
            cut -= 1
        name, numbers = " ".join(words[:cut]), words[cut:]
    if not name:
        return None
    year: PartialDate | None = None
    values = list(numbers)
    if values and re.fullmatch(r"(19|20)\d\d", values[-1].strip()):
        year = PartialDate(int(values.pop().strip()))
    values = [v for v in values if v.strip()] if not row.cells else values
    try:
        amount = _number(values[0]) if values and values[0].strip() else None
        water = _number(values[1]) if len(values) > 1 and values[1].strip() else None
    except InvalidOperation:
        return None
    if amount is None:
        return None
    return name, amount, water, year


def _title_key(title: str, when: PartialDate | None) -> str:
    words = slugify(title).split("-")
    slug = ""
    for word in words:
        if len(slug) + len(word) > 50:
            break
        slug = f"{slug}-{word}" if slug else word
    return f"{slug}-{when.year}" if when else slug


def read(path: Path | str, **options: Any) -> ReadResult:
    path = Path(path)
    reader = _Reader(path, options)
    try:
        text = read_text(path)
    except NotText as err:
        reader.problem(None, None, f"cannot read: {err}")
        return reader.result
    if not text.strip():
        reader.problem(None, None, "empty file: no Atlas sheet to read")
        return reader.result
    lines = html_lines(text) if looks_like_html(text) or path.suffix.lower() in {".html", ".htm"} else text_lines(text)
    return reader.read(lines)


__all__ = ["NAME", "read", "sniff"]
