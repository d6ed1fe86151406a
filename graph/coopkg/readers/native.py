"""The native record format: curated YAML (see docs/record-format.md).

Every problem is returned with the file, the line of the offending entry and the field;
an entry with a bad required field is skipped, a bad optional field is dropped, and the
rest of the file still loads.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from coopkg import limits
from coopkg.normalise.dates import DateError, parse_date
from coopkg.records import (
    Agreement,
    AgreementChange,
    AnyRecord,
    Claim,
    Collectivity,
    Contact,
    Document,
    Funding,
    Institution,
    Label,
    Membership,
    PartialDate,
    Partnership,
    Party,
    Point,
    Problem,
    Programme,
    Project,
    ReadResult,
    Relation,
    Reorganization,
    SourceDocument,
    SourceRef,
    Term,
    Theme,
    UnitChange,
)
from coopkg.terms import TermError, check_language
from coopkg.vocabularies import codes

NAME = "native"
FORMAT_VERSION = 1
_LANG_SUFFIX = re.compile(r"^(.*\S)@([a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)$", re.S)
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_LINE = "__line__"
LINE = _LINE  # where an entry keeps its line: another syntax of this format sets it too


_DUPLICATES = "__duplicates__"


if yaml.__with_libyaml__:
    from yaml.composer import Composer
    from yaml.constructor import SafeConstructor
    from yaml.cyaml import CParser
    from yaml.resolver import Resolver

    class _SafeBase(Composer, SafeConstructor, Resolver, CParser):  # type: ignore[misc]
        """libyaml's scanner and parser (C: about 7 times PyYAML's) under PyYAML's Python
        composer, so the bounds below still see every node (CSafeLoader composes in C,
        where no depth or alias count can be checked)."""

        def __init__(self, stream: Any) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
else:  # pragma: no cover - PyYAML built without libyaml: the pure-Python loader, same values
    _SafeBase = yaml.SafeLoader  # type: ignore[misc,assignment]


class _Bounded:
    """A safe loader that remembers the line of every mapping (1-based), and is bounded.

    Nesting deeper than the ``yaml_depth`` limit and aliases that would expand to more
    than ``yaml_alias_nodes`` nodes (a "billion laughs" chain) are refused while the
    document is composed, before any Python value is built (docs/security.md).
    """

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        bounds = limits.current()
        self._max_depth, self._max_expanded = bounds.yaml_depth, bounds.yaml_alias_nodes
        self._depth = self._expanded = 0
        self._sizes: dict[int, int] = {}  # id(node) -> its node count with aliases expanded

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            anchored = self.anchors.get(event.anchor)
            if anchored is not None:
                self._expanded += self._sizes.get(id(anchored), 1)
                if self._expanded > self._max_expanded:
                    raise yaml.composer.ComposerError(
                        None, None, str(limits.over("yaml_alias_nodes", self._expanded, self._max_expanded,
                                                    "the nodes that aliases expand to")), event.start_mark)
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > self._max_depth:
                raise yaml.composer.ComposerError(
                    None, None, str(limits.over("yaml_depth", self._depth, self._max_depth, "the nesting depth")),
                    self.peek_event().start_mark)
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        sizes = self._sizes
        if isinstance(node, yaml.SequenceNode):
            sizes[id(node)] = 1 + sum(sizes.get(id(child), 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            sizes[id(node)] = 1 + sum(sizes.get(id(k), 1) + sizes.get(id(v), 1) for k, v in node.value)
        return node


class _LineLoader(_Bounded, _SafeBase):  # type: ignore[misc]
    """The native reader's loader: libyaml's parser when PyYAML has it."""


class _PyLineLoader(_Bounded, yaml.SafeLoader):  # type: ignore[misc]
    """The same loader on PyYAML's pure-Python parser. libyaml refuses a whole document
    for some texts PyYAML reads and the record checks then refuse one entry of (a lone
    surrogate escape "\\ud800"): a file libyaml refuses is read again with this one, so the
    good entries still load and the message names the entry, as before."""


def _construct_mapping(loader: _Bounded, node: yaml.MappingNode) -> dict[str, Any]:
    # Duplicate keys: YAML says they are an error, PyYAML keeps the last silently. Both lines
    # are kept for the message; merge keys (<<) override legitimately and are not counted.
    seen: dict[object, int] = {}
    duplicates: list[tuple[object, int, int, yaml.Node]] = []
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node)
        line = key_node.start_mark.line + 1
        if key in seen:
            duplicates.append((key, seen[key], line, value_node))
        else:
            seen[key] = line
    if duplicates:  # the first value stays (what a reader of the file sees first)
        dropped = {id(value) for _, _, _, value in duplicates}
        node.value = [(k, v) for k, v in node.value if id(v) not in dropped]
    mapping = loader.construct_mapping(node, deep=True)
    mapping[_LINE] = node.start_mark.line + 1
    if duplicates:
        mapping[_DUPLICATES] = [(key, first, line, loader.construct_object(value, deep=True))
                                for key, first, line, value in duplicates]
    return mapping


for _loader in (_LineLoader, _PyLineLoader):
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    # Dates stay text: YAML would turn 1997-11-22 into a date but leave 1997-11 a string;
    # reading both as text keeps one path and the source's precision.
    _loader.yaml_implicit_resolvers = {
        ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


class FieldError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def sniff(path: Path, head: str) -> bool:
    """True when the file looks like native YAML records."""
    return path.suffix.lower() in {".yaml", ".yml"} and re.search(r"^coopkg\s*:", head, re.M) is not None


class _Entry:
    """One YAML entry being turned into a record; collects field problems."""

    def __init__(self, raw: dict[str, Any], ctx: _Context, section: str) -> None:
        self.raw = raw
        self.ctx = ctx
        self.section = section
        self.line: int | None = raw.get(_LINE)
        self.problems: list[Problem] = []
        self.fatal = False
        self.key = str(raw.get("key", "")) or None

    def problem(self, field: str | None, message: str, fatal: bool = False) -> None:
        self.fatal = self.fatal or fatal
        self.problems.append(Problem(self.ctx.file, self.line, field, message, "error", self.key))

    def get(self, field: str, convert: Callable[[Any], Any], required: bool = False, default: Any = None) -> Any:
        value = self.raw.get(field)
        if value is None or value == "" or value == []:
            if required:
                self.problem(field, f"missing required field '{field}' in {self.section}", fatal=True)
            return default
        try:
            return convert(value)
        except FieldError as err:
            self.problem(err.field, str(err), fatal=required)
        except (ValueError, TypeError, InvalidOperation) as err:
            self.problem(field, f"{field}: {err}", fatal=required)
        return default

    # converters -------------------------------------------------------------------
    def label(self, value: Any) -> Label:
        if isinstance(value, dict):
            text, lang = value.get("text"), value.get("lang") or self.ctx.language
            if not text:
                raise ValueError("a text needs 'text'")
            return Label(" ".join(str(text).split()), str(lang))
        text = " ".join(str(value).split())
        if m := _LANG_SUFFIX.match(text):
            return Label(m.group(1), m.group(2))
        return Label(text, self.ctx.language)

    def labels(self, value: Any) -> list[Label]:
        return [self.label(v) for v in _as_list(value)]

    @staticmethod
    def date(value: Any) -> PartialDate:
        try:
            return parse_date(str(value))
        except DateError as err:
            raise ValueError(str(err)) from None

    @staticmethod
    def decimal(value: Any) -> Decimal:
        if isinstance(value, bool):
            raise ValueError(f"{value!r} is not a number")
        try:
            return Decimal(str(value).replace(" ", "").replace("\u00a0", ""))
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a number") from None

    @staticmethod
    def code(scheme: str) -> Callable[[Any], str]:
        return _code_converter(scheme)

    @staticmethod
    def codes(scheme: str) -> Callable[[Any], list[str]]:
        return _codes_converter(scheme)

    @staticmethod
    def key_ref(value: Any) -> str:
        text = str(value).strip()
        if not _KEY.match(text):
            raise ValueError(f"{text!r} is not a record key (letters, digits, '-', '_', '.')")
        return text

    def keys(self, value: Any) -> list[str]:
        return [self.key_ref(v) for v in _as_list(value)]

    @staticmethod
    def country(value: Any) -> str:
        # YAML 1.1 reads an unquoted NO (Norway) as false: it is the one code it turns into a boolean.
        text = "NO" if value is False else str(value).strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", text):
            raise ValueError(f"country {value!r} is not an ISO 3166-1 alpha-2 code")
        return text

    @staticmethod
    def currency(value: Any) -> str:
        text = str(value).strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", text):
            raise ValueError(f"currency {value!r} is not an ISO 4217 code")
        return text

    def term(self, value: Any) -> Term:
        if not isinstance(value, dict):
            raise ValueError("term is {years, renewable_times, tacit_renewal}")
        return Term(
            years=int(value["years"]) if value.get("years") is not None else None,
            renewable_times=int(value["renewable_times"]) if value.get("renewable_times") is not None else None,
            tacit_renewal=bool(value.get("tacit_renewal", False)),
        )

    def documents(self, value: Any) -> list[Document]:
        docs = []
        for item in _as_list(value):
            if not isinstance(item, dict) or not item.get("title"):
                raise ValueError("a document needs a 'title'")
            size = item.get("size_kb")
            docs.append(
                Document(str(item["title"]), item.get("file"), self.decimal(size) if size is not None else None,
                         item.get("lang"))
            )
        return docs

    def parties(self, value: Any) -> list[Party]:
        parties = []
        for item in _as_list(value):
            if isinstance(item, dict):
                parties.append(Party(self.key_ref(item.get("actor")), tuple(self.keys(item.get("on_behalf_of")))))
            else:
                parties.append(Party(self.key_ref(item)))
        return parties

    def sources(self) -> list[SourceRef]:
        refs: list[SourceRef] = []
        for item in _as_list(self.raw.get("sources")) + _as_list(self.raw.get("source")):
            refs.append(_source_ref(str(item), self.ctx.source))
        if self.raw.get("line") is not None:
            line = self.raw["line"]
            if not self.ctx.source:
                self.problem("line", "'line' needs a 'source:' document at the top of the file")
            elif isinstance(line, bool) or not isinstance(line, int | str) or not str(line).strip().isdigit():
                self.problem("line", f"line {line!r} is not a line number (a whole number)")
            else:
                refs.append(self.ctx.line_ref(int(str(line).strip())))
        if not refs:
            # No source stated: the YAML entry itself is where the fact was written down.
            refs.append(SourceRef(self.ctx.source or self.ctx.file, None if self.ctx.source else self.line))
        return refs


class _Context:
    def __init__(self, file: str, language: str, source: str | None) -> None:
        self.file = file
        self.language = language
        self.source = source
        self._lines: dict[int, SourceRef] = {}

    def line_ref(self, line: int) -> SourceRef:
        """The (immutable, shared) SourceRef of a line of the file's source document."""
        ref = self._lines.get(line)
        if ref is None:
            assert self.source is not None
            ref = self._lines[line] = SourceRef(self.source, line)
        return ref


