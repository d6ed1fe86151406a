"""Keys that readers derive, so that two readers of the same fact agree on its key.

An agreement is named by its sorted party keys and its signature date
(``fr-rhone--ro-timis--1997-11-22``): the registry reader, a mapped spreadsheet and
a second copy of the table all give the same key, and merge into one node.
"""

from __future__ import annotations

from collections.abc import Iterable

from coopkg.iris import slugify
from coopkg.records import PartialDate


def agreement_key(parties: Iterable[str], signed: PartialDate | None, kind: str | None = None) -> str:
    """``<party>--<party>--<date>``; undated agreements use their kind instead of the date."""
    when = signed.isoformat() if signed else f"undated-{kind or 'agreement'}"
    return "--".join([*sorted(set(parties)), when])


def partnership_key(parties: Iterable[str], suffix: str | None = None) -> str:
    """``<party>--<party>`` (+ ``--<suffix>``) for a partnership between parties."""
    parts = sorted(set(parties))
    return "--".join(parts + ([short_slug(suffix)] if suffix else []))


def short_slug(text: str, limit: int = 48) -> str:
    """The slug of a title, cut at a word boundary so keys stay readable."""
    slug = ""
    for word in slugify(text).split("-"):
        if slug and len(slug) + 1 + len(word) > limit:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug


def change_key(agreement: str, kind: str, date: PartialDate | None, n: int = 1) -> str:
    when = date.isoformat() if date else str(n)
    return f"{agreement}--{kind}-{when}"
