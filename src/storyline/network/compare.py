"""The network against relations a person coded by hand (the demo corpus's
``relations``): which it finds, which it misses, which it draws that the
person did not.

A coded relation names its two actors (``source``, ``target``), its
``relation`` and whether it has a direction; an edge matches it when the
relation is the same and each actor is one of the names its node stands for
(compared folded: "Kim Jong Un" = "Kim Jong-un"; ``variants`` adds other
names a person may use for an actor).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from storyline.network.graph import EdgeState, Network
from storyline.stages.entities import fold


@dataclass(slots=True)
class Comparison:
    found: list[dict[str, Any]] = field(default_factory=list)
    missed: list[dict[str, Any]] = field(default_factory=list)
    extra: list[EdgeState] = field(default_factory=list)

    @property
    def precision(self) -> float:
        drawn = len(self.found) + len(self.extra)
        return len(self.found) / drawn if drawn else 0.0

    @property
    def recall(self) -> float:
        coded = len(self.found) + len(self.missed)
        return len(self.found) / coded if coded else 0.0


def _keys(name: str, variants: Mapping[str, Iterable[str]]) -> set[str]:
    return {fold(n) for n in (name, *variants.get(name, ()))}


def compare(
    network: Network,
    relations: Sequence[dict[str, Any]],
    variants: Mapping[str, Iterable[str]] | None = None,
) -> Comparison:
    """Each coded relation found or missed, and the edges no coded relation matches."""
    known = variants or {}
    names = {n.id: {fold(x) for x in n.names} for n in network.nodes.values()}
    edges = list(network.view())
    matched: set[int] = set()
    result = Comparison()
    for relation in relations:
        source, target = _keys(relation["source"], known), _keys(relation["target"], known)
        hits = [
            i
            for i, state in enumerate(edges)
            if state.edge.relation == relation["relation"]
            and (
                (names[state.edge.source] & source and names[state.edge.target] & target)
                or (
                    not (state.edge.directed and relation.get("directed", True))
                    and names[state.edge.source] & target
                    and names[state.edge.target] & source
                )
            )
        ]
        matched.update(hits)
        (result.found if hits else result.missed).append(relation)
    result.extra = [state for i, state in enumerate(edges) if i not in matched]
    return result
