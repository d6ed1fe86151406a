"""Dates as the sources write them, in French, Romanian and English, precision kept.

"16.02.1996", "16/02/1996", "1996-02-16", "16 februarie 1996", "22 novembre 1997",
"1er juin 2012", "juin 2012", "iulie 2009", "July 2009", "February 16, 1996", "anul 2010",
a spreadsheet's "1996-02-16 00:00:00", "2010", "since 1965", "12. März 2004",
"12 de marzo de 2004" and "12 marzo 2004" all parse; a year stays
a year ("1993" -> PartialDate(1993)), so nothing more precise than the source is claimed.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from functools import lru_cache

from coopkg.records import PartialDate


class DateError(ValueError):
    """A text that is not a date we can read, with the reason in plain words."""


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


# Month names (folded: no diacritics, lower case) in fr, ro, en, with usual abbreviations,
# then de, es, it (the twinning tables of those Wikipedias: "12. März 2004", "12 de marzo de 2004").
_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "janvier ianuarie january jan janv ian  januar janner enero gennaio",
        "fevrier februarie february feb fev fevr febr  februar febrero febbraio",
        "mars martie march mar  marz maerz marzo",
        "avril aprilie april apr avr  abril aprile",
        "mai may  mayo maggio",
        "juin iunie june jun iun  juni junio giugno",
        "juillet iulie july jul juil iul  juli julio luglio",
        "aout august aug  agosto",
        "septembre septembrie september sep sept  septiembre settembre",
        "octobre octombrie october oct  oktober octubre ottobre",
        "novembre noiembrie november nov noi  noviembre",
        "decembre decembrie december dec  dezember diciembre dicembre",
    ],
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUMERIC_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_MONTH_YEAR_NUM = re.compile(r"^(\d{1,2})[./](\d{4})$")
_WORDS = re.compile(
    rf"^(?:(\d{{1,2}})(?:er|st|nd|rd|th|\.)?\s+(?:de\s+)?)?({_MONTH_ALT})\.?\s+(?:de\s+|del\s+)?(\d{{4}})$"
)
_EN_MDY = re.compile(rf"^({_MONTH_ALT})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})$")


# "+1958-01-01T00:00:00Z": how Wikidata writes a P580/P582 value; a query service CSV or
# JSON download drops its precision, and a year-precision value is stored as Jan 1st.
_WIKIDATA_MIDNIGHT = re.compile(r"^\+?(\d{4})-(\d{2})-(\d{2})t00:00:00z$")


def timestamp_date(year: int, month: int, day: int, text: str = "") -> PartialDate:
    """A Wikidata timestamp of unknown precision: 01-01 means the year (claim no more than
    the source), any other day the day."""
    return _checked(year, text=text) if (month, day) == (1, 1) else _checked(year, month, day, text)


def _checked(year: int, month: int | None = None, day: int | None = None, text: str = "") -> PartialDate:
    if not 1000 <= year <= 2999:
        raise DateError(f"year {year} in {text!r} is out of range")
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"month {month} in {text!r} does not exist")
    if day is not None:
        assert month is not None
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise DateError(f"day {day} does not exist in {year:04d}-{month:02d} ({text!r})")
    return PartialDate(year, month, day)


def parse_date(text: str) -> PartialDate:
    """Parse one date; raise DateError with a readable reason when it is not one."""
    return _parse_date(str(text))


@lru_cache(maxsize=65536)
def _parse_date(text: str) -> PartialDate:
    # Cached: an atlas repeats the same years and days tens of thousands of times, and a
    # PartialDate is immutable (errors are not cached: each caller gets its own).
    raw = " ".join(text.split())
    folded = _fold(raw).strip(" ,;")
    # "since 1965" in a start column: the start ("depuis", "seit", "desde", "dal" likewise)
    folded = re.sub(r"^(le|la|on|in|en|din|pe|data de|în data de|in data de|anul|annee|l annee|l'annee|year|"
                    r"since|depuis|seit|desde|dal|dall'|from)\s+", "", folded)
    # Wikidata's timestamp without its precision (a query service download): 01-01 is a year
    if m := _WIKIDATA_MIDNIGHT.match(folded):
        return timestamp_date(*(int(g) for g in m.groups()), raw)
    # a spreadsheet's date-time cell ("1996-02-16 00:00:00", "1996-02-16T00:00:00"): the day
    folded = re.sub(r"^(\d{4}-\d{2}-\d{2})[t ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?z?$", r"\1", folded)
    if not folded:
        raise DateError("empty date")
    if m := _ISO.match(folded):
        y, mo, d = m.groups()
        return _checked(int(y), int(mo) if mo else None, int(d) if d else None, raw)
    if m := _NUMERIC_DMY.match(folded):
        d, mo, y = m.groups()
        return _checked(int(y), int(mo), int(d), raw)
    if m := _MONTH_YEAR_NUM.match(folded):
        mo, y = m.groups()
        return _checked(int(y), int(mo), None, raw)
    if m := _WORDS.match(folded):
        d, name, y = m.groups()
        return _checked(int(y), _MONTHS[name], int(d) if d else None, raw)
    if m := _EN_MDY.match(folded):
        name, d, y = m.groups()
        return _checked(int(y), _MONTHS[name], int(d), raw)
    if re.match(r"^\d{1,2}[./-]\d{1,2}[./-]\d{2}$", folded):
        raise DateError(f"{raw!r} has a two-digit year: write the year in full (16.02.1996)")
    raise DateError(f"{raw!r} is not a date (expected e.g. 16.02.1996, 16 februarie 1996, juin 2012, 2010)")


_ANY_DATE = re.compile(
    rf"(\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|"
    rf"(?:\d{{1,2}}(?:er)?\s+)?(?:{_MONTH_ALT})\.?\s+\d{{4}}|\b\d{{4}}\b)",
)


def find_dates(text: str) -> list[PartialDate]:
    """Every date in a free text, in order ("22.11.1997 reînnoit la 19.11.2004")."""
    folded = _fold(" ".join(str(text).split()))
    found: list[PartialDate] = []
    for match in _ANY_DATE.finditer(folded):
        try:
            found.append(parse_date(match.group(0)))
        except DateError:
            continue
    return found


def parse_year_range(text: str) -> tuple[PartialDate, PartialDate] | None:
    """"1993–1997", "2011-2016", "2010 – 2012" -> (start, end) years; None otherwise."""
    m = re.search(r"\b(\d{4})\s*[-–—/]\s*(\d{4})\b", str(text))
    if not m:
        return None
    return _checked(int(m.group(1)), text=text), _checked(int(m.group(2)), text=text)


def compare(a: PartialDate, b: PartialDate) -> int | None:
    """-1 if a is surely before b, 1 if surely after, 0 if equal, None if it depends.

    Dates of mixed precision are intervals: 2004 and 2004-11-19 overlap (None: neither
    order is an error), while 2003 is surely before 2004-02-01.
    """
    if a == b:
        return 0
    if a.latest() < b.earliest():
        return -1
    if a.earliest() > b.latest():
        return 1
    return None
