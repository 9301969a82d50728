"""The time stage: every temporal expression of a document, resolved, and a
publication date estimate when the input gave none.

Expressions are the DATE and TIME entities of the parse, resolved by
``timex.resolve`` against the publication date, looking forward when the
verb they modify is in the future tense ("will meet on Monday"). An
undated document gets an estimate from what it says (``dating``), which
also anchors its expressions; the estimate is marked as such in
``published_evidence``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

from storyline.model import STATED_DATES, Document, Timex
from storyline.settings import Settings
from storyline.stages.annotate import ANNOTATED_LANGUAGES, load_model
from storyline.stages.dating import estimate
from storyline.stages.timex import resolve
from storyline.store import Store

_FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo"})
# Verbs that put what they govern ahead: "plans to meet Tuesday", "is due to".
_FUTURE_VERBS = frozenset(
    {"plan", "schedule", "expect", "set", "due", "intend", "prepare", "aim", "hope", "propose"}
)


def _future(span: Any) -> bool:
    """Whether the clause the expression belongs to looks forward in time."""
    token = span.root
    for _ in range(4):
        children = list(token.children)
        if any(c.dep_ == "aux" and c.lower_ in _FUTURE_AUX for c in children):
            return True
        if token.lemma_ in _FUTURE_VERBS or (
            token.tag_ == "VBG"
            and any(c.dep_ == "aux" and c.tag_ in ("VBZ", "VBP") for c in children)
        ):
            return True
        if token.head is token:
            break
        token = token.head
    return False


def expressions(parsed: Any, anchor: date | None) -> list[Timex]:
    found = []
    for span in parsed.ents:
        if span.label_ not in ("DATE", "TIME"):
            continue
        resolved = resolve(span.text, anchor, _future(span))
        if resolved is None:
            continue
        found.append(
            Timex(
                span.start_char,
                span.end_char,
                span.text,
                resolved.value,
                resolved.granularity,
                resolved.confidence,
            )
        )
    return found


def build(
    settings: Settings, store: Store | None = None
) -> Callable[[Iterable[Document]], Iterator[Document]]:
    def times(docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            if doc.language not in ANNOTATED_LANGUAGES:
                doc.times = []
                yield doc
                continue
            parsed = doc.parse
            if parsed is None:
                parsed = load_model(settings.spacy_model)(doc.text)
            if not doc.published or doc.published_evidence not in STATED_DATES:
                found = estimate(doc, expressions(parsed, None))
                doc.published, doc.published_evidence = found.published, found.evidence
            anchor = date.fromisoformat(doc.published[:10]) if doc.published else None
            doc.times = expressions(parsed, anchor)
            yield doc

    return times
