"""The lineage stage on Dask: index keys shuffled by key, candidate pairs
counted by pair, alignment a partition at a time.

With ``dask.bag`` (each task opens the store itself):

1. partitions of the run's documents, in the stage's order, are profiled
   (``lineage.profiles``), their signatures and keys written to the lineage
   index, and their keys cut into buckets by key;
2. shuffle by key: in each bucket the holders of every key, the run's and,
   when the store holds other documents, the stored ones, are paired as
   ``candidates`` pairs them, a pair once for each key it shares;
3. shuffle by pair: each pair's shared keys are counted (``candidates``);
   here, each document keeps its strongest candidates, and each document
   crediting an outlet the closest article of that outlet (the closest of
   each partition, then of all);
4. partitions of the run's documents are compared with their candidates
   (``lineage.compare_all``: the stage's alignment and labels);
5. here, one source per derived document (``lineage.save``), written a batch
   at a time.

The lineage stage takes a run in chunks of ``lineage.CHUNK`` documents,
each counted against those before it; this counts the whole run at once. On
a run that fits in one chunk both give the same derivations. Past that they
can differ where counting by chunks differs: a key that becomes common
(``candidates.MAX_KEY_DOCS``) only once later chunks hold it, and the
candidates a document ranks (``candidates.MAX_CANDIDATES``), which the
chunks rank a chunk at a time. Only ids, keys and counts travel between
tasks, never texts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from storyline.model import Derivation
from storyline.settings import Settings
from storyline.stages import candidates, lineage
from storyline.stages.align import StemCodes
from storyline.stages.derivation import Outlets
from storyline.stages.minhash import BAND, KIND_BITS
from storyline.store import Store, open_store


@dataclass(frozen=True, slots=True)
class Credit:
    """A document of the run crediting an outlet: its position, the outlet
    (``outlet_key``), the dates the credited article can have, its signature."""

    position: int
    doc: str
    outlet: str
    since: str | None
    until: str | None
    signature: np.ndarray


@dataclass(frozen=True, slots=True)
class Profiled:
    """What step 1 keeps of a partition: its keys by bucket, its documents'
    signatures by outlet (for credits) and its credits."""

    buckets: list[tuple[int, np.ndarray, np.ndarray]]
    outlets: dict[str, list[tuple[str, str | None, np.ndarray]]]
    credits: list[Credit]


def _bucket(keys: np.ndarray, buckets: int) -> np.ndarray:
    bucket: np.ndarray = (keys >> 2) % buckets
    return bucket


def _profile(
    item: tuple[int, list[str]], settings: Settings, outlets: Outlets, buckets: int
) -> Profiled:
    """Step 1 for consecutive documents (the first at position ``item[0]``)."""
    first, ids = item
    position = {doc: p for p, doc in enumerate(ids, first)}
    with open_store(settings.db, settings) as store:
        built = lineage.profiles(store.lineage_texts(ids), StemCodes(), outlets)
        lineage._index(store, built)
    keys = np.concatenate([np.zeros(0, np.int64), *(k for _, k in built)])
    docs = np.repeat(
        np.array([position[p.id] for p, _ in built], dtype=np.int64), [len(k) for _, k in built]
    )
    bucket = _bucket(keys, buckets)
    by_outlet: dict[str, list[tuple[str, str | None, np.ndarray]]] = {}
    credits: list[Credit] = []
    for p, _ in built:
        if p.signature is None:
            continue
        if p.outlet_key:
            by_outlet.setdefault(p.outlet_key, []).append((p.id, p.published, p.signature))
        since, until = lineage._credit_window(p.published)
        credits += [
            Credit(position[p.id], p.id, key, since, until, p.signature)
            for key in sorted(p.credits.keys() - {p.outlet_key})
        ]
    return Profiled(
        [(b, keys[bucket == b], docs[bucket == b]) for b in np.unique(bucket).tolist()],
        by_outlet,
        credits,
    )


@dataclass(frozen=True, slots=True)
class KeyPairs:
    """Step 2 of a bucket: pairs of the run's documents (positions), by pair
    bucket; and pairs of the run's documents with stored ones, with the keys
    that tie them (to number the stored documents as the stage does)."""

    within: list[tuple[int, np.ndarray, np.ndarray, np.ndarray]]
    across: tuple[np.ndarray, list[str], np.ndarray]
    holders: list[tuple[int, list[str]]]


def _key_pairs(
    group: tuple[int, list[tuple[int, np.ndarray, np.ndarray]]],
    settings: Settings,
    run: frozenset[str] | None,
    buckets: int,
) -> KeyPairs:
    """Step 2 for a bucket of keys; ``run``: the run's documents, when the
    store holds others (whose keys count too)."""
    _, parts = group
    flat = np.concatenate([np.zeros(0, np.int64), *(keys for _, keys, _ in parts)])
    docs = np.concatenate([np.zeros(0, np.int64), *(d for _, _, d in parts)])
    # Holders of a key in the run's order, as the stage counts them.
    order = np.argsort(docs, kind="stable")
    flat, docs = flat[order], docs[order]
    frequent = np.zeros(0, np.int64)
    stored: dict[int, list[str]] = {}
    if run is not None:
        wanted, in_run = np.unique(flat, return_counts=True)
        with open_store(settings.db, settings, read_only=True) as store:
            holders, common = store.lineage_holders(
                wanted.tolist(), candidates.MAX_KEY_DOCS, lambda key: (key & KIND_BITS) == BAND
            )
        # The run's own keys are in the index already (step 1): not others'.
        stored = {key: [d for d in held if d not in run] for key, held in holders.items()}
        count = dict(zip(wanted.tolist(), in_run.tolist(), strict=True))
        common |= {
            key
            for key, held in stored.items()
            if (key & KIND_BITS) != BAND and len(held) + count[key] > candidates.MAX_KEY_DOCS
        }
        frequent = np.array(sorted(common), dtype=np.int64)
    first, second, band = candidates.key_pairs(flat, docs, frequent)
    pair_bucket = (np.minimum(first, second) * 31 + np.maximum(first, second)) % buckets
    within = [
        (b, first[pair_bucket == b], second[pair_bucket == b], band[pair_bucket == b])
        for b in np.unique(pair_bucket).tolist()
    ]
    names = sorted({d for held in stored.values() for d in held})
    number = {d: n for n, d in enumerate(names)}
    numbered = {key: [number[d] for d in held] for key, held in stored.items() if held}
    a, other, is_band = candidates.holder_pairs(flat, docs, numbered, frequent)
    return KeyPairs(
        within,
        (a, [names[n] for n in other.tolist()], is_band),
        sorted((key, held) for key, held in stored.items() if held),
    )


def _count(
    group: tuple[int, list[tuple[int, np.ndarray, np.ndarray, np.ndarray]]],
) -> candidates.Pairs:
    """Step 3 for a bucket of pairs: their shared keys counted."""
    _, parts = group
    return candidates._count(
        np.concatenate([np.zeros(0, np.int64), *(p[1] for p in parts)]),
        np.concatenate([np.zeros(0, np.int64), *(p[2] for p in parts)]),
        np.concatenate([np.zeros(0, bool), *(p[3] for p in parts)]),
    )


def _closest(profiled: Profiled, wanted: list[Credit]) -> list[tuple[int, float, str]]:
    """Step 3 for a partition: for each credit, the partition's closest article
    of the credited outlet in its window, (credit, score, article)."""
    found = []
    for n, credit in enumerate(wanted):
        signatures = {
            doc: signature
            for doc, published, signature in profiled.outlets.get(credit.outlet, [])
            if doc != credit.doc and lineage._in_window(published, credit.since, credit.until)
        }
        match = lineage.closest(credit.signature, signatures)
        if match:
            found.append((n, *match))
    return found


def _candidates(
    n: int,
    counted: list[candidates.Pairs],
    across: list[tuple[np.ndarray, list[str], np.ndarray]],
    holders: list[tuple[int, list[str]]],
) -> tuple[candidates.Pairs, list[str]]:
    """The strongest candidate pairs of the run's ``n`` documents (stored ones
    numbered from ``n``, in the order the stage numbers them: by key, then as
    the store lists a key's holders), and the stored documents."""
    number: dict[str, int] = {}
    outside: list[str] = []
    for _, held in sorted(holders, key=lambda kh: kh[0]):
        for doc in held:
            if doc not in number:
                number[doc] = n + len(outside)
                outside.append(doc)
    within = candidates.Pairs.of(
        np.concatenate([np.zeros(0, np.int64), *(p.first for p in counted)]),
        np.concatenate([np.zeros(0, np.int64), *(p.second for p in counted)]),
        np.concatenate([np.zeros(0, bool), *(p.band for p in counted)]),
        np.concatenate([np.zeros(0, np.int64), *(p.shared for p in counted)]),
    )
    # In the order one count over the whole run gives.
    order = np.lexsort((within.second, within.first))
    others = candidates._count(
        np.concatenate([np.zeros(0, np.int64), *(a for a, _, _ in across)]),
        np.array([number[d] for _, docs, _ in across for d in docs], dtype=np.int64),
        np.concatenate([np.zeros(0, bool), *(b for _, _, b in across)]),
    )
    pairs = candidates.Pairs.of(
        np.concatenate([within.first[order], others.first]),
        np.concatenate([within.second[order], others.second]),
        np.concatenate([within.band[order], others.band]),
        np.concatenate([within.shared[order], others.shared]),
    )
    return candidates.strongest(pairs), outside


