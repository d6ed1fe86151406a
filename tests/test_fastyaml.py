"""The fast YAML path gives exactly what PyYAML gives, or steps aside."""

from __future__ import annotations

import pytest
import yaml

from coopkg.readers import fastyaml, native


def _both(text: str) -> tuple[object, object]:
    return fastyaml.load(text, native._LineLoader, native._LINE), yaml.load(text, Loader=native._LineLoader)  # noqa: S506


@pytest.mark.parametrize("entry", [
    "{key: a, name: Județul Timiș, kind: county}",
    "{key: on, other: Off, third: y, fourth: NO, fifth: null}",  # YAML 1.1 words
    "{n: 007, h: 0x1F, o: 0o17, u: 1_000, f: .5, g: 1e3, h2: -0.0, i: +12}",
    "{t: 'it''s', d: \"tab\\tand \\\"quote\\\" \\u00e9\", p: back\\slash}",
    "{term: {years: 3, renewable_times: 1}, empty: {}, list: [], nested: [{a: 1}, {b: [x, y]}]}",
    "{title: \"Coopération A – B@fr\", start: 2004-05-20, when: 2004-05, amount: 17462.97}",
    "{élan: été, Ōsaka: 大阪, 'quoted key': v}",
    "{__line__: 99, key: a}",
])
def test_entries_read_as_pyyaml_reads_them(entry: str) -> None:
    text = f"coopkg: 1\nlanguage: fr\npartnerships:\n  - {entry}\n  - {entry}\n"
    fast, slow = _both(text)
    assert fast is not None, "this entry is in the fast subset"
    assert fast == slow
    assert [list(e) for e in fast["partnerships"]] == [list(e) for e in slow["partnerships"]]  # key order too


@pytest.mark.parametrize("entry", [
    "{a:b}",                   # a colon right before a value
    "{a: b, c:d}",
    "{a: .inf}",                # not representable in JSON
    "{a: b} # comment",
    "{a: &x b, c: *x}",         # anchors
    "{a: !!str 1}",             # tags
    "{a: b, }",                 # trailing comma
    "{a: \"\\x41\"}",           # a YAML escape JSON lacks
    "{a, b}",                   # keys without values
    "{1: a}",                   # a non-text key
    "{a: ~}",                   # null spelt ~ (left to PyYAML)
    "{a: 1:30}",                # a sexagesimal int (left to PyYAML)
])
def test_entries_outside_the_subset_step_aside(entry: str) -> None:
    text = f"coopkg: 1\npartnerships:\n  - {entry}\n"
    assert fastyaml.load(text, native._LineLoader, native._LINE) is None


def test_section_without_entries_is_null_as_in_yaml() -> None:
    text = "coopkg: 1\nsource: a.txt\ncollectivities:\npartnerships:\n  - {key: p}\n"
    fast, slow = _both(text)
    assert fast == slow and fast is not None and fast["collectivities"] is None
