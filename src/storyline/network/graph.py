"""The actor network: who stands with whom and who threatens whom, since when, says who.

Built from merged events (one per happening, after cross-document merging):
each event whose two parties are actors becomes a link of the relation it
forms (``relations``) between two nodes, and the links of one relation
between the same two nodes are an edge. A link is dated by the event's own
date, or by the first publication that reports it (an event is known by then;
a date after that is a plan, known since the report). Sources count after
lineage: a copy or a rewrite counts as its original.

Nodes are canonical entities (people, organisations, states and peoples),
each with the state it acts for; with ``by_state`` an actor that acts for a
state (its leader, ministry, parliament, army, capital) is shown as that
state, and a node lists the entities it stands for, so a roll-up is never
silent.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from storyline.ids import stable_id
from storyline.model import Entity, Event
from storyline.network.relations import Relation, relation_of
from storyline.stages.actors import states
from storyline.stages.entities import entity_id, fold
from storyline.stages.event_merge import party

# Entity types that can act: not places, facilities, dates or works.
ACTOR_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-W(\d{2}))?$")


@dataclass(frozen=True, slots=True)
class Link:
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
    running totals so a view as of any day costs one binary search."""

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
    """An edge as one view shows it: the links in view and what they add up to."""

    edge: Edge
    links: list[Link]
    score: float
    independent_sources: int
    start: str | None
    end: str | None

    @property
    def intent(self) -> bool:
        """True when every event of the edge only states an intention."""
        return all(link.intent for link in self.links)

    @property
    def docs(self) -> list[str]:
        return sorted({doc for link in self.links for doc in link.docs})


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


@dataclass(slots=True)
class Network:
    nodes: dict[str, Node]
    edges: list[Edge]
    by_state: bool = False
    # The name of every entity a node stands for.
    names: dict[str, str] = field(default_factory=dict)

    def view(
        self, as_of: str | None = None, since: str | None = None, nodes: Iterable[str] = ()
    ) -> list[EdgeState]:
        """The edges as of a day (events dated up to it), over a window (``since``
        too), or whole (undated events too); only those touching ``nodes`` if any."""
        wanted = set(nodes)
        found = []
        for edge in self.edges:
            if wanted and edge.source not in wanted and edge.target not in wanted:
                continue
            state = edge_state(edge, as_of, since)
            if state is not None:
                found.append(state)
        return found

    def find(self, name: str) -> list[str]:
        """The nodes a name stands for: a node or entity name, or an alias, folded
        ("Kim Jong Un" = "Kim Jong-un"); else the nodes whose names contain it."""
        key = fold(name)
        exact = [n.id for n in self.nodes.values() if key in {fold(x) for x in n.names}]
        if exact or not key:
            return exact
        return [n.id for n in self.nodes.values() if any(key in fold(x) for x in n.names)]


def edge_state(edge: Edge, as_of: str | None = None, since: str | None = None) -> EdgeState | None:
    """The edge as of ``as_of`` (and from ``since``), or None when no event of it
    falls in that time."""
    if as_of is None and since is None:
        links = edge.links
        first, last = (edge.days[0], edge.days[-1]) if edge.days else (None, None)
        return EdgeState(edge, links, edge.total[-1] / len(links), edge.seen[-1], first, last)
    end = bisect_right(edge.days, as_of) if as_of is not None else len(edge.days)
    start = bisect_left(edge.days, since) if since is not None else 0
    if start >= end:
        return None
    if start == 0:
        score, sources = edge.total[end - 1] / end, edge.seen[end - 1]
        return EdgeState(edge, edge.links[:end], score, sources, edge.days[0], edge.days[end - 1])
    links = edge.links[start:end]
    roots = frozenset().union(*(link.roots for link in links))
    score = sum(link.score for link in links) / len(links)
    return EdgeState(edge, links, score, len(roots), edge.days[start], edge.days[end - 1])