@cache
def _code_converter(scheme: str) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        code = str(value).strip()
        known = codes(scheme)
        if code not in known:
            raise ValueError(f"unknown {scheme} {code!r} (known: {', '.join(sorted(known))})")
        return code

    return convert


@cache
def _codes_converter(scheme: str) -> Callable[[Any], list[str]]:
    one = _code_converter(scheme)
    return lambda value: [one(v) for v in _as_list(value)]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _source_ref(text: str, default_doc: str | None) -> SourceRef:
    doc, sep, line = text.rpartition(":")
    if sep and line.strip().isdigit():
        return SourceRef(doc.strip() or (default_doc or ""), int(line))
    if text.strip().isdigit() and default_doc:
        return SourceRef(default_doc, int(text))
    return SourceRef(text.strip())


# One builder per section: entry -> record (or None when a required field is bad).
def _common(e: _Entry) -> dict[str, Any]:
    return {
        "key": e.get("key", e.key_ref, required=True),
        "sources": e.sources(),
        "note": e.get("note", lambda v: e.label(v).text),
        "note_lang": e.get("note", lambda v: e.label(v).lang),
        "inferred": e.get("inferred", _field_names, default=[]),
    }


def _field_names(value: Any) -> list[str]:
    # the record fields a curator inferred (docs/time.md section 5): plain identifiers
    names = [str(v).strip() for v in _as_list(value)]
    for name in names:
        if not re.fullmatch(r"[a-z_]+", name):
            raise ValueError(f"{name!r} is not a field name")
    return names


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError(f"{value!r} is not true or false")


