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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from storyline.model import STATED_DATES, Document

SPACES = ("words", "entities", "title")
_WORD = re.compile(r"[^\W\d_][\w'-]*[^\W_]|[^\W\d_]")
# A centroid keeps its strongest terms only: memory per story stays bounded.
CENTROID_TERMS = 400
# Terms of a document used to look up candidate stories.
QUERY_TERMS = 20
# Terms a story stored without its index terms is found by.
STORED_INDEX_TERMS = 60
# IDF is taken as if this many documents without the term came first. In a
# large stream a term every document has then weighs nothing: with a floor
# under IDF (log + 1), the phrasing 20,000 synthetic articles share pulled
# each into one story as its centroid grew. In the few documents of a young
# stream the words they share still count.
IDF_PRIOR_DOCS = 10


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
    # The half-life for a document whose date is an estimate from its text.
    estimated_half_life: float
    # Passes over a run's documents, once all are placed, moving each to the
    # story it now fits best (0: none).
    refine_rounds: int
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
    # The day is the pipeline's estimate from the text (a lower bound), not a
    # date the input stated: it orders the stream and damps similarity
    # gently, but does not retire stories.
    estimated: bool = False

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
        estimated=not firmly_dated(doc) and doc.published is not None,
    )


def firmly_dated(doc: Document) -> bool:
    """Dated by its input (metadata, the page, the feed, the archive), not by an estimate."""
    return bool(doc.published) and doc.published_evidence in (None, *STATED_DATES)


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


# Stored document frequencies of the terms asked for, per space.
TermFetch = Callable[[dict[str, set[str]]], dict[str, Counter[str]]]


def idf(docs: int, count: int) -> float:
    """A term's IDF among ``docs`` documents, ``count`` of them carrying it: as if
    ``IDF_PRIOR_DOCS`` documents without it came first."""
    return math.log((docs + IDF_PRIOR_DOCS) / (count + 1))


@dataclass(slots=True)
class DocFrequencies:
    """Document frequencies: those of this run, plus the stored ones of the
    terms it meets, fetched once each (a large store is never read whole)."""

    docs: int = 0
    counts: dict[str, Counter[str]] = field(default_factory=lambda: {s: Counter() for s in SPACES})
    fetch: TermFetch | None = None
    known: dict[str, set[str]] = field(default_factory=lambda: {s: set() for s in SPACES})

    def need(self, terms: dict[str, Iterable[str]]) -> None:
        if self.fetch is None:
            return
        missing = {s: set(t) - self.known[s] for s, t in terms.items()}
        missing = {s: t for s, t in missing.items() if t}
        if not missing:
            return
        for space, counts in self.fetch(missing).items():
            self.counts[space].update(counts)
        for space, found in missing.items():
            self.known[space] |= found

    def add(self, f: Features) -> None:
        self.need({s: f.space(s).keys() for s in SPACES})
        self.docs += 1
        for space in SPACES:
            self.counts[space].update(f.space(space).keys())

    def idf(self, space: str, term: str) -> float:
        return idf(self.docs, self.counts[space][term])


def top(weights: dict[str, float], n: int) -> dict[str, float]:
    """The n heaviest terms (ties by term, so the result is deterministic)."""
    return dict(sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:n])


@dataclass(frozen=True, slots=True)
class Vector:
    """A document's TF-IDF weights in one space, their norm, and the weights
    times IDF again (what a centroid's term sums are multiplied by)."""

    weights: dict[str, float]
    norm: float
    scaled: dict[str, float]


Vectors = dict[str, Vector]


def doc_vectors(f: Features, df: DocFrequencies) -> Vectors:
    vectors = {}
    for space in SPACES:
        idfs = {t: df.idf(space, t) for t in f.space(space)}
        weights = {t: (1 + math.log(c)) * idfs[t] for t, c in f.space(space).items()}
        vectors[space] = Vector(
            weights,
            math.sqrt(sum(w * w for w in weights.values())),
            {t: w * idfs[t] for t, w in weights.items()},
        )
    return vectors


def _stale(computed_at: int, docs: int) -> bool:
    """Whether a story's centroid norms should be computed again: only the norms
    wait for that (dot products are always taken at the current IDF), and a
    quarter more documents adds log 1.25 to every term's IDF alike, which
    barely moves a norm."""
    return docs > computed_at * 1.25 + 8


