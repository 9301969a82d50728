"""The JSON export follows the storyline/v1 contract."""

from __future__ import annotations

import io
import json
from importlib.resources import files
from typing import Any

import jsonschema
import pytest

from storyline.export import RECORD_KEYS, write_json
from storyline.settings import Settings
from storyline.store import open_store


def _export(settings: Settings) -> dict[str, Any]:
    buffer = io.StringIO()
    with open_store(settings.db, settings, read_only=True) as store:
        write_json(store, buffer)
    data: dict[str, Any] = json.loads(buffer.getvalue())
    return data


@pytest.fixture(scope="module")
def seed_export(seed_settings: Settings) -> dict[str, Any]:
    return _export(seed_settings)


def test_export_validates_against_the_shipped_schema(seed_export: dict[str, Any]) -> None:
    schema = json.loads((files("storyline") / "schema" / "storyline-v1.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(seed_export, schema)


def test_schema_rejects_a_broken_export(seed_export: dict[str, Any]) -> None:
    schema = json.loads((files("storyline") / "schema" / "storyline-v1.schema.json").read_text())
    broken = json.loads(json.dumps(seed_export))
    del broken["documents"][0]["published"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_top_level_keys_are_the_contract(seed_export: dict[str, Any]) -> None:
    assert list(seed_export) == ["schema", *RECORD_KEYS, "quote_clusters", "network"]
    assert seed_export["schema"] == "storyline/v1"
    # Every record list is filled by some stage of the default pipeline.
    for key in RECORD_KEYS:
        assert seed_export[key], key


def test_seed_documents_have_titles_language_sentences_and_entities(
    seed_export: dict[str, Any],
) -> None:
    docs = seed_export["documents"]
    assert len(docs) == 5
    assert sum(1 for d in docs if d["title"]) == 3
    assert {d["language"] for d in docs} == {"en"}
    assert all(d["sentences"] for d in docs)
    texts = {d["id"]: d["text"] for d in docs}
    mentioned = {m["doc"] for e in seed_export["entities"] for m in e["mentions"]}
    assert mentioned == set(texts)
    for entity in seed_export["entities"]:
        for m in entity["mentions"]:
            assert texts[m["doc"]][m["start"] : m["end"]] == m["text"]


def test_events_carry_the_state_and_role_of_their_parties(seed_export: dict[str, Any]) -> None:
    names = {e["id"]: e["name"] for e in seed_export["entities"]}
    parties = {
        (names.get(e[side]), e[f"{side}_state"], e[f"{side}_role"])
        for e in seed_export["events"]
        for side in ("actor", "target")
    }
    assert any("Putin" in (n or "") and s == "Russia" and r == "government" for n, s, r in parties)
    assert any(s == "South Korea" for _, s, _ in parties)


def test_network_edges_name_exported_entities_and_events(seed_export: dict[str, Any]) -> None:
    network = seed_export["network"]
    entities = {e["id"] for e in seed_export["entities"]}
    events = {e["id"] for e in seed_export["events"]}
    assert network["edges"], "the seeds describe relations between actors"
    for edge in network["edges"]:
        assert {edge["source"], edge["target"]} <= entities
        assert set(edge["events"]) <= events
        assert 1 <= edge["independent_sources"] <= len(edge["docs"])
    assert {n["id"] for n in network["nodes"]} <= entities
    schema = json.loads((files("storyline") / "schema" / "storyline-v1.schema.json").read_text())
    broken = json.loads(json.dumps(seed_export))
    del broken["network"]["edges"][0]["independent_sources"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)
