"""The Jinja2 environment shared by the report folder and the web pages.

HTML templates (``*.html.j2``) are autoescaped, so article text can never
inject markup; Markdown templates are written as text.
"""

from __future__ import annotations

from jinja2 import ChoiceLoader, Environment, PackageLoader
from markupsafe import Markup, escape

from storyline import __version__
from storyline.model import Document
from storyline.report import svg, svg_network
from storyline.stages.actors import note


def plural(count: int, noun: str) -> str:
    if count == 1:
        return f"{count} {noun}"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return f"{count} {noun[:-1]}ies"
    return f"{count} {noun}s"


def highlight(doc: Document) -> Markup:
    """The document text, escaped, with entity mentions marked up by type."""
    parts: list[str] = []
    pos = 0
    for m in doc.mentions:
        if m.start < pos:
            continue
        parts.append(escape(doc.text[pos : m.start]))
        parts.append(
            Markup('<mark class="ent {}" title="{}">{}</mark>').format(
                m.label.lower(), m.label, doc.text[m.start : m.end]
            )
        )
        pos = m.end
    parts.append(escape(doc.text[pos:]))
    return Markup("").join(parts)


def environment(*template_dirs: str) -> Environment:
    """Templates from these package folders first, then the report's own."""
    loaders = [PackageLoader("storyline", d) for d in (*template_dirs, "report/templates")]
    env = Environment(
        loader=ChoiceLoader(list(loaders)),
        autoescape=lambda name: bool(name and name.endswith(".html.j2")),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["plural"] = plural
    env.globals.update(
        version=__version__,
        highlight=highlight,
        timeline_svg=svg.timeline,
        lineage_svg=svg.lineage,
        network_svg=svg_network.network,
        edge_href=lambda i: f"#edge-{i}",
        party_note=note,
    )
    return env
