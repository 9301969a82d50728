"""The PostgreSQL store: locks, a server that is down or restarts, copies both ways."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from storyline.cli import app
from storyline.errors import StoreError, StoreLockedError, StoreNotFoundError
from storyline.executors.local import analyze
from storyline.export import write_json
from storyline.model import Mention
from storyline.settings import Settings, load_settings
from storyline.store import open_store, schema
from storyline.store.postgres import WRITE_LOCK
from storyline.workflow import ingest
from tests.conftest import DEMO
from tests.fixtures import HEADLINE_ARTICLE, PARAGRAPH_FIRST
from tests.postgres import Cluster
from tests.store.test_store import _doc, _texts

TEXTS = [HEADLINE_ARTICLE, PARAGRAPH_FIRST]


@pytest.fixture
def pg_settings(pg_cluster: Cluster) -> Settings:
    return load_settings(environ={}, db=pg_cluster.new_database(), busy_timeout=0.3)


def test_a_writer_holding_the_lock_gives_a_clear_error(pg_settings: Settings) -> None:
    with open_store(pg_settings.db, pg_settings) as store:
        store.add_documents([_doc(pg_settings, HEADLINE_ARTICLE)])
        with psycopg.connect(pg_settings.db) as other:
            other.execute("SELECT pg_advisory_lock(%s)", (WRITE_LOCK,))
            with pytest.raises(StoreLockedError, match="is locked by another writer"):
                store.add_documents([_doc(pg_settings, PARAGRAPH_FIRST, "b.txt")])
            other.execute("SELECT pg_advisory_unlock(%s)", (WRITE_LOCK,))
        assert _texts(store) == [HEADLINE_ARTICLE]
        store.add_documents([_doc(pg_settings, PARAGRAPH_FIRST, "b.txt")])
        assert store.stats().documents == 2


def test_unreachable_server_is_named_without_its_password(pg_cluster: Cluster) -> None:
    url = "postgresql://storyline:hunter2@127.0.0.1:1/news"
    with pytest.raises(StoreError, match="cannot reach") as err:
        open_store(url, load_settings(environ={}, db=url))
    assert "127.0.0.1:1/news" in str(err.value) and "hunter2" not in str(err.value)


def test_missing_database_is_not_found(pg_cluster: Cluster) -> None:
    url = pg_cluster.url("no_such_database")
    with pytest.raises(StoreNotFoundError, match="no_such_database"):
        open_store(url, load_settings(environ={}, db=url), read_only=True)


def test_the_store_survives_a_server_restart(pg_cluster: Cluster, pg_settings: Settings) -> None:
    with open_store(pg_settings.db, pg_settings) as store:
        store.add_documents([_doc(pg_settings, HEADLINE_ARTICLE)])
        pg_cluster.restart()
        store.add_documents([_doc(pg_settings, PARAGRAPH_FIRST, "b.txt")])
        assert store.stats().documents == 2


def test_a_batch_cut_off_by_the_server_is_named_and_not_stored(pg_settings: Settings) -> None:
    meta = schema.meta
    with open_store(pg_settings.db, pg_settings) as store:
        cut_off = pytest.raises(StoreError, match=r"lost its connection to .*run the command again")
        with cut_off, store._write() as conn:
            conn.execute(meta.insert().values(key="cut", value="off"))
            conn.exec_driver_sql("SELECT pg_terminate_backend(pg_backend_pid())")
        with store._read() as conn:
            assert conn.execute(select(meta.c.value).where(meta.c.key == "cut")).all() == []


def test_an_analysis_outlives_a_server_restart(pg_cluster: Cluster, pg_settings: Settings) -> None:
    """The restart ends the connection holding the analysis lock, and the lock with
    it; the run's writes reconnect and it finishes."""
    with open_store(pg_settings.db, pg_settings) as store:
        with store.analysis_lock():
            pg_cluster.restart()
            store.add_documents([_doc(pg_settings, HEADLINE_ARTICLE)])
        with store.analysis_lock():
            assert store.stats().documents == 1


def test_a_stream_left_open_over_a_restart_closes_quietly(
    pg_cluster: Cluster, pg_settings: Settings
) -> None:
    """Closing it raised a second error (closing the dead connection), which Python
    printed as a traceback when the stream was collected after the first."""
    with open_store(pg_settings.db, pg_settings) as store:
        docs = [_doc(pg_settings, text, f"{n}.txt") for n, text in enumerate(TEXTS)]
        store.add_documents(docs)
        for doc in docs:
            doc.mentions = [Mention(doc.id, 0, 4, doc.text[:4], "ORG", f"e{doc.id}")]
        store.save_annotations(docs, "v")
        stream = store.iter_entities()
        next(stream)
        pg_cluster.restart()
        stream.close()
        assert len(list(store.iter_entities())) == 2


def _export(settings: Settings) -> dict[str, object]:
    out = StringIO()
    with open_store(settings.db, settings, read_only=True) as store:
        write_json(store, out)
    exported: dict[str, object] = json.loads(out.getvalue())
    return exported


@pytest.mark.slow
def test_same_results_on_both_stores_and_a_lossless_copy_each_way(
    demo_settings: Settings, pg_settings: Settings, tmp_path: Path
) -> None:
    with open_store(pg_settings.db, pg_settings) as store:
        ingest([DEMO / "articles.jsonl", DEMO / "txt"], store, pg_settings)
        analyze(store, pg_settings)
    on_sqlite, on_postgres = _export(demo_settings), _export(pg_settings)
    for key in ("documents", "entities", "quotes", "derivations", "stories", "storylines",
                "events", "claims", "briefs"):  # fmt: skip
        assert on_postgres[key] == on_sqlite[key], key

    copied = load_settings(environ={}, db=str(tmp_path / "copied.db"))
    runner = CliRunner()
    done = runner.invoke(app, ["migrate", "--from", pg_settings.db, "--to", copied.db])
    assert done.exit_code == 0, done.output
    assert "documents" in done.output
    assert _export(copied) == on_postgres

    again = runner.invoke(app, ["migrate", "--from", demo_settings.db, "--to", copied.db])
    assert again.exit_code == 4 and "already holds documents" in again.output
    assert _export(copied) == on_postgres
