"""Building the actor network from merged events.

A link is dated by the event's own date, or by the first publication that
reports it (an event is known by then; a date after that is a plan, known
since the report). Sources count after lineage: a copy or a rewrite counts as
its original. With ``by_state`` an actor that acts for a state (its leader,
ministry, parliament, army, capital) is shown as that state, and the node
lists the entities it stands for, so a roll-up is never silent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import cache, lru_cache

from storyline.ids import stable_id
from storyline.model import Entity, Event
from storyline.network.graph import Edge, Link, Network, Node, bulk
from storyline.network.relations import Relation, relation_of
from storyline.stages.actors import states
from storyline.stages.entities import entity_id, fold
from storyline.stages.event_merge import party
from storyline.store.events import EventRow

# Entity types that can act: not places, facilities, dates or works.
ACTOR_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-W(\d{2}))?$")


def first_day(value: str) -> str | None:
    """The first day of a resolved date (2024-06 is 2024-06-01, 2024-W25 its
    Monday), or None for what is not a date (durations, PRESENT_REF)."""
    found = _DATE.match(value[:10])
    if found is None:
        return None
    year, month, day, week = found.groups()
    try:
        if week:
            return date.fromisocalendar(int(year), int(week), 1).isoformat()
        return date(int(year), int(month or 1), int(day or 1)).isoformat()
    except ValueError:
        return None


def known_on(event: EventRow, published: dict[str, str | None]) -> str | None:
    """The day from which the network holds an event: its own date's first day, but
    no later than the first publication that reports it."""
    reported = None
    for doc in event.docs:
        day = published.get(doc)
        if day and (reported is None or day[:10] < reported):
            reported = day[:10]
    told = _first_day(event.date) if event.date else None
    if told and reported:
        return min(told, reported)
    return told or reported


_first_day = lru_cache(maxsize=65536)(first_day)


@cache
def _state_names() -> frozenset[str]:
    return frozenset(states().values())


class _Nodes:
    """Finds (and remembers) the node each side of an event stands for."""

    def __init__(self, entities: dict[str, Entity], by_state: bool) -> None:
        self.entities = entities
        self.by_state = by_state
        self.names = {e.id: [e.name, *e.aliases] for e in entities.values()}
        self.nodes: dict[str, Node] = {}
        self._states = {
            fold(name): e.id
            for e in entities.values()
            if e.type == "GPE"
            for name in (e.name, *e.aliases)
        }
        self._known: dict[tuple[str | None, str | None, str | None], tuple[str, str]] = {}

    def side(self, entity: str | None, state: str | None, role: str | None) -> tuple[str, str]:
        """(node id or "", the party it stands for) of one side of an event."""
        key = (entity, state, role)
        found = self._known.get(key)
        if found is None:
            label = party(entity, self.names, state, role) or ""
            node = self._node(entity, label, state, role) if label else None
            found = self._known[key] = (node.id if node else "", label)
        return found

    def _node(
        self, entity: str | None, label: str, state: str | None, role: str | None
    ) -> Node | None:
        if self.by_state and label in _state_names():
            node_id = self._states.get(fold(label)) or entity_id("GPE", fold(label))
            node = self.nodes.setdefault(node_id, Node(node_id, label, "GPE", label, None))
            if entity is not None and entity not in node.members:
                node.members.append(entity)
                node.names.extend(self.names.get(entity, []))
            if not node.names:
                node.names.append(label)
            return node
        found = self.entities.get(entity or "")
        if found is None:
            if not self.by_state or state is None:
                return None
            node_id = "g" + stable_id(label, size=6)
            return self.nodes.setdefault(
                node_id, Node(node_id, label, "group", state, role, [], [label])
            )
        if found.type not in ACTOR_TYPES:
            return None
        node = self.nodes.setdefault(
            found.id,
            Node(found.id, found.name, found.type, members=[found.id], names=self.names[found.id]),
        )
        node.state = node.state or state
        node.role = node.role or role
        return node


def _link(event: EventRow, relation: Relation, day: str | None, roots: dict[str, str]) -> Link:
    docs = event.docs
    return Link(
        event.id,
        event.story,
        event.type,
        event.action,
        relation.name,
        relation.score,
        relation.intent,
        day,
        docs,
        frozenset([roots.get(doc, doc) for doc in docs]),
    )


@lru_cache(maxsize=4096)
def _relation(kind: str, action: str) -> Relation | None:
    return relation_of(Event("", kind, None, None, action, None, None, None))


def build(
    events: Iterable[EventRow],
    entities: dict[str, Entity],
    published: dict[str, str | None],
    roots: dict[str, str],
    *,
    by_state: bool = False,
) -> Network:
    """The network of these merged events (``EventRow.of`` makes one of an ``Event``
    held in memory); ``published`` dates each
    document and ``roots`` maps it to its independent original (lineage)."""
    with bulk():
        return _build(events, entities, published, roots, by_state)


def _build(
    events: Iterable[EventRow],
    entities: dict[str, Entity],
    published: dict[str, str | None],
    roots: dict[str, str],
    by_state: bool,
) -> Network:
    nodes = _Nodes(entities, by_state)
    edges: dict[tuple[str, str, str, bool], Edge] = {}
    side, held = nodes.side, nodes.nodes
    for event in events:
        relation = _relation(event.type, event.action)
        if relation is None:
            continue
        source, source_party = side(event.actor, event.actor_state, event.actor_role)
        target, target_party = side(event.target, event.target_state, event.target_role)
        # Both sides must be actors, and not the same party (a state and its capital).
        if not source or not target or source == target or source_party == target_party:
            continue
        # An edge with no direction goes from the node first by name.
        if not relation.directed and (held[target].name, target) < (held[source].name, source):
            source, target = target, source
        key = (source, target, relation.name, relation.directed)
        edge = edges.get(key)
        if edge is None:
            edge = edges[key] = Edge(*key)
        edge.links.append(_link(event, relation, known_on(event, published), roots))
    for edge in edges.values():
        _index(edge)
    ordered = sorted(
        edges.values(), key=lambda e: (e.days[:1] or ["9999"], e.source, e.target, e.relation)
    )
    members = {m for node in nodes.nodes.values() for m in node.members}
    names = {m: entities[m].name for m in members if m in entities}
    return Network(nodes.nodes, ordered, by_state, names)


def _index(edge: Edge) -> None:
    """Links by day, undated last; the running count of independent sources and sum
    of scores."""
    edge.links.sort(key=lambda link: (link.day is None, link.day or "", link.event))
    edge.days = [link.day for link in edge.links if link.day is not None]
    seen: set[str] = set()
    total = 0.0
    for link in edge.links:
        seen.update(link.roots)
        total += link.score
        edge.seen.append(len(seen))
        edge.total.append(total)
