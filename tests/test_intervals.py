"""The interval rule of docs/time.md, as a table: what is active, surely or possibly, on which day.

Each row gives what a record states and, for a few days, the answer the rule must give
("certain", "possible" or None for not active). The rows are the cases the document
names: a year, a month, a day, an unknown start, an unknown end, a planned item and a
term with and without renewals; the expectations are worked out from docs/time.md by
hand, not read off a run.
"""

from __future__ import annotations

from datetime import date

import pytest

from coopkg.intervals import add_years, first_day, last_day, span, spans
from coopkg.records import Agreement, AgreementChange, PartialDate, Partnership, Project, SourceDocument, SourceRef, Term


def d(text: str) -> PartialDate:
    parts = [int(p) for p in text.split("-")]
    return PartialDate(*parts)  # type: ignore[arg-type]


C, P, N = "certain", "possible", None

TABLE = [
    # (case, what the record states, {day: expected})
    ("year: a start in 1993 has possibly begun on its first day, surely by its last",
     {"start": d("1993"), "end": d("2016")},
     {"1992-12-31": N, "1993-01-01": P, "1993-12-30": P, "1993-12-31": C, "2015-12-31": C, "2016-01-01": C,
      "2016-01-02": P, "2016-12-31": P, "2017-01-01": N}),
    ("month: an end in January 2016 lasts possibly to the 31st, surely to the 1st",
     {"start": d("2010-03"), "end": d("2016-01")},
     {"2010-02-28": N, "2010-03-01": P, "2010-03-31": C, "2016-01-01": C, "2016-01-31": P, "2016-02-01": N}),
    ("month: February of a leap year ends on the 29th",
     {"start": d("2000"), "end": d("2004-02")},
     {"2004-02-29": P, "2004-03-01": N}),
    ("day: a day is its own interval",
     {"start": d("1996-02-16"), "end": d("1997-07-27")},
     {"1996-02-15": N, "1996-02-16": C, "1997-07-27": C, "1997-07-28": N}),
    ("unknown start: only the end is known, so the item begins there (never active since forever)",
     {"end": d("2016-01"), "status": "ended"},
     {"1950-01-01": N, "2015-12-31": N, "2016-01-15": P, "2016-02-01": N}),
    ("unknown start: derived from the first dated evidence (an agreement signed in 2004)",
     {"evidence": [d("2004-11-19"), d("2009-07")], "status": "ended"},
     {"2004-11-18": N, "2004-11-19": C, "2009-07-01": C, "2009-07-02": P, "2030-01-01": P}),
    ("unknown end: ended at an unknown day, surely running until the last evidence (an amendment)",
     {"start": d("1996-02-16"), "status": "ended", "evidence": [d("1997-07-27")]},
     {"1996-06-01": C, "1997-07-27": C, "1997-07-28": P, "2010-01-01": P}),
    ("unknown end: ongoing in a document of 2013, possibly still today",
     {"start": d("1992"), "status": "ongoing", "evidence": [d("2013")]},
     {"1991-12-31": N, "1992-06-01": P, "2010-01-01": C, "2013-01-01": C, "2013-01-02": P, "2026-01-01": P}),
    ("planned: never active, whatever its dates",
     {"start": d("2013"), "end": d("2014"), "status": "planned"},
     {"2013-06-01": N, "2014-06-01": N}),
    ("term: 3 years renewable once from 28.09.2006, renewal not recorded (« 3+3 ani »)",
     {"signed": d("2006-09-28"), "term_years": 3, "max_renewals": 1, "status": "ended"},
     {"2006-09-27": N, "2006-09-28": C, "2009-09-27": C, "2009-09-28": P, "2012-09-27": P, "2012-09-28": N}),
    ("term: a recorded renewal makes the second term certain",
     {"signed": d("2006-09-28"), "term_years": 3, "max_renewals": 1, "renewals": 1},
     {"2012-09-27": C, "2012-09-28": N}),
    ("term: triennial from 2010 with no known maximum is over by 2013-12-30, « en cours » or not",
     {"start": d("2010"), "term_years": 3, "status": "ongoing"},
     {"2010-06-01": P, "2010-12-31": C, "2012-12-31": C, "2013-06-01": P, "2013-12-30": P, "2013-12-31": N}),
    ("end event: ended by a reorganisation on 1 January 2016, with no end date of its own",
     {"signed": d("1997-11-22"), "status": "ended", "evidence": [d("2004-11-19")], "end_event": d("2016-01-01")},
     {"1997-11-22": C, "2004-11-19": C, "2010-01-01": P, "2016-01-01": P, "2016-01-02": N}),
]


IDS = [f"{row[0].split(':')[0]}-{i}" for i, row in enumerate(TABLE)]


@pytest.mark.parametrize("case, stated, expected", TABLE, ids=IDS)
def test_interval_rule(case: str, stated: dict, expected: dict[str, str | None]) -> None:
    made = span(**stated)
    for day, answer in expected.items():
        got = None if made is None else made.certainty(date.fromisoformat(day))
        assert got == answer, f"{case}: on {day}, {got!r} instead of {answer!r} ({made})"


def test_nothing_dated_gives_no_lifetime() -> None:
    assert span(status="ongoing") is None
    assert span() is None


def test_partial_date_bounds() -> None:
    assert (first_day(d("1993")), last_day(d("1993"))) == (date(1993, 1, 1), date(1993, 12, 31))
    assert (first_day(d("2009-07")), last_day(d("2009-07"))) == (date(2009, 7, 1), date(2009, 7, 31))
    assert last_day(d("2001-02")) == date(2001, 2, 28)
    assert add_years(d("2004-02-29"), 1) == d("2005-02-28")
    assert add_years(d("2010"), 3) == d("2013")


def test_spans_from_records_use_parts_renewals_and_document_dates() -> None:
    src = [SourceRef("page.txt", 4)]
    records = [
        SourceDocument(key="page.txt", date=d("2013"), sources=[SourceRef("page.txt", 1)]),
        Partnership(key="p", parties=["a", "b"], status="ongoing", sources=src),
        Agreement(key="p-a", parties=[], partnership="p", signed=d("2004-11-19"), sources=src),
        Agreement(key="p-planned", parties=[], partnership="p", start=d("1990"), status="planned", sources=src),
        AgreementChange(key="p-a-r", kind="renewal", agreement="p-a", date=d("2008-03"), sources=src),
        Project(key="p-x", title=None, partnership="p", end=d("2011"), sources=src),
        Agreement(key="solo", parties=[], signed=d("2006-09-28"), term=Term(years=3, renewable_times=1), sources=src),
    ]
    got = spans(records)
    # the planned agreement's 1990 is no evidence; the first is the 2004 signature
    assert got["partnership:p"].earliest_start == date(2004, 11, 19)
    assert got["partnership:p"].start_basis == "derived"
    # ongoing on a 2013 page: surely running on its first day
    assert got["partnership:p"].certainty(date(2013, 1, 1)) == "certain"
    assert got["partnership:p"].certainty(date(2020, 1, 1)) == "possible"
    assert "agreement:p-planned" not in got
    assert got["agreement:solo"].certainty(date(2011, 1, 1)) == "possible"
