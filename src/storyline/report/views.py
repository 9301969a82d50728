"""What a page shows of one story, gathered from the store with targeted queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from storyline.model import Brief, Claim, Derivation, Event, Quote, Story
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
    headers: dict[str, DocumentHeader]
    names: dict[str, str]
    derivations: list[Derivation] = field(default_factory=list)
    quotes: list[QuoteView] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    # The sources matrix: each of the best-corroborated claims, and which
    # outlets (in ``outlets`` order) report it.
    matrix: list[tuple[Claim, list[bool]]] = field(default_factory=list)

    @property
    def labels(self) -> dict[str, str]:
        """Each document as its outlet (or site) and date, for charts."""
        return {
            doc: f"{h.label} · {h.published[:10]}" if h.published else h.label
            for doc, h in self.headers.items()
        }


def _outlet(header: DocumentHeader) -> str:
    return header.outlet or header.source


def story_view(store: Store, story: Story) -> StoryView:
    """The story with its brief, claims, events, quotes and lineage; its documents
    in publication order."""
    headers = store.document_headers(ids=story.docs)
    story.docs.sort(key=lambda d: (headers[d].published or "9999", d))
    claims = store.claims_of(story.id)
    events = [event for _, event in store.iter_events(story.id)]
    members = set(story.docs)
    derivations = [
        d
        for d in store.iter_derivations(story.docs)
        if d.source_doc in members and d.derived_doc in members
    ]
    clusters: dict[str, list[Quote]] = {}
    for quote in store.iter_quotes(docs=story.docs):
        if quote.cluster:
            clusters.setdefault(quote.cluster, []).append(quote)
    speakers = [q.speaker for said in clusters.values() for q in said if q.speaker]
    actors = [x for e in events for x in (e.actor, e.target, e.location) if x]
    names = store.names_of([*story.entities, *speakers, *actors])
    outlets = sorted({_outlet(headers[d]) for d in story.docs})
    matrix = [
        (c, [o in {_outlet(headers[s.doc]) for s in c.sources} for o in outlets])
        for c in claims[:MATRIX_CLAIMS]
    ]
    quotes = [
        QuoteView(
            names.get(next((q.speaker for q in said if q.speaker), "") or "", "unknown speaker"),
            [(sorted({_outlet(headers[d]) for d in v.docs}), v) for v in wording(said)],
        )
        for said in clusters.values()
    ]
    return StoryView(
        story,
        store.brief_of(story.id),
        claims,
        events,
        headers,
        names,
        derivations,
        quotes,
        outlets,
        matrix,
    )
