"""The command line: exit codes, messages naming bad inputs, the whole run on the seeds."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline import __version__
from storyline.cli import app
from tests.conftest import write
from tests.fixtures import HEADLINE_ARTICLE, PARAGRAPH_FIRST

runner = CliRunner()

COMMANDS = ["ingest", "analyze", "run", "demo", "documents", "search", "export"]


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"storyline {__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.stdout and len(result.stdout.splitlines()) > 4


def test_run_on_the_seeds_writes_a_report(seeds_dir: Path, tmp_path: Path) -> None:
    db, out = tmp_path / "s.db", tmp_path / "report"
    result = runner.invoke(app, ["--db", str(db), "-q", "run", str(seeds_dir), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Report: {out / 'index.html'}" in result.stdout
    assert "documents" in result.stdout
    written = {p.name for p in out.iterdir()}
    assert written == {"index.html", "brief.md", "stories", "storyline.json"}
    exported = runner.invoke(app, ["--db", str(db), "export", "--format", "json"])
    assert exported.exit_code == 0
    assert len(json.loads(exported.stdout)["documents"]) == 5
    assert json.loads((out / "storyline.json").read_text()) == json.loads(exported.stdout)


def test_batch_with_broken_files_stores_the_good_ones(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    write(tmp_path / "in" / "good.txt", HEADLINE_ARTICLE)
    write(tmp_path / "in" / "empty.txt", "")
    write(tmp_path / "in" / "junk.txt", b"\x00\x01\x02" * 100)
    write(tmp_path / "in" / "lines.jsonl", json.dumps({"text": PARAGRAPH_FIRST}) + "\n{oops\n")
    result = runner.invoke(app, ["--db", str(db), "ingest", str(tmp_path / "in")])
    assert result.exit_code == 3
    assert "2 added, 0 already stored, 3 rejected" in result.stdout
    assert f"{tmp_path / 'in' / 'empty.txt'}: empty" in result.stderr
    assert f"{tmp_path / 'in' / 'junk.txt'}: binary data" in result.stderr
    assert f"{tmp_path / 'in' / 'lines.jsonl'}:2: malformed JSON" in result.stderr
    again = runner.invoke(app, ["--db", str(db), "ingest", str(tmp_path / "in" / "good.txt")])
    assert again.exit_code == 0 and "0 added, 1 already stored" in again.stdout


def test_locked_database_exits_with_its_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "s.db"
    write(tmp_path / "a.txt", HEADLINE_ARTICLE)
    assert runner.invoke(app, ["--db", str(db), "ingest", str(tmp_path / "a.txt")]).exit_code == 0
    write(tmp_path / "b.txt", PARAGRAPH_FIRST)
    monkeypatch.setenv("STORYLINE_BUSY_TIMEOUT", "0.2")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = runner.invoke(app, ["--db", str(db), "ingest", str(tmp_path / "b.txt")])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 5
    assert f"error: {db} is locked by another writer" in result.stderr
    listed = runner.invoke(app, ["--db", str(db), "documents"])
    assert listed.exit_code == 0 and "Ferry service to Tarn Island" in listed.stdout


def test_reading_commands_do_not_create_a_database(tmp_path: Path) -> None:
    db = tmp_path / "none.db"
    for command in (["search", "ferry"], ["export"], ["documents"]):
        result = runner.invoke(app, ["--db", str(db), *command])
        assert result.exit_code == 4, command
        assert f"no database at {db}" in result.stderr
    assert not db.exists()


def test_search_prints_matches_and_fails_without(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    write(tmp_path / "a.txt", HEADLINE_ARTICLE)
    runner.invoke(app, ["--db", str(db), "ingest", str(tmp_path / "a.txt")])
    found = runner.invoke(app, ["--db", str(db), "search", "Okafor"])
    assert found.exit_code == 0 and "Ferry service" in found.stdout
    assert "Okafor" in found.stdout and "«" not in found.stdout
    missing = runner.invoke(app, ["--db", str(db), "search", "volcano"])
    assert missing.exit_code == 1 and "no document matches 'volcano'" in missing.stderr


def test_bad_setting_in_the_environment_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STORYLINE_BATCH_SIZE", "many")
    result = runner.invoke(app, ["--db", str(tmp_path / "s.db"), "analyze"])
    assert result.exit_code == 2
    assert "STORYLINE_BATCH_SIZE='many' is not a valid int" in result.stderr
