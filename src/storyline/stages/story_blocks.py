"""Blocks of a run's documents that can be clustered into stories apart.

Two documents go in one block when they name at least two distinctive
entities in common (entities that at most ``max_docs`` documents of the run
name) and are at most ``window`` days apart, or, transitively, through
others; a document naming fewer than two such entities goes with those
sharing two distinctive terms with it, words or entities. An undated
document (which may join a story of any time) pairs with documents of any
date. A derived document goes with its source, and documents that may join
one stored story go together. A story grows around the people, places and
organisations its documents name, which is what a block follows: stories
do not cross blocks, except when a document's ties to a story are common
words or a single name (then its block has decided alone). One shared
name, or distinctive words, would tie most of a large run together: a
surname or a place shared by chance passes from story to story.

Blocks are connected components, found with scipy over the postings of
``story_arrival``; nothing here reads documents.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from storyline.stages.story_arrival import Postings

# A term carried by more documents than this share of the run (and than
# MIN_COMMON) is common: it ties nothing together.
COMMON_SHARE = 0.002
MIN_COMMON = 50


def common_above(run_docs: int) -> int:
    """Documents of a run past which a term is too common to tie documents."""
    return max(MIN_COMMON, int(run_docs * COMMON_SHARE))


# Documents are tied by this many distinctive terms in common.
MIN_SHARED = 2


def _near(held: np.ndarray, days: np.ndarray, window: float) -> np.ndarray:
    """The pairs of documents carrying one term (positions ``held``) at most
    ``window`` days apart, an undated one with every other; as codes
    ``low * len(days) + high``."""
    n = len(days)
    when = days[held]
    undated = np.isnan(when)
    order = np.argsort(when[~undated], kind="stable")
    dated, times = held[~undated][order], when[~undated][order]
    ends = np.searchsorted(times, times + window, side="right")
    counts = ends - np.arange(len(times)) - 1
    first = np.repeat(np.arange(len(times)), counts)
    second = first + 1 + np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    a, b = [dated[first]], [dated[second]]
    loose = held[undated]
    if len(loose):
        a.append(np.repeat(loose, len(held)))
        b.append(np.tile(held, len(loose)))
    x, y = np.concatenate(a), np.concatenate(b)
    keep = x != y
    low, high = np.minimum(x[keep], y[keep]), np.maximum(x[keep], y[keep])
    return np.unique(low * n + high)


def _positions(held: array[int]) -> np.ndarray:
    return np.frombuffer(held, dtype=np.int32).astype(np.int64)


def blocks(
    run: Postings,
    days: np.ndarray,
    window: float,
    max_docs: int,
    pairs: Iterable[tuple[int, int]] = (),
    stored: Sequence[tuple[int, str]] = (),
) -> np.ndarray:
    """The block of each document (by arrival position): documents tied by two
    distinctive entities (two distinctive terms, for a document naming fewer
    such entities) within ``window`` days, by ``pairs`` (a derived document
    and its source) and by ``stored`` ((document, stored story) it may join).
    Blocks are numbered in the order of their first document."""
    n = len(days)
    named = np.zeros(n, dtype=np.int64)
    codes: list[np.ndarray] = [np.zeros(0, np.int64)]
    for held in run["entities"].values():
        if len(held) <= max_docs:
            positions = _positions(held)
            named[positions] += 1
            if len(held) > 1:
                codes.append(_near(positions, days, window))
    loose = named < MIN_SHARED
    for held in run["words"].values():
        if 1 < len(held) <= max_docs:
            positions = _positions(held)
            if loose[positions].any():
                found = _near(positions, days, window)
                codes.append(found[loose[found // n] | loose[found % n]])
    shared, count = np.unique(np.concatenate(codes), return_counts=True)
    tied = shared[count >= MIN_SHARED]
    first, second = [tied // n], [tied % n]
    linked = np.array(list(pairs), dtype=np.int64).reshape(-1, 2)
    first.append(linked[:, 0])
    second.append(linked[:, 1])
    number: dict[str, int] = {}
    for doc, story in stored:
        first.append(np.array([doc]))
        second.append(np.array([n + number.setdefault(story, len(number))]))
    a, b = np.concatenate(first), np.concatenate(second)
    size = n + len(number)
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(size, size))
    _, labels = connected_components(graph, directed=False)
    labels = labels[:n]
    # Renumbered by first document, so blocks come in arrival order.
    _, first_seen = np.unique(labels, return_index=True)
    order = np.argsort(np.argsort(first_seen))
    renumbered: np.ndarray = order[np.searchsorted(np.unique(labels), labels)]
    return renumbered
