"""Store methods for merged events, and the row form of event records."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any, NamedTuple

from sqlalchemy import Connection, Text, cast, delete, select

from storyline.model import Event, SentenceRef
from storyline.store import schema, stamp

# What an event says of its parties (schema v7); older rows lack them.
PARTY_FIELDS = ("actor_state", "actor_role", "target_state", "target_role")
# What a document's event calls a target it names no entity for; kept only in
# the document's events (merged events have no column for it).
NOUN_FIELDS = ("target_noun",)
# Events parsed per round trip of the lean read: one JSON parse per chunk.
_CHUNK = 4096


class EventRow(NamedTuple):
    """What the actor network needs of a merged event: its story, kind, parties,
    day and the documents that tell it (distinct, sorted); not its sentences,
    place or date granularity."""

    story: str
    id: str
    type: str
    actor: str | None
    target: str | None
    action: str
    date: str | None
    docs: tuple[str, ...]
    actor_state: str | None = None
    actor_role: str | None = None
    target_state: str | None = None
    target_role: str | None = None

    @classmethod
    def of(cls, story: str, event: Event) -> EventRow:
        docs = tuple(sorted({s.doc for s in event.sources}))
        return cls(
            story, event.id, event.type, event.actor, event.target, event.action, event.date,
            docs, event.actor_state, event.actor_role, event.target_state, event.target_role,
        )  # fmt: skip


def event_row(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "type": event.type,
        "actor": event.actor,
        "target": event.target,
        "action": event.action,
        "date": event.date,
        "date_granularity": event.date_granularity,
        "location": event.location,
        "sources": [[s.doc, s.sentence] for s in event.sources],
        **{name: getattr(event, name) for name in PARTY_FIELDS},
        **{name: value for name in NOUN_FIELDS if (value := getattr(event, name))},
    }


def event_from_row(row: Any) -> Event:
    return Event(
        id=row["id"],
        type=row["type"],
        actor=row["actor"],
        target=row["target"],
        action=row["action"],
        date=row["date"],
        date_granularity=row["date_granularity"],
        location=row["location"],
        sources=[SentenceRef(doc, sentence) for doc, sentence in row["sources"]],
        **{name: row.get(name) for name in (*PARTY_FIELDS, *NOUN_FIELDS)},
    )


class EventTables:
    """Mixed into ``Store``; uses its transactions."""

    def _read(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def _write(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def replace_events(self, by_story: dict[str, list[Event]]) -> None:
        """The merged events of these stories replace their old ones (a new analysis
        stamp)."""
        e = schema.events
        with self._write() as conn:
            stamp.touch(conn)
            if by_story:
                conn.execute(delete(e).where(e.c.story.in_(list(by_story))))
            rows = [
                event_row(ev) | {"story": story} for story, evs in by_story.items() for ev in evs
            ]
            if rows:
                conn.execute(e.insert(), rows)

    def iter_events(self, story: str | None = None) -> Iterator[tuple[str, Event]]:
        """(story, event) pairs by date (undated last)."""
        e = schema.events.c
        query = select(schema.events).order_by(e.date.is_(None), e.date, e.id)
        if story is not None:
            query = query.where(e.story == story)
        with self._read() as conn:
            for row in conn.execute(query).mappings():
                yield row["story"], event_from_row(row)

    def iter_event_rows(self) -> Iterator[EventRow]:
        """Every merged event as the network reads it, in the order they were stored:
        only the columns it needs, each chunk's sources parsed as one JSON text."""
        e = schema.events.c
        query = select(
            e.story, e.id, e.type, e.actor, e.target, e.action, e.date, cast(e.sources, Text),
            e.actor_state, e.actor_role, e.target_state, e.target_role,
        )  # fmt: skip
        with self._read() as conn:
            for chunk in conn.execute(query).partitions(_CHUNK):
                sources = json.loads("[" + ",".join(row[7] for row in chunk) + "]")
                for row, told in zip(chunk, sources, strict=True):
                    story, id_, kind, actor, target, action, day, _, *parties = row
                    if len(told) == 1:
                        docs: tuple[str, ...] = (told[0][0],)
                    else:
                        docs = tuple(sorted({doc for doc, _ in told}))
                    yield EventRow(story, id_, kind, actor, target, action, day, docs, *parties)
