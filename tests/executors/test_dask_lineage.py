"""Lineage by key shuffle on Dask finds the lineage stage's derivations.

Dask's synchronous scheduler runs the same tasks and shuffles in this
process; the slow tests of ``test_dask`` run them on a cluster.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import dask
import pytest

from storyline.batching import batched
from storyline.executors import dask_lineage
from storyline.executors.local import analyze
from storyline.model import Sentence
from storyline.pipeline import DEFAULT_STAGES
from storyline.settings import Settings, load_settings
from storyline.stages import lineage
from storyline.store import open_store
from storyline.synth import generate
from storyline.workflow import ingest
from tests.conftest import DEMO

Edge = tuple[str, str, str, float, str]


@pytest.fixture(autouse=True)
def _in_process() -> Iterator[None]:
    with dask.config.set(scheduler="sync"):
        yield


def _edges(settings: Settings) -> set[Edge]:
    with open_store(settings.db, settings, read_only=True) as store:
        return {
            (d.source_doc, d.derived_doc, d.kind, d.score, json.dumps(d.evidence, sort_keys=True))
            for d in store.iter_derivations()
        }


def _both(
    settings: Settings, tmp_path: Path, runs: list[list[str]], partition_size: int
) -> tuple[Settings, Settings]:
    """Copies of a store whose lineage is found run after run by the stage and
    by the key shuffle."""
    copies = []
    for name in ("stage", "shuffle"):
        target = load_settings(environ={}, db=str(tmp_path / f"{name}.db"))
        shutil.copy(settings.db, target.db)
        with open_store(target.db, target) as store:
            for ids in runs:
                if name == "stage":
                    lineage.run(store, ids, target)
                else:
                    dask_lineage.run(store, ids, target, partition_size)
        copies.append(target)
    return copies[0], copies[1]


def test_demo_corpus_by_key_shuffle_gives_the_stages_derivations(tmp_path: Path) -> None:
    settings = load_settings(environ={}, db=str(tmp_path / "demo.db"))
    with open_store(settings.db, settings) as store:
        ingest([DEMO / "articles.jsonl", DEMO / "txt"], store, settings)
        analyze(store, settings, stages=DEFAULT_STAGES[: DEFAULT_STAGES.index("lineage")])
        ids = sorted(store.document_ids())
    stage, shuffled = _both(settings, tmp_path, [ids], partition_size=4)
    found = _edges(stage)
    assert len(found) == 4
    assert _edges(shuffled) == found


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, list[str]]:
    """300 synthetic articles (copies, rewrites, credits), cleaned, their lines as sentences."""
    tmp = tmp_path_factory.mktemp("lineage-shuffle")
    corpus = tmp / "synth.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        for record, _ in generate(300, 20, seed=9):
            fh.write(json.dumps(record) + "\n")
    settings = load_settings(environ={}, db=str(tmp / "synth.db"))
    with open_store(settings.db, settings) as store:
        ingest([corpus], store, settings)
        analyze(store, settings, stages=["clean"])
        ids = sorted(store.document_ids())
        for batch in batched(store.iter_documents(ids), 100):
            for doc in batch:
                doc.sentences = [
                    Sentence(m.start(), m.end()) for m in re.finditer(r"[^\n]+", doc.text)
                ]
            store.save_annotations(batch, "lines")
    return settings, ids


def test_synthetic_corpus_by_key_shuffle_gives_the_stages_derivations(
    synthetic: tuple[Settings, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, ids = synthetic
    monkeypatch.setattr(lineage, "WRITE_BATCH", 7)  # derivations written 7 at a time
    stage, shuffled = _both(settings, tmp_path, [ids], partition_size=32)
    found = _edges(stage)
    kinds = {kind for _, _, kind, _, _ in found}
    assert len(found) > 40 and {"duplicate", "syndicated", "rewrite", "attributed"} <= kinds
    assert _edges(shuffled) == found


def test_a_second_run_against_the_stored_index(
    synthetic: tuple[Settings, list[str]], tmp_path: Path
) -> None:
    """Documents of a later run pair with stored ones, through the store's index."""
    settings, ids = synthetic
    first, second = ids[::2], ids[1::2]
    stage, shuffled = _both(settings, tmp_path, [first, second], partition_size=40)
    assert _edges(shuffled) == _edges(stage)
