"""Candidate pairs for lineage: documents sharing index keys, counted in numpy.

Documents are numbered (their position in a run's chunk, then the stored
documents the chunk's keys lead to). Two documents are candidates when they
share a document band (near-identical texts), or at least ``MIN_SHARED``
sentence and quote keys (one shared sentence is a shared fact; a copy or a
rewrite shares several). A sentence or quote key that more than
``MAX_KEY_DOCS`` documents hold is a formula ("did not respond to a request
for comment") or boilerplate, and counts for nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from storyline.stages.minhash import BAND, KIND_BITS

MAX_KEY_DOCS = 50
MIN_SHARED = 2
# Each document is compared with at most this many candidates, those sharing
# the most keys.
MAX_CANDIDATES = 50


@dataclass(frozen=True, slots=True)
class Pairs:
    """Candidate pairs (``first[k]``, ``second[k]``), each pair once."""

    first: np.ndarray
    second: np.ndarray
    band: np.ndarray
    shared: np.ndarray

    @staticmethod
    def of(first: np.ndarray, second: np.ndarray, band: np.ndarray, shared: np.ndarray) -> Pairs:
        return Pairs(
            first.astype(np.int64),
            second.astype(np.int64),
            band.astype(bool),
            shared.astype(np.int64),
        )

    def __len__(self) -> int:
        return len(self.first)


def _group_pairs(
    members: np.ndarray, starts: np.ndarray, sizes: np.ndarray, labels: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All pairs of members within each group (``members[start:start + size]``),
    with the label of their group."""
    first, second, label = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], [labels[:0]]
    for size in np.unique(sizes):
        chosen = sizes == size
        rows = members[starts[chosen][:, None] + np.arange(size)]
        left, right = np.triu_indices(size, 1)
        first.append(rows[:, left].ravel())
        second.append(rows[:, right].ravel())
        label.append(np.repeat(labels[chosen], len(left)))
    return np.concatenate(first), np.concatenate(second), np.concatenate(label)


def _first_copies(
    members: np.ndarray, starts: np.ndarray, sizes: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Within each group, the pairs of its first MAX_CANDIDATES members with all
    the others: a text copied that often is linked to its first copies only."""
    first, second = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for start, size in zip(starts.tolist(), sizes.tolist(), strict=True):
        group = members[start : start + size]
        lead = group[:MAX_CANDIDATES]
        left, right = np.triu_indices(len(lead), 1)
        first += [lead[left], np.repeat(lead, size - len(lead))]
        second += [lead[right], np.tile(group[MAX_CANDIDATES:], len(lead))]
    return np.concatenate(first), np.concatenate(second)


def within(keys: Sequence[np.ndarray], frequent: np.ndarray) -> Pairs:
    """The candidate pairs among documents ``0 .. len(keys) - 1`` by their keys;
    ``frequent`` keys count for nothing (other documents hold them too)."""
    sizes = [len(k) for k in keys]
    flat = np.concatenate([np.zeros(0, np.int64), *keys])
    docs = np.repeat(np.arange(len(keys)), sizes)
    return _count(*key_pairs(flat, docs, frequent))


def key_pairs(
    flat: np.ndarray, docs: np.ndarray, frequent: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each key (``flat[i]``, held by ``docs[i]``, the holders of a key in
    the order they are to be counted in), the pairs of documents holding it,
    and whether it is a band; ``frequent`` keys count for nothing. Uncounted:
    a pair appears once per key it shares."""
    order = np.argsort(flat, kind="stable")
    flat, docs = flat[order], docs[order]
    unique, starts, counts = np.unique(flat, return_index=True, return_counts=True)
    band = (unique & KIND_BITS) == BAND
    usable = (counts >= 2) & ~np.isin(unique, frequent)
    groups = usable & np.where(band, counts <= MAX_CANDIDATES, counts <= MAX_KEY_DOCS)
    copied = usable & band & (counts > MAX_CANDIDATES)
    first, second, is_band = _group_pairs(docs, starts[groups], counts[groups], band[groups])
    lead, rest = _first_copies(docs, starts[copied], counts[copied])
    return (
        np.concatenate([first, lead]),
        np.concatenate([second, rest]),
        np.concatenate([is_band, np.ones(len(lead), dtype=bool)]),
    )


def _count(a: np.ndarray, b: np.ndarray, band: np.ndarray) -> Pairs:
    """One row per unordered pair: whether it shares a band, how many other keys."""
    if not len(a):
        return Pairs.of(a, b, band, a)
    low, high = np.minimum(a, b), np.maximum(a, b)
    width = int(high.max()) + 1
    # One code per pair and whether the key was a band (its low bit 0: a
    # pair's band keys sort first), sorted in place: cheaper than np.unique.
    code = (low * width + high) * 2 + ~band
    code.sort()
    starts = np.flatnonzero(np.r_[True, (code[1:] >> 1) != (code[:-1] >> 1)])
    unique = code[starts] >> 1
    shares_band = (code[starts] & 1) == 0
    shared = np.add.reduceat(code & 1, starts)
    keep = shares_band | (shared >= MIN_SHARED)
    return Pairs.of(unique[keep] // width, unique[keep] % width, shares_band[keep], shared[keep])


def across(
    keys: Sequence[np.ndarray], holders: dict[int, list[int]], frequent: np.ndarray
) -> Pairs:
    """The candidate pairs of documents ``0 .. len(keys) - 1`` with other documents
    (numbered from ``len(keys)``), which hold the keys as ``holders`` says."""
    flat = np.concatenate([np.zeros(0, np.int64), *keys])
    docs = np.repeat(np.arange(len(keys)), [len(k) for k in keys])
    return _count(*holder_pairs(flat, docs, holders, frequent))


def holder_pairs(
    flat: np.ndarray, docs: np.ndarray, holders: dict[int, list[int]], frequent: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs of each document (``docs[i]`` holds ``flat[i]``) with the other
    holders of its keys, and whether the key is a band; uncounted."""
    first, second, band = [], [], []
    skip = set(frequent.tolist())
    for key, doc in zip(flat.tolist(), docs.tolist(), strict=True):
        if key in holders and key not in skip:
            for other in holders[key]:
                first.append(doc)
                second.append(other)
                band.append((key & KIND_BITS) == BAND)
    return (
        np.array(first, dtype=np.int64),
        np.array(second, dtype=np.int64),
        np.array(band, dtype=bool),
    )


def strongest(pairs: Pairs, limit: int = MAX_CANDIDATES) -> Pairs:
    """The pairs among each document's ``limit`` candidates sharing the most
    (a band first, then the most keys)."""
    if not len(pairs):
        return pairs
    ends = np.concatenate([pairs.first, pairs.second])
    index = np.concatenate([np.arange(len(pairs))] * 2)
    order = np.lexsort((-pairs.shared[index], ~pairs.band[index], ends))
    ends, index = ends[order], index[order]
    starts = np.flatnonzero(np.r_[True, ends[1:] != ends[:-1]])
    rank = np.arange(len(ends)) - np.repeat(starts, np.diff(np.r_[starts, len(ends)]))
    kept = np.unique(index[rank < limit])
    return Pairs(pairs.first[kept], pairs.second[kept], pairs.band[kept], pairs.shared[kept])
