"""Publication dates narrowed by story-mates: a corpus stage after stories.

A document whose own words give no full date may tell an event that other
documents of its story date: "Putin signed the pact in Pyongyang on
Wednesday", where a dated story-mate puts that signing (same type, verb and
parties) on 2024-06-19, a Wednesday. News names a weekday for the past
week, so the document was published in the six days after that day; every
such event narrows the window, and what the document says itself (the dates
and weekdays it names, its copyright year) narrows it further
(``dating.within``). Only past-tense sentences naming one weekday count, the
weekday must be the mate's day, and windows that disagree leave the
document undated. A narrowed document is re-anchored: its temporal
expressions and events are resolved again against the new date.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from storyline.model import Document, Event
from storyline.settings import Settings
from storyline.stages import events as events_stage
from storyline.stages.annotate import load_model
from storyline.stages.dating import Estimate, within
from storyline.stages.event_merge import event_key
from storyline.stages.time import expressions
from storyline.stages.timex import WEEKDAYS
from storyline.store import Store

PREFIX = "estimated from its story"
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)
_FUTURE = re.compile(
    r"\b(?:will|shall|'ll|plans? to|is to|are to|due to|scheduled|next|tomorrow)\b", re.I
)
# A weekday in news names a day of the past week.
WEEK = timedelta(days=6)

Named = tuple[str, str]  # (mate's day, what it says of it)


def _weekday(doc: Document, event: Event) -> str | None:
    """The one weekday the sentence of an event names, if it looks back."""
    index = event.sources[0].sentence
    if index >= len(doc.sentences):
        return None
    sentence = doc.text[doc.sentences[index].start : doc.sentences[index].end]
    days = {m.group(1).lower() for m in _WEEKDAY.finditer(sentence)}
    return days.pop() if len(days) == 1 and not _FUTURE.search(sentence) else None


def _verb(event: Event) -> str:
    """The verb of an event's action: outlets sign a "pact", a "deal" or a "treaty"."""
    return event.action.split(" ")[0]


def _told(
    doc: Document, mates: list[Document], names: dict[str, list[str]]
) -> list[tuple[date, str]]:
    """(day, why) for each event the document names with a weekday and a mate dates."""
    dated: dict[tuple[object, ...], list[tuple[date, Document]]] = {}
    for mate in mates:
        for event in mate.events:
            if event.date and event.date_granularity == "day":
                key = (*event_key(event, names), _verb(event))
                dated.setdefault(key, []).append((date.fromisoformat(event.date), mate))
    found = []
    for event in doc.events:
        weekday = _weekday(doc, event)
        if weekday is None:
            continue
        for day, mate in dated.get((*event_key(event, names), _verb(event)), []):
            if WEEKDAYS[day.weekday()] == weekday:
                why = (
                    f"the {event.type} ({event.action}) it tells on {weekday.title()} is "
                    f"{day.isoformat()} in {mate.outlet or mate.source}"
                )
                found.append((day, why))
                break
    return found


def narrow(doc: Document, mates: list[Document], names: dict[str, list[str]]) -> Estimate | None:
    """The estimate the story-mates allow for an undated document, or None."""
    told = _told(doc, mates, names)
    if not told:
        return None
    start = max(day for day, _ in told)
    end = min(day for day, _ in told) + WEEK
    if start > end:
        return None
    reasons = "; ".join(dict.fromkeys(why for _, why in told))
    return within(doc, doc.times, start, end, reasons)


def _reanchor(doc: Document, estimate: Estimate, settings: Settings) -> None:
    """Resolve the document's expressions and events again against its new date."""
    assert estimate.published is not None
    doc.published, doc.published_evidence = estimate.published, estimate.evidence
    parsed = load_model(settings.spacy_model)(doc.text)
    doc.times = expressions(parsed, date.fromisoformat(estimate.published))
    doc.events = events_stage.extract(doc, parsed)


def run(store: Store, ids: Sequence[str], settings: Settings) -> int:
    """Narrow the undated documents of the stories these documents belong to."""
    touched = set(store.stories_of(ids).values())
    names = store.entity_names()
    narrowed = []
    for story in (s for s in store.iter_stories() if s.id in touched):
        docs = list(store.iter_documents(story.docs))
        mates = [
            d for d in docs if d.published and not (d.published_evidence or "").startswith(PREFIX)
        ]
        for doc in docs:
            if doc.published or not mates:
                continue
            found = narrow(doc, mates, names)
            if found is not None:
                _reanchor(doc, found, settings)
                narrowed.append(doc)
    store.save_dating(narrowed)
    return len(narrowed)