def _actor_fields(e: _Entry) -> dict[str, Any]:
    return {
        "name": e.get("name", e.label, required=True),
        "alt_names": e.get("alt_names", e.labels, default=[]),
        "country": e.get("country", e.country),
        "part_of": e.get("part_of", e.key_ref),
        "wikidata": e.get("wikidata", _qid),
        "homepage": e.get("homepage", _web_address),
        "point": e.get("point", _point),
    }


def _point(value: Any) -> Point:
    # {lat: 45.75, long: 21.23, source: "GeoNames 665087"}: latitude first as people say it,
    # named so the order cannot be mistaken (WKT writes longitude first).
    fields = set(value) - {_LINE} if isinstance(value, dict) else set()
    if not {"lat", "long"} <= fields or fields - {"lat", "long", "source"}:
        raise ValueError("a point is {lat: DEGREES, long: DEGREES, source: TEXT (optional)}")
    try:
        latitude, longitude = float(value["lat"]), float(value["long"])
    except (TypeError, ValueError):
        raise ValueError(f"lat and long must be numbers, not {value['lat']!r}, {value['long']!r}") from None
    if not (-90 <= latitude <= 90) or not (-180 <= longitude <= 180):
        raise ValueError(f"({latitude}, {longitude}) is not on the globe (lat -90..90, long -180..180)")
    source = value.get("source")
    return Point(latitude, longitude, None if source is None else str(source).strip() or None)


