"""The screen's quick pass (no field paths) refuses exactly what its full check refuses."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopkg import build, limits, screen
from coopkg.records import Label, Problem
from coopkg.terms import TermError


def _full_refuses(record: object, exponent: int) -> bool:
    try:
        screen._check(record, "", exponent)
    except TermError:
        return True
    return False


@pytest.fixture(scope="module")
def bundled_records() -> list:
    return build.load().records


def test_every_bundled_record_passes_both_ways(bundled_records):
    exponent = limits.current().number_exponent
    assert bundled_records
    for record in bundled_records:
        assert screen._passes(record, exponent) and not _full_refuses(record, exponent), record.key


BAD_VALUES = {
    "a lone surrogate": "Ar\ud800ad",
    "a bad language tag": Label("Arad", "fr . <http://e.example/s> <http://e.example/p> \"x\""),
    "a surrogate in a label": Label("Ar\udc00ad", "ro"),
    "a huge exponent": Decimal("1e999999"),
    "not a number": Decimal("NaN"),
}


@pytest.mark.parametrize("what", sorted(BAD_VALUES))
def test_a_bad_value_anywhere_is_refused_by_both_and_named(bundled_records, what):
    exponent = limits.current().number_exponent
    bad = BAD_VALUES[what]
    tried = 0
    for record in bundled_records[:60]:
        for field in dataclasses.fields(record):
            value = getattr(record, field.name)
            if isinstance(bad, str | Label) and isinstance(value, str | Label) and field.name not in ("key", "lang"):
                changed = dataclasses.replace(record, **{field.name: bad if isinstance(value, type(bad)) else value})
            elif isinstance(bad, Decimal) and isinstance(value, Decimal):
                changed = dataclasses.replace(record, **{field.name: bad})
            else:
                continue
            if changed == record:
                continue
            tried += 1
            assert not screen._passes(changed, exponent)
            assert _full_refuses(changed, exponent)
            kept, problems = screen.writable([record, changed])
            assert kept == [record]
            assert [p.field for p in problems if isinstance(p, Problem)] == [field.name]
    assert tried, f"no bundled record has a field for {what}"


@settings(max_examples=200, deadline=None)
@given(text=st.text(), lang=st.one_of(st.none(), st.text(max_size=12)), digits=st.integers(-20, 20),
       exponent=st.integers(-400_000, 400_000))
def test_quick_and_full_agree_on_arbitrary_values(text, lang, digits, exponent):
    value = [Label(text, lang), Decimal(digits).scaleb(exponent), text]
    limit = limits.current().number_exponent
    assert screen._passes(value, limit) == (not _full_refuses(value, limit))


class _Text(str):
    pass


@dataclasses.dataclass(frozen=True)
class _Tagged(Label):
    pass


@pytest.mark.parametrize("value", [
    [_Text("Ar\ud800ad")], [_Text("ok")], _Tagged("Arad", ""), _Tagged("Ar\udc00ad", "ro"), _Tagged("Arad", "no tag"),
    ("x" * 70_000,), ["Ar\ud800ad", "ok"], [Label("Arad", "fr"), Label("Arad", "bad tag")], [1, 2.5, True, None],
])
def test_the_walk_by_type_agrees_on_subclasses_and_mixed_values(bundled_records, value):
    limit = limits.current().number_exponent
    assert screen._passes(value, limit) == (not _full_refuses(value, limit))
    record = bundled_records[0]
    lang_field = next((f.name for f in dataclasses.fields(record) if f.name in ("note_lang", "lang")), None)
    if lang_field and isinstance(value, list) and value and isinstance(value[0], _Text):
        # a subclass of str in a language field is checked as a tag, as `_check` does
        changed = dataclasses.replace(record, **{lang_field: value[0]})
        assert screen._passes(changed, limit) == (not _full_refuses(changed, limit))
