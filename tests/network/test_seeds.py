"""The seeds' actor network, with their publication dates, as a reader sees it."""

from __future__ import annotations

import pytest

from storyline.network import Network, load_network
from storyline.network.graph import EdgeState
from storyline.network.history import changes
from storyline.settings import Settings
from storyline.store import open_store


@pytest.fixture(scope="module")
def states(dated_seed_settings: Settings) -> Network:
    with open_store(dated_seed_settings.db, dated_seed_settings, read_only=True) as store:
        return load_network(store, by_state=True)


def _edge(net: Network, source: str, relation: str, target: str, **view: str) -> EdgeState:
    """The one edge of this relation between the nodes so named (either way round
    when it has no direction)."""
    names = {n.id: n.name for n in net.nodes.values()}
    found = [
        s
        for s in net.view(**view)
        if s.edge.relation == relation
        and (
            (names[s.edge.source], names[s.edge.target]) == (source, target)
            or (
                not s.edge.directed
                and (names[s.edge.target], names[s.edge.source]) == (source, target)
            )
        )
    ]
    assert len(found) == 1, (source, relation, target, found)
    return found[0]


def test_the_pact_is_cooperation_told_by_three_independent_sources(states: Network) -> None:
    june = _edge(states, "Russia", "agree", "North Korea", as_of="2024-06-30")
    assert june.start == "2024-06-19" and june.score > 0
    assert june.independent_sources >= 3
    russia = next(n for n in states.nodes.values() if n.name == "Russia")
    names = {name for member in russia.members for name in states.nodes[russia.id].names}
    assert "Vladimir Putin" in names  # the roll-up says who it stands for


def test_the_ratification_strengthens_it_in_november(states: Network) -> None:
    november = _edge(states, "Russia", "agree", "North Korea", as_of="2024-11-30")
    assert november.end == "2024-11-06"
    assert {link.action for link in november.links} >= {"ratify"}
    found = [
        c
        for c in changes(states, "2024-06-30", "2024-11-30")
        if c.after is not None and c.after.edge is november.edge
    ]
    assert [c.status for c in found] == ["strengthened"]
    assert [link.day for link in found[0].added] == ["2024-11-06"]


def test_south_korea_protests_to_russia_and_russia_threatens_it(states: Network) -> None:
    protest = _edge(states, "South Korea", "protest", "Russia")
    assert protest.start == "2024-06-21" and protest.score < 0
    assert any(link.action.startswith("summon") for link in protest.links)
    threat = _edge(states, "Russia", "threaten", "South Korea")
    assert threat.start == "2024-06-20" and threat.score < 0


def test_south_korea_weighs_arming_ukraine(states: Network) -> None:
    aid = _edge(states, "South Korea", "aid", "Ukraine", as_of="2024-06-30")
    assert aid.score > 0
    considered = [link for link in aid.links if link.intent]  # "to consider supplying arms"
    assert considered and all(link.action.startswith("supply") for link in considered)


def test_north_korean_troops_for_russia_are_new_military_support_in_november(
    states: Network,
) -> None:
    aid = _edge(states, "North Korea", "aid", "Russia", as_of="2024-11-30")
    troops = [link for link in aid.links if link.action == "deploy"]
    assert [link.day[:7] for link in troops if link.day] == ["2024-11"]
    since_june = {
        link.event for c in changes(states, "2024-06-30", "2024-11-30") for link in c.added
    }
    assert troops[0].event in since_june
