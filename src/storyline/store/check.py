"""An integrity check of a store: what ``storyline check`` reports.

The database's own checks first (SQLite's ``integrity_check``, foreign keys
and full-text index; PostgreSQL enforces keys itself), then storyline's:
records that point at nothing, stories without documents, documents
analysed but in no story. Work an interrupted run left (documents still
waiting for the corpus stages) is not a fault of the store: ``unfinished``
names it apart, and those documents are not counted as in no story.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, Table, func, select

from storyline.store import schema
from storyline.store.base import Store


def _orphans() -> dict[str, Select[Any]]:
    d, e, s = schema.documents.c, schema.entities.c, schema.stories.c
    q, sd, ev = schema.quotes.c, schema.story_docs.c, schema.events.c

    def count(table: Table) -> Select[Any]:
        return select(func.count()).select_from(table)

    return {
        "quotes whose speaker is no entity": count(schema.quotes).where(
            q.speaker.is_not(None), q.speaker.not_in(select(e.id))
        ),
        "quotes of no document": count(schema.quotes).where(q.doc.not_in(select(d.id))),
        "mentions of no entity": count(schema.mentions).where(
            schema.mentions.c.entity.not_in(select(e.id))
        ),
        "story members that are no document": count(schema.story_docs).where(
            sd.doc.not_in(select(d.id))
        ),
        "stories without documents": count(schema.stories).where(s.id.not_in(select(sd.story))),
        "events of no story": count(schema.events).where(ev.story.not_in(select(s.id))),
        "claims of no story": count(schema.claims).where(
            schema.claims.c.story.not_in(select(s.id))
        ),
        "briefs of no story": count(schema.briefs).where(
            schema.briefs.c.story.not_in(select(s.id))
        ),
    }


def _storyless() -> Select[Any]:
    d, sd = schema.documents.c, schema.story_docs.c
    return select(d.id).where(
        d.analyzed_with.is_not(None), func.length(d.text) > 0, d.id.not_in(select(sd.doc))
    )


def check_store(store: Store) -> list[str]:
    """Everything wrong with the store, one line each; empty when it is sound."""
    problems = store.database_problems()
    pending = set(store.corpus_pending())
    with store._read() as conn:
        for what, query in _orphans().items():
            found: int = conn.execute(query).scalar_one()
            if found:
                problems.append(f"{found:,} {what}")
        storyless = set(conn.execute(_storyless()).scalars()) - pending
    if storyless:
        problems.append(f"{len(storyless):,} analysed documents in no story")
    return problems


def unfinished(store: Store) -> list[str]:
    """Work an interrupted run left for the next one, one line each."""
    pending = store.corpus_pending()
    if not pending:
        return []
    return [
        f"an interrupted analysis left {len(pending):,} documents for the corpus "
        "stages (run storyline analyze to finish it)"
    ]
