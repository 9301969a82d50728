"""Faults mid-run: the process killed again and again, the disk filling up, the
PostgreSQL server restarting. Each stops a run with a clear error at most; the
store stays sound, nothing stored is lost, and a rerun ends exactly where an
uninterrupted run ends.

Each test prints one ``faults:`` line (kind, how many were injected, whether
the rerun equals the uninterrupted run): ``bench/reliability.py`` adds them up.
"""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from io import StringIO
from itertools import count
from pathlib import Path
from typing import Any

import pytest

from storyline.errors import StoreError
from storyline.export import write_json
from storyline.pipeline import DEFAULT_STAGES, pipeline_version
from storyline.settings import Settings, load_settings
from storyline.store import open_store
from storyline.store.check import check_store, unfinished
from storyline.synth import generate
from tests.conftest import DEMO
from tests.postgres import Cluster

STORYLINE = str(Path(sys.executable).with_name("storyline"))
ENV = {**os.environ, "STORYLINE_BATCH_SIZE": "3"}
_spaces = count()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The demo corpus and 40 synthetic articles (six stories)."""
    path = tmp_path_factory.mktemp("corpus") / "synth.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for record, _ in generate(40, 6, seed=11):
            fh.write(json.dumps(record) + "\n")
    return [str(DEMO / "articles.jsonl"), str(path)]


@pytest.fixture(scope="module")
def uninterrupted(corpus: list[str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The export of the corpus ingested and analysed without a fault."""
    db = str(tmp_path_factory.mktemp("calm") / "calm.db")
    for step in (["ingest", *corpus], ["analyze"]):
        assert _cli(db, *step).returncode == 0
    return _export(load_settings(environ={}, db=db))


def _cli(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [STORYLINE, "-q", "--db", db, *args], capture_output=True, text=True, env=ENV
    )


