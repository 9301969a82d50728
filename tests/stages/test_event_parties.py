"""Who an event's parties are: targets of support verbs and mutual nouns, requests
and promises, names the NER model cut or missed, officers, what the rest of a
document or a story says a common noun stands for."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

from storyline.model import Document, Event, SentenceRef
from storyline.settings import Settings
from storyline.stages import annotate, entities, events
from storyline.stages import time as time_stage
from storyline.stages.entities import fold
from storyline.stages.event_merge import merge
from storyline.stages.ingest.build import make_document

Run = Callable[[str], Document]
Coded = set[tuple[str, str, str]]


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


def _coded(doc: Document) -> Coded:
    """(type, actor, target) of each event, the parties by a folded mention text."""
    names = {m.entity: fold(m.text) for m in doc.mentions}
    return {
        (e.type, names.get(e.actor or "", ""), names.get(e.target or "", "")) for e in doc.events
    }


def test_be_on_strike_against_and_talks_between(run_events: Run) -> None:
    doc = run_events(
        "Strike at Orlin ends\n\n"
        "About 600 members of the Valley Nurses' Guild are on strike against Eastfield "
        "Health Trust. A mediator will chair the talks between the Valley Nurses' Guild "
        "and Eastfield Health Trust on Friday."
    )
    coded = _coded(doc)
    assert ("PROTEST", "valeynursesguild", "eastfieldhealthtrust") in coded
    assert {
        ("CONSULT", "valeynursesguild", "eastfieldhealthtrust"),
        ("CONSULT", "eastfieldhealthtrust", "valeynursesguild"),
    } & coded


def test_every_named_side_of_a_coordinated_target(run_events: Run) -> None:
    doc = run_events(
        "Councillors in Dunmore demanded on Tuesday that Eastfield Health Trust and the "
        "Marlow Water Board explain the delays."
    )
    targets = {t for kind, _, t in _coded(doc) if kind == "DEMAND"}
    assert {"eastfieldhealthtrust", "marlowaterboard"} <= targets


def test_asking_for_a_hostile_act_is_a_demand_on_the_asked_and_against_its_target(
    run_events: Run,
) -> None:
    doc = run_events(
        "Mayor Ines Varga has asked the Marlow Water Board to suspend Orlin Mining's "
        "licence while the inquiry goes on."
    )
    coded = _coded(doc)
    assert ("DEMAND", "inesvarga", "marlowaterboard") in coded
    assert ("DEMAND", "inesvarga", "orlinmining") in coded
    assert not any(kind == "SANCTION" for kind, _, _ in coded)  # nothing was suspended


def test_a_promise_of_what_another_party_will_do_is_a_demand_on_it(run_events: Run) -> None:
    doc = run_events("Governor Alma Reyes pledged that Orlin Mining will pay for the clean-up.")
    assert ("DEMAND", "almareyes", "orlinmining") in _coded(doc)


def test_an_officer_acts_for_the_organisation_named_with_the_title(run_events: Run) -> None:
    doc = run_events(
        "Eastfield Health Trust chief executive Petra Vasko said the offer was final and "
        "urged the Valley Nurses' Guild to return to work."
    )
    assert ("DEMAND", "eastfieldhealthtrust", "valeynursesguild") in _coded(doc)


def test_the_union_and_the_incident_are_what_the_document_says(run_events: Run) -> None:
    doc = run_events(
        "A chemical leak at the Orlin Mining plant reached the river on Monday.\n\n"
        "The Kestrel Environment Agency said it had opened an investigation.\n\n"
        "Dana Holt, secretary of the Quarry Workers' Union, said their union and Orlin "
        "Mining reached a deal on Friday."
    )
    coded = _coded(doc)
    assert ("INVESTIGATE", "kestrelenvironmentagency", "orlinmining") in coded
    assert {
        ("AGREE", "quaryworkersunion", "orlinmining"),
        ("AGREE", "orlinmining", "quaryworkersunion"),
    } & coded


def test_a_place_before_a_facility_noun_is_no_actor(run_events: Run) -> None:
    doc = run_events("The Holm Point intake, which supplies most of Dunmore's water, was closed.")
    assert not any(actor == "holmpoint" for _, actor, _ in _coded(doc))


def _mention(
    kind: str, actor: str | None, target: str | None, action: str, **parties: str
) -> Event:
    return Event(
        f"{kind}{actor}{target}", kind, actor, target, action, None, None, None,
        [SentenceRef("d", 0)], **parties,
    )  # fmt: skip


def test_a_story_tells_who_an_unnamed_party_is() -> None:
    names = {e: [e] for e in ("guild", "trust", "dunmore", "reyes")}
    mentions = [
        _mention("PROTEST", "guild", "trust", "be strike", actor_role="labour"),
        _mention("AGREE", "trust", None, "offer"),
        # "members rejected a pay offer": whoever offered
        _mention("REJECT", "guild", None, "reject", target_noun="offer"),
        # "urged workers to return": the story's one labour actor
        _mention("DEMAND", "trust", None, "urge", target_role="labour"),
        # "agreed to pay the city's bill": the place the story names most
        _mention("AGREE", "trust", None, "pay bill", target_noun="city"),
    ]
    merged = merge("s", mentions, names, Counter({"dunmore": 3, "holm": 1}))
    found = {(e.type, e.actor, e.target) for e in merged}
    assert ("REJECT", "guild", "trust") in found
    assert ("DEMAND", "trust", "guild") in found
    assert ("AGREE", "trust", "dunmore") in found


def test_a_story_leaves_a_party_unnamed_when_two_could_fit() -> None:
    names = {e: [e] for e in ("guild", "union", "trust")}
    mentions = [
        _mention("PROTEST", "guild", "trust", "be strike", actor_role="labour"),
        _mention("PROTEST", "union", "trust", "walk off", actor_role="labour"),
        _mention("DEMAND", "trust", None, "urge", target_role="labour"),
        _mention("AGREE", "trust", None, "pay bill", target_noun="city"),
    ]
    merged = merge("s", mentions, names, Counter({"dunmore": 2, "holm": 2}))
    assert {(e.type, e.target) for e in merged if e.type in ("DEMAND", "AGREE")} == {
        ("DEMAND", None),
        ("AGREE", None),
    }
