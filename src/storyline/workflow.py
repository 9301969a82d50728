"""The library's main jobs, composed from the stages, the store and the executor.

The CLI and the web app call these and nothing deeper, so a Python user gets
exactly what a command-line user gets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from storyline.batching import batched
from storyline.errors import Problem
from storyline.executors.local import AnalyzeResult, Progress, analyze, recluster
from storyline.model import Document
from storyline.report import write_report
from storyline.settings import Settings
from storyline.stages.ingest import read_inputs
from storyline.store import Store, open_store

__all__ = ["IngestResult", "RunResult", "analyze", "ingest", "recluster", "run"]


@dataclass(slots=True)
class IngestResult:
    added: int = 0
    existing: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def rejected(self) -> list[Problem]:
        return [p for p in self.problems if p.rejected]


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    settings: Settings,
    *,
    on_problem: Callable[[Problem], None] | None = None,
    progress: Progress | None = None,
) -> IngestResult:
    """Read every input into the store, one transaction per batch.

    A bad input becomes a ``Problem`` (passed to ``on_problem`` as it
    happens) and the rest goes on; ``progress(read, None)`` follows each
    stored batch.
    """
    result = IngestResult()

    def documents() -> Iterable[Document]:
        for item in read_inputs(paths, settings, known_urls=store.stored_urls):
            if isinstance(item, Problem):
                result.problems.append(item)
                if on_problem:
                    on_problem(item)
            else:
                yield item

    read = 0
    for batch in batched(documents(), settings.batch_size):
        added = store.add_documents(batch)
        result.added += len(added.added)
        result.existing += len(added.existing)
        read += len(batch)
        if progress:
            progress(read, None)
    return result


@dataclass(slots=True)
class RunResult:
    ingest: IngestResult
    analyze: AnalyzeResult
    report: Path


def run(
    paths: Iterable[str | Path],
    out_dir: Path,
    settings: Settings,
    *,
    on_problem: Callable[[Problem], None] | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Ingest, analyse and write the report folder: the whole job in one call."""
    with open_store(settings.db, settings) as store:
        ingested = ingest(paths, store, settings, on_problem=on_problem)
        analyzed = analyze(store, settings, progress=progress)
        report = write_report(store, out_dir)
    return RunResult(ingested, analyzed, report)