def _web_address(value: Any) -> str:
    # It becomes an IRI (foaf:homepage): spaces and <>"{}|^`\\ would make graph.ttl unreadable.
    text = str(value).strip()
    if not re.fullmatch(r"https?://[^\s<>\"{}|^`\\]+", text):
        raise ValueError(f"{text!r} is not a web address (https://..., no spaces)")
    return text


def _qid(value: Any) -> str:
    text = str(value).strip()
    if not re.fullmatch(r"Q[1-9]\d*", text):
        raise ValueError(f"{text!r} is not a Wikidata item id (Q123)")
    return text


def _iso_subdivision(value: Any) -> str:
    text = str(value).strip().upper()
    if not re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", text):
        raise ValueError(f"{text!r} is not an ISO 3166-2 code (RO-TM, FR-69)")
    return text


def _geonames_id(value: Any) -> str:
    text = str(value).strip()
    if not re.fullmatch(r"[1-9]\d*", text):
        raise ValueError(f"{text!r} is not a GeoNames id (digits)")
    return text


def _degrees(limit: int) -> Callable[[Any], float]:
    def convert(value: Any) -> float:
        number = float(value)
        if not -limit <= number <= limit:
            raise ValueError(f"{value!r} is not between -{limit} and {limit} degrees")
        return number

    return convert


