"""Shared fixtures: settings on a temporary database, the seeds, the demo corpus."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import pytest

from storyline.errors import Problem
from storyline.executors.local import analyze
from storyline.model import Document
from storyline.settings import Settings, load_settings
from storyline.stages.ingest import read_inputs
from storyline.store import Store, open_store
from storyline.workflow import ingest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
DEMO = Path(str(files("storyline") / "data" / "demo"))


pytest_plugins = ["tests.postgres"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fault-rounds",
        type=int,
        default=4,
        help="Runs the fault tests interrupt (killed, restarted) per store (default 4).",
    )


@pytest.fixture
def fault_rounds(request: pytest.FixtureRequest) -> int:
    rounds: int = request.config.getoption("--fault-rounds")
    return rounds


@pytest.fixture(params=["sqlite", "postgres"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings on a fresh store: each test using it runs on SQLite and on PostgreSQL."""
    if request.param == "postgres":
        db = request.getfixturevalue("pg_cluster").new_database()
    else:
        db = str(tmp_path / "test.db")
    return load_settings(environ={}, db=db, busy_timeout=0.3)


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    with open_store(settings.db, settings) as opened:
        yield opened


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Settings:
    """For what only a file database has: locks on the file, permissions, migrations."""
    return load_settings(environ={}, db=str(tmp_path / "test.db"), busy_timeout=0.3)


@pytest.fixture
def sqlite_store(sqlite_settings: Settings) -> Iterator[Store]:
    with open_store(sqlite_settings.db, sqlite_settings) as opened:
        yield opened


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present")
    return SEEDS


@pytest.fixture(scope="session")
def seed_settings(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A store holding the five seed articles, ingested and analysed once per session."""
    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    settings = load_settings(environ={}, db=str(db))
    with open_store(db, settings) as store:
        ingest([seeds_dir], store, settings)
        analyze(store, settings)
    return settings


# The dates a reader can establish for the seeds (weekday names, events told).
SEED_DATES = {
    "000": "2024-06-21",
    "001": "2024-06-20",
    "002": "2024-06-20",
    "003": "2024-06-21",
    "004": "2024-11-07",
}


@pytest.fixture(scope="session")
def dated_seed_settings(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The seeds as JSONL with those dates (sources seed:000 …), analysed once."""
    import json

    tmp = tmp_path_factory.mktemp("dated")
    jsonl = tmp / "seeds.jsonl"
    with jsonl.open("w", encoding="utf-8") as fh:
        for path in sorted(seeds_dir.glob("*.txt")):
            key = path.name[:3]
            record = {"text": path.read_text(encoding="utf-8"), "url": f"seed:{key}"}
            fh.write(json.dumps(record | {"published": SEED_DATES[key]}) + "\n")
    settings = load_settings(environ={}, db=str(tmp / "dated.db"))
    with open_store(settings.db, settings) as store:
        ingest([jsonl], store, settings)
        analyze(store, settings)
    return settings


@pytest.fixture(scope="session")
def demo_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A store holding the demo corpus, ingested and analysed once per session."""
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    settings = load_settings(environ={}, db=str(db))
    with open_store(db, settings) as store:
        ingest([DEMO / "articles.jsonl", DEMO / "txt"], store, settings)
        analyze(store, settings)
    return settings


def read_all(paths: list[Path], settings: Settings) -> tuple[list[Document], list[Problem]]:
    """What ingest reads from these inputs: the documents, and the problems it names."""
    items = list(read_inputs(paths, settings))
    return (
        [i for i in items if isinstance(i, Document)],
        [i for i in items if isinstance(i, Problem)],
    )


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path
