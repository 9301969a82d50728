"""Sentence alignment between two documents: which sentences of one retell the other.

Sentences are compared by the content words they share (Dice coefficient
over stopword-free word stems), which survives the synonyms and reordering of
a paraphrase yet stays low between two independent reports of one event,
whose sentences share names but not the rest. Each sentence of one text is
matched to its most similar sentence of the other; the matches that keep both
texts in the same order (a longest increasing subsequence) are the
alignment. A rewrite keeps the facts and quotes of its source, in order.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from spacy.lang.en.stop_words import STOP_WORDS

# Two sentences sharing this share of content words (0-100) say the same thing.
ALIGNED = 40.0
# Word prefixes stand in for stems ("inspect", "inspecting", "inspection").
STEM = 5

_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class Pair:
    a: int
    b: int
    score: float


@dataclass(frozen=True, slots=True)
class Alignment:
    pairs: list[Pair]
    a_sentences: int
    b_sentences: int
    matched: int

    @property
    def b_coverage(self) -> float:
        """Share of b's sentences that retell a sentence of a, in order."""
        return len(self.pairs) / self.b_sentences if self.b_sentences else 0.0

    @property
    def a_coverage(self) -> float:
        return len(self.pairs) / self.a_sentences if self.a_sentences else 0.0

    @property
    def order(self) -> float:
        """Share of matched sentences that stay in order."""
        return len(self.pairs) / self.matched if self.matched else 0.0

    @property
    def mean_score(self) -> float:
        return sum(p.score for p in self.pairs) / len(self.pairs) if self.pairs else 0.0


def content_stems(sentence: str) -> frozenset[str]:
    return frozenset(
        w[:STEM] for w in _WORD.findall(sentence.casefold()) if len(w) > 2 and w not in STOP_WORDS
    )


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Dice coefficient, 0-100."""
    return 200 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def similarities(a: Sequence[frozenset[str]], b: Sequence[frozenset[str]]) -> sparse.csr_matrix:
    """``similarity`` of every set of ``a`` with every set of ``b``: the same values, at once.

    Sparse, pairs sharing no stem absent (0): hundreds of sentences against
    hundreds cost one sparse product instead of a Python loop.
    """
    vocabulary: dict[str, int] = {}
    columns = [[vocabulary.setdefault(w, len(vocabulary)) for w in s] for s in (*a, *b)]

    def incidence(rows: list[list[int]]) -> sparse.csr_matrix:
        indptr = np.cumsum([0, *(len(r) for r in rows)])
        indices = [c for r in rows for c in r]
        return sparse.csr_matrix(
            (np.ones(len(indices)), indices, indptr), shape=(len(rows), len(vocabulary))
        )

    left, right = incidence(columns[: len(a)]), incidence(columns[len(a) :])
    shared = (left @ right.T).tocoo()
    size_a, size_b = np.diff(left.indptr), np.diff(right.indptr)
    dice = 200 * shared.data / (size_a[shared.row] + size_b[shared.col])
    return sparse.csr_matrix((dice, (shared.row, shared.col)), shape=(len(a), len(b)))


def align(
    a: Sequence[frozenset[str]], b: Sequence[frozenset[str]], threshold: float = ALIGNED
) -> Alignment:
    """Align two texts given as the content stems of their sentences."""
    matches = []
    for j, stems in enumerate(b):
        score, i = max(((similarity(stems, other), i) for i, other in enumerate(a)), default=(0, 0))
        if score >= threshold:
            matches.append(Pair(i, j, score))
    return Alignment(_in_order(matches), len(a), len(b), len(matches))


def _in_order(matches: list[Pair]) -> list[Pair]:
    """The longest run of matches whose positions increase in both texts."""
    tails: list[int] = []
    tail_index: list[int] = []
    previous = [-1] * len(matches)
    for k, pair in enumerate(matches):
        pos = bisect_left(tails, pair.a)
        if pos == len(tails):
            tails.append(pair.a)
            tail_index.append(k)
        else:
            tails[pos] = pair.a
            tail_index[pos] = k
        previous[k] = tail_index[pos - 1] if pos else -1
    chain = []
    k = tail_index[-1] if tail_index else -1
    while k >= 0:
        chain.append(matches[k])
        k = previous[k]
    return chain[::-1]
