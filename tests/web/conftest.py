"""A web app over a private copy of the analysed demo store, per test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storyline.settings import Settings, load_settings
from storyline.web import create_app


def copy_store(settings: Settings, to: Path, **overrides: object) -> Settings:
    """A copy of the store (with its write-ahead log, if any) and settings for it."""
    db = Path(settings.db)
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{db}{suffix}").exists():
            shutil.copy(f"{db}{suffix}", f"{to}{suffix}")
    return load_settings(environ={}, db=str(to), **overrides)


@pytest.fixture
def web_settings(demo_settings: Settings, tmp_path: Path) -> Settings:
    # No rate limit: these tests page through whole lists quickly.
    return copy_store(demo_settings, tmp_path / "web.db", rate_limit=0.0)


@pytest.fixture
def client(web_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(web_settings)) as c:
        yield c
