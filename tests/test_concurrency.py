"""Several processes ingesting and analysing into one store at once (SQLite and
PostgreSQL): no document lost or stored twice, every document analysed and in
exactly one story. (Which story: online clustering depends on arrival order,
which a race decides.)"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from storyline.executors.local import analyze
from storyline.pipeline import DEFAULT_STAGES, pipeline_version
from storyline.settings import Settings, load_settings
from storyline.store import open_store
from storyline.workflow import ingest
from tests.conftest import DEMO


def _ingest_and_analyze(db: str, paths: list[str]) -> None:
    settings = load_settings(environ={}, db=db, batch_size=2)
    with open_store(db, settings) as store:
        ingest(paths, store, settings)
        analyze(store, settings)


@pytest.mark.slow
def test_concurrent_writers_lose_nothing_and_duplicate_nothing(
    settings: Settings, tmp_path: Path
) -> None:
    lines = (DEMO / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    # Three overlapping shares: every article is sent by two processes.
    shares = []
    for n in range(3):
        share = tmp_path / f"share{n}.jsonl"
        picked = [line for i, line in enumerate(lines) if i % 3 != n]
        share.write_text("\n".join(picked) + "\n", encoding="utf-8")
        shares.append([str(share)])
    shares[0].append(str(DEMO / "txt"))
    shares[1].append(str(DEMO / "txt"))
    with open_store(settings.db, settings):
        pass  # created once, before the race
    spawn = multiprocessing.get_context("spawn")
    workers = [spawn.Process(target=_ingest_and_analyze, args=(settings.db, s)) for s in shares]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=600)
    assert [w.exitcode for w in workers] == [0, 0, 0]

    with open_store(settings.db, settings) as reference_source:
        stored = list(reference_source.iter_documents(mentions=False))
    once = tmp_path / "once.db"
    alone = load_settings(environ={}, db=str(once))
    with open_store(once, alone) as store:
        ingest([DEMO / "articles.jsonl", DEMO / "txt"], store, alone)
        expected_ids = set(store.document_ids())
    assert {d.id for d in stored} == expected_ids
    assert len(stored) == len(expected_ids)

    with open_store(settings.db, settings, read_only=True) as store:
        assert store.pending_ids(pipeline_version(DEFAULT_STAGES)) == []
        members = [d for s in store.iter_stories() for d in s.docs]
        assert sorted(members) == sorted(expected_ids)
