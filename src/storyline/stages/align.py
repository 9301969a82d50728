"""Sentence alignment between two documents: which sentences of one retell the other.

Sentences are compared by the content words they share (Dice coefficient
over stopword-free word stems), which survives the synonyms and reordering of
a paraphrase yet stays low between two independent reports of one event,
whose sentences share names but not the rest. Two sentences that both give
figures but no figure in common tell different facts, however alike their
words ("a budget of 32 million" and "a budget of 7 million"). Each sentence
of one text is matched to its most similar sentence of the other; the
matches that keep both texts in the same order (a longest increasing
subsequence) are the alignment. A rewrite keeps the facts and quotes of its
source, in order.
"""

from __future__ import annotations

import itertools
import re
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse
from spacy.lang.en.stop_words import STOP_WORDS

# Two sentences sharing this share of content words (0-100) say the same thing.
ALIGNED = 40.0
# Word prefixes stand in for stems ("inspect", "inspecting", "inspection").
STEM = 5

_WORD = re.compile(r"[^\W\d_]+")
# A number, its digit groups perhaps separated ("1,200" is 1200), perhaps
# with decimals.
_NUMBER = re.compile(r"\d{1,3}(?:[,.\u00a0\u202f'’]\d{3})+(?![\d,.]\d)|\d+(?:\.\d+)?")
_SEPARATOR = re.compile(r"[,.\u00a0\u202f'’](?=\d{3})")


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


@dataclass(frozen=True, slots=True)
class Sentences:
    """A text's sentences as the sorted codes of their content stems (see
    ``StemCodes``) and the figures each gives, as 64-bit masks (0: none)."""

    codes: list[str]
    numbers: np.ndarray


def _number_mask(text: str, start: int, end: int) -> int:
    """The figures of a sentence (``text[start:end]``: "1,200", "4.2") as bits
    of a 64-bit mask."""
    mask = 0
    for number in _NUMBER.findall(text, start, end):
        mask |= _figure_bit(number)
    return mask


@lru_cache(maxsize=1 << 14)
def _figure_bit(number: str) -> int:
    """A figure's bit: the same for "1,200" and "1200"."""
    return 1 << (zlib.crc32(_SEPARATOR.sub("", number).lstrip("0").encode()) & 63)


def content_stems(sentence: str) -> frozenset[str]:
    return frozenset(
        w[:STEM] for w in _WORD.findall(sentence.casefold()) if len(w) > 2 and w not in STOP_WORDS
    )


# Stem codes are characters from here on; below is the placeholder of a
# sentence without content words, which matches nothing.
_FIRST_CODE = 0x100
_SURROGATES = range(0xD800, 0xE000)
_AFTER = range(_SURROGATES.start, 0x110000 - len(_SURROGATES))
_CAPACITY = 0x110000 - _FIRST_CODE - len(_SURROGATES)
_EMPTY = "\x00"


