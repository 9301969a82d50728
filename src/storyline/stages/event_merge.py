"""One event per happening: event mentions of a story's documents merged.

A corpus stage. Within a story, mentions of the same type between the same
parties are one event; a party is the state an actor acts for (the state
``events`` found for it, or the shipped tables: Putin and "the Russian
president" are one side), with its role when it is not an organ of that
state ("South Korean protesters" are not Seoul), else the entity. Mentions
with different explicit days stay apart (the 1961 treaty is not the 2024
pact); other mentions join the best-attested dated event of their kind that
their date allows (an undated one any, "June 2024" one in that month),
and a mention whose actor is unknown ("the ambassador was summoned") joins
the best-attested event of its type with the same target. The merged event
takes the most common actor, target, action, date and place of its mentions
and keeps every source sentence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from storyline.ids import stable_id
from storyline.model import Event
from storyline.settings import Settings
from storyline.stages.actors import state_of
from storyline.stages.story_parties import StoryParties
from storyline.store import Store

# Relations that have no direction: "A and B signed" is B and A signing too.
SYMMETRIC = frozenset({"AGREE", "CONSULT", "COOPERATE", "FIGHT"})
# Roles that act for their state: a party is the state itself.
STATE_ROLES = frozenset({None, "government", "military", "legislature", "police", "judiciary"})

Key = tuple[str, tuple[str, ...]]


def party(
    entity: str | None,
    names: dict[str, list[str]],
    state: str | None = None,
    role: str | None = None,
) -> str | None:
    """What an actor stands for: its state (with its role when that is not a state
    organ) when known, else itself."""
    if state is None and entity is not None:
        state = next((s for name in names.get(entity, []) if (s := state_of(name))), None)
    if state is not None:
        return state if role in STATE_ROLES else f"{state} {role}"
    if entity is None:
        return None
    return names.get(entity, [entity])[0]


def event_key(event: Event, names: dict[str, list[str]]) -> Key:
    parties = [
        party(event.actor, names, event.actor_state, event.actor_role),
        party(event.target, names, event.target_state, event.target_role),
    ]
    if event.type in SYMMETRIC:
        return event.type, tuple(sorted({p for p in parties if p}))
    return event.type, tuple(p or "" for p in parties)


def _most(values: list[str | None]) -> str | None:
    counted = Counter(v for v in values if v)
    return counted.most_common(1)[0][0] if counted else None


def _side(
    events: list[Event], side: str, other: str | None = None
) -> tuple[str | None, str | None, str | None]:
    """The most common entity of one side (other than ``other``, the party chosen
    for the other side) and the state and role told with it."""
    entity = _most([getattr(e, side) for e in events if getattr(e, side) != other])
    told = [e for e in events if getattr(e, side) == entity]
    return (
        entity,
        _most([getattr(e, f"{side}_state") for e in told]),
        _most([getattr(e, f"{side}_role") for e in told]),
    )


def _groups(mentions: list[Event], names: dict[str, list[str]]) -> dict[Key, list[Event]]:
    groups: dict[Key, list[Event]] = {}
    for event in mentions:
        groups.setdefault(event_key(event, names), []).append(event)
    for key in [k for k in groups if k[0] not in SYMMETRIC and k[1][0] == "" and k[1][1]]:
        known = [k for k in groups if k[0] == key[0] and k[1][0] and k[1][1] == key[1][1]]
        if known:
            best = max(known, key=lambda k: (len(groups[k]), k))
            groups[best].extend(groups.pop(key))
    return groups


def _by_day(members: list[Event]) -> dict[str | None, list[Event]]:
    """Mentions by explicit day; the others join the best-attested day their date
    allows ("June 2024" allows 2024-06-19, "1961" does not: it stays apart)."""
    by_day: dict[str | None, list[Event]] = {}
    for event in members:
        if event.date_granularity == "day":
            by_day.setdefault(event.date, []).append(event)
    days = list(by_day)
    for event in members:
        if event.date_granularity == "day":
            continue
        fits = [d for d in days if d and d.startswith(event.date or "")]
        best = max(fits, key=lambda d: (len(by_day[d]), d), default=event.date)
        by_day.setdefault(best, []).append(event)
    return by_day


def _open(key: Key) -> bool:
    """Whether a group's key lacks a party."""
    kind, parties = key
    return len(parties) < 2 if kind in SYMMETRIC else "" in parties


def merge(
    story: str,
    mentions: list[Event],
    names: dict[str, list[str]],
    places: Counter[str] | None = None,
) -> list[Event]:
    """The story's event mentions as events; ``places`` counts how often its
    documents name each place (for "the city" and the like)."""
    groups = _groups(mentions, names)
    unplaced = {id(e) for key, members in groups.items() if _open(key) for e in members}
    if unplaced:
        # What no other telling of an event placed, the rest of the story may.
        parties = StoryParties(mentions, places or Counter())
        mentions = [parties.resolve(e) if id(e) in unplaced else e for e in mentions]
        groups = _groups(mentions, names)
    merged = []
    for key, members in groups.items():
        for day, events in _by_day(members).items():
            actor, actor_state, actor_role = _side(events, "actor")
            target, target_state, target_role = _side(events, "target", actor)
            if target is None and key[0] in SYMMETRIC:
                # "A and B signed": the other party is an actor too.
                target, target_state, target_role = _side(events, "actor", actor)
            merged.append(
                Event(
                    id="v" + stable_id(story, key[0], *key[1], day or "", size=6),
                    type=key[0],
                    actor=actor,
                    target=target,
                    action=_most([e.action for e in events]) or "",
                    date=day,
                    date_granularity=next(
                        (e.date_granularity for e in events if e.date == day), None
                    ),
                    location=_most([e.location for e in events]),
                    sources=sorted(
                        {(s.doc, s.sentence): s for e in events for s in e.sources}.values(),
                        key=lambda s: (s.doc, s.sentence),
                    ),
                    actor_state=actor_state,
                    actor_role=actor_role,
                    target_state=target_state,
                    target_role=target_role,
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
        mentions: list[Event] = []
        places: Counter[str] = Counter()
        for doc in store.iter_documents(story.docs):
            mentions += doc.events
            places.update(m.entity for m in doc.mentions if m.label == "GPE")
        merged[story.id] = merge(story.id, mentions, names, places)
    store.replace_events(merged)
    return sum(len(events) for events in merged.values())
