"""The actor network's records: who stands with whom and who threatens whom, since
when, says who.

Each merged event whose two parties are actors is a link of the relation it
forms (``relations``) between two nodes, and the links of one relation
between the same two nodes are an edge. A node is a canonical entity (a
person, an organisation, a state or a people) with the state it acts for; in
a network rolled up to states, the state an actor acts for, with the entities
it stands for as ``members``. A view (``Network.view``) holds the edges as of
a day, over a window or whole, through the columnar ``EdgeIndex``; its edges
are made into ``EdgeState`` records as they are read.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from storyline.network.index import EdgeIndex
from storyline.stages.entities import fold


@contextmanager
def bulk() -> Iterator[None]:
    """No cycle collection while the network's records are made: they are many
    small records that form no cycle, and the collector would walk every live
    object again and again (at 100,000 events, twice the time of the work)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Link(NamedTuple):
    """One event as a link of the network, with the documents that tell it and
    the independent originals (``roots``) they come down to."""

    event: str
    story: str
    type: str
    action: str
    relation: str
    score: float
    intent: bool
    day: str | None
    docs: tuple[str, ...]
    roots: frozenset[str]


@dataclass(slots=True)
class Node:
    """An actor: an entity, or with roll-up a state (or a state's group, such as
    "South Korea civilians"); ``members`` are the entities it stands for."""

    id: str
    name: str
    type: str
    state: str | None = None
    role: str | None = None
    members: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Edge:
    """Every link of one relation between two nodes, by day (undated last), with
    the running count of independent sources and sum of scores."""

    source: str
    target: str
    relation: str
    directed: bool
    links: list[Link] = field(default_factory=list)
    days: list[str] = field(default_factory=list)
    seen: list[int] = field(default_factory=list)
    total: list[float] = field(default_factory=list)


@dataclass(slots=True)
class EdgeState:
    """An edge as one view shows it: its links ``lo`` to ``hi`` and what they add up to."""

    edge: Edge
    lo: int
    hi: int
    score: float
    independent_sources: int
    start: str | None
    end: str | None

    @property
    def links(self) -> list[Link]:
        return self.edge.links[self.lo : self.hi]

    @property
    def count(self) -> int:
        """The number of events in view."""
        return self.hi - self.lo

    @property
    def intent(self) -> bool:
        """True when every event of the edge only states an intention."""
        return all(link.intent for link in self.links)

    @property
    def docs(self) -> list[str]:
        return sorted({doc for link in self.links for doc in link.docs})


def state_of(edge: Edge, lo: int, hi: int) -> EdgeState:
    """The edge's links ``lo`` to ``hi`` (``lo < hi``) and what they add up to."""
    if lo == 0:
        score, sources = edge.total[hi - 1] / hi, edge.seen[hi - 1]
    else:
        roots = frozenset().union(*(link.roots for link in edge.links[lo:hi]))
        score, sources = (edge.total[hi - 1] - edge.total[lo - 1]) / (hi - lo), len(roots)
    last = min(hi, len(edge.days))
    start, end = (edge.days[lo], edge.days[last - 1]) if lo < last else (None, None)
    return EdgeState(edge, lo, hi, score, sources, start, end)


@dataclass(slots=True)
class Network:
    nodes: dict[str, Node]
    edges: list[Edge]
    by_state: bool = False
    # The name of every entity a node stands for.
    names: dict[str, str] = field(default_factory=dict)
    _index: EdgeIndex | None = field(default=None, repr=False, compare=False)

    @property
    def index(self) -> EdgeIndex:
        if self._index is None:
            with bulk():
                self._index = EdgeIndex.of(self.edges)
        return self._index

    def view(
        self, as_of: str | None = None, since: str | None = None, nodes: Iterable[str] = ()
    ) -> View:
        """The edges as of a day (events dated up to it), over a window (``since``
        too), or whole (undated events too); only those touching ``nodes`` if any."""
        lo, hi = self.index.bounds(as_of, since)
        keep = hi > lo
        wanted = list(nodes)
        if wanted:
            keep &= self.index.touching(wanted)
        chosen = np.flatnonzero(keep)
        return View(self, chosen, lo[chosen], hi[chosen])

    def find(self, name: str) -> list[str]:
        """The nodes a name stands for: a node or entity name, or an alias, folded
        ("Kim Jong Un" = "Kim Jong-un"); else the nodes whose names contain it."""
        key = fold(name)
        exact = [n.id for n in self.nodes.values() if key in {fold(x) for x in n.names}]
        if exact or not key:
            return exact
        return [n.id for n in self.nodes.values() if any(key in fold(x) for x in n.names)]


class View:
    """The edges of one view, as arrays (edge numbers and link bounds); read as
    ``EdgeState`` records one at a time."""

    __slots__ = ("hi", "lo", "network", "numbers")

    def __init__(self, network: Network, numbers: np.ndarray, lo: np.ndarray, hi: np.ndarray):
        self.network = network
        self.numbers = numbers
        self.lo = lo
        self.hi = hi

    def __len__(self) -> int:
        return len(self.numbers)

    def read(self) -> list[EdgeState]:
        """Every edge of the view as a record."""
        with bulk():
            return list(self)

    def __iter__(self) -> Iterator[EdgeState]:
        edges = self.network.edges
        for number, lo, hi in zip(
            self.numbers.tolist(), self.lo.tolist(), self.hi.tolist(), strict=True
        ):
            yield state_of(edges[number], lo, hi)
