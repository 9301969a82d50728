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

import numpy as np

from storyline.batching import batched
from storyline.model import Derivation, Document
from storyline.settings import Settings
from storyline.stages.align import align
from storyline.stages.derivation import (
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


def _sentences(doc: Document) -> list[str]:
    return [doc.text[s.start : s.end] for s in doc.sentences] or [
        p for p in doc.text.split("\n") if p.strip()
    ]


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


def compare(a: Document, b: Document, shared_keys: int = 0) -> Derivation | None:
    """The derivation between two documents, oriented, with its evidence; or None."""
    a_sents, b_sents = _sentences(a), _sentences(b)
    b_credits_a = find_attribution(b, a.outlet)
    a_credits_b = find_attribution(a, b.outlet)
    forward = align(a_sents, b_sents)
    shared_quotes = len(quote_keys(a.text) & quote_keys(b.text))
    if not direction(a, b, a_credits_b, b_credits_a, forward):
        a, b, a_sents, b_sents = b, a, b_sents, a_sents
        a_credits_b, b_credits_a = b_credits_a, a_credits_b
        forward = align(a_sents, b_sents)
    decided = label(a, b, forward, shared_quotes, b_credits_a)
    if decided is None:
        return None
    kind, score = decided
    a_spans, b_spans = _spans(a), _spans(b)
    evidence: dict[str, object] = {
        "aligned": [
            {
                "source": list(a_spans[p.a]),
                "derived": list(b_spans[p.b]),
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
    return Derivation(a.id, b.id, kind, score, evidence)


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


def _credited_candidates(store: Store, doc: Document, signature: bytes | None) -> list[str]:
    """Documents of outlets this one credits, close enough in content to compare."""
    if signature is None:
        return []
    mine = np.frombuffer(signature, dtype=np.uint32)
    found = []
    for outlet in store.outlets():
        if find_attribution(doc, outlet) is None:
            continue
        ids = store.document_ids(outlet=outlet)
        for other, sig in store.signatures_of(ids).items():
            if other != doc.id and jaccard(mine, np.frombuffer(sig, dtype=np.uint32)) >= (
                ATTRIBUTED_MIN_JACCARD
            ):
                found.append(other)
    return found


def run(store: Store, ids: Sequence[str], settings: Settings) -> int:
    """Find the derivations touching these documents; returns how many were stored."""
    index_documents(store, ids)
    own = store.signatures_of(ids)
    found: dict[tuple[str, str], Derivation] = {}
    new = set(ids)
    for doc in store.iter_documents(ids):
        candidates = _closest(store, own.get(doc.id), store.lineage_candidates(doc.id))
        candidates.update(_credited_candidates(store, doc, own.get(doc.id)))
        # A pair of two new documents is compared once, from the smaller id.
        candidates = {c for c in candidates if c not in new or c > doc.id}
        for other in store.iter_documents(sorted(candidates)):
            derivation = compare(doc, other)
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
    published = {doc.id: doc.published or "" for doc in store.iter_documents(sorted(sources))}
    return [
        min(edges, key=lambda d: (-d.score, published.get(d.source_doc, ""), d.source_doc))
        for edges in by_derived.values()
    ]
