"""Stories clustered a block at a time give the stories stage's stories."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from storyline.batching import batched, in_process
from storyline.executors.local import analyze
from storyline.model import Mention, Sentence
from storyline.pipeline import DEFAULT_STAGES
from storyline.settings import Settings, load_settings
from storyline.stages import lineage, stories, stories_blocked
from storyline.stages.story_arrival import ArrivalFrequencies, postings
from storyline.stages.story_blocks import blocks
from storyline.stages.story_model import SPACES, DocFrequencies, Features, StoryParams
from storyline.store import Store, open_store
from storyline.synth import generate
from storyline.workflow import ingest
from tests.conftest import DEMO

BEFORE_STORIES = DEFAULT_STAGES[: DEFAULT_STAGES.index("stories")]


def _records(settings: Settings) -> dict[str, Any]:
    """Stories (with labels, dates, entities) and storylines (with links) of a store."""
    with open_store(settings.db, settings, read_only=True) as store:
        return {
            "stories": sorted(
                (s.id, s.label, s.docs, s.entities, s.start, s.end, s.storyline)
                for s in store.iter_stories()
            ),
            "storylines": sorted(
                (line.id, line.label, line.stories, json.dumps(links, sort_keys=True))
                for line, links in store.iter_storylines()
            ),
        }


def _both(settings: Settings, tmp_path: Path, ids: list[str]) -> tuple[Settings, Settings]:
    """Copies of a store, stories clustered by the stage and by blocks."""
    copies = []
    for name, blocked in (("stage", False), ("blocked", True)):
        target = load_settings(environ={}, db=str(tmp_path / f"{name}.db"))
        shutil.copy(settings.db, target.db)
        with open_store(target.db, target) as store:
            if blocked:
                stories_blocked.run(store, ids, target, in_process, partition_size=7)
            else:
                stories.run(store, ids, target)
        copies.append(target)
    return copies[0], copies[1]


@pytest.fixture(scope="module")
def demo_before_stories(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, list[str]]:
    db = tmp_path_factory.mktemp("demo-blocked") / "demo.db"
    settings = load_settings(environ={}, db=str(db))
    with open_store(db, settings) as store:
        ingest([DEMO / "articles.jsonl", DEMO / "txt"], store, settings)
        analyze(store, settings, stages=BEFORE_STORIES)
        ids = sorted(store.document_ids())
    return settings, ids


def test_demo_corpus_by_blocks_gives_the_stages_stories(
    demo_before_stories: tuple[Settings, list[str]], tmp_path: Path
) -> None:
    settings, ids = demo_before_stories
    stage, blocked = _both(settings, tmp_path, ids)
    assert _records(blocked) == _records(stage)
    assert len(_records(stage)["stories"]) == 4


def test_demo_corpus_in_two_runs_by_blocks(
    demo_before_stories: tuple[Settings, list[str]], tmp_path: Path
) -> None:
    """The second half joins the stories the first half stored, as the stage does."""
    settings, ids = demo_before_stories
    with open_store(settings.db, settings, read_only=True) as store:
        published = {d: h.published for d, h in store.document_headers(ids=ids).items()}
    order = stories_blocked.arrival(ids, published)
    first, second = sorted(order[: len(order) // 2]), sorted(order[len(order) // 2 :])
    stage, blocked = _both(settings, tmp_path, first)
    for target, runner in ((stage, None), (blocked, in_process)):
        with open_store(target.db, target) as store:
            if runner is None:
                stories.run(store, second, target)
            else:
                stories_blocked.run(store, second, target, runner, partition_size=4)
    assert _records(blocked) == _records(stage)


_NAME = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+)*")


def _synthetic_store(tmp_path: Path, docs: int) -> tuple[Settings, list[str]]:
    """A synthetic corpus cleaned, split into paragraphs, with capitalised names
    as entities (no spaCy), and its lineage."""
    corpus = tmp_path / "synth.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        for record, _ in generate(docs, docs // 15, seed=5):
            fh.write(json.dumps(record) + "\n")
    settings = load_settings(environ={}, db=str(tmp_path / "synth.db"))
    with open_store(settings.db, settings) as store:
        ingest([corpus], store, settings)
        analyze(store, settings, stages=["clean"])
        ids = sorted(store.document_ids())
        _sketch(store, ids)
        lineage.run(store, ids, settings)
    return settings, ids


def _sketch(store: Store, ids: list[str]) -> None:
    for batch in batched(store.iter_documents(ids), 100):
        for doc in batch:
            doc.sentences = [Sentence(m.start(), m.end()) for m in re.finditer(r"[^\n]+", doc.text)]
            doc.mentions = [
                Mention(doc.id, m.start(), m.end(), m.group(), "ORG", m.group().casefold())
                for m in _NAME.finditer(doc.text)
            ]
        store.save_annotations(batch, "sketch")


@pytest.mark.slow
def test_synthetic_corpus_by_blocks_gives_the_stages_stories(tmp_path: Path) -> None:
    settings, ids = _synthetic_store(tmp_path, 300)
    stage, blocked = _both(settings, tmp_path, ids)
    assert _records(blocked) == _records(stage)


def _features(words: str, day: float | None, entities: str = "") -> Features:
    return Features(
        Counter(words.split()), Counter(e for e in entities.split(",") if e), Counter(), day
    )


def test_arrival_frequencies_are_those_of_one_pass() -> None:
    """A block weighs each term as one pass over the whole run weighs it when
    the block's document arrives."""
    run = [_features(w, 1.0) for w in ("a b", "b c", "a c d", "d", "a b c d", "b")]
    found = postings(enumerate(run))
    mine = [1, 3, 4]
    arrival = ArrivalFrequencies(run=found, positions=mine)
    whole = DocFrequencies()
    for position, f in enumerate(run):
        whole.add(f)
        if position in mine:
            arrival.add(f)
            assert arrival.docs == whole.docs
            for term in "abcde":
                assert arrival.idf("words", term) == whole.idf("words", term)


