"""The report folder: ``index.html`` to read, ``brief.md`` to share, one
``stories/<story id>.md`` per story (its brief, as ``storyline brief`` prints
it), and the JSON export.

Templates are Jinja2 with autoescaping on, so article text can never inject
markup into the page.
"""

from __future__ import annotations

import json
from pathlib import Path

from storyline.export import brief_json, claim_json, story_json, write_json
from storyline.model import Citation
from storyline.report.network import network_panel
from storyline.report.templating import environment
from storyline.report.views import story_view
from storyline.store import Store

TOP_ENTITIES = 30

_env = environment()


def _doc_anchor(doc_id: str, citation: Citation | None = None) -> str:
    return f"#doc-{doc_id}"


def _no_link(_id: str) -> None:
    return None


def _story_markdown(story_id: str) -> str:
    return f"stories/{story_id}.md"


# In the report folder every document is on the one page; entities have no page.
_LINKS = {"doc_href": _doc_anchor, "entity_href": _no_link, "story_href": _no_link}


def write_report(store: Store, out_dir: Path) -> Path:
    """Write the report folder and return the path of its ``index.html``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stories = {s.id: s for s in store.iter_stories()}
    views = {sid: story_view(store, story) for sid, story in stories.items()}
    storylines = [
        (line, [stories[sid] for sid in line.stories if sid in stories])
        for line, _ in store.iter_storylines()
    ]
    storylines.sort(key=lambda item: item[1][0].start or "" if item[1] else "")
    context = {
        "summary": store.stats(),
        "entities": store.entity_document_counts(TOP_ENTITIES),
        "storylines": storylines,
        "views": views,
        "markdown_href": _story_markdown,
        "panel": network_panel(store),
        **_LINKS,
    }
    (out_dir / "stories").mkdir(exist_ok=True)
    for sid, view in views.items():
        _env.get_template("story.md.j2").stream(story=view.story, views=views, **_LINKS).dump(
            str(out_dir / _story_markdown(sid)), encoding="utf-8"
        )
    index = out_dir / "index.html"
    _env.get_template("index.html.j2").stream(documents=store.iter_documents(), **context).dump(
        str(index), encoding="utf-8"
    )
    _env.get_template("brief.md.j2").stream(documents=store.iter_documents(), **context).dump(
        str(out_dir / "brief.md"), encoding="utf-8"
    )
    with (out_dir / "storyline.json").open("w", encoding="utf-8") as fh:
        write_json(store, fh)
    return index


def render_story(store: Store, story_id: str, fmt: str) -> str:
    """One story's brief as Markdown, a standalone HTML page, or JSON."""
    view = story_view(store, store.get_story(story_id))
    if fmt == "json":
        claims = [claim_json(c, story_id) for c in view.claims]
        brief = brief_json(view.brief) if view.brief else None
        return json.dumps(
            {"story": story_json(view.story), "brief": brief, "claims": claims},
            ensure_ascii=False,
            indent=2,
        )
    template = "story.md.j2" if fmt == "md" else "story.html.j2"
    return _env.get_template(template).render(story=view.story, views={story_id: view}, **_LINKS)
