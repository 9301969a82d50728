from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.errors import InputError, Problem
from storyline.model import Document
from storyline.settings import Settings
from storyline.stages.ingest import read_inputs
from storyline.stages.ingest.html import html_document
from tests.conftest import write
from tests.fixtures import HARBOUR_PAGE


def _read(path: Path, settings: Settings) -> tuple[list[Document], list[Problem]]:
    items = list(read_inputs([path], settings))
    return (
        [i for i in items if isinstance(i, Document)],
        [i for i in items if isinstance(i, Problem)],
    )


def test_saved_page_gives_article_text_and_metadata(tmp_path: Path, settings: Settings) -> None:
    path = write(tmp_path / "crane.html", HARBOUR_PAGE)
    [doc], problems = _read(path, settings)
    assert problems == []
    assert "container crane collapsed" in doc.text
    assert "independent inquiry" in doc.text
    for junk in ("cookies", "Most read", "Sport", "All rights reserved"):
        assert junk not in doc.text
    assert doc.title == "Harbour crane collapses at Westhaven"
    assert doc.outlet == "Westhaven Gazette"
    assert doc.byline == "Mara Lindqvist"
    assert doc.published is not None and doc.published.startswith("2026-04-14")
    assert doc.published_evidence == "the page's metadata"
    assert doc.language == "en"
    assert doc.source == "https://westhaven-gazette.example/news/crane-collapse"
    assert doc.evidence["source"] == f"canonical URL of {path}"


def test_html_is_sniffed_without_extension(tmp_path: Path, settings: Settings) -> None:
    path = write(tmp_path / "saved-page", HARBOUR_PAGE)
    [doc], _ = _read(path, settings)
    assert "container crane collapsed" in doc.text


def test_latin1_page_is_decoded_and_reported(tmp_path: Path, settings: Settings) -> None:
    page = HARBOUR_PAGE.replace("utf-8", "iso-8859-1").replace("Oskar Brandt", "Oskar Brändström")
    path = tmp_path / "latin.html"
    path.write_bytes(page.encode("latin-1"))
    [doc], problems = _read(path, settings)
    assert "Oskar Brändström" in doc.text
    assert any("not UTF-8" in p.message for p in problems)


def test_jsonl_record_may_carry_html(tmp_path: Path, settings: Settings) -> None:
    record = {"html": HARBOUR_PAGE, "url": "https://mirror.example/crane", "outlet": "Mirror"}
    path = write(tmp_path / "pages.jsonl", json.dumps(record) + "\n")
    [doc], problems = _read(path, settings)
    assert problems == []
    assert doc.source == "https://mirror.example/crane"
    assert doc.outlet == "Mirror"
    assert doc.title == "Harbour crane collapses at Westhaven"


@pytest.mark.parametrize(
    "page",
    [
        "<html><body><nav><a href='/'>Home</a></nav></body></html>",
        "<!DOCTYPE html><html><head><title>x</title></head></html>",
    ],
)
def test_page_without_article_is_rejected_by_name(
    tmp_path: Path, settings: Settings, page: str
) -> None:
    path = write(tmp_path / "empty.html", page)
    good = write(tmp_path / "good.html", HARBOUR_PAGE)
    docs, problems = _read(tmp_path, settings)
    assert [d.source for d in docs] == ["https://westhaven-gazette.example/news/crane-collapse"]
    [problem] = problems
    assert problem.source == str(path) and problem.rejected
    assert "no article text" in problem.message
    assert good.exists()


def test_broken_markup_still_yields_the_text(settings: Settings) -> None:
    broken = HARBOUR_PAGE.replace("</p>", "").replace("</article>", "<div><span>")
    doc = html_document(broken[: len(broken) - 200], "broken.html", settings)
    assert "container crane collapsed" in doc.text


def test_binary_junk_with_html_extension_is_an_input_error(settings: Settings) -> None:
    with pytest.raises(InputError) as err:
        html_document("\x00\x01\x02" * 100, "junk.html", settings)
    assert err.value.source == "junk.html"