def _lifetime_fields(e: _Entry, title_required: bool = False) -> dict[str, Any]:
    return {
        "title": e.get("title", e.label, required=title_required),
        "start": e.get("start", e.date),
        "end": e.get("end", e.date),
        "status": e.get("status", e.code("status")),
        "end_reason": e.get("end_reason", e.code("end-reason")),
        "reorganization": e.get("reorganization", e.key_ref),
        "themes": e.get("themes", e.codes("theme"), default=[]),
        "domains": e.get("domains", e.labels, default=[]),
        "description": e.get("description", e.label),
        "documents": e.get("documents", e.documents, default=[]),
        "legal_basis": e.get("legal_basis", e.labels, default=[]),
        "taken_over": e.get("taken_over", _boolean),
        "taken_over_by": e.get("taken_over_by", e.key_ref),
    }


def _collectivity(e: _Entry) -> Collectivity:
    fields = _actor_fields(e)
    # `latitude:`/`longitude:` (as a gazetteer row has them) are the short form of `point:`
    latitude, longitude = e.get("latitude", _degrees(90)), e.get("longitude", _degrees(180))
    geonames = e.get("geonames", _geonames_id)
    if fields["point"] is None and latitude is not None and longitude is not None:
        fields["point"] = Point(latitude, longitude, f"GeoNames {geonames}" if geonames else None)
    return Collectivity(
        **_common(e), **fields,
        kind=e.get("kind", e.code("collectivity-kind"), required=True),
        insee=e.get("insee", str), siruta=e.get("siruta", str), nuts=e.get("nuts", str), lau=e.get("lau", str),
        iso_code=e.get("iso_code", _iso_subdivision), geonames=geonames,
        council=e.get("council", e.label), created=e.get("created", e.date), abolished=e.get("abolished", e.date),
    )


def _institution(e: _Entry) -> Institution:
    description = e.get("description", e.label)
    return Institution(
        **_common(e), **_actor_fields(e),
        kind=e.get("kind", e.code("institution-kind")),
        members=e.get("members", e.keys, default=[]),
        themes=e.get("themes", e.codes("theme"), default=[]),
        description=description.text if description else None,
        description_lang=description.lang if description else None,
    )


def _partnership(e: _Entry) -> Partnership:
    return Partnership(
        **_common(e), **_lifetime_fields(e),
        parties=e.get("parties", e.keys, required=True, default=[]),
        form=e.get("form", e.code("agreement-kind")),
        term=e.get("term", e.term),
    )


def _agreement(e: _Entry) -> Agreement:
    return Agreement(
        **_common(e), **_lifetime_fields(e),
        kind=e.get("kind", e.code("agreement-kind"), required=True),
        parties=e.get("parties", e.parties, required=True, default=[]),
        partnership=e.get("partnership", e.key_ref),
        signed=e.get("signed", e.date),
        term=e.get("term", e.term),
        programme=e.get("programme", e.key_ref),
        framework=e.get("framework", e.key_ref),
    )


def _change(e: _Entry) -> AgreementChange:
    def kind(value: Any) -> str:
        if value not in ("renewal", "amendment"):
            raise ValueError(f"change kind {value!r} is neither 'renewal' nor 'amendment'")
        return str(value)

    return AgreementChange(
        **_common(e),
        kind=e.get("kind", kind, required=True),
        agreement=e.get("agreement", e.key_ref, required=True),
        date=e.get("date", e.date),
        themes=e.get("themes", e.codes("theme"), default=[]),
        domains=e.get("domains", e.labels, default=[]),
        description=e.get("description", e.label),
    )


def _project(e: _Entry) -> Project:
    return Project(
        **_common(e), **_lifetime_fields(e, title_required=True),
        partnership=e.get("partnership", e.key_ref),
        agreement=e.get("agreement", e.key_ref),
        participants=e.get("participants", e.keys, default=[]),
        programme=e.get("programme", e.key_ref),
        location=e.get("location", str),
        outcome=e.get("outcome", e.label),
    )


def _funding(e: _Entry) -> Funding:
    return Funding(
        **_common(e),
        funder=e.get("funder", e.key_ref),
        funder_label=e.get("funder_label", e.label),
        amount=e.get("amount", e.decimal, required=True),
        currency=e.get("currency", e.currency, required=True),
        year=e.get("year", e.date),
        funds=e.get("funds", e.key_ref, required=True),
        water_amount=e.get("water_amount", e.decimal),
    )


