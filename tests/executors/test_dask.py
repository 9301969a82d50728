"""The Dask engine: the same records as the local engine, and nothing lost when killed
(in the document stages or in the corpus stages it runs on the cluster)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest

from storyline.executors import dask
from storyline.executors.local import analyze
from storyline.export import write_json
from storyline.pipeline import DEFAULT_STAGES, pipeline_version
from storyline.settings import Settings, load_settings
from storyline.stages import lineage
from storyline.store import Store, open_store
from storyline.store.check import check_store
from storyline.synth import generate
from storyline.workflow import ingest
from tests.conftest import DEMO

RECORDS = ("documents", "entities", "quotes", "derivations", "stories", "storylines", "events",
           "claims", "briefs")  # fmt: skip


def _export(settings: Settings) -> dict[str, Any]:
    out = StringIO()
    with open_store(settings.db, settings, read_only=True) as store:
        write_json(store, out)
    exported: dict[str, Any] = json.loads(out.getvalue())
    return exported


def _synthetic(path: Path, docs: int) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for record, _ in generate(docs, max(docs // 10, 1), seed=3):
            fh.write(json.dumps(record) + "\n")
    return path


@pytest.mark.slow
def test_dask_gives_the_local_engines_records(
    settings: Settings, demo_settings: Settings, tmp_path: Path
) -> None:
    inputs = [DEMO / "articles.jsonl", DEMO / "txt", _synthetic(tmp_path / "s.jsonl", 60)]
    local = load_settings(environ={}, db=str(tmp_path / "local.db"))
    for target, engine in ((local, analyze), (settings, None)):
        with open_store(target.db, target) as store:
            ingest(inputs, store, target)
            if engine is None:
                result = dask.analyze(store, target, workers=2, partition_size=16)
                assert result.analyzed == store.stats().documents
            else:
                engine(store, target)
    on_local, on_dask = _export(local), _export(settings)
    for key in RECORDS:
        assert on_dask[key] == on_local[key], key


@pytest.mark.slow
def test_a_killed_dask_run_completes_on_restart(sqlite_settings: Settings, tmp_path: Path) -> None:
    db = sqlite_settings.db
    corpus = _synthetic(tmp_path / "s.jsonl", 120)
    with open_store(db, sqlite_settings) as store:
        ingest([corpus], store, sqlite_settings)
        expected = set(store.document_ids())
    command = [str(Path(sys.executable).with_name("storyline")), "-q", "--db", db, "analyze",
               "--engine", "dask", "--workers", "2"]  # fmt: skip
    run = subprocess.Popen(
        command,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "STORYLINE_BATCH_SIZE": "4"},
    )
    version = pipeline_version(DEFAULT_STAGES)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and run.poll() is None:
        with open_store(db, sqlite_settings, read_only=True) as store:
            if len(store.pending_ids(version)) < len(expected):
                break  # some batches are stored: kill it now, mid-run
        time.sleep(0.2)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    with open_store(db, sqlite_settings, read_only=True) as store:
        assert 0 < len(store.pending_ids(version)) < len(expected) or run.returncode == 0

    again = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    with open_store(db, sqlite_settings, read_only=True) as store:
        assert set(store.document_ids()) == expected
        assert store.pending_ids(version) == []
        members = [d for s in store.iter_stories() for d in s.docs]
        assert sorted(members) == sorted(expected)


# A Dask analysis of the library, with corpus stages in small partitions.
_ANALYZE = """
import sys
from storyline.executors import dask
from storyline.settings import load_settings
from storyline.store import open_store

settings = load_settings(db=sys.argv[1])
with open_store(settings.db, settings) as store:
    dask.analyze(store, settings, workers=2, partition_size=32, corpus_partition_size=16)
"""


def _corpus_stage_reached(store: Store, stage: str) -> bool:
    if stage == "lineage":
        return store.lineage_indexed() > 0
    return store.stats().stories > 0


@pytest.mark.slow
@pytest.mark.parametrize("stage", ["lineage", "stories"])
def test_a_dask_run_killed_in_a_corpus_stage_completes_on_restart(
    sqlite_settings: Settings, tmp_path: Path, stage: str
) -> None:
    """Killed once its lineage index or its first stories are stored, a run
    leaves every document to the next, which places each in one story and
    finds the derivations an uninterrupted lineage stage finds."""
    db = sqlite_settings.db
    with open_store(db, sqlite_settings) as store:
        ingest([_synthetic(tmp_path / "s.jsonl", 240)], store, sqlite_settings)
        expected = set(store.document_ids())
    run = subprocess.Popen(
        [sys.executable, "-c", _ANALYZE, db],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and run.poll() is None:
        with open_store(db, sqlite_settings, read_only=True) as store:
            if _corpus_stage_reached(store, stage):
                break
        time.sleep(0.05)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    with open_store(db, sqlite_settings, read_only=True) as store:
        assert set(store.corpus_pending()) == expected or run.returncode == 0

    again = subprocess.run([sys.executable, "-c", _ANALYZE, db], capture_output=True, timeout=600)
    assert again.returncode == 0, again.stderr
    with open_store(db, sqlite_settings, read_only=True) as store:
        assert store.corpus_pending() == [] and check_store(store) == []
        members = [d for s in store.iter_stories() for d in s.docs]
        assert sorted(members) == sorted(expected)
        assert all(s.storyline for s in store.iter_stories())
        found = {(d.source_doc, d.derived_doc, d.kind) for d in store.iter_derivations()}
    local = tmp_path / "local.db"
    shutil.copy(db, local)
    settings = load_settings(environ={}, db=str(local))
    with open_store(local, settings) as store:
        lineage.run(store, sorted(expected), settings)
        assert {(d.source_doc, d.derived_doc, d.kind) for d in store.iter_derivations()} == found
