"""Publication date estimates for documents the input gave no date.

News reports what has happened: a document is published on or after the
latest full date it names, and on or after the next occurrence of each
weekday it mentions looking back from that date ("signed on Wednesday, June
19 … said on Thursday" puts it on 20 June at the earliest). Dates in the
removed page junk count too (a photo caption's date). A copyright year is
only an upper bound: sites update their footers, so "© 2025" on a 2024
article is common. When no full date is named, the estimate is a window (not
before the latest month or year named), and ``published`` stays empty:
nothing is invented, and ``published_evidence`` says why. Other documents
of the same story may narrow a window later (``story_dating``): ``within``
checks such a window against what the document says itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from storyline.model import Document, Timex
from storyline.stages.timex import WEEKDAYS, resolve

_FULL_DATE = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+(?:19|20)\d\d\b"
)
_COPYRIGHT_YEAR = re.compile(r"(?:©|\(c\)|copyright)\D{0,60}?((?:19|20)\d\d)", re.IGNORECASE)
_YEAR_CUE = re.compile(r"\b(?:in|since|during|until|by|of|from)\s+$", re.IGNORECASE)
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Estimate:
    published: str | None
    evidence: str


def _named_dates(doc: Document, found: list[Timex]) -> list[tuple[str, str, str]]:
    """(value, granularity, the text that names it) for dates carrying their year."""
    named = [(t.value, t.granularity, t.text) for t in found if t.granularity in ("day", "month")]
    # A bare year is a time only when a preposition says so ("in 2023"), not
    # in "its 2026 contribution".
    named += [
        (t.value, "year", t.text)
        for t in found
        if t.granularity == "year" and _YEAR_CUE.search(doc.text[max(0, t.start - 8) : t.start])
    ]
    for removal in doc.removed:
        if removal.kind == "copyright":
            continue
        for m in _FULL_DATE.finditer(removal.text):
            resolved = resolve(m.group(), None)
            if resolved is not None and resolved.granularity == "day":
                named.append((resolved.value, "day", f"{m.group()} (in a removed {removal.kind})"))
    return named


def _copyright_year(doc: Document) -> int | None:
    years = [
        int(m.group(1))
        for removal in doc.removed
        if removal.kind == "copyright"
        for m in _COPYRIGHT_YEAR.finditer(removal.text)
    ]
    return max(years) if years else None


def within(
    doc: Document, found: list[Timex], start: date, end: date, reason: str
) -> Estimate | None:
    """The estimate for a document that other evidence puts between ``start`` and
    ``end``, narrowed by the dates it names itself; None when the two disagree.
    (Weekdays it names cannot narrow it further: any seven days hold them all.)"""
    upper = _copyright_year(doc)
    if upper is not None and start.year > upper:
        return None
    named = [n for n in _named_dates(doc, found) if upper is None or int(n[0][:4]) <= upper]
    latest = max((n[0] for n in named), default="")
    if latest > end.isoformat()[: len(latest)]:
        return None
    if len(latest) == 10:
        start = max(start, date.fromisoformat(latest))
    if start > end:
        return None
    return Estimate(
        start.isoformat(),
        f"estimated from its story: {reason}; published between {start} and {end}",
    )


def estimate(doc: Document, found: list[Timex]) -> Estimate:
    """The publication date a document's own words allow, with what they are."""
    upper = _copyright_year(doc)
    named = [n for n in _named_dates(doc, found) if upper is None or int(n[0][:4]) <= upper]
    days = sorted((n for n in named if n[1] == "day"), key=lambda n: n[0])
    if days:
        value, _, text = days[-1]
        latest = date.fromisoformat(value)
        published = latest
        for name in {m.group(1).lower() for m in _WEEKDAY.finditer(doc.text)}:
            ahead = (WEEKDAYS.index(name) - latest.weekday()) % 7
            published = max(published, latest + timedelta(days=ahead))
        weekday_note = (
            f"; the weekdays it mentions put it on {published.isoformat()} at the earliest"
            if published != latest
            else ""
        )
        return Estimate(
            published.isoformat(),
            f"estimated: the latest date it names is {value} ('{text}'){weekday_note}",
        )
    bound = max(named, key=lambda n: n[0], default=None)
    ceiling = f", and its copyright year {upper} is an upper bound" if upper else ""
    if bound is not None:
        return Estimate(
            None,
            f"not dated: not before {bound[0]} (the latest date it names, '{bound[2]}'){ceiling}",
        )
    if upper is not None:
        return Estimate(None, f"not dated: no date in the text; copyright year {upper}")
    return Estimate(None, "not dated: the text names no date")
