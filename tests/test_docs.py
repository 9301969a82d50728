"""The README documents every setting, command, exit code and stage."""

from __future__ import annotations

import pytest

from storyline import errors, pipeline
from storyline.cli import app
from storyline.settings import SETTINGS
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [s.name for s in SETTINGS])
def test_every_setting_is_documented_with_its_default(name: str) -> None:
    [setting] = [s for s in SETTINGS if s.name == name]
    assert f"| `{name}` | `{setting.default}` |" in README


@pytest.mark.parametrize(
    "command", [c.name or c.callback.__name__ for c in app.registered_commands]
)  # type: ignore[union-attr]
def test_every_command_is_in_the_tour(command: str) -> None:
    assert f"$ storyline {command}" in README


def test_every_exit_code_is_documented() -> None:
    codes = {
        cls.exit_code
        for cls in vars(errors).values()
        if isinstance(cls, type) and issubclass(cls, errors.StorylineError)
    }
    for code in codes:
        assert f"\n| {code} |" in README


@pytest.mark.parametrize("stage", list(pipeline.REGISTRY))
def test_every_stage_is_in_the_pipeline_table(stage: str) -> None:
    assert f"\n| {stage} |" in README


def test_the_two_commands_are_shown() -> None:
    assert "$ make demo" in README and "$ make test" in README
