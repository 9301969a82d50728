"""The SQLite store: idempotent, transactional, and clear about locks and versions."""

from __future__ import annotations

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
from storyline.model import Document, Sentence
from storyline.settings import Settings
from storyline.stages.ingest.build import make_document
from storyline.store import Store, open_store, schema
from storyline.store import base as store_base
from tests.fixtures import FRENCH_ARTICLE, HEADLINE_ARTICLE, PARAGRAPH_FIRST


def _doc(settings: Settings, text: str, source: str = "a.txt", **meta: str) -> Document:
    return make_document(text, source, settings, **meta)


def _texts(store: Store) -> list[str]:
    return [d.text for d in store.iter_documents()]


def test_ingest_is_idempotent(store: Store, settings: Settings) -> None:
    docs = [_doc(settings, HEADLINE_ARTICLE), _doc(settings, PARAGRAPH_FIRST, "b.txt")]
    first = store.add_documents(docs)
    second = store.add_documents(docs)
    assert len(first.added) == 2 and first.existing == []
    assert second.added == [] and sorted(second.existing) == sorted(first.added)
    assert store.stats().documents == 2


def test_same_text_from_another_source_is_one_document(store: Store, settings: Settings) -> None:
    store.add_documents([_doc(settings, HEADLINE_ARTICLE, "https://a.example/1", outlet="A")])
    reflowed = HEADLINE_ARTICLE.replace("\n\n", "\n  \n").replace(" the ", "  the ")
    result = store.add_documents([_doc(settings, reflowed, "https://b.example/9", outlet="B")])
    assert result.added == [] and len(result.existing) == 1
    [doc] = store.iter_documents()
    assert doc.source == "https://a.example/1"
    assert [(s.source, s.outlet) for s in doc.other_sources] == [("https://b.example/9", "B")]


def test_a_failing_batch_leaves_the_store_as_it_was(store: Store, settings: Settings) -> None:
    store.add_documents([_doc(settings, HEADLINE_ARTICLE)])
    good = _doc(settings, PARAGRAPH_FIRST, "b.txt")
    broken = _doc(settings, FRENCH_ARTICLE, "c.txt")
    broken.source = None  # type: ignore[assignment]  # violates NOT NULL mid-batch
    with pytest.raises(StoreError):
        store.add_documents([good, broken])
    assert _texts(store) == [HEADLINE_ARTICLE]


def test_locked_database_gives_a_clear_error_and_loses_nothing(
    store: Store, settings: Settings
) -> None:
    store.add_documents([_doc(settings, HEADLINE_ARTICLE)])
    other = sqlite3.connect(settings.db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreLockedError, match=f"{settings.db} is locked"):
            store.add_documents([_doc(settings, PARAGRAPH_FIRST, "b.txt")])
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert _texts(store) == [HEADLINE_ARTICLE]
    store.add_documents([_doc(settings, PARAGRAPH_FIRST, "b.txt")])
    assert store.stats().documents == 2


def test_read_only_store_refuses_writes(store: Store, settings: Settings) -> None:
    store.add_documents([_doc(settings, HEADLINE_ARTICLE)])
    with open_store(settings.db, settings, read_only=True) as reader:
        assert reader.stats().documents == 1
        with pytest.raises(StoreReadOnlyError, match="read-only"):
            reader.add_documents([_doc(settings, PARAGRAPH_FIRST, "b.txt")])
    assert _texts(store) == [HEADLINE_ARTICLE]


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


def test_write_protected_database_gives_a_clear_error(store: Store, settings: Settings) -> None:
    store.add_documents([_doc(settings, HEADLINE_ARTICLE)])
    store.close()
    folder = Path(settings.db).parent
    _protect(folder, True)
    try:
        with (
            pytest.raises(StoreReadOnlyError, match=str(settings.db)),
            open_store(settings.db, settings) as again,
        ):
            again.add_documents([_doc(settings, PARAGRAPH_FIRST, "b.txt")])
    finally:
        _protect(folder, False)
    with open_store(settings.db, settings, read_only=True) as reader:
        assert _texts(reader) == [HEADLINE_ARTICLE]


def test_missing_database_is_not_created_for_reading(tmp_path: Path, settings: Settings) -> None:
    with pytest.raises(StoreNotFoundError, match="no database"):
        open_store(tmp_path / "nothing.db", settings, read_only=True)
    assert not (tmp_path / "nothing.db").exists()


def test_database_in_a_missing_folder_is_named(tmp_path: Path, settings: Settings) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        open_store(tmp_path / "no" / "such.db", settings)


