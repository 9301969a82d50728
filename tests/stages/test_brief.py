"""Claims, independent sources, discrepancies and cited briefs on the seeds and the demo."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer
from typer.testing import CliRunner

from storyline.cli import app
from storyline.model import Brief, Claim, Document
from storyline.settings import Settings
from storyline.stages.align import similarities, similarity
from storyline.stages.brief import lexrank
from storyline.stages.corroborate import similar, similar_matrix, units
from storyline.store import open_store


def _load(settings: Settings) -> tuple[dict[str, Document], list[Claim], list[Brief]]:
    with open_store(settings.db, settings, read_only=True) as store:
        docs = {d.id: d for d in store.iter_documents()}
        claims = [c for _, c in store.iter_claims()]
        briefs = list(store.iter_briefs())
    return docs, claims, briefs


def _sentence(docs: dict[str, Document], doc: str, index: int) -> str:
    s = docs[doc].sentences[index]
    return docs[doc].text[s.start : s.end]


def test_reconsider_claim_has_three_independent_sources(dated_seed_settings: Settings) -> None:
    docs, claims, _ = _load(dated_seed_settings)
    [claim] = [
        c
        for c in claims
        if any(
            "We will reconsider the issue" in _sentence(docs, s.doc, s.sentence) for s in c.sources
        )
    ]
    outlets = {docs[s.doc].source for s in claim.sources}
    assert {"seed:000", "seed:001", "seed:002"} <= outlets
    assert "seed:003" in outlets  # the rewrite is listed ...
    assert claim.independent_sources == 3  # ... but never counted


def test_big_mistake_wording_and_speaker_are_a_discrepancy(dated_seed_settings: Settings) -> None:
    _, claims, _ = _load(dated_seed_settings)
    found = [
        d
        for c in claims
        for d in c.discrepancies
        if d["kind"] == "quote wording" and any("big mistake" in v for v in d["values"].values())
    ]
    assert found
    wordings = set(found[0]["values"].values())
    assert any("a very big mistake" in w for w in wordings) and len(wordings) >= 2


def test_every_citation_points_at_the_sentence_it_quotes(
    dated_seed_settings: Settings, demo_settings: Settings
) -> None:
    for settings in (dated_seed_settings, demo_settings):
        docs, _, briefs = _load(settings)
        assert briefs
        for brief in briefs:
            for sentence in [*brief.sentences, *brief.new]:
                cited = [docs[c.doc].text[c.start : c.end] for c in sentence.citations]
                assert sentence.text in cited
                assert all(text.strip() and text == text.strip() for text in cited)


def test_follow_up_names_what_is_new(dated_seed_settings: Settings) -> None:
    _, _, briefs = _load(dated_seed_settings)
    [follow_up] = [b for b in briefs if b.new_since]
    new = " ".join(s.text for s in follow_up.new)
    assert "deploy" in new and "troops" in new
    assert "ratified" in new


def test_june_brief_is_short_cited_and_corroborated(dated_seed_settings: Settings) -> None:
    _, _, briefs = _load(dated_seed_settings)
    [june] = [b for b in briefs if not b.new_since]
    assert 4 <= len(june.sentences) <= 8
    assert any(len({c.doc for c in s.citations}) >= 3 for s in june.sentences)
    assert len({s.text for s in june.sentences}) == len(june.sentences)


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_brief_command_formats(dated_seed_settings: Settings, fmt: str) -> None:
    with open_store(dated_seed_settings.db, dated_seed_settings, read_only=True) as store:
        story = next(s for s in store.iter_stories() if len(s.docs) == 4)
    result = CliRunner().invoke(app, ["--db", dated_seed_settings.db, "brief", story.id, "-f", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        data = json.loads(result.stdout)
        assert data["story"]["id"] == story.id and data["brief"]["sentences"]
        assert data["claims"][0]["independent_sources"] >= 2
    elif fmt == "html":
        assert result.stdout.startswith("<!doctype html>") and "Brief" in result.stdout
    else:
        assert result.stdout.startswith(f"**{story.label}**")


_stem_sets = st.lists(st.frozensets(st.sampled_from("abcdefghij"), max_size=6), max_size=12)


@given(_stem_sets, _stem_sets)
def test_similarities_at_once_equal_one_by_one(
    a: list[frozenset[str]], b: list[frozenset[str]]
) -> None:
    matrix = similarities(a, b).toarray()
    assert matrix.shape == (len(a), len(b))
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            assert matrix[i, j] == similarity(x, y)


def test_claim_similarities_at_once_equal_one_by_one(demo_settings: Settings) -> None:
    docs, _, _ = _load(demo_settings)
    sentences = [u for doc in list(docs.values())[:6] for u in units(doc)]
    matrix = similar_matrix(sentences)
    for i, a in enumerate(sentences):
        for j, b in enumerate(sentences):
            assert matrix[i, j] == similar(a, b)


def test_centrality_without_the_similarity_matrix_is_lexrank(demo_settings: Settings) -> None:
    """The implicit products give continuous LexRank as the explicit matrix does."""
    docs, _, _ = _load(demo_settings)
    texts = [u.text for doc in docs.values() for u in units(doc)]
    vectors = TfidfVectorizer(stop_words="english").fit_transform(texts)
    links = (vectors @ vectors.T).toarray()
    np.fill_diagonal(links, 0.0)
    degree = links.sum(axis=1)
    degree[degree == 0] = 1.0
    rank = np.full(len(texts), 1.0 / len(texts))
    for _ in range(50):
        rank = 0.15 / len(texts) + 0.85 * links.T @ (rank / degree)
    assert np.allclose(lexrank(vectors), rank / rank.max())


def test_a_claim_is_one_statement_not_a_shared_name(demo_settings: Settings) -> None:
    """'The union has been on strike since Monday' names the union as the quote of its
    secretary does; neither the walkout nor the deal she praised are the same claim."""
    docs, claims, _ = _load(demo_settings)
    told = [{_sentence(docs, s.doc, s.sentence) for s in c.sources} for c in claims]
    walkout = [t for t in told if any("walked off the job" in x for x in t)]
    assert walkout
    assert not any("proud of" in x for t in walkout for x in t)


def test_a_brief_tells_each_claim_once(
    dated_seed_settings: Settings, demo_settings: Settings
) -> None:
    for settings in (dated_seed_settings, demo_settings):
        docs, claims, briefs = _load(settings)
        claim_of = {(s.doc, s.sentence): c.id for c in claims for s in c.sources}
        for brief in briefs:
            told = []
            for sentence in brief.sentences:
                c = sentence.citations[0]
                [index] = [
                    i for i, s in enumerate(docs[c.doc].sentences) if s.start <= c.start < s.end
                ]
                told.append(claim_of.get((c.doc, index), sentence.text))
            assert len(told) == len(set(told)), brief.story
