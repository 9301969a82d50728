from __future__ import annotations

from pathlib import Path

import pytest

from storyline.settings import Settings
from storyline.stages.ingest import read_inputs
from storyline.stages.ingest.title import guess_title
from tests.conftest import write
from tests.fixtures import HEADLINE_ARTICLE, PARAGRAPH_FIRST


def test_headline_above_body_is_the_title() -> None:
    assert guess_title(HEADLINE_ARTICLE) == (
        "Ferry service to Tarn Island suspended after storm damage"
    )


def test_text_starting_with_a_paragraph_has_no_title() -> None:
    assert guess_title(PARAGRAPH_FIRST) is None


def test_button_leftovers_before_the_headline_are_skipped() -> None:
    assert guess_title("close\nclose\n\n" + HEADLINE_ARTICLE) == (
        "Ferry service to Tarn Island suspended after storm damage"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Ferry service suspended after storm",  # a headline with no body is no article title
        "Ferry service to Tarn Island suspended after storm damage.\n\nMore text.",
        "a lower-case line that goes on for a while\n\nBody text here.",
        "Storm\n\nBody text here.",
    ],
)
def test_lines_that_are_not_headlines(text: str) -> None:
    assert guess_title(text) is None


def test_seed_titles_are_found_where_the_text_has_one(seeds_dir: Path, settings: Settings) -> None:
    titles = {
        Path(doc.source).name[:3]: doc.title
        for doc in read_inputs([seeds_dir], settings)
        if not hasattr(doc, "rejected")
    }
    assert titles["000"] is not None and titles["000"].startswith("South Korea to consider")
    assert titles["001"] is not None and titles["001"].startswith("South Korea considers")
    assert titles["002"] is not None and titles["002"].startswith("North Korea and Russia")
    assert titles["003"] is None
    assert titles["004"] is None


def test_text_file_becomes_one_english_document(tmp_path: Path, settings: Settings) -> None:
    path = write(tmp_path / "ferry.txt", HEADLINE_ARTICLE)
    [doc] = list(read_inputs([path], settings))
    assert not hasattr(doc, "rejected")
    assert doc.source == str(path)
    assert doc.language == "en"
    assert doc.text == HEADLINE_ARTICLE
    assert doc.outlet is None and doc.published is None
