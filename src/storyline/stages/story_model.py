"""Online story clustering: the model, free of storage.

In the spirit of Miranda et al. (2018), "Multilingual clustering of streaming
news": each arriving document is compared with the centroids of the active
stories on several TF-IDF similarities (content words, named entities, title
words) whose weighted sum, damped by the time between the document and the
story, decides whether it joins the best story or starts a new one. Document
frequencies grow as documents arrive, so the IDF is always the stream's so
far. The weights and the threshold are data (``data/models/stories.json``),
tuned by ``bench/stories.py``.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from storyline.model import Document

SPACES = ("words", "entities", "title")
_WORD = re.compile(r"[^\W\d_][\w'-]*[^\W_]|[^\W\d_]")
# A centroid keeps its strongest terms only: memory per story stays bounded.
CENTROID_TERMS = 400
# Terms of a document used to look up candidate stories.
QUERY_TERMS = 20


@dataclass(frozen=True, slots=True)
class StoryParams:
    words: float
    entities: float
    title: float
    threshold: float
    # Days: the similarity halves when a document is this far outside the
    # story's date range.
    half_life: float
    # Days after its last document a story leaves the active set.
    active_days: float
    # Storylines: stories this similar (words and entities, no time) are linked.
    storyline_threshold: float

    @classmethod
    def load(cls) -> StoryParams:
        data = json.loads((files("storyline") / "data" / "models" / "stories.json").read_text())
        return cls(**{k: v for k, v in data.items() if not k.startswith("_")})


@dataclass(slots=True)
class Features:
    words: Counter[str]
    entities: Counter[str]
    title: Counter[str]
    day: float | None

    def space(self, name: str) -> Counter[str]:
        return {"words": self.words, "entities": self.entities, "title": self.title}[name]


def content_words(text: str) -> Counter[str]:
    return Counter(
        w for w in (m.casefold() for m in _WORD.findall(text)) if len(w) > 2 and w not in STOP_WORDS
    )


def features(doc: Document) -> Features:
    entities = Counter(" ".join(m.text.casefold().split()) for m in doc.mentions)
    return Features(
        words=content_words(doc.text),
        entities=entities,
        title=content_words(doc.title or ""),
        day=day_number(doc.published),
    )


def day_number(published: str | None) -> float | None:
    """Days since 1970 (fractional), from an ISO date or datetime."""
    if not published:
        return None
    from datetime import UTC, datetime

    try:
        when = datetime.fromisoformat(published)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp() / 86400


@dataclass(slots=True)
class DocFrequencies:
    docs: int = 0
    counts: dict[str, Counter[str]] = field(default_factory=lambda: {s: Counter() for s in SPACES})

    def add(self, f: Features) -> None:
        self.docs += 1
        for space in SPACES:
            self.counts[space].update(f.space(space).keys())

    def idf(self, space: str, term: str) -> float:
        return math.log((self.docs + 1) / (self.counts[space][term] + 1)) + 1.0


def top(weights: dict[str, float], n: int) -> dict[str, float]:
    """The n heaviest terms (ties by term, so the result is deterministic)."""
    return dict(sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:n])


@dataclass(slots=True)
class Cluster:
    """A story as the clusterer sees it: members, centroid term sums, date range (days)."""

    id: str
    docs: list[str] = field(default_factory=list)
    sums: dict[str, dict[str, float]] = field(default_factory=lambda: {s: {} for s in SPACES})
    first: float | None = None
    last: float | None = None

    def add(self, doc: str, f: Features) -> None:
        self.docs.append(doc)
        for space in SPACES:
            total = self.sums[space]
            for term, count in f.space(space).items():
                total[term] = total.get(term, 0.0) + 1 + math.log(count)
            if len(total) > CENTROID_TERMS * 2:
                self.sums[space] = top(total, CENTROID_TERMS)
        if f.day is not None:
            self.first = f.day if self.first is None else min(self.first, f.day)
            self.last = f.day if self.last is None else max(self.last, f.day)

    def to_json(self) -> dict[str, Any]:
        return {
            "docs": self.docs,
            "sums": {s: top(self.sums[s], CENTROID_TERMS) for s in SPACES},
            "first": self.first,
            "last": self.last,
        }

    @classmethod
    def from_json(cls, story_id: str, data: dict[str, Any]) -> Cluster:
        return cls(
            story_id,
            list(data["docs"]),
            {s: dict(data["sums"].get(s, {})) for s in SPACES},
            data["first"],
            data["last"],
        )


def _weights(
    counts: Counter[str] | dict[str, float], df: DocFrequencies, space: str, log: bool
) -> dict[str, float]:
    return {
        t: (1 + math.log(c) if log else c) * df.idf(space, t) for t, c in counts.items() if c > 0
    }


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    if not dot:
        return 0.0
    return dot / (
        math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    )


def time_factor(day: float | None, story: Cluster, half_life: float) -> float:
    if day is None or story.first is None or story.last is None:
        return 1.0
    gap = max(0.0, story.first - day, day - story.last)
    return float(0.5 ** (gap / half_life))


def similarity(f: Features, story: Cluster, df: DocFrequencies, p: StoryParams) -> float:
    """Weighted mean of the cosines over the spaces the document has terms in
    (an article without a title is not penalised), damped by time."""
    total = weights = 0.0
    for space, weight in (("words", p.words), ("entities", p.entities), ("title", p.title)):
        if weight and f.space(space):
            doc = _weights(f.space(space), df, space, log=True)
            total += weight * cosine(doc, _weights(story.sums[space], df, space, log=False))
            weights += weight
    return (total / weights if weights else 0.0) * time_factor(f.day, story, p.half_life)


def content_similarity(a: Cluster, b: Cluster, df: DocFrequencies) -> float:
    """How much two stories are about the same actors and things, time aside."""
    return 0.5 * sum(
        cosine(_weights(a.sums[s], df, s, log=False), _weights(b.sums[s], df, s, log=False))
        for s in ("words", "entities")
    )


def query_terms(f: Features, df: DocFrequencies) -> Iterable[tuple[str, str]]:
    """The document's most distinctive terms, to find candidate stories."""
    for space in ("words", "entities"):
        weights = _weights(f.space(space), df, space, log=True)
        for term in sorted(weights, key=weights.__getitem__, reverse=True)[:QUERY_TERMS]:
            yield space, term
