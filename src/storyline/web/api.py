"""The JSON API under ``/api/v1``: the record types of ``storyline.model``, paged.

Lists take ``limit`` (at most 100) and ``offset`` and answer with a page:
``items``, ``total`` (how many match in all), ``limit``, ``offset``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from storyline.errors import InputError, Problem
from storyline.executors.local import analyze
from storyline.model import (
    Brief,
    Claim,
    Derivation,
    DerivationKind,
    Document,
    Entity,
    Event,
    Quote,
    Story,
    Storyline,
)
from storyline.network.formats import network_json
from storyline.network.query import NetworkQuery, ask
from storyline.stages.ingest.jsonl import record_documents
from storyline.store import SearchHit, Store
from storyline.store.queries import Page, StoryFilter
from storyline.web.state import ServerState, no_nul, server, store, writer

router = APIRouter(prefix="/api/v1", tags=["api"], dependencies=[Depends(no_nul)])

StoreDep = Annotated[Store, Depends(store)]
Limit = Annotated[int, Query(ge=1, le=100, description="Records per page.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Records to skip.")]
Text = Annotated[str | None, Query(max_length=200)]
Since = Annotated[date | None, Query(description="On or after this date.")]
Until = Annotated[date | None, Query(description="On or before this date.")]
# The parse of a document lives only while it streams through the stages.
NO_PARSE: Any = {"parse"}
NO_PARSES: Any = {"items": {"__all__": {"parse"}}}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


@router.get("/documents", response_model=Page[Document], response_model_exclude=NO_PARSES)
def list_documents(
    db: StoreDep,
    outlet: Text = None,
    story: Text = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[Document]:
    """Documents in ingest order, with their annotations."""
    return db.document_page(outlet=outlet, story=story, limit=limit, offset=offset)


@router.get("/documents/{doc_id}", response_model=Document, response_model_exclude=NO_PARSE)
def get_document(db: StoreDep, doc_id: str) -> Document:
    return db.get_document(doc_id)


class ArticleIn(BaseModel):
    """One article: ``text`` or ``html`` (the page's main text is extracted),
    with optional metadata; ``published`` in ISO 8601 or any date dateparser reads."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = None
    html: str | None = None
    url: str | None = Field(None, max_length=2000)
    title: str | None = Field(None, max_length=1000)
    outlet: str | None = Field(None, max_length=200)
    published: str | None = Field(None, max_length=100)
    language: str | None = Field(None, max_length=20)


class Ingested(BaseModel):
    document: str = Field(description="The document's id.")
    added: bool = Field(description="False when the same text was already stored.")
    story: Story | None = Field(description="The story the document belongs to.")
    warnings: list[str] = Field(default_factory=list)


@router.post(
    "/documents",
    response_model=Ingested,
    status_code=201,
    responses={
        200: {"model": Ingested, "description": "The text was already stored."},
        401: {"description": "A token is set and the request did not give it."},
        403: {"description": "The server is read-only."},
        413: {"description": "The body is over the size limit."},
        422: {"description": "The body is not an article."},
    },
)
def post_document(
    article: ArticleIn, response: Response, state: Annotated[ServerState, Depends(writer)]
) -> Ingested:
    """Ingest one article and run the analysis incrementally; answers with its story."""
    items = list(record_documents(article.model_dump(), "request body", "api", state.settings))
    warnings = [p.message for p in items if isinstance(p, Problem)]
    docs = [d for d in items if isinstance(d, Document)]
    if not docs:
        raise InputError("request body", "; ".join(warnings) or "no article")
    [doc] = docs
    with state.write_lock:
        added = state.store.add_documents([doc])
        analyze(state.store, state.settings)
    story_id = state.store.stories_of([doc.id]).get(doc.id)
    story = state.store.get_story(story_id) if story_id else None
    if not added.added:
        response.status_code = 200
    return Ingested(document=doc.id, added=bool(added.added), story=story, warnings=warnings)


@router.get("/stories", response_model=Page[Story])
def list_stories(
    db: StoreDep,
    since: Since = None,
    until: Until = None,
    entity: Annotated[str | None, Query(max_length=200, description="An entity id.")] = None,
    outlet: Text = None,
    q: Annotated[str | None, Query(max_length=200, description="Full-text search.")] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[Story]:
    """Stories, the most recent first."""
    docs = [hit.doc for hit in db.search(q, limit=1000)] if q else None
    where = StoryFilter(_iso(since), _iso(until), entity, outlet, docs)
    return db.story_page(where, limit, offset)


@router.get("/stories/{story_id}", response_model=Story)
def get_story(db: StoreDep, story_id: str) -> Story:
    return db.get_story(story_id)


@router.get("/stories/{story_id}/brief", response_model=Brief)
def get_brief(db: StoreDep, story_id: str) -> Brief:
    """The story's cited brief (and, for a follow-up, what is new since the previous story)."""
    db.get_story(story_id)
    brief = db.brief_of(story_id)
    return brief if brief is not None else Brief(story_id, [])


@router.get("/storylines", response_model=Page[Storyline])
def list_storylines(db: StoreDep, limit: Limit = 20, offset: Offset = 0) -> Page[Storyline]:
    return db.storyline_page(limit, offset)


@router.get("/storylines/{line_id}", response_model=Storyline)
def get_storyline(db: StoreDep, line_id: str) -> Storyline:
    return db.get_storyline(line_id)[0]


@router.get("/entities", response_model=Page[Entity])
def list_entities(
    db: StoreDep,
    type: Text = None,
    name: Annotated[str | None, Query(max_length=200, description="Part of a name.")] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[Entity]:
    """Entities (mentions left out) by the number of documents naming them."""
    return db.entity_page(type, name, limit, offset)


@router.get("/entities/{entity_id}", response_model=Entity)
def get_entity(db: StoreDep, entity_id: str) -> Entity:
    """The entity with all its mentions."""
    return db.get_entity(entity_id)


@router.get("/quotes", response_model=Page[Quote])
def list_quotes(
    db: StoreDep,
    doc: Text = None,
    speaker: Annotated[str | None, Query(max_length=200, description="An entity id.")] = None,
    cluster: Text = None,
    story: Text = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[Quote]:
    return db.quote_page(
        doc=doc, speaker=speaker, cluster=cluster, story=story, limit=limit, offset=offset
    )


@router.get("/events", response_model=Page[Event])
def list_events(
    db: StoreDep,
    story: Text = None,
    type: Text = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[Event]:
    """Events by date (undated last)."""
    return db.event_page(
        story=story,
        type_=type,
        since=_iso(since),
        until=_iso(until),
        limit=limit,
        offset=offset,
    )


@router.get("/claims", response_model=Page[Claim])
def list_claims(
    db: StoreDep, story: Text = None, limit: Limit = 20, offset: Offset = 0
) -> Page[Claim]:
    """Claims, the best corroborated first, with their sources and discrepancies."""
    return db.claim_page(story, limit, offset)


@router.get("/derivations", response_model=Page[Derivation])
def list_derivations(
    db: StoreDep,
    doc: Annotated[str | None, Query(max_length=200, description="Either end.")] = None,
    kind: DerivationKind | None = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[Derivation]:
    """Who copied whom: each derived document and its source, with the evidence."""
    return db.derivation_page(doc, kind, limit, offset)


@router.get("/network")
def get_network(
    state: Annotated[ServerState, Depends(server)],
    as_of: Annotated[date | None, Query(description="Events up to this day.")] = None,
    since: Since = None,
    actor: Annotated[str | None, Query(max_length=200, description="A name or alias.")] = None,
    by_state: Annotated[
        bool, Query(description="Leaders, ministries and capitals shown as their state.")
    ] = False,
) -> dict[str, Any]:
    """The actor network: nodes, edges (relation, score, dates, events, independent
    sources) and each pair's cooperation-conflict score by month."""
    query = NetworkQuery(_iso(as_of), _iso(since), actor, by_state)
    return network_json(ask(state.store, query, state.networks))


@router.get("/search", response_model=list[SearchHit])
def search(
    db: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    limit: Limit = 20,
) -> list[SearchHit]:
    """Documents matching all words (or quoted phrases), best first; matched words
    are marked «like this» in the snippet."""
    return db.search(q, limit)
