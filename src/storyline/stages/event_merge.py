"""One event per happening: event mentions of a story's documents merged.

A corpus stage. Within a story, mentions of the same type between the same
parties are one event; a party is the country an actor acts for when the
shipped actor table (``data/lexicons/actors.tsv``) or the entity itself says
so (Putin and "the Russian president" both act for Russia), else the entity.
Mentions with different explicit days stay apart (the 1961 treaty is not the
2024 pact); undated mentions join the best-attested dated event of their
kind. The merged event takes the most common actor, target, action, date and
place of its mentions and keeps every source sentence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import cache
from importlib.resources import files

from storyline.ids import stable_id
from storyline.model import Event
from storyline.settings import Settings
from storyline.stages.entities import fold
from storyline.store import Store

# Relations that have no direction: "A and B signed" is B and A signing too.
SYMMETRIC = frozenset({"AGREE", "CONSULT", "COOPERATE", "FIGHT"})


@cache
def actor_countries() -> dict[str, str]:
    """Folded actor name -> the country it acts for."""
    table = (files("storyline") / "data" / "lexicons" / "actors.tsv").read_text("utf-8")
    found = {}
    for line in table.splitlines():
        if line.strip() and not line.startswith("#"):
            name, country = line.split("\t")[:2]
            found[fold(name)] = country
    return found


def party(entity: str | None, names: dict[str, list[str]]) -> str | None:
    """What an actor stands for: its country when known, else itself."""
    if entity is None:
        return None
    countries = actor_countries()
    for name in names.get(entity, []):
        if fold(name) in countries:
            return countries[fold(name)]
    return names.get(entity, [entity])[0]


def _key(event: Event, names: dict[str, list[str]]) -> tuple[str, tuple[str, ...]]:
    parties = [party(event.actor, names), party(event.target, names)]
    if event.type in SYMMETRIC:
        return event.type, tuple(sorted({p for p in parties if p}))
    return event.type, tuple(p or "" for p in parties)


def _most(values: list[str | None]) -> str | None:
    counted = Counter(v for v in values if v)
    return counted.most_common(1)[0][0] if counted else None


def merge(story: str, mentions: list[Event], names: dict[str, list[str]]) -> list[Event]:
    groups: dict[tuple[str, tuple[str, ...]], list[Event]] = {}
    for event in mentions:
        groups.setdefault(_key(event, names), []).append(event)
    merged = []
    for key, members in groups.items():
        by_date: dict[str | None, list[Event]] = {}
        for event in members:
            by_date.setdefault(event.date if event.date_granularity == "day" else None, []).append(
                event
            )
        undated = by_date.pop(None, [])
        if by_date and undated:
            best = max(by_date, key=lambda d: (len(by_date[d]), d or ""))
            by_date[best].extend(undated)
        elif undated:
            by_date[None] = undated
        for day, events in by_date.items():
            merged.append(
                Event(
                    id="v" + stable_id(story, key[0], *key[1], day or "", size=6),
                    type=key[0],
                    actor=_most([e.actor for e in events]),
                    target=_most([e.target for e in events]),
                    action=_most([e.action for e in events]) or "",
                    date=day or _most([e.date for e in events]),
                    date_granularity="day" if day else _most([e.date_granularity for e in events]),
                    location=_most([e.location for e in events]),
                    sources=sorted(
                        {(s.doc, s.sentence): s for e in events for s in e.sources}.values(),
                        key=lambda s: (s.doc, s.sentence),
                    ),
                )
            )
    return merged


def run(store: Store, ids: Sequence[str], settings: Settings) -> int:
    """Re-merge the events of every story these documents belong to."""
    story_of = store.stories_of(ids)
    stories = {s.id: s for s in store.iter_stories() if s.id in set(story_of.values())}
    names = store.entity_names()
    merged: dict[str, list[Event]] = {}
    for story in stories.values():
        mentions = [
            e for doc in store.iter_documents(story.docs, mentions=False) for e in doc.events
        ]
        merged[story.id] = merge(story.id, mentions, names)
    store.replace_events(merged)
    return sum(len(events) for events in merged.values())