def test_newer_schema_is_refused_untouched(store: Store, settings: Settings) -> None:
    store.add_documents([_doc(settings, HEADLINE_ARTICLE)])
    store.close()
    with sqlite3.connect(settings.db) as conn:
        conn.execute("UPDATE storyline_meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreVersionError, match="v99, written by a newer storyline"):
        open_store(settings.db, settings)
    with pytest.raises(StoreVersionError):
        open_store(settings.db, settings, read_only=True)
    with sqlite3.connect(settings.db) as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone() == (1,)


def test_foreign_database_is_refused_untouched(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    with pytest.raises(StoreVersionError, match="not a storyline database"):
        open_store(path, settings)
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    assert tables == ["notes"]


def test_garbage_file_is_not_a_database(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(os.urandom(4096))
    before = path.read_bytes()
    with pytest.raises(StoreVersionError, match="not a SQLite database"):
        open_store(path, settings)
    assert path.read_bytes() == before


def test_older_schema_is_migrated_step_by_step(
    store: Store, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.add_documents([_doc(settings, HEADLINE_ARTICLE)])
    store.close()
    applied: list[int] = []
    now = schema.SCHEMA_VERSION
    steps = {
        version: (lambda conn, version=version: applied.append(version))
        for version in (now + 1, now + 2)
    }
    monkeypatch.setattr(schema, "SCHEMA_VERSION", now + 2)
    monkeypatch.setattr(store_base, "MIGRATIONS", steps)
    with open_store(settings.db, settings) as migrated, migrated._read() as conn:
        assert migrated.schema_version(conn) == now + 2
    assert applied == [now + 1, now + 2]


def test_failed_migration_keeps_the_old_version(
    store: Store, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.close()

    def broken(conn: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    now = schema.SCHEMA_VERSION
    monkeypatch.setattr(schema, "SCHEMA_VERSION", now + 1)
    monkeypatch.setattr(store_base, "MIGRATIONS", {now + 1: broken})
    with pytest.raises(sqlite3.OperationalError):
        open_store(settings.db, settings)
    with sqlite3.connect(settings.db) as conn:
        version = conn.execute("SELECT value FROM storyline_meta").fetchone()
    assert version == (str(now),)


def test_a_version_1_store_gains_the_later_tables(store: Store, settings: Settings) -> None:
    store.add_documents([_doc(settings, HEADLINE_ARTICLE)])
    store.close()
    with sqlite3.connect(settings.db) as conn:
        later = ("briefs", "claims", "events", "story_docs", "stories", "storylines", "term_df")
        for table in (*later, "quotes", "ingested_files"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("DROP INDEX document_sources_key")
        conn.execute("ALTER TABLE document_sources DROP COLUMN source_key")
        for column in ("times", "events"):
            conn.execute(f"ALTER TABLE documents DROP COLUMN {column}")
        conn.execute("UPDATE storyline_meta SET value = '1' WHERE key = 'schema_version'")
    with open_store(settings.db, settings) as migrated:
        assert list(migrated.iter_stories()) == []
        assert list(migrated.iter_quotes()) == []
        assert list(migrated.iter_events()) == []
        assert list(migrated.iter_briefs()) == []
        assert [d.times for d in migrated.iter_documents()] == [[]]
        assert migrated.stats().documents == 1
        with migrated._read() as conn:
            assert migrated.schema_version(conn) == schema.SCHEMA_VERSION


def test_search_finds_names_with_punctuation_and_phrases(store: Store, settings: Settings) -> None:
    store.add_documents(
        [
            _doc(settings, HEADLINE_ARTICLE, title="Ferry service suspended"),
            _doc(settings, PARAGRAPH_FIRST, "b.txt"),
        ]
    )
    [hit] = store.search("Tarn-Island ferry")
    assert hit.title == "Ferry service suspended"
    assert "«ferry»" in hit.snippet.casefold()
    assert [h.title for h in store.search('"flood barriers"')] == [None]
    assert store.search('"barriers flood"') == []
    assert store.search('"') == []


def test_search_index_follows_text_updates(store: Store, settings: Settings) -> None:
    doc = _doc(settings, HEADLINE_ARTICLE)
    store.add_documents([doc])
    doc.text = doc.text.replace("Westhaven", "Eastmoor")
    doc.sentences = [Sentence(0, 10)]
    store.save_annotations([doc], "v-test")
    assert store.search("Westhaven") == []
    assert len(store.search("Eastmoor")) == 1
    assert store.pending_ids("v-test") == []
    assert store.pending_ids("v-next") == [doc.id]


def test_same_text_twice_in_one_batch_keeps_the_first_source(
    store: Store, settings: Settings
) -> None:
    store.add_documents(
        [
            _doc(settings, HEADLINE_ARTICLE, "https://a.example/1"),
            _doc(settings, HEADLINE_ARTICLE, "https://a.example/2"),
        ]
    )
    [doc] = store.iter_documents()
    assert doc.source == "https://a.example/1"
    assert [s.source for s in doc.other_sources] == ["https://a.example/2"]