def _credited(
    store: Store,
    outlets: Outlets,
    credits: list[Credit],
    closest: list[tuple[int, float, str]],
    run: set[str],
    elsewhere: bool,
) -> list[tuple[int, str]]:
    """(document, credited article) for each credit: the closest of the credited
    outlet's articles in its window (the run's, by partition, and the stored
    others), if close enough."""
    best: dict[int, tuple[float, str]] = {}
    for n, score, doc in closest:
        if n not in best or (-score, doc) < (-best[n][0], best[n][1]):
            best[n] = (score, doc)
    found = []
    for n, credit in enumerate(credits):
        if elsewhere:
            stored = store.outlet_signatures(
                outlets.names[credit.outlet], credit.since, credit.until
            )
            signatures = {
                doc: np.frombuffer(sig, dtype=np.uint32)
                for doc, sig in stored.items()
                if doc not in run
            }
            match = lineage.closest(credit.signature, signatures)
            if match and (n not in best or (-match[0], match[1]) < (-best[n][0], best[n][1])):
                best[n] = match
        if n in best and best[n][0] >= lineage.ATTRIBUTED_MIN_JACCARD:
            found.append((credit.position, best[n][1]))
    return found


def _todo(
    ids: list[str], pairs: candidates.Pairs, outside: list[str], credited: list[tuple[int, str]]
) -> dict[int, list[tuple[str, bool]]]:
    """Each document's candidates (by position), with whether it credits their
    outlet: two of the run's documents are compared from the later one, a
    stored one from the run's."""
    todo: dict[int, list[tuple[str, bool]]] = {}
    n = len(ids)
    for first, second in zip(pairs.first.tolist(), pairs.second.tolist(), strict=True):
        if second < n:
            todo.setdefault(second, []).append((ids[first], False))
        else:
            todo.setdefault(first, []).append((outside[second - n], False))
    for position, doc in credited:
        todo.setdefault(position, []).append((doc, True))
    return todo


