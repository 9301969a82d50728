"""The PostgreSQL store: the same tables, full-text search by ``tsvector`` + GIN.

Selected by a ``postgresql://`` URL (``--db`` or ``STORYLINE_DB``). Every
write transaction first takes one transaction-scoped advisory lock, so
writers take turns exactly as they do on SQLite (where ``BEGIN IMMEDIATE``
does it): stages that read, then rewrite, corpus-wide records (stories,
lineage) never interleave, while readers are never blocked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Connection, Table, create_engine, event, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.dml import Insert

from storyline.errors import (
    StoreError,
    StoreLockedError,
    StoreNotFoundError,
    StoreReadOnlyError,
)
from storyline.store.base import SearchHit, Store, query_terms

# The key of the advisory lock writers take ("storyline" in ASCII, as a number).
WRITE_LOCK = 0x73746F72796C696E
ANALYSIS_LOCK = WRITE_LOCK + 1

_FTS_DDL = (
    # 'simple': no stemming, no stop words, any language; the same words
    # match as in the SQLite store.
    "ALTER TABLE documents ADD COLUMN search tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple', coalesce(title, '') || ' ' || left(text, 400000))) STORED",
    "CREATE INDEX documents_search ON documents USING GIN (search)",
)

_SEARCH = (
    "SELECT d.id, d.title, d.outlet, d.published, "
    "ts_headline('simple', d.text, q, 'StartSel=«, StopSel=», MaxWords=18, MinWords=8, "
    "ShortWord=2, MaxFragments=1, FragmentDelimiter=…') AS snippet, "
    "-ts_rank_cd(d.search, q) AS score "
    "FROM documents AS d, ({query}) AS q "
    "WHERE d.search @@ q ORDER BY score, d.seq LIMIT :limit"
)
_NON_WORD = re.compile(r"[^\w]+")
# The server shut down, crashed or is starting up (SQLSTATE class 57P).
_SERVER_GONE = ("57P01", "57P02", "57P03")


def search_terms(query: str) -> list[str]:
    """User words and "quoted phrases", each as plain words: punctuation in names
    (Kim Jong-un, U.S.) separates words, as it does in the indexed text."""
    return [t for t in (" ".join(_NON_WORD.sub(" ", t).split()) for t in query_terms(query)) if t]


def engine_url(db: str) -> str:
    """``postgresql://`` (or ``postgres://``) with psycopg 3 as the driver."""
    url = make_url(db.replace("postgres://", "postgresql://", 1))
    return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


class PostgresStore(Store):
    def __init__(self, db: str, *, busy_timeout: float = 10.0, read_only: bool = False) -> None:
        self.read_only = read_only
        options = f"-c lock_timeout={int(busy_timeout * 1000)}"
        if read_only:
            options += " -c default_transaction_read_only=on"
        engine = create_engine(
            engine_url(db),
            connect_args={"options": options, "connect_timeout": 10},
            pool_pre_ping=True,
        )
        event.listen(engine, "begin", _on_begin)
        shown = make_url(engine_url(db)).set(drivername="postgresql")
        super().__init__(engine, shown.render_as_string(hide_password=True))

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
        terms = search_terms(query)
        if not terms:
            return []
        # Every term a phrase, all required; the terms are bound, never spliced.
        tsquery = " && ".join(f"phraseto_tsquery('simple', :t{i})" for i in range(len(terms)))
        params: dict[str, object] = {f"t{i}": term for i, term in enumerate(terms)}
        with self._read() as conn:
            rows = conn.execute(
                text(_SEARCH.format(query=f"SELECT {tsquery} AS q")), params | {"limit": limit}
            )
            return [
                SearchHit(
                    r.id, r.title, r.outlet, r.published, " ".join(r.snippet.split()), r.score
                )
                for r in rows
            ]

    def database_problems(self) -> list[str]:
        # PostgreSQL enforces keys on every write; the search column is generated
        # with each row. What can still go wrong is a search column left empty.
        with self._read() as conn:
            missing = conn.exec_driver_sql(
                "SELECT count(*) FROM documents WHERE search IS NULL"
            ).scalar_one()
        return [f"{missing:,} documents missing from the full-text index"] if missing else []

    @contextmanager
    def analysis_lock(self) -> Iterator[None]:
        # A session-level advisory lock on a connection of its own: the server
        # drops it when that connection ends, so a killed run never leaves it.
        with self._read() as conn:
            # Another analysis may run for hours: wait it out, whatever
            # ``busy_timeout`` says for single writes.
            conn.exec_driver_sql("SET lock_timeout = 0")
            conn.exec_driver_sql(f"SELECT pg_advisory_lock({ANALYSIS_LOCK})")
            conn.exec_driver_sql("RESET lock_timeout")
            conn.commit()
            try:
                yield
            finally:
                try:
                    conn.exec_driver_sql(f"SELECT pg_advisory_unlock({ANALYSIS_LOCK})")
                    conn.commit()
                except DBAPIError as exc:
                    # A server restarted mid-run ended the connection, and the
                    # lock with it: the run's own writes reconnected.
                    if not exc.connection_invalidated:
                        raise

    def _translate(self, exc: DBAPIError) -> StoreError:
        code = getattr(exc.orig, "sqlstate", None) or ""
        message = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else ""
        if code in ("55P03", "40P01"):
            return StoreLockedError(
                f"{self.name} is locked by another writer (waited; try again, "
                "or raise STORYLINE_BUSY_TIMEOUT)"
            )
        if code == "25006":
            return StoreReadOnlyError(f"{self.name} is read-only: cannot write to it")
        if code == "3D000" or (not code and "does not exist" in message):
            return StoreNotFoundError(f"no database {self.name} ({message})")
        if code == "53100":
            return StoreError(f"{self.name}: disk full; the last batch was not stored")
        if code.startswith("08") or code in _SERVER_GONE:
            return StoreError(
                f"lost its connection to {self.name} ({message}): the server stopped or "
                "restarted; the last batch was not stored, run the command again"
            )
        if not code:
            return StoreError(f"cannot reach {self.name}: {message}")
        return StoreError(f"{self.name}: {message}")


def _on_begin(conn: Connection) -> None:
    if conn.get_execution_options().get("storyline_write"):
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
