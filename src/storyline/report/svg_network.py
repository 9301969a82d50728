"""The actor network as an SVG drawing, laid out on the server (no JavaScript).

Nodes are placed by a force-directed layout (networkx's spring layout, seeded,
so the same network is drawn the same way every time); each edge is a line
coloured by cooperation (blue) or conflict (red), as thick as its independent
sources, with an arrow when the relation has a direction, and is a link to its
row in the table of edges, where its events and their documents are listed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import networkx as nx
from markupsafe import Markup, escape

from storyline.network.formats import colour
from storyline.network.graph import EdgeState, Node

WIDTH = 760
HEIGHT = 520
MARGIN = 70


def layout(nodes: Sequence[Node], edges: Sequence[EdgeState]) -> dict[str, tuple[float, float]]:
    """Node id -> (x, y) in the drawing, pairs with more events drawn closer."""
    graph = nx.Graph()
    graph.add_nodes_from(sorted(n.id for n in nodes))
    for state in edges:
        a, b = state.edge.source, state.edge.target
        weight = graph.get_edge_data(a, b, {"weight": 0})["weight"] + state.count
        graph.add_edge(a, b, weight=weight)
    if len(graph) == 1:
        return {next(iter(graph)): (WIDTH / 2, HEIGHT / 2)}
    placed = nx.spring_layout(graph, seed=7, weight="weight", k=1.6 / math.sqrt(len(graph)))
    xs = [float(p[0]) for p in placed.values()]
    ys = [float(p[1]) for p in placed.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    return {
        node: (
            MARGIN + (float(p[0]) - min(xs)) / span_x * (WIDTH - 2 * MARGIN),
            MARGIN / 2 + (float(p[1]) - min(ys)) / span_y * (HEIGHT - MARGIN),
        )
        for node, p in placed.items()
    }


def _curve(a: tuple[float, float], b: tuple[float, float], bend: float) -> str:
    """A quadratic curve from a to b bent sideways by ``bend`` pixels, ending short of
    b's circle so that the arrow shows."""
    (x1, y1), (x2, y2) = a, b
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1.0
    x2, y2 = x2 - dx / length * 9, y2 - dy / length * 9
    cx, cy = (x1 + x2) / 2 - dy / length * bend, (y1 + y2) / 2 + dx / length * bend
    return f"M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}"


def network(
    nodes: Sequence[Node], edges: Sequence[EdgeState], href: Callable[[int], str]
) -> Markup:
    """The drawing; ``href(i)`` is where the i-th edge links to."""
    if not edges:
        return Markup("")
    places = layout(nodes, edges)
    parts = [
        f'<svg class="network" role="img" aria-label="Actor network" width="{WIDTH}" '
        f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" xmlns="http://www.w3.org/2000/svg">',
        "<defs>",
        *(
            f'<marker id="arrow-{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9"'
            f' markerHeight="9" markerUnits="userSpaceOnUse" orient="auto">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{fill}"/></marker>'
            for name, fill in (("coop", colour(1)), ("conflict", colour(-1)))
        ),
        "</defs>",
    ]
    drawn: dict[frozenset[str], int] = {}
    for i, state in enumerate(edges):
        edge = state.edge
        pair = frozenset((edge.source, edge.target))
        nth = drawn.get(pair, 0)
        drawn[pair] = nth + 1
        bend = (nth + 1) // 2 * 22 * (1 if nth % 2 else -1) if nth else 0
        kind = "coop" if state.score >= 0 else "conflict"
        marker = f' marker-end="url(#arrow-{kind})"' if edge.directed else ""
        width = 1.2 + math.log2(1 + state.independent_sources)
        title = escape(
            f"{edge.relation}: {state.count} event(s), "
            f"{state.independent_sources} independent source(s), score {state.score:+.1f}"
        )
        parts.append(
            f'<a href="{escape(href(i))}"><path class="edge {kind}" '
            f'd="{_curve(places[edge.source], places[edge.target], bend)}" fill="none" '
            f'stroke="{colour(state.score)}" stroke-width="{width:.1f}" stroke-opacity="0.8"'
            f"{marker}><title>{title}</title></path></a>"
        )
    for node in nodes:
        x, y = places[node.id]
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="7" fill="#1d2330">'
            f"<title>{escape(node.name)}</title></circle>"
            f'<text x="{x:.1f}" y="{y - 11:.1f}" font-size="12" text-anchor="middle">'
            f"{escape(node.name)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
