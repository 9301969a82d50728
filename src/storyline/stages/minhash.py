"""MinHash signatures and LSH keys over content stems: the lineage index.

Three kinds of keys go into the store, so that adding one document looks up
its keys instead of rebuilding an LSH structure for the corpus:

- document bands (long bands: only near-identical texts share one) find
  copies, also when their sentences were split differently;
- sentence bands (short bands over one sentence's stems) find rewrites,
  whose sentences keep most content words of their source while the wording
  around them changes;
- quote keys find articles that reuse the same long direct quote.

The permutations are datasketch's ``affine32`` MinHash scheme; a document's
signature and all its sentences' signatures are computed in one numpy
operation (the values ``datasketch.MinHash.update_batch`` gives, without one
MinHash object per sentence). Keys are 64-bit integers whose two low bits
say their kind.
"""

from __future__ import annotations

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


def permuted(hashes: np.ndarray) -> np.ndarray:
    """Each 32-bit hash under every permutation: shape (len(hashes), NUM_PERM)."""
    mixed = _fmix32(hashes.astype(np.uint32, copy=False))
    out: np.ndarray = mixed[:, None] * _A[None, :] + _B[None, :]
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
    hashes: np.ndarray, lengths: Sequence[int], distinct: int, quotes: Iterable[str] = ()
) -> tuple[np.ndarray | None, np.ndarray]:
    """A document's signature and its keys, from the stem hashes of its
    sentences (``hashes`` holds them one sentence after the other, ``lengths``
    says how many each has; ``distinct`` stems in all) and its long quotes.

    A document with fewer than MIN_STEMS distinct stems gets no signature and
    no keys.
    """
    none = np.zeros(0, dtype=np.int64)
    if distinct < MIN_STEMS:
        return None, none
    matrix = permuted(hashes)
    signature = matrix.min(axis=0)
    found = [_band_keys(signature[None, :], DOC_BANDS, DOC_ROWS, BAND)]
    sizes = np.asarray(lengths)
    present = sizes > 0
    starts = np.cumsum(sizes)[present] - sizes[present]
    width = SENTENCE_BANDS * SENTENCE_ROWS
    per_sentence = np.minimum.reduceat(matrix[:, :width], starts, axis=0)
    usable = per_sentence[sizes[present] >= MIN_SENTENCE_STEMS]
    if len(usable):
        found.append(_band_keys(usable, SENTENCE_BANDS, SENTENCE_ROWS, SENTENCE))
    found.append(np.array([quote_key(q) for q in quotes], dtype=np.int64))
    return signature, np.unique(np.concatenate(found))