def test_blocks_follow_distinctive_entities_within_the_window() -> None:
    run = [
        _features("harbour strike said", 0.0, "calder port,mira oduya"),
        _features("harbour strike said", 1.0, "calder port,mira oduya"),
        _features("budget council said", 1.0, "vessen council,tom reyes"),
        _features("budget council said", 2.0, "vessen council,tom reyes"),
        _features("harbour dredging said", 40.0, "calder port,mira oduya"),  # weeks later
        _features("budget council said", None),  # undated, naming nobody
        _features("strike vote said", 41.0, "mira oduya,lena park"),
    ]
    days = np.array([f.day if f.day is not None else np.nan for f in run])
    found = postings(enumerate(run))
    # Two entities in common tie documents within the window; the dredging
    # and the vote share one name only. The undated document, naming nobody,
    # goes by its words ("said", in more than four documents, is common).
    assert blocks(found, days, window=10.0, max_docs=4).tolist() == [0, 0, 1, 1, 2, 1, 3]
    # A word shared with every document is still one term: it ties nothing alone.
    assert blocks(found, days, window=10.0, max_docs=7).tolist() == [0, 0, 1, 1, 2, 1, 3]
    # A derived document goes with its source, documents reaching one stored story together.
    assert blocks(found, days, 10.0, 4, pairs=[(4, 0)]).tolist() == [0, 0, 1, 1, 0, 1, 2]
    stored = [(2, "s1"), (4, "s1")]
    assert blocks(found, days, 10.0, 4, stored=stored).tolist() == [0, 0, 1, 1, 1, 1, 2]


def test_the_window_is_where_time_alone_keeps_a_document_out() -> None:
    params = StoryParams.load()
    window = stories_blocked.window(params)
    assert 0.5 ** (window / params.half_life) == pytest.approx(params.threshold)
    assert set(SPACES) == {"words", "entities", "title"}
