"""Quote clusters: one utterance as several outlets report it, and how their wording differs.

A corpus stage. Each new quote is compared with the quotes of other
documents by the same speaker, and with the quotes of the same story, on
the words it puts in its speaker's mouth: the words inside the marks for a
partial quote, the whole text otherwise. Two quotes are one utterance when

- their words match (rapidfuzz token-set ratio, which forgives added words:
  "big mistake" in "a very big mistake"), the shorter is either a quoted
  fragment or a fair share of the longer, and the longer does not report the
  shorter as said before ("I said in March that this was a serious mistake"
  is a new utterance); or
- one speaker says them in one story and they share most of their content
  words: outlets that paraphrase a quote or report it as indirect speech
  ("We regret this incident deeply" / "We deeply regret this incident";
  "the company was cooperating fully" / "are cooperating fully").

Quotes of two different speakers are never one utterance; a quote whose
speaker is unknown joins one of its story by its words alone. ``wording``
aligns the variants of a cluster word by word.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, utils

from storyline.model import Quote
from storyline.settings import Settings
from storyline.stages.align import content_stems
from storyline.store import Store

SAME_UTTERANCE = 80.0
MIN_WORDS = 2
# A whole quote found inside a longer one is the same utterance only if it is
# at least this share of the longer one.
MIN_SHARE = 0.4
# A paraphrase by the same speaker in the same story shares at least this
# share of the content words of the shorter wording, and at least two of them.
PARAPHRASE = 0.5
# Words before a quote's words inside a longer quote that say it was said before.
RECALL_WINDOW = 6
_REPORTING = frozenset({"said", "say", "says", "told", "called", "warned", "wrote"})
_MARKED = re.compile(r"[“\"]([^”\"“]+)[”\"]")
_WORD = re.compile(r"\w[\w'’-]*")


def fragments(quote: Quote) -> list[str]:
    """The words the quote puts in its speaker's mouth."""
    marked = _MARKED.findall(quote.text) if quote.kind == "partial" else []
    return [f for f in (marked or [quote.text]) if len(_WORD.findall(f)) >= MIN_WORDS]


def _verbatim(x: str, y: str, fragment: bool) -> bool:
    """The same words, give or take a few (``fragment``: the shorter is a quoted
    fragment of a sentence, which may be any share of it)."""
    nx, ny = len(_WORD.findall(x)), len(_WORD.findall(y))
    if min(nx, ny) < MIN_WORDS:
        return False
    if not fragment and min(nx, ny) < MIN_SHARE * max(nx, ny):
        return False
    if fuzz.token_set_ratio(x, y, processor=utils.default_process) < SAME_UTTERANCE:
        return False
    shorter, longer = (x, y) if nx <= ny else (y, x)
    return not _recalled(shorter, longer)


def _recalled(shorter: str, longer: str) -> bool:
    """Whether the longer quote reports the shorter one as said before ("I said in
    March that this was a serious mistake"): a new utterance about the old."""
    words = [w.casefold() for w in _WORD.findall(longer)]
    key = [w.casefold() for w in _WORD.findall(shorter)][:3]
    for i in range(len(words) - len(key) + 1):
        if words[i : i + len(key)] == key:
            return any(w in _REPORTING for w in words[max(0, i - RECALL_WINDOW) : i])
    return False


def _paraphrase(x: str, y: str) -> bool:
    a, b = content_stems(x), content_stems(y)
    shared = len(a & b)
    return shared >= 2 and shared >= PARAPHRASE * min(len(a), len(b))


def same_utterance(a: Quote, b: Quote, same_story: bool = False) -> bool:
    """Whether two quotes of different documents report one utterance (see above)."""
    if a.doc == b.doc or (a.speaker and b.speaker and a.speaker != b.speaker):
        return False
    one_speaker = bool(a.speaker) and a.speaker == b.speaker
    for x in fragments(a):
        for y in fragments(b):
            shorter = a if len(x) <= len(y) else b
            if _verbatim(x, y, shorter.kind == "partial"):
                return True
            if one_speaker and same_story and _paraphrase(x, y):
                return True
    return False


