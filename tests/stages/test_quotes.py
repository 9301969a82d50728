"""Quotes: marks, speakers, kinds, clusters; on the seeds and on text written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.model import Document, Quote
from storyline.settings import Settings
from storyline.stages import annotate, entities, quotes
from storyline.stages.ingest.build import make_document
from storyline.stages.quote_clusters import same_utterance, wording
from storyline.stages.quote_spans import quote_spans
from storyline.store import open_store


def _inside(text: str) -> list[str]:
    return [text[s.start : s.end] for s in quote_spans(text)]


def test_curly_and_straight_marks() -> None:
    text = 'He said “the ramp is gone” and she said "we sail on Friday" at noon.'
    assert _inside(text) == ["the ramp is gone", "we sail on Friday"]


def test_a_quote_running_over_paragraphs_is_one_quote() -> None:
    text = "Okafor said:\n\n“We will not sail this week.\n\n“We will sail when it is safe.”\n\nEnd."
    assert _inside(text) == ["We will not sail this week.\n\n“We will sail when it is safe."]


def test_a_quote_paragraph_without_its_closing_mark_ends_with_the_paragraph() -> None:
    text = "“We will not sail this week, and that is final\n\nThe council met on Monday."
    assert _inside(text) == ["We will not sail this week, and that is final"]


@pytest.mark.parametrize(
    "text",
    [
        "A stray “ mark in the middle of a paragraph.\n\nAnother paragraph follows here.",
        "“" + "Words words words. " * 400,
        "“Nested ‘single’ quotes inside” and an unbalanced ” mark.",
        "\n\n".join(["“A paragraph that goes on and on and on"] * 10),
        "Ruth Okafor said: “The ramp “is gone and the “pier is “closed”\n\n" * 3,
        "“" + "The whole article is one quote, she said, and it never ends. " * 60 + "”",
        "“" + "The whole article is one shorter quote. " * 20 + "”",
    ],
)
def test_bad_marks_never_make_the_document_one_quote(run_quotes: object, text: str) -> None:
    for inner in _inside(text):
        assert len(inner) <= 3000 and inner.count("\n\n") <= 4
    assert all(len(q) < len(text) * 0.9 for q in _inside(text))
    doc = run_quotes(text)  # type: ignore[operator]
    assert all(q.end - q.start < len(text) * 0.9 for q in doc.quotes)


@pytest.fixture(scope="module")
def run_quotes() -> object:
    settings = Settings()
    stages = [annotate.build(settings), entities.build(settings), quotes.build(settings)]

    def run(text: str) -> Document:
        stream = iter([make_document(text, "t.txt", settings)])
        for stage in stages:
            stream = stage(stream)
        [doc] = list(stream)
        return doc

    return run


def _speaker_name(doc: Document, quote: Quote) -> str:
    return next(m.text for m in doc.mentions if m.entity == quote.speaker)


def test_speaker_cue_and_continuation(run_quotes: object) -> None:
    text = (
        "The ferry to Tarn Island stopped on Monday.\n\n"
        "“We will not sail until the ramp is safe,” Ruth Okafor, the chief executive of Tarn"
        " Ferries, told reporters.\n\n"
        "“Nobody should travel to the harbour this week.”\n\n"
        "Harbour master Piet Larsen said the repairs would take at least two weeks."
    )
    doc = run_quotes(text)  # type: ignore[operator]
    direct = [q for q in doc.quotes if q.kind == "direct"]
    assert [q.text for q in direct] == [
        "We will not sail until the ramp is safe,",
        "Nobody should travel to the harbour this week.",
    ]
    assert {_speaker_name(doc, q) for q in direct} == {"Ruth Okafor"}
    assert direct[0].cue == "told"
    [indirect] = [q for q in doc.quotes if q.kind == "indirect"]
    assert indirect.text == "the repairs would take at least two weeks"
    assert _speaker_name(doc, indirect) == "Piet Larsen" and indirect.cue == "said"


def test_partial_quote_is_the_reported_clause(run_quotes: object) -> None:
    doc = run_quotes(  # type: ignore[operator]
        "Council leader Imran Castell warned that the storm would be “a disaster for the"
        " harbour” if the barriers were not built."
    )
    [quote] = doc.quotes
    assert quote.kind == "partial"
    assert quote.text.startswith("the storm would be “a disaster for the harbour”")
    assert _speaker_name(doc, quote) == "Imran Castell"


def test_scare_quotes_are_not_quotes(run_quotes: object) -> None:
    doc = run_quotes("The so-called “storm tax” was dropped from the budget on Tuesday.")  # type: ignore[operator]
    assert doc.quotes == []


def _said(doc: Document) -> list[tuple[str, str, str | None]]:
    """(kind, text, speaker name) of each quoted (not indirect) quote."""
    names = {m.entity: m.text for m in reversed(doc.mentions)}
    return [
        (q.kind, q.text, names.get(q.speaker or "")) for q in doc.quotes if q.kind != "indirect"
    ]


def test_a_quote_broken_by_its_attribution_is_one_quote(run_quotes: object) -> None:
    doc = run_quotes(  # type: ignore[operator]
        "The ferry stayed in port.\n\n"
        "“The ramp cracked in two places,” Piet Larsen said. “We will not risk a car"
        " going into the water.”"
    )
    assert _said(doc) == [
        (
            "direct",
            "The ramp cracked in two places, We will not risk a car going into the water.",
            "Piet Larsen",
        )
    ]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # The cue in a short sentence after the quote.
        ("“Who signed off on the repairs?” Imran Castell demanded.", "Imran Castell"),
        # A signature after a dash.
        ("“The harbour has never been this quiet.” ― Ruth Okafor", "Ruth Okafor"),
        # A quote paragraph after "X said:".
        (
            "Harbour master Piet Larsen said:\n\n“Nobody sails until the ramp is fixed.”",
            "Piet Larsen",
        ),
        # "she" skips the man named last.
        (
            "Ruth Okafor runs Tarn Ferries. Harbour master Piet Larsen said he would keep"
            " the port shut.\n\n"
            "“We lose money every day the ramp is shut,” she said.",
            "Ruth Okafor",
        ),
        # A person the article introduces, then quotes without a cue.
        (
            "Among those waiting was Mabel Quist, a retired nurse who has sailed to the"
            " island every week since 1990.\n\n“I have never seen the port closed this long.”",
            "Mabel Quist",
        ),
    ],
)
def test_speakers_without_a_subject_verb_pair(run_quotes: object, text: str, speaker: str) -> None:
    [(kind, _, name)] = _said(run_quotes(text))  # type: ignore[operator]
    assert kind == "direct" and name == speaker


def test_framed_words_and_titles(run_quotes: object) -> None:
    doc = run_quotes(  # type: ignore[operator]
        "Imran Castell called the repair plan “a fantasy” on Monday.\n\n"
        "Ruth Okafor told “Harbour Hour” that the ferry would sail on Friday."
    )
    said = _said(doc)
    assert said == [("partial", "the repair plan “a fantasy”", "Imran Castell")]


def test_a_quote_inside_a_quote_stays_inside(run_quotes: object) -> None:
    text = (
        "Ruth Okafor said: “They call this a “temporary” closure, but it has lasted"
        " a month.”\n\n”Wrong-way marks open this paragraph,” she added."
    )
    assert _inside(text) == [
        "They call this a “temporary” closure, but it has lasted a month.",
        "Wrong-way marks open this paragraph,",
    ]


def test_seed_quotes_have_their_speakers(seed_settings: Settings) -> None:
    with open_store(seed_settings.db, seed_settings, read_only=True) as store:
        docs = {Path(d.source).name[:3]: d for d in store.iter_documents()}
        names = {e.id: e.name for e in store.iter_entities()}

    def speaker(seed: str, start: str) -> str | None:
        [quote] = [q for q in docs[seed].quotes if q.text.startswith(start)]
        return names.get(quote.speaker or "")

    assert speaker("000", "We will reconsider the issue") in {"Chang Ho-jin"}
    assert speaker("000", "Any co-operation that helps") == "Chang Ho-jin"
    assert speaker("003", "Any co-operation that helps") == "Chang Ho-jin"
    [partial] = [q for q in docs["003"].quotes if "“will reconsider”" in q.text]
    assert partial.kind == "partial" and names.get(partial.speaker or "") == "Chang Ho-jin"
    yoon = [q for q in docs["004"].quotes if q.kind == "direct"][:2]
    assert yoon[0].text.startswith("Now, depending on the level")
    assert yoon[1].text.startswith("This means we are not ruling out")
    assert {names.get(q.speaker or "") for q in yoon} == {"Yoon Suk-yeol"} or {
        names.get(q.speaker or "") for q in yoon
    } == {"Yoon Suk Yeol"}


def test_seed_big_mistake_is_one_cluster_with_its_wording_difference(
    seed_settings: Settings,
) -> None:
    with open_store(seed_settings.db, seed_settings, read_only=True) as store:
        docs = {Path(d.source).name[:3]: d.id for d in store.iter_documents()}
        found = [q for q in store.iter_quotes() if "big mistake" in q.text]
    assert {q.doc for q in found} >= {docs["000"], docs["001"]}
    assert len({q.cluster for q in found}) == 1 and found[0].cluster
    variants = wording(found)
    assert {v.text for v in variants} == {"big mistake", "a very big mistake"}
    longer = next(v for v in variants if v.text == "a very big mistake")
    shorter = next(v for v in variants if v.text == "big mistake")
    assert ("+", "a very") in longer.diff or ("-", "a very") in shorter.diff


def _q(doc: str, text: str, kind: str = "direct", speaker: str | None = "okafor") -> Quote:
    return Quote(f"q-{doc}-{len(text)}", doc, text, 0, len(text), kind, speaker, None, None, None)  # type: ignore[arg-type]


def test_one_utterance_in_other_words_is_one_cluster_only_within_a_story() -> None:
    a = _q("a", "We deeply regret the delay and are cooperating fully with the port authority.")
    b = _q("b", "We regret this delay deeply and we are working with every agency involved.")
    assert same_utterance(a, b, same_story=True)
    assert not same_utterance(a, b, same_story=False)
    assert not same_utterance(a, _q("b", b.text, speaker="larsen"), same_story=True)
    indirect = _q("c", "the company was cooperating fully with the port authority", "indirect")
    assert same_utterance(a, indirect, same_story=True)
    other = _q("d", "The ferry will sail again on Friday if the ramp holds.")
    assert not same_utterance(a, other, same_story=True)


def test_words_quoted_again_inside_a_later_statement_are_a_new_utterance() -> None:
    first = _q("a", "This was a reckless decision,")
    fragment = _q("b", 'the closure "a reckless decision"', "partial")
    later = _q(
        "c",
        "I said in May that this was a reckless decision. The inquiry shows it was"
        " one of many, and some of them were made in this office.",
    )
    assert same_utterance(first, fragment)
    assert not same_utterance(first, later)
    assert not same_utterance(fragment, later)
    assert same_utterance(_q("d", "This was a very reckless decision, and we will fix it"), first)
