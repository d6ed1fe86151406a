"""Keeps the bundled dataset (data/) honest, independently of the YAML reader.

Checks, on the raw YAML only (PyYAML, no coopkg import):
- every YAML file under data/ parses;
- in the native-format files (top-level ``coopkg:``): sections are known, keys are
  well-formed and unique per section across all files, every record has provenance,
  seed lines exist, dates and countries are well-formed;
- every key a record refers to (parties, partnership, agreement, funder, funds,
  part_of, members, reorganization, successors, subject/object, organisation, ...)
  is defined somewhere in the gazetteer or the bundled files;
- every controlled value is a code listed in docs/vocabulary-codes.md.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
CODES_DOC = ROOT / "docs" / "vocabulary-codes.md"
# The seed documents live in shared/ beside the checkout (also in CI).
SEED_DIRS = [ROOT.parent / "shared" / "seeds", ROOT / "tests" / "fixtures"]

SECTIONS = {
    "collectivities", "institutions", "partnerships", "agreements", "changes", "projects",
    "fundings", "reorganizations", "programmes", "themes", "relations", "memberships", "contacts",
    "source_documents",
}
FILE_FIELDS = {"coopkg", "language", "source"}
KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SOURCE_KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
ACTOR_KEY_RE = re.compile(r"^[a-z]{2}-[a-z0-9]+(?:-[a-z0-9]+)*$")  # <iso2>-<slug>
LANG_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
DATE_RE = re.compile(r"^\d{4}(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
RELATION_KINDS = {"supported-by", "collaborates-with", "member-of", "governs"}
CHANGE_KINDS = {"renewal", "amendment"}


# --------------------------------------------------------------------------- codes


def parse_codes(text: str) -> dict[str, set[str]]:
    """Scheme name -> codes, from the Markdown in docs/vocabulary-codes.md."""
    schemes: dict[str, set[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        head = re.match(r"^##\s+([a-z-]+)", line)
        if head:
            current = head.group(1)
            schemes[current] = set()
            continue
        if current is None or not line.strip():
            continue
        bullet = re.match(r"^\s*-\s+([a-z][a-z0-9-]*)\s+—", line)
        if bullet:
            schemes[current].add(bullet.group(1))
        elif not line.lstrip().startswith("-"):
            schemes[current].update(c.strip() for c in line.split(",") if c.strip())
    return schemes


CODES = parse_codes(CODES_DOC.read_text(encoding="utf-8"))


def test_codes_doc_parsed():
    for scheme in ("agreement-kind", "status", "end-reason", "collectivity-kind",
                   "institution-kind", "change-kind", "theme"):
        assert CODES.get(scheme), f"no codes parsed for scheme {scheme!r}"
    assert "competitiveness-clusters" in CODES["theme"]
    assert "administrative-reorganisation" in CODES["end-reason"]


# --------------------------------------------------------------------------- files


def yaml_files() -> list[Path]:
    return sorted(p for p in DATA.rglob("*") if p.suffix in (".yaml", ".yml"))


def load(path: Path):
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.mark.parametrize("path", yaml_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_yaml_parses(path):
    load(path)  # raises on a syntax error


def native_files() -> dict[Path, dict]:
    out = {}
    for path in yaml_files():
        doc = load(path)
        if isinstance(doc, dict) and "coopkg" in doc:
            out[path] = doc
    return out


NATIVE = native_files()


def test_gazetteer_and_bundled_present():
    names = {p.relative_to(DATA).as_posix() for p in NATIVE}
    assert "gazetteer.yaml" in names
    assert any(n.startswith("bundled/") for n in names)


def records():
    """(file, section, record) for every record of every native file."""
    for path, doc in NATIVE.items():
        for section, items in doc.items():
            if section in FILE_FIELDS:
                continue
            for rec in items or []:
                yield path, section, rec


def where(path: Path, rec) -> str:
    key = rec.get("key") if isinstance(rec, dict) else None
    return f"{path.relative_to(ROOT)} [{key}]"


# --------------------------------------------------------------------------- structure


def test_sections_and_header():
    for path, doc in NATIVE.items():
        assert doc["coopkg"] == 1, f"{path}: coopkg format version must be 1"
        unknown = set(doc) - SECTIONS - FILE_FIELDS
        assert not unknown, f"{path}: unknown sections {sorted(unknown)}"
        for section in set(doc) & SECTIONS:
            assert isinstance(doc[section], list), f"{path}: {section} must be a list"


def test_keys_well_formed_and_unique_per_section():
    seen: dict[tuple[str, str], Path] = {}
    problems = []
    for path, section, rec in records():
        assert isinstance(rec, dict), f"{path}: {section}: record is not a mapping: {rec!r}"
        key = rec.get("key")
        # a source document is keyed by its file name, as records cite it
        key_re = SOURCE_KEY_RE if section == "source_documents" else KEY_RE
        if not isinstance(key, str) or not key_re.match(key):
            problems.append(f"{where(path, rec)}: bad key {key!r}")
            continue
        if section in ("collectivities", "institutions") and not ACTOR_KEY_RE.match(key):
            problems.append(f"{where(path, rec)}: actor key must be <iso2>-<slug>")
        if (section, key) in seen:
            problems.append(f"{where(path, rec)}: duplicate key in {section} "
                            f"(also in {seen[(section, key)].relative_to(ROOT)})")
        seen[(section, key)] = path
    # an actor key names one actor, whether collectivity or institution
    both = {k for (s, k) in seen if s == "collectivities"} & {k for (s, k) in seen if s == "institutions"}
    problems += [f"actor key {k} is both a collectivity and an institution" for k in sorted(both)]
    assert not problems, "\n".join(problems)


def _source_refs(path: Path, doc: dict, rec: dict) -> list[tuple[str, int | None]]:
    refs: list[str] = []
    if "sources" in rec:
        refs += [str(s) for s in rec["sources"]]
    if "source" in rec:
        refs.append(str(rec["source"]))
    out = []
    for ref in refs:
        m = re.match(r"^(.*):(\d+)$", ref)
        out.append((m.group(1), int(m.group(2))) if m else (ref, rec.get("line")))
    if not out and ("line" in rec or doc.get("source")):
        out.append((str(doc.get("source")), rec.get("line")))
    return out


def _seed(name: str) -> Path | None:
    for d in SEED_DIRS:
        if (d / name).is_file():
            return d / name
    return None


def test_every_record_has_provenance_and_seed_lines_exist():
    problems = []
    for path, _section, rec in records():
        doc = NATIVE[path]
        refs = _source_refs(path, doc, rec)
        if not refs or any(d in ("None", "") for d, _ in refs):
            problems.append(f"{where(path, rec)}: no provenance (source/sources/line)")
            continue
        if "line" in rec and not isinstance(rec["line"], int):
            problems.append(f"{where(path, rec)}: line must be an integer")
        for document, line in refs:
            if not document.endswith(".txt"):
                continue  # a law, a URL...: nothing to open
            seed = _seed(document)
            if seed is None:
                if any(d.is_dir() for d in SEED_DIRS[:1]):
                    problems.append(f"{where(path, rec)}: unknown seed document {document}")
                continue
            n = len(seed.read_text(encoding="utf-8").splitlines())
            if line is not None and not 1 <= line <= n:
                problems.append(f"{where(path, rec)}: {document} has no line {line}")
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- values


def _label_ok(value, has_default_lang: bool) -> bool:
    if isinstance(value, dict):
        return isinstance(value.get("text"), str) and bool(LANG_RE.match(str(value.get("lang", ""))))
    if not isinstance(value, str) or not value.strip():
        return False
    if "@" in value:
        text, _, lang = value.rpartition("@")
        return bool(text.strip()) and bool(LANG_RE.match(lang))
    return has_default_lang


def _date_ok(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return 1000 <= value <= 2999
    if isinstance(value, dt.date):
        return True
    return isinstance(value, str) and bool(DATE_RE.match(value))


TEXT_FIELDS = ("name", "title", "description", "outcome", "council", "funder_label", "note")
DATE_FIELDS = ("signed", "start", "end", "date", "year", "created", "abolished")


def test_labels_dates_countries_amounts():
    problems = []
    for path, section, rec in records():
        has_lang = bool(NATIVE[path].get("language"))
        for f in TEXT_FIELDS:
            if rec.get(f) is not None and not _label_ok(rec[f], has_lang):
                problems.append(f"{where(path, rec)}: {f} is not text@lang: {rec[f]!r}")
        for f in ("alt_names", "domains"):
            for v in rec.get(f) or []:
                if not _label_ok(v, has_lang):
                    problems.append(f"{where(path, rec)}: {f} item is not text@lang: {v!r}")
        for f in DATE_FIELDS:
            if f in rec and not (section == "contacts") and not _date_ok(rec[f]):
                problems.append(f"{where(path, rec)}: {f} is not an ISO date: {rec[f]!r}")
        if "country" in rec and not (isinstance(rec["country"], str) and COUNTRY_RE.match(rec["country"])):
            problems.append(f"{where(path, rec)}: country must be ISO alpha-2 upper case "
                            f"(quote NO): {rec['country']!r}")
        if section == "fundings":
            for f in ("amount", "water_amount"):
                if f in rec and (isinstance(rec[f], bool) or not isinstance(rec[f], (int, float))):
                    problems.append(f"{where(path, rec)}: {f} must be a number")
            if not re.match(r"^[A-Z]{3}$", str(rec.get("currency", ""))):
                problems.append(f"{where(path, rec)}: currency must be ISO 4217")
            if rec.get("funder") is None and not rec.get("funder_label"):
                problems.append(f"{where(path, rec)}: a funding without funder needs funder_label")
        if section == "collectivities":
            for f in ("insee", "siruta", "nuts"):
                if f in rec and not isinstance(rec[f], str):
                    problems.append(f"{where(path, rec)}: {f} must be a quoted string")
        if "wikidata" in rec and not re.match(r"^Q[1-9]\d*$", str(rec["wikidata"])):
            problems.append(f"{where(path, rec)}: bad wikidata id {rec['wikidata']!r}")
    assert not problems, "\n".join(problems)


REQUIRED = {
    "collectivities": ("name", "kind", "country"),
    "institutions": ("name",),
    "partnerships": ("parties",),
    "agreements": ("kind", "parties"),
    "changes": ("kind", "agreement"),
    "projects": ("title",),
    "fundings": ("amount", "currency", "funds"),
    "reorganizations": ("title", "date"),
    "programmes": ("name",),
    "themes": ("labels",),
    "relations": ("subject", "kind", "object"),
    "memberships": ("member", "organization"),
    "contacts": ("name",),
    "source_documents": (),
}


def test_required_fields():
    problems = []
    for path, section, rec in records():
        for f in REQUIRED[section]:
            if rec.get(f) in (None, "", []):
                problems.append(f"{where(path, rec)}: {section} needs {f}")
        if section == "fundings" and "funder" not in rec:
            problems.append(f"{where(path, rec)}: fundings need funder (null for an anonymous line)")
    assert not problems, "\n".join(problems)


def allowed_fields(text: str) -> dict[str, set[str]]:
    """Section -> fields, from the table in docs/record-format.md."""
    out = {}
    for line in text.splitlines():
        m = re.match(r"^\|\s*`([a-z_]+)`\s*\|(.*)\|\s*$", line)
        if m:
            out[m.group(1)] = set(re.findall(r"`([a-z_]+)`", m.group(2)))
    return out


FORMAT_DOC = ROOT / "docs" / "record-format.md"
COMMON_FIELDS = {"key", "sources", "source", "line", "claims", "note", "inferred"}


def test_no_unknown_fields():
    """A field the format does not know is silently dropped by a reader: refuse it here."""
    fields = allowed_fields(FORMAT_DOC.read_text(encoding="utf-8"))
    assert set(fields) == SECTIONS, f"format doc sections: {sorted(fields)}"
    problems = []
    for path, section, rec in records():
        unknown = set(rec) - fields[section] - COMMON_FIELDS
        if unknown:
            problems.append(f"{where(path, rec)}: fields not in record-format.md: {sorted(unknown)}")
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- codes used


def test_codes_are_listed_in_vocabulary_doc():
    data_themes = {r["key"] for _, s, r in records() if s == "themes"}
    themes = CODES["theme"] | data_themes
    by_field = {
        ("collectivities", "kind"): CODES["collectivity-kind"],
        ("institutions", "kind"): CODES["institution-kind"],
        ("partnerships", "form"): CODES["agreement-kind"],
        ("agreements", "kind"): CODES["agreement-kind"],
        ("changes", "kind"): CHANGE_KINDS,
        ("relations", "kind"): RELATION_KINDS,
    }
    problems = []

    def check(path, rec, section, field, value):
        if field in ("status",):
            allowed = CODES["status"]
        elif field == "end_reason":
            allowed = CODES["end-reason"]
        elif field == "themes":
            for v in value if isinstance(value, list) else [value]:
                if v not in themes:
                    problems.append(f"{where(path, rec)}: theme {v!r} not in vocabulary-codes.md")
            return
        elif (section, field) in by_field:
            allowed = by_field[(section, field)]
        else:
            return
        if value not in allowed:
            problems.append(f"{where(path, rec)}: {field} {value!r} not in vocabulary-codes.md")

    for path, section, rec in records():
        for field in ("kind", "form", "status", "end_reason", "themes"):
            if rec.get(field) is not None:
                check(path, rec, section, field, rec[field])
        for claim in rec.get("claims") or []:
            assert {"field", "value", "source"} <= set(claim), f"{where(path, rec)}: bad claim {claim}"
            check(path, rec, section, claim["field"], claim["value"])
            if claim["field"] in rec and rec[claim["field"]] == claim["value"]:
                problems.append(f"{where(path, rec)}: claim repeats the record's own {claim['field']}")
        if section == "reorganizations":
            for ch in rec.get("changes") or []:
                if ch.get("change") not in CODES["change-kind"]:
                    problems.append(f"{where(path, rec)}: change {ch.get('change')!r} unknown")
        if section == "themes" and rec.get("broader") and rec["broader"] not in themes:
            problems.append(f"{where(path, rec)}: broader theme {rec['broader']!r} unknown")
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- references


def test_every_reference_resolves():
    keys: dict[str, set[str]] = defaultdict(set)
    for _, section, rec in records():
        keys[section].add(rec["key"])
    actors = keys["collectivities"] | keys["institutions"]
    fundable = keys["partnerships"] | keys["agreements"] | keys["projects"] | keys["programmes"]
    problems = []

    def need(path, rec, field, value, pool, what):
        if value is None:
            return
        for v in value if isinstance(value, list) else [value]:
            if v not in pool:
                problems.append(f"{where(path, rec)}: {field} -> {v!r} is not a known {what}")

    for path, section, rec in records():
        if section in ("collectivities", "institutions"):
            need(path, rec, "part_of", rec.get("part_of"), actors, "actor")
            need(path, rec, "members", rec.get("members"), actors, "actor")
            if rec.get("part_of") == rec["key"]:
                problems.append(f"{where(path, rec)}: part_of itself")
        if section == "partnerships":
            need(path, rec, "parties", rec.get("parties"), actors, "actor")
        if section == "memberships":
            need(path, rec, "member", rec.get("member"), actors, "actor")
            need(path, rec, "organization", rec.get("organization"), actors, "actor")
            for day in rec.get("attested") if isinstance(rec.get("attested"), list) else [rec.get("attested")]:
                if day is not None and not _date_ok(day):
                    problems.append(f"{where(path, rec)}: attested is not an ISO date: {day!r}")
        if section == "agreements":
            for party in rec.get("parties") or []:
                if isinstance(party, dict):
                    need(path, rec, "parties.actor", party.get("actor"), actors, "actor")
                    need(path, rec, "parties.on_behalf_of", party.get("on_behalf_of"), actors, "actor")
                else:
                    need(path, rec, "parties", party, actors, "actor")
            need(path, rec, "partnership", rec.get("partnership"), keys["partnerships"], "partnership")
            need(path, rec, "programme", rec.get("programme"), keys["programmes"], "programme")
            need(path, rec, "framework", rec.get("framework"), keys["agreements"], "agreement")
        if section == "changes":
            need(path, rec, "agreement", rec.get("agreement"), keys["agreements"], "agreement")
        if section == "projects":
            need(path, rec, "partnership", rec.get("partnership"), keys["partnerships"], "partnership")
            need(path, rec, "agreement", rec.get("agreement"), keys["agreements"], "agreement")
            need(path, rec, "participants", rec.get("participants"), actors, "actor")
            need(path, rec, "programme", rec.get("programme"), keys["programmes"], "programme")
        if section in ("partnerships", "agreements", "projects"):
            need(path, rec, "reorganization", rec.get("reorganization"), keys["reorganizations"],
                 "reorganization")
        if section == "fundings":
            need(path, rec, "funder", rec.get("funder"), actors, "actor")
            need(path, rec, "funds", rec.get("funds"), fundable,
                 "partnership, agreement, project or programme")
        if section == "reorganizations":
            for ch in rec.get("changes") or []:
                need(path, rec, "changes.unit", ch.get("unit"), keys["collectivities"], "collectivity")
                need(path, rec, "changes.successors", list(ch.get("successors") or []),
                     keys["collectivities"], "collectivity")
        if section == "programmes":
            need(path, rec, "operator", rec.get("operator"), actors, "actor")
        if section == "relations":
            need(path, rec, "subject", rec.get("subject"), actors, "actor")
            need(path, rec, "object", rec.get("object"), actors, "actor")
        if section == "contacts":
            need(path, rec, "organisation", rec.get("organisation"), actors, "actor")
    assert not problems, "\n".join(problems)


def test_bundled_files_do_not_repeat_the_gazetteer():
    """Actors live in data/gazetteer.yaml; bundled files refer to them by key."""
    for path, doc in NATIVE.items():
        if path.parent.name == "bundled":
            assert not doc.get("collectivities") and not doc.get("institutions"), (
                f"{path.relative_to(ROOT)}: actors belong in data/gazetteer.yaml")


def test_reorganised_units_carry_their_dates():
    """A unit merged away has `abolished`, a unit created has `created`, on the reform's date."""
    units = {r["key"]: r for _, s, r in records() if s == "collectivities"}
    problems = []
    for path, section, rec in records():
        if section != "reorganizations":
            continue
        for ch in rec.get("changes") or []:
            unit = units.get(ch.get("unit"))
            if unit is None:
                continue
            field = "created" if ch["change"] == "created" else "abolished"
            if ch["change"] in ("merged", "abolished", "created") and str(unit.get(field)) != str(rec["date"]):
                problems.append(f"{where(path, rec)}: {ch['unit']} should have {field}: {rec['date']}")
    assert not problems, "\n".join(problems)
