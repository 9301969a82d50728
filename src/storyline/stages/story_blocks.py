"""Blocks of a run's documents that can be clustered into stories apart.

Two documents go in one block when they name a distinctive entity (one that
at most ``max_docs`` documents of the run name) and are at most ``window``
days apart, or, transitively, through others; a document naming no such
entity goes with those sharing a distinctive word with it. An undated
document (which may join a story of any time) goes with every document
sharing such a term with it. A derived document goes with its source, and
documents that may join one stored story go together. A story grows around
the people, places and organisations its documents name, which is what a
block follows: stories do not cross blocks, except when a document's only
ties to a story are common words (then its block has decided alone).
Distinctive words alone would tie most of a large run together: a surname
or a place shared by chance passes from story to story.

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


def _ties(
    held: np.ndarray, days: np.ndarray, window: float, loose: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Edges between the documents carrying one term (positions ``held``,
    ascending: dated ones come first, in date order); with ``loose``, only
    edges with a loose document at one end at least."""
    when = days[held]
    undated = np.isnan(when)
    dated, unplaced = held[~undated], held[undated]
    near = np.diff(when[~undated]) <= window
    first, second = [dated[:-1][near]], [dated[1:][near]]
    if len(unplaced):
        # An undated document may join a story of any time: every run of dated
        # documents, and the other undated ones.
        heads = dated[np.r_[True, ~near]] if len(dated) else dated
        first += [np.repeat(unplaced, len(heads)), unplaced[:-1]]
        second += [np.tile(heads, len(unplaced)), unplaced[1:]]
    a, b = np.concatenate(first), np.concatenate(second)
    if loose is not None:
        keep = loose[a] | loose[b]
        a, b = a[keep], b[keep]
    return a, b


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
    """The block of each document (by arrival position): documents tied by
    distinctive entities (by distinctive words, for a document naming none)
    within ``window`` days, by ``pairs`` (a derived document and its source)
    and by ``stored`` ((document, stored story) it may join). Blocks are
    numbered in the order of their first document."""
    n = len(days)
    first: list[np.ndarray] = [np.zeros(0, np.int64)]
    second: list[np.ndarray] = [np.zeros(0, np.int64)]
    loose = np.ones(n, dtype=bool)
    for held in run["entities"].values():
        if len(held) <= max_docs:
            positions = _positions(held)
            loose[positions] = False
            if len(held) > 1:
                a, b = _ties(positions, days, window)
                first.append(a)
                second.append(b)
    for held in run["words"].values():
        if 1 < len(held) <= max_docs:
            a, b = _ties(_positions(held), days, window, loose)
            first.append(a)
            second.append(b)
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
