"""The report folder: ``index.html`` to read, ``brief.md`` to share, and the JSON export.

Templates are Jinja2 with autoescaping on, so article text can never inject
markup into the page.
"""

from __future__ import annotations

import json
from pathlib import Path

from jinja2 import Environment, PackageLoader
from markupsafe import Markup, escape

from storyline import __version__
from storyline.errors import NotFoundError
from storyline.export import brief_json, claim_json, story_json, write_json
from storyline.model import Document
from storyline.report import svg
from storyline.report.views import story_views
from storyline.store import Store

TOP_ENTITIES = 30

_env = Environment(
    loader=PackageLoader("storyline", "report/templates"),
    # HTML is escaped; Markdown is written as text.
    autoescape=lambda name: bool(name and name.endswith(".html.j2")),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def plural(count: int, noun: str) -> str:
    if count == 1:
        return f"{count} {noun}"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return f"{count} {noun[:-1]}ies"
    return f"{count} {noun}s"


_env.filters["plural"] = plural


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


def write_report(store: Store, out_dir: Path) -> Path:
    """Write the report folder and return the path of its ``index.html``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = store.stats()
    top = store.entity_document_counts(TOP_ENTITIES)
    headers = store.document_headers()
    stories = {s.id: s for s in store.iter_stories()}
    for story in stories.values():
        story.docs.sort(key=lambda d: (headers[d].published or "9999", d))
    storylines = [
        (line, [stories[sid] for sid in line.stories if sid in stories])
        for line, _ in store.iter_storylines()
    ]
    storylines.sort(key=lambda item: item[1][0].start or "" if item[1] else "")
    names = {k: v[0] for k, v in store.entity_names().items()}
    context = {
        "summary": summary,
        "entities": top,
        "storylines": storylines,
        "headers": headers,
        "views": story_views(store, headers),
        "names": names,
        "version": __version__,
    }
    index = out_dir / "index.html"
    _env.get_template("index.html.j2").stream(
        documents=store.iter_documents(), highlight=highlight, timeline_svg=svg.timeline, **context
    ).dump(str(index), encoding="utf-8")
    _env.get_template("brief.md.j2").stream(documents=store.iter_documents(), **context).dump(
        str(out_dir / "brief.md"), encoding="utf-8"
    )
    with (out_dir / "storyline.json").open("w", encoding="utf-8") as fh:
        write_json(store, fh)
    return index


def render_story(store: Store, story_id: str, fmt: str) -> str:
    """One story's brief as Markdown, a standalone HTML page, or JSON."""
    headers = store.document_headers()
    views = story_views(store, headers)
    if story_id not in views:
        raise NotFoundError(f"no story {story_id!r} in {store.name}")
    view = views[story_id]
    if fmt == "json":
        claims = [claim_json(c, story_id) for c in view.claims]
        brief = brief_json(view.brief) if view.brief else None
        return json.dumps(
            {"story": story_json(view.story), "brief": brief, "claims": claims},
            ensure_ascii=False,
            indent=2,
        )
    names = {k: v[0] for k, v in store.entity_names().items()}
    template = "story.md.j2" if fmt == "md" else "story.html.j2"
    return _env.get_template(template).render(
        story=view.story,
        views=views,
        headers=headers,
        names=names,
        timeline_svg=svg.timeline,
        version=__version__,
    )
