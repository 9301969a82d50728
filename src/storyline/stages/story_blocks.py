"""Blocks of a run's documents that can be clustered into stories apart.

Two documents go in one block when they share a distinctive term (a word,
entity or title word that at most ``max_docs`` documents of the run carry)
and are at most ``window`` days apart, or, transitively, through others; an
undated document (which may join a story of any time) goes with every
document sharing such a term with it. A derived document goes with its
source, and documents that may join one stored story go together. A story
grows by its documents' shared vocabulary, which is what a block follows:
stories do not cross blocks, except when a document's only ties to a story
are common words (then the block has decided alone).

Blocks are connected components, found with scipy over the postings of
``story_arrival``; nothing here reads documents.
"""

from __future__ import annotations

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


def _ties(held: np.ndarray, days: np.ndarray, window: float) -> tuple[np.ndarray, np.ndarray]:
    """Edges between the documents carrying one term (positions ``held``,
    ascending: dated ones come first, in date order)."""
    when = days[held]
    undated = np.isnan(when)
    dated, loose = held[~undated], held[undated]
    near = np.diff(when[~undated]) <= window
    first, second = [dated[:-1][near]], [dated[1:][near]]
    if len(loose):
        # An undated document may join a story of any time: every run of dated
        # documents, and the other undated ones.
        heads = dated[np.r_[True, ~near]] if len(dated) else dated
        first += [np.repeat(loose, len(heads)), loose[:-1]]
        second += [np.tile(heads, len(loose)), loose[1:]]
    return np.concatenate(first), np.concatenate(second)


def blocks(
    run: Postings,
    days: np.ndarray,
    window: float,
    max_docs: int,
    pairs: Iterable[tuple[int, int]] = (),
    stored: Sequence[tuple[int, str]] = (),
) -> np.ndarray:
    """The block of each document (by arrival position): documents tied by
    distinctive terms within ``window`` days, by ``pairs`` (a derived document
    and its source) and by ``stored`` ((document, stored story) it may join).
    Blocks are numbered in the order of their first document."""
    n = len(days)
    first: list[np.ndarray] = [np.zeros(0, np.int64)]
    second: list[np.ndarray] = [np.zeros(0, np.int64)]
    for terms in run.values():
        for held in terms.values():
            if 1 < len(held) <= max_docs:
                a, b = _ties(np.frombuffer(held, dtype=np.int32).astype(np.int64), days, window)
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
