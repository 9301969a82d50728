"""The actor network of a store, derived when asked from its merged events.

Nothing is stored: the network is a view of the events, read with the store's
lean read of the columns it needs (``iter_event_rows``); building it for
100,000 events takes a few seconds (``bench/network.py``).
"""

from __future__ import annotations

from storyline.network.build import build
from storyline.network.graph import Network, bulk
from storyline.stages.derivation import independent_sources
from storyline.store import Store


def load_network(store: Store, *, by_state: bool = False) -> Network:
    """The network of every merged event in the store; documents count as the
    originals they derive from (``independent_sources``). The cycle collector
    waits until it is built: reading and building make many small records, none
    in a cycle."""
    with bulk():
        events = list(store.iter_event_rows())
        docs = sorted({doc for event in events for doc in event.docs})
        parties = {x for event in events for x in (event.actor, event.target) if x}
        return build(
            events,
            store.entity_records(parties),
            store.published_of(docs),
            independent_sources(docs, store.iter_derivations()),
            by_state=by_state,
        )