def run(store: Store, ids: Sequence[str], settings: Settings) -> int:
    """Cluster the quotes of these documents with all others; returns quotes clustered."""
    new = list(store.iter_quotes(docs=ids))
    if not new:
        return 0
    story_of = store.stories_of(q.doc for q in new)
    speakers = {q.speaker for q in new if q.speaker}
    pool = {q.id: q for q in store.iter_quotes(speakers=speakers)}
    stories = store.docs_of_stories(set(story_of.values()))
    pool.update(
        (q.id, q) for q in store.iter_quotes(docs={d for docs in stories.values() for d in docs})
    )
    pool.update((q.id, q) for q in new)
    story_of.update(store.stories_of({q.doc for q in pool.values()}))
    parent = {q: q for q in pool}
    # Only quotes of one story or of one speaker are ever compared: index them so.
    by_story: dict[str, list[Quote]] = {}
    by_speaker: dict[str, list[Quote]] = {}
    for said in pool.values():
        if (story := story_of.get(said.doc)) is not None:
            by_story.setdefault(story, []).append(said)
        if said.speaker:
            by_speaker.setdefault(said.speaker, []).append(said)

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for quote in new:
        story = story_of.get(quote.doc)
        candidates = {x.id: x for x in by_story.get(story, [])} if story is not None else {}
        candidates.update((x.id, x) for x in by_speaker.get(quote.speaker or "", []))
        for other in candidates.values():
            if other.id == quote.id:
                continue
            same_story = story_of.get(quote.doc) is not None and story_of.get(
                quote.doc
            ) == story_of.get(other.doc)
            related = same_story or (quote.speaker and quote.speaker == other.speaker)
            if related and same_utterance(quote, other, same_story):
                a, b = root(quote.id), root(other.id)
                parent[max(a, b)] = min(a, b)
    members: dict[str, list[str]] = {}
    for q in pool:
        members.setdefault(root(q), []).append(q)
    clusters: dict[str, str | None] = {
        q: "c" + root(q)[1:] if len(members[root(q)]) > 1 else None for q in pool
    }
    changed = {q: c for q, c in clusters.items() if pool[q].cluster != c}
    store.set_quote_clusters(changed)
    return sum(1 for q in new if clusters[q.id])


def _norm(word: str) -> str:
    return word.casefold().replace("’", "'")


@dataclass(frozen=True, slots=True)
class Variant:
    """One wording of a clustered quote, as a word diff against the cluster's first wording."""

    text: str
    docs: list[str]
    diff: list[tuple[str, str]]  # (op, words): op is "=", "+", "-"


def wording(quotes: list[Quote]) -> list[Variant]:
    """The distinct wordings of a cluster, each with its word diff against the most common."""
    by_text: dict[str, list[str]] = {}
    for q in quotes:
        text = " ".join(fragments(q)) or q.text
        same = next(
            (t for t in by_text if _WORD.findall(_norm(t)) == _WORD.findall(_norm(text))), text
        )
        by_text.setdefault(same, []).append(q.doc)
    ordered = sorted(by_text.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    base = _WORD.findall(ordered[0][0])
    variants = []
    for text, docs in ordered:
        words = _WORD.findall(text)
        diff: list[tuple[str, str]] = []
        matcher = difflib.SequenceMatcher(
            a=[w.casefold() for w in base], b=[w.casefold() for w in words]
        )
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                diff.append(("=", " ".join(words[j1:j2])))
                continue
            if i2 > i1:
                diff.append(("-", " ".join(base[i1:i2])))
            if j2 > j1:
                diff.append(("+", " ".join(words[j1:j2])))
        variants.append(Variant(text, sorted(docs), diff))
    return variants
