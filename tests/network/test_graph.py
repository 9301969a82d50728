"""The actor network built from events: relations, dates, sources, roll-up, views."""

from __future__ import annotations

from storyline.model import Entity, Event, SentenceRef
from storyline.network.build import build, first_day, known_on
from storyline.network.graph import Network
from storyline.network.history import changes, pair_scores
from storyline.network.relations import relation_of, sign
from storyline.store.events import EventRow

ENTITIES = {
    e.id: e
    for e in (
        Entity("orban", "Viktor Orban", "PERSON"),
        Entity("hungary", "Hungary", "GPE"),
        Entity("austria", "Austria", "GPE", ["Republic of Austria"]),
        Entity("vienna", "Vienna", "GPE"),
        Entity("serbia", "Serbia", "GPE"),
        Entity("danube", "Danube", "LOC"),
    )
}
STATES = {"orban": "Hungary", "hungary": "Hungary", "austria": "Austria", "vienna": "Austria"}
ROLES = {"orban": "government", "vienna": "government"}
PUBLISHED = {"a": "2025-03-02T08:00:00+00:00", "b": "2025-03-03", "c": "2025-05-10", "d": None}


def _event(
    id_: str,
    kind: str,
    actor: str | None,
    target: str | None,
    action: str,
    docs: str,
    date: str | None = None,
) -> Event:
    return Event(
        id_, kind, actor, target, action, date, "day" if date else None, None,
        [SentenceRef(doc, 0) for doc in docs],
        STATES.get(actor or ""), ROLES.get(actor or ""),
        STATES.get(target or ""), ROLES.get(target or ""),
    )  # fmt: skip


EVENTS = [
    ("s1", _event("pact", "AGREE", "orban", "vienna", "sign treaty", "ab", "2025-03-01")),
    ("s1", _event("protest", "DISAPPROVE", "serbia", "hungary", "summon", "b")),
    ("s1", _event("river", "AID", "hungary", "danube", "send aid", "a")),  # a place: no actor
    ("s1", _event("self", "SUPPORT", "orban", "hungary", "praise", "a")),  # the same party
    ("s2", _event("ratify", "AGREE", "austria", "hungary", "ratify", "c", "2025-05-09")),
    ("s2", _event("plan", "AGREE", "serbia", "austria", "supply weapon", "d")),  # an intention
]


def _network(by_state: bool = False, roots: dict[str, str] | None = None) -> Network:
    rows = [EventRow.of(story, event) for story, event in EVENTS]
    return build(rows, ENTITIES, PUBLISHED, roots or {}, by_state=by_state)


def _edges(net: Network, **view: str) -> dict[tuple[str, str, str], tuple[int, int]]:
    """(source name, relation, target name) -> (events, independent sources)."""
    names = {n.id: n.name for n in net.nodes.values()}
    return {
        (names[s.edge.source], s.edge.relation, names[s.edge.target]): (
            len(s.links),
            s.independent_sources,
        )
        for s in net.view(**view)
    }


def test_relations_and_their_signs_come_from_the_shipped_table() -> None:
    assert relation_of(EVENTS[1][1]).name == "protest"  # type: ignore[union-attr]
    accuse = _event("x", "DISAPPROVE", "serbia", "hungary", "accuse", "a")
    assert relation_of(accuse).name == "accuse"  # type: ignore[union-attr]
    pact = relation_of(EVENTS[0][1])
    assert pact is not None and not pact.directed and pact.score > 0
    plan = relation_of(EVENTS[5][1])
    assert plan is not None and (plan.name, plan.intent, plan.directed) == ("aid", True, True)
    assert sign("FIGHT") == -1 and sign("CONSULT") == 1 and sign("NOPE") == 0


def test_entity_network_keeps_actors_and_drops_places_and_one_party_with_itself() -> None:
    edges = _edges(_network())
    assert set(edges) == {
        ("Vienna", "agree", "Viktor Orban"),
        ("Serbia", "protest", "Hungary"),
        ("Austria", "agree", "Hungary"),
        ("Serbia", "aid", "Austria"),
    }


def test_roll_up_shows_leaders_and_capitals_as_their_state_and_says_so() -> None:
    net = _network(by_state=True)
    edges = _edges(net)
    assert edges[("Austria", "agree", "Hungary")] == (2, 3)  # the pact, then the ratification
    hungary = next(n for n in net.nodes.values() if n.name == "Hungary")
    assert set(hungary.members) == {"orban", "hungary"}
    assert net.find("Orban") == [hungary.id] == net.find("hungary")
    assert net.find("Republic of Austria") == ["austria"]


def test_copies_count_once() -> None:
    net = _network(by_state=True, roots={"b": "a"})  # b retells a
    assert _edges(net)[("Austria", "agree", "Hungary")] == (2, 2)


def test_as_of_a_day_and_over_a_window() -> None:
    net = _network(by_state=True)
    march = _edges(net, as_of="2025-03-31")
    assert march[("Austria", "agree", "Hungary")] == (1, 2)
    assert ("Serbia", "protest", "Hungary") in march  # undated: known from its report
    assert ("Serbia", "aid", "Austria") not in march  # told by an undated document only
    assert set(_edges(net, as_of="2025-02-28")) == set()
    assert _edges(net, as_of="9999-12-31") == _edges(net, as_of="2025-12-31")
    may = _edges(net, as_of="2025-05-31", since="2025-04-01")
    assert may == {("Austria", "agree", "Hungary"): (1, 1)}


def test_changes_between_two_days_with_the_events_that_made_them() -> None:
    net = _network(by_state=True)
    found = {
        (c.status, c.after.edge.relation if c.after else ""): c
        for c in changes(net, "2025-03-31", "2025-05-31")
    }
    assert set(found) == {("strengthened", "agree")}
    assert [link.event for link in found["strengthened", "agree"].added] == ["ratify"]
    windowed = changes(net, "2025-03-31", "2025-05-31", window=45)
    statuses = {(c.status, (c.before or c.after).edge.relation) for c in windowed}  # type: ignore[union-attr]
    assert statuses == {("weakened", "agree"), ("ended", "protest")}


def test_pair_scores_by_month() -> None:
    net = _network(by_state=True)
    scores = {(p.period, p.score, p.events) for p in pair_scores(net.view(as_of="2025-12-31"))}
    assert ("2025-03", 4.0, 1) in scores and ("2025-05", 4.0, 1) in scores
    assert ("2025-03", -2.0, 1) in scores


def test_dates_known_from_the_event_or_its_first_report() -> None:
    assert first_day("2024-06") == "2024-06-01"
    assert first_day("2024-W25") == "2024-06-17"
    assert first_day("P4D") is None
    ratify = EventRow.of(*EVENTS[4])
    assert known_on(ratify, PUBLISHED) == "2025-05-09"
    later = _event("x", "AGREE", "austria", "hungary", "sign", "a", "2025-09-01")  # a plan
    assert known_on(EventRow.of("s1", later), PUBLISHED) == "2025-03-02"
    assert known_on(EventRow.of(*EVENTS[5]), PUBLISHED) is None
