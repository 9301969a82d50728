"""Events: PLOVER-typed, dated, placed, merged across documents; actors with their
state and role; the seeds' timeline."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from storyline.model import Document, Event, SentenceRef
from storyline.settings import Settings
from storyline.stages import annotate, entities, events
from storyline.stages import time as time_stage
from storyline.stages.event_merge import merge
from storyline.stages.ingest.build import make_document
from storyline.store import open_store

Run = Callable[[str], Document]


@pytest.fixture(scope="module")
def run_events() -> Run:
    settings = Settings()
    stages = [s.build(settings) for s in (annotate, entities, time_stage, events)]

    def run(text: str) -> Document:
        stream = iter([make_document(text, "t.txt", settings)])
        for stage in stages:
            stream = stage(stream)
        return next(stream)

    return run


def _coded(doc: Document) -> set[tuple[str, str]]:
    """(type, actor text) of each event of a document."""
    names = {m.entity: m.text for m in doc.mentions}
    return {(e.type, names.get(e.actor or "", "")) for e in doc.events}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # support verbs take the type of their event noun
        ("Chile and Peru held talks in Lima on the border dispute.", "CONSULT"),
        ("Thousands of students staged a protest against the Bolivian government.", "PROTEST"),
        ("The Turkish army imposed a curfew on the town of Mardin.", "COERCE"),
        ("Farmers in Kenya went on strike over the new land law.", "PROTEST"),
        # intentions: cooperative ones are AGREE, hostile ones THREATEN
        ("Norway said it is ready to withdraw its troops from the border.", "AGREE"),
        ("The rebels in Chad vowed to attack the capital before the election.", "THREATEN"),
        ("Serbia threatened to withdraw its troops from the border.", "THREATEN"),
        # a refusal to cooperate is a rejection; a plain negation is no event
        ("Chile will not accept the Bolivian proposal.", "REJECT"),
        ("Ecuador declined to sign the fishing treaty with Peru.", "REJECT"),
        # a state's forces using force fight; other violence is assault
        ("Israeli tanks shelled the town of Rafah on Monday.", "FIGHT"),
        ("Gunmen in Nigeria kidnapped twelve Italian engineers.", "COERCE"),
        ("Egyptian police arrested twelve protesters in Cairo.", "COERCE"),
        ("Argentina expelled the British ambassador.", "SANCTION"),
    ],
)
def test_event_types_follow_plover(run_events: Run, text: str, kind: str) -> None:
    assert kind in {t for t, _ in _coded(run_events(text))}


def test_a_negated_verb_is_no_event(run_events: Run) -> None:
    assert not run_events("Peru did not attack the Chilean patrol boat.").events


def _parties_of(doc: Document, kind: str) -> set[tuple[str, str]]:
    """(actor text, target text) of a document's events of one type."""
    names = {m.entity: m.text for m in doc.mentions}
    return {
        (names.get(e.actor or "", ""), names.get(e.target or "", ""))
        for e in doc.events
        if e.type == kind
    }


def test_troops_sent_to_another_state_are_military_aid(run_events: Run) -> None:
    doc = run_events("Reports said that Belarus has deployed 4,000 troops to Serbia.")
    assert ("Belarus", "Serbia") in _parties_of(doc, "AID")
    border = run_events("Belarus deployed 4,000 troops to the border on Monday.")
    assert "MOBILIZE" in {e.type for e in border.events}


def test_a_warning_targets_whom_the_mistake_would_be_made_by(run_events: Run) -> None:
    doc = run_events(
        "Mr Orban warned on Monday that it would be a grave mistake for Vienna "
        "to start selling gas to Serbia."
    )
    assert ("Orban", "Vienna") in _parties_of(doc, "THREATEN")


def test_considering_aid_is_an_intention(run_events: Run) -> None:
    doc = run_events("Portugal is considering sending weapons to Morocco.")
    assert ("Portugal", "Morocco") in _parties_of(doc, "AGREE")
    assert "AID" not in {e.type for e in doc.events}


def test_actors_carry_their_state_and_role(run_events: Run) -> None:
    doc = run_events("South Korea's foreign ministry summoned Russia's ambassador on Friday.")
    [event] = [e for e in doc.events if e.type == "DISAPPROVE"]
    assert (event.actor_state, event.actor_role) == ("South Korea", "government")
    assert (event.target_state, event.target_role) == ("Russia", "government")
    doc = run_events("Egyptian police arrested twelve protesters in Cairo.")
    [event] = doc.events
    assert (event.actor_state, event.actor_role) == ("Egypt", "police")
    doc = run_events("Georgian President Eduard Shevardnadze resigned on Sunday.")
    [event] = doc.events
    assert (event.actor_state, event.actor_role) == ("Georgia", "government")
    doc = run_events("The Russian president warned Japan against deploying missiles.")
    [event] = [e for e in doc.events if e.type == "THREATEN"]
    assert (event.actor_state, event.actor_role) == ("Russia", "government")
    assert event.target_state == "Japan"


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
    assert {pact.actor_state, pact.target_state} == {"Russia", "North Korea"}
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


def test_a_mention_dated_by_year_or_month_joins_only_an_event_its_date_allows() -> None:
    names = {"putin": ["Vladimir Putin"], "kim": ["Kim Jong Un"], "ussr": ["Soviet Union"]}

    def mention(doc: str, actor: str, target: str, date: str, granularity: str) -> Event:
        return Event(
            doc, "AGREE", actor, target, "sign treaty", date, granularity, None,
            [SentenceRef(doc, 0)],
        )  # fmt: skip

    merged = merge(
        "s",
        [
            mention("a", "putin", "kim", "2024-06-19", "day"),
            mention("b", "kim", "putin", "2024-06", "month"),
            mention("c", "kim", "putin", "1961", "year"),
            mention("d", "kim", "ussr", "1961", "year"),
        ],
        names,
    )
    by_date = {e.date: e for e in merged}
    assert {s.doc for s in by_date["2024-06-19"].sources} == {"a", "b"}
    pact = by_date["2024-06-19"]
    assert {pact.actor, pact.target} == {"putin", "kim"}
    assert {e.date_granularity for e in merged if e.date == "1961"} == {"year"}
    # the Soviet Union is not Russia: its treaty is another event
    assert len([e for e in merged if e.date == "1961"]) == 2


def test_timeline_command_lists_dated_events(seed_settings: Settings) -> None:
    from typer.testing import CliRunner

    from storyline.cli import app
    from storyline.store import open_store

    with open_store(seed_settings.db, seed_settings, read_only=True) as seeded:
        story = next(seeded.iter_stories())
    result = CliRunner().invoke(
        app, ["--db", seed_settings.db, "timeline", story.id, "--undated"], env={"COLUMNS": "240"}
    )
    assert result.exit_code == 0, result.output
    assert "AGREE" in result.stdout
    assert "(Russia, government)" in result.stdout  # Putin, with his state and role
    missing = CliRunner().invoke(app, ["--db", seed_settings.db, "timeline", "nope"])
    assert missing.exit_code == 8 and "no story 'nope'" in missing.stderr
