"""The network as data: JSON (the export's ``network`` section), GraphML (for
Gephi, yEd, networkx) and Graphviz DOT.

Edges keep the contract's fields (``source``, ``target``, ``type``, ``score``,
``start``, ``end``, ``events``, ``independent_sources``) and add whether the
relation has a direction, whether its events only state intentions, its
documents, and each event with its day and action.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from storyline.network.graph import EdgeState, Node
from storyline.network.history import Change, PairScore
from storyline.network.query import NetworkAnswer

COOPERATION = "#2f6fb3"
CONFLICT = "#c0392b"


def colour(score: float) -> str:
    """Cooperation blue, conflict red (the report's timeline colours)."""
    return COOPERATION if score >= 0 else CONFLICT


def node_json(node: Node) -> dict[str, Any]:
    return {
        "id": node.id,
        "name": node.name,
        "type": node.type,
        "state": node.state,
        "role": node.role,
        "members": node.members,
    }


def edge_json(state: EdgeState) -> dict[str, Any]:
    edge = state.edge
    return {
        "source": edge.source,
        "target": edge.target,
        "type": edge.relation,
        "score": round(state.score, 2),
        "start": state.start,
        "end": state.end,
        "events": [link.event for link in state.links],
        "independent_sources": state.independent_sources,
        "directed": edge.directed,
        "intent": state.intent,
        "docs": state.docs,
        "links": [
            {
                "event": link.event,
                "story": link.story,
                "day": link.day,
                "plover": link.type,
                "action": link.action,
                "score": link.score,
                "intent": link.intent,
                "docs": list(link.docs),
            }
            for link in state.links
        ],
    }


def pair_json(pair: PairScore) -> dict[str, Any]:
    return {
        "actors": list(pair.actors),
        "period": pair.period,
        "score": pair.score,
        "events": pair.events,
    }


def change_json(change: Change) -> dict[str, Any]:
    edge = (change.after or change.before).edge  # type: ignore[union-attr]
    return {
        "status": change.status,
        "source": edge.source,
        "target": edge.target,
        "type": edge.relation,
        "before": edge_json(change.before) if change.before else None,
        "after": edge_json(change.after) if change.after else None,
        "added": [link.event for link in change.added],
        "dropped": [link.event for link in change.dropped],
    }


def network_json(answer: NetworkAnswer) -> dict[str, Any]:
    query = answer.query
    found: dict[str, Any] = {
        "as_of": query.as_of,
        "since": query.since,
        "by_state": query.by_state,
        "nodes": [node_json(n) for n in answer.nodes],
        "edges": [edge_json(s) for s in answer.edges],
        "pairs": [pair_json(p) for p in answer.pairs],
    }
    if query.changes_since:
        found["changes"] = {
            "since": query.changes_since,
            "until": answer.until,
            "window": query.window,
            "edges": [change_json(c) for c in answer.changes],
        }
    return found


def graphml(answer: NetworkAnswer) -> str:
    """Nodes with their name, type, state and role; one edge per relation between
    two nodes, with the edge's figures (lists joined by spaces)."""
    graph = nx.MultiDiGraph()
    for node in answer.nodes:
        graph.add_node(
            node.id,
            name=node.name,
            type=node.type,
            state=node.state or "",
            role=node.role or "",
            members=" ".join(node.members),
        )
    for state in answer.edges:
        edge = state.edge
        graph.add_edge(
            edge.source,
            edge.target,
            key=edge.relation,
            type=edge.relation,
            score=round(state.score, 2),
            start=state.start or "",
            end=state.end or "",
            events=" ".join(link.event for link in state.links),
            independent_sources=state.independent_sources,
            directed=edge.directed,
            intent=state.intent,
            docs=" ".join(state.docs),
        )
    return "\n".join(nx.generate_graphml(graph)) + "\n"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dot(answer: NetworkAnswer) -> str:
    """A Graphviz digraph: edges labelled with their relation and independent
    sources, coloured by cooperation or conflict; relations without a direction
    drawn without arrows."""
    lines = ["digraph network {", "  node [shape=box, fontname=sans];"]
    for node in answer.nodes:
        lines.append(f"  {_quoted(node.id)} [label={_quoted(node.name)}];")
    for state in answer.edges:
        edge = state.edge
        label = f"{edge.relation} ({state.independent_sources})"
        extra = "" if edge.directed else ", dir=none"
        lines.append(
            f"  {_quoted(edge.source)} -> {_quoted(edge.target)} "
            f"[label={_quoted(label)}, color={_quoted(colour(state.score))}{extra}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"
