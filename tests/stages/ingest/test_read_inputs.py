"""A batch of inputs with broken files: good ones read, bad ones named, nothing stops."""

from __future__ import annotations

import dataclasses
import gzip
import json
import os
from pathlib import Path

import pytest

from storyline.errors import Problem
from storyline.model import Document
from storyline.settings import Settings
from storyline.stages.ingest import read_inputs
from storyline.stages.ingest.build import make_document
from storyline.store import Store
from storyline.workflow import ingest
from tests.conftest import write
from tests.fixtures import (
    FRENCH_ARTICLE,
    HARBOUR_FEED,
    HARBOUR_PAGE,
    HEADLINE_ARTICLE,
    LOCK_PAGE,
    PARAGRAPH_FIRST,
)
from tests.stages.ingest.archives import crawl, zipped

# An article already in the store before the batch runs.
EARLIER = """Westhaven harbour dredging finished ahead of schedule

The dredgers that deepened the channel into Westhaven harbour finished their work a week \
early, the harbour authority said, so larger container ships can dock from next month.
"""


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    write(root / "a-good.txt", HEADLINE_ARTICLE)
    write(root / "nested" / "b-good.txt", PARAGRAPH_FIRST)
    write(root / "c-empty.txt", "")
    write(root / "d-blank.txt", "  \n\n \t\n")
    write(root / "e-binary.txt", bytes(range(256)) * 40)
    write(root / "f-image.png", b"\x89PNG\r\n\x1a\n" + os.urandom(300))
    write(root / "g-latin1.txt", FRENCH_ARTICLE.encode("latin-1"))
    write(root / ".hidden.txt", HEADLINE_ARTICLE)
    return root


def test_broken_files_are_named_and_good_ones_read(batch: Path, settings: Settings) -> None:
    items = list(read_inputs([batch, batch / "missing.txt"], settings))
    docs = [i for i in items if isinstance(i, Document)]
    problems = {Path(p.source).name: p for p in items if isinstance(p, Problem)}
    assert sorted(Path(d.source).name for d in docs) == ["a-good.txt", "b-good.txt", "g-latin1.txt"]
    assert problems["c-empty.txt"].message.startswith("empty")
    assert problems["d-blank.txt"].message.startswith("empty")
    assert problems["e-binary.txt"].message == "binary data, not text"
    assert "unsupported file kind '.png'" in problems["f-image.png"].message
    assert problems["missing.txt"].message == "no such file or directory"
    assert all(p.rejected for name, p in problems.items() if name != "g-latin1.txt")


def test_non_utf8_text_is_decoded_and_flagged(batch: Path, settings: Settings) -> None:
    items = list(read_inputs([batch / "g-latin1.txt"], settings))
    [warning] = [i for i in items if isinstance(i, Problem)]
    [doc] = [i for i in items if isinstance(i, Document)]
    assert not warning.rejected and "not UTF-8" in warning.message
    assert "voté mardi une hausse du budget consacré" in doc.text
    assert doc.language == "fr"


def test_limits_reject_oversized_inputs(tmp_path: Path, settings: Settings) -> None:
    path = write(tmp_path / "big.txt", HEADLINE_ARTICLE * 20)
    small = dataclasses.replace(settings, max_file_bytes=1000)
    [problem] = list(read_inputs([path], small))
    assert isinstance(problem, Problem) and "byte limit" in problem.message
    short = dataclasses.replace(settings, max_doc_chars=1000)
    [problem] = list(read_inputs([path], short))
    assert isinstance(problem, Problem) and "characters" in problem.message


def test_extensionless_files_are_sniffed(tmp_path: Path, settings: Settings) -> None:
    write(tmp_path / "feed" / "LINES", '{"text": "A short article about the harbour board."}\n')
    write(tmp_path / "feed" / "NOTES", HEADLINE_ARTICLE)
    docs = list(read_inputs([tmp_path / "feed"], settings))
    assert [Path(d.source.split("#")[0]).name for d in docs] == ["LINES", "NOTES"]


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """A folder of every kind of input, with a broken one of most kinds."""
    root = tmp_path / "mixed"
    write(root / "pages" / "crane.html", HARBOUR_PAGE)
    write(root / "pages" / "broken.html", "<html><body><div><p>Harbour</div></span></html>")
    write(root / "feeds" / "gazette.rss", HARBOUR_FEED)
    write(root / "crawl.warc.gz", crawl(gz=True))
    whole = gzip.compress(LOCK_PAGE.encode())
    write(root / "cut.html.gz", whole[: len(whole) // 2])
    write(root / "old-latin1.txt", FRENCH_ARTICLE.encode("latin-1"))
    write(root / "bundle.zip", zipped({"ferry.txt": HEADLINE_ARTICLE, "huge.txt": b"a " * 600_000}))
    write(root / "lines.jsonl", json.dumps({"text": PARAGRAPH_FIRST}) + "\n{broken\n")
    return root


def test_a_mixed_batch_stores_the_good_and_names_the_bad(
    mixed: Path, settings: Settings, store: Store
) -> None:
    kept = make_document(EARLIER, "earlier.txt", settings)
    store.add_documents([kept])
    small = dataclasses.replace(settings, max_file_bytes=1_000_000)
    result = ingest([mixed], store, small)
    sources = {d.source for d in store.iter_documents()}
    assert sources == {
        "earlier.txt",
        "https://westhaven-gazette.example/news/crane-collapse",
        "https://canal-news.example/lock-gates",
        f"{mixed}/old-latin1.txt",
        f"{mixed}/bundle.zip/ferry.txt",
        f"{mixed}/lines.jsonl#1",
        "https://westhaven-gazette.example/news/ferry-returns",
        "https://westhaven-gazette.example/news/safety-review",
    }
    assert result.added == 7
    rejected = {Path(p.source.split(" ")[0]).name: p.message for p in result.rejected}
    assert set(rejected) == {
        "broken.html",
        "cut.html.gz",
        "huge.txt",
        "lines.jsonl:2",
        "gazette.rss",  # its entry 3
    }
    assert rejected["cut.html.gz"].startswith("truncated gzip data")
    warnings = [p for p in result.problems if not p.rejected]
    assert any(p.source == f"{mixed}/old-latin1.txt" for p in warnings)
    assert any(p.source == f"{mixed}/crawl.warc.gz" for p in warnings)


def test_two_reading_processes_read_the_same_as_one(mixed: Path, settings: Settings) -> None:
    one = list(read_inputs([mixed], settings))
    two = list(read_inputs([mixed], dataclasses.replace(settings, workers=2)))
    assert two == one
