"""How the network changes over time: edges that appear, strengthen, weaken or end
between two days, and each pair's cooperation-conflict score month by month."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from storyline.network.graph import EdgeState, Link, Network, View, state_of


@dataclass(slots=True)
class Change:
    """How an edge changed between two views, and the events that changed it."""

    status: str  # new, strengthened, weakened or ended
    before: EdgeState | None
    after: EdgeState | None
    added: list[Link]
    dropped: list[Link]


@dataclass(frozen=True, slots=True)
class PairScore:
    """The mean cooperation-conflict score of a pair's events in one month."""

    actors: tuple[str, str]
    period: str
    score: float
    events: int


def _strength(state: EdgeState) -> tuple[int, int]:
    return state.independent_sources, state.count


def _outside(links: list[Link], run: tuple[int, int], other: tuple[int, int]) -> list[Link]:
    """The links of one run of an edge's links that the other run does not hold."""
    (lo, hi), (other_lo, other_hi) = run, other
    if other_hi <= other_lo:
        return links[lo:hi]
    return links[lo : min(hi, other_lo)] + links[max(lo, other_hi) : hi]


def _days_before(day: str, window: int | None) -> str | None:
    return (
        None if window is None else (date.fromisoformat(day) - timedelta(days=window)).isoformat()
    )


def changes(
    network: Network,
    before: str,
    after: str,
    window: int | None = None,
    nodes: Iterable[str] = (),
) -> list[Change]:
    """How the network changed from one day to a later one.

    Compared as of each day, an edge is new (no event by ``before``) or
    strengthened (more independent sources or events since). With a window (in
    days), the activity of the ``window`` days before each is compared, and an
    edge may also have weakened or ended.
    """
    index = network.index
    lo_b, hi_b = index.bounds(before, _days_before(before, window))
    lo_a, hi_a = index.bounds(after, _days_before(after, window))
    moved = ((hi_b > lo_b) | (hi_a > lo_a)) & ((lo_b != lo_a) | (hi_b != hi_a))
    wanted = list(nodes)
    if wanted:
        moved &= index.touching(wanted)
    found = []
    for number in np.flatnonzero(moved).tolist():
        edge = network.edges[number]
        was, now = (int(lo_b[number]), int(hi_b[number])), (int(lo_a[number]), int(hi_a[number]))
        old = state_of(edge, *was) if was[1] > was[0] else None
        new = state_of(edge, *now) if now[1] > now[0] else None
        if old is None:
            status = "new"
        elif new is None:
            status = "ended"
        elif _strength(new) > _strength(old):
            status = "strengthened"
        elif _strength(new) < _strength(old):
            status = "weakened"
        else:
            continue
        found.append(
            Change(status, old, new, _outside(edge.links, now, was), _outside(edge.links, was, now))
        )
    return found


def pair_scores(view: View) -> list[PairScore]:
    """Each pair's mean cooperation-conflict score per month, over the events in view
    (both directions and every relation)."""
    index = view.network.index
    positions = index.link_positions(view.numbers, view.lo, view.hi)
    if not len(positions):
        return []
    pairs = np.repeat(index.pairs[view.numbers], view.hi - view.lo)
    months = index.months[positions]
    keys = pairs * (int(months.max()) + 2) + months + 1
    found, inverse = np.unique(keys, return_inverse=True)
    totals = np.bincount(inverse, weights=index.scores[positions])
    counts = np.bincount(inverse)
    width = int(months.max()) + 2
    scores = []
    for key, total, count in zip(found.tolist(), totals.tolist(), counts.tolist(), strict=True):
        month = key % width - 1
        period = f"{month // 12:04d}-{month % 12 + 1:02d}" if month >= 0 else "undated"
        scores.append(
            PairScore(index.pair_nodes[key // width], period, round(total / count, 2), count)
        )
    return sorted(scores, key=lambda p: (p.actors, p.period))
