"""The SQLite store: clear about locks, files and schema versions."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from storyline.errors import (
    StoreError,
    StoreLockedError,
    StoreNotFoundError,
    StoreReadOnlyError,
    StoreVersionError,
)
from storyline.settings import Settings
from storyline.store import Store, open_store, schema
from storyline.store import base as store_base
from tests.fixtures import HEADLINE_ARTICLE, PARAGRAPH_FIRST
from tests.store.test_store import _doc, _texts


def test_locked_database_gives_a_clear_error_and_loses_nothing(
    sqlite_store: Store, sqlite_settings: Settings
) -> None:
    sqlite_store.add_documents([_doc(sqlite_settings, HEADLINE_ARTICLE)])
    other = sqlite3.connect(sqlite_settings.db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreLockedError, match=f"{sqlite_settings.db} is locked"):
            sqlite_store.add_documents([_doc(sqlite_settings, PARAGRAPH_FIRST, "b.txt")])
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert _texts(sqlite_store) == [HEADLINE_ARTICLE]
    sqlite_store.add_documents([_doc(sqlite_settings, PARAGRAPH_FIRST, "b.txt")])
    assert sqlite_store.stats().documents == 2


def _protect(folder: Path, on: bool) -> None:
    """Make the database folder unwritable: chmod binds users, chattr binds root."""
    paths = [folder, *folder.iterdir()]
    if os.geteuid() != 0:
        for path in paths:
            path.chmod(0o555 if on else 0o755)
        return
    flag = "+i" if on else "-i"
    done = subprocess.run(["chattr", flag, *map(str, paths)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot write-protect files as root here: {done.stderr.decode().strip()}")


def test_write_protected_database_gives_a_clear_error(
    sqlite_store: Store, sqlite_settings: Settings
) -> None:
    sqlite_store.add_documents([_doc(sqlite_settings, HEADLINE_ARTICLE)])
    sqlite_store.close()
    folder = Path(sqlite_settings.db).parent
    _protect(folder, True)
    try:
        with (
            pytest.raises(StoreReadOnlyError, match=str(sqlite_settings.db)),
            open_store(sqlite_settings.db, sqlite_settings) as again,
        ):
            again.add_documents([_doc(sqlite_settings, PARAGRAPH_FIRST, "b.txt")])
    finally:
        _protect(folder, False)
    with open_store(sqlite_settings.db, sqlite_settings, read_only=True) as reader:
        assert _texts(reader) == [HEADLINE_ARTICLE]


def test_missing_database_is_not_created_for_reading(
    tmp_path: Path, sqlite_settings: Settings
) -> None:
    with pytest.raises(StoreNotFoundError, match="no database"):
        open_store(tmp_path / "nothing.db", sqlite_settings, read_only=True)
    assert not (tmp_path / "nothing.db").exists()


def test_database_in_a_missing_folder_is_named(tmp_path: Path, sqlite_settings: Settings) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        open_store(tmp_path / "no" / "such.db", sqlite_settings)


def test_garbage_file_is_not_a_database(tmp_path: Path, sqlite_settings: Settings) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(os.urandom(4096))
    before = path.read_bytes()
    with pytest.raises(StoreVersionError, match="not a SQLite database"):
        open_store(path, sqlite_settings)
    assert path.read_bytes() == before


def test_older_schema_is_migrated_step_by_step(
    sqlite_store: Store, sqlite_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    sqlite_store.add_documents([_doc(sqlite_settings, HEADLINE_ARTICLE)])
    sqlite_store.close()
    applied: list[int] = []
    now = schema.SCHEMA_VERSION
    steps = {
        version: (lambda conn, version=version: applied.append(version))
        for version in (now + 1, now + 2)
    }
    monkeypatch.setattr(schema, "SCHEMA_VERSION", now + 2)
    monkeypatch.setattr(store_base, "MIGRATIONS", steps)
    with open_store(sqlite_settings.db, sqlite_settings) as migrated, migrated._read() as conn:
        assert migrated.schema_version(conn) == now + 2
    assert applied == [now + 1, now + 2]


def test_failed_migration_keeps_the_old_version(
    sqlite_store: Store, sqlite_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    sqlite_store.close()

    def broken(conn: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    now = schema.SCHEMA_VERSION
    monkeypatch.setattr(schema, "SCHEMA_VERSION", now + 1)
    monkeypatch.setattr(store_base, "MIGRATIONS", {now + 1: broken})
    with pytest.raises(sqlite3.OperationalError):
        open_store(sqlite_settings.db, sqlite_settings)
    with sqlite3.connect(sqlite_settings.db) as conn:
        version = conn.execute("SELECT value FROM storyline_meta").fetchone()
    assert version == (str(now),)


def test_a_version_1_store_gains_the_later_tables(
    sqlite_store: Store, sqlite_settings: Settings
) -> None:
    sqlite_store.add_documents([_doc(sqlite_settings, HEADLINE_ARTICLE)])
    sqlite_store.close()
    with sqlite3.connect(sqlite_settings.db) as conn:
        later = ("briefs", "claims", "events", "story_docs", "stories", "storylines", "term_df")
        for table in (*later, "quotes", "ingested_files", "story_terms", "story_ops"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("DROP INDEX document_sources_key")
        conn.execute("ALTER TABLE document_sources DROP COLUMN source_key")
        for column in ("times", "events"):
            conn.execute(f"ALTER TABLE documents DROP COLUMN {column}")
        conn.execute("UPDATE storyline_meta SET value = '1' WHERE key = 'schema_version'")
    with open_store(sqlite_settings.db, sqlite_settings) as migrated:
        assert list(migrated.iter_stories()) == []
        assert list(migrated.iter_quotes()) == []
        assert list(migrated.iter_events()) == []
        assert list(migrated.iter_briefs()) == []
        assert migrated.story_ops() == []
        assert [d.times for d in migrated.iter_documents()] == [[]]
        assert migrated.stats().documents == 1
        with migrated._read() as conn:
            assert migrated.schema_version(conn) == schema.SCHEMA_VERSION


def test_a_version_9_store_finds_its_stories_by_their_terms(
    demo_settings: Settings, tmp_path: Path
) -> None:
    """Stories stored before their index terms were kept are found after the upgrade."""
    db = tmp_path / "v9.db"
    with sqlite3.connect(demo_settings.db) as source, sqlite3.connect(db) as copy:
        source.backup(copy)
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE story_terms")
        conn.execute("DROP TABLE story_ops")
        conn.execute("UPDATE storyline_meta SET value = '9' WHERE key = 'schema_version'")
    settings = dataclasses.replace(demo_settings, db=str(db))
    with open_store(settings.db, settings) as migrated:
        story = max(migrated.iter_stories(), key=lambda s: len(s.docs))
        [(_, state, _, keys)] = migrated.story_states([story.id])
        assert keys and all(term in state["sums"][space] for space, term in keys)
        assert migrated.find_stories(keys[:20], False, 1) == [story.id]


def test_a_version_11_store_counts_its_line_keys(demo_settings: Settings, tmp_path: Path) -> None:
    """Line keys recorded before their counts were kept are counted by the upgrade."""
    db = tmp_path / "v11.db"
    with sqlite3.connect(demo_settings.db) as source, sqlite3.connect(db) as copy:
        source.backup(copy)
    settings = dataclasses.replace(demo_settings, db=str(db))
    with open_store(settings.db, settings, read_only=True) as store, store._read() as conn:
        keys = [row[0] for row in conn.exec_driver_sql("SELECT DISTINCT key FROM line_keys")]
    with open_store(settings.db, settings, read_only=True) as store:
        before = store.line_key_counts(keys)
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE line_key_counts")
        conn.execute("UPDATE storyline_meta SET value = '11' WHERE key = 'schema_version'")
    with open_store(settings.db, settings) as migrated:
        assert keys and migrated.line_key_counts(keys) == before
        assert max(n for by_outlet in before.values() for n in by_outlet.values()) > 1
