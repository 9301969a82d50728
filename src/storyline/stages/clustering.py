"""The streaming story clusterer: active stories, their index, one decision per document.

State is real here (document frequencies, active stories, an inverted index
from distinctive terms to stories), so this is a class. Stories of earlier
runs come from a ``StoryStore`` as documents need them: those sharing a
document's distinctive terms, looked up in the store's index, so a large
store is never loaded whole.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain, islice
from typing import Protocol

from storyline.ids import stable_id
from storyline.stages.story_model import (
    SPACES,
    Cluster,
    DocFrequencies,
    Features,
    StoryParams,
    Vectors,
    doc_vectors,
    query_terms,
    similarity,
)

# Stories compared with each document: those sharing most distinctive terms.
MAX_CANDIDATES = 10

Key = tuple[str, str]


class StoryStore(Protocol):
    """Stories of earlier runs, as the clusterer asks for them."""

    def find(self, keys: Sequence[Key], active_only: bool, limit: int) -> list[str]:
        """Ids of the stories sharing most of these index terms."""
        ...

    def load(self, ids: Sequence[str]) -> list[tuple[Cluster, bool, list[Key]]]:
        """These stories: state, whether active, index terms."""
        ...


class StreamClusterer:
    """``keep_retired``: stories that leave the active set stay candidates for
    undated documents (which may belong to any time); without it they are
    dropped, so memory is bounded by the active stories."""

    def __init__(
        self,
        params: StoryParams,
        df: DocFrequencies | None = None,
        keep_retired: bool = True,
        stored: StoryStore | None = None,
    ) -> None:
        self.params = params
        self.df = df or DocFrequencies()
        self.keep_retired = keep_retired
        self.stored = stored
        self.active: dict[str, Cluster] = {}
        self.retired: dict[str, Cluster] = {}
        # Stories dropped from memory in this run: never loaded again.
        self.gone: set[str] = set()
        self.index: dict[Key, set[str]] = {}
        self.keys_of: dict[str, set[Key]] = {}

    def _index(self, story: str, keys: Iterable[Key]) -> None:
        mine = self.keys_of.setdefault(story, set())
        for key in keys:
            self.index.setdefault(key, set()).add(story)
            mine.add(key)

    def _unindex(self, story: str) -> None:
        """Out of the index; its keys stay in ``keys_of`` when a store is behind
        the clusterer (they are saved with the story), else they go too."""
        keys = self.keys_of[story] if self.stored is not None else self.keys_of.pop(story, set())
        for key in keys:
            holders = self.index[key]
            holders.discard(story)
            if not holders:
                del self.index[key]

    def known(self, story: str) -> bool:
        return story in self.active or story in self.retired or story in self.gone

    def activate(self, story: Cluster, retired: bool, keys: Iterable[Key]) -> None:
        """Make a stored story a candidate again; a retired one only for undated documents."""
        self.df.need({s: story.sums[s].keys() for s in SPACES})
        (self.retired if retired else self.active)[story.id] = story
        self._index(story.id, keys)

    def load(self, ids: Sequence[str]) -> None:
        """Stored stories, into memory (those not already known)."""
        wanted = [s for s in ids if not self.known(s)]
        if wanted and self.stored is not None:
            for story, active, keys in self.stored.load(wanted):
                self.activate(story, not active, keys)

    def retire(self, today: float) -> list[Cluster]:
        """Stories whose last document is too old to take new dated ones leave the active set."""
        old = [
            s
            for s in self.active.values()
            if s.last is not None and today - s.last > self.params.active_days
        ]
        for story in old:
            del self.active[story.id]
            if self.keep_retired:
                self.retired[story.id] = story
            else:
                self._unindex(story.id)
                self.gone.add(story.id)
        return old

    def candidates(self, doc: Vectors, dated: bool) -> list[Cluster]:
        keys = list(query_terms(doc))
        if self.stored is not None:
            self.load(self.stored.find(keys, dated, MAX_CANDIDATES))
        pool = self.active if dated else self.active | self.retired
        shared = Counter(chain.from_iterable(self.index.get(key, ()) for key in keys))
        found = (pool.get(s) for s, _ in shared.most_common())
        return list(islice((story for story in found if story is not None), MAX_CANDIDATES))

    def best(self, doc: Vectors, f: Features) -> tuple[Cluster | None, float]:
        scored = [
            (similarity(doc, f.day, story, self.df, self.params, estimated=f.estimated), story)
            for story in self.candidates(doc, _firm(f))
        ]
        if not scored:
            return None, 0.0
        score, story = max(scored, key=lambda pair: (pair[0], pair[1].id))
        return story, score

    def story(self, story_id: str) -> Cluster | None:
        return self.active.get(story_id) or self.retired.get(story_id)

    def assign(self, doc: str, f: Features, story_id: str | None = None) -> Cluster:
        """Put a document in a story: ``story_id`` when given and still a
        candidate (a copy joins its source's story), else the best story above
        the threshold, else a new one."""
        self.df.add(f)
        if f.day is not None and not f.estimated:
            self.retire(f.day)
        vectors = doc_vectors(f, self.df)
        story = None
        if story_id:
            self.load([story_id])
            story = self.story(story_id)
        if story is None:
            best, score = self.best(vectors, f)
            story = best if best is not None and score >= self.params.threshold else None
        if story is None:
            story = Cluster("s" + stable_id(doc, size=6))
            self.active[story.id] = story
        story.add(doc, f, self.df)
        self._index(story.id, query_terms(vectors))
        return story

    def refine(
        self, docs: Mapping[str, Features], story_of: dict[str, str], fixed: Mapping[str, str]
    ) -> set[str]:
        """Move each of these documents, all placed already, to the story it now
        fits best: one pass judged each by the stories as they were when it
        arrived, and at the IDF of that moment.

        A document is compared with its own story without itself, and moves
        when another story scores higher; ``fixed`` copies (copy -> source)
        do not choose, they go where their source is. Only these documents
        move, so every stored story keeps its members and its id; a story
        that loses all its members was made by these documents and goes.
        ``story_of`` is updated; returns the stories that changed.
        """
        vectors = {d: doc_vectors(f, self.df) for d, f in docs.items()}
        days = {d: f.day for d, f in docs.items()}
        changed: set[str] = set()
        pending = sorted(set(docs) - fixed.keys())
        for _ in range(self.params.refine_rounds):
            moves = [
                (doc, to)
                for doc in pending
                if (to := self._better(vectors[doc], docs[doc], story_of[doc])) is not None
            ]
            if not moves:
                break
            moved: set[str] = set()
            for doc, to in moves:
                moved |= self._move(doc, docs[doc], to, days, story_of, vectors[doc])
            for copy, source in fixed.items():
                to = self.story(story_of[source]) if source in docs else None
                if to is not None and to.id != story_of[copy]:
                    moved |= self._move(copy, docs[copy], to, days, story_of, vectors[copy])
            changed |= moved
            pending = [d for d in pending if story_of[d] in moved]
        return changed

    def _move(
        self,
        doc: str,
        f: Features,
        to: Cluster,
        days: Mapping[str, float | None],
        story_of: dict[str, str],
        vectors: Vectors,
    ) -> set[str]:
        old = self.story(story_of[doc])
        if old is None or self.story(to.id) is not to:
            return set()
        old.remove(doc, f, days)
        to.add(doc, f, self.df)
        self._index(to.id, query_terms(vectors))
        story_of[doc] = to.id
        if not old.docs:
            self.active.pop(old.id, None)
            self.retired.pop(old.id, None)
            self._unindex(old.id)
            self.keys_of.pop(old.id, None)
        return {old.id, to.id}

    def _better(self, vectors: Vectors, f: Features, story: str) -> Cluster | None:
        """The story scoring higher for this document than its own, if any."""
        own = self.story(story)
        if own is None or len(own.docs) < 2:
            return None
        best = None
        score = similarity(vectors, f.day, own, self.df, self.params, True, f.estimated)
        for other in self.candidates(vectors, _firm(f)):
            if other is not own and (
                (s := similarity(vectors, f.day, other, self.df, self.params, False, f.estimated))
                > score
            ):
                best, score = other, s
        return best


def _firm(f: Features) -> bool:
    """Whether the document has a date it can be held to: then only active
    stories are its candidates."""
    return f.day is not None and not f.estimated
