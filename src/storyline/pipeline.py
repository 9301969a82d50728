"""The stage protocol, the registry of stages and their default order.

A document stage turns a stream of documents into a stream of documents,
adding annotations. ``build(settings, store)`` makes it (loading models
once); the store, when there is one, gives evidence from other documents.
A stage may also ``prepare(store, ids)`` before any document streams, to
record what it needs from the whole batch. Each stage declares the document
fields it requires and the ones it assigns; ``check_order`` refuses an order
in which a stage would run before what it needs (in the spirit of spaCy's
pipe analysis).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from storyline import __version__
from storyline.errors import PipelineError
from storyline.ids import stable_id
from storyline.model import Document
from storyline.settings import Settings
from storyline.stages import (
    annotate,
    brief,
    clean,
    corroborate,
    entities,
    event_merge,
    events,
    lineage,
    quote_clusters,
    quotes,
    stories,
    story_dating,
    time,
)
from storyline.store import Store

DocumentStage = Callable[[Iterable[Document]], Iterator[Document]]


CorpusStage = Callable[[Store, Sequence[str], Settings], int]


@dataclass(frozen=True, slots=True)
class StageSpec:
    """A document stage has ``build`` (and maybe ``prepare``); a corpus stage has ``corpus``.

    A corpus stage runs after the document stages, over the store, for the
    documents just analysed; it returns how many records it stored.
    """

    name: str
    requires: frozenset[str]
    assigns: frozenset[str]
    help: str
    build: Callable[[Settings, Store | None], DocumentStage] | None = None
    prepare: Callable[[Store, Sequence[str]], None] | None = None
    corpus: CorpusStage | None = None


# What ingest gives every document before any stage runs.
INGEST_ASSIGNS = frozenset(
    {"id", "source", "raw_text", "text", "title", "outlet", "published", "language"}
)

REGISTRY: dict[str, StageSpec] = {
    spec.name: spec
    for spec in (
        StageSpec(
            "clean",
            requires=frozenset({"raw_text", "outlet", "source"}),
            assigns=frozenset(
                {"text", "removed", "outlet", "byline", "contributors", "machine_generated"}
            ),
            help="Page junk out of the text, kept with its kind; metadata the junk tells.",
            build=clean.build,
            prepare=clean.prepare,
        ),
        StageSpec(
            "annotate",
            requires=frozenset({"text", "language"}),
            assigns=frozenset({"sentences", "mentions"}),
            help="Sentences and named entities (spaCy) for English documents.",
            build=annotate.build,
        ),
        StageSpec(
            "entities",
            requires=frozenset({"text", "mentions"}),
            assigns=frozenset({"mentions"}),
            help="Canonical entities: NER fixes, short forms to full names, spelling variants.",
            build=entities.build,
        ),
        StageSpec(
            "time",
            requires=frozenset({"text", "sentences", "removed"}),
            assigns=frozenset({"times", "published", "published_evidence"}),
            help="Temporal expressions resolved; publication date estimated when missing.",
            build=time.build,
        ),
        StageSpec(
            "events",
            requires=frozenset({"text", "mentions", "times"}),
            assigns=frozenset({"events"}),
            help="Who did what to whom, when and where, typed with PLOVER event types.",
            build=events.build,
        ),
        StageSpec(
            "quotes",
            requires=frozenset({"text", "mentions", "sentences"}),
            assigns=frozenset({"quotes"}),
            help="Direct, partial and indirect quotes with speakers and cues.",
            build=quotes.build,
        ),
        StageSpec(
            "lineage",
            requires=frozenset({"text", "sentences", "outlet", "published"}),
            assigns=frozenset({"derivations"}),
            help="Duplicates, syndicated copies, rewrites and credited reports, with evidence.",
            corpus=lineage.run,
        ),
        StageSpec(
            "stories",
            requires=frozenset({"text", "title", "mentions", "published", "derivations"}),
            assigns=frozenset({"stories", "storylines"}),
            help="Online clustering into stories, threaded into storylines.",
            corpus=stories.run,
        ),
        StageSpec(
            "story_dating",
            requires=frozenset({"events", "stories", "published", "times"}),
            assigns=frozenset({"published", "published_evidence", "times", "events"}),
            help="Undated documents dated by the events their story-mates date.",
            corpus=story_dating.run,
        ),
        StageSpec(
            "quote_clusters",
            requires=frozenset({"quotes", "stories"}),
            assigns=frozenset({"quote_clusters"}),
            help="The same utterance reported by several outlets, one cluster.",
            corpus=quote_clusters.run,
        ),
        StageSpec(
            "event_merge",
            requires=frozenset({"events", "stories"}),
            assigns=frozenset({"merged_events"}),
            help="The same event told by several documents of a story, one event.",
            corpus=event_merge.run,
        ),
        StageSpec(
            "corroborate",
            requires=frozenset({"stories", "derivations", "quote_clusters", "times"}),
            assigns=frozenset({"claims"}),
            help="Claims several sources report, independent sources, discrepancies.",
            corpus=corroborate.run,
        ),
        StageSpec(
            "brief",
            requires=frozenset({"claims", "storylines"}),
            assigns=frozenset({"briefs"}),
            help="An extractive, cited brief per story, and what is new since the last.",
            corpus=brief.run,
        ),
    )
}

DEFAULT_STAGES: tuple[str, ...] = (
    "clean",
    "annotate",
    "entities",
    "time",
    "events",
    "quotes",
    "lineage",
    "stories",
    "story_dating",
    "quote_clusters",
    "event_merge",
    "corroborate",
    "brief",
)


def check_order(names: Sequence[str]) -> list[StageSpec]:
    """The specs of these stages, or PipelineError naming what is missing."""
    available = set(INGEST_ASSIGNS)
    specs: list[StageSpec] = []
    for name in names:
        spec = REGISTRY.get(name)
        if spec is None:
            raise PipelineError(f"unknown stage {name!r} (known: {', '.join(REGISTRY)})")
        missing = spec.requires - available
        if spec.build and any(s.corpus for s in specs):
            raise PipelineError(
                f"document stage {name!r} must come before the corpus stages "
                f"({', '.join(s.name for s in specs if s.corpus)})"
            )
        if missing:
            raise PipelineError(
                f"stage {name!r} needs {', '.join(sorted(missing))}, which no earlier stage assigns"
            )
        available |= spec.assigns
        specs.append(spec)
    return specs


def pipeline_version(names: Sequence[str]) -> str:
    """Changes whenever storyline or the stage list changes: stale results get redone."""
    return stable_id(__version__, *names, size=6)
