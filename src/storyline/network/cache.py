"""The networks of one store, kept between requests.

Building the network reads every merged event; a server answering many
requests over a store that changes only when articles are analysed keeps
what it built (by entity, and rolled up to states) with the store's
analysis stamp at the time, and builds again only once the stamp has moved.
"""

from __future__ import annotations

import threading

from storyline.network.graph import Network
from storyline.network.load import load_network
from storyline.store import Store


class NetworkCache:
    """One store's networks, by ``by_state``, each with the analysis stamp it was
    built at; ``builds`` counts the builds."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: dict[bool, tuple[str | None, Network]] = {}
        self.builds = 0

    def get(self, store: Store, *, by_state: bool = False) -> Network:
        """The network of the store as it is now: the one held, unless the store was
        analysed since it was built. The stamp is read before the build, so an
        analysis that lands during it shows at the next request."""
        stamp = store.analysis_stamp()
        with self._lock:
            held = self._held.get(by_state)
            if held is not None and held[0] == stamp:
                return held[1]
            network = load_network(store, by_state=by_state)
            _ = network.index  # the day index: built here once, not per view
            self._held[by_state] = (stamp, network)
            self.builds += 1
            return network
