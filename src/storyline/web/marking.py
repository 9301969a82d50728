"""A document's text as HTML with its annotations marked.

Annotations overlap (an entity inside a quote, a cited sentence cutting a
quote in two), so the text is cut at every span boundary and each piece is
wrapped in the marks of all spans covering it: the HTML always nests, and
every piece of text is escaped.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from markupsafe import Markup, escape

from storyline.model import Document


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    css: str
    title: str = ""


def spans_of(doc: Document, cited: tuple[int, int] | None = None) -> list[Span]:
    """Entity mentions, quotes and the cited passage, inside the text."""
    size = len(doc.text)
    spans = [Span(q.start, q.end, f"quote {q.kind}", q.speaker_text or "") for q in doc.quotes]
    spans += [Span(m.start, m.end, f"ent {m.label.lower()}", m.label) for m in doc.mentions]
    if cited:
        spans.append(Span(cited[0], cited[1], "cited"))
    return [s for s in spans if 0 <= s.start < s.end <= size]


def render(text: str, spans: list[Span]) -> Markup:
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    parts: list[Markup] = []
    first_cited = True
    for start, end in itertools.pairwise(cuts):
        piece = escape(text[start:end])
        for span in spans:
            if span.start <= start and end <= span.end:
                anchor = ""
                if span.css == "cited" and first_cited:
                    anchor, first_cited = ' id="cited"', False
                piece = Markup('<mark class="{}" title="{}"{}>{}</mark>').format(
                    span.css, span.title, Markup(anchor), piece
                )
        parts.append(piece)
    return Markup("").join(parts)
