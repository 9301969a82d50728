"""The stories stage a block at a time, over any ``Mapper`` (Dask workers).

Three steps, each a map over partitions whose tasks open the store themselves:

1. the run's documents, in the order the stories stage takes them, give the
   postings of their terms (and, when the store holds stories already, the
   stored stories each might join);
2. here, the blocks of documents that can be clustered apart
   (``story_blocks``), packed into partitions of whole blocks;
3. each block is clustered by the streaming clusterer exactly as the stories
   stage clusters a run, with every term weighed by the document frequency the
   whole run had reached when each document arrived (``story_arrival``), and
   its stories are written to the store.

Storylines are then threaded here, once, over the stories the run touched,
by the stories stage's own ``thread`` and with the clusterer's state the
blocks ended with. Where no story crosses blocks, the result is the stories
stage's; a document whose only ties to a story are common words can go
another way (``story_blocks``), and so, rarely, can a close call on a story
whose centroid norms one pass over the whole run would have weighed again
when comparing it with another block's document. A run cut short leaves its
finished partitions stored; the next run clusters the rest and threads every
story left without a storyline.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from storyline.batching import Mapper, batched
from storyline.model import Story
from storyline.settings import Settings
from storyline.stages import stories
from storyline.stages.clustering import MAX_CANDIDATES, Key, StreamClusterer
from storyline.stages.story_arrival import (
    ArrivalFrequencies,
    Postings,
    join,
    postings,
    vocabulary,
)
from storyline.stages.story_blocks import blocks, common_above
from storyline.stages.story_model import (
    CENTROID_TERMS,
    SPACES,
    Cluster,
    DocFrequencies,
    Features,
    StoryParams,
    day_number,
    doc_vectors,
    features,
    query_terms,
)
from storyline.store import Store, open_store

log = logging.getLogger(__name__)
# Stories written in one transaction (whole blocks).
WRITE_DOCS = 2_000
# Stored stories asked for per look-up, of which those of the block are kept.
OVERFETCH = 3


@dataclass(frozen=True, slots=True)
class RunCounts:
    """What every block weighs terms by: the run's postings and the counts stored before it."""

    run: Postings
    stored: dict[str, Counter[str]]
    stored_docs: int
    run_docs: int


@dataclass(frozen=True, slots=True)
class Block:
    """Documents clustered together, with the stored stories only they may join."""

    docs: list[tuple[int, str]]
    owned: frozenset[str]


@dataclass(frozen=True, slots=True)
class Touched:
    """A story a block's documents joined; with its centroid's term sums when
    it holds more terms than a stored story keeps (threading compares stories
    as the stories stage's clusterer holds them)."""

    id: str
    sums: dict[str, dict[str, float]] | None


def arrival(ids: Sequence[str], published: dict[str, str | None]) -> list[str]:
    """The order the stories stage takes documents in: dated ones by date, then the undated."""
    dated = sorted((d for d in ids if published.get(d)), key=lambda d: published[d] or "")
    return dated + [d for d in ids if not published.get(d)]


def _features_task(
    item: tuple[int, list[str]], *, settings: Settings, stored_docs: int
) -> tuple[int, Postings, list[tuple[int, str]]]:
    """Step 1 for consecutive documents: their postings, and the stored stories
    each might join (looked up by its terms weighed by the stored counts)."""
    first, ids = item
    with open_store(settings.db, settings, read_only=True) as store:
        found = {d.id: features(d) for d in store.iter_documents(ids)}
        placed = [(p, found[d]) for p, d in enumerate(ids, first) if d in found]
        part = postings(placed)
        reach: list[tuple[int, str]] = []
        if stored_docs:
            df = DocFrequencies(stored_docs, fetch=store.term_frequencies)
            df.need({s: part[s].keys() for s in SPACES})
            for position, f in placed:
                keys = list(query_terms(doc_vectors(f, df)))
                dated = f.day is not None
                reach += [(position, s) for s in store.find_stories(keys, dated, MAX_CANDIDATES)]
    return first, part, reach


