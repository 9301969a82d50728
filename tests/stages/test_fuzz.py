"""Random and hostile text through the text stages: no crash, offsets always valid."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.model import Document
from storyline.stages.clean import clean_document
from storyline.stages.quote_spans import quote_spans
from storyline.stages.timex import resolve

# Characters that break naive text handling: bidi and zero-width marks,
# combining accents, NUL and other controls, quote marks of many kinds, emoji.
HOSTILE = "\u200f\u200e\u202e\u200b\u200d\ufeff\u0301\u0308\x00\x07\x1b\t\r\n\u2028\u2029"
MARKS = "\"'“”„‟‘’«»‹›「」"
alphabet = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(HOSTILE + MARKS + "🙂👩‍👩‍👧 \n"),
)
texts = st.text(alphabet=alphabet, max_size=400)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(texts)
def test_clean_keeps_offsets_inside_the_raw_text(text: str) -> None:
    doc = clean_document(Document(id="x", source="fuzz", raw_text=text, text=text))
    for removed in doc.removed:
        assert 0 <= removed.start <= removed.end <= len(text)
        assert text[removed.start : removed.end] == removed.text
    assert len(doc.text) <= len(text)


@FUZZ
@given(texts)
def test_quote_spans_stay_inside_their_marks_and_the_text(text: str) -> None:
    for span in quote_spans(text):
        assert 0 <= span.outer_start <= span.start < span.end <= span.outer_end <= len(text)


@FUZZ
@given(texts, st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), st.booleans())
def test_time_expressions_resolve_or_are_left_alone(text: str, anchor: date, future: bool) -> None:
    resolved = resolve(text, anchor, future)
    if resolved is not None:
        assert resolved.value
