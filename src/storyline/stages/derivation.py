"""Deciding whether one article derives from another, how, and which way.

Scoring (the alignment, shared quotes, attribution phrases) is separate from
deciding (``label`` and ``direction``), so the thresholds can be measured and
changed in one place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from storyline.ids import outlet_key
from storyline.model import Derivation, DerivationKind
from storyline.stages.align import Alignment

# Near-identical texts: almost every sentence aligned, almost word for word.
IDENTICAL_COVERAGE = 0.9
IDENTICAL_SCORE = 90.0
# A rewrite retells most of what it says from its source, in the source's
# order. Independent reports of one event retell less: at most 0.43 of an
# article's sentences in the demo corpus, and on the synthetic corpus (whose
# articles tell subsets of ten facts of one story) siblings retelling 60% in
# order are common, a rewrite's coverage is 0.8 to 1.0.
REWRITE_COVERAGE = 0.8
REWRITE_ORDER = 0.9
# ... closely: the sentences it retells keep on average this share of their
# content words (0-100). A paraphrase keeps about 70 (the demo corpus's
# rewrite 73, the Benzinga rewrite of the seeds 70); sentences of unrelated
# articles built on the same pattern share about half.
REWRITE_SCORE = 60.0
# ... and reuses at least this many of its sentences or quotes.
REWRITE_MIN_SHARED = 3
# An article crediting another outlet derives from one of its articles when it
# shares this many sentences or quotes with it.
ATTRIBUTED_MIN_SHARED = 2

_QUOTED = re.compile(r"[\"“]([^\"“”]{20,400})[\"”]")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Attribution:
    """A phrase in one document crediting another outlet, with its offsets."""

    text: str
    start: int
    end: int


def quote_keys(text: str, min_words: int = 6) -> set[str]:
    """Normalised direct quotes of at least ``min_words`` words: rare, long, verbatim."""
    keys = set()
    for m in _QUOTED.finditer(text):
        tokens = _WORD.findall(m.group(1).casefold())
        if len(tokens) >= min_words:
            keys.add(" ".join(tokens))
    return keys


_NAME = r"(?:[Tt]he\s+)?[A-Z][\w&'.-]*(?:\s+[A-Z][\w&'.-]*){0,4}"
# A name, then a reporting verb ("the Harbor Ledger reported"): the verbs are
# found first, then the name ending where each begins.
_VERB = re.compile(r"\b(?:reported|reports|wrote|revealed|said|says|disclosed|noted)\b")
_NAME_BEFORE = re.compile("(" + _NAME + r")(?:'s|’s)?\s+(?:first\s+|also\s+|has\s+|had\s+)?\Z")
_LONGEST_NAME = 80
# A crediting phrase, then a name ("according to Meridian Wire").
_CREDITED = re.compile(
    r"\b(?:[Aa]ccording\s+to|(?:[Ff]irst\s+|[Aa]s\s+)?[Rr]eported\s+by|[Tt]old|"
    r"[Ii]n\s+an\s+interview\s+with|[Vv]ia|[Cc]iting|[Cc]ited\s+by|[Qq]uoted\s+by|"
    r"[Ss]peaking\s+to)\s+(" + _NAME + ")"
)
_WORDS = re.compile(r"\S+")
_LETTERS = re.compile(r"[^\W\d_]+")
_POSSESSIVE = re.compile(r"['’]s$")
_name_key = lru_cache(maxsize=1 << 16)(outlet_key)


@dataclass(frozen=True, slots=True)
class Outlets:
    """The outlets a corpus knows: names by ``outlet_key``, and one word of each
    name (its longest) that a text crediting it must contain."""

    names: dict[str, str]
    words: frozenset[str]

    @staticmethod
    def of(names: Iterable[str]) -> Outlets:
        keys = {outlet_key(name): name for name in names}
        words = (max(_LETTERS.findall(key), key=len, default="") for key in keys)
        return Outlets(keys, frozenset(w for w in words if w))


def credits(text: str, outlets: Outlets, words: set[str] | None = None) -> dict[str, Attribution]:
    """The known outlets this text credits ("… the Harbor Ledger reported",
    "according to Meridian Wire"), by ``outlet_key``, with the first phrase
    crediting each.

    One scan for crediting phrases, whatever the outlets are: the cost does
    not grow with the number of outlets (and a text naming none of them is not
    scanned). A name followed or preceded by other capitalised words ("Calder
    Courier Editor") also credits each of its shorter starts and ends, with
    the phrase from that part on. ``words``: the text's casefolded words, when
    already known.
    """
    if outlets.words.isdisjoint(_LETTERS.findall(text.casefold()) if words is None else words):
        return {}
    phrases = []
    for m in _VERB.finditer(text):
        before = _NAME_BEFORE.search(text, max(0, m.start() - _LONGEST_NAME), m.start())
        if before:
            phrases.append((before.start(), m.end(), before.start(), before.end(1)))
    phrases.extend((m.start(), m.end(), m.start(1), m.end(1)) for m in _CREDITED.finditer(text))
    found: dict[str, Attribution] = {}
    for start, end, first, last in sorted(phrases):
        name = [(w.start(), w.end()) for w in _WORDS.finditer(text, first, last)]
        for size in range(len(name), 0, -1):
            for part in (name[:size], name[-size:]):
                key = _name_key(_POSSESSIVE.sub("", text[part[0][0] : part[-1][1]]))
                if key in outlets.names and key not in found:
                    # The phrase runs from the part to the verb right after it,
                    # or from the crediting words to the part right after them.
                    if first == start:
                        a, b = (part[0][0], end) if part[-1][1] == last else (start, end)
                    else:
                        a, b = (start, part[-1][1]) if part[0][0] == first else (start, end)
                    found[key] = Attribution(text[a:b], a, b)
    return found


def label(
    same_outlet: bool,
    alignment: Alignment,
    shared_quotes: int,
    attribution: Attribution | None,
    credited: bool = False,
) -> tuple[DerivationKind, float] | None:
    """How ``b`` derives from ``a`` (direction aside), with a 0-1 score, or None.

    The score of a copy or a rewrite is the share of ``b`` retold from ``a``,
    weighted by how closely (so of two possible sources the one ``b``
    follows more closely scores higher); an attributed edge scores 0.5 for
    the credit and 0.1 for each shared sentence or quote. ``credited``: ``a``
    is the article of the outlet ``b`` credits that ``b`` most likely means,
    so the credit alone makes an ``attributed`` edge.
    """
    closeness = alignment.b_coverage * alignment.mean_score / 100
    if alignment.b_coverage >= IDENTICAL_COVERAGE and alignment.mean_score >= IDENTICAL_SCORE:
        return ("duplicate" if same_outlet else "syndicated"), round(closeness, 3)
    shared = len(alignment.pairs) + shared_quotes
    if (
        alignment.b_coverage >= REWRITE_COVERAGE
        and alignment.order >= REWRITE_ORDER
        and alignment.mean_score >= REWRITE_SCORE
        and shared >= REWRITE_MIN_SHARED
    ):
        return "rewrite", round(closeness, 3)
    if attribution and (shared >= ATTRIBUTED_MIN_SHARED or credited):
        # The credit says more than the wording: half certain on its own.
        return "attributed", round(min(1.0, 0.5 + 0.1 * shared), 3)
    return None


# Without a credit, ``could_derive`` needs at least this share of the derived
# text's sentences aligned.
MIN_COVERAGE = min(IDENTICAL_COVERAGE, REWRITE_COVERAGE)


def could_derive(
    derived_sentences: int, matched: int, in_order: int, shared_quotes: int, credit: bool
) -> bool:
    """Whether ``label`` can find a derivation, knowing only how many sentences
    of the derived text match one of the source, and how many of those stay in
    order (the aligned pairs): what ``label`` requires, but the closeness of
    wording. Most candidate pairs end here, without their alignment."""
    coverage = in_order / derived_sentences
    if coverage >= IDENTICAL_COVERAGE:
        return True
    if (
        coverage >= REWRITE_COVERAGE
        and in_order >= REWRITE_ORDER * matched
        and in_order + shared_quotes >= REWRITE_MIN_SHARED
    ):
        return True
    return credit and in_order + shared_quotes >= ATTRIBUTED_MIN_SHARED


def direction(
    a_published: str | None,
    b_published: str | None,
    a_credits_b: Attribution | None,
    b_credits_a: Attribution | None,
    sentences: tuple[int, int],
) -> bool:
    """True when ``a`` is the source of ``b``.

    The earlier publication is the source; without dates, the document that
    credits the other is derived; failing that, the source is the one with
    more material of its own (more sentences).
    """
    if a_published and b_published and a_published[:16] != b_published[:16]:
        return a_published < b_published
    if b_credits_a and not a_credits_b:
        return True
    if a_credits_b and not b_credits_a:
        return False
    return sentences[0] >= sentences[1]


def independent_sources(docs: Sequence[str], derivations: Iterable[Derivation]) -> dict[str, str]:
    """Map each document to the original it derives from (itself when original).

    Chains are followed (a rewrite of a syndicated copy maps to the wire
    original), so counting distinct values counts independent sources.
    """
    parent = {d.derived_doc: d.source_doc for d in derivations}
    roots = {}
    for doc in docs:
        seen = {doc}
        root = doc
        while root in parent and parent[root] not in seen:
            root = parent[root]
            seen.add(root)
        roots[doc] = root
    return roots


def children(derivations: Iterable[Derivation]) -> dict[str, list[Derivation]]:
    """Derivations by source document: the lineage graph as adjacency lists."""
    graph: dict[str, list[Derivation]] = {}
    for d in derivations:
        graph.setdefault(d.source_doc, []).append(d)
    return graph
