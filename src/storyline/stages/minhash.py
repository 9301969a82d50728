"""MinHash signatures and LSH keys over content stems: the lineage index.

Three kinds of keys go into the store, so that adding one document looks up
its keys instead of rebuilding an LSH structure for the corpus:

- document bands (long bands: only near-identical texts share one) find
  copies, also when their sentences were split differently;
- sentence bands (short bands over one sentence's stems) find rewrites,
  whose sentences keep most content words of their source while the wording
  around them changes;
- quote keys find articles that reuse the same long direct quote.

The permutations are datasketch's ``affine32`` MinHash scheme; the
signatures of a group of documents and of all their sentences are computed
in a few numpy operations (the values ``datasketch.MinHash.update_batch``
gives, without one MinHash object per document or sentence). Keys are
64-bit integers whose two low bits say their kind.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import numpy as np
from datasketch import MinHash

from storyline.ids import stable_id

NUM_PERM = 128
DOC_BANDS, DOC_ROWS = 4, 8
SENTENCE_BANDS, SENTENCE_ROWS = 4, 3
# A text with fewer distinct content stems than this (a headline, a caption)
# would match anything that shares a few words: it gets no signature and no keys.
MIN_STEMS = 8
# Sentences shorter than this ("He said so.") are evidence of nothing.
MIN_SENTENCE_STEMS = 3
# The kinds of keys (their two low bits).
BAND, SENTENCE, QUOTE = 0, 1, 2
KIND_BITS = 3

_SCHEME = "affine32"
_A, _B = MinHash(num_perm=NUM_PERM, scheme=_SCHEME, hashfunc=int).permutations
# Powers of an odd 64-bit constant: a band's rows (and its number) become one
# polynomial hash.
_POWERS = np.cumprod(np.full(max(DOC_ROWS, SENTENCE_ROWS) + 1, 0x9E3779B97F4A7C15, np.uint64))


def minhash_scheme() -> str:
    """The datasketch scheme and sizes; stored signatures and keys are only
    comparable when this is the same."""
    return (
        f"{_SCHEME}-{NUM_PERM}-doc{DOC_BANDS}x{DOC_ROWS}-sent{SENTENCE_BANDS}x{SENTENCE_ROWS}"
        f"-min{MIN_STEMS}"
    )


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's finaliser, the pre-mix of datasketch's affine schemes."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    mixed: np.ndarray = h ^ (h >> np.uint32(16))
    return mixed


def permuted(hashes: np.ndarray, permutations: int = NUM_PERM) -> np.ndarray:
    """The 32-bit hashes under the first ``permutations``: shape
    (permutations, len(hashes)), a row per permutation (minima along rows
    are far faster to take than along columns)."""
    mixed = _fmix32(hashes.astype(np.uint32, copy=False))
    out: np.ndarray = np.multiply.outer(_A[:permutations], mixed)
    out += _B[:permutations, None]
    return out


def _band_keys(signatures: np.ndarray, bands: int, rows: int, kind: int) -> np.ndarray:
    """One key per band of each signature (rows of ``signatures``)."""
    parts = signatures[:, : bands * rows].reshape(len(signatures), bands, rows).astype(np.uint64)
    mixed = (parts * _POWERS[:rows]).sum(axis=2, dtype=np.uint64)
    mixed += np.arange(bands, dtype=np.uint64) * _POWERS[rows]
    keys: np.ndarray = ((mixed & ~np.uint64(KIND_BITS)) | np.uint64(kind)).view(np.int64)
    return keys.ravel()


def quote_key(quote: str) -> int:
    """The key of a normalised direct quote."""
    value = int(stable_id(quote), 16) & ~KIND_BITS | QUOTE
    return value - (1 << 64) if value >= 1 << 63 else value


def index_keys(
    hashes: np.ndarray,
    lengths: Sequence[Sequence[int]],
    distinct: np.ndarray,
    counts: Sequence[int],
    quotes: Sequence[Iterable[str]],
) -> list[tuple[np.ndarray | None, np.ndarray]]:
    """The signatures and keys of several documents, from the stem hashes of
    their sentences (``hashes`` holds them one sentence after the other, one
    document after the other; ``lengths[d]`` says how many each sentence of
    document ``d`` has), of their distinct stems (``distinct``, ``counts[d]``
    of document ``d``, one document after the other) and their long quotes.

    Computed for all the documents at once: numpy's cost per call, not per
    stem, is most of a document's. A document's signature needs all the
    permutations of its distinct stems, its sentences' keys only the first
    few of every stem. A document with fewer than MIN_STEMS distinct stems
    gets no signature and no keys.
    """
    count = len(lengths)
    sizes = np.fromiter(itertools.chain.from_iterable(lengths), dtype=np.int64)
    owner = np.repeat(np.arange(count), [len(doc) for doc in lengths])
    stems = np.asarray(counts, dtype=np.int64)
    signed = stems >= MIN_STEMS
    none = np.zeros(0, dtype=np.int64)
    if not signed.any():
        return [(None, none)] * count
    signatures = _segment_min(permuted(distinct), stems)
    docs = np.flatnonzero(signed)
    row = np.cumsum(stems > 0) - 1
    found = [_band_keys(signatures[row[docs]], DOC_BANDS, DOC_ROWS, BAND)]
    owners = [np.repeat(docs, DOC_BANDS)]
    width = SENTENCE_BANDS * SENTENCE_ROWS
    per_sentence = _segment_min(permuted(hashes, width), sizes)
    present = sizes > 0
    of = owner[present]
    usable = (sizes[present] >= MIN_SENTENCE_STEMS) & signed[of]
    found.append(_band_keys(per_sentence[usable], SENTENCE_BANDS, SENTENCE_ROWS, SENTENCE))
    owners.append(np.repeat(of[usable], SENTENCE_BANDS))
    quoted = [(d, quote_key(q)) for d in docs.tolist() for q in quotes[d]]
    found.append(np.array([key for _, key in quoted], dtype=np.int64))
    owners.append(np.array([d for d, _ in quoted], dtype=np.int64))
    keys, holder = np.concatenate(found), np.concatenate(owners)
    order = np.lexsort((keys, holder))
    keys, holder = keys[order], holder[order]
    new = np.r_[True, (keys[1:] != keys[:-1]) | (holder[1:] != holder[:-1])]
    keys, holder = keys[new], holder[new]
    bounds = np.searchsorted(holder, np.arange(count + 1)).tolist()
    return [
        (signatures[row[d]] if signed[d] else None, keys[bounds[d] : bounds[d + 1]])
        for d in range(count)
    ]


def _segment_min(matrix: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """For each run of columns of ``permuted``'s ``matrix`` (runs of ``sizes``
    columns, one after the other) that has columns, the minimum of each row:
    a MinHash signature per run."""
    present = sizes > 0
    starts = np.cumsum(sizes)[present] - sizes[present]
    found: np.ndarray = np.ascontiguousarray(np.minimum.reduceat(matrix, starts, axis=1).T)
    return found
