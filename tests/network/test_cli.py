"""``storyline network``: the table, the changes, the formats, the errors."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from typer.testing import CliRunner

from storyline.cli import app
from storyline.settings import Settings

WIDE = {"COLUMNS": "200"}


def _run(settings: Settings, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--db", settings.db, "network", *args], env=WIDE)
    return result.exit_code, result.stdout, result.stderr


def test_table_of_states_with_what_changed_since_june(dated_seed_settings: Settings) -> None:
    code, out, _ = _run(
        dated_seed_settings, "--by-state", "--as-of", "2024-11-30", "--changes-since", "2024-06-30"
    )
    assert code == 0, out
    assert "Actor network as of 2024-11-30 (states)" in out
    assert any(
        "South Korea" in line and "protest" in line and "Russia" in line
        for line in out.splitlines()
    )
    changed = out.split("Changes from 2024-06-30 to 2024-11-30")[1]
    assert any(
        "strengthened" in line and "ratify (2024-11-06)" in line for line in changed.splitlines()
    )
    assert "Rolled up to their state:" in out and "Vladimir Putin" in out


def test_one_actor_by_an_alias_and_its_pair_scores(dated_seed_settings: Settings) -> None:
    code, out, _ = _run(dated_seed_settings, "--actor", "Putin")
    assert code == 0 and "Vladimir Putin" in out and "threaten" in out
    assert "Poland" not in out  # relations Putin is not part of
    code, out, _ = _run(dated_seed_settings, "--by-state", "--actor", "Putin", "--pairs")
    assert code == 0 and "Russia – South Korea" in out and "2024-06" in out


def test_json_graphml_and_dot(dated_seed_settings: Settings) -> None:
    code, out, _ = _run(dated_seed_settings, "--by-state", "--format", "json")
    assert code == 0
    data = json.loads(out)
    names = {n["id"]: n["name"] for n in data["nodes"]}
    assert any(
        (names[e["source"]], e["type"], names[e["target"]]) == ("Russia", "threaten", "South Korea")
        for e in data["edges"]
    )
    code, out, _ = _run(dated_seed_settings, "--format", "graphml")
    assert code == 0
    root = ET.fromstring(out)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert root.findall(".//g:edge", ns) and root.findall(".//g:node", ns)
    code, out, _ = _run(dated_seed_settings, "--format", "dot", "--actor", "Seoul")
    assert code == 0
    assert out.startswith("digraph network {") and "threaten" in out


def test_an_unknown_actor_or_a_bad_date_is_named(dated_seed_settings: Settings) -> None:
    code, _, err = _run(dated_seed_settings, "--actor", "Atlantis")
    assert code == 8 and "no actor 'Atlantis'" in err
    code, _, err = _run(dated_seed_settings, "--as-of", "June")
    assert code == 2 and "--as-of" in err
    code, _, err = _run(
        dated_seed_settings, "--as-of", "2024-06-01", "--changes-since", "2024-07-01"
    )
    assert code == 2 and "after 2024-06-01" in err