def _strength(state: EdgeState) -> tuple[int, int]:
    return state.independent_sources, len(state.links)


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
    since_before = since_after = None
    if window is not None:
        since_before = (date.fromisoformat(before) - timedelta(days=window)).isoformat()
        since_after = (date.fromisoformat(after) - timedelta(days=window)).isoformat()
    wanted = set(nodes)
    found = []
    for edge in network.edges:
        if wanted and edge.source not in wanted and edge.target not in wanted:
            continue
        old = edge_state(edge, before, since_before)
        new = edge_state(edge, after, since_after)
        if old is None and new is None:
            continue
        was = {link.event for link in old.links} if old else set()
        now = {link.event for link in new.links} if new else set()
        added = [link for link in new.links if link.event not in was] if new else []
        dropped = [link for link in old.links if link.event not in now] if old else []
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
        found.append(Change(status, old, new, added, dropped))
    return found


def pair_scores(view: Sequence[EdgeState]) -> list[PairScore]:
    """Each pair's mean cooperation-conflict score per month, over the events in view
    (both directions and every relation)."""
    sums: dict[tuple[tuple[str, str], str], list[float]] = {}
    for state in view:
        a, b = sorted((state.edge.source, state.edge.target))
        for link in state.links:
            key = ((a, b), link.day[:7] if link.day else "undated")
            total = sums.setdefault(key, [0.0, 0.0])
            total[0] += link.score
            total[1] += 1
    return [
        PairScore(pair, period, round(total / count, 2), int(count))
        for (pair, period), (total, count) in sorted(sums.items())
    ]


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


def known_on(event: Event, published: dict[str, str | None]) -> str | None:
    """The day from which the network holds an event: its own date's first day, but
    no later than the first publication that reports it."""
    reported = min((p[:10] for s in event.sources if (p := published.get(s.doc))), default=None)
    told = first_day(event.date) if event.date else None
    if told and reported:
        return min(told, reported)
    return told or reported


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
        self._known: dict[tuple[str | None, str | None, str | None], tuple[str | None, str]] = {}

    def side(self, entity: str | None, state: str | None, role: str | None) -> tuple[str, str]:
        """(node id or "", the party it stands for) of one side of an event."""
        key = (entity, state, role)
        if key not in self._known:
            label = party(entity, self.names, state, role) or ""
            node = self._node(entity, label, state, role) if label else None
            self._known[key] = (node.id if node else None, label)
        node_id, label = self._known[key]
        return node_id or "", label

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


def _link(
    story: str, event: Event, relation: Relation, day: str | None, roots: dict[str, str]
) -> Link:
    docs = tuple(sorted({s.doc for s in event.sources}))
    return Link(
        event.id,
        story,
        event.type,
        event.action,
        relation.name,
        relation.score,
        relation.intent,
        day,
        docs,
        frozenset(roots.get(doc, doc) for doc in docs),
    )


def build(
    events: Iterable[tuple[str, Event]],
    entities: dict[str, Entity],
    published: dict[str, str | None],
    roots: dict[str, str],
    *,
    by_state: bool = False,
) -> Network:
    """The network of these (story, merged event) pairs; ``published`` dates each
    document and ``roots`` maps it to its independent original (lineage)."""
    nodes = _Nodes(entities, by_state)
    edges: dict[tuple[str, str, str, bool], Edge] = {}
    for story, event in events:
        relation = relation_of(event)
        if relation is None:
            continue
        source, source_party = nodes.side(event.actor, event.actor_state, event.actor_role)
        target, target_party = nodes.side(event.target, event.target_state, event.target_role)
        # Both sides must be actors, and not the same party (a state and its capital).
        if not source or not target or source == target or source_party == target_party:
            continue
        if not relation.directed:
            source, target = sorted((source, target), key=lambda n: (nodes.nodes[n].name, n))
        key = (source, target, relation.name, relation.directed)
        edge = edges.setdefault(key, Edge(*key))
        edge.links.append(_link(story, event, relation, known_on(event, published), roots))
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
        seen |= link.roots
        total += link.score
        edge.seen.append(len(seen))
        edge.total.append(total)