def _reorganization(e: _Entry) -> Reorganization:
    def changes(value: Any) -> list[UnitChange]:
        out = []
        for item in _as_list(value):
            if not isinstance(item, dict) or "unit" not in item or "change" not in item:
                raise FieldError("changes", "each change needs 'unit' and 'change'")
            kind = e.code("change-kind")(item["change"])
            out.append(UnitChange(e.key_ref(item["unit"]), kind, tuple(e.keys(item.get("successors")))))  # type: ignore[arg-type]
        return out

    return Reorganization(
        **_common(e),
        title=e.get("title", e.label, required=True),
        date=e.get("date", e.date, required=True),
        country=e.get("country", e.country),
        legal_basis=e.get("legal_basis", str),
        changes=e.get("changes", changes, default=[]),
        description=e.get("description", e.label),
    )


def _programme(e: _Entry) -> Programme:
    return Programme(
        **_common(e),
        name=e.get("name", e.label, required=True),
        alt_names=e.get("alt_names", e.labels, default=[]),
        operator=e.get("operator", e.key_ref),
        themes=e.get("themes", e.codes("theme"), default=[]),
        start=e.get("start", e.date),
        end=e.get("end", e.date),
        description=e.get("description", e.label),
    )


def _theme(e: _Entry) -> Theme:
    return Theme(**_common(e), labels=e.get("labels", e.labels, required=True, default=[]),
                 broader=e.get("broader", e.key_ref))


def _relation(e: _Entry) -> Relation:
    def kind(value: Any) -> str:
        allowed = ("supported-by", "collaborates-with", "member-of", "governs")
        if value not in allowed:
            raise ValueError(f"relation kind {value!r} is not one of {', '.join(allowed)}")
        return str(value)

    return Relation(
        **_common(e),
        subject=e.get("subject", e.key_ref, required=True),
        kind=e.get("kind", kind, required=True),
        object=e.get("object", e.key_ref, required=True),
    )


def _membership(e: _Entry) -> Membership:
    def relation(value: Any) -> str:
        if value not in ("member", "part-of"):
            raise ValueError(f"relation {value!r} is neither 'member' nor 'part-of'")
        return str(value)

    member = e.get("member", e.key_ref, required=True)
    organization = e.get("organization", e.key_ref, required=True)
    kind = e.get("relation", relation, default="member")
    if not e.raw.get("key"):
        # one membership (or part-of) of a unit in another needs no key of its own; two
        # periods of one pair need keys, which the duplicate-key message asks for. Without
        # member or organisation the entry is skipped, said once for the missing field.
        e.raw["key"] = f"{member}--{organization}" + ("" if kind == "member" else "--part-of") \
            if member and organization else "unnamed-membership"
        e.key = e.raw["key"] if member and organization else None
    return Membership(
        **_common(e),
        member=member or "",
        organization=organization or "",
        relation=kind,
        start=e.get("start", e.date),  # an end before the start is the shapes' to report
        end=e.get("end", e.date),
        attested=e.get("attested", lambda v: [e.date(d) for d in _as_list(v)], default=[]),
    )


def _source_document(e: _Entry) -> SourceDocument:
    # the key is a document name as records cite it ("003_a2b13ec7f20f0d04.txt")
    return SourceDocument(**_common(e), date=e.get("date", e.date), title=e.get("title", str))


def _contact(e: _Entry) -> Contact:
    return Contact(
        **_common(e),
        name=e.get("name", str, required=True),
        organisation=e.get("organisation", e.key_ref),
        role=e.get("role", str),
        email=e.get("email", str),
    )


