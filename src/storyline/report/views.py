"""What the report shows of each story, gathered from the store once."""

from __future__ import annotations

from dataclasses import dataclass, field

from storyline.model import Brief, Claim, Event, Quote, Story
from storyline.stages.quote_clusters import Variant, wording
from storyline.store import Store
from storyline.store.base import DocumentHeader

MATRIX_CLAIMS = 10


@dataclass(slots=True)
class QuoteView:
    speaker: str
    variants: list[tuple[list[str], Variant]]  # (outlets, wording)


@dataclass(slots=True)
class StoryView:
    story: Story
    brief: Brief | None
    claims: list[Claim]
    events: list[Event]
    quotes: list[QuoteView] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    # The sources matrix: each of the best-corroborated claims, and which
    # outlets (in ``outlets`` order) report it.
    matrix: list[tuple[Claim, list[bool]]] = field(default_factory=list)


def _outlet(header: DocumentHeader) -> str:
    return header.outlet or header.source


def story_views(store: Store, headers: dict[str, DocumentHeader]) -> dict[str, StoryView]:
    briefs = {b.story: b for b in store.iter_briefs()}
    names = {k: v[0] for k, v in store.entity_names().items()}
    events: dict[str, list[Event]] = {}
    for story_id, event in store.iter_events():
        events.setdefault(story_id, []).append(event)
    clusters: dict[str, list[Quote]] = {}
    for quote in store.iter_quotes():
        if quote.cluster:
            clusters.setdefault(quote.cluster, []).append(quote)
    views = {}
    for story in store.iter_stories():
        claims = store.claims_of(story.id)
        outlets = sorted({_outlet(headers[d]) for d in story.docs})
        matrix = [
            (c, [o in {_outlet(headers[s.doc]) for s in c.sources} for o in outlets])
            for c in claims[:MATRIX_CLAIMS]
        ]
        members = set(story.docs)
        quotes = [
            QuoteView(
                names.get(
                    next((q.speaker for q in said if q.speaker), "") or "", "unknown speaker"
                ),
                [(sorted({_outlet(headers[d]) for d in v.docs}), v) for v in wording(said)],
            )
            for said in clusters.values()
            if {q.doc for q in said} & members
        ]
        views[story.id] = StoryView(
            story, briefs.get(story.id), claims, events.get(story.id, []), quotes, outlets, matrix
        )
    return views
