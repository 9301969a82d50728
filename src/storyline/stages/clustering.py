"""The streaming story clusterer: active stories, their index, one decision per document.

State is real here (document frequencies, active stories, an inverted index
from distinctive terms to stories), so this is a class; it can be saved and
restored (``to_json``/``from_json`` of each story) for incremental runs.
"""

from __future__ import annotations

from collections import Counter

from storyline.ids import stable_id
from storyline.stages.story_model import (
    Cluster,
    DocFrequencies,
    Features,
    StoryParams,
    query_terms,
    similarity,
    top,
)

# Stories compared with each document: those sharing most distinctive terms.
MAX_CANDIDATES = 50


class StreamClusterer:
    def __init__(self, params: StoryParams, df: DocFrequencies | None = None) -> None:
        self.params = params
        self.df = df or DocFrequencies()
        self.active: dict[str, Cluster] = {}
        self.retired: dict[str, Cluster] = {}
        self.index: dict[tuple[str, str], set[str]] = {}

    def activate(self, story: Cluster, retired: bool = False) -> None:
        """Make a stored story a candidate again (after a restart); a retired
        one only for undated documents."""
        (self.retired if retired else self.active)[story.id] = story
        for space in ("words", "entities"):
            for term in top(story.sums[space], 60):
                self.index.setdefault((space, term), set()).add(story.id)

    def retire(self, today: float) -> list[Cluster]:
        """Stories whose last document is too old to take new dated ones leave the active set.

        They stay in ``retired`` for undated documents of the same run, which
        may belong to any time.
        """
        old = [
            s
            for s in self.active.values()
            if s.last is not None and today - s.last > self.params.active_days
        ]
        for story in old:
            del self.active[story.id]
            self.retired[story.id] = story
        return old

    def candidates(self, f: Features) -> list[Cluster]:
        pool = self.active if f.day is not None else self.active | self.retired
        shared: Counter[str] = Counter()
        for key in query_terms(f, self.df):
            shared.update(s for s in self.index.get(key, ()) if s in pool)
        return [pool[s] for s, _ in shared.most_common(MAX_CANDIDATES)]

    def best(self, f: Features) -> tuple[Cluster | None, float]:
        scored = [
            (similarity(f, story, self.df, self.params), story) for story in self.candidates(f)
        ]
        if not scored:
            return None, 0.0
        score, story = max(scored, key=lambda pair: (pair[0], pair[1].id))
        return story, score

    def assign(self, doc: str, f: Features, story_id: str | None = None) -> Cluster:
        """Put a document in a story: ``story_id`` when given (a copy joins its
        source's story), else the best active story above the threshold, else
        a new one."""
        self.df.add(f)
        if f.day is not None:
            self.retire(f.day)
        story = (self.active.get(story_id) or self.retired.get(story_id)) if story_id else None
        if story is None and story_id is None:
            best, score = self.best(f)
            story = best if best is not None and score >= self.params.threshold else None
        if story is None:
            story = Cluster(story_id or "s" + stable_id(doc, size=6))
            self.active[story.id] = story
        story.add(doc, f)
        for key in query_terms(f, self.df):
            self.index.setdefault(key, set()).add(story.id)
        return story
