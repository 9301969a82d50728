"""Briefs: a few sentences per story, taken from its sources, each cited.

A corpus stage. Extractive only: every sentence of a brief is a sentence of
a source document, never generated. Candidates are scored by corroboration
(independent sources of the claim the sentence belongs to), centrality
(LexRank: PageRank over the sentences' TF-IDF similarity graph) and position
(news puts its facts first); Maximal Marginal Relevance then picks them while
keeping out repetition. A chosen sentence is quoted from the original source
of its claim and cited to every document that reports it. For a follow-up
story, "new since" lists the best sentences that no document of the previous
story in its storyline says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from storyline.model import Brief, BriefSentence, Citation, Claim, Document, Event, Story
from storyline.settings import Settings
from storyline.stages.align import similarities
from storyline.stages.corroborate import Unit, similar, units
from storyline.stages.derivation import independent_sources
from storyline.store import Store

BRIEF_SENTENCES = 6
NEW_SENTENCES = 4
MIN_WORDS = 8
# Weights of corroboration, centrality, position and events in a sentence's score.
Weights = tuple[float, float, float, float]
WEIGHTS: Weights = (0.35, 0.25, 0.15, 0.25)
MMR_LAMBDA = 0.6
# Sentences closer than this in content words say the same thing twice.
REDUNDANT = 35.0
# A sentence this close to one of the previous story is not new.
KNOWN = 50.0
# Headlines and captions do not end like sentences; a brief is made of sentences.
_SENTENCE_END = re.compile(r"[.!?][\"”’)]?$")


def lexrank(vectors: sparse.csr_matrix, damping: float = 0.85) -> np.ndarray:
    """Each sentence's centrality, as a share of the highest: continuous LexRank
    (Erkan and Radev 2004), PageRank over the sentences linked by the cosine
    similarity of their (unit length) TF-IDF vectors.

    The similarity matrix is never built: multiplying by it goes through the
    vectors, so a story of thousands of sentences costs milliseconds, not the
    seconds and hundreds of megabytes of a dense matrix.
    """
    n = vectors.shape[0]
    itself: np.ndarray = np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel()

    def linked(x: np.ndarray) -> np.ndarray:
        through: np.ndarray = np.asarray(vectors @ (vectors.T @ x)).ravel()
        return np.asarray(through - itself * x)

    degree = linked(np.ones(n))
    degree[degree < 1e-9] = 1.0
    rank = np.full(n, 1.0 / n)
    for _ in range(50):
        rank = (1 - damping) / n + damping * linked(rank / degree)
    return np.asarray(rank / rank.max() if rank.max() > 0 else rank)


def _scores(
    candidates: list[Unit],
    claim_of: dict[tuple[str, int], Claim],
    happenings: dict[tuple[str, int], float],
    weights: Weights,
) -> tuple[np.ndarray, sparse.csr_matrix]:
    """Each candidate's score, and the candidates' TF-IDF vectors (unit length)."""
    texts = [u.text for u in candidates]
    vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    centrality = lexrank(vectors)
    support = np.array(
        [
            claim_of[(u.doc, u.index)].independent_sources if (u.doc, u.index) in claim_of else 1
            for u in candidates
        ],
        dtype=float,
    )
    position = np.array([1.0 / (1 + u.index) for u in candidates])
    events = np.array([happenings.get((u.doc, u.index), 0.0) for u in candidates])
    w_support, w_central, w_position, w_events = weights
    score = (
        w_support * support / support.max()
        + w_central * centrality
        + w_position * position
        + w_events * events
    )
    return score, vectors


def mmr(
    score: np.ndarray,
    vectors: sparse.csr_matrix,
    k: int,
    candidates: list[Unit],
    claims: list[str | None],
) -> list[int]:
    """Maximal Marginal Relevance over cosine similarity of the sentences' vectors;
    a sentence repeating a chosen one, or telling the claim of a chosen one (its
    id in ``claims``), is never chosen."""
    chosen: list[int] = []
    left = set(range(len(score)))
    # Each sentence's highest similarity to a chosen one (similarities are never negative).
    closest = np.zeros(len(score))
    while left and len(chosen) < k:
        best = max(left, key=lambda i: MMR_LAMBDA * score[i] - (1 - MMR_LAMBDA) * closest[i])
        chosen.append(best)
        left.discard(best)
        closest = np.maximum(closest, (vectors @ vectors[best].T).toarray().ravel())
        told = claims[best]
        left -= {
            j
            for j in left
            if (told is not None and claims[j] == told)
            or similar(candidates[best], candidates[j]) >= REDUNDANT
        }
    return chosen


def _sentence(
    unit: Unit,
    claim: Claim | None,
    units_by_ref: dict[tuple[str, int], Unit],
    roots: dict[str, str],
) -> BriefSentence:
    refs = [(s.doc, s.sentence) for s in claim.sources] if claim else [(unit.doc, unit.index)]
    cited = [units_by_ref[r] for r in refs if r in units_by_ref]
    originals = [u for u in cited if roots.get(u.doc, u.doc) == u.doc] or cited
    shown = unit if unit in originals else originals[0]
    return BriefSentence(shown.text, [Citation(u.doc, u.start, u.end) for u in cited])


def story_brief(
    story: str,
    docs: dict[str, Document],
    roots: dict[str, str],
    claims: list[Claim],
    events: list[Event] | None = None,
    previous: dict[str, Document] | None = None,
    previous_id: str | None = None,
    weights: Weights = WEIGHTS,
) -> Brief:
    claim_of = {(s.doc, s.sentence): c for c in claims for s in c.sources}
    all_units = [u for doc in docs.values() for u in units(doc)]
    units_by_ref = {(u.doc, u.index): u for u in all_units}
    candidates = quotable(all_units)
    if not candidates:
        return Brief(story, [], previous_id)
    score, vectors = _scores(candidates, claim_of, _happenings(events or []), weights)
    told = [c.id if (c := claim_of.get((u.doc, u.index))) else None for u in candidates]
    chosen = mmr(score, vectors, BRIEF_SENTENCES, candidates, told)

    def _cite(unit: Unit) -> BriefSentence:
        return _sentence(unit, claim_of.get((unit.doc, unit.index)), units_by_ref, roots)

    brief = Brief(story, _unique([_cite(candidates[i]) for i in chosen]), previous_id)
    if previous:
        # Whole sentences compared: a new development may reuse a phrase of
        # the old one ("the mutual defence pact") and still be news.
        new = _not_in(candidates, [u.stems for doc in previous.values() for u in units(doc)])
        if new:
            fresh = [candidates[i] for i in new]
            picked = [
                new[i]
                for i in mmr(score[new], vectors[new], NEW_SENTENCES, fresh, [told[i] for i in new])
            ]
            brief.new = _unique([_cite(candidates[i]) for i in picked])
    return brief


def quotable(sentences: Iterable[Unit]) -> list[Unit]:
    """The sentences a brief may quote: whole sentences, not headlines, captions or scraps."""
    return [
        u for u in sentences if len(u.text.split()) >= MIN_WORDS and _SENTENCE_END.search(u.text)
    ]


def _not_in(candidates: list[Unit], before: list[frozenset[str]], chunk: int = 1024) -> list[int]:
    """The candidates no sentence of ``before`` says already (a chunk at a time: the
    similarities of two big stories would not fit in memory at once)."""
    if not before:
        return list(range(len(candidates)))
    new: list[int] = []
    for first in range(0, len(candidates), chunk):
        part = [u.stems for u in candidates[first : first + chunk]]
        closest = similarities(part, before).max(axis=1).toarray().ravel()
        new.extend(first + int(i) for i in np.flatnonzero(closest < KNOWN))
    return new


def _happenings(events: list[Event]) -> dict[tuple[str, int], float]:
    """Sentences that tell an event: 1 when it is dated to the day, else 0.5."""
    found: dict[tuple[str, int], float] = {}
    for event in events:
        weight = 1.0 if event.date_granularity == "day" else 0.5
        for s in event.sources:
            found[(s.doc, s.sentence)] = max(found.get((s.doc, s.sentence), 0.0), weight)
    return found


def _unique(sentences: list[BriefSentence]) -> list[BriefSentence]:
    seen, kept = set(), []
    for s in sentences:
        if s.text not in seen:
            seen.add(s.text)
            kept.append(s)
    return kept


def brief_of(
    store: Store,
    story: Story,
    stories: Sequence[Story],
    lines: dict[str, list[str]],
    weights: Weights = WEIGHTS,
) -> Brief:
    """A stored story's brief, with what is new since the story before it in its
    storyline (``lines``: each storyline's stories in order)."""
    docs = {d.id: d for d in store.iter_documents(story.docs)}
    roots = independent_sources(list(docs), store.iter_derivations(docs))
    order = lines.get(story.storyline or "", [])
    before = (
        order[order.index(story.id) - 1] if story.id in order and order.index(story.id) else None
    )
    previous = None
    if before is not None:
        prior = next(s for s in stories if s.id == before)
        previous = {d.id: d for d in store.iter_documents(prior.docs, mentions=False)}
    claims = store.claims_of(story.id)
    events = [e for _, e in store.iter_events(story.id)]
    return story_brief(story.id, docs, roots, claims, events, previous, before, weights)


def run(store: Store, ids: Sequence[str], settings: Settings) -> int:
    """Rewrite the briefs of the stories these documents belong to."""
    touched = set(store.stories_of(ids).values())
    stories = list(store.iter_stories())
    lines = {line.id: line.stories for line, _ in store.iter_storylines()}
    briefs = [brief_of(store, story, stories, lines) for story in stories if story.id in touched]
    store.replace_briefs(briefs)
    return len(briefs)
