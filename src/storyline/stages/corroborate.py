"""Corroboration: which facts several sources report, how many of them independently,
and where they disagree.

A corpus stage, per story. Sentences of different documents that say the same
thing are one claim: their content words agree (Dice over word stems, as in
lineage) on the whole sentence or on one of its parts (a clause, a quote),
or they carry quotes of one quote cluster. A claim's independent sources are
the distinct originals behind its documents after lineage (a rewrite or a
syndicated copy adds none), counted by outlet. Its discrepancies set the
documents' versions side by side: differing numbers, dates, quote wordings
and who the quote is attributed to.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from storyline.ids import stable_id
from storyline.model import Claim, Document, Quote, SentenceRef
from storyline.settings import Settings
from storyline.stages.align import content_stems, similarities, similarity
from storyline.stages.derivation import independent_sources
from storyline.store import Store

SAME_CLAIM = 45.0
MIN_PART_STEMS = 4
_PARTS = re.compile(r"[“”\"]|,\s|;\s|\s[—–]\s|:\s")
# What a sentence span may start with that is not part of the sentence: the
# dash of a dateline ("SEOUL — South Korea said …" split after the city).
_LEAD = " \t\n—–-:"
_NUMBER = re.compile(r"\b\d[\d,.]*(?:\s?(?:million|billion|trillion|percent|%))?")


@dataclass(slots=True)
class Unit:
    """One sentence of one document of a story."""

    doc: str
    index: int
    start: int
    end: int
    text: str
    stems: frozenset[str]
    parts: list[frozenset[str]]


def units(doc: Document) -> list[Unit]:
    found = []
    for index, s in enumerate(doc.sentences):
        raw = doc.text[s.start : s.end]
        start = s.start + len(raw) - len(raw.lstrip(_LEAD))
        end = max(start, s.end - (len(raw) - len(raw.rstrip())))
        text = doc.text[start:end]
        stems = content_stems(text)
        parts = [
            p for p in (content_stems(x) for x in _PARTS.split(text)) if len(p) >= MIN_PART_STEMS
        ]
        found.append(Unit(doc.id, index, start, end, text, stems, parts))
    return found


def similar(a: Unit, b: Unit) -> float:
    best = similarity(a.stems, b.stems)
    for x in a.parts:
        for y in b.parts:
            best = max(best, similarity(x, y))
    return best


def similar_matrix(members: Sequence[Unit]) -> np.ndarray:
    """``similar`` of every pair of these sentences: the same values, in one pass."""
    stems = [u.stems for u in members]
    best: np.ndarray = similarities(stems, stems).toarray()
    with_parts = [i for i, u in enumerate(members) if u.parts]
    if with_parts:
        parts = [p for i in with_parts for p in members[i].parts]
        starts = np.cumsum([0, *(len(members[i].parts) for i in with_parts[:-1])])
        by_part = similarities(parts, parts).toarray()
        # The best pair of parts of each two sentences: maxima over row blocks, then columns.
        by_unit = np.maximum.reduceat(np.maximum.reduceat(by_part, starts, axis=0), starts, axis=1)
        block = np.ix_(with_parts, with_parts)
        best[block] = np.maximum(best[block], by_unit)
    return best


def group(story_units: list[Unit], quotes: dict[tuple[str, int], list[Quote]]) -> list[list[Unit]]:
    """Sentences of different documents saying the same thing, grouped.

    Greedy, without chaining: a sentence joins the group whose first sentence
    it matches best (content words, or a quote of the same cluster), at most
    one sentence per document in a group; otherwise it starts a group.
    """
    groups: list[list[Unit]] = []
    group_docs: list[set[str]] = []
    index: dict[str, set[int]] = {}
    clusters = {(u.doc, u.index): _clusters(u, quotes) for u in story_units}
    for unit in story_units:
        candidates: set[int] = set()
        for stem in unit.stems:
            candidates |= index.get(stem, set())
        best, best_score = None, SAME_CLAIM
        for g in sorted(candidates):
            if unit.doc in group_docs[g]:
                continue
            seed = groups[g][0]
            score = similar(unit, seed)
            if clusters[(unit.doc, unit.index)] & clusters[(seed.doc, seed.index)]:
                score = max(score, 100.0)
            if score >= best_score:
                best, best_score = g, score
        if best is None:
            groups.append([unit])
            group_docs.append({unit.doc})
            for stem in unit.stems:
                index.setdefault(stem, set()).add(len(groups) - 1)
        else:
            groups[best].append(unit)
            group_docs[best].add(unit.doc)
    return groups


def _numbers(text: str) -> list[str]:
    return sorted({m.group().rstrip(".,") for m in _NUMBER.finditer(text)})


def discrepancies(
    members: list[Unit], quotes: dict[tuple[str, int], list[Quote]], docs: dict[str, Document]
) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    numbers = {u.doc: _numbers(u.text) for u in members if _numbers(u.text)}
    if len(numbers) >= 2 and len({tuple(v) for v in numbers.values()}) > 1:
        found.append({"kind": "numbers", "values": numbers})
    dates: dict[str, list[str]] = {}
    for u in members:
        values = sorted({t.value for t in docs[u.doc].times if u.start <= t.start < u.end})
        if values:
            dates[u.doc] = values
    if len(dates) >= 2 and len({tuple(v) for v in dates.values()}) > 1:
        found.append({"kind": "dates", "values": dates})
    by_cluster: dict[str, list[Quote]] = {}
    for u in members:
        for quote in quotes.get((u.doc, u.index), []):
            if quote.cluster:
                by_cluster.setdefault(quote.cluster, []).append(quote)
    for cluster, said in sorted(by_cluster.items()):
        wordings = {q.doc: q.text for q in said}
        if len(set(wordings.values())) > 1:
            found.append({"kind": "quote wording", "cluster": cluster, "values": wordings})
        speakers = {q.doc: q.speaker_text for q in said if q.speaker_text}
        if len({s.casefold() for s in speakers.values()}) > 1:
            found.append({"kind": "attribution", "cluster": cluster, "values": speakers})
    return found


def story_claims(
    story: str,
    docs: dict[str, Document],
    roots: dict[str, str],
    quotes: dict[tuple[str, int], list[Quote]],
) -> tuple[list[Claim], list[Unit]]:
    """The story's claims (reported by two documents or more) and the sentences
    only one document has (its unique details)."""
    pending = [u for doc in docs.values() for u in units(doc)]
    claims = []
    # Sentences a group loses to its central one are grouped once more among themselves.
    for _ in range(2):
        left_over = []
        for grouped in group(pending, quotes):
            central, members, left = _agreeing(grouped, quotes)
            left_over.extend(left)
            if len({u.doc for u in members}) < 2:
                left_over.extend(members)
                continue
            independent = {_source_key(roots[u.doc], docs) for u in members}
            refs = sorted({(u.doc, u.index) for u in members})
            claims.append(
                Claim(
                    id="k" + stable_id(story, *(f"{d}:{i}" for d, i in refs), size=6),
                    text=central.text,
                    sources=[SentenceRef(d, i) for d, i in refs],
                    independent_sources=len(independent),
                    discrepancies=discrepancies(members, quotes, docs),
                )
            )
        pending = left_over
    claims.sort(key=lambda c: (-c.independent_sources, -len(c.sources), c.id))
    return claims, pending


def _clusters(unit: Unit, quotes: dict[tuple[str, int], list[Quote]]) -> set[str]:
    return {q.cluster for q in quotes.get((unit.doc, unit.index), []) if q.cluster}


def _agreeing(
    members: list[Unit], quotes: dict[tuple[str, int], list[Quote]]
) -> tuple[Unit, list[Unit], list[Unit]]:
    """A group's central sentence (most like the others, the shortest of equals: the
    claim's wording), the sentences that say what it says, and the others.

    Grouping compares each sentence with a group's first one only, so a short
    first sentence ("The union has been on strike since Monday.") can gather
    sentences that share little more than a name with each other; a claim
    keeps those that match its central sentence (content words, or a quote of
    the same cluster).
    """
    rows = similar_matrix(members).tolist()
    c = max(
        range(len(members)),
        key=lambda i: (sum(v for j, v in enumerate(rows[i]) if j != i), -len(members[i].text)),
    )
    said = _clusters(members[c], quotes)
    agree: list[Unit] = []
    other: list[Unit] = []
    for j, unit in enumerate(members):
        same = j == c or rows[c][j] >= SAME_CLAIM or bool(said & _clusters(unit, quotes))
        (agree if same else other).append(unit)
    return members[c], agree, other


def _source_key(root: str, docs: dict[str, Document]) -> str:
    """An independent source: the original's outlet (its id when unknown)."""
    doc = docs.get(root)
    return (doc.outlet if doc is not None else None) or root


def quotes_by_sentence(docs: dict[str, Document]) -> dict[tuple[str, int], list[Quote]]:
    found: dict[tuple[str, int], list[Quote]] = {}
    for doc in docs.values():
        for quote in doc.quotes:
            for index, s in enumerate(doc.sentences):
                if s.start <= quote.start < s.end:
                    found.setdefault((doc.id, index), []).append(quote)
                    break
    return found


def run(store: Store, ids: Sequence[str], settings: Settings) -> int:
    """Recompute the claims of every story these documents belong to."""
    touched = set(store.stories_of(ids).values())
    result: dict[str, list[Claim]] = {}
    for story in store.iter_stories():
        if story.id not in touched:
            continue
        docs = {d.id: d for d in store.iter_documents(story.docs)}
        roots = independent_sources(list(docs), store.iter_derivations(docs))
        claims, _ = story_claims(story.id, docs, roots, quotes_by_sentence(docs))
        result[story.id] = claims
    store.replace_claims(result)
    return sum(len(c) for c in result.values())