def _align(
    item: tuple[int, list[str], dict[int, list[tuple[str, bool]]]],
    settings: Settings,
    outlets: Outlets,
) -> tuple[int, list[Derivation]]:
    """Step 4 for a partition: each of its documents with candidates (by
    position) compared with them, in the order of their positions."""
    first, ids, todo = item
    wanted = set(ids) | {a for others in todo.values() for a, _ in others}
    with open_store(settings.db, settings, read_only=True) as store:
        built = lineage.profiles(store.lineage_texts(sorted(wanted)), StemCodes(), outlets)
    everyone = [p for p, _ in built]
    number = {p.id: i for i, p in enumerate(everyone)}
    rows = [
        (number[ids[position - first]], number[a], credited)
        for position, others in sorted(todo.items())
        if ids[position - first] in number
        for a, credited in others
        if a in number
    ]
    b = np.array([r[0] for r in rows], dtype=np.int64)
    a = np.array([r[1] for r in rows], dtype=np.int64)
    is_credited = np.array([r[2] for r in rows], dtype=bool)
    return first, lineage.compare_all(everyone, b, a, is_credited)


def _keys(profiled: Profiled) -> list[tuple[int, np.ndarray, np.ndarray]]:
    return profiled.buckets


def _credits(profiled: Profiled) -> list[Credit]:
    return profiled.credits


