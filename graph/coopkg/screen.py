"""The last check between the readers and the emitter: every record can be written as RDF.

Readers check their own fields, but a value can still reach the emitter that the term
writer (`coopkg.terms`) must refuse: a language tag from a mapping's ``language:``, a
lone surrogate from a ``"\\ud800"`` escape, a 20 MB description, an amount of
``1e999999999999``. Here each record is walked once, field by field (generically, so a
field added to the record model later is covered too), with the term writer's own checks;
a record that fails is left out with a FILE:LINE [FIELD] problem and the others are built.

The same pass finds keys that are distinct but mint the same IRI after slugging
(``a_b``, ``a.b`` and ``A-B`` are all ``…/a-b``): an error naming both records, the
first one kept, instead of one node silently holding both records' facts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import Decimal

from coopkg import limits
from coopkg.iris import slugify
from coopkg.records import AnyRecord, Label, Problem, Record, SourceRef, Theme
from coopkg.terms import TermError, check_iri, check_language, check_text, check_texts

# Fields holding a language tag beside a text (note_lang, description_lang, Document.lang).
_LANG_FIELDS = frozenset({"lang", "note_lang", "description_lang"})
# Fields that become IRIs as they are (everything else that names a record goes through slugify).
_IRI_FIELDS = frozenset({"homepage"})


def _where(record: Record) -> tuple[str, int | None]:
    src: SourceRef | None = record.sources[0] if record.sources else None
    return (src.document, src.line) if src else ("?", None)


def _check(value: object, path: str, exponent: int) -> None:
    """Raise TermError (with ``path`` as its field) for the first value that cannot be written."""
    if isinstance(value, str):
        check_text(value, path)
    elif isinstance(value, Label):
        check_text(value.text, path)
        if value.lang:
            check_language(value.lang)
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise TermError(f"{value} is not a finite number")
        if value and abs(value.adjusted()) >= exponent:
            raise TermError(str(limits.over("number_exponent", abs(value.adjusted()), exponent - 1,
                                            "the number's decimal exponent")))
    elif isinstance(value, list | tuple):
        for item in value:
            _check(item, path, exponent)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if item is None:
                continue
            where = f"{path}.{f.name}" if path else f.name
            if f.name in _LANG_FIELDS and isinstance(item, str):
                try:
                    check_language(item)
                except TermError as err:
                    raise _FieldError(where, str(err)) from None
            elif f.name in _IRI_FIELDS and isinstance(item, str):
                try:
                    check_iri(item)
                except TermError as err:
                    raise _FieldError(where, str(err)) from None
            else:
                try:
                    _check(item, where, exponent)
                except _FieldError:
                    raise
                except TermError as err:
                    raise _FieldError(where, str(err)) from None


# Per record class, its fields' names and what each is checked as (0 text/nested, 1 language
# tag, 2 IRI): `dataclasses.fields` and the field paths cost more than the checks themselves.
_FIELD_KINDS: dict[type, tuple[tuple[str, int], ...]] = {}


def _kinds(cls: type) -> tuple[tuple[str, int], ...]:
    known = _FIELD_KINDS.get(cls)
    if known is None:
        known = tuple((f.name, 1 if f.name in _LANG_FIELDS else 2 if f.name in _IRI_FIELDS else 0)
                      for f in dataclasses.fields(cls))
        _FIELD_KINDS[cls] = known
    return known


def _passes(value: object, exponent: int) -> bool:
    """The checks of `_check`, without building a field path: True when ``value`` can be
    written. A record that does not pass goes through `_check` again for its message, so
    this must refuse whatever `_check` refuses (tests/test_screen.py compares the two)."""
    texts: list[str] = []
    try:
        _walk(value, texts, exponent)
        check_texts(texts)  # the texts are collected and checked at once, not one call each
    except TermError:
        return False
    return True


# What `_walk` passes over: values of these exact types hold nothing to check (`_check`
# checks only texts, labels, decimals and what lists and records hold).
_NOTHING = frozenset({int, float, bool, type(None)})
# Language tags already found valid: a few distinct tags, each seen thousands of times.
_GOOD_TAGS: set[str] = set()


def _language(tag: object) -> None:
    if type(tag) is str and tag in _GOOD_TAGS:
        return
    check_language(tag)  # type: ignore[arg-type]
    _GOOD_TAGS.add(tag)  # type: ignore[arg-type]


# Per record class, a function walking its fields (`_walker`): a field path, an isinstance
# chain and `dataclasses.is_dataclass` per value cost more than the checks themselves.
_WALKERS: dict[type, Callable[[object, list[str], int], None]] = {}
# Subclasses of these are walked by `_quick` (their own branch there, not a record's fields).
_NOT_RECORDS = (str, Label, Decimal, list, tuple, type)


def _walker(cls: type) -> Callable[[object, list[str], int], None]:
    kinds = _kinds(cls)

    def walk(value: object, texts: list[str], exponent: int) -> None:
        for name, kind in kinds:
            item = getattr(value, name)
            if item is None:
                continue
            t = type(item)
            if t is str:
                if kind == 0:
                    texts.append(item)
                elif kind == 1:
                    _language(item)
                else:
                    check_iri(item)
            elif t in _NOTHING:
                continue
            elif kind and isinstance(item, str):  # a subclass of str, as `_quick` takes it
                _language(item) if kind == 1 else check_iri(item)
            else:
                _walk(item, texts, exponent)

    _WALKERS[cls] = walk
    return walk


def _walk(value: object, texts: list[str], exponent: int) -> None:
    """`_quick`, by the exact type of each value, texts put in ``texts`` to check at once;
    a type it does not know (a subclass) goes to `_quick`."""
    t = type(value)
    if t is str:
        texts.append(value)  # type: ignore[arg-type]
    elif t is list or t is tuple:
        for item in value:  # type: ignore[attr-defined]
            if type(item) is str:
                texts.append(item)
            elif type(item) not in _NOTHING:
                _walk(item, texts, exponent)
    elif t is Label:
        text, lang = value.text, value.lang  # type: ignore[attr-defined]
        if type(text) is str:
            texts.append(text)
        else:
            check_text(text)
        if lang:
            _language(lang)
    elif t is Decimal:
        if not value.is_finite() or (value and abs(value.adjusted()) >= exponent):  # type: ignore[attr-defined]
            raise TermError("number")
    elif t in _NOTHING:
        return
    else:
        walk = _WALKERS.get(t)
        if walk is None:
            if not dataclasses.is_dataclass(value) or isinstance(value, _NOT_RECORDS):
                _quick(value, exponent)
                return
            walk = _walker(t)
        walk(value, texts, exponent)


def _quick(value: object, exponent: int) -> None:
    """`_check` without field paths, for any value (`_walk` takes the usual types faster)."""
    if isinstance(value, str):
        check_text(value)
    elif isinstance(value, Label):
        check_text(value.text)
        if value.lang:
            check_language(value.lang)
    elif isinstance(value, Decimal):
        if not value.is_finite() or (value and abs(value.adjusted()) >= exponent):
            raise TermError("number")
    elif isinstance(value, list | tuple):
        for item in value:
            _quick(item, exponent)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for name, kind in _kinds(type(value)):
            item = getattr(value, name)
            if item is None:
                continue
            if kind == 1 and isinstance(item, str):
                check_language(item)
            elif kind == 2 and isinstance(item, str):
                check_iri(item)
            else:
                _quick(item, exponent)


class _FieldError(TermError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def writable(records: list[AnyRecord]) -> tuple[list[AnyRecord], list[Problem]]:
    """The records the term writer accepts, and a problem for each one it would refuse."""
    exponent = limits.current().number_exponent
    kept: list[AnyRecord] = []
    problems: list[Problem] = []
    for record in records:
        if _passes(record, exponent):
            kept.append(record)
            continue
        try:
            _check(record, "", exponent)
        except _FieldError as err:
            file, line = _where(record)
            problems.append(Problem(file, line, err.field or None, f"{type(record).__name__} {record.key!r} left out: {err}",
                                    record=record.key))
            continue
        kept.append(record)
    return kept, problems


def distinct_iris(records: list[AnyRecord], kind_of: dict[type, str]) -> tuple[list[AnyRecord], list[Problem]]:
    """Leave out each record whose key slugs to another record's IRI (same kind), with an error
    naming both; the first record read keeps the IRI."""
    owners: dict[tuple[str, str], AnyRecord] = {}
    kept: list[AnyRecord] = []
    problems: list[Problem] = []
    for record in records:
        kind = "theme" if isinstance(record, Theme) else kind_of.get(type(record))
        if kind is None:
            kept.append(record)
            continue
        ident = (kind, slugify(record.key))
        first = owners.get(ident)
        if first is None or first.key == record.key:
            owners.setdefault(ident, record)
            kept.append(record)
            continue
        file, line = _where(record)
        first_file, first_line = _where(first)
        at = f"{first_file}:{first_line}" if first_line is not None else first_file
        problems.append(Problem(file, line, "key",
                                f"key {record.key!r} and key {first.key!r} ({at}) name two {kind} records but give "
                                f"the same IRI (…/{kind}/{ident[1]}); give one of them another key", record=record.key))
    return kept, problems
