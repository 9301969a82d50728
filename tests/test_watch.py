"""Following a folder: files read once settled, remembered across restarts, analysed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from storyline.settings import Settings
from storyline.store import Store, open_store
from storyline.watch import watch
from tests.conftest import REPO, write
from tests.fixtures import HARBOUR_PAGE, HEADLINE_ARTICLE, LOCK_PAGE, PARAGRAPH_FIRST


def _age(path: Path, seconds: float) -> None:
    """Make a file look as if it was last written ``seconds`` ago."""
    then = time.time() - seconds
    os.utime(path, (then, then))


def _once(folder: Path, store: Store, settings: Settings, lines: list[str]) -> int:
    done = watch(
        folder, store, settings, once=True, settle=0.3, report=lines.append, analysis=False
    )
    return done.files


def test_files_are_read_once_and_again_only_when_changed(
    tmp_path: Path, settings: Settings, store: Store
) -> None:
    inbox = tmp_path / "inbox"
    ferry = write(inbox / "ferry.txt", HEADLINE_ARTICLE)
    write(inbox / "pages" / "crane.html", HARBOUR_PAGE)
    write(inbox / ".hidden.txt", PARAGRAPH_FIRST)
    write(inbox / "download.html.part", LOCK_PAGE)
    for path in inbox.rglob("*"):
        _age(path, 60)
    lines: list[str] = []
    assert _once(inbox, store, settings, lines) == 2
    assert lines[-1] == "read 2 file(s): 2 added, 0 already stored, 0 rejected"
    assert {d.source for d in store.iter_documents()} == {
        f"{inbox}/ferry.txt",
        "https://westhaven-gazette.example/news/crane-collapse",
    }
    # Nothing new: nothing read. Touched without a change: not read either.
    assert _once(inbox, store, settings, lines) == 0
    _age(ferry, 30)
    assert _once(inbox, store, settings, lines) == 0
    # Changed: read again, and only the new text is added.
    ferry.write_text(HEADLINE_ARTICLE + "\nThe coastguard boat made its first run on Friday.\n")
    _age(ferry, 30)
    assert _once(inbox, store, settings, lines) == 1
    assert lines[-1] == "read 1 file(s): 1 added, 0 already stored, 0 rejected"
    assert store.stats().documents == 3


def test_a_file_still_being_written_waits_until_it_settles(
    tmp_path: Path, settings: Settings, store: Store
) -> None:
    inbox = tmp_path / "inbox"
    growing = write(inbox / "ferry.txt", HEADLINE_ARTICLE[:40])
    lines: list[str] = []
    started = time.monotonic()
    seen: list[int] = []

    def writer() -> None:
        time.sleep(0.15)
        growing.write_text(HEADLINE_ARTICLE)
        seen.append(1)

    thread = threading.Thread(target=writer)
    thread.start()
    _once(inbox, store, settings, lines)
    thread.join()
    assert seen and time.monotonic() - started >= 0.3
    [doc] = store.iter_documents()
    assert doc.text == HEADLINE_ARTICLE  # the whole file, not the first 40 characters


def test_bad_files_are_named_and_remembered(
    tmp_path: Path, settings: Settings, store: Store
) -> None:
    inbox = tmp_path / "inbox"
    write(inbox / "empty.txt", "")
    write(inbox / "ferry.txt", HEADLINE_ARTICLE)
    for path in inbox.iterdir():
        _age(path, 60)
    lines: list[str] = []
    done = watch(inbox, store, settings, once=True, settle=0.3, report=lines.append)
    assert [p.source for p in done.problems if p.rejected] == [f"{inbox}/empty.txt"]
    assert done.analyzed == 1
    assert lines[-1] == "analysed 1 document(s); 1 placed in stories"
    assert _once(inbox, store, settings, lines) == 0  # the bad file is not re-read either


def test_a_watcher_thread_reads_files_as_they_arrive_until_stopped(
    tmp_path: Path, settings: Settings, store: Store
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    stop = threading.Event()
    lines: list[str] = []

    def follow() -> None:
        watch(inbox, store, settings, settle=0.2, report=lines.append, analysis=False, stop=stop)

    thread = threading.Thread(target=follow)
    thread.start()
    try:
        _wait_for(lambda: lines == [f"watching {inbox.resolve()}"], timeout=10)
        time.sleep(0.3)  # the watcher is running
        write(inbox / "deep" / "ferry.txt", HEADLINE_ARTICLE)
        _wait_for(lambda: store.stats().documents == 1, timeout=30)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
    assert lines[-1] == "read 1 file(s): 1 added, 0 already stored, 0 rejected"


def _watcher(db: Path, inbox: Path, *extra: str) -> subprocess.Popen[str]:
    env = os.environ | {"PYTHONPATH": str(REPO / "src"), "STORYLINE_DB": str(db)}
    return subprocess.Popen(
        [sys.executable, "-m", "storyline", "watch", str(inbox), "--settle", "0.5", *extra],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )


def _wait_for(condition: object, timeout: float = 90) -> None:
    assert callable(condition)
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.3)


@pytest.mark.slow
def test_watch_command_follows_a_folder_and_survives_a_kill(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    db = tmp_path / "watch.db"
    process = _watcher(db, inbox)
    try:
        _wait_for(db.exists)
        write(inbox / "ferry.txt", HEADLINE_ARTICLE)
        # A page arriving in two writes, a while apart, is read whole.
        page = inbox / "crane.html"
        page.write_text(HARBOUR_PAGE[:300])
        time.sleep(0.2)
        page.write_text(HARBOUR_PAGE)

        def in_stories() -> bool:
            with open_store(db, read_only=True) as store:
                ids = store.document_ids()
                return len(ids) == 2 and len(store.stories_of(ids)) == 2

        _wait_for(in_stories)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    with open_store(db, read_only=True) as store:
        [crane] = [d for d in store.iter_documents() if d.source.startswith("https://")]
        assert "independent inquiry" in crane.text
        before = {d.id: d.other_sources for d in store.iter_documents()}
    # Restarted after the kill: nothing is read twice; a file added meanwhile is read.
    write(inbox / "council.txt", PARAGRAPH_FIRST)
    _age(inbox / "council.txt", 5)
    again = _watcher(db, inbox, "--once")
    _, stderr = again.communicate(timeout=120)
    assert again.returncode == 0, stderr
    assert "read 1 file(s): 1 added, 0 already stored, 0 rejected" in stderr
    with open_store(db, read_only=True) as store:
        after = {d.id: d.other_sources for d in store.iter_documents()}
    assert len(after) == 3 and all(after[i] == before[i] for i in before)
