from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.errors import InputError
from storyline.executors.local import analyze
from storyline.model import PAGE_DATE
from storyline.settings import Settings
from storyline.stages.ingest.html import html_document
from storyline.store import open_store
from storyline.workflow import ingest
from tests.conftest import read_all, write
from tests.fixtures import HARBOUR_PAGE, MISNAMED_PAGE, SCRIPTED_PAGE


def test_saved_page_gives_article_text_and_metadata(tmp_path: Path, settings: Settings) -> None:
    path = write(tmp_path / "crane.html", HARBOUR_PAGE)
    [doc], problems = read_all([path], settings)
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
    [doc], _ = read_all([path], settings)
    assert "container crane collapsed" in doc.text


def test_latin1_page_is_decoded_and_reported(tmp_path: Path, settings: Settings) -> None:
    page = HARBOUR_PAGE.replace("utf-8", "iso-8859-1").replace("Oskar Brandt", "Oskar Brändström")
    path = tmp_path / "latin.html"
    path.write_bytes(page.encode("latin-1"))
    [doc], problems = read_all([path], settings)
    assert "Oskar Brändström" in doc.text
    assert any("not UTF-8" in p.message for p in problems)


def test_jsonl_record_may_carry_html(tmp_path: Path, settings: Settings) -> None:
    record = {"html": HARBOUR_PAGE, "url": "https://mirror.example/crane", "outlet": "Mirror"}
    path = write(tmp_path / "pages.jsonl", json.dumps(record) + "\n")
    [doc], problems = read_all([path], settings)
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
    docs, problems = read_all([tmp_path], settings)
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


def test_when_trafilatura_finds_no_article_the_paragraphs_and_meta_tags_are_used(
    tmp_path: Path, settings: Settings
) -> None:
    path = write(tmp_path / "fares.html", MISNAMED_PAGE)
    [doc], problems = read_all([path], settings)
    assert problems == []
    assert doc.text.startswith("Tarn Ferries will raise its fares by a tenth")
    assert "Fuel has never cost us more" in doc.text
    assert doc.title == "Ferry fares to rise by a tenth in June"
    assert doc.outlet == "Tarn Island Times"
    assert doc.byline == "Piet Larsen"
    assert doc.published == "2026-05-28" and doc.published_evidence == PAGE_DATE
    assert doc.evidence["text"] == "the page's paragraphs (no main article block was found)"


def test_a_page_rendered_by_script_is_read_from_its_embedded_article(
    tmp_path: Path, settings: Settings
) -> None:
    [doc], _ = read_all([write(tmp_path / "library.html", SCRIPTED_PAGE)], settings)
    assert doc.text.startswith("Westhaven's central library reopened on Saturday")
    assert doc.title == "Westhaven library reopens after flood repairs"
    assert doc.published == "2026-05-09"


def test_the_declared_charset_is_used_when_the_bytes_are_not_utf8(
    tmp_path: Path, settings: Settings
) -> None:
    page = HARBOUR_PAGE.replace('charset="utf-8"', 'charset="windows-1252"')
    page = page.replace("said Oskar Brandt", "said Oskar Brandt \u2013 “firmly”")
    path = tmp_path / "cp1252.html"
    path.write_bytes(page.encode("cp1252"))
    [doc], [warning] = read_all([path], settings)
    assert "Oskar Brandt – “firmly”" in doc.text
    assert warning.message == "not UTF-8; read as cp1252" and not warning.rejected


def test_the_pages_date_survives_analysis(tmp_path: Path, settings: Settings) -> None:
    with open_store(settings.db, settings) as store:
        ingest([write(tmp_path / "crane.html", HARBOUR_PAGE)], store, settings)
        analyze(store, settings, stages=("clean", "annotate", "time"))
        [doc] = store.iter_documents()
    assert doc.published == "2026-04-14" and doc.published_evidence == PAGE_DATE
