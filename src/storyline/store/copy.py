"""Copy a whole store into an empty one (SQLite to PostgreSQL, or back).

Rows are copied table by table in dependency order, a batch at a time, all in
one transaction on the target: an interrupted copy leaves the target empty,
never half-filled. Full-text indexes are the target's own (SQLite triggers,
PostgreSQL's generated column) and follow the copied texts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select, text

from storyline.errors import StoreError
from storyline.store import schema
from storyline.store.base import Store

BATCH = 500


@dataclass(slots=True)
class CopyResult:
    rows: dict[str, int] = field(default_factory=dict)


def copy_store(
    source: Store, target: Store, progress: Callable[[str, int], None] | None = None
) -> CopyResult:
    """Every row of ``source`` into ``target``, which must hold no documents."""
    if target.stats().documents:
        raise StoreError(f"{target.name} already holds documents: copy into an empty store")
    result = CopyResult()
    tables = [t for t in schema.metadata.sorted_tables if t is not schema.meta]
    with source._read() as reading, target._write() as writing:
        for table in tables:
            order = list(table.primary_key.columns) or list(table.columns)
            copied = 0
            rows = reading.execute(select(table).order_by(*order)).mappings()
            while batch := rows.fetchmany(BATCH):
                writing.execute(table.insert(), [dict(row) for row in batch])
                copied += len(batch)
                if progress:
                    progress(table.name, copied)
            result.rows[table.name] = copied
        if writing.dialect.name == "postgresql":
            # Explicit ``seq`` values do not advance the column's sequence.
            top = writing.execute(select(func.max(schema.documents.c.seq))).scalar()
            if top:
                writing.execute(
                    text("SELECT setval(pg_get_serial_sequence('documents', 'seq'), :top)"),
                    {"top": top},
                )
    return result
