"""Lineage: who copied whom — duplicates, syndicated copies, rewrites, credited reports.

A corpus stage. The documents of a run are taken a chunk at a time. Each
document's MinHash signature and index keys (``stages.minhash``) go into the
store; documents sharing a band, or enough sentence and quote keys, are
candidates (``stages.candidates``): within the chunk counted in memory, with
stored documents through the store's index. Documents whose outlet a document
credits ("… the Harbor Ledger reported") are candidates too: that outlet's
article closest to it in content words, published in the month before it.
Each document is then compared with all its candidates at once (one sentence
similarity matrix, ``align.Similarities``); only the pairs that could make a
derivation are aligned, labelled (``derivation.label``) and oriented
(``derivation.direction``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from storyline.batching import batched
from storyline.ids import outlet_key
from storyline.model import Derivation
from storyline.settings import Settings
from storyline.stages import candidates
from storyline.stages.align import Sentences, Similarities, StemCodes
from storyline.stages.derivation import (
    MIN_COVERAGE,
    Attribution,
    Outlets,
    could_derive,
    credits,
    direction,
    label,
    quote_keys,
)
from storyline.stages.minhash import BAND, KIND_BITS, index_keys, minhash_scheme
from storyline.store import Store
from storyline.store.lineage import LineageText

# How the index is made: stored keys made otherwise are rebuilt before use.
SCHEME = f"lineage-2/{minhash_scheme()}"
# An article crediting an outlet is compared with that outlet's article whose
# content words overlap its own the most, if at least this much (same topic).
ATTRIBUTED_MIN_JACCARD = 0.05
CREDIT_WINDOW = timedelta(days=31)
# Documents handled together: their candidates among each other are counted
# in memory, and their profiles kept meanwhile.
CHUNK = 20_000
WRITE_BATCH = 2_000
# Documents whose index keys are computed together, and documents compared
# with their candidates together.
KEY_GROUP = 256
COMPARE_GROUP = 256


@dataclass(slots=True)
class Profile:
    """What comparing needs of a document: its sentences (stem codes, figures), quotes,
    credits, signature."""

    id: str
    outlet_key: str | None
    published: str | None
    spans: list[tuple[int, int]]
    sentences: Sentences
    quotes: frozenset[str]
    credits: dict[str, Attribution]
    signature: np.ndarray | None

    def credit_to(self, other: Profile) -> Attribution | None:
        """Where this document credits the other's outlet."""
        if other.outlet_key is None or other.outlet_key == self.outlet_key:
            return None
        return self.credits.get(other.outlet_key)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for part in text.split("\n"):
        if part.strip():
            spans.append((pos, pos + len(part)))
        pos += len(part) + 1
    return spans


def profiles(
    docs: Iterable[LineageText], codes: StemCodes, outlets: Outlets
) -> list[tuple[Profile, np.ndarray]]:
    """The documents' profiles and index keys (the keys of a group of
    documents computed at once)."""
    found = []
    for group in batched(docs, KEY_GROUP):
        read = []
        for doc in group:
            spans = doc.sentences or _paragraphs(doc.text)
            sentences, words = codes.encode(doc.text, spans)
            read.append((doc, spans, sentences, words, quote_keys(doc.text)))
        stems = [s.codes for _, _, s, _, _ in read]
        distinct = ["".join(set("".join(doc))) for doc in stems]
        keyed = index_keys(
            codes.hashes("".join(itertools.chain.from_iterable(stems))),
            [[len(c) for c in doc] for doc in stems],
            codes.hashes("".join(distinct)),
            [len(d) for d in distinct],
            [sorted(quotes) for *_, quotes in read],
        )
        for (doc, spans, sentences, words, quotes), (signature, keys) in zip(
            read, keyed, strict=True
        ):
            made = Profile(
                doc.id,
                outlet_key(doc.outlet) if doc.outlet else None,
                doc.published,
                spans,
                sentences,
                frozenset(quotes),
                credits(doc.text, outlets, words),
                signature,
            )
            found.append((made, keys))
    return found


def _index(store: Store, built: Sequence[tuple[Profile, np.ndarray]]) -> None:
    """Signatures and keys of these documents into the store."""
    for batch in batched(built, WRITE_BATCH):
        store.save_lineage_features(
            [
                (p.id, p.signature.tobytes() if p.signature is not None else None, keys)
                for p, keys in batch
            ]
        )


