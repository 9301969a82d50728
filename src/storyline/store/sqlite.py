"""The SQLite store: one file, WAL journal, FTS5 full-text search."""

from __future__ import annotations

import fcntl
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, create_engine, event, text
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.dml import Insert

from storyline.errors import (
    StoreError,
    StoreLockedError,
    StoreReadOnlyError,
    StoreVersionError,
)
from storyline.store.base import SearchHit, Store, query_terms

_FTS_DDL = (
    "CREATE VIRTUAL TABLE documents_fts USING fts5("
    "title, text, content='documents', content_rowid='seq', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN "
    "INSERT INTO documents_fts(rowid, title, text) VALUES (new.seq, new.title, new.text); END",
    "CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
    "VALUES ('delete', old.seq, old.title, old.text); END",
    "CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
    "VALUES ('delete', old.seq, old.title, old.text); "
    "INSERT INTO documents_fts(rowid, title, text) VALUES (new.seq, new.title, new.text); END",
)

_SEARCH = text(
    "SELECT d.id, d.title, d.outlet, d.published, "
    "snippet(documents_fts, 1, '«', '»', '…', 16) AS snippet, bm25(documents_fts) AS score "
    "FROM documents_fts JOIN documents AS d ON d.seq = documents_fts.rowid "
    "WHERE documents_fts MATCH :query ORDER BY score LIMIT :limit"
)


def fts_query(query: str) -> str:
    """User words and "quoted phrases" as FTS5 phrases, all required.

    Quoting every term means punctuation in names (Kim Jong-un, U.S.) never
    becomes FTS5 syntax.
    """
    return " ".join('"' + t.replace('"', '""') + '"' for t in query_terms(query))


class SQLiteStore(Store):
    def __init__(self, path: Path, *, busy_timeout: float = 10.0, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        url = f"sqlite:///file:{path}?mode=ro&uri=true" if read_only else f"sqlite:///{path}"
        engine = create_engine(url, connect_args={"timeout": busy_timeout})
        event.listen(engine, "connect", self._on_connect)
        event.listen(engine, "begin", _on_begin)
        super().__init__(engine, str(path))

    def _on_connect(self, dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Transactions are begun explicitly (see _on_begin), not by pysqlite.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        if not self.read_only:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    def _insert_ignore(self, table: Table) -> Insert:
        return insert(table).on_conflict_do_nothing()

    def _upsert(self, table: Table, keys: Sequence[str]) -> Insert:
        stmt = insert(table)
        return stmt.on_conflict_do_update(
            index_elements=list(keys),
            set_={c.name: stmt.excluded[c.name] for c in table.columns if c.name not in keys},
        )

    def _accumulate(self, table: Table, keys: Sequence[str], column: str) -> Insert:
        stmt = insert(table)
        return stmt.on_conflict_do_update(
            index_elements=list(keys), set_={column: table.c[column] + stmt.excluded[column]}
        )

    def _create_search_index(self, conn: Connection) -> None:
        for statement in _FTS_DDL:
            conn.exec_driver_sql(statement)

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        match = fts_query(query)
        if not match:
            return []
        with self._read() as conn:
            rows = conn.execute(_SEARCH, {"query": match, "limit": limit})
            return [
                SearchHit(
                    r.id, r.title, r.outlet, r.published, " ".join(r.snippet.split()), r.score
                )
                for r in rows
            ]

    def database_problems(self) -> list[str]:
        with self._read() as conn:
            found = [
                f"SQLite: {row[0]}"
                for row in conn.exec_driver_sql("PRAGMA integrity_check")
                if row[0] != "ok"
            ]
            found += [
                f"a row of {row[0]} points at nothing in {row[2]}"
                for row in conn.exec_driver_sql("PRAGMA foreign_key_check")
            ]
        # FTS5's check is phrased as a write (it changes nothing): on a
        # connection of its own, which a read-only store does not give.
        try:
            with closing(sqlite3.connect(f"file:{self.path}?mode=rw", uri=True)) as raw:
                raw.execute(
                    "INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 1)"
                )
        except sqlite3.DatabaseError as exc:
            if "corrupt" in str(exc) or "malformed" in str(exc):
                found.append("the full-text index is out of step with the documents")
            else:
                found.append(f"the full-text index could not be checked ({exc})")
        return found

    @contextmanager
    def analysis_lock(self) -> Iterator[None]:
        # A lock on a file beside the database: the kernel drops it when the
        # process dies, so a killed run never leaves the store locked.
        with Path(f"{self.path}.analysis-lock").open("a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _translate(self, exc: DBAPIError) -> StoreError:
        message = str(exc.orig).lower()
        if "locked" in message or "busy" in message:
            return StoreLockedError(
                f"{self.name} is locked by another writer (waited; try again, "
                "or raise STORYLINE_BUSY_TIMEOUT)"
            )
        if "readonly" in message or "read-only" in message:
            return StoreReadOnlyError(f"{self.name} is read-only: cannot write to it")
        if "not a database" in message or "malformed" in message:
            return StoreVersionError(f"{self.name} is not a SQLite database (or is damaged)")
        if "unable to open" in message and self.path.exists():
            return StoreReadOnlyError(
                f"{self.name} cannot be opened for writing "
                "(the file or its folder may be write-protected)"
            )
        if "unable to open" in message:
            return StoreError(f"cannot create {self.name}: {exc.orig}")
        if "disk" in message and "full" in message:
            return StoreError(f"{self.name}: disk full; the last batch was not stored")
        return StoreError(f"{self.name}: {exc.orig}")


def _on_begin(conn: Connection) -> None:
    # Writers take the write lock up front: a read transaction that later
    # tries to write can fail at once instead of waiting its turn.
    if conn.get_execution_options().get("storyline_write"):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")
