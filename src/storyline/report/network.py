"""What the report and the web page show of the actor network: its best-attested
edges (drawn and listed, each event with the documents that tell it) and the
nodes they join."""

from __future__ import annotations

from dataclasses import dataclass

from storyline.network.cache import NetworkCache
from storyline.network.graph import EdgeState, Node
from storyline.network.query import NetworkAnswer, NetworkQuery, ask
from storyline.store import Store
from storyline.store.base import DocumentHeader

# More edges than this make a drawing nobody can read: the best-attested are shown.
LIMIT = 60


@dataclass(slots=True)
class NetworkPanel:
    answer: NetworkAnswer
    edges: list[EdgeState]
    nodes: list[Node]
    names: dict[str, str]
    headers: dict[str, DocumentHeader]
    hidden: int

    @property
    def rolled(self) -> list[tuple[Node, list[str]]]:
        """Each node that stands for several entities, and their names."""
        names = self.answer.network.names
        return [
            (node, sorted({names.get(m, m) for m in node.members}))
            for node in self.nodes
            if len(node.members) > 1
        ]


def network_panel(
    store: Store,
    query: NetworkQuery | None = None,
    limit: int = LIMIT,
    cache: NetworkCache | None = None,
) -> NetworkPanel:
    answer = ask(store, query or NetworkQuery(), cache)
    ranked = sorted(
        answer.edges, key=lambda s: (-s.independent_sources, -s.count, s.start or "9999")
    )
    shown = sorted(ranked[:limit], key=lambda s: (s.start or "9999", s.end or "9999"))
    ids = {x for s in shown for x in (s.edge.source, s.edge.target)}
    nodes = sorted((answer.network.nodes[i] for i in ids), key=lambda n: (n.name, n.id))
    docs = sorted({doc for s in shown for doc in s.docs})
    return NetworkPanel(
        answer,
        shown,
        nodes,
        {n.id: n.name for n in answer.network.nodes.values()},
        store.document_headers(ids=docs),
        len(ranked) - len(shown),
    )