SECTIONS: dict[str, Callable[[_Entry], AnyRecord]] = {
    "collectivities": _collectivity,
    "institutions": _institution,
    "partnerships": _partnership,
    "agreements": _agreement,
    "changes": _change,
    "projects": _project,
    "fundings": _funding,
    "reorganizations": _reorganization,
    "programmes": _programme,
    "themes": _theme,
    "relations": _relation,
    "memberships": _membership,
    "contacts": _contact,
    "source_documents": _source_document,
}
_TOP_LEVEL = {"coopkg", "language", "source", *SECTIONS}

# How a claimed value is read, by field name (a claim's value has the field's type).
_CLAIM_CONVERTERS: dict[str, str] = {
    "signed": "date", "start": "date", "end": "date", "date": "date", "year": "date",
    "amount": "decimal", "title": "label", "name": "label",
}


def _claimable() -> dict[str, frozenset[str]]:
    """The fields a claim may name, per section: the record class's own fields (a claim on
    another name has nowhere to go in the graph; it crashed the emitter)."""
    import dataclasses
    import typing

    out = {}
    for section, build in SECTIONS.items():
        cls = typing.get_type_hints(build)["return"]
        out[section] = frozenset(f.name for f in dataclasses.fields(cls)) - {"key", "sources", "claims"}
    return out


_CLAIMABLE = _claimable()


def _claims(e: _Entry) -> list[Claim]:
    out = []
    for item in _as_list(e.raw.get("claims")):
        if not isinstance(item, dict) or not {"field", "value", "source"} <= item.keys():
            e.problem("claims", "a claim needs 'field', 'value' and 'source'")
            continue
        name = str(item["field"])
        if name not in _CLAIMABLE.get(e.section, frozenset()):
            known = ", ".join(sorted(_CLAIMABLE.get(e.section, ()))) or "none"
            e.problem("claims", f"a claim on {name!r}, which is not a field of {e.section} (its fields: {known})")
            continue
        convert = {"date": e.date, "decimal": e.decimal, "label": e.label}.get(
            _CLAIM_CONVERTERS.get(name, ""), lambda v: v
        )
        try:
            out.append(Claim(name, convert(item["value"]), _source_ref(str(item["source"]), e.ctx.source)))
        except (ValueError, TypeError, InvalidOperation) as err:
            e.problem("claims", f"claim on {name}: {err}")
    return out


