"""Lineage: who copied whom — duplicates, syndicated copies, rewrites, credited reports.

A corpus stage. For each new document: its MinHash signature and LSH band
keys (near-duplicates) and the keys of its long direct quotes (rewrites
reuse quotes verbatim while paraphrasing the rest) go into the store's index;
every document sharing a key is a candidate; each candidate pair is aligned
sentence by sentence and labelled (``derivation.label``) and oriented
(``derivation.direction``). Documents whose outlet a new document credits
("… the Harbor Ledger reported") are candidates too, when their signatures
are close enough to be about the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from storyline.batching import batched
from storyline.ids import outlet_key
from storyline.model import Derivation, Document
from storyline.settings import Settings
from storyline.stages.align import align, content_stems
from storyline.stages.derivation import (
    credited_outlets,
    direction,
    find_attribution,
    label,
    quote_keys,
)
from storyline.stages.shingles import band_keys, jaccard, signatures
from storyline.store import Store

MAX_CANDIDATES = 50
# An article crediting an outlet is compared with that outlet's articles whose
# shingles overlap at least this much (same topic, not a shared phrase).
ATTRIBUTED_MIN_JACCARD = 0.02


@dataclass(slots=True)
class Profile:
    """What comparing needs of a document, computed once per run."""

    doc: Document
    spans: list[tuple[int, int]]
    stems: list[frozenset[str]]
    quotes: set[str]


def profile(doc: Document) -> Profile:
    spans = _spans(doc)
    return Profile(
        doc, spans, [content_stems(doc.text[a:b]) for a, b in spans], quote_keys(doc.text)
    )


def index_documents(store: Store, ids: Sequence[str]) -> None:
    """Signatures, band keys and quote keys of these documents into the store."""
    for batch in batched(store.iter_documents(ids), 256):
        sigs = signatures([doc.text for doc in batch])
        store.save_lineage_features(
            [
                (
                    doc.id,
                    sig.tobytes() if sig is not None else None,
                    (band_keys(sig) if sig is not None else [])
                    + [f"q:{key}" for key in quote_keys(doc.text)],
                )
                for doc, sig in zip(batch, sigs, strict=True)
            ]
        )


def compare(a: Profile, b: Profile, credited: bool = False) -> Derivation | None:
    """The derivation between two documents, oriented, with its evidence; or None.

    ``credited``: one of them credits the other's outlet, and the other is
    that outlet's article it most likely means.
    """
    b_credits_a = find_attribution(b.doc, a.doc.outlet)
    a_credits_b = find_attribution(a.doc, b.doc.outlet)
    forward = align(a.stems, b.stems)
    shared_quotes = len(a.quotes & b.quotes)
    if not direction(a.doc, b.doc, a_credits_b, b_credits_a, forward):
        a, b = b, a
        a_credits_b, b_credits_a = b_credits_a, a_credits_b
        forward = align(a.stems, b.stems)
    decided = label(a.doc, b.doc, forward, shared_quotes, b_credits_a, credited)
    if decided is None:
        return None
    kind, score = decided
    evidence: dict[str, object] = {
        "aligned": [
            {
                "source": list(a.spans[p.a]),
                "derived": list(b.spans[p.b]),
                "score": round(p.score, 1),
            }
            for p in forward.pairs
        ],
        "shared_quotes": shared_quotes,
        "coverage": round(forward.b_coverage, 3),
    }
    if b_credits_a:
        evidence["attribution"] = {
            "text": b_credits_a.text,
            "start": b_credits_a.start,
            "end": b_credits_a.end,
        }
    return Derivation(a.doc.id, b.doc.id, kind, score, evidence)


def _spans(doc: Document) -> list[tuple[int, int]]:
    if doc.sentences:
        return [(s.start, s.end) for s in doc.sentences]
    spans, pos = [], 0
    for part in doc.text.split("\n"):
        if part.strip():
            spans.append((pos, pos + len(part)))
        pos += len(part) + 1
    return spans


def _closest(store: Store, signature: bytes | None, shared: list[tuple[str, int]]) -> set[str]:
    """The candidates most similar to a document, by signature, at most MAX_CANDIDATES.

    A quote everyone carried (a press conference) makes many candidates; the
    copies and rewrites among them are the ones whose wording is closest.
    """
    if len(shared) <= MAX_CANDIDATES or signature is None:
        return {doc for doc, _ in shared}
    mine = np.frombuffer(signature, dtype=np.uint32)
    others = store.signatures_of(doc for doc, _ in shared)
    ranked = sorted(
        (doc for doc, _ in shared),
        key=lambda doc: (
            -jaccard(mine, np.frombuffer(others[doc], dtype=np.uint32)) if doc in others else 0.0
        ),
    )
    return set(ranked[:MAX_CANDIDATES])


def _credited_candidates(
    store: Store, doc: Document, signature: bytes | None, outlets: dict[str, str]
) -> set[str]:
    """For each outlet this document credits, that outlet's article it most likely means.

    The closest in wording among the outlet's articles not published after
    this one, if close enough to be about the same thing.
    """
    if signature is None:
        return set()
    mine = np.frombuffer(signature, dtype=np.uint32)
    found = set()
    for outlet in credited_outlets(doc, outlets):
        earlier = [
            h.id
            for h in store.document_headers(outlet=outlet).values()
            if h.id != doc.id
            and not (h.published and doc.published and h.published > doc.published)
        ]
        scored = [
            (jaccard(mine, np.frombuffer(sig, dtype=np.uint32)), other)
            for other, sig in store.signatures_of(earlier).items()
        ]
        best = max(scored, default=(0.0, ""))
        if best[0] >= ATTRIBUTED_MIN_JACCARD:
            found.add(best[1])
    return found


def run(store: Store, ids: Sequence[str], settings: Settings) -> int:
    """Find the derivations touching these documents; returns how many were stored."""
    index_documents(store, ids)
    outlets = {outlet_key(name): name for name in store.outlets()}
    found: dict[tuple[str, str], Derivation] = {}
    new = set(ids)
    for batch in batched(store.iter_documents(ids, mentions=False), 256):
        batch_ids = [doc.id for doc in batch]
        own = store.signatures_of(batch_ids)
        shared = store.lineage_candidates(batch_ids)
        profiles = {doc.id: profile(doc) for doc in batch}
        pairs: list[tuple[str, str, bool]] = []
        for doc in batch:
            credited = _credited_candidates(store, doc, own.get(doc.id), outlets)
            candidates = _closest(store, own.get(doc.id), shared[doc.id].most_common())
            # A pair of two new documents is compared once, from the smaller id.
            candidates = {c for c in candidates if c not in new or c > doc.id} | credited
            pairs.extend((doc.id, other, other in credited) for other in sorted(candidates))
        missing = sorted({other for _, other, _ in pairs} - profiles.keys())
        profiles.update((d.id, profile(d)) for d in store.iter_documents(missing, mentions=False))
        for doc_id, other, credited_pair in pairs:
            derivation = compare(profiles[doc_id], profiles[other], credited=credited_pair)
            if derivation:
                found[(derivation.source_doc, derivation.derived_doc)] = derivation
    kept = strongest_sources(found.values(), store)
    store.replace_derivations(list(ids), kept)
    return len(kept)


def strongest_sources(found: Iterable[Derivation], store: Store) -> list[Derivation]:
    """One source per derived document: the best scored, then the earliest.

    A rewrite of a wire story also matches every syndicated copy of that
    story equally well; its source is the original, not a copy.
    """
    by_derived: dict[str, list[Derivation]] = {}
    for d in found:
        by_derived.setdefault(d.derived_doc, []).append(d)
    sources = {d.source_doc for edges in by_derived.values() for d in edges if len(edges) > 1}
    published = {
        doc.id: doc.published or "" for doc in store.iter_documents(sorted(sources), mentions=False)
    }
    return [
        min(edges, key=lambda d: (-d.score, published.get(d.source_doc, ""), d.source_doc))
        for edges in by_derived.values()
    ]
