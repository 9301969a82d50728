"""The HTML pages: server-rendered, autoescaped, no JavaScript build step."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

from storyline.model import Citation
from storyline.network.query import NetworkQuery
from storyline.report.network import network_panel
from storyline.report.templating import environment
from storyline.report.views import story_view
from storyline.store import Store
from storyline.store.queries import StoryFilter
from storyline.web.marking import render, spans_of
from storyline.web.state import ServerState, no_nul, server, store

router = APIRouter(include_in_schema=False, dependencies=[Depends(no_nul)])
PAGE = 25

StoreDep = Annotated[Store, Depends(store)]
Text = Annotated[str | None, Query(max_length=200)]


def doc_href(doc_id: str, citation: Citation | None = None) -> str:
    """A document's page; from a citation, opened at the cited passage."""
    if citation is None:
        return f"/documents/{doc_id}"
    return f"/documents/{doc_id}?start={citation.start}&end={citation.end}#cited"


def marked(snippet: str) -> Markup:
    """A search snippet, escaped, with the matched words (between « ») in bold."""
    return Markup(re.sub(r"«([^«»]*)»", r"<b>\1</b>", str(escape(snippet))))


_env = environment("web/templates")
_env.filters["marked"] = marked
_env.globals.update(
    doc_href=doc_href,
    entity_href=lambda entity_id: f"/entities/{entity_id}",
    story_href=lambda story_id: f"/stories/{story_id}",
)


def _html(template: str, **context: Any) -> HTMLResponse:
    return HTMLResponse(_env.get_template(template).render(**context))


def error_page(status: int, message: str) -> str:
    return _env.get_template("error.html.j2").render(status=status, message=message)


@router.get("/", response_class=HTMLResponse)
def stories_page(
    request: Request,
    db: StoreDep,
    q: Text = None,
    entity: Text = None,
    outlet: Text = None,
    since: date | None = None,
    until: date | None = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """The stories, newest first, filtered by words, entity, outlet and dates."""
    entity_id = None
    if entity:
        found = db.entity_page(name=entity, limit=1).items
        entity_id = found[0].id if found else "-"
    docs = [hit.doc for hit in db.search(q, limit=1000)] if q else None
    where = StoryFilter(
        since.isoformat() if since else None,
        until.isoformat() if until else None,
        entity_id,
        outlet or None,
        docs,
    )
    stories = db.story_page(where, PAGE, (page - 1) * PAGE)
    headers = db.document_headers(ids=[d for s in stories.items for d in s.docs])
    outlets = {
        s.id: sorted({headers[d].label for d in s.docs if d in headers}) for s in stories.items
    }
    params = {k: v for k, v in request.query_params.items() if k != "page" and v}
    return _html(
        "stories.html.j2",
        stories=stories,
        outlets=outlets,
        all_outlets=db.outlets(),
        summary=db.stats(),
        filters={"q": q, "entity": entity, "outlet": outlet, "since": since, "until": until},
        page=page,
        more=stories.offset + len(stories.items) < stories.total,
        link=lambda n: "/?" + urlencode({**params, "page": n}),
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(db: StoreDep, story_id: str) -> HTMLResponse:
    story = db.get_story(story_id)
    line = db.get_storyline(story.storyline)[0] if story.storyline else None
    return _html(
        "story_page.html.j2", story=story, views={story.id: story_view(db, story)}, storyline=line
    )


@router.get("/storylines/{line_id}", response_class=HTMLResponse)
def storyline_page(db: StoreDep, line_id: str) -> HTMLResponse:
    """The storyline's stories in order, and what is new at each step."""
    line, links = db.get_storyline(line_id)
    stories = sorted(
        (db.get_story(s) for s in line.stories), key=lambda s: (s.start or "9999", s.id)
    )
    briefs = {s.id: db.brief_of(s.id) for s in stories}
    return _html("storyline.html.j2", line=line, links=links, stories=stories, briefs=briefs)


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(
    db: StoreDep,
    doc_id: str,
    start: Annotated[int | None, Query(ge=0)] = None,
    end: Annotated[int | None, Query(ge=0)] = None,
) -> HTMLResponse:
    """The cleaned text with entities and quotes marked (and the cited passage,
    when a citation led here), the removed junk and the metadata with evidence."""
    doc = db.get_document(doc_id)
    cited = (start, end) if start is not None and end is not None and start < end else None
    story_id = db.stories_of([doc.id]).get(doc.id)
    derivations = db.derivation_page(doc=doc.id, limit=100).items
    others = {x for d in derivations for x in (d.source_doc, d.derived_doc)} - {doc.id}
    return _html(
        "document.html.j2",
        doc=doc,
        text=render(doc.text, spans_of(doc, cited)),
        story=db.get_story(story_id) if story_id else None,
        derivations=derivations,
        headers=db.document_headers(ids=sorted(others)),
        names=db.names_of([q.speaker for q in doc.quotes if q.speaker]),
    )


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(db: StoreDep, entity_id: str) -> HTMLResponse:
    """The entity's stories and the quotes it said."""
    entity = db.get_entity(entity_id)
    stories = db.story_page(StoryFilter(entity=entity.id), limit=100)
    quotes = db.quote_page(speaker=entity.id, limit=100)
    headers = db.document_headers(ids=sorted({q.doc for q in quotes.items}))
    return _html(
        "entity.html.j2",
        entity=entity,
        docs=len({m.doc for m in entity.mentions}),
        stories=stories,
        quotes=quotes,
        headers=headers,
    )


@router.get("/network", response_class=HTMLResponse)
def network_page(
    state: Annotated[ServerState, Depends(server)],
    as_of: date | None = None,
    since: date | None = None,
    actor: Text = None,
    by_state: bool = False,
) -> HTMLResponse:
    """The actor network drawn, and its edges with their events and sources."""
    query = NetworkQuery(
        as_of.isoformat() if as_of else None,
        since.isoformat() if since else None,
        actor or None,
        by_state,
    )
    filters = {"as_of": as_of, "since": since, "actor": actor, "by_state": by_state}
    panel = network_panel(state.store, query, cache=state.networks)
    return _html("network.html.j2", panel=panel, filters=filters)


@router.get("/search", response_class=HTMLResponse)
def search_page(db: StoreDep, q: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
    """Entities whose name matches, and documents matching all the words."""
    hits = db.search(q, limit=50) if q.strip() else []
    entities = db.entity_page(name=q.strip(), limit=10).items if q.strip() else []
    stories = db.stories_of([h.doc for h in hits])
    return _html("search.html.j2", q=q, hits=hits, entities=entities, stories=stories)
