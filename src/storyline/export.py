"""The JSON export (schema ``storyline/v1``), written as a stream.

The shape is a public contract (documented in the README and validated by
``schema/storyline-v1.schema.json``): fields may be added, never renamed or
removed without a new schema version. Records not computed by the stages
that ran are empty lists, never invented.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from storyline.model import (
    Brief,
    BriefSentence,
    Claim,
    Derivation,
    Document,
    Entity,
    Event,
    Quote,
    Story,
)
from storyline.network.formats import network_json
from storyline.network.query import NetworkQuery, ask
from storyline.stages.quote_clusters import wording
from storyline.store import Store

SCHEMA = "storyline/v1"

# Top-level record lists in contract order; later stages fill more of them.
RECORD_KEYS = (
    "documents",
    "entities",
    "quotes",
    "derivations",
    "stories",
    "storylines",
    "events",
    "claims",
    "briefs",
)


def document_json(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "source": doc.source,
        "outlet": doc.outlet,
        "title": doc.title,
        "published": doc.published,
        "published_evidence": doc.published_evidence,
        "language": doc.language,
        "text": doc.text,
        "removed": [
            {"start": r.start, "end": r.end, "kind": r.kind, "text": r.text} for r in doc.removed
        ],
        "byline": doc.byline,
        "machine_generated": doc.machine_generated,
        "contributors": doc.contributors,
        "evidence": doc.evidence,
        "sentences": [{"start": s.start, "end": s.end} for s in doc.sentences],
        "times": [
            {
                "start": t.start,
                "end": t.end,
                "text": t.text,
                "value": t.value,
                "granularity": t.granularity,
                "confidence": t.confidence,
            }
            for t in doc.times
        ],
        "other_sources": [
            {"source": s.source, "outlet": s.outlet, "published": s.published}
            for s in doc.other_sources
        ],
    }


def entity_json(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "aliases": entity.aliases,
        "mentions": [
            {"doc": m.doc, "start": m.start, "end": m.end, "text": m.text} for m in entity.mentions
        ],
    }


def derivation_json(d: Derivation) -> dict[str, Any]:
    return {
        "source_doc": d.source_doc,
        "derived_doc": d.derived_doc,
        "kind": d.kind,
        "score": d.score,
        "evidence": d.evidence,
    }


def quote_json(q: Quote) -> dict[str, Any]:
    return {
        "id": q.id,
        "doc": q.doc,
        "text": q.text,
        "start": q.start,
        "end": q.end,
        "kind": q.kind,
        "speaker": q.speaker,
        "speaker_text": q.speaker_text,
        "cue": q.cue,
        "cluster": q.cluster,
    }


def event_json(event: Event, story: str) -> dict[str, Any]:
    return {
        "id": event.id,
        "type": event.type,
        "actor": event.actor,
        "target": event.target,
        "action": event.action,
        "date": event.date,
        "date_granularity": event.date_granularity,
        "location": event.location,
        "sources": [{"doc": s.doc, "sentence": s.sentence} for s in event.sources],
        "story": story,
        "actor_state": event.actor_state,
        "actor_role": event.actor_role,
        "target_state": event.target_state,
        "target_role": event.target_role,
    }


def claim_json(claim: Claim, story: str) -> dict[str, Any]:
    return {
        "id": claim.id,
        "text": claim.text,
        "sources": [{"doc": s.doc, "sentence": s.sentence} for s in claim.sources],
        "independent_sources": claim.independent_sources,
        "discrepancies": claim.discrepancies,
        "story": story,
    }


def _brief_sentences(sentences: list[BriefSentence]) -> list[dict[str, Any]]:
    return [
        {
            "text": s.text,
            "citations": [{"doc": c.doc, "start": c.start, "end": c.end} for c in s.citations],
        }
        for s in sentences
    ]


def brief_json(brief: Brief) -> dict[str, Any]:
    return {
        "story": brief.story,
        "sentences": _brief_sentences(brief.sentences),
        "new_since": brief.new_since,
        "new": _brief_sentences(brief.new),
    }


def story_json(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "label": story.label,
        "docs": story.docs,
        "entities": story.entities,
        "start": story.start,
        "end": story.end,
        "storyline": story.storyline,
    }


def quote_cluster_records(store: Store) -> Iterable[dict[str, Any]]:
    """Each cluster with its quotes and its wording variants as word diffs."""
    clusters: dict[str, list[Quote]] = {}
    for quote in store.iter_quotes():
        if quote.cluster:
            clusters.setdefault(quote.cluster, []).append(quote)
    for cluster_id, quotes in sorted(clusters.items()):
        yield {
            "id": cluster_id,
            "speaker": next((q.speaker for q in quotes if q.speaker), None),
            "quotes": sorted(q.id for q in quotes),
            "variants": [
                {"text": v.text, "docs": v.docs, "diff": [list(part) for part in v.diff]}
                for v in wording(quotes)
            ],
        }


def _records(store: Store, key: str) -> Iterable[dict[str, Any]]:
    if key == "documents":
        return map(document_json, store.iter_documents())
    if key == "entities":
        return map(entity_json, store.iter_entities())
    if key == "quotes":
        return map(quote_json, store.iter_quotes())
    if key == "events":
        return (event_json(event, story) for story, event in store.iter_events())
    if key == "claims":
        return (claim_json(claim, story) for story, claim in store.iter_claims())
    if key == "briefs":
        return map(brief_json, store.iter_briefs())
    if key == "derivations":
        return map(derivation_json, store.iter_derivations())
    if key == "stories":
        return map(story_json, store.iter_stories())
    if key == "storylines":
        return (
            {"id": line.id, "label": line.label, "stories": line.stories, "links": links}
            for line, links in store.iter_storylines()
        )
    return ()


def write_json(store: Store, out: TextIO) -> None:
    """Write the whole store as one JSON object, one record per line."""
    out.write(f'{{"schema": "{SCHEMA}"')
    for key in RECORD_KEYS:
        out.write(f',\n"{key}": [')
        for i, record in enumerate(_records(store, key)):
            out.write(",\n" if i else "\n")
            out.write(json.dumps(record, ensure_ascii=False))
        out.write("\n]")
    out.write(',\n"quote_clusters": [')
    for i, cluster in enumerate(quote_cluster_records(store)):
        out.write(",\n" if i else "\n")
        out.write(json.dumps(cluster, ensure_ascii=False))
    out.write('\n],\n"network": ')
    out.write(json.dumps(network_json(ask(store, NetworkQuery())), ensure_ascii=False))
    out.write("\n}\n")
