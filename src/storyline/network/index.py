"""A columnar index of the network's links by day.

Every dated link is one integer, its edge's number shifted left past its
day's ordinal, in edge order and by day within an edge: so the links of every
edge up to (or from) a day are found by one vectorised binary search over all
edges at once, and a view as of any day costs a few array operations, not a
loop over the edges.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from storyline.network.graph import Edge

# Day ordinals (up to the year 9999, the last a date can have) fit in 22 bits.
SHIFT = 22


def ordinal(day: str) -> int:
    return date.fromisoformat(day).toordinal()


@dataclass(slots=True)
class EdgeIndex:
    keys: np.ndarray  # every dated link: edge number << SHIFT | day ordinal, ascending
    dated_start: np.ndarray  # per edge: where its dated links start in ``keys``
    dated: np.ndarray  # per edge: how many of its links are dated
    size: np.ndarray  # per edge: how many links it has
    link_start: np.ndarray  # per edge: where its links start in the flat link arrays
    scores: np.ndarray  # per link, edge by edge: its score
    months: np.ndarray  # per link: year * 12 + month - 1 of its day, -1 when undated
    pairs: np.ndarray  # per edge: the number of its (unordered) pair of nodes
    pair_nodes: list[tuple[str, str]]  # per pair number: its two node ids, sorted
    sides: dict[str, np.ndarray]  # node id -> the numbers of the edges it is on

    @classmethod
    def of(cls, edges: Sequence[Edge]) -> EdgeIndex:
        dated = np.array([len(e.days) for e in edges], dtype=np.int64)
        size = np.array([len(e.links) for e in edges], dtype=np.int64)
        days = [ordinal(day) for e in edges for day in e.days]
        number = np.repeat(np.arange(len(edges), dtype=np.int64), dated)
        months = [
            int(link.day[:4]) * 12 + int(link.day[5:7]) - 1 if link.day else -1
            for e in edges
            for link in e.links
        ]
        pair_numbers: dict[tuple[str, str], int] = {}
        sides: dict[str, list[int]] = {}
        pairs = []
        for i, edge in enumerate(edges):
            a, b = sorted((edge.source, edge.target))
            pairs.append(pair_numbers.setdefault((a, b), len(pair_numbers)))
            sides.setdefault(edge.source, []).append(i)
            sides.setdefault(edge.target, []).append(i)
        return cls(
            keys=(number << SHIFT) | np.array(days, dtype=np.int64),
            dated_start=np.cumsum(dated) - dated,
            dated=dated,
            size=size,
            link_start=np.cumsum(size) - size,
            scores=np.array([link.score for e in edges for link in e.links], dtype=np.float64),
            months=np.array(months, dtype=np.int64),
            pairs=np.array(pairs, dtype=np.int64),
            pair_nodes=list(pair_numbers),
            sides={node: np.array(found, dtype=np.int64) for node, found in sides.items()},
        )

    def bounds(self, as_of: str | None, since: str | None) -> tuple[np.ndarray, np.ndarray]:
        """Per edge, its first and past-the-last link in view: those dated up to
        ``as_of`` and from ``since``; every link, undated ones too, when neither
        is given."""
        if as_of is None and since is None:
            return np.zeros_like(self.size), self.size.copy()
        edges = np.arange(len(self.size), dtype=np.int64) << SHIFT
        hi = self.dated.copy()
        if as_of is not None:
            hi = np.searchsorted(self.keys, edges | ordinal(as_of), "right") - self.dated_start
        lo = np.zeros_like(hi)
        if since is not None:
            lo = np.searchsorted(self.keys, edges | ordinal(since), "left") - self.dated_start
        return lo, hi

    def touching(self, nodes: Sequence[str]) -> np.ndarray:
        """Per edge, whether one of its ends is one of these nodes."""
        found = np.zeros(len(self.size), dtype=bool)
        for node in nodes:
            found[self.sides.get(node, np.zeros(0, dtype=np.int64))] = True
        return found

    def link_positions(self, numbers: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """The positions in the flat link arrays of these edges' links ``lo`` to ``hi``."""
        counts = hi - lo
        starts = np.repeat(self.link_start[numbers] + lo, counts)
        offsets = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(
            np.cumsum(counts) - counts, counts
        )
        positions: np.ndarray = starts + offsets
        return positions