class _Owned:
    """The store as a block's ``StoryStore``: only the stored stories the block
    owns (other blocks write theirs meanwhile)."""

    def __init__(self, store: Store, owned: frozenset[str]) -> None:
        self.store = store
        self.owned = owned

    def find(self, keys: Sequence[Key], active_only: bool, limit: int) -> list[str]:
        if not self.owned:
            return []
        found = self.store.find_stories(keys, active_only, limit * OVERFETCH)
        return [s for s in found if s in self.owned][:limit]

    def load(self, ids: Sequence[str]) -> list[tuple[Cluster, bool, list[Key]]]:
        return stories._load(self.store, [s for s in ids if s in self.owned])


@dataclass(slots=True)
class _Clustered:
    """What clustering blocks gave, to be written in one transaction."""

    records: list[tuple[Story, dict[str, Any], bool]]
    members: list[tuple[str, str]]
    delta: dict[str, Counter[str]]
    keys: dict[str, set[Key]]
    touched: list[Touched]


class _BlockClusterer(StreamClusterer):
    """The streaming clusterer of one block: its refinement, after the pass,
    weighs terms as the whole run's refinement does, with every document of
    the run counted."""

    df: ArrivalFrequencies

    def refine(
        self, docs: Mapping[str, Features], story_of: dict[str, str], fixed: Mapping[str, str]
    ) -> set[str]:
        self.df.at_end()
        return super().refine(docs, story_of, fixed)


def _cluster(
    store: Store,
    block: Block,
    counts: RunCounts,
    sources: dict[str, str],
    source_stories: dict[str, str],
    keep_retired: bool,
    out: _Clustered,
) -> None:
    """One block placed in stories by the stories stage's own ``place``."""
    df = ArrivalFrequencies(
        counts.stored_docs,
        fetch=store.term_frequencies if counts.stored_docs else None,
        run=counts.run,
        stored=counts.stored,
        stored_docs=counts.stored_docs,
        run_docs=counts.run_docs,
        positions=[p for p, _ in block.docs],
    )
    stored = _Owned(store, block.owned)
    clusterer = _BlockClusterer(StoryParams.load(), df, keep_retired=keep_retired, stored=stored)
    docs = list(store.iter_documents([d for _, d in block.docs]))
    story_of: dict[str, str] = {}
    touched, feats = stories.place(clusterer, docs, sources, story_of, source_stories.get)
    out.members += [(d, story_of[d]) for d in feats]
    for f in feats.values():
        for space in SPACES:
            out.delta[space].update(f.space(space).keys())
    out.records += stories._records(store, clusterer, touched.values())
    out.keys |= {sid: clusterer.keys_of.get(sid, set()) for sid in touched}
    out.touched += [
        Touched(c.id, c.sums if any(len(t) > CENTROID_TERMS for t in c.sums.values()) else None)
        for c in touched.values()
    ]


def _cluster_task(
    item: tuple[list[Block], dict[str, str], dict[str, str]],
    *,
    settings: Settings,
    counts: RunCounts,
    keep_retired: bool,
) -> tuple[int, list[Touched]]:
    """Step 3 for a partition of blocks: cluster each, write their stories a few
    blocks at a time; (documents placed, the stories they joined)."""
    group, sources, source_stories = item
    placed = 0
    touched: list[Touched] = []
    with open_store(settings.db, settings) as store:
        for part in _packed(group, WRITE_DOCS):
            out = _Clustered([], [], {s: Counter() for s in SPACES}, {}, [])
            for block in part:
                _cluster(store, block, counts, sources, source_stories, keep_retired, out)
            store.save_stories(out.records, out.members, out.delta, out.keys)
            placed += len(out.members)
            touched += out.touched
    return placed, touched


def _packed(blocked: list[Block], size: int) -> list[list[Block]]:
    """Consecutive whole blocks, about ``size`` documents in each list."""
    out: list[list[Block]] = [[]]
    filled = 0
    for block in blocked:
        if filled and filled + len(block.docs) > size:
            out.append([])
            filled = 0
        out[-1].append(block)
        filled += len(block.docs)
    return [group for group in out if group]


def window(params: StoryParams) -> float:
    """Days past which time alone keeps a document out of a story: the time
    damping then leaves less than the threshold of a perfect match."""
    return params.half_life * math.log2(1 / params.threshold)


