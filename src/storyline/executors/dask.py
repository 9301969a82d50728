"""Run the document stages, lineage and story clustering on a Dask cluster.

The pending documents are cut into partitions; each Dask task opens the store
itself, streams its partition through the document stages (cleaning,
annotation, entities, time, events, quotes: nearly all of the work) and
writes it back a batch at a time, so nothing travels through the scheduler
but ids and counts. Lineage shuffles the documents' index keys by key
(``executors.dask_lineage``); stories are clustered a block of documents
per task (``stages.stories_blocked``); the other corpus stages (quote
clusters, events, corroboration, briefs) run once over the store, exactly as
the local engine runs them.

Without ``scheduler``, a ``LocalCluster`` of ``workers`` single-threaded
processes starts for the run (spaCy holds the GIL: processes, not threads).
An interrupted run loses nothing stored: finished batches stay, and the next
run picks up the documents still pending.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from storyline.batching import Mapper, batched
from storyline.errors import Problem
from storyline.executors import dask_lineage
from storyline.executors.local import (
    AnalyzeResult,
    Progress,
    annotate,
    finish,
    one_at_a_time,
    prepare,
)
from storyline.pipeline import DEFAULT_STAGES, check_order, pipeline_version
from storyline.settings import Settings
from storyline.stages import stories_blocked
from storyline.store import Store, open_store

if TYPE_CHECKING:
    from dask.distributed import Client

T = TypeVar("T")
# Documents per task of the corpus stages (a task's fixed cost is a store
# opened and the shared counts it reads once per worker).
CORPUS_PARTITION = 2_000


def mapper(client: Client) -> Mapper:
    """A ``Mapper`` over the cluster: what tasks share is scattered to every
    worker once, results come back as tasks finish."""
    from dask.distributed import as_completed

    def run(task: Callable[..., T], items: Sequence[Any], /, **shared: Any) -> Iterator[T]:
        if not items:
            return iter(())
        scattered = {
            k: client.scatter([v], broadcast=True, hash=False)[0] for k, v in shared.items()
        }
        futures = client.map(task, items, pure=False, **scattered)

        def results() -> Iterator[T]:
            for future in as_completed(futures):
                yield future.result()

        return results()

    return run


def _partition(
    ids: list[str], settings: Settings, stages: tuple[str, ...]
) -> tuple[int, int, list[Problem]]:
    """One task: a partition of documents through the document stages, into the store."""
    with open_store(settings.db, settings) as store:
        return annotate(store, settings, stages, ids)


@one_at_a_time
def analyze(
    store: Store,
    settings: Settings,
    *,
    scheduler: str | None = None,
    workers: int = 2,
    partition_size: int = 256,
    corpus_partition_size: int = CORPUS_PARTITION,
    stages: Sequence[str] = DEFAULT_STAGES,
    force: bool = False,
    progress: Progress | None = None,
) -> AnalyzeResult:
    """Like ``storyline.executors.local.analyze``, with the document stages on Dask."""
    from dask.distributed import Client, LocalCluster, as_completed

    specs = check_order(stages)
    ids = store.document_ids() if force else store.pending_ids(pipeline_version(stages))
    if progress:
        progress(0, len(ids))
    if not ids and not store.corpus_pending():
        return AnalyzeResult(0, 0, 0)
    prepare(store, specs, ids)
    result = AnalyzeResult(0, 0, 0)
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
    try:
        with Client(scheduler or cluster) as client:
            futures = client.map(
                _partition,
                list(batched(ids, partition_size)),
                settings=settings,
                stages=tuple(stages),
                pure=False,
            )
            for future in as_completed(futures):
                done, skipped, problems = future.result()
                result.analyzed += done
                result.without_sentences += skipped
                result.problems.extend(problems)
                if progress:
                    progress(result.analyzed, len(ids))
            runners = {
                "lineage": partial(dask_lineage.run, partition_size=corpus_partition_size),
                "stories": partial(
                    stories_blocked.run,
                    mapper=mapper(client),
                    partition_size=corpus_partition_size,
                ),
            }
            return finish(store, settings, specs, ids, result, runners)
    finally:
        if cluster is not None:
            cluster.close()
