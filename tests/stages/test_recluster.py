"""Reclustering a store: stories made by a stream of runs, clustered again as one batch."""

from __future__ import annotations

from dataclasses import replace

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.ids import document_id
from storyline.model import Document, StoryOp
from storyline.settings import Settings
from storyline.stages import stories
from storyline.stages.story_model import StoryParams
from storyline.store import Store, open_store
from storyline.workflow import recluster

runner = CliRunner()
CHILE = "quake tsunami chile coast santiago"
DETAILS = ("warning", "harbour", "navy", "evacuation", "minister", "aftershock")
SUMATRA = "sumatra village rescue island"


def _add(store: Store, settings: Settings, texts: list[str]) -> list[str]:
    docs = [Document(document_id(t), f"wire/{i}.txt", t, t) for i, t in enumerate(texts)]
    store.add_documents(docs)
    ids = [d.id for d in docs]
    stories.run(store, ids, settings)
    return ids


def _members(store: Store) -> dict[str, set[str]]:
    return {s.id: set(s.docs) for s in store.iter_stories()}


def _late_story(store: Store, settings: Settings) -> tuple[str, list[str], str]:
    """A report of a second earthquake comes in one run with the first one's
    coverage and joins it; the second earthquake's own coverage comes in a
    later run, too late to take it (stored documents never move as documents
    arrive). Returns a document of the first story, the report, one of the second."""
    chile = _add(store, settings, [f"{CHILE} {extra}" for extra in DETAILS])
    (early,) = _add(store, settings, [f"quake tsunami coast {SUMATRA}"])
    later = _add(
        store,
        settings,
        [
            f"{SUMATRA} landslide mud jungle road helicopter",
            f"{SUMATRA} landslide volunteers",
            f"{SUMATRA} mud volunteers",
        ],
    )
    return chile[0], early, later[0]


def test_a_report_placed_before_its_story_formed_is_split_off_into_it(
    store: Store, settings: Settings
) -> None:
    chile, early, sumatra = _late_story(store, settings)
    before = _members(store)
    story_of = {d: s for s, docs in before.items() for d in docs}
    assert story_of[early] == story_of[chile] != story_of[sumatra]

    ops = recluster(store, settings)

    first, second = story_of[chile], story_of[sumatra]
    assert ops == [StoryOp("split", first, second, [early], ops[0].at)]
    after = _members(store)
    assert after == {first: before[first] - {early}, second: before[second] | {early}}
    assert [(o.op, o.source, o.target, o.docs) for o in store.story_ops(second)] == [
        ("split", first, second, [early])
    ]
    assert store.story_ops(first)[0].at
    assert store.corpus_pending() == []
    assert recluster(store, settings) == []
    assert _members(store) == after


def test_stories_kept_apart_by_a_stricter_threshold_are_merged(
    store: Store, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = StoryParams.load()
    monkeypatch.setattr(StoryParams, "load", lambda: replace(shipped, threshold=0.99))
    ids = _add(store, settings, [f"{CHILE} {extra}" for extra in DETAILS[:3]])
    before = _members(store)
    assert len(before) == 3
    monkeypatch.setattr(StoryParams, "load", lambda: shipped)

    ops = recluster(store, settings)

    (kept,) = _members(store)
    assert kept in before and _members(store)[kept] == set(ids)
    assert sorted(o.source for o in ops) == sorted(set(before) - {kept})
    assert all(o.op == "merge" and o.target == kept for o in ops)
    assert all(store.story_ops(o.source) == [o] for o in ops)


def test_the_command_line_reclusters_and_shows_what_changed(sqlite_settings: Settings) -> None:
    db = sqlite_settings.db
    with open_store(db, sqlite_settings) as store:
        chile, _, sumatra = _late_story(store, sqlite_settings)
        story_of = {d: s for s, docs in _members(store).items() for d in docs}
    first, second = story_of[chile], story_of[sumatra]

    result = runner.invoke(app, ["--db", db, "stories", "--recluster"])

    assert result.exit_code == 0, result.output
    rows = [[cell for cell in line.split() if cell != "│"] for line in result.stdout.splitlines()]
    assert ["split", first, second, "1"] in rows, result.stdout
    shown = runner.invoke(app, ["--db", db, "show", first])
    assert f"{first} 1 documents split off into {second}" in shown.stdout
    again = runner.invoke(app, ["--db", db, "stories", "--recluster"])
    assert again.exit_code == 0 and "Reclustered: no story changed." in again.stdout
