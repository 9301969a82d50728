"""Rich renderings of storyline records for the command line."""

from __future__ import annotations

from rich.text import Text
from rich.tree import Tree

from storyline.model import Derivation, Document
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
