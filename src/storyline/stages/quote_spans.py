"""Where the quotation marks are: quoted spans, paragraph by paragraph.

News convention: a quote that runs over several paragraphs leaves the
closing mark off each paragraph but the last, and opens each new one with a
mark. Straight marks toggle; curly marks say which way they go, so a quote
inside a quote (“… what he calls “hell” …”) stays inside its outer quote. A
closing mark that opens a paragraph is an opening mark typed the wrong way.
An opening mark never closed is dropped unless it opens a whole paragraph (a
quote paragraph that lost its closing mark), so a stray mark can never make
the rest of the article one long quote; and a text that is one quote from
start to end has no quote in it to attribute.
"""

from __future__ import annotations

from dataclasses import dataclass

OPEN = "“"
CLOSE = "”"
STRAIGHT = '"'
MAX_PARAGRAPHS = 4
MAX_CHARS = 3000
# A quote covering this much of the whole text is a statement pasted in marks,
# not a quote the text attributes.
WHOLE_TEXT = 0.9


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """The text inside the marks (``start``-``end``), and the marks' own span."""

    start: int
    end: int
    outer_start: int
    outer_end: int


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-blank lines as (start, end) without their edge whitespace."""
    spans, pos = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            spans.append((pos + lead, pos + lead + len(stripped)))
        pos += len(line) + 1
    return spans


def _straight(text: str, offset: int, start: int, end: int) -> str | None:
    """Which way a straight mark faces, where its neighbours tell: a word after
    it and a space before opens, a word before it and a space after closes."""
    before = text[offset - 1] if offset > start else " "
    after = text[offset + 1] if offset + 1 < end else " "
    if (before.isspace() or before in "([—–-") and not after.isspace():
        return OPEN
    if not before.isspace() and (after.isspace() or after in ".,;:!?)—–-"):
        return CLOSE
    return None


def _marks(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """Quotation marks in a paragraph as (offset, "open"|"close"), outermost pairs only.

    Curly marks nest; a straight mark faces the way its neighbours say, else
    closes an open straight mark or opens. When the marks do not balance,
    nesting is not trusted and each opening mark pairs with the next closing one.
    """
    marks = [
        (i, (_straight(text, i, start, end) or STRAIGHT) if text[i] == STRAIGHT else text[i])
        for i in range(start, end)
        if text[i] in (OPEN, CLOSE, STRAIGHT)
    ]
    if marks and marks[0][1] == CLOSE and marks[0][0] == start:
        marks[0] = (start, OPEN)
    found: list[tuple[int, str]] = []
    stack: list[str] = []
    for offset, mark in marks:
        closes = mark == CLOSE or (mark == STRAIGHT and bool(stack) and stack[-1] == STRAIGHT)
        if not closes:
            if not stack:
                found.append((offset, "open"))
            stack.append(mark)
        elif stack:
            stack.pop()
            if not stack:
                found.append((offset, "close"))
    if not stack:
        return found
    flat: list[tuple[int, str]] = []
    straight_open = False
    for offset, mark in marks:
        if mark == STRAIGHT:
            flat.append((offset, "close" if straight_open else "open"))
            straight_open = not straight_open
        else:
            flat.append((offset, "open" if mark == OPEN else "close"))
            straight_open = mark == OPEN
    return flat


def quote_spans(text: str) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    pending: int | None = None  # offset of an opening mark not yet closed
    starts_paragraph = False
    carried = 0
    previous_end = 0
    for p_start, p_end in paragraphs(text):
        marks = _marks(text, p_start, p_end)
        if pending is not None:
            if (
                marks
                and marks[0] == (p_start, "open")
                and (text[p_start] == STRAIGHT) == (text[pending] == STRAIGHT)
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
    whole = WHOLE_TEXT * len(text.strip())
    return [
        s
        for s in spans
        if text[s.start : s.end].strip()
        and s.end - s.start <= MAX_CHARS
        and s.outer_end - s.outer_start < whole
    ]