def compare(
    b: Profile, a: Profile, sims: Similarities, k: int, credited: bool
) -> Derivation | None:
    """The derivation between ``b`` and its candidate ``a`` (pair ``k`` of ``sims``),
    oriented, with its evidence; or None.

    ``credited``: ``b`` credits ``a``'s outlet, and ``a`` is that outlet's
    article it most likely means.
    """
    a_credits_b = a.credit_to(b) if a.credits else None
    b_credits_a = b.credit_to(a) if b.credits else None
    sizes = (len(a.sentences.codes), len(b.sentences.codes))
    b_derived = direction(a.published, b.published, a_credits_b, b_credits_a, sizes)
    source, derived = (a, b) if b_derived else (b, a)
    credit = b_credits_a if b_derived else a_credits_b
    shared_quotes = len(a.quotes & b.quotes) if a.quotes and b.quotes else 0
    if not credited:
        size, matched = len(derived.sentences.codes), sims.matched(k, b_derived)
        # All matched sentences in order is the most an alignment can keep.
        if not could_derive(size, matched, matched, shared_quotes, bool(credit)):
            return None
        matched, aligned = sims.in_order(k, b_derived)
        if not could_derive(size, matched, aligned, shared_quotes, bool(credit)):
            return None
    alignment = sims.align(k, b_derived)
    same_outlet = not (a.outlet_key and b.outlet_key and a.outlet_key != b.outlet_key)
    decided = label(same_outlet, alignment, shared_quotes, credit, credited)
    if decided is None:
        return None
    kind, score = decided
    evidence: dict[str, object] = {
        "aligned": [
            {
                "source": list(source.spans[p.a]),
                "derived": list(derived.spans[p.b]),
                "score": round(p.score, 1),
            }
            for p in alignment.pairs
        ],
        "shared_quotes": shared_quotes,
        "coverage": round(alignment.b_coverage, 3),
    }
    if credit:
        evidence["attribution"] = {"text": credit.text, "start": credit.start, "end": credit.end}
    return Derivation(source.id, derived.id, kind, score, evidence)


def _credit_window(published: str | None) -> tuple[str | None, str | None]:
    """The dates an article credited by one published then can have."""
    if not published:
        return None, None
    try:
        when = datetime.fromisoformat(published)
    except ValueError:
        return None, published
    return (when - CREDIT_WINDOW).isoformat(), published


def _in_window(published: str | None, since: str | None, until: str | None) -> bool:
    if published is None:
        return True
    return (since is None or published >= since) and (until is None or published <= until)


def _credited(
    store: Store, chunk: Sequence[Profile], outlets: Outlets, elsewhere: bool
) -> list[tuple[int, str]]:
    """(document, credited article) for each outlet a document of the chunk credits:
    that outlet's article closest in content words among those of the month
    before it (the chunk's, and stored ones when there are others), if close
    enough."""
    by_outlet: dict[str, list[Profile]] = {}
    for p in chunk:
        if p.outlet_key and p.signature is not None:
            by_outlet.setdefault(p.outlet_key, []).append(p)
    found = []
    for i, p in enumerate(chunk):
        if p.signature is None:
            continue
        since, until = _credit_window(p.published)
        for key in sorted(p.credits.keys() - {p.outlet_key}):
            stored = store.outlet_signatures(outlets.names[key], since, until) if elsewhere else {}
            signatures = {doc: np.frombuffer(sig, dtype=np.uint32) for doc, sig in stored.items()}
            signatures.update(
                (other.id, other.signature)
                for other in by_outlet.get(key, [])
                if other.signature is not None and _in_window(other.published, since, until)
            )
            signatures.pop(p.id, None)
            match = closest(p.signature, signatures)
            if match and match[0] >= ATTRIBUTED_MIN_JACCARD:
                found.append((i, match[1]))
    return found


def closest(signature: np.ndarray, signatures: dict[str, np.ndarray]) -> tuple[float, str] | None:
    """The document whose signature agrees with this one most (the first by id
    of equals), and the share of agreeing values (a Jaccard estimate)."""
    if not signatures:
        return None
    docs = sorted(signatures)
    scores = (np.stack([signatures[d] for d in docs]) == signature).mean(axis=1)
    best = int(np.argmax(scores))
    return float(scores[best]), docs[best]


