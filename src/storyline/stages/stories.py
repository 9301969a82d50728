"""Stories and storylines: a corpus stage over the streaming clusterer.

New documents are clustered in publication order (undated ones last, in
ingest order) against the stories already stored, so story ids never change
as documents arrive. A document derived from another (lineage) joins its
source's story. The stories documents joined are then threaded into
storylines: two stories whose actors and vocabulary agree, time aside, belong
to one storyline (the June pact and the November deployment; the spill and
the inquiry six weeks later), with the shared entities as the link's
evidence. Stories are found through the store's index of their terms, so a
run's cost follows its documents, not the size of the store.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from storyline.model import Document, Story, Storyline
from storyline.settings import Settings
from storyline.stages.clustering import Key, StreamClusterer
from storyline.stages.story_model import (
    SPACES,
    Cluster,
    DocFrequencies,
    StoryParams,
    content_similarity,
    features,
    top,
)
from storyline.store import Store

KEY_ENTITIES = 5
# A story's label and key entities come from its first members: they settle
# once it has this many, and reading them costs the same in a story of any size.
LABEL_DOCS = 25
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
    members = [docs[d] for d in cluster.docs[:LABEL_DOCS] if d in docs]
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


class _Stored:
    """The store as the clusterer's ``StoryStore``; a store that held no story
    when the run began is not asked for any (its first run stays in memory)."""

    def __init__(self, store: Store, empty: bool) -> None:
        self.store = store
        self.empty = empty

    def find(self, keys: Sequence[Key], active_only: bool, limit: int) -> list[str]:
        return [] if self.empty else self.store.find_stories(keys, active_only, limit)

    def load(self, ids: Sequence[str]) -> list[tuple[Cluster, bool, list[Key]]]:
        return _load(self.store, ids)


def _load(store: Store, ids: Sequence[str]) -> list[tuple[Cluster, bool, list[Key]]]:
    return [
        (Cluster.from_json(sid, state), active, keys)
        for sid, state, active, keys in store.story_states(ids)
    ]


def run(store: Store, ids: Sequence[str], settings: Settings) -> int:
    """Cluster the documents not yet in a story; thread the stories they joined
    into storylines. Returns new members."""
    params = StoryParams.load()
    assigned = store.stories_of(ids)
    new = [d for d in store.iter_documents(ids) if d.id not in assigned]
    if not new:
        return 0
    df = DocFrequencies(store.clustered_docs(), fetch=store.term_frequencies)
    # Undated documents may belong to any time: they also see retired stories.
    undated = any(not d.published for d in new)
    stored = _Stored(store, empty=not df.docs)
    clusterer = StreamClusterer(params, df, keep_retired=undated, stored=stored)
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
        cluster = clusterer.assign(doc.id, f, forced)
        story_of[doc.id] = cluster.id
        members.append((doc.id, cluster.id))
        touched[cluster.id] = cluster
        for space in delta:
            delta[space].update(f.space(space).keys())
    member_docs = {
        d.id: d
        for d in store.iter_documents(
            sorted({m for c in touched.values() for m in c.docs[:LABEL_DOCS]})
        )
    }
    records = []
    for cluster in touched.values():
        label, entities = _describe(cluster, member_docs)
        story = Story(
            cluster.id, label, cluster.docs, entities, _iso(cluster.first), _iso(cluster.last), None
        )
        records.append((story, cluster.to_json(), cluster.id in clusterer.active))
    keys = {sid: clusterer.keys_of.get(sid, set()) for sid in touched}
    store.save_stories(records, members, delta, keys)
    thread(store, clusterer, list(touched.values()), params)
    return len(members)


# Stories each touched story is compared with when threading storylines.
THREAD_CANDIDATES = 10


def thread(
    store: Store, clusterer: StreamClusterer, touched: list[Cluster], params: StoryParams
) -> None:
    """Link the stories documents just joined to the stories (of any time) whose
    actors and vocabulary agree with theirs; linked stories share a storyline.

    Storylines only grow and join: a link once made stays, so storyline ids
    are as stable as story ids.
    """
    # Stories the clusterer holds are as this run left them; the others are read.
    known = clusterer.active | clusterer.retired | {c.id: c for c in touched}
    links: list[dict[str, Any]] = []
    for story in sorted(touched, key=lambda c: c.id):
        keys = sorted(clusterer.keys_of.get(story.id, ()))
        found = [s for s in store.find_stories(keys, False, THREAD_CANDIDATES) if s != story.id]
        missing = [s for s in found if s not in known]
        known.update({c.id: c for c, _, _ in _load(store, missing)})
        clusterer.df.need(
            {s: {t for c in (known[x] for x in found) for t in c.sums[s]} for s in SPACES}
        )
        for other in found:
            score = content_similarity(story, known[other], clusterer.df)
            if score >= params.storyline_threshold:
                shared = sorted(
                    set(top(story.sums["entities"], 15))
                    & set(top(known[other].sums["entities"], 15))
                )
                pair = sorted([story.id, other])
                links.append({"stories": pair, "score": round(score, 3), "shared": shared})
    _join(store, [c.id for c in touched], links)


def _join(store: Store, stories: list[str], links: list[dict[str, Any]]) -> None:
    """Storylines of these stories after adding these links: each connected group
    of stories (through old storylines and new links) is one storyline, named
    after its earliest story."""
    involved = set(stories) | {s for link in links for s in link["stories"]}
    line_of = store.storylines_of(involved)
    old = {line.id: (line, found) for line, found in store.storylines_by_id(set(line_of.values()))}
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for line, _ in old.values():
        for story in line.stories:
            parent[root(story)] = root(line.stories[0])
    for story in involved:
        root(story)
    for link in links:
        a, b = link["stories"]
        parent[root(b)] = root(a)
    groups: dict[str, list[str]] = {}
    for story in parent:
        groups.setdefault(root(story), []).append(story)
    heads = store.story_heads(parent)
    seen_links: dict[tuple[str, ...], dict[str, Any]] = {}
    for _, found in old.values():
        seen_links.update({tuple(link["stories"]): link for link in found})
    seen_links.update({tuple(link["stories"]): link for link in links})
    result = []
    for members in groups.values():
        members.sort(key=lambda s: (heads.get(s, (None, ""))[0] or "\uffff", s))
        member_set = set(members)
        line = Storyline("l" + members[0][1:], heads.get(members[0], (None, ""))[1], members)
        found = [link for key, link in sorted(seen_links.items()) if key[0] in member_set]
        result.append((line, found))
    store.replace_storylines(old, result)
