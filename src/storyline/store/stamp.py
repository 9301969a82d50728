"""The analysis stamp: a value the store changes whenever its analysed content may
have changed, so a reader holding something derived from it (the web app's
actor network) knows when to derive it again.

It changes when an analysis run starts and when it finishes (the same
transactions that record and clear the documents its corpus stages still
owe), and with every write of merged events, so even a run killed half-way
leaves a new stamp behind what it changed.
"""

from __future__ import annotations

from uuid import uuid4

from sqlalchemy import Connection, delete, select

from storyline.store import schema

KEY = "analysis_stamp"


def touch(conn: Connection) -> None:
    """A new stamp, in the caller's transaction."""
    conn.execute(delete(schema.meta).where(schema.meta.c.key == KEY))
    conn.execute(schema.meta.insert().values(key=KEY, value=uuid4().hex))


def read(conn: Connection) -> str | None:
    """The current stamp; None in a store no analysis has written to yet."""
    value: str | None = conn.execute(
        select(schema.meta.c.value).where(schema.meta.c.key == KEY)
    ).scalar()
    return value
