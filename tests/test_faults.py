"""Killed mid-ingest or mid-analysis, again and again: the store stays sound and a
rerun ends exactly where an uninterrupted run ends."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest

from storyline.export import write_json
from storyline.settings import Settings, load_settings
from storyline.store import open_store
from storyline.store.check import check_store
from storyline.synth import generate
from tests.conftest import DEMO

STORYLINE = str(Path(sys.executable).with_name("storyline"))


def _export(settings: Settings) -> dict[str, Any]:
    out = StringIO()
    with open_store(settings.db, settings, read_only=True) as store:
        write_json(store, out)
    exported: dict[str, Any] = json.loads(out.getvalue())
    return exported


def _run(db: str, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [STORYLINE, "-q", "--db", db, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env={**os.environ, "STORYLINE_BATCH_SIZE": "3"},
    )


@pytest.mark.slow
def test_sigkill_at_random_points_loses_and_corrupts_nothing(
    settings: Settings, tmp_path: Path
) -> None:
    corpus = tmp_path / "synth.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        for record, _ in generate(40, 6, seed=11):
            fh.write(json.dumps(record) + "\n")
    inputs = [str(DEMO / "articles.jsonl"), str(corpus)]

    calm = load_settings(environ={}, db=str(tmp_path / "calm.db"))
    for step in (["ingest", *inputs], ["analyze"]):
        assert subprocess.run([STORYLINE, "-q", "--db", calm.db, *step]).returncode == 0

    rng = random.Random(5)
    with open_store(settings.db, settings):
        pass
    for attempt in range(4):
        step = ["ingest", *inputs] if attempt % 2 == 0 else ["analyze"]
        run = _run(settings.db, *step)
        time.sleep(rng.uniform(0.5, 4.0))
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
        run.wait()
        with open_store(settings.db, settings, read_only=True) as store:
            problems = [p for p in check_store(store) if "interrupted analysis" not in p]
            problems = [p for p in problems if "in no story" not in p]
            assert problems == [], f"after kill {attempt}: {problems}"

    for step in (["ingest", *inputs], ["analyze"]):
        done = subprocess.run([STORYLINE, "-q", "--db", settings.db, *step], capture_output=True)
        assert done.returncode == 0, done.stderr
    with open_store(settings.db, settings, read_only=True) as store:
        assert check_store(store) == []
    killed, uninterrupted = _export(settings), _export(calm)
    assert [d["id"] for d in killed["documents"]] == [d["id"] for d in uninterrupted["documents"]]
    for key in ("documents", "entities", "quotes", "derivations"):
        assert killed[key] == uninterrupted[key], key
    stories = lambda e: sorted(sorted(s["docs"]) for s in e["stories"])  # noqa: E731
    assert sum(map(len, stories(killed))) == sum(map(len, stories(uninterrupted)))