def run(
    store: Store, ids: Sequence[str], settings: Settings, mapper: Mapper, partition_size: int
) -> int:
    """Cluster the documents not yet in a story, a block per task; thread the
    stories they joined (and any a cut-short run left unthreaded) into
    storylines. Returns new members."""
    params = StoryParams.load()
    assigned = store.stories_of(ids)
    new = [d for d in ids if d not in assigned]
    unthreaded = _unthreaded(store, sorted(set(assigned.values())))
    if not new:
        _thread(store, params, unthreaded, [])
        return 0
    published = {d: h.published for d, h in store.document_headers(ids=new).items()}
    order = arrival([d for d in new if d in published], published)
    position = {d: p for p, d in enumerate(order)}
    stored_docs = store.clustered_docs()
    chunks = [(first, order[first : first + partition_size])
              for first in range(0, len(order), partition_size)]  # fmt: skip
    parts = sorted(
        mapper(_features_task, chunks, settings=settings, stored_docs=stored_docs),
        key=lambda part: part[0],
    )
    run_postings = join(p for _, p, _ in parts)
    reach = [pair for _, _, found in parts for pair in found]
    sources: dict[str, str] = {}
    for chunk in batched(order, 500):
        sources.update((d.derived_doc, d.source_doc) for d in store.iter_derivations(chunk))
    source_stories = store.stories_of(sorted(set(sources.values())))
    pairs = [
        (position[d], position[s]) for d, s in sources.items() if d in position and s in position
    ]
    reach += [(position[d], source_stories[s]) for d, s in sources.items()
              if d in position and s in source_stories]  # fmt: skip
    days = np.array([day_number(published[d]) or math.nan for d in order], dtype=float)
    labels = blocks(run_postings, days, window(params), common_above(len(order)), pairs, reach)
    owned: dict[int, set[str]] = {}
    for doc, story in reach:
        owned.setdefault(int(labels[doc]), set()).add(story)
    members: dict[int, list[tuple[int, str]]] = {}
    for p, label in enumerate(labels.tolist()):
        members.setdefault(label, []).append((p, order[p]))
    blocked = [Block(members[b], frozenset(owned.get(b, ()))) for b in sorted(members)]
    log.debug(
        "stories: %d documents in %d blocks, the largest of %d",
        len(order),
        len(blocked),
        max(len(b.docs) for b in blocked),
    )
    stored_counts = (
        store.term_frequencies(vocabulary(run_postings))
        if stored_docs
        else {s: Counter[str]() for s in SPACES}
    )
    counts = RunCounts(run_postings, stored_counts, stored_docs, len(order))
    items = []
    for group in _packed(blocked, partition_size):
        mine = {d for block in group for _, d in block.docs}
        own_sources = {d: s for d, s in sources.items() if d in mine}
        items.append((group, own_sources, {s: source_stories[s] for s in own_sources.values()
                                           if s in source_stories}))  # fmt: skip
    keep_retired = bool(np.isnan(days).any())
    placed, touched = 0, []
    for done, found in mapper(
        _cluster_task, items, settings=settings, counts=counts, keep_retired=keep_retired
    ):
        placed += done
        touched += found
    _thread(store, params, unthreaded, touched)
    return placed


def _unthreaded(store: Store, stories_: Sequence[str]) -> list[str]:
    """Of these stories, those without a storyline (a run cut short before threading)."""
    lined = store.storylines_of(stories_)
    return [s for s in stories_ if s not in lined]


def _thread(
    store: Store, params: StoryParams, unthreaded: list[str], touched: list[Touched]
) -> None:
    """Storylines for the stories the blocks touched, as the blocks' clusterers
    ended with them, and those left unthreaded."""
    clusterer = StreamClusterer(
        params, DocFrequencies(store.clustered_docs(), fetch=store.term_frequencies)
    )
    ended = {t.id: t.sums for t in touched}
    found = []
    for cluster, _, keys in stories._load(store, sorted(ended.keys() | set(unthreaded))):
        cluster.sums = ended.get(cluster.id) or cluster.sums
        clusterer.active[cluster.id] = cluster
        clusterer.keys_of[cluster.id] = set(keys)
        found.append(cluster)
    if found:
        stories.thread(store, clusterer, found, params)
