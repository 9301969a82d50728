"""Stories and storylines: a corpus stage over the streaming clusterer.

New documents are clustered in publication order (undated ones last, in
ingest order) against the stories already stored, so story ids never change
as documents arrive. A document derived from another (lineage) joins its
source's story. Stories are then threaded into storylines: two stories whose
actors and vocabulary agree, time aside, belong to one storyline (the June
pact and the November deployment; the spill and the inquiry six weeks
later), with the shared entities and terms as the link's evidence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from storyline.model import Document, Story, Storyline
from storyline.settings import Settings
from storyline.stages.clustering import StreamClusterer
from storyline.stages.story_model import (
    Cluster,
    DocFrequencies,
    StoryParams,
    content_similarity,
    features,
    top,
)
from storyline.store import Store

KEY_ENTITIES = 5
# Entity types that make a story's key entities (not nationalities or laws).
KEY_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT"})


def _order(docs: list[Document]) -> list[Document]:
    dated = sorted((d for d in docs if d.published), key=lambda d: d.published or "")
    return dated + [d for d in docs if not d.published]


def _iso(day: float | None) -> str | None:
    from datetime import UTC, datetime

    return None if day is None else datetime.fromtimestamp(day * 86400, UTC).date().isoformat()


def _describe(cluster: Cluster, docs: dict[str, Document]) -> tuple[str, list[str]]:
    """A label taken from the story itself and its key entity ids.

    The label is the title of the member whose words are most typical of the
    story (extractive, never generated); without titles, its leading entities.
    """
    members = [docs[d] for d in cluster.docs if d in docs]
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    for doc in members:
        for m in {(m.entity, m.text) for m in doc.mentions if m.label in KEY_TYPES}:
            counts[m[0]] += 1
            names.setdefault(m[0], m[1])
    entities = [e for e, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))][:KEY_ENTITIES]
    words = top(cluster.sums["words"], 30)
    titled = [d for d in members if d.title]
    if titled:
        best = max(
            titled, key=lambda d: sum(words.get(w.casefold(), 0.0) for w in d.text.split()[:80])
        )
        return best.title or "", entities
    return " · ".join(names[e] for e in entities[:3]) or "untitled story", entities


def run(store: Store, ids: Sequence[str], settings: Settings) -> int:
    """Cluster the documents not yet in a story; re-thread storylines. Returns new members."""
    params = StoryParams.load()
    assigned = store.stories_of(ids)
    new = [d for d in store.iter_documents(ids) if d.id not in assigned]
    if not new:
        return 0
    docs_count, counts = store.term_frequencies()
    df = DocFrequencies(
        docs_count, {s: counts.get(s, Counter()) for s in ("words", "entities", "title")}
    )
    clusterer = StreamClusterer(params, df)
    # Undated documents may belong to any time: they also see retired stories.
    undated = any(not d.published for d in new)
    for story_id, state, active in store.story_states(active_only=not undated):
        clusterer.activate(Cluster.from_json(story_id, state), retired=not active)
    sources = {d.derived_doc: d.source_doc for d in store.iter_derivations(doc.id for doc in new)}
    delta: dict[str, Counter[str]] = {s: Counter() for s in ("words", "entities", "title")}
    touched: dict[str, Cluster] = {}
    members: list[tuple[str, str]] = []
    story_of = dict(assigned)
    for doc in _order(new):
        f = features(doc)
        forced = story_of.get(sources.get(doc.id, ""))
        if forced is None and doc.id in sources:
            forced = store.stories_of([sources[doc.id]]).get(sources[doc.id])
        if forced and forced not in clusterer.active and forced not in clusterer.retired:
            stored = {sid: (state, active) for sid, state, active in store.story_states()}
            if forced in stored:
                state, active = stored[forced]
                clusterer.activate(Cluster.from_json(forced, state), retired=not active)
        cluster = clusterer.assign(doc.id, f, forced)
        story_of[doc.id] = cluster.id
        members.append((doc.id, cluster.id))
        touched[cluster.id] = cluster
        for space in delta:
            delta[space].update(f.space(space).keys())
    retired = {s.id for s in touched.values() if s.id not in clusterer.active}
    member_docs = {
        d.id: d for d in store.iter_documents(sorted({m for c in touched.values() for m in c.docs}))
    }
    records = []
    for cluster in touched.values():
        label, entities = _describe(cluster, member_docs)
        story = Story(
            cluster.id, label, cluster.docs, entities, _iso(cluster.first), _iso(cluster.last), None
        )
        records.append((story, cluster.to_json(), cluster.id not in retired))
    store.save_stories(records, members, delta)
    store.save_storylines(thread(store, df, params))
    return len(members)


def thread(
    store: Store, df: DocFrequencies, params: StoryParams
) -> list[tuple[Storyline, list[dict[str, Any]]]]:
    """Group all stories into storylines by content similarity, time aside."""
    clusters = [Cluster.from_json(sid, state) for sid, state, _ in store.story_states()]
    labels = {s.id: s.label for s in store.iter_stories()}
    parent = {c.id: c.id for c in clusters}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    links: list[dict[str, Any]] = []
    for i, a in enumerate(clusters):
        for b in clusters[i + 1 :]:
            score = content_similarity(a, b, df)
            if score >= params.storyline_threshold:
                shared = sorted(set(top(a.sums["entities"], 15)) & set(top(b.sums["entities"], 15)))
                links.append({"stories": [a.id, b.id], "score": round(score, 3), "shared": shared})
                parent[root(b.id)] = root(a.id)
    groups: dict[str, list[Cluster]] = {}
    for c in clusters:
        groups.setdefault(root(c.id), []).append(c)
    result = []
    for members in groups.values():
        members.sort(key=lambda c: (c.first if c.first is not None else float("inf"), c.id))
        ids = [c.id for c in members]
        line = Storyline("l" + ids[0][1:], labels.get(ids[0], ""), ids)
        result.append((line, [link for link in links if link["stories"][0] in ids]))
    return result
