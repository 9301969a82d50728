"""Run the document stages over the store in this process.

Documents stream from the store through the stages and back in batches of
``batch_size``; each batch is one transaction, so an interrupted run keeps
every finished batch and redoes only the rest.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Concatenate, ParamSpec, TypeVar

from storyline.batching import batched
from storyline.errors import Problem
from storyline.model import StoryOp
from storyline.pipeline import (
    DEFAULT_STAGES,
    CorpusStage,
    StageSpec,
    check_order,
    pipeline_version,
)
from storyline.settings import Settings
from storyline.stages import stories
from storyline.store import Store

P = ParamSpec("P")
R = TypeVar("R")
log = logging.getLogger(__name__)
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
    run: Callable[Concatenate[Store, P], R],
) -> Callable[Concatenate[Store, P], R]:
    """Runs hold the store's analysis lock: concurrent analyses take turns."""

    @functools.wraps(run)
    def locked(store: Store, /, *args: P.args, **kwargs: P.kwargs) -> R:
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
    ids = store.document_ids() if force else store.pending_ids(pipeline_version(stages))
    if progress:
        progress(0, len(ids))
    if not ids and not store.corpus_pending():
        return AnalyzeResult(0, 0, 0)
    prepare(store, specs, ids)
    done, skipped, problems = annotate(store, settings, stages, ids, progress)
    return finish(store, settings, specs, ids, AnalyzeResult(done, skipped, 0, problems))


def prepare(store: Store, specs: Sequence[StageSpec], ids: Sequence[str]) -> None:
    """What document stages learn from all the pending documents before any streams;
    and the note that these documents still need the corpus stages, which only
    ``finish`` clears: a run killed at any point leaves them for the next."""
    store.set_corpus_pending(sorted({*store.corpus_pending(), *ids}))
    for spec in specs:
        if spec.build and spec.prepare:
            spec.prepare(store, ids)


def annotate(
    store: Store,
    settings: Settings,
    stages: Sequence[str],
    ids: Sequence[str],
    progress: Progress | None = None,
) -> tuple[int, int, list[Problem]]:
    """Stream these documents through the document stages into the store, a batch
    (one transaction) at a time: (documents done, without sentences, problems)."""
    version = pipeline_version(stages)
    stream = store.iter_documents(ids)
    for spec in check_order(stages):
        if spec.build:
            stream = spec.build(settings, store)(stream)
    done, skipped = 0, 0
    problems: list[Problem] = []
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
            progress(done, len(ids))
    return done, skipped, problems


def finish(
    store: Store,
    settings: Settings,
    specs: Sequence[StageSpec],
    ids: Sequence[str],
    result: AnalyzeResult,
    runners: Mapping[str, CorpusStage] | None = None,
) -> AnalyzeResult:
    """After the document stages: entities across documents, then the corpus stages,
    over these documents and any an interrupted run left for them.

    ``runners`` run some corpus stages another way (the Dask engine's own);
    the others run here, as registered.
    """
    ids = sorted({*store.corpus_pending(), *ids})
    store.refresh_entities(ids)
    result.entities_pruned = store.prune_entities()
    runners = runners or {}
    for spec in specs:
        if spec.corpus:
            log.debug("corpus stage %s: started", spec.name)
            corpus = runners.get(spec.name, spec.corpus)
            result.records[spec.name] = corpus(store, ids, settings)
            log.debug("corpus stage %s: done", spec.name)
    store.set_corpus_pending([])
    return result


@one_at_a_time
def recluster(store: Store, settings: Settings) -> list[StoryOp]:
    """Cluster every stored document into stories again, as one batch (the
    stories a stream of runs made keep their ids where they still exist), log
    each merge and split, and bring what the later corpus stages derived from
    the changed stories up to date."""
    ops = stories.recluster(store)
    specs = check_order(DEFAULT_STAGES)
    later = specs[[s.name for s in specs].index("stories") + 1 :]
    if ops:
        finish(store, settings, later, [], AnalyzeResult(0, 0, 0))
    return ops
