"""Temporal expressions resolved against an anchor date (TimeML-style values).

Parsing of explicit dates is left to dateparser; anchoring is ours: a weekday
name is the most recent such day on or before the anchor when the sentence
looks back, the next one when it looks forward ("will meet on Monday"); a
month and day without a year take the year that puts them nearest the anchor
on the side the tense points to; "last month", "this week", "yesterday"
count from the anchor. Durations ("four days") get ISO 8601 durations.
Values: ``2024-06-20`` (day), ``2024-06`` (month), ``2024`` (year),
``2024-W25`` (week), ``P4D`` (duration), ``PRESENT_REF`` (now).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "several": None, "few": None, "many": None,
}  # fmt: skip
_UNITS = {"day": "D", "week": "W", "month": "M", "year": "Y", "decade": "DE", "hour": "H"}
_DURATION = re.compile(
    r"^(?:(?:about|more than|less than|nearly|almost|at least|over|some|the past|the last|"
    r"the next|another)\s+)*(?P<n>\d+|" + "|".join(_NUMBERS) + r")[- ]"
    r"(?P<unit>day|week|month|year|decade|hour)s?(?:\s+(?P<ago>ago|earlier|later))?$",
    re.IGNORECASE,
)
_RELATIVE = {
    "today": (0, "day"),
    "tonight": (0, "day"),
    "yesterday": (-1, "day"),
    "tomorrow": (1, "day"),
    "this week": (0, "week"),
    "last week": (-1, "week"),
    "next week": (1, "week"),
    "this month": (0, "month"),
    "last month": (-1, "month"),
    "next month": (1, "month"),
    "earlier this month": (0, "month"),
    "this year": (0, "year"),
    "last year": (-1, "year"),
    "next year": (1, "year"),
    "earlier this year": (0, "year"),
}
_PRESENT = frozenset({"now", "currently", "recently", "these days", "the time", "present"})
_LEADING = re.compile(r"^(?:the|late|early|on|last|this|next|by|since|until|in)\s+", re.IGNORECASE)
_YEAR = re.compile(r"^(?:(?:in|the year)\s+)?((?:19|20)\d\d)$")


@dataclass(frozen=True, slots=True)
class Resolved:
    value: str
    granularity: str  # day, week, month, year, duration, present
    confidence: float


def _month_shift(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _weekday(name: str, anchor: date, future: bool, qualifier: str) -> date:
    target = WEEKDAYS.index(name.lower())
    if future or qualifier == "next":
        ahead = (target - anchor.weekday()) % 7
        return anchor + timedelta(days=ahead or (7 if qualifier == "next" else 0))
    back = (anchor.weekday() - target) % 7
    if qualifier == "last" and back == 0:
        back = 7
    return anchor - timedelta(days=back)


def _relative(phrase: str, anchor: date) -> Resolved | None:
    if phrase in _PRESENT:
        return Resolved("PRESENT_REF", "present", 0.8)
    found = _RELATIVE.get(phrase)
    if found is None:
        return None
    shift, unit = found
    if unit == "day":
        return Resolved((anchor + timedelta(days=shift)).isoformat(), "day", 0.95)
    if unit == "week":
        year, week, _ = (anchor + timedelta(weeks=shift)).isocalendar()
        return Resolved(f"{year}-W{week:02d}", "week", 0.9)
    if unit == "month":
        return Resolved(_month_shift(anchor, shift).strftime("%Y-%m"), "month", 0.9)
    return Resolved(str(anchor.year + shift), "year", 0.9)


def _duration(phrase: str, anchor: date) -> Resolved | None:
    m = _DURATION.match(phrase)
    if not m:
        return None
    n = m.group("n").lower()
    count = int(n) if n.isdigit() else _NUMBERS.get(n)
    unit = m.group("unit").lower()
    if m.group("ago") and count is not None and unit in ("day", "week"):
        days = count * (7 if unit == "week" else 1)
        return Resolved((anchor - timedelta(days=days)).isoformat(), "day", 0.8)
    amount = "X" if count is None else str(count)
    code = _UNITS[unit]
    if code == "H":
        return Resolved(f"PT{amount}H", "duration", 0.8)
    return Resolved("P" + (f"{amount}0Y" if code == "DE" else f"{amount}{code}"), "duration", 0.8)


_MONTHS = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(?=\s|$|,)"
)
_DAY_NUMBER = re.compile(r"\b(?:[12]?\d|3[01])(?:st|nd|rd|th)?\b(?!\s*(?:%|years?|days?))")


_DECADE = re.compile(r"^(?:the\s+)?(?:early\s+|late\s+|mid-)?((?:19|20)\d)0'?s$")
_CLOCK = re.compile(r"^\d{1,2}(?::\d\d)?\s*(?:a\.?m\.?|p\.?m\.?)(?:\s+\w+)?$|^(?:noon|midnight)$")


def _explicit(phrase: str, anchor: date, future: bool) -> Resolved | None:
    year = _YEAR.match(phrase)
    if year:
        return Resolved(year.group(1), "year", 0.95)
    decade = _DECADE.match(phrase)
    if decade:
        return Resolved(decade.group(1), "decade", 0.9)
    if _CLOCK.match(phrase):
        return Resolved(anchor.isoformat(), "day", 0.6)
    if not _MONTHS.search(phrase) and not re.search(r"\d", phrase):
        return None
    import dateparser

    settings = {
        "RELATIVE_BASE": _midday(anchor),
        "PREFER_DATES_FROM": "future" if future else "past",
        "PREFER_DAY_OF_MONTH": "first",
    }
    found = dateparser.parse(phrase, languages=["en"], settings=settings)
    if found is None:
        return None
    has_year = re.search(r"\b(?:19|20)\d\d\b|'\d\d\b", phrase) is not None
    if not has_year:
        # No year: the one that puts the date nearest the anchor (news speaks
        # of the weeks around it), whichever way the tense points.
        candidates = [
            found.replace(year=y) for y in (anchor.year - 1, anchor.year, anchor.year + 1)
        ]
        found = min(candidates, key=lambda d: abs((d.date() - anchor).days))
    without_year = re.sub(r"\b(?:19|20)\d\d\b", "", phrase)
    if _MONTHS.search(phrase) and not _DAY_NUMBER.search(without_year):
        return Resolved(found.strftime("%Y-%m"), "month", 0.9 if has_year else 0.75)
    return Resolved(found.date().isoformat(), "day", 0.9 if has_year else 0.8)


def _midday(day: date) -> Any:
    from datetime import datetime

    return datetime(day.year, day.month, day.day, 12)


def resolve(text: str, anchor: date | None, future: bool = False) -> Resolved | None:
    """The value of a temporal expression, or None when it has none we can give.

    Without an anchor only expressions that carry their own year resolve.
    """
    phrase = " ".join(text.replace("’", "'").split()).strip(" ,.;:").lower()
    if anchor is None:
        year = re.search(r"\b(?:19|20)\d\d\b", phrase)
        if not year:
            return None
        anchor = date(int(year.group()), 7, 1)
    duration = _duration(phrase, anchor)
    if duration is not None:
        return duration
    relative = _relative(phrase, anchor) or _relative(_LEADING.sub("", phrase), anchor)
    if relative is not None:
        return relative
    weekday = _WEEKDAY.search(phrase)
    if weekday and not re.search(r"\d", phrase):
        qualifier = "last" if "last " in phrase else "next" if "next " in phrase else ""
        day = _weekday(weekday.group(1), anchor, future, qualifier)
        return Resolved(day.isoformat(), "day", 0.85)
    while True:
        stripped = _LEADING.sub("", phrase)
        if stripped == phrase:
            break
        phrase = stripped
    return _explicit(phrase, anchor, future)