def _first(part: tuple[Any, ...]) -> int:
    """The bucket of a shuffled part."""
    return int(part[0])


def run(store: Store, ids: Sequence[str], settings: Settings, partition_size: int) -> int:
    """Find the derivations touching these documents with the current Dask
    scheduler (a cluster's client, or another); returns how many were stored."""
    import dask.bag as db
    from dask.delayed import delayed

    ids = list(dict.fromkeys(ids))
    lineage.refresh_index(store, set(ids))
    if not ids:
        return lineage.save(store, ids, [])
    outlets = Outlets.of(store.outlets())
    elsewhere = store.lineage_indexed_besides(ids)
    starts = range(0, len(ids), partition_size)
    chunks = [(first, ids[first : first + partition_size]) for first in starts]
    # As many buckets in each shuffle as partitions of documents.
    buckets = max(2, len(chunks))
    profiled = (
        db.from_sequence(chunks, npartitions=len(chunks))
        .map(_profile, settings=settings, outlets=outlets, buckets=buckets)
        .persist()
    )
    run_ids = delayed(frozenset(ids)) if elsewhere else None
    keyed = (
        profiled.map(_keys)
        .flatten()
        .groupby(_first, npartitions=buckets, shuffle="tasks")
        .map(_key_pairs, settings=settings, run=run_ids, buckets=buckets)
        .persist()
    )
    counted = (
        keyed.map(_within)
        .flatten()
        .groupby(_first, npartitions=buckets, shuffle="tasks")
        .map(_count)
        .compute()
    )
    across = keyed.map(_across).compute()
    holders = keyed.map(_holders).flatten().compute()
    credits = profiled.map(_credits).flatten().compute()
    closest = profiled.map(_closest, wanted=credits).flatten().compute() if credits else []
    pairs, outside = _candidates(len(ids), counted, across, holders)
    credited = _credited(store, outlets, credits, closest, set(ids), elsewhere)
    todo = _todo(ids, pairs, outside, credited)
    items = [
        (first, part, {p: todo[p] for p in range(first, first + len(part)) if p in todo})
        for first, part in chunks
    ]
    items = [item for item in items if item[2]]
    found: list[tuple[int, list[Derivation]]] = []
    if items:
        aligned = db.from_sequence(items, npartitions=len(items)).map(
            _align, settings=settings, outlets=outlets
        )
        found = list(aligned.compute())
    ordered = [d for _, derivations in sorted(found, key=lambda f: f[0]) for d in derivations]
    return lineage.save(store, ids, ordered, batch=lineage.WRITE_BATCH)


def _within(pairs: KeyPairs) -> list[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
    return pairs.within


def _across(pairs: KeyPairs) -> tuple[np.ndarray, list[str], np.ndarray]:
    return pairs.across


def _holders(pairs: KeyPairs) -> list[tuple[int, list[str]]]:
    return pairs.holders