def read_text(path: Path, result: ReadResult) -> str | None:
    """A native record file's text (UTF-8, a BOM allowed), or None with the problem in ``result``
    (the YAML and JSON Lines readers share it)."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        result.problems.append(Problem(str(path), None, None, f"not UTF-8 text ({err.reason} at byte {err.start})"))
    except OSError as err:
        result.problems.append(Problem(str(path), None, None, f"cannot read: {err.strerror}"))
    return None


def read(path: Path | str, **options: Any) -> ReadResult:
    """Read one native YAML file into records and problems (options of other readers are ignored)."""
    path = Path(path)
    result = ReadResult(reader=NAME, source=str(path))
    name = str(path)
    text = read_text(path, result)
    if text is None:
        return result
    try:
        try:
            doc = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
        except yaml.YAMLError:
            if not yaml.__with_libyaml__:
                raise
            doc = yaml.load(text, Loader=_PyLineLoader)  # noqa: S506 - PyYAML's own words for the error
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark else None
        result.problems.append(Problem(name, line, None, f"not valid YAML: {getattr(err, 'problem', err)}"))
        return result
    if not isinstance(doc, dict) or "coopkg" not in doc:
        result.problems.append(Problem(name, 1, "coopkg", "not a coopkg record file: 'coopkg: 1' is missing"))
        return result
    if doc.get("coopkg") != FORMAT_VERSION:
        result.problems.append(Problem(name, doc.get(_LINE), "coopkg", f"unsupported format version {doc.get('coopkg')!r}"))
        return result
    for key, first, line, value in doc.pop(_DUPLICATES, []):
        result.problems.append(Problem(name, line, str(key), f"duplicate key {key!r} at lines {first} and {line}"
                                       + ("; the entries of both are read" if key in SECTIONS else "; the first is kept")))
        if key in SECTIONS and isinstance(doc.get(key), list) and isinstance(value, list):
            doc[key] = doc[key] + value  # a section written twice: lose none of its records
    for extra in sorted(set(doc) - _TOP_LEVEL - {_LINE}):
        result.problems.append(Problem(name, None, extra, f"unknown section {extra!r}", "warning"))
    ctx = file_context(name, doc.get("language"), doc.get("source"), result)
    sections: dict[str, list[Any]] = {}
    for section in SECTIONS:
        entries = doc.get(section) or []
        if not isinstance(entries, list):
            result.problems.append(Problem(name, None, section, f"section {section!r} must be a list"))
            continue
        sections[section] = entries
    read_entries(sections, ctx, result)
    return result


def file_context(file: str, language: Any, source: Any, result: ReadResult, line: int | None = None) -> _Context:
    """The file-level settings (``language:``, ``source:``) entries are read with; a bad
    language is reported in ``result`` (another syntax of this format uses it too)."""
    language = str(language or "en")
    try:
        check_language(language)
    except TermError as err:
        result.problems.append(Problem(file, line, "language", f"{err}: texts without their own language are left out"))
    return _Context(file, language, source)


def read_entries(sections: dict[str, list[Any]], ctx: _Context, result: ReadResult) -> None:
    """Entries (mappings with their line under ``__line__``) -> records and problems in ``result``.

    The one path from a native entry to a record, whatever syntax the file was written in
    (YAML here, JSON Lines in coopkg.readers.jsonlines, which gives `EntryReader` one line's
    entry at a time): the same fields give the same record. Sections are read in SECTIONS
    order, entries in their order; each list is emptied as it is read.
    """
    reader = EntryReader(ctx, result)
    for section in SECTIONS:
        entries = sections.get(section) or []
        for index, raw in enumerate(entries):
            entries[index] = None  # let each raw mapping go once read: at atlas scale they outweigh the records
            reader.add(section, raw)
    reader.finish()


class EntryReader:
    """`read_entries` fed one entry at a time, in any order of sections: each section's records
    and problems are kept apart and put in ``result`` by `finish` in SECTIONS order, entries in
    the order given, so the records and problems are those `read_entries` gives. A reader that
    makes each raw mapping a record at once never holds every raw mapping beside the records
    (~0.5 GB at 120,000 partnerships)."""

    def __init__(self, ctx: _Context, result: ReadResult) -> None:
        self.ctx = ctx
        self.result = result
        self._seen: dict[tuple[str, str], int | None] = {}
        self._records: dict[str, list[AnyRecord]] = {section: [] for section in SECTIONS}
        self._problems: dict[str, list[Problem]] = {section: [] for section in SECTIONS}

    def add(self, section: str, raw: Any) -> None:
        """Read one entry of ``section`` (one of SECTIONS)."""
        problems = self._problems[section]
        if not isinstance(raw, dict):
            problems.append(Problem(self.ctx.file, None, section, f"an entry of {section!r} is not a mapping"))
            self.result.skipped += 1
            return
        entry = _Entry(raw, self.ctx, section)
        for key, first, line, _ in raw.pop(_DUPLICATES, []):
            entry.problem(str(key), f"duplicate key {key!r} at lines {first} and {line} of one entry", fatal=True)
        record = SECTIONS[section](entry)
        record.claims = _claims(entry)
        problems.extend(entry.problems)
        if entry.fatal:
            self.result.skipped += 1
            return
        ident = (section, record.key)
        seen = self._seen
        if ident in seen:
            problems.append(
                Problem(self.ctx.file, entry.line, "key",
                        f"duplicate key {record.key!r} in {section} (first at line {seen[ident]})", record=record.key)
            )
            self.result.skipped += 1
            return
        seen[ident] = entry.line
        self._records[section].append(record)

    def finish(self) -> None:
        """Put the records and problems read in ``result``, section after section."""
        for section in SECTIONS:
            self.result.problems.extend(self._problems.pop(section))
            self.result.records.extend(self._records.pop(section))
