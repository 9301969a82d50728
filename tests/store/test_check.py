"""`storyline check`: a sound store passes; broken records are each named."""

from __future__ import annotations

import sqlite3

from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from storyline.cli import app
from storyline.executors.local import analyze, annotate, prepare
from storyline.pipeline import DEFAULT_STAGES, check_order, pipeline_version
from storyline.settings import Settings
from storyline.store import Store, is_postgres
from storyline.store.check import check_store, unfinished
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


def test_work_an_interrupted_run_left_is_named_apart_from_faults(
    store: Store, settings: Settings, tmp_path: object
) -> None:
    folder = tmp_path / "in"  # type: ignore[operator]
    write(folder / "a.txt", HEADLINE_ARTICLE)
    write(folder / "b.txt", PARAGRAPH_FIRST)
    ingest([folder], store, settings)
    ids = store.pending_ids(pipeline_version(DEFAULT_STAGES))
    prepare(store, check_order(DEFAULT_STAGES), ids)
    annotate(store, settings, DEFAULT_STAGES, ids)  # stopped before the corpus stages
    assert check_store(store) == []
    assert unfinished(store) == [
        "an interrupted analysis left 2 documents for the corpus stages "
        "(run storyline analyze to finish it)"
    ]
    result = CliRunner().invoke(app, ["--db", settings.db, "check"])
    assert result.exit_code == 0 and "unfinished: an interrupted analysis" in result.output
    analyze(store, settings)
    assert (check_store(store), unfinished(store)) == ([], [])
