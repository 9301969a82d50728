"""Run the document stages over the store in this process.

Documents stream from the store through the stages and back in batches of
``batch_size``; each batch is one transaction, so an interrupted run keeps
every finished batch and redoes only the rest.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Concatenate, ParamSpec

from storyline.batching import batched
from storyline.errors import Problem
from storyline.pipeline import DEFAULT_STAGES, check_order, pipeline_version
from storyline.settings import Settings
from storyline.store import Store

P = ParamSpec("P")
# progress(done, total): total is None while it is not known yet.
Progress = Callable[[int, int | None], None]


@dataclass(slots=True)
class AnalyzeResult:
    analyzed: int
    without_sentences: int
    entities_pruned: int
    problems: list[Problem] = field(default_factory=list)
    records: dict[str, int] = field(default_factory=dict)


def one_at_a_time(
    run: Callable[Concatenate[Store, P], AnalyzeResult],
) -> Callable[Concatenate[Store, P], AnalyzeResult]:
    """Runs hold the store's analysis lock: concurrent analyses take turns."""

    @functools.wraps(run)
    def locked(store: Store, /, *args: P.args, **kwargs: P.kwargs) -> AnalyzeResult:
        with store.analysis_lock():
            return run(store, *args, **kwargs)

    return locked


@one_at_a_time
def analyze(
    store: Store,
    settings: Settings,
    *,
    stages: Sequence[str] = DEFAULT_STAGES,
    force: bool = False,
    progress: Progress | None = None,
) -> AnalyzeResult:
    """Analyse documents not yet done by this pipeline version (all with ``force``).

    ``progress(done, total)`` is called after each stored batch.
    """
    specs = check_order(stages)
    version = pipeline_version(stages)
    ids = store.document_ids() if force else store.pending_ids(version)
    total, done, skipped = len(ids), 0, 0
    problems: list[Problem] = []
    if progress:
        progress(0, total)
    if not ids:
        return AnalyzeResult(0, 0, 0)
    document_specs = [spec for spec in specs if spec.build]
    for spec in document_specs:
        if spec.prepare:
            spec.prepare(store, ids)
    stream = store.iter_documents(ids)
    for spec in document_specs:
        assert spec.build is not None
        stream = spec.build(settings, store)(stream)
    for batch in batched(stream, settings.batch_size):
        for doc in batch:
            doc.parse = None  # the parse lives for one pass through the stages
        store.save_annotations(batch, version)
        done += len(batch)
        skipped += sum(1 for doc in batch if not doc.sentences)
        problems.extend(
            Problem(doc.source, "no article text left after cleaning", rejected=False)
            for doc in batch
            if not doc.text.strip()
        )
        if progress:
            progress(done, total)
    store.refresh_entities(ids)
    pruned = store.prune_entities()
    records = {spec.name: spec.corpus(store, ids, settings) for spec in specs if spec.corpus}
    return AnalyzeResult(done, skipped, pruned, problems, records)