def _candidates(
    store: Store, chunk: Sequence[Profile], keys: Sequence[np.ndarray], elsewhere: bool
) -> tuple[candidates.Pairs, list[str]]:
    """Candidate pairs of the chunk's documents (numbered by position, then the
    stored documents listed), before the chunk's keys are stored."""
    flat = np.concatenate([np.zeros(0, np.int64), *keys])
    if not elsewhere:
        return candidates.strongest(candidates.within(keys, np.zeros(0, np.int64))), []
    wanted, in_chunk = np.unique(flat, return_counts=True)
    holders, common = store.lineage_holders(
        wanted.tolist(), candidates.MAX_KEY_DOCS, lambda key: (key & KIND_BITS) == BAND
    )
    # Stored keys of the chunk's own documents (analysed before) are stale.
    mine = {p.id for p in chunk}
    stored = {key: [doc for doc in docs if doc not in mine] for key, docs in holders.items()}
    count = dict(zip(wanted.tolist(), in_chunk.tolist(), strict=True))
    common |= {
        key
        for key, docs in stored.items()
        if (key & KIND_BITS) != BAND and len(docs) + count[key] > candidates.MAX_KEY_DOCS
    }
    outside: list[str] = []
    number: dict[str, int] = {}
    others: dict[int, list[int]] = {}
    for key, docs in stored.items():
        for doc in docs:
            if doc not in number:
                number[doc] = len(chunk) + len(outside)
                outside.append(doc)
            others.setdefault(key, []).append(number[doc])
    frequent = np.array(sorted(common), dtype=np.int64)
    within = candidates.within(keys, frequent)
    across = candidates.across(keys, others, frequent)
    pairs = candidates.Pairs.of(
        np.concatenate([within.first, across.first]),
        np.concatenate([within.second, across.second]),
        np.concatenate([within.band, across.band]),
        np.concatenate([within.shared, across.shared]),
    )
    return candidates.strongest(pairs), outside


def _chunk(
    store: Store, texts: Sequence[LineageText], codes: StemCodes, outlets: Outlets
) -> list[Derivation]:
    """Index a chunk of documents, then find the derivations touching them."""
    built = profiles(texts, codes, outlets)
    chunk = [p for p, _ in built]
    position = {p.id: i for i, p in enumerate(chunk)}
    elsewhere = store.lineage_indexed_besides(position)
    pairs, outside = _candidates(store, chunk, [k for _, k in built], elsewhere)
    _index(store, built)
    credited = _credited(store, chunk, outlets, elsewhere)
    paired = {outside[n - len(chunk)] for n in pairs.second.tolist() if n >= len(chunk)}
    wanted = paired | {doc for _, doc in credited if doc not in position}
    # Everyone compared: the chunk's documents, then the stored ones read.
    everyone = chunk + [p for p, _ in profiles(store.lineage_texts(sorted(wanted)), codes, outlets)]
    number = {p.id: i for i, p in enumerate(everyone)}
    # The pairs' documents by their numbers there (-1: no longer stored).
    renumber = np.array(
        [*range(len(chunk)), *(number.get(doc, -1) for doc in outside)], dtype=np.int64
    )
    first, second = renumber[pairs.first], renumber[pairs.second]
    # Two documents of the chunk are compared from the later one; a stored
    # document from the chunk's; a credited article from the one crediting it.
    later = pairs.second < len(chunk)
    b = np.r_[np.where(later, second, first), np.array([i for i, _ in credited], np.int64)]
    a = np.r_[
        np.where(later, first, second), np.array([number.get(d, -1) for _, d in credited], np.int64)
    ]
    is_credited = np.r_[np.zeros(len(pairs), bool), np.ones(len(credited), bool)]
    keep = np.flatnonzero(a >= 0)
    order = keep[np.argsort(b[keep], kind="stable")]
    return compare_all(everyone, b[order], a[order], is_credited[order])


def compare_all(
    everyone: Sequence[Profile], b: np.ndarray, a: np.ndarray, is_credited: np.ndarray
) -> list[Derivation]:
    """The derivations between the pairs of documents (``b[k]``, ``a[k]``),
    numbered in ``everyone``, grouped by ``b``, with whether ``b`` credits
    ``a``'s outlet (and ``a`` is that outlet's likeliest article): a group of
    documents ``b`` at a time compared with all their candidates. A document
    without sentences is compared with none."""
    usable = np.array([bool(p.sentences.codes) for p in everyone], dtype=bool)
    keep = usable[a] & usable[b]
    b, a, is_credited = b[keep], a[keep], is_credited[keep]
    credits = np.array([bool(p.credits) for p in everyone], dtype=bool)
    sentences = [p.sentences for p in everyone]
    starts = np.flatnonzero(np.r_[True, b[1:] != b[:-1]]) if len(b) else b
    bounds = np.r_[starts, len(b)].tolist()
    b_list, a_list = b.tolist(), a.tolist()
    found = []
    for group in range(0, len(starts), COMPARE_GROUP):
        ends = bounds[group : group + COMPARE_GROUP + 1]
        span = slice(ends[0], ends[-1])
        texts = [
            (sentences[b_list[lo]], list(map(sentences.__getitem__, a_list[lo:hi])))
            for lo, hi in itertools.pairwise(ends)
        ]
        sims = Similarities(texts)
        # Without a credit either way, a pair whose texts match too few of
        # each other's sentences makes no derivation: most end here.
        hopeful = sims.matched_shares() >= MIN_COVERAGE
        maybe = hopeful | is_credited[span] | credits[b[span]] | credits[a[span]]
        for k in np.flatnonzero(maybe).tolist():
            this, that = everyone[b_list[span.start + k]], everyone[a_list[span.start + k]]
            credited = bool(is_credited[span.start + k])
            if credited or hopeful[k] or this.credit_to(that) or that.credit_to(this):
                derivation = compare(this, that, sims, k, credited)
                if derivation:
                    found.append(derivation)
    return found


