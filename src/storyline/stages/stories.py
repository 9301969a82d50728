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

import itertools
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from storyline.ids import stable_id
from storyline.model import Document, Story, Storyline, StoryOp
from storyline.settings import Settings
from storyline.stages.clustering import Key, StreamClusterer
from storyline.stages.story_model import (
    SPACES,
    Cluster,
    DocFrequencies,
    Features,
    StoryParams,
    content_similarity,
    features,
    firmly_dated,
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


def place(
    clusterer: StreamClusterer,
    docs: Sequence[Document],
    sources: dict[str, str],
    story_of: dict[str, str],
    stored: Callable[[str], str | None],
) -> tuple[dict[str, Cluster], dict[str, Features]]:
    """Put documents in stories: one pass in publication order, then the
    refinement of the pass's choices. A derived document joins its source's
    story (``story_of``, updated, else ``stored``). Returns the stories that
    took or lost documents and the documents' features."""
    touched: dict[str, Cluster] = {}
    feats: dict[str, Features] = {}
    # Copies placed in their source's story: they follow it.
    copies: dict[str, str] = {}
    for doc in _order(list(docs)):
        f = feats[doc.id] = features(doc)
        source = sources.get(doc.id)
        forced = None if source is None else story_of.get(source) or stored(source)
        cluster = clusterer.assign(doc.id, f, forced)
        story_of[doc.id] = cluster.id
        if source is not None and forced == cluster.id:
            copies[doc.id] = source
        touched[cluster.id] = cluster
    if len(feats) > 1:
        for sid in clusterer.refine(feats, story_of, copies):
            touched[sid] = clusterer.story(sid) or touched[sid]
    # A story left without members was made by these documents and is not kept.
    return {sid: c for sid, c in sorted(touched.items()) if c.docs}, feats


def _records(
    store: Store, clusterer: StreamClusterer, clusters: Iterable[Cluster]
) -> list[tuple[Story, dict[str, Any], bool]]:
    """Story records (label, key entities, dates), states and whether active."""
    clusters = list(clusters)
    member_docs = {
        d.id: d
        for d in store.iter_documents(sorted({m for c in clusters for m in c.docs[:LABEL_DOCS]}))
    }
    records = []
    for cluster in clusters:
        label, entities = _describe(cluster, member_docs)
        story = Story(
            cluster.id, label, cluster.docs, entities, _iso(cluster.first), _iso(cluster.last), None
        )
        records.append((story, cluster.to_json(), cluster.id in clusterer.active))
    return records


def run(store: Store, ids: Sequence[str], settings: Settings) -> int:
    """Cluster the documents not yet in a story; thread the stories they joined
    into storylines. Returns new members."""
    params = StoryParams.load()
    assigned = store.stories_of(ids)
    new = [d for d in store.iter_documents(ids) if d.id not in assigned]
    if not new:
        return 0
    df = DocFrequencies(store.clustered_docs(), fetch=store.term_frequencies)
    # Documents without a firm date may belong to any time: they also see retired stories.
    undated = not all(firmly_dated(d) for d in new)
    clusterer = StreamClusterer(
        params, df, keep_retired=undated, stored=_Stored(store, empty=not df.docs)
    )
    sources = {d.derived_doc: d.source_doc for d in store.iter_derivations(doc.id for doc in new)}
    story_of = dict(assigned)
    touched, feats = place(
        clusterer, new, sources, story_of, lambda doc: store.stories_of([doc]).get(doc)
    )
    delta = {s: Counter(t for f in feats.values() for t in f.space(s)) for s in SPACES}
    keys = {sid: clusterer.keys_of.get(sid, set()) for sid in touched}
    members = [(d, story_of[d]) for d in feats]
    store.save_stories(_records(store, clusterer, touched.values()), members, delta, keys)
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
    # Links are scored at the IDF the run ends with, whenever a story's norms
    # were last weighed: the same stories get the same scores however the run went.
    for cluster in known.values():
        cluster.norms = {}
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


def recluster(store: Store) -> list[StoryOp]:
    """Cluster every document in a story again, as one batch: the pass a new
    store would make, in publication order with its refinement. The stories
    found take the ids of the stored stories they share most documents with;
    each stored story that lost documents is logged as merged into another or
    split. The documents of the changed stories are left for the later corpus
    stages, as an interrupted analysis leaves them."""
    params = StoryParams.load()
    old = {s.id: s.docs for s in store.iter_stories()}
    old_of = {d: sid for sid, docs in old.items() for d in docs}
    docs = list(store.iter_documents(sorted(old_of)))
    clusterer = StreamClusterer(params, keep_retired=not all(firmly_dated(d) for d in docs))
    sources = {d.derived_doc: d.source_doc for d in store.iter_derivations(old_of)}
    story_of: dict[str, str] = {}
    found, _ = place(clusterer, docs, sources, story_of, lambda _: None)
    ids = _match(found.values(), old_of, old.keys())
    ops = []
    kept = set(ids.values())
    at = datetime.now(UTC).isoformat(timespec="seconds")
    for sid, held in sorted(old.items()):
        targets = sorted({ids[story_of[d]] for d in held} - {sid})
        whole = len(targets) == 1 and sid not in kept
        for target in targets:
            moved = [d for d in held if ids[story_of[d]] == target]
            ops.append(StoryOp("merge" if whole else "split", sid, target, moved, at))
    if not ops:
        return []
    keys = {ids[sid]: clusterer.keys_of.get(sid, set()) for sid in found}
    clusterer.active = {ids[sid]: c for sid, c in clusterer.active.items() if sid in ids}
    clusterer.retired = {ids[sid]: c for sid, c in clusterer.retired.items() if sid in ids}
    clusterer.keys_of = keys
    for cluster in found.values():
        cluster.id = ids[cluster.id]
    clusters = sorted(found.values(), key=lambda c: c.id)
    members = [(d, c.id) for c in clusters for d in c.docs]
    changed = {d for op in ops for d in (*old[op.source], *op.docs)}
    pending = sorted({*store.corpus_pending(), *changed})
    store.replace_stories(_records(store, clusterer, clusters), members, keys, ops, pending)
    thread(store, clusterer, clusters, params)
    return ops


def _match(
    found: Collection[Cluster], old_of: dict[str, str], old: Iterable[str]
) -> dict[str, str]:
    """The id each story found keeps: the stored story it shares most documents
    with (each stored id goes to one story), else a new id from its first
    document."""
    overlap = Counter((c.id, old_of[d]) for c in found for d in c.docs)
    ids: dict[str, str] = {}
    used = set(old)
    taken: set[str] = set()
    for (new, sid), _ in sorted(overlap.items(), key=lambda kv: (-kv[1], kv[0][1], kv[0][0])):
        if new not in ids and sid not in taken:
            ids[new] = sid
            taken.add(sid)
    for cluster in found:
        if cluster.id not in ids:
            ids[cluster.id] = next(
                sid
                for n in itertools.count()
                if (sid := "s" + stable_id(cluster.docs[0], str(n), size=6)) not in used
            )
            used.add(ids[cluster.id])
    return ids
