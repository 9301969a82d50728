"""One question to the network of a store: what the command, the web page, the API
and the export ask.

A view as of a day (``as_of``), over a window (``since``), around one actor
(``actor``: a name or an alias), with leaders and bodies shown as their state
on request (``by_state``), and what changed since an earlier day
(``changes_since``, optionally comparing ``window``-day spans).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from storyline.errors import ConfigError, NotFoundError
from storyline.network.cache import NetworkCache
from storyline.network.graph import EdgeState, Network, Node, View
from storyline.network.history import Change, PairScore, changes, pair_scores
from storyline.network.load import load_network
from storyline.store import Store


@dataclass(frozen=True, slots=True)
class NetworkQuery:
    as_of: str | None = None
    since: str | None = None
    actor: str | None = None
    by_state: bool = False
    changes_since: str | None = None
    window: int | None = None


@dataclass(slots=True)
class NetworkAnswer:
    query: NetworkQuery
    network: Network
    view: View
    changes: list[Change] = field(default_factory=list)
    focus: list[str] = field(default_factory=list)
    until: str | None = None
    _edges: list[EdgeState] | None = field(default=None, repr=False)

    @property
    def edges(self) -> list[EdgeState]:
        """The edges in view, read once."""
        if self._edges is None:
            self._edges = self.view.read()
        return self._edges

    @property
    def nodes(self) -> list[Node]:
        """The nodes of the edges in view, by name."""
        ids = {x for s in self.edges for x in (s.edge.source, s.edge.target)} | set(self.focus)
        return sorted((self.network.nodes[i] for i in ids), key=lambda n: (n.name, n.id))

    @property
    def pairs(self) -> list[PairScore]:
        return pair_scores(self.view)


def _day(value: str | None, what: str) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        raise ConfigError(f"{what}: {value!r} is not a date (YYYY-MM-DD)") from None


def ask(store: Store, query: NetworkQuery, cache: NetworkCache | None = None) -> NetworkAnswer:
    """The network of the store as the query asks (built anew, or taken from a
    server's ``cache``); an actor the network does not know is a NotFoundError
    naming it."""
    as_of = _day(query.as_of, "as of")
    since = _day(query.since, "since")
    before = _day(query.changes_since, "changes since")
    if query.window is not None and query.window < 1:
        raise ConfigError(f"window: {query.window} days; it must be at least 1")
    if cache is None:
        network = load_network(store, by_state=query.by_state)
    else:
        network = cache.get(store, by_state=query.by_state)
    focus: list[str] = []
    if query.actor:
        focus = network.find(query.actor)
        if not focus:
            raise NotFoundError(f"no actor {query.actor!r} in the network of {store.name}")
    answer = NetworkAnswer(query, network, network.view(as_of, since, focus), focus=focus)
    if before is not None:
        days = [e.days[-1] for e in network.edges if e.days]
        answer.until = as_of or max(days, default=before)
        if answer.until < before:
            raise ConfigError(f"changes since {before}: that is after {answer.until}")
        answer.changes = changes(network, before, answer.until, query.window, focus)
    return answer
