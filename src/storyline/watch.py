"""Follow a folder: ingest files as they arrive or change, and analyse what is new.

A file is read once it has settled (its size and modification time unchanged
for ``settle`` seconds), so a file still being written or copied is not read
half-way. Every file version read (path, size, modification time, content
digest) is remembered in the store, so a restart, or a file touched without
a change, reads nothing twice; a file whose content changed is read again
(ingest is idempotent: only its new articles are added). Deleted files are
ignored: nothing stored is lost.

After each round of new files the analysis runs incrementally
(``executors.local.analyze``): the document stages only for the new
documents; lineage looks up their candidates in the stored index; the
stories stage places only them; quote clusters, merged events, claims and
briefs are recomputed for the stories they joined, and those stories are
threaded into storylines.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from storyline.errors import Problem
from storyline.executors.local import analyze
from storyline.ids import path_text
from storyline.settings import Settings
from storyline.stages.ingest.inputs import list_files
from storyline.store import Store
from storyline.store.files import FileVersion
from storyline.workflow import ingest

SETTLE_SECONDS = 2.0
# Names browsers and copy tools give files they are still writing.
_PARTIAL_SUFFIXES = (".part", ".partial", ".crdownload", ".download", ".tmp")

Report = Callable[[str], None]


@dataclass(slots=True)
class Round:
    """What one look at the folder did."""

    files: int = 0
    added: int = 0
    existing: int = 0
    rejected: int = 0
    analyzed: int = 0
    problems: list[Problem] = field(default_factory=list)


def digest(path: Path) -> str:
    """Content hash of a file (BLAKE2b), read in chunks."""
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "blake2b").hexdigest()


def _wanted(path: Path, folder: Path) -> bool:
    try:
        parts = path.relative_to(folder).parts
    except ValueError:
        return False
    return not any(p.startswith(".") for p in parts) and not path.name.endswith(_PARTIAL_SUFFIXES)


@dataclass(slots=True)
class _Settling:
    """Files seen changing, with what they looked like when first seen so."""

    seen: dict[Path, tuple[tuple[int, int], float]] = field(default_factory=dict)

    def ready(self, paths: Iterable[Path], store: Store, settle: float) -> list[FileVersion]:
        """The files among these (and those still settling) that are new or changed
        and have not changed for ``settle`` seconds; the others wait."""
        candidates = {p for p in paths} | set(self.seen)
        stats: dict[Path, tuple[int, int]] = {}
        for path in candidates:
            try:
                st = path.stat()
            except OSError:
                self.seen.pop(path, None)
                continue
            stats[path] = (st.st_size, st.st_mtime_ns)
        known = store.file_versions([str(p) for p in stats])
        now, wall = time.monotonic(), time.time()
        ready: list[FileVersion] = []
        for path, key in sorted(stats.items()):
            old = known.get(str(path))
            if old is not None and (old.size, old.mtime_ns) == key:
                self.seen.pop(path, None)
                continue
            before = self.seen.get(path)
            quiet = wall - key[1] / 1e9 >= settle
            if quiet or (before is not None and before[0] == key and now - before[1] >= settle):
                self.seen.pop(path, None)
                ready.append(FileVersion(str(path), key[0], key[1], ""))
            elif before is None or before[0] != key:
                self.seen[path] = (key, now)
        return ready


def ingest_round(
    versions: list[FileVersion],
    store: Store,
    settings: Settings,
    *,
    report: Report,
    shown: Callable[[str], str] = str,
    on_problem: Callable[[Problem], None] | None = None,
    analysis: bool = True,
) -> Round:
    """Ingest these file versions (unless their content is already ingested), remember
    them, and analyse what was added. ``shown`` turns a version's absolute path into
    the path documents and problems name."""
    done = Round()
    known = store.file_versions([v.path for v in versions])
    fresh: list[FileVersion] = []
    for version in versions:
        try:
            hashed = FileVersion(
                version.path, version.size, version.mtime_ns, digest(Path(version.path))
            )
        except OSError as exc:
            problem = Problem(path_text(shown(version.path)), f"cannot read: {exc.strerror or exc}")
            done.problems.append(problem)
            if on_problem:
                on_problem(problem)
            continue
        old = known.get(version.path)
        if old is not None and old.digest == hashed.digest:
            store.record_files([hashed])  # touched, not changed
            continue
        fresh.append(hashed)
    if not fresh:
        return done
    result = ingest([shown(v.path) for v in fresh], store, settings, on_problem=on_problem)
    store.record_files(fresh)
    done.files = len(fresh)
    done.added, done.existing = result.added, result.existing
    done.rejected = len(result.rejected)
    done.problems.extend(result.problems)
    report(
        f"read {done.files} file(s): {done.added} added, {done.existing} already stored, "
        f"{done.rejected} rejected"
    )
    if analysis and done.added:
        analyzed = analyze(store, settings)
        done.analyzed = analyzed.analyzed
        done.problems.extend(analyzed.problems)
        stories = analyzed.records.get("stories", 0)
        report(f"analysed {analyzed.analyzed} document(s); {stories} placed in stories")
    return done


def _changes(folder: Path, settle: float, stop: threading.Event | None) -> Iterator[set[Path]]:
    """Paths that changed under the folder, or an empty set every ``settle / 2`` seconds."""
    from watchfiles import Change
    from watchfiles import watch as watch_folder

    for batch in watch_folder(
        folder,
        debounce=min(1600, max(100, int(settle * 500))),
        rust_timeout=max(100, int(settle * 500)),
        yield_on_timeout=True,
        stop_event=stop,
        raise_interrupt=False,
    ):
        yield {Path(p) for change, p in batch if change != Change.deleted}


def watch(
    folder: Path,
    store: Store,
    settings: Settings,
    *,
    once: bool = False,
    settle: float = SETTLE_SECONDS,
    report: Report,
    on_problem: Callable[[Problem], None] | None = None,
    analysis: bool = True,
    stop: threading.Event | None = None,
) -> Round:
    """Ingest what the folder holds, then follow it until ``stop`` is set (or, with
    ``once``, until what it held has been read). Returns the totals.

    Documents and problems name files by the folder as given (``inbox/a.html``);
    the store remembers them by absolute path.
    """
    given, folder = folder, folder.resolve()

    def shown(path: str) -> str:
        return str(given / Path(path).relative_to(folder))

    total = Round()
    settling = _Settling()
    changes = None if once else _changes(folder, settle, stop)
    look: set[Path] = set(list_files(folder))
    rescan = not once  # files may land between the first look and the watcher's start
    report(f"watching {folder}" if not once else f"reading {folder}")
    while True:
        ready = settling.ready((p for p in look if _wanted(p, folder)), store, settle)
        if ready:
            done = ingest_round(
                ready,
                store,
                settings,
                report=report,
                shown=shown,
                on_problem=on_problem,
                analysis=analysis,
            )
            total.files += done.files
            total.added += done.added
            total.existing += done.existing
            total.rejected += done.rejected
            total.analyzed += done.analyzed
            total.problems.extend(done.problems)
        if changes is None:
            if not settling.seen:
                return total
            time.sleep(settle / 4)
            look = set()
            continue
        batch = next(changes, None)
        if batch is None:
            return total
        look = set()
        for path in batch:
            if path.is_file():
                look.add(path)
            elif path.is_dir():  # listed whole: files can land in it before it is watched
                look.update(list_files(path))
        if rescan:
            look |= set(list_files(folder))
            rescan = False
