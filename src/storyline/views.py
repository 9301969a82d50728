"""Rich renderings of storyline records for the command line."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from storyline.model import Derivation, Document
from storyline.network.graph import Link
from storyline.network.query import NetworkAnswer
from storyline.stages.quote_clusters import Variant


def marked(doc: Document) -> Text:
    """The raw text with each removed span struck through and labelled with its kind."""
    text, pos = Text(), 0
    for span in doc.removed:
        text.append(doc.raw_text[pos : span.start])
        body = span.text.rstrip()
        text.append(body, style="strike red")
        text.append(f" [{span.kind}]", style="bold yellow")
        text.append(span.text[len(body) :])
        pos = span.end
    text.append(doc.raw_text[pos:])
    return text


def describe(doc: Document) -> Text:
    when = f" · {doc.published[:10]}" if doc.published else ""
    return Text.assemble(
        (doc.title or doc.text[:60].strip() + "…", "bold"),
        f"  {doc.outlet or 'unknown outlet'}{when} · {doc.id}",
    )


def grow(
    tree: Tree,
    doc: str,
    graph: dict[str, list[Derivation]],
    meta: dict[str, Document],
    seen: set[str],
) -> None:
    for edge in graph.get(doc, []):
        if edge.derived_doc in seen:
            continue
        seen.add(edge.derived_doc)
        label = Text.assemble(
            (f"{edge.kind} {edge.score:.2f} ", "yellow"), describe(meta[edge.derived_doc])
        )
        attribution = edge.evidence.get("attribution")
        if attribution:
            label.append(f'  "{attribution["text"]}"', style="italic")
        grow(tree.add(label), edge.derived_doc, graph, meta, seen)


# Word-diff marks (as git's --word-diff prints them), readable without colour.
DIFF_MARKS = {"=": ("", "", ""), "+": ("{+", "+}", "bold green"), "-": ("[-", "-]", "red")}


def diffed(variant: Variant) -> Text:
    """A quote's wording against the cluster's first: {+added+} and [-missing-] words."""
    text = Text()
    for op, words in variant.diff:
        opening, closing, style = DIFF_MARKS[op]
        if text:
            text.append(" ")
        text.append(f"{opening}{words}{closing}", style=style)
    return text


def _actions(links: list[Link]) -> str:
    """What the events of an edge did, each once; intentions marked."""
    told = [f"{link.action} (intended)" if link.intent else link.action for link in links]
    return ", ".join(dict.fromkeys(told))


def _dates(start: str | None, end: str | None) -> str:
    if start is None:
        return "undated"
    return start if start == end or end is None else f"{start} to {end}"


def network_tables(answer: NetworkAnswer) -> list[Table | Text]:
    """The edges in view (and the changes, and each pair's score by month, when
    asked), and what each rolled-up node stands for."""
    query = answer.query
    names = {n.id: n.name for n in answer.network.nodes.values()}
    when = f" as of {query.as_of}" if query.as_of else ""
    when += f" since {query.since}" if query.since else ""
    title = f"Actor network{when}" + (" (states)" if query.by_state else "")
    edges = Table(
        "from", "relation", "to", "events", "independent sources", "dates", "score", "what",
        title=title, title_justify="left",
    )  # fmt: skip
    for state in answer.edges:
        edge = state.edge
        edges.add_row(
            names[edge.source],
            Text(edge.relation + (" →" if edge.directed else " ↔"), style=_style(state.score)),
            names[edge.target],
            str(state.count),
            str(state.independent_sources),
            _dates(state.start, state.end),
            f"{state.score:+.1f}",
            _actions(state.links),
        )
    found: list[Table | Text] = [edges]
    if query.changes_since:
        moved = Table(
            "change", "from", "relation", "to", "events that changed it",
            title=f"Changes from {query.changes_since} to {answer.until}", title_justify="left",
        )  # fmt: skip
        for change in answer.changes:
            edge = (change.after or change.before).edge  # type: ignore[union-attr]
            events = [*change.added, *change.dropped]
            moved.add_row(
                change.status,
                names[edge.source],
                edge.relation,
                names[edge.target],
                ", ".join(f"{link.action} ({link.day or 'undated'})" for link in events),
            )
        found.append(moved)
    rolled = [n for n in answer.nodes if len(n.members) > 1 or n.type == "group"]
    if rolled:
        found.append(Text("Rolled up to their state:", style="bold"))
        for node in rolled:
            members = ", ".join(sorted({answer.network.names.get(m, m) for m in node.members}))
            found.append(Text(f"  {node.name}: {members or node.name}"))
    return found


def pair_table(answer: NetworkAnswer) -> Table:
    """Each pair's mean cooperation (+) or conflict (-) score by month."""
    names = {n.id: n.name for n in answer.network.nodes.values()}
    table = Table("pair", "month", "score", "events", title="Cooperation–conflict by pair")
    for pair in answer.pairs:
        a, b = (names[x] for x in pair.actors)
        score = Text(f"{pair.score:+.1f}", style=_style(pair.score))
        table.add_row(f"{a} – {b}", pair.period, score, str(pair.events))
    return table


def _style(score: float) -> str:
    return "blue" if score >= 0 else "red"
