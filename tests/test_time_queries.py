"""The canned queries about time read the interval rule of docs/time.md (the lifetimes the
build derives): unknown start is unknown, planned is not active, a partial date is an
interval, a term gives an expected end, later evidence extends it. Table cases on records
made for each case, on Oxigraph and rdflib."""

from __future__ import annotations

from pathlib import Path

import pytest

from coopkg import build, query
from coopkg.readers import native
from coopkg.store import Store, from_text

RECORDS = """\
coopkg: 1
language: en
source: cases.txt
collectivities:
  - {key: c-a, name: "County A", kind: county, country: RO, line: 1}
  - {key: c-b, name: "Region B", kind: region, country: FR, line: 2}
partnerships:
  # no start of its own: it begins with its first agreement (signed in March 2010)
  - {key: p-derived-month, title: "Derived month", parties: [c-a, c-b], status: ongoing,
     term: {years: 3}, line: 3}
  # begins with a funding of 2004 (a year), stated end none, no term: last evidence 2006
  - {key: p-derived-year, title: "Derived year", parties: [c-a, c-b], line: 4}
  # a triennial term from 2010-03-15 with a funding of 2014: alive after its term ran out
  - {key: p-evidence-late, title: "Evidence late", parties: [c-a, c-b], status: ongoing,
     start: 2010-03-15, term: {years: 3}, line: 5}
  # three years renewable twice, begun 2001-06-01: surely until 2004-05-31, possibly 2010-05-31
  - {key: p-renewable, title: "Renewable", parties: [c-a, c-b], start: 2001-06-01,
     term: {years: 3, renewable_times: 2}, line: 6}
  # ongoing, with a term but nothing dated at all: unknown start, no term end
  - {key: p-undated, title: "Undated", parties: [c-a, c-b], status: ongoing, term: {years: 2}, line: 7}
agreements:
  - {key: a-month, kind: cooperation-protocol, parties: [c-a, c-b], partnership: p-derived-month,
     signed: 2010-03, line: 8}
  - {key: a-planned, kind: programme-protocol, title: "Planned protocol", parties: [c-a, c-b],
     partnership: p-derived-year, status: planned, start: 2005, end: 2007, term: {years: 2}, line: 9}
  - {key: a-year-end, kind: cooperation-protocol, parties: [c-a, c-b], partnership: p-derived-year,
     end: 2006, line: 10}
fundings:
  - {key: f-2004, funder: c-b, amount: 10, currency: EUR, year: 2004, funds: p-derived-year, line: 11}
  - {key: f-2014, funder: c-b, amount: 10, currency: EUR, year: 2014-02, funds: p-evidence-late, line: 12}
"""


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def runner(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> query.LocalRunner:
    path = tmp_path_factory.mktemp("time") / "cases.yaml"
    path.write_text(RECORDS, encoding="utf-8")
    result = native.read(path)
    assert result.problems == []
    store: Store = from_text(build.graph_text(result.records), request.param)  # type: ignore[arg-type]
    return query.LocalRunner(store)


def _ask(runner: query.LocalRunner, name: str, **values: str) -> list[tuple[str, ...]]:
    answer = query.run(query.find_query(name), values, runner)
    return [tuple("" if v is None else str(v).rsplit("/", 1)[-1] for v in row) for row in answer.rows]  # type: ignore[union-attr]


def _timeline(runner: query.LocalRunner, key: str) -> list[tuple[str, str, str, str]]:
    """(date, event, item, detail) rows, in the query's order."""
    return [(r[1], r[2], r[3], r[7]) for r in _ask(runner, "partnership-timeline", partnership=key)]


TIMELINE = [
    ("p-derived-month", [
        # a begin derived from a month keeps the month (never a widened day)
        ("2010-03", "partnership-derived-start", "p-derived-month", "derived from its first dated record"),
        ("2010-03", "agreement-signed", "a-month", ""),
        # 3 years from March 2010: surely running until the day before March 2013's first
        ("2013-02-28", "partnership-term-end", "p-derived-month", "the end of its term (and recorded renewals)"),
        # ... and, begun some day of March 2010, possibly until the day before some day of March 2013
        ("2013-03-30", "partnership-latest-end", "p-derived-month", "the latest its term may end"),
    ]),
    ("p-derived-year", [
        ("2004", "partnership-derived-start", "p-derived-year", "derived from its first dated record"),
        ("2004", "funding", "f-2004", "Region B"),
        # the planned protocol's dates are a plan's: named so, and no evidence of the partnership
        ("2005", "planned-agreement-start", "a-planned", ""),
        # the last evidence is the first day of 2006 (surely running then), sorted before "2006"
        ("2006-01-01", "partnership-last-evidence", "p-derived-year",
         "the last dated record: possibly active after, end unknown"),
        ("2006", "agreement-end", "a-year-end", ""),
        ("2007", "planned-agreement-end", "a-planned", ""),
    ]),
    ("p-renewable", [
        ("2001-06-01", "partnership-start", "p-renewable", ""),
        ("2004-05-31", "partnership-term-end", "p-renewable", "the end of its term (and recorded renewals)"),
        ("2010-05-31", "partnership-latest-end", "p-renewable", "the latest its term may end"),
    ]),
    # nothing dated: no derived begin or end (unknown is unknown)
    ("p-undated", []),
]


@pytest.mark.parametrize(("key", "expected"), TIMELINE, ids=[c[0] for c in TIMELINE])
def test_timeline_shows_the_interval_rule(runner: query.LocalRunner, key: str,
                                          expected: list[tuple[str, str, str, str]]) -> None:
    assert _timeline(runner, key) == expected


# (at, months, expected (item, begin, termEnd, state) rows)
TERMS = [
    # derived begin 2010-03 + 3 years = 2013-03, at month precision: ending when March 2013
    # is within the months ahead, run out only after its last day
    ("2012-10-01", "6", [("p-derived-month", "2010-03", "2013-03", "ending"),
                         ("p-evidence-late", "2010-03-15", "2013-03-15", "ending")]),
    ("2013-03-31", "1", [("p-derived-month", "2010-03", "2013-03", "ending")]),
    # p-evidence-late: its term ran out on 2013-03-15 but a funding of February 2014 shows
    # it surely running on 2014-02-01: not run out until after that day
    ("2013-06-01", "6", [("p-derived-month", "2010-03", "2013-03", "run-out")]),
    ("2014-02-01", "6", [("p-derived-month", "2010-03", "2013-03", "run-out")]),
    ("2014-02-02", "6", [("p-derived-month", "2010-03", "2013-03", "run-out"),
                         ("p-evidence-late", "2010-03-15", "2013-03-15", "run-out")]),
]


@pytest.mark.parametrize(("at", "months", "expected"), TERMS, ids=[f"{c[0]}+{c[1]}" for c in TERMS])
def test_terms_ending_reads_the_interval_rule(runner: query.LocalRunner, at: str, months: str,
                                             expected: list[tuple[str, str, str, str]]) -> None:
    rows = _ask(runner, "terms-ending", at=at, months=months)
    # never the planned protocol (not ongoing) nor the undated partnership (no begin)
    assert sorted((r[2], r[5], r[9], r[11]) for r in rows) == sorted(expected)


def test_the_cases_file_is_what_the_tests_read(tmp_path: Path) -> None:
    # guards the table: the planned protocol really is planned, the undated one undated
    path = tmp_path / "cases.yaml"
    path.write_text(RECORDS, encoding="utf-8")
    by_key = {r.key: r for r in native.read(path).records}
    assert by_key["a-planned"].status == "planned"  # type: ignore[attr-defined]
    assert by_key["p-undated"].start is None and by_key["p-undated"].term is not None  # type: ignore[attr-defined]