def _start(db: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [STORYLINE, "-q", "--db", db, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env=ENV,
    )


def _export(settings: Settings) -> dict[str, Any]:
    out = StringIO()
    with open_store(settings.db, settings, read_only=True) as store:
        write_json(store, out)
    exported: dict[str, Any] = json.loads(out.getvalue())
    return exported


def _sound(db: str) -> None:
    settings = load_settings(environ={}, db=db)
    with open_store(db, settings, read_only=True) as store:
        assert check_store(store) == []


def _documents(db: str) -> int:
    settings = load_settings(environ={}, db=db)
    with open_store(db, settings, read_only=True) as store:
        return store.stats().documents


def _analysed_and_unfinished(db: str) -> tuple[bool, bool]:
    """Whether some documents are analysed, and whether some analysis is left to do."""
    settings = load_settings(environ={}, db=db)
    with open_store(db, settings, read_only=True) as store:
        pending = store.pending_ids(pipeline_version(DEFAULT_STAGES))
        return len(pending) < store.stats().documents, bool(pending or unfinished(store))


def _finish_and_compare(db: str, corpus: list[str], uninterrupted: dict[str, Any]) -> bool:
    """Rerun ingest and analysis to the end: the store is sound, nothing is left
    unfinished, and the records are those of the uninterrupted run."""
    for step in (["ingest", *corpus], ["analyze"]):
        done = _cli(db, *step)
        assert done.returncode == 0, done.stderr
    settings = load_settings(environ={}, db=db)
    with open_store(db, settings, read_only=True) as store:
        assert (check_store(store), unfinished(store)) == ([], [])
    rerun = _export(settings)
    assert [d["id"] for d in rerun["documents"]] == [d["id"] for d in uninterrupted["documents"]]
    for key in ("documents", "entities", "quotes", "derivations"):
        assert rerun[key] == uninterrupted[key], key
    # Which story a document joins can depend on arrival order; that every
    # document is in exactly one story cannot.
    members = lambda e: sorted(d for s in e["stories"] for d in s["docs"])  # noqa: E731
    assert members(rerun) == members(uninterrupted)
    return True


def _progress(db: str) -> tuple[int, int, int]:
    """(documents stored, documents analysed, documents waiting for the corpus stages)."""
    settings = load_settings(environ={}, db=db)
    with open_store(db, settings, read_only=True) as store:
        stored = store.stats().documents
        pending = store.pending_ids(pipeline_version(DEFAULT_STAGES))
        return stored, stored - len(pending), len(store.corpus_pending())


def _under_way(run: subprocess.Popen[str], db: str, step: str, rng: random.Random) -> bool:
    """Wait until the run has stored some of its work (documents; analysed documents,
    or the list of those the analysis takes on), then a random while longer: whether
    it is still running, for a fault to hit it."""

    def done() -> tuple[int, ...]:
        stored, analysed, waiting = _progress(db)
        return (stored,) if step == "ingest" else (analysed, waiting)

    start = done()
    deadline = time.monotonic() + 300
    while run.poll() is None and time.monotonic() < deadline:
        if any(now > then for now, then in zip(done(), start, strict=True)):
            break
        time.sleep(0.1)
    # Ingest stores the corpus in about a second, the analysis in about four.
    time.sleep(rng.uniform(0.0, 0.2 if step == "ingest" else 2.0))
    return run.poll() is None


def _next_step(db: str, corpus: list[str], total: int) -> list[str]:
    """What is left to do: ingest until every document is stored, analyse until
    every one is analysed, then analyse everything again (``--force``), so that
    every round has work a fault can cut short."""
    stored, analysed, _ = _progress(db)
    if stored < total:
        return ["ingest", *corpus]
    return ["analyze"] if analysed < stored else ["analyze", "--force"]


def _report(kind: str, injected: int, same: bool, **more: int) -> None:
    line = {"kind": kind, "injected": injected, "same_results": same, **more}
    print("faults:", json.dumps(line))


@pytest.mark.slow
def test_sigkill_at_random_points_loses_and_corrupts_nothing(
    settings: Settings, corpus: list[str], uninterrupted: dict[str, Any], fault_rounds: int
) -> None:
    rng = random.Random(5)
    with open_store(settings.db, settings):
        pass
    kills = {"ingest": 0, "analyze": 0}
    for _ in range(fault_rounds):
        step = _next_step(settings.db, corpus, len(uninterrupted["documents"]))
        run = _start(settings.db, *step)
        if _under_way(run, settings.db, step[0], rng):
            os.killpg(run.pid, signal.SIGKILL)
            kills[step[0]] += 1
        run.communicate()
        _sound(settings.db)
    same = _finish_and_compare(settings.db, corpus, uninterrupted)
    store_kind = "postgres" if "://" in settings.db else "sqlite"
    for step, killed in kills.items():
        _report(f"SIGKILL mid-{step} ({store_kind})", killed, same)


# -- a full disk ------------------------------------------------------------------


@pytest.fixture
def small_disk() -> Iterator[Path]:
    """A 40 MB file system of its own (tmpfs) to fill up; skips where nothing may
    be mounted (it needs root, as CI has)."""
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    root = Path(tempfile.mkdtemp(prefix="storyline-disk-"))
    root.chmod(0o755)  # the PostgreSQL server's user must reach a tablespace in it
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=40m,mode=0755", "tmpfs", str(root)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        root.rmdir()
        pytest.skip(f"cannot mount a small file system here: {mounted.stderr.strip()}")
    try:
        yield root
    finally:
        subprocess.run(["umount", str(root)], check=True)
        root.rmdir()


def _fill(disk: Path, leave: int) -> None:
    """Fill the disk with one file, then leave ``leave`` bytes free."""
    filler = disk / "filler"
    chunk = bytes(1 << 20)
    with filler.open("ab", buffering=0) as fh:
        try:
            while fh.write(chunk):
                pass
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    os.truncate(filler, max(filler.stat().st_size - leave, 0))


def _free(disk: Path) -> None:
    (disk / "filler").unlink()


@pytest.fixture
def full_disk_store(request: pytest.FixtureRequest, small_disk: Path) -> Iterator[tuple[str, str]]:
    """(database, the name errors give it) with all its data on the small disk."""
    if request.param == "sqlite":
        db = str(small_disk / "store.db")
        yield db, db
        return
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    import psycopg

    space = small_disk / "pg"
    space.mkdir()
    if cluster.as_root:
        shutil.chown(space, "postgres", "postgres")
    name = f"small{os.getpid()}_{next(_spaces)}"
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute(f"CREATE TABLESPACE {name} LOCATION '{space}'")
        conn.execute(f'CREATE DATABASE "{name}" TABLESPACE {name}')
    try:
        yield cluster.url(name), cluster.url(name)
    finally:
        with psycopg.connect(cluster.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            conn.execute(f"DROP TABLESPACE {name}")


@pytest.mark.slow
@pytest.mark.parametrize("full_disk_store", ["sqlite", "postgres"], indirect=True)
def test_a_full_disk_stops_the_run_clearly_and_loses_nothing(
    full_disk_store: tuple[str, str],
    small_disk: Path,
    corpus: list[str],
    uninterrupted: dict[str, Any],
) -> None:
    db, name = full_disk_store
    disk_full = f"{name}: disk full; the last batch was not stored"
    assert _cli(db, "ingest", corpus[0]).returncode == 0
    before = _documents(db)

    _fill(small_disk, leave=150_000)
    run = _cli(db, "ingest", *corpus)
    assert run.returncode == StoreError.exit_code and disk_full in run.stderr, run.stderr
    stored = _documents(db)
    assert before <= stored < len(uninterrupted["documents"])
    _sound(db)

    _free(small_disk)
    assert _cli(db, "ingest", *corpus).returncode == 0
    _fill(small_disk, leave=1_000_000)  # room for part of the analysis
    run = _cli(db, "analyze")
    assert run.returncode == StoreError.exit_code and disk_full in run.stderr, run.stderr
    assert _documents(db) == len(uninterrupted["documents"])
    assert _analysed_and_unfinished(db) == (True, True)  # stopped mid-way
    _sound(db)

    _free(small_disk)
    same = _finish_and_compare(db, corpus, uninterrupted)
    kind = "postgres" if "://" in db else "sqlite"
    _report(f"disk full mid-ingest ({kind})", 1, same)
    _report(f"disk full mid-analyze ({kind})", 1, same)


# -- PostgreSQL restarted ----------------------------------------------------------


@pytest.mark.slow
def test_a_postgres_restart_mid_run_is_named_and_a_rerun_completes(
    pg_cluster: Cluster, corpus: list[str], uninterrupted: dict[str, Any], fault_rounds: int
) -> None:
    db = pg_cluster.new_database()
    with open_store(db, load_settings(environ={}, db=db)):
        pass
    rng = random.Random(3)
    restarts = {"ingest": 0, "analyze": 0}
    stopped = {"ingest": 0, "analyze": 0}  # the others reconnected and finished
    for _ in range(fault_rounds):
        step = _next_step(db, corpus, len(uninterrupted["documents"]))
        run = _start(db, *step)
        if _under_way(run, db, step[0], rng):
            pg_cluster.restart()
            restarts[step[0]] += 1
        _, err = run.communicate(timeout=600)
        assert "Traceback" not in err, err
        if run.returncode != 0:
            assert run.returncode == StoreError.exit_code, err
            assert f"lost its connection to {db}" in err or f"cannot reach {db}" in err, err
            stopped[step[0]] += 1
        _sound(db)
    same = _finish_and_compare(db, corpus, uninterrupted)
    for step, restarted in restarts.items():
        _report(f"PostgreSQL restarted mid-{step}", restarted, same, stopped=stopped[step])
