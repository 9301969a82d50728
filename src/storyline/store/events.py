"""Store methods for merged events, and the row form of event records."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import Connection, delete, select

from storyline.model import Event, SentenceRef
from storyline.store import schema

# What an event says of its parties (schema v7); older rows lack them.
PARTY_FIELDS = ("actor_state", "actor_role", "target_state", "target_role")


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
        **{name: row.get(name) for name in PARTY_FIELDS},
    )


class EventTables:
    """Mixed into ``Store``; uses its transactions."""

    def _read(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def _write(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def replace_events(self, by_story: dict[str, list[Event]]) -> None:
        """The merged events of these stories replace their old ones."""
        e = schema.events
        with self._write() as conn:
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
