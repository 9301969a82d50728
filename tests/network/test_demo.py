"""The demo corpus's actor network against the relations written for it."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

import pytest

from storyline.network import load_network
from storyline.network.compare import Comparison, compare
from storyline.settings import Settings
from storyline.store import open_store

TRUTH: dict[str, Any] = json.loads(
    (files("storyline") / "data" / "demo" / "truth.json").read_text("utf-8")
)
VARIANTS = {e["canonical"]: e["variants"] for e in TRUTH["entities"]}


@pytest.fixture(scope="module")
def compared(demo_settings: Settings) -> Comparison:
    with open_store(demo_settings.db, demo_settings, read_only=True) as store:
        return compare(load_network(store), TRUTH["relations"], VARIANTS)


def test_the_written_relations_name_known_actors_within_their_story() -> None:
    stories = {s["id"]: s for s in TRUTH["stories"]}
    storylines = {s["id"]: s["stories"] for s in TRUTH["storylines"]}
    for relation in TRUTH["relations"]:
        assert {relation["source"], relation["target"]} <= set(VARIANTS), relation
        line = next(k for k, v in storylines.items() if relation["story"] in v)
        first = min(stories[s]["start"] for s in storylines[line])
        assert first <= relation["start"] <= stories[relation["story"]]["end"], relation


def test_relations_found_on_the_demo_are_the_written_ones(compared: Comparison) -> None:
    found = {(r["source"], r["relation"], r["target"]) for r in compared.found}
    assert ("Ministry of Water", "sanction", "Northgate Chemicals") in found


def test_the_demo_network_equals_the_relations_written_for_it(compared: Comparison) -> None:
    assert not compared.missed and not compared.extra
