"""`storyline check`: a sound store passes; broken records are each named."""

from __future__ import annotations

import sqlite3

from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from storyline.cli import app
from storyline.executors.local import analyze
from storyline.settings import Settings
from storyline.store import Store, is_postgres
from storyline.store.check import check_store
from storyline.store.postgres import engine_url
from storyline.workflow import ingest
from tests.conftest import write
from tests.fixtures import HEADLINE_ARTICLE, PARAGRAPH_FIRST


def _analysed(store: Store, settings: Settings, tmp_path: object) -> None:
    folder = tmp_path / "in"  # type: ignore[operator]
    write(folder / "a.txt", HEADLINE_ARTICLE)
    write(folder / "b.txt", PARAGRAPH_FIRST)
    ingest([folder], store, settings)
    analyze(store, settings)


def _sql(settings: Settings, *statements: str) -> None:
    url = engine_url(settings.db) if is_postgres(settings.db) else f"sqlite:///{settings.db}"
    engine = create_engine(url)
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()


def test_a_sound_store_passes_and_broken_records_are_named(
    store: Store, settings: Settings, tmp_path: object
) -> None:
    _analysed(store, settings, tmp_path)
    assert check_store(store) == []
    runner = CliRunner()
    sound = runner.invoke(app, ["--db", settings.db, "check"])
    assert sound.exit_code == 0 and "sound" in sound.output

    _sql(
        settings,
        "DELETE FROM story_docs WHERE doc = (SELECT min(doc) FROM story_docs)",
        "UPDATE quotes SET speaker = 'e-nobody' WHERE id = (SELECT min(id) FROM quotes)",
    )
    problems = check_store(store)
    assert "1 analysed documents in no story" in problems
    assert "1 quotes whose speaker is no entity" in problems
    assert any("stories without documents" in p for p in problems)
    broken = runner.invoke(app, ["--db", settings.db, "check"])
    assert broken.exit_code == 4 and "no story" in broken.output


def test_full_text_index_out_of_step_is_found(
    sqlite_store: Store, sqlite_settings: Settings, tmp_path: object
) -> None:
    _analysed(sqlite_store, sqlite_settings, tmp_path)
    with sqlite3.connect(sqlite_settings.db) as conn:
        seq, title, body = conn.execute("SELECT seq, title, text FROM documents").fetchone()
        conn.execute(
            "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
            "VALUES ('delete', ?, ?, ?)",
            (seq, title, body),
        )
    assert check_store(sqlite_store) == ["the full-text index is out of step with the documents"]