@dataclass(slots=True)
class Cluster:
    """A story as the clusterer sees it: members, centroid term sums, date range (days)."""

    id: str
    docs: list[str] = field(default_factory=list)
    sums: dict[str, dict[str, float]] = field(default_factory=lambda: {s: {} for s in SPACES})
    first: float | None = None
    last: float | None = None
    # Norms of the centroid weighted by the IDF of ``weighted_at`` documents.
    norms: dict[str, float] = field(default_factory=dict, repr=False, compare=False)
    weighted_at: int = field(default=-1, repr=False, compare=False)

    def add(self, doc: str, f: Features, df: DocFrequencies | None = None) -> None:
        """A member; with ``df``, the centroid norms are brought up to date for
        the member's terms instead of being computed again."""
        self.docs.append(doc)
        for space in SPACES:
            total = self.sums[space]
            norm = self.norms.get(space) if df is not None else None
            sq = norm * norm if norm is not None else 0.0
            for term, count in f.space(space).items():
                old = total.get(term, 0.0)
                total[term] = value = old + 1 + math.log(count)
                if norm is not None and df is not None:
                    sq += (value * value - old * old) * df.idf(space, term) ** 2
            if len(total) > CENTROID_TERMS * 2:
                self.sums[space] = top(total, CENTROID_TERMS)
                norm = None
            if norm is None:
                self.norms.pop(space, None)
            else:
                self.norms[space] = math.sqrt(max(sq, 0.0))
        if f.day is not None:
            self.first = f.day if self.first is None else min(self.first, f.day)
            self.last = f.day if self.last is None else max(self.last, f.day)

    def remove(self, doc: str, f: Features, days: Mapping[str, float | None]) -> None:
        """A member leaves; when it was at an end of the date range, the range
        is taken again from the members' days if ``days`` knows them all (else
        it stays as it was: wider, never wrong about a member)."""
        self.docs.remove(doc)
        for space in SPACES:
            total = self.sums[space]
            for term, count in f.space(space).items():
                if term in total:
                    left = total[term] - 1 - math.log(count)
                    if left > 1e-9:
                        total[term] = left
                    else:
                        del total[term]
        self.norms = {}
        if f.day is not None and f.day in (self.first, self.last) and days.keys() >= set(self.docs):
            dated = [day for d in self.docs if (day := days[d]) is not None]
            self.first, self.last = (min(dated), max(dated)) if dated else (None, None)

    def norm(self, space: str, df: DocFrequencies) -> float:
        if len(self.norms) < len(SPACES) or _stale(self.weighted_at, df.docs):
            idf = df.idf
            self.norms = {
                s: math.sqrt(sum((c * idf(s, t)) ** 2 for t, c in self.sums[s].items()))
                for s in SPACES
            }
            self.weighted_at = df.docs
        return self.norms[space]

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


def cosine(
    doc: Vector, story: Cluster, space: str, df: DocFrequencies, member: bool = False
) -> float:
    """Cosine of a document and a story centroid, at the current IDF; for a
    ``member`` of the story, with the centroid of the other members."""
    sums, scaled = story.sums[space], doc.scaled
    # The shared terms are found in C; most candidate stories share few.
    shared = scaled.keys() & sums.keys()
    if not shared or not doc.norm:
        return 0.0
    dot = sum([scaled[t] * sums[t] for t in shared])
    norm = story.norm(space, df)
    if member:
        # Taking the document out: |c - d|^2 = |c|^2 - 2 c.d + |d|^2.
        norm = math.sqrt(max(norm * norm - 2 * dot + doc.norm * doc.norm, 0.0))
        dot -= doc.norm * doc.norm
    return dot / (doc.norm * norm) if norm > 1e-9 else 0.0


def centroid_cosine(a: Cluster, b: Cluster, space: str, df: DocFrequencies) -> float:
    x, y = a.sums[space], b.sums[space]
    shared = x.keys() & y.keys()
    if not shared:
        return 0.0
    norms = a.norm(space, df) * b.norm(space, df)
    idf = df.idf
    return sum([x[t] * y[t] * idf(space, t) ** 2 for t in shared]) / norms if norms else 0.0


def time_factor(day: float | None, story: Cluster, half_life: float) -> float:
    if day is None or story.first is None or story.last is None:
        return 1.0
    gap = max(0.0, story.first - day, day - story.last)
    return float(0.5 ** (gap / half_life))


def similarity(
    doc: Vectors,
    day: float | None,
    story: Cluster,
    df: DocFrequencies,
    p: StoryParams,
    member: bool = False,
    estimated: bool = False,
) -> float:
    """Weighted mean of the cosines over the spaces the document has terms in
    (an article without a title is not penalised), damped by time (gently for
    an ``estimated`` day)."""
    total = weights = 0.0
    for space, weight in (("words", p.words), ("entities", p.entities), ("title", p.title)):
        if weight and doc[space].norm:
            total += weight * cosine(doc[space], story, space, df, member)
            weights += weight
    half_life = p.estimated_half_life if estimated else p.half_life
    return (total / weights if weights else 0.0) * time_factor(day, story, half_life)


def content_similarity(a: Cluster, b: Cluster, df: DocFrequencies) -> float:
    """How much two stories are about the same actors and things, time aside."""
    return 0.5 * sum(centroid_cosine(a, b, s, df) for s in ("words", "entities"))


def index_terms(sums: dict[str, dict[str, float]]) -> list[tuple[str, str]]:
    """What a story saved before its index terms were kept is found by: its
    heaviest words and entities."""
    return [(s, t) for s in ("words", "entities") for t in top(sums.get(s, {}), STORED_INDEX_TERMS)]


def query_terms(doc: Vectors) -> Iterable[tuple[str, str]]:
    """The document's most distinctive terms, to find candidate stories."""
    for space in ("words", "entities"):
        weights = doc[space].weights
        for term in sorted(weights, key=weights.__getitem__, reverse=True)[:QUERY_TERMS]:
            yield space, term
