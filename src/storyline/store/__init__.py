"""Open a store by path or URL; see ``storyline.store.base.Store`` for the interface."""

from __future__ import annotations

from pathlib import Path

from storyline.errors import ConfigError, StoreError, StoreNotFoundError
from storyline.settings import Settings
from storyline.store.base import AddResult, SearchHit, Stats, Store
from storyline.store.postgres import PostgresStore
from storyline.store.sqlite import SQLiteStore

__all__ = ["AddResult", "SearchHit", "Stats", "Store", "open_store"]


def open_store(
    db: str | Path, settings: Settings | None = None, *, read_only: bool = False
) -> Store:
    """Open (and create or migrate, unless ``read_only``) the database ``db``.

    ``db`` is a file path, a ``sqlite:///PATH`` URL or a ``postgresql://``
    URL. A read-only open never creates anything: a missing database is an
    error.
    """
    settings = settings or Settings()
    store: Store
    if is_postgres(str(db)):
        store = PostgresStore(str(db), busy_timeout=settings.busy_timeout, read_only=read_only)
    else:
        path = _sqlite_path(str(db))
        if read_only and not path.exists():
            raise StoreNotFoundError(f"no database at {path} (ingest some articles first)")
        if not path.parent.is_dir():
            raise StoreError(f"cannot create {path}: folder {path.parent} does not exist")
        store = SQLiteStore(path, busy_timeout=settings.busy_timeout, read_only=read_only)
    try:
        if read_only:
            store.check_version()
        else:
            store.prepare()
    except BaseException:
        store.close()
        raise
    return store


def is_postgres(db: str) -> bool:
    return db.startswith(("postgresql://", "postgres://", "postgresql+psycopg://"))


def _sqlite_path(db: str) -> Path:
    if db.startswith("sqlite:///"):
        return Path(db.removeprefix("sqlite:///"))
    if "://" in db:
        raise ConfigError(
            f"unsupported database URL {db!r}: use a file path, sqlite:///PATH "
            "or postgresql://USER@HOST/DATABASE"
        )
    return Path(db)