class StemCodes:
    """Content stems as one character each, for one run over many documents.

    A sentence becomes the sorted string of its distinct stem codes: the
    Dice coefficient of two such strings is rapidfuzz's ``fuzz.ratio`` (the
    longest common subsequence of two sorted strings of distinct characters
    is their intersection), computed in C for whole similarity matrices.
    Each stem also has a stable 32-bit hash (CRC-32 of its UTF-8) for the
    MinHash index. Words are looked up once per run, so a document costs one
    dictionary lookup per word.
    """

    def __init__(self) -> None:
        self._words: dict[str, str] = {}
        self._stems: dict[str, str] = {}
        self._hashes = array("I")

    def _code(self, word: str) -> str:
        if len(word) <= 2 or word in STOP_WORDS:
            return ""
        stem = word[:STEM]
        code = self._stems.get(stem)
        if code is None:
            # Past the last code point (over a million stems in one run) codes
            # are shared, which can only make sentences look more alike.
            index = len(self._stems) % _CAPACITY
            point = _FIRST_CODE + index
            code = self._stems[stem] = chr(point + len(_SURROGATES) if point in _AFTER else point)
            if index == len(self._hashes):
                self._hashes.append(zlib.crc32(stem.encode()))
        return code

    def encode(self, text: str, spans: Sequence[tuple[int, int]]) -> tuple[Sentences, set[str]]:
        """The sentences (spans of ``text``) as stem codes (``content_stems`` as
        strings) and figures; and all the words of the text."""
        codes = self._words
        code_of = codes.__getitem__
        sentences, numbers, seen = [], [], set()
        folded = text.casefold()
        # Casefolding rarely changes lengths ("ß" -> "ss"); when it does not,
        # the sentences are read in place.
        same = len(folded) == len(text)
        for start, end in spans:
            numbers.append(_number_mask(text, start, end))
            if same:
                words = _WORD.findall(folded, start, end)
            else:
                words = _WORD.findall(text[start:end].casefold())
            seen.update(words)
            try:
                found = set(map(code_of, words))
            except KeyError:
                for word in words:
                    if word not in codes:
                        codes[word] = self._code(word)
                found = set(map(code_of, words))
            # Stopwords and short words have the empty code.
            found.discard("")
            sentences.append("".join(sorted(found)))
        return Sentences(sentences, np.array(numbers, dtype=np.uint64)), seen

    def hashes(self, codes: str) -> np.ndarray:
        """The stable 32-bit hashes of these stem codes."""
        points = np.frombuffer(codes.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        points -= _FIRST_CODE
        points[points >= _SURROGATES.start - _FIRST_CODE] -= len(_SURROGATES)
        table = np.frombuffer(self._hashes, dtype=np.uint32)
        return table[points]


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


def dice(a: str, b: str) -> float:
    """``similarity`` of two sentences given as stem codes (distinct characters)."""
    return 200 * len(set(a).intersection(b)) / (len(a) + len(b)) if a and b else 0.0


class Similarities:
    """Sentence similarities of one text (``b``, the rows) to several others
    (a block of columns each), all in one rapidfuzz matrix, and the alignments
    they make.

    An alignment matches each sentence of the derived text to its most
    similar sentence of the source (the last one of equal scores), if similar
    enough; the matches that keep both texts in order (a longest increasing
    subsequence) are the alignment.
    """

    def __init__(
        self, b: Sentences, others: Sequence[Sentences], threshold: float = ALIGNED
    ) -> None:
        sizes = [len(o.codes) for o in others]
        if not b.codes or not all(sizes):
            raise ValueError("sentence similarities need texts with sentences")
        self.b, self.others = b.codes, [o.codes for o in others]
        # A sentence without content words matches nothing: the empty string
        # against any other string scores 0, so only b's need a placeholder.
        queries = [s or _EMPTY for s in b.codes]
        choices = list(itertools.chain.from_iterable(self.others))
        # Dice values of sentences differ by far more than float32 rounding,
        # so a hair below the threshold is exactly the threshold.
        self._cut = threshold - 1e-3
        scores = process.cdist(queries, choices, scorer=fuzz.ratio, score_cutoff=self._cut)
        mine = b.numbers[:, None]
        theirs = np.concatenate([o.numbers for o in others])[None, :]
        scores[(mine != 0) & (theirs != 0) & ((mine & theirs) == 0)] = 0
        self._scores = scores
        self._starts = np.cumsum([0, *sizes]).tolist()
        # Per block and row of b, the best score; per column, the best score.
        self._row_best = np.maximum.reduceat(scores, self._starts[:-1], axis=1)
        self._column_best = scores.max(axis=0)
        self._best: dict[tuple[int, bool], list[int]] = {}
        # How many sentences of each text have a match in the other.
        matched_b = (self._row_best >= self._cut).sum(axis=0)
        matched_other = np.add.reduceat(self._column_best >= self._cut, self._starts[:-1])
        shares = np.maximum(matched_b / len(self.b), matched_other / np.array(sizes))
        self._shares: np.ndarray = shares
        self._matched = {True: matched_b.tolist(), False: matched_other.tolist()}

    def matched_shares(self) -> np.ndarray:
        """For each other text, the larger share of sentences, of ``b`` or of
        it, that match a sentence of the other: no alignment of the two can
        cover more of either text."""
        return self._shares

    def matched(self, k: int, b_derived: bool) -> int:
        """How many sentences of the derived text match one of the source (the
        first of ``in_order``'s figures, without the alignment)."""
        count: int = self._matched[b_derived][k]
        return count

    def _matches(self, k: int, b_derived: bool) -> list[int]:
        """For each sentence of the derived text, its most similar sentence of the
        source (the last one of equal scores) if close enough, else -1."""
        found = self._best.get((k, b_derived))
        if found is None:
            start, end = self._starts[k], self._starts[k + 1]
            block = self._scores[:, start:end]
            if b_derived:
                best = end - start - 1 - block[:, ::-1].argmax(axis=1)
                best[self._row_best[:, k] < self._cut] = -1
            else:
                best = len(self.b) - 1 - block[::-1].argmax(axis=0)
                best[self._column_best[start:end] < self._cut] = -1
            found = self._best[(k, b_derived)] = best.tolist()
        return found

    def in_order(self, k: int, b_derived: bool) -> tuple[int, int]:
        """How many sentences of the derived text match one of the source, and
        how many of those an alignment keeps in order (aligning ``b`` and
        ``others[k]``; the derived text is ``b`` when ``b_derived``)."""
        tails: list[int] = []
        matched = 0
        for i in self._matches(k, b_derived):
            if i >= 0:
                matched += 1
                pos = bisect_left(tails, i)
                if pos == len(tails):
                    tails.append(i)
                else:
                    tails[pos] = i
        return matched, len(tails)

    def align(self, k: int, b_derived: bool) -> Alignment:
        other = self.others[k]
        source, derived = (other, self.b) if b_derived else (self.b, other)
        best = self._matches(k, b_derived)
        pairs = [Pair(i, j, dice(source[i], derived[j])) for j, i in enumerate(best) if i >= 0]
        return Alignment(_in_order(pairs), len(source), len(derived), len(pairs))


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
