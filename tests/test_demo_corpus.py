"""The bundled demo corpus, read by storyline, agrees with its ground truth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.ids import outlet_key
from storyline.model import Document
from storyline.settings import Settings
from storyline.store import open_store
from tests.conftest import DEMO

TRUTH: dict[str, Any] = json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def demo_docs(demo_settings: Settings) -> dict[str, Document]:
    """Stored documents by every source they were found at (relative for files)."""
    with open_store(demo_settings.db, demo_settings, read_only=True) as store:
        docs = list(store.iter_documents())
    by_source: dict[str, Document] = {}
    for doc in docs:
        for source in [doc.source, *(s.source for s in doc.other_sources)]:
            key = str(Path(source).relative_to(DEMO)) if source.startswith(str(DEMO)) else source
            by_source[key] = doc
    return by_source


def test_every_article_of_the_truth_is_stored(demo_docs: dict[str, Document]) -> None:
    assert set(TRUTH["articles"]) == set(demo_docs)
    duplicates = sum(1 for d in TRUTH["derivations"] if d["kind"] == "duplicate")
    assert len({d.id for d in demo_docs.values()}) == len(TRUTH["articles"]) - duplicates


def test_metadata_of_jsonl_articles_is_kept(demo_docs: dict[str, Document]) -> None:
    for source, truth in TRUTH["articles"].items():
        doc = demo_docs[source]
        if source.startswith("txt/"):
            # Bare text: the outlet comes from the copyright line, with its evidence.
            assert doc.outlet and outlet_key(doc.outlet) == outlet_key(truth["outlet"]), source
            assert doc.evidence["outlet"].startswith(("Copyright", "©")), source
            assert doc.published is None, source
        elif doc.source == source:
            assert doc.outlet == truth["outlet"], source
            assert doc.published is not None
            assert doc.published[:10] == truth["published"][:10], source


def test_headlines_of_bare_text_files_are_found(demo_docs: dict[str, Document]) -> None:
    for source, truth in TRUTH["articles"].items():
        if source.startswith("txt/"):
            assert demo_docs[source].title == truth["title"], source


def test_exact_duplicates_are_one_document_with_two_sources(
    demo_docs: dict[str, Document],
) -> None:
    duplicates = [d for d in TRUTH["derivations"] if d["kind"] == "duplicate"]
    assert duplicates
    for pair in duplicates:
        assert demo_docs[pair["source"]].id == demo_docs[pair["derived"]].id


def test_all_demo_articles_are_english_and_annotated(demo_docs: dict[str, Document]) -> None:
    for source, doc in demo_docs.items():
        assert doc.language == "en", source
        assert doc.sentences and doc.mentions, source


@pytest.mark.slow
def test_demo_command_builds_a_fresh_database_and_report(tmp_path: Path) -> None:
    runner = CliRunner()
    for _ in range(2):  # a second run starts again from a fresh database
        result = runner.invoke(app, ["-q", "demo", "-o", str(tmp_path)])
        assert result.exit_code == 0, result.output
    assert "documents" in result.stdout and "entities" in result.stdout
    assert (tmp_path / "report" / "index.html").is_file()
    with open_store(tmp_path / "storyline.db", read_only=True) as store:
        assert store.stats().documents == len({d.id for d in store.iter_documents()})
        assert store.stats().documents == 19
