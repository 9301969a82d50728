"""Deciding whether one article derives from another, how, and which way.

Scoring (the alignment, shared quotes, attribution phrases) is separate from
deciding (``label`` and ``direction``), so the thresholds can be measured and
changed in one place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from storyline.ids import outlet_key
from storyline.model import Derivation, DerivationKind, Document
from storyline.stages.align import Alignment

# Near-identical texts: almost every sentence aligned, almost word for word.
IDENTICAL_COVERAGE = 0.9
IDENTICAL_SCORE = 90.0
# A rewrite retells most of what it says from its source, in the source's
# order (independent reports of one event align a fifth of their sentences
# at most) ...
REWRITE_COVERAGE = 0.4
REWRITE_ORDER = 0.7
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


@cache
def _attribution_pattern(outlet: str) -> re.Pattern[str]:
    name = r"(?:the\s+)?" + r"\s+".join(map(re.escape, outlet_key(outlet).split()))
    return re.compile(
        rf"\b{name}(?:'s|’s)?\s+(?:first\s+|also\s+|has\s+|had\s+)?"
        r"(?:reported|reports|wrote|revealed|said|says|disclosed|noted)\b"
        r"|\b(?:according\s+to|(?:first\s+|as\s+)?reported\s+by|told|in\s+an\s+interview\s+with|"
        rf"via|citing|cited\s+by|quoted\s+by|speaking\s+to)\s+{name}\b",
        re.IGNORECASE,
    )


_NAME = r"((?:[Tt]he\s+)?[A-Z][\w&'.-]*(?:\s+[A-Z][\w&'.-]*){0,4})"
_CREDITS = re.compile(
    _NAME + r"(?:'s|’s)?\s+(?:first\s+|also\s+|has\s+|had\s+)?"
    r"(?:reported|reports|wrote|revealed|said|says|disclosed|noted)\b"
    r"|\b(?:according\s+to|reported\s+by|told|in\s+an\s+interview\s+with|via|citing|cited\s+by|"
    r"quoted\s+by|speaking\s+to)\s+" + _NAME
)


def credited_outlets(doc: Document, outlets: dict[str, str]) -> list[str]:
    """The known outlets (``outlet_key`` -> name) this document credits, in text order.

    One scan for names in crediting phrases, then a dictionary lookup, so the
    cost does not grow with the number of outlets.
    """
    found: list[str] = []
    own = outlet_key(doc.outlet) if doc.outlet else None
    for m in _CREDITS.finditer(doc.text):
        words = (m.group(1) or m.group(2)).split()
        # "Calder Courier on Monday" / "Harbor Ledger": try the longest name first.
        for end in range(len(words), 0, -1):
            key = outlet_key(" ".join(words[:end]))
            start_key = outlet_key(" ".join(words[-end:]))
            for k in (key, start_key):
                if k in outlets and k != own and outlets[k] not in found:
                    found.append(outlets[k])
    return found


def find_attribution(doc: Document, outlet: str | None) -> Attribution | None:
    """Where ``doc`` credits ``outlet`` as its source ("… Financial Times reported")."""
    if not outlet or (doc.outlet and outlet_key(doc.outlet) == outlet_key(outlet)):
        return None
    m = _attribution_pattern(outlet).search(doc.text)
    return Attribution(m.group(), m.start(), m.end()) if m else None


def label(
    a: Document,
    b: Document,
    alignment: Alignment,
    shared_quotes: int,
    attribution: Attribution | None,
    credited: bool = False,
) -> tuple[DerivationKind, float] | None:
    """How ``b`` derives from ``a`` (direction aside), with a 0-1 score, or None.

    ``credited``: ``a`` is the article of the credited outlet that ``b`` most
    likely means, so the credit alone makes an ``attributed`` edge.
    """
    if alignment.b_coverage >= IDENTICAL_COVERAGE and alignment.mean_score >= IDENTICAL_SCORE:
        different = a.outlet and b.outlet and outlet_key(a.outlet) != outlet_key(b.outlet)
        return ("syndicated" if different else "duplicate"), alignment.mean_score / 100
    shared = len(alignment.pairs) + shared_quotes
    if (
        alignment.b_coverage >= REWRITE_COVERAGE
        and alignment.order >= REWRITE_ORDER
        and shared >= REWRITE_MIN_SHARED
    ):
        return "rewrite", round(min(1.0, alignment.b_coverage + 0.1 * shared_quotes), 3)
    if attribution and (shared >= ATTRIBUTED_MIN_SHARED or credited):
        return "attributed", round(min(1.0, 0.5 + 0.1 * shared), 3)
    return None


def direction(
    a: Document,
    b: Document,
    a_credits_b: Attribution | None,
    b_credits_a: Attribution | None,
    alignment: Alignment,
) -> bool:
    """True when ``a`` is the source of ``b``.

    The earlier publication is the source; without dates, the document that
    credits the other is derived; failing that, the source is the one with
    more material of its own.
    """
    if a.published and b.published and a.published[:16] != b.published[:16]:
        return a.published < b.published
    if b_credits_a and not a_credits_b:
        return True
    if a_credits_b and not b_credits_a:
        return False
    return alignment.a_sentences >= alignment.b_sentences


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
