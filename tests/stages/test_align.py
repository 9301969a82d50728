"""Sentence alignment: one similarity matrix for a text and all its candidates."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.stages.align import (
    ALIGNED,
    Sentences,
    Similarities,
    StemCodes,
    _number_mask,
    _number_masks,
    content_stems,
    similarity,
)

WORDS = ["harbour", "ferry", "storm", "council", "budget", "ramp", "island", "repairs", "fuel"]
FIGURES = ["", "12", "1,200", "4.2", "2019"]

sentence = st.tuples(st.lists(st.sampled_from(WORDS), max_size=6), st.sampled_from(FIGURES)).map(
    lambda parts: " ".join(parts[0] + [parts[1]]).strip() + "."
)
text = st.lists(sentence, min_size=1, max_size=7)


def _encode(codes: StemCodes, sentences: list[str]) -> Sentences:
    joined = "\n".join(sentences)
    spans, pos = [], 0
    for s in sentences:
        spans.append((pos, pos + len(s)))
        pos += len(s) + 1
    return codes.encode(joined, spans)[0]


def _figures(s: str) -> set[str]:
    return {f.replace(",", "") for f in s.rstrip(".").split() if f[0].isdigit()}


def _reference(source: list[str], derived: list[str]) -> list[tuple[int, int, float]]:
    """Each derived sentence's best source sentence (the last of equal scores),
    figures that differ making sentences unrelated."""
    found = []
    for j, d in enumerate(derived):
        best = (0.0, -1)
        for i, s in enumerate(source):
            a, b = _figures(s), _figures(d)
            score = 0.0 if a and b and not a & b else similarity(content_stems(s), content_stems(d))
            best = max(best, (score, i))
        if best[0] >= ALIGNED:
            found.append((best[1], j, best[0]))
    return found


@settings(max_examples=150, deadline=None)
@given(st.lists(text, min_size=2, max_size=4))
def test_the_matrices_align_each_pair_of_texts_as_one_by_one(texts: list[list[str]]) -> None:
    # Each text against all the others, computed together: the pairs are
    # numbered text by text, candidate by candidate.
    codes = StemCodes()
    encoded = [_encode(codes, t) for t in texts]
    pairs = [(i, j) for i in range(len(texts)) for j in range(len(texts)) if i != j]
    sims = Similarities(
        [(encoded[i], [e for j, e in enumerate(encoded) if j != i]) for i in range(len(texts))]
    )
    for k, (this, that) in enumerate(pairs):
        b, source = texts[this], texts[that]
        shares = []
        for b_derived, (src, der) in ((True, (source, b)), (False, (b, source))):
            expected = _reference(src, der)
            shares.append(len(expected) / len(der))
            alignment = sims.align(k, b_derived)
            assert alignment.matched == len(expected)
            assert sims.in_order(k, b_derived) == (len(expected), len(alignment.pairs))
            assert sims.matched(k, b_derived) == len(expected)
            by_derived = {j: (i, score) for i, j, score in expected}
            for pair in alignment.pairs:
                assert pair.a == by_derived[pair.b][0]
                assert abs(pair.score - by_derived[pair.b][1]) < 1e-9
            positions = [(p.a, p.b) for p in alignment.pairs]
            assert positions == sorted(positions)
            assert len({a for a, _ in positions}) == len(positions)
        assert sims.matched_shares()[k] == max(shares)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="0123456789٣,.' ’\u00a0ab\n", max_size=60),
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=6),
)
def test_figures_of_sentences_read_from_one_scan_are_those_of_each_alone(
    text: str, bounds: list[tuple[int, int]]
) -> None:
    spans = [(min(a, b, len(text)), min(max(a, b), len(text))) for a, b in bounds]
    assert _number_masks(text, spans) == [_number_mask(text, a, b) for a, b in spans]
