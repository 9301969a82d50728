"""Events: PLOVER-typed, dated, placed, merged across documents; the seeds' timeline."""

from __future__ import annotations

import pytest

from storyline.model import Event, SentenceRef
from storyline.settings import Settings
from storyline.stages.event_merge import merge
from storyline.store import open_store

# (story, event) pairs, entity names by id, sources by document id.
Dated = tuple[list[tuple[str, Event]], dict[str, str], dict[str, str]]


@pytest.fixture(scope="module")
def dated_seeds(dated_seed_settings: Settings) -> Dated:
    with open_store(dated_seed_settings.db, dated_seed_settings, read_only=True) as store:
        events = list(store.iter_events())
        names = {k: v[0] for k, v in store.entity_names().items()}
        sources = {d.id: d.source for d in store.iter_documents()}
    return events, names, sources


def _find(dated: Dated, kind: str, date: str) -> Event:
    events, _, _ = dated
    [event] = [e for _, e in events if e.type == kind and e.date == date]
    return event


def test_the_pact_signing_is_one_event_told_by_several_documents(dated_seeds: Dated) -> None:
    _, names, sources = dated_seeds
    pact = _find(dated_seeds, "AGREE", "2024-06-19")
    parties = {names[pact.actor], names[pact.target]}
    assert any("Putin" in p or "Russia" in p for p in parties)
    assert any("Kim" in p or "North Korea" in p for p in parties)
    assert names[pact.location] == "Pyongyang"
    assert len({sources[s.doc] for s in pact.sources}) >= 3


def test_dates_of_the_summoning_the_warning_and_the_ratification(dated_seeds: Dated) -> None:
    _, names, _ = dated_seeds
    summon = _find(dated_seeds, "DISAPPROVE", "2024-06-21")
    assert summon.action.startswith("summon") and names[summon.actor] == "South Korea"
    warning = _find(dated_seeds, "THREATEN", "2024-06-20")
    assert "Putin" in names[warning.actor] and names[warning.location] in {"Vietnam", "Hanoi"}
    ratified = _find(dated_seeds, "AGREE", "2024-11-06")
    assert ratified.action == "ratify"


def test_undated_mentions_join_the_dated_event_and_other_days_stay_apart() -> None:
    names = {"putin": ["Vladimir Putin"], "kim": ["Kim Jong Un"], "nk": ["North Korea"]}

    def mention(doc: str, actor: str, target: str, date: str | None) -> Event:
        return Event(
            f"{doc}{date}", "AGREE", actor, target, "sign pact", date, "day" if date else None,
            None, [SentenceRef(doc, 0)],
        )  # fmt: skip

    merged = merge(
        "s",
        [
            mention("a", "putin", "kim", "2024-06-19"),
            mention("b", "kim", "putin", "2024-06-19"),
            mention("c", "nk", "putin", None),
            mention("d", "putin", "kim", "1961-07-11"),
        ],
        names,
    )
    by_date = {e.date: e for e in merged}
    assert set(by_date) == {"2024-06-19", "1961-07-11"}
    assert {s.doc for s in by_date["2024-06-19"].sources} == {"a", "b", "c"}


def test_timeline_command_lists_dated_events(seed_settings: Settings) -> None:
    from typer.testing import CliRunner

    from storyline.cli import app
    from storyline.store import open_store

    with open_store(seed_settings.db, seed_settings, read_only=True) as seeded:
        story = next(seeded.iter_stories())
    result = CliRunner().invoke(app, ["--db", seed_settings.db, "timeline", story.id, "--undated"])
    assert result.exit_code == 0, result.output
    assert "AGREE" in result.stdout
    missing = CliRunner().invoke(app, ["--db", seed_settings.db, "timeline", "nope"])
    assert missing.exit_code == 8 and "no story 'nope'" in missing.stderr
