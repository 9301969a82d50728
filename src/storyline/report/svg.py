"""Small SVG charts for the static report: drawn on the server, no JavaScript."""

from __future__ import annotations

from datetime import date

from markupsafe import Markup, escape

from storyline.model import Derivation, Event

WIDTH = 640
ROW = 18
# Cooperation in blue, conflict in red, the rest grey (PLOVER's split).
COLOURS = {
    **dict.fromkeys(
        ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"), "#2f6fb3"
    ),
    **dict.fromkeys(
        (
            "DISAPPROVE",
            "REJECT",
            "THREATEN",
            "PROTEST",
            "MOBILIZE",
            "SANCTION",
            "COERCE",
            "ASSAULT",
            "FIGHT",
        ),
        "#c0392b",
    ),
}


def timeline(events: list[Event], names: dict[str, str]) -> Markup:
    """Dated events on a time axis, one row each, coloured by kind."""
    dated = [(date.fromisoformat(e.date), e) for e in events if e.date and len(e.date) == 10]
    if not dated:
        return Markup("")
    first = min(d for d, _ in dated)
    last = max(d for d, _ in dated)
    span = max((last - first).days, 1)
    left, right = 90, WIDTH - 20
    height = ROW * len(dated) + 30
    parts = [
        f'<svg class="timeline" role="img" aria-label="Timeline" width="{WIDTH}" height="{height}"'
        f' viewBox="0 0 {WIDTH} {height}" xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="{left}" y1="{height - 20}" x2="{right}" y2="{height - 20}" stroke="#999"/>',
        f'<text x="{left}" y="{height - 5}" font-size="11">{first.isoformat()}</text>',
        f'<text x="{right}" y="{height - 5}" font-size="11" text-anchor="end">'
        f"{last.isoformat()}</text>",
    ]
    for row, (day, event) in enumerate(sorted(dated, key=lambda pair: pair[0])):
        x = left + (right - left) * (day - first).days / span
        y = 12 + row * ROW
        colour = COLOURS.get(event.type, "#777")
        who = names.get(event.actor or "", "")
        label = escape(f"{event.type} {who}".strip())
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y}" r="5" fill="{colour}"><title>{label}</title></circle>'
        )
        parts.append(f'<text x="4" y="{y + 4}" font-size="11">{escape(day.isoformat())}</text>')
        anchor = "end" if x > WIDTH / 2 else "start"
        offset = -9 if anchor == "end" else 9
        parts.append(
            f'<text x="{x + offset:.1f}" y="{y + 4}" font-size="11" text-anchor="{anchor}">'
            f"{label}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def lineage(docs: list[str], labels: dict[str, str], derivations: list[Derivation]) -> Markup:
    """Who copied whom, as an arc diagram: the story's documents top to bottom
    (in the order given), an arrow from each source to each document derived
    from it, labelled with the kind of derivation."""
    if not derivations:
        return Markup("")
    row = {doc: i for i, doc in enumerate(docs)}
    edges = [d for d in derivations if d.source_doc in row and d.derived_doc in row]
    text_width = 300
    height = ROW * len(docs) + 12
    parts = [
        f'<svg class="lineage" role="img" aria-label="Lineage" width="{WIDTH}" height="{height}"'
        f' viewBox="0 0 {WIDTH} {height}" xmlns="http://www.w3.org/2000/svg">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6"'
        ' markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#c0392b"/>'
        "</marker></defs>",
    ]
    for doc, i in row.items():
        y = 14 + i * ROW
        parts.append(
            f'<text x="{text_width}" y="{y}" font-size="11" text-anchor="end">'
            f"{escape(labels.get(doc, doc))}</text>"
        )
        parts.append(f'<circle cx="{text_width + 8}" cy="{y - 4}" r="3" fill="#1d2330"/>')
    for edge in edges:
        y1 = 10 + row[edge.source_doc] * ROW
        y2 = 10 + row[edge.derived_doc] * ROW
        bulge = text_width + 14 + 8 * abs(row[edge.derived_doc] - row[edge.source_doc]) + 16
        label = escape(f"{edge.kind} ({edge.score:.2f})")
        parts.append(
            f'<path d="M{text_width + 12},{y1} C{bulge},{y1} {bulge},{y2} {text_width + 12},{y2}"'
            f' fill="none" stroke="#c0392b" marker-end="url(#arrow)"><title>{label}</title></path>'
        )
        parts.append(
            f'<text x="{bulge + 4}" y="{(y1 + y2) / 2 + 4:.0f}" font-size="11">{label}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
