"""A batch of inputs with broken files: good ones read, bad ones named, nothing stops."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from storyline.errors import Problem
from storyline.model import Document
from storyline.settings import Settings
from storyline.stages.ingest import read_inputs
from tests.conftest import write
from tests.fixtures import FRENCH_ARTICLE, HEADLINE_ARTICLE, PARAGRAPH_FIRST


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
