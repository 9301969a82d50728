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
_SEPARATORS = ",.\u00a0\u202f'’"


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


def _number_masks(text: str, spans: Sequence[tuple[int, int]]) -> list[int]:
    """``_number_mask`` of each span of ``text``, from one scan of the whole text.

    A span gets the figures found inside it, unless a figure could run
    across one of its edges, or the scan look past its end, where a scan of
    the span alone would stop: then it is scanned alone.
    """
    found = [(m.start(), _figure_bit(m.group())) for m in _NUMBER.finditer(text)]
    starts = [start for start, _ in found]
    masks = []
    for start, end in spans:
        if _alone(text, start, end):
            masks.append(_number_mask(text, start, end))
            continue
        mask = 0
        for i in range(bisect_left(starts, start), bisect_left(starts, end)):
            mask |= found[i][1]
        masks.append(mask)
    return masks


def _alone(text: str, start: int, end: int) -> bool:
    """Whether the figures of ``text[start:end]`` must be found in it alone: a
    figure (digits and separators) may run across its start, or its last
    run of digits and separators holds a digit (the scan of the whole text
    reads on past the end)."""
    if 0 < start < len(text) and _in_figure(text[start - 1]) and _in_figure(text[start]):
        return True
    last = end
    while last > start and text[last - 1] in _SEPARATORS:
        last -= 1
    return last > start and text[last - 1].isdecimal()


