"""Schema migrations: ``MIGRATIONS[n]`` upgrades a store from version n-1 to n.

A new store is created at the current version directly; these steps only
bring older stores forward, each inside the transaction that records the new
version, so an interrupted upgrade leaves the store at its old version.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, delete, func, inspect, select, update

from storyline.ids import url_key
from storyline.stages.story_model import index_terms
from storyline.store import schema
from storyline.store.events import PARTY_FIELDS


def _v2_stories(conn: Connection) -> None:
    """Stories, their members, storylines and the clusterer's document frequencies."""
    for table in (schema.stories, schema.story_docs, schema.storylines, schema.term_df):
        table.create(conn)


def _v3_quotes(conn: Connection) -> None:
    """Quotes with speakers and clusters."""
    schema.quotes.create(conn)


def _v4_times(conn: Connection) -> None:
    """Resolved temporal expressions on each document."""
    conn.exec_driver_sql("ALTER TABLE documents ADD COLUMN times JSON NOT NULL DEFAULT '[]'")


def _v5_events(conn: Connection) -> None:
    """Event mentions on each document, and merged events."""
    conn.exec_driver_sql("ALTER TABLE documents ADD COLUMN events JSON NOT NULL DEFAULT '[]'")
    schema.events.create(conn)


def _v6_briefs(conn: Connection) -> None:
    """Claims and briefs per story."""
    schema.claims.create(conn)
    schema.briefs.create(conn)


def _v7_event_parties(conn: Connection) -> None:
    """The state and role of each merged event's actor and target (a store that
    gained the events table at v5 from this code has them already)."""
    present = {c["name"] for c in inspect(conn).get_columns("events")}
    for column in PARTY_FIELDS:
        if column not in present:
            conn.exec_driver_sql(f"ALTER TABLE events ADD COLUMN {column} TEXT")


def _v8_lineage_index(conn: Connection) -> None:
    """Lineage keys as integers clustered by key, each document's keys beside its
    signature. The index is derived data: emptied here, rebuilt by the next
    lineage run (which sees no record of how it was made)."""
    conn.exec_driver_sql("DROP TABLE lineage_keys")
    schema.lineage_keys.create(conn)
    conn.execute(delete(schema.signatures))
    if "keys" not in {c["name"] for c in inspect(conn).get_columns("signatures")}:
        conn.exec_driver_sql("ALTER TABLE signatures ADD COLUMN keys BLOB")
    conn.execute(delete(schema.meta).where(schema.meta.c.key == "lineage_scheme"))


def _v9_ingested_files(conn: Connection) -> None:
    """Input files already ingested, and URL keys of sources for feed entries (what a
    store has of them already is kept)."""
    schema.ingested_files.create(conn, checkfirst=True)
    found = inspect(conn)
    if "source_key" in {c["name"] for c in found.get_columns("document_sources")}:
        return
    conn.exec_driver_sql("ALTER TABLE document_sources ADD COLUMN source_key TEXT")
    s = schema.document_sources.c
    urls = conn.execute(select(s.source).where(s.source.contains("://")).distinct()).scalars()
    for source in list(urls):
        conn.execute(
            update(schema.document_sources)
            .where(s.source == source)
            .values(source_key=url_key(source))
        )
    conn.exec_driver_sql("CREATE INDEX document_sources_key ON document_sources (source_key)")


def _v10_story_index(conn: Connection) -> None:
    """Each story's index terms, filled from the stored clustering states."""
    if inspect(conn).has_table("story_terms"):
        return
    schema.story_terms.create(conn)
    s = schema.stories.c
    for story, state in conn.execute(select(s.id, s.state)).all():
        rows = [{"space": sp, "term": t, "story": story} for sp, t in index_terms(state["sums"])]
        if rows:
            conn.execute(schema.story_terms.insert(), rows)


def _v11_story_ops(conn: Connection) -> None:
    """The log of merges and splits: empty, no story has been changed after the fact."""
    schema.story_ops.create(conn, checkfirst=True)


def _v12_line_key_counts(conn: Connection) -> None:
    """Each line key's documents per outlet, counted once from the keys recorded
    (a table already there is left alone)."""
    if inspect(conn).has_table(schema.line_key_counts.name):
        return
    schema.line_key_counts.create(conn)
    lk = schema.line_keys.c
    outlet = func.coalesce(lk.outlet, "")
    conn.execute(
        schema.line_key_counts.insert().from_select(
            ["key", "outlet", "docs"],
            select(lk.key, outlet, func.count()).group_by(lk.key, outlet),
        )
    )


MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    2: _v2_stories,
    3: _v3_quotes,
    4: _v4_times,
    5: _v5_events,
    6: _v6_briefs,
    7: _v7_event_parties,
    8: _v8_lineage_index,
    9: _v9_ingested_files,
    10: _v10_story_index,
    11: _v11_story_ops,
    12: _v12_line_key_counts,
}
