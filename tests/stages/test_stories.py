"""Stories and storylines on the seeds, the demo corpus and a growing store."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from storyline.executors.local import analyze
from storyline.settings import Settings
from storyline.stages.clustering import StreamClusterer
from storyline.stages.story_model import Features, StoryParams
from storyline.store import Store, open_store
from storyline.workflow import ingest, recluster
from tests.conftest import DEMO, SEED_DATES


def _partition(store: Store) -> tuple[set[frozenset[str]], set[frozenset[str]]]:
    """Stories and storylines as sets of document sources."""
    source = {d.id: d.source for d in store.iter_documents()}
    stories = {s.id: frozenset(source[d] for d in s.docs) for s in store.iter_stories()}
    lines = {
        frozenset(src for sid in line.stories for src in stories[sid])
        for line, _ in store.iter_storylines()
    }
    return set(stories.values()), lines


def test_undated_seeds_are_one_storyline(seed_settings: Settings) -> None:
    with open_store(seed_settings.db, seed_settings, read_only=True) as store:
        _, lines = _partition(store)
    assert len(lines) == 1 and len(next(iter(lines))) == 5


def test_dated_seeds_are_two_stories_in_one_storyline(dated_seed_settings: Settings) -> None:
    with open_store(dated_seed_settings.db, dated_seed_settings, read_only=True) as store:
        stories, lines = _partition(store)
        [(_, links)] = list(store.iter_storylines())
    june = frozenset({"seed:000", "seed:001", "seed:002", "seed:003"})
    assert stories == {june, frozenset({"seed:004"})}
    assert lines == {frozenset(f"seed:{k}" for k in SEED_DATES)}
    assert "north korea" in links[0]["shared"]


def _truth() -> dict[str, Any]:
    return json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))


def _demo_partition(store: Store) -> tuple[set[frozenset[str]], set[frozenset[str]]]:
    def key(source: str) -> str:
        return str(Path(source).relative_to(DEMO)) if source.startswith(str(DEMO)) else source

    stories, lines = _partition(store)
    return (
        {frozenset(map(key, s)) for s in stories},
        {frozenset(map(key, line)) for line in lines},
    )


def _expected(store: Store) -> tuple[set[frozenset[str]], set[frozenset[str]]]:
    """The ground truth, with each exact duplicate under its stored source only."""
    stored = {d.source for d in store.iter_documents()}
    by_story, by_line = defaultdict(set), defaultdict(set)
    line_of = {s["id"]: s["storyline"] for s in _truth()["stories"]}
    for source, article in _truth()["articles"].items():
        full = str(DEMO / source) if source.startswith("txt/") else source
        if full in stored:
            by_story[article["story"]].add(source)
            by_line[line_of[article["story"]]].add(source)
    return set(map(frozenset, by_story.values())), set(map(frozenset, by_line.values()))


def test_demo_stories_and_storylines_equal_the_truth(demo_settings: Settings) -> None:
    with open_store(demo_settings.db, demo_settings, read_only=True) as store:
        assert _demo_partition(store) == _expected(store)


def test_story_ids_stay_stable_as_documents_arrive(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    lines = (DEMO / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    first = tmp_path / "first.jsonl"
    first.write_text("\n".join(lines[: len(lines) // 2]) + "\n", encoding="utf-8")
    ingest([first], store, settings)
    analyze(store, settings)
    before = {d: s.id for s in store.iter_stories() for d in s.docs}
    ingest([DEMO / "articles.jsonl", DEMO / "txt"], store, settings)
    analyze(store, settings)
    after = {d: s.id for s in store.iter_stories() for d in s.docs}
    assert all(after[doc] == story for doc, story in before.items())
    assert _demo_partition(store) == _expected(store)
    analyze(store, settings, force=True)
    assert {d: s.id for s in store.iter_stories() for d in s.docs} == after
    recluster(store, settings)
    assert _demo_partition(store) == _expected(store)


def test_time_keeps_similar_events_apart() -> None:
    params = StoryParams.load()
    clusterer = StreamClusterer(params)
    words = {"strike": 2, "dock": 2, "union": 1, "port": 1}
    march = Features(Counter(words), Counter({"port halloran": 1}), Counter(), day=20530.0)
    later = Features(march.words, march.entities, march.title, day=20530.0 + 90)
    same_week = Features(march.words, march.entities, march.title, day=20532.0)
    a = clusterer.assign("a", march)
    assert clusterer.assign("b", same_week).id == a.id
    assert clusterer.assign("c", later).id != a.id


@pytest.mark.parametrize("name", ["words", "entities", "title", "threshold", "half_life"])
def test_shipped_parameters_are_sane(name: str) -> None:
    value = getattr(StoryParams.load(), name)
    assert value >= 0 and (name == "half_life" or value <= 1)


def _words(*words: str) -> Features:
    return Features(Counter(words), Counter(), Counter(), None)


def test_refinement_moves_a_document_to_the_story_that_formed_after_it() -> None:
    """A report of a second earthquake arrives while only the first is known and
    joins it; the second earthquake's own story forms later. Once the run has
    seen every document, the report moves there, and nothing else moves."""
    chile = ("quake", "tsunami", "chile", "coast", "santiago")
    details = ("warning", "harbour", "navy", "evacuation", "minister", "aftershock")
    sumatra = ("sumatra", "village", "rescue", "island")
    docs = {f"chile{i}": _words(*chile, extra) for i, extra in enumerate(details)}
    docs["early"] = _words("quake", "tsunami", "coast", "santiago", *sumatra)
    docs["later1"] = _words(*sumatra, "landslide", "mud", "jungle", "road", "helicopter")
    docs["later2"] = _words(*sumatra, "landslide", "volunteers")
    docs["later3"] = _words(*sumatra, "mud", "volunteers")
    placed = {}
    for rounds in (0, 5):
        clusterer = StreamClusterer(replace(StoryParams.load(), refine_rounds=rounds))
        story_of = {doc: clusterer.assign(doc, f).id for doc, f in docs.items()}
        assert story_of["early"] == story_of["chile0"] != story_of["later1"]
        changed = clusterer.refine(docs, story_of, {})
        placed[rounds] = story_of
        assert all(
            len(s.docs) == sum(v == s.id for v in story_of.values())
            for s in clusterer.active.values()
        )
        assert changed == ({story_of["chile0"], story_of["later1"]} if rounds else set())
    assert placed[0]["early"] == placed[0]["chile0"]
    assert placed[5]["early"] == placed[5]["later1"] == placed[5]["later3"]
    assert {d for d, s in placed[5].items() if s == placed[5]["chile0"]} == {
        f"chile{i}" for i in range(6)
    }


def test_a_copy_follows_its_source_when_the_source_moves() -> None:
    chile = ("quake", "tsunami", "chile", "coast", "santiago")
    details = ("warning", "harbour", "navy", "evacuation", "minister", "aftershock")
    sumatra = ("sumatra", "village", "rescue", "island")
    docs = {f"chile{i}": _words(*chile, extra) for i, extra in enumerate(details)}
    docs["early"] = _words("quake", "tsunami", "coast", "santiago", *sumatra)
    docs["later1"] = _words(*sumatra, "landslide", "mud", "jungle", "road", "helicopter")
    docs["later2"] = _words(*sumatra, "landslide", "volunteers")
    docs["later3"] = _words(*sumatra, "mud", "volunteers")
    docs["later4"] = _words(*sumatra, "quake", "tsunami", "coast")
    docs["copy"] = docs["early"]
    clusterer = StreamClusterer(StoryParams.load())
    story_of = {}
    for doc, f in docs.items():
        story_of[doc] = clusterer.assign(doc, f, story_of["early"] if doc == "copy" else None).id
    assert story_of["copy"] == story_of["early"] == story_of["chile0"] != story_of["later1"]
    clusterer.refine(docs, story_of, {"copy": "early"})
    assert story_of["copy"] == story_of["early"] == story_of["later1"] != story_of["chile0"]


def test_a_date_estimated_from_the_text_is_held_loosely() -> None:
    """A date the pipeline estimated (the latest date a text names: the article
    may come weeks later) neither retires stories nor keeps a document out of
    the story it reads like; a date the input states does both."""
    words = Counter({"strike": 2, "dock": 2, "union": 1, "port": 1})
    march = Features(words, Counter({"port halloran": 1}), Counter(), day=20530.0)
    for estimated, joins in ((True, True), (False, False)):
        clusterer = StreamClusterer(StoryParams.load())
        first = clusterer.assign("a", march)
        late = Features(march.words, march.entities, march.title, 20530.0 + 40, estimated)
        assert (clusterer.assign("b", late).id == first.id) is joins
        assert (first.id in clusterer.active) is estimated