def index(store: Store, ids: Iterable[str]) -> None:
    """Put these documents into the lineage index without comparing them."""
    codes, outlets = StemCodes(), Outlets.of([])
    for texts in batched(store.lineage_texts(ids), CHUNK):
        _index(store, profiles(texts, codes, outlets))


def refresh_index(store: Store, new: set[str]) -> None:
    """The stored index made again when it was made another way (or not at
    all), from the documents other than these new ones."""
    if store.lineage_scheme() != SCHEME:
        index(store, [doc for doc in store.document_ids() if doc not in new])
        store.set_lineage_scheme(SCHEME)


def run(store: Store, ids: Sequence[str], settings: Settings) -> int:
    """Find the derivations touching these documents; returns how many were stored."""
    ids = list(dict.fromkeys(ids))
    refresh_index(store, set(ids))
    codes, outlets = StemCodes(), Outlets.of(store.outlets())
    found: list[Derivation] = []
    for texts in batched(store.lineage_texts(ids), CHUNK):
        found += _chunk(store, texts, codes, outlets)
    return save(store, ids, found)


def save(
    store: Store, ids: Sequence[str], found: Iterable[Derivation], batch: int | None = None
) -> int:
    """Store the derivations found for these documents (of a pair found twice,
    the better scored, else the first), one source per derived document, in
    place of those stored before; in one transaction, or ``batch`` derivations
    at a time. Returns how many were stored."""
    best: dict[tuple[str, str], Derivation] = {}
    for derivation in found:
        key = (derivation.source_doc, derivation.derived_doc)
        if key not in best or best[key].score < derivation.score:
            best[key] = derivation
    # A new document may be a better source for a document analysed before.
    older = sorted({d.derived_doc for d in best.values()} - set(ids))
    edges = list(best.values()) + [
        d for d in store.derivations_of(older) if (d.source_doc, d.derived_doc) not in best
    ]
    kept = strongest_sources(edges, store)
    parts = list(batched(kept, batch)) if batch else [kept]
    for n, part in enumerate(parts or [[]]):
        store.replace_derivations(list(ids) if n == 0 else [], part, older if n == 0 else [])
    return len(kept)


def _closeness(d: Derivation) -> float:
    """How much of the derived text retells the source, and how closely (the
    score of a copy or a rewrite; for a credited report, what its wording
    adds to the credit)."""
    aligned = d.evidence.get("aligned") or []
    if not isinstance(aligned, list) or not aligned:
        return 0.0
    mean = sum(float(p["score"]) for p in aligned) / len(aligned)
    return float(d.evidence.get("coverage", 0.0)) * mean / 100


def strongest_sources(found: Iterable[Derivation], store: Store) -> list[Derivation]:
    """One source per derived document: the one it retells most closely, then
    the best scored, then the earliest.

    A rewrite of a wire story also matches every syndicated copy of that
    story equally well; its source is the original, not a copy.
    """
    by_derived: dict[str, list[Derivation]] = {}
    for d in found:
        by_derived.setdefault(d.derived_doc, []).append(d)
    sources = {d.source_doc for edges in by_derived.values() for d in edges if len(edges) > 1}
    published = {
        doc: header.published or ""
        for doc, header in store.document_headers(ids=sorted(sources)).items()
    }
    return [
        min(
            edges,
            key=lambda d: (
                -round(_closeness(d), 3),
                -d.score,
                published.get(d.source_doc, ""),
                d.source_doc,
            ),
        )
        for edges in by_derived.values()
    ]
