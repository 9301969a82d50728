"""Where the quotation marks are: quoted spans, paragraph by paragraph.

News convention: a quote that runs over several paragraphs leaves the
closing mark off each paragraph but the last, and opens each new one with a
mark. Straight marks toggle; curly marks say which way they go. An opening
mark never closed is dropped unless it opens a whole paragraph (a quote
paragraph that lost its closing mark), so a stray mark can never make the
rest of the article one long quote.
"""

from __future__ import annotations

from dataclasses import dataclass

OPEN = "“"
CLOSE = "”"
STRAIGHT = '"'
MAX_PARAGRAPHS = 4
MAX_CHARS = 3000


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """The text inside the marks (``start``-``end``), and the marks' own span."""

    start: int
    end: int
    outer_start: int
    outer_end: int


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            spans.append((pos + lead, pos + lead + len(stripped)))
        pos += len(line) + 1
    return spans


def _marks(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """Quotation marks in a paragraph as (offset, "open"|"close")."""
    found = []
    straight_open = False
    for i in range(start, end):
        ch = text[i]
        if ch == OPEN:
            found.append((i, "open"))
        elif ch == CLOSE:
            found.append((i, "close"))
        elif ch == STRAIGHT:
            found.append((i, "close" if straight_open else "open"))
            straight_open = not straight_open
    return found


def quote_spans(text: str) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    pending: int | None = None  # offset of an opening mark not yet closed
    starts_paragraph = False
    carried = 0
    previous_end = 0
    for p_start, p_end in _paragraphs(text):
        marks = _marks(text, p_start, p_end)
        if pending is not None:
            if (
                marks
                and marks[0] == (p_start, "open")
                and text[p_start] == text[pending]
                and len(text[pending + 1 : previous_end].split()) >= 3
                and carried + 1 < MAX_PARAGRAPHS
            ):
                marks, carried = marks[1:], carried + 1  # the quote goes on here
            else:
                if starts_paragraph:
                    spans.append(QuoteSpan(pending + 1, previous_end, pending, previous_end))
                pending = None
        for offset, kind in marks:
            if kind == "open":
                pending, starts_paragraph, carried = offset, offset == p_start, 0
            elif pending is not None:
                spans.append(QuoteSpan(pending + 1, offset, pending, offset + 1))
                pending = None
        previous_end = p_end
    if pending is not None and starts_paragraph:
        spans.append(QuoteSpan(pending + 1, previous_end, pending, previous_end))
    return [s for s in spans if text[s.start : s.end].strip() and s.end - s.start <= MAX_CHARS]
