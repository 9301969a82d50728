from __future__ import annotations

import pytest

from storyline.errors import ConfigError
from storyline.settings import load_settings


def test_environment_overrides_defaults_and_arguments_override_both() -> None:
    env = {"STORYLINE_BATCH_SIZE": "8", "STORYLINE_DB": "env.db"}
    assert load_settings(env).batch_size == 8
    assert load_settings(env).db == "env.db"
    assert load_settings(env, db="arg.db").db == "arg.db"
    assert load_settings(env, db=None).db == "env.db"
    assert load_settings({}).db == "storyline.db"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"STORYLINE_N_PROCESS": "two"}, "not a valid int"),
        ({"STORYLINE_N_PROCESS": "0"}, "at least 1"),
    ],
)
def test_bad_values_are_named(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(env)


def test_unknown_override_is_refused() -> None:
    with pytest.raises(ConfigError, match="unknown setting"):
        load_settings({}, colour="blue")
