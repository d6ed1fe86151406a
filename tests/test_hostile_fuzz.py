"""Grammar-based fuzzing of the YAML and CSV readers: whatever the fields hold, reading never
raises, every problem names its file, and the graph made of what was kept parses.

Hypothesis writes record files in the shapes the readers accept (native YAML entries with
arbitrary texts, tags, keys, dates, amounts; mapped CSV rows with arbitrary cells) and the
whole pipeline runs on them: read, merge, screen, emit, write Turtle, parse with Oxigraph.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyoxigraph as ox
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopkg import build
from coopkg.terms import GRAPH_TERMS

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
TEXT = st.text(st.characters(min_codepoint=1, max_codepoint=0x10FFFF, blacklist_categories=("Cs",)), max_size=30)
SCALAR = st.one_of(TEXT, st.integers(-10**40, 10**40), st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
                   st.none(), st.sampled_from(["1e999999999999", "2004", "31.02.2004", "fr", "en fr", "county"]))
VALUE = st.recursive(SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                      st.dictionaries(TEXT, inner, max_size=3)), max_leaves=6)
FIELDS = ["key", "name", "kind", "country", "lang", "text", "signed", "amount", "currency", "parties", "funds",
          "funder", "note", "documents", "line", "claims", "homepage", "alt_names", "title", "start", "end"]
ENTRY = st.dictionaries(st.sampled_from(FIELDS), VALUE, max_size=8)
SECTIONS = ["collectivities", "institutions", "partnerships", "agreements", "fundings", "contacts", "themes"]


def _graph_parses(records: list) -> None:
    text = GRAPH_TERMS.turtle_document(build.graph_text(records))
    assert list(ox.parse(text, format=ox.RdfFormat.TURTLE))


@SETTINGS
@given(doc=st.dictionaries(st.sampled_from(SECTIONS), st.lists(ENTRY, max_size=4), max_size=3),
       language=st.one_of(st.none(), TEXT, st.sampled_from(["ro", "fr", "en fr"])))
def test_native_yaml_of_any_content_reads_and_builds(tmp_path_factory, doc, language) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "records.yaml"
    document = {"coopkg": 1, **({"language": language} if language is not None else {}), **doc}
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    loaded = build.load([path], use_gazetteer=False)
    for problem in loaded.problems:
        assert problem.file and str(problem)
    _graph_parses(loaded.records)


MAPPING = """\
coopkg-mapping: 1
record: agreement
language: ro
columns:
  parties: Partners
  kind: Type
  date: Signed
  note: Notes
split:
  parties: " / "
values:
  kind:
    protocol: cooperation-protocol
defaults:
  home_country: RO
  country: FR
"""


@SETTINGS
@given(rows=st.lists(st.tuples(TEXT, st.one_of(TEXT, st.just("protocol")), TEXT, TEXT), max_size=6))
def test_a_mapped_csv_of_any_cells_reads_and_builds(tmp_path_factory, rows) -> None:
    folder = tmp_path_factory.mktemp("fuzzcsv")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Partners", "Type", "Signed", "Notes"])
    writer.writerows(rows)
    sheet = folder / "sheet.csv"
    sheet.write_text(buffer.getvalue(), encoding="utf-8")
    (folder / "sheet.csv.mapping.yaml").write_text(MAPPING, encoding="utf-8")
    loaded = build.load([Path(sheet)], reader="mapped")
    for problem in loaded.problems:
        assert problem.file and str(problem)
    _graph_parses(loaded.records)