def _in_figure(char: str) -> bool:
    return char.isdecimal() or char in _SEPARATORS


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
        sentences, seen = [], set()
        folded = text.casefold()
        # Casefolding rarely changes lengths ("ß" -> "ss"); when it does not,
        # the sentences are read in place.
        same = len(folded) == len(text)
        for start, end in spans:
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
        numbers = np.array(_number_masks(text, spans), dtype=np.uint64)
        return Sentences(sentences, numbers), seen

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
    """Sentence similarities of texts to their candidates, and the alignments
    they make: one rapidfuzz matrix per text (its sentences against all its
    candidates' sentences), the rest for all the texts at once.

    ``texts`` are (``b``, its candidates) pairs; each text with each of its
    candidates is a pair of texts, numbered in that order. An alignment
    matches each sentence of the derived text to its most similar sentence
    of the source (the last one of equal scores), if similar enough; the
    matches that keep both texts in order (a longest increasing subsequence)
    are the alignment.
    """

    def __init__(
        self,
        texts: Sequence[tuple[Sentences, Sequence[Sentences]]],
        threshold: float = ALIGNED,
    ) -> None:
        # Dice values of sentences differ by far more than float32 rounding,
        # so a hair below the threshold is exactly the threshold.
        cut = threshold - 1e-3
        self._b: list[list[str]] = []
        self._others: list[list[str]] = []
        none = np.zeros(0, np.int64)
        found: list[tuple[np.ndarray, ...]] = [(none, none, np.zeros(0, np.float32))]
        rows = columns = 0
        for b, others in texts:
            if not b.codes or not all(o.codes for o in others):
                raise ValueError("sentence similarities need texts with sentences")
            self._b += [b.codes] * len(others)
            self._others += [o.codes for o in others]
            # A sentence without content words matches nothing: the empty
            # string against any other string scores 0, so only b's need a
            # placeholder.
            queries = [s or _EMPTY for s in b.codes]
            choices = list(itertools.chain.from_iterable(o.codes for o in others))
            scores = process.cdist(queries, choices, scorer=fuzz.ratio, score_cutoff=cut)
            row, column = np.nonzero(scores)
            found.append((row + rows, column + columns, scores[row, column]))
            rows, columns = rows + len(queries), columns + len(choices)
        b_sizes = np.array([len(b) for b in self._b], dtype=np.int64)
        sizes = np.array([len(o) for o in self._others], dtype=np.int64)
        starts = np.cumsum(sizes) - sizes
        # The first row (of all texts' sentences) of each pair's text b.
        first_rows = np.repeat(
            np.cumsum([len(b.codes) for b, _ in texts]), [len(o) for _, o in texts]
        )
        first_rows -= b_sizes
        row, column, score = (np.concatenate([f[i] for f in found]) for i in range(3))
        # Sentences that both give figures, none in common, tell different facts.
        mine = np.concatenate([np.zeros(0, np.uint64), *(b.numbers for b, _ in texts)])[row]
        theirs = np.concatenate(
            [np.zeros(0, np.uint64), *(o.numbers for _, others in texts for o in others)]
        )[column]
        same = (mine == 0) | (theirs == 0) | ((mine & theirs) != 0)
        row, column, score = row[same], column[same], score[same]
        pair = np.repeat(np.arange(len(sizes)), sizes)[column]
        row -= first_rows[pair]
        column -= starts[pair]
        # Per pair and sentence of b: its best match (the last of equal scores).
        order = np.lexsort((column, score, row, pair))
        last = _last_of_runs(pair[order] * (int(b_sizes.max(initial=0)) + 1) + row[order])
        by_row = order[last]
        # Per pair and sentence of the other text: its best match in b.
        order = np.lexsort((row, score, column, pair))
        last = _last_of_runs(pair[order] * (int(sizes.max(initial=0)) + 1) + column[order])
        by_column = order[last]
        matched_b = np.bincount(pair[by_row], minlength=len(sizes))
        matched_other = np.bincount(pair[by_column], minlength=len(sizes))
        self._shares: np.ndarray = np.maximum(
            matched_b / np.maximum(b_sizes, 1), matched_other / np.maximum(sizes, 1)
        )
        self._matched = {True: matched_b.tolist(), False: matched_other.tolist()}
        self._best = {
            True: _runs(pair[by_row], row[by_row], column[by_row], len(sizes)),
            False: _runs(pair[by_column], column[by_column], row[by_column], len(sizes)),
        }

    def matched_shares(self) -> np.ndarray:
        """For each pair, the larger share of sentences, of ``b`` or of the
        other text, that match a sentence of the other: no alignment of the
        two can cover more of either text."""
        return self._shares

    def matched(self, k: int, b_derived: bool) -> int:
        """How many sentences of the derived text match one of the source (the
        first of ``in_order``'s figures, without the alignment)."""
        count: int = self._matched[b_derived][k]
        return count

    def _matches(self, k: int, b_derived: bool) -> list[int]:
        """For each sentence of the derived text of pair ``k``, its most similar
        sentence of the source (the last one of equal scores) if close enough,
        else -1."""
        bounds, derived, source = self._best[b_derived]
        best = [-1] * len(self._b[k] if b_derived else self._others[k])
        for i in range(bounds[k], bounds[k + 1]):
            best[derived[i]] = source[i]
        return best

    def in_order(self, k: int, b_derived: bool) -> tuple[int, int]:
        """How many sentences of the derived text match one of the source, and
        how many of those an alignment keeps in order (aligning the texts of
        pair ``k``; the derived text is ``b`` when ``b_derived``)."""
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
        b, other = self._b[k], self._others[k]
        source, derived = (other, b) if b_derived else (b, other)
        best = self._matches(k, b_derived)
        pairs = [Pair(i, j, dice(source[i], derived[j])) for j, i in enumerate(best) if i >= 0]
        return Alignment(_in_order(pairs), len(source), len(derived), len(pairs))


def _last_of_runs(values: np.ndarray) -> np.ndarray:
    """Where each run of equal values ends."""
    return np.flatnonzero(np.r_[values[1:] != values[:-1], True]) if len(values) else values


def _runs(
    group: np.ndarray, first: np.ndarray, second: np.ndarray, groups: int
) -> tuple[list[int], list[int], list[int]]:
    """Rows sorted by ``group`` as lists, with where each group's rows start."""
    bounds = np.searchsorted(group, np.arange(groups + 1))
    return bounds.tolist(), first.tolist(), second.tolist()


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
