"""Feeds: one document per entry, bad entries named, linked pages preferred, hostile XML inert."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from storyline.model import FEED_DATE
from storyline.settings import Settings
from storyline.store import Store
from storyline.workflow import ingest
from tests.conftest import read_all, write
from tests.fixtures import ATOM_FEED, HARBOUR_FEED, HARBOUR_PAGE, RDF_FEED

FERRY_URL = "https://westhaven-gazette.example/news/ferry-returns"
REVIEW_URL = "https://westhaven-gazette.example/news/safety-review"
CRANE_URL = "https://westhaven-gazette.example/news/crane-collapse"


def test_entries_become_documents_and_a_broken_entry_is_named(
    tmp_path: Path, settings: Settings
) -> None:
    path = write(tmp_path / "gazette.rss", HARBOUR_FEED)
    docs, [problem] = read_all([path], settings)
    by_source = {d.source: d for d in docs}
    assert list(by_source) == [f"{CRANE_URL}?utm_source=rss", FERRY_URL, REVIEW_URL]
    ferry = by_source[FERRY_URL]
    assert ferry.title == "Tarn Island ferry back in service after ramp repairs"
    assert ferry.outlet == "Westhaven Gazette"
    assert ferry.byline == "Mara Lindqvist"
    assert ferry.published == "2026-04-16T06:00:00+00:00"
    assert ferry.published_evidence == FEED_DATE
    assert ferry.language == "en"
    # HTML content becomes text, a paragraph a line.
    assert "<p>" not in ferry.text
    assert ferry.text.splitlines()[1].startswith('"The ramp is stronger')
    assert ferry.evidence["text"] == f"the content of {path} entry 2 ({FERRY_URL})"
    assert by_source[REVIEW_URL].evidence["text"].startswith("the summary of")
    assert problem.source == f"{path} entry 3 (https://westhaven-gazette.example/news/broken)"
    assert problem.rejected and problem.message == "no content or summary"


@pytest.mark.parametrize(
    ("name", "feed", "source", "outlet"),
    [
        ("canal.atom", ATOM_FEED, "https://canal-news.example/lock-closes", "Canal News"),
        ("weekly.xml", RDF_FEED, "https://westhaven-weekly.example/market", "Westhaven Weekly"),
        ("WEEKLY", RDF_FEED, "https://westhaven-weekly.example/market", "Westhaven Weekly"),
    ],
)
def test_atom_and_rdf_feeds(
    tmp_path: Path, settings: Settings, name: str, feed: str, source: str, outlet: str
) -> None:
    docs, problems = read_all([write(tmp_path / name, feed)], settings)
    assert problems == []
    [doc] = docs
    assert (doc.source, doc.outlet, doc.published_evidence) == (source, outlet, FEED_DATE)


def test_the_linked_page_in_the_same_input_wins(tmp_path: Path, settings: Settings) -> None:
    write(tmp_path / "a-feed.rss", HARBOUR_FEED)
    write(tmp_path / "pages" / "crane.html", HARBOUR_PAGE)
    docs, _ = read_all([tmp_path], settings)
    crane = [d for d in docs if "crane" in d.source]
    assert [d.source for d in crane] == [CRANE_URL]
    assert "independent inquiry" in crane[0].text  # the page's full text, not the summary
    assert {d.source for d in docs} == {CRANE_URL, FERRY_URL, REVIEW_URL}


def test_an_entry_whose_page_is_already_stored_is_not_added(
    tmp_path: Path, settings: Settings, store: Store
) -> None:
    ingest([write(tmp_path / "crane.html", HARBOUR_PAGE)], store, settings)
    result = ingest([write(tmp_path / "feed.rss", HARBOUR_FEED)], store, settings)
    assert result.added == 2
    sources = {d.source for d in store.iter_documents()}
    assert sources == {CRANE_URL, FERRY_URL, REVIEW_URL}


def test_xml_that_is_not_a_feed_is_rejected_by_name(tmp_path: Path, settings: Settings) -> None:
    path = write(tmp_path / "config.xml", '<?xml version="1.0"?><settings><a>1</a></settings>')
    docs, [problem] = read_all([path], settings)
    assert docs == [] and problem.source == str(path) and problem.rejected
    assert "not a feed" in problem.message


def test_malformed_xml_is_read_leniently_and_flagged(tmp_path: Path, settings: Settings) -> None:
    broken = HARBOUR_FEED.replace("<title>Council to review", "<title>Council & harbour: review")
    path = write(tmp_path / "broken.rss", broken)
    docs, problems = read_all([path], settings)
    assert len(docs) == 3
    warnings = [p for p in problems if not p.rejected]
    assert [p.source for p in warnings] == [str(path)]
    assert "not well-formed XML" in warnings[0].message


def _entity_feed(doctype: str, title: str) -> str:
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [{doctype}]>\n<rss version="2.0"><channel>'
        f"<title>Quay Post</title><item><title>{title}</title>"
        "<link>https://quay-post.example/a</link><description>The quay at Westhaven will close "
        "for repairs next month, the harbour authority said on Friday.</description>"
        "</item></channel></rss>"
    )


def test_entity_expansion_is_not_performed(tmp_path: Path, settings: Settings) -> None:
    laughs = '<!ENTITY a "haha">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    path = write(tmp_path / "laughs.rss", _entity_feed(laughs, "&j;"))
    started = time.perf_counter()
    docs, _ = read_all([path], settings)
    assert time.perf_counter() - started < 5
    [doc] = docs
    assert doc.title is not None and len(doc.title) < 100
    assert "haha" not in (doc.title or "") + doc.text


def test_external_entities_are_not_read(tmp_path: Path, settings: Settings) -> None:
    secret = write(tmp_path / "secret.txt", "TOP-SECRET-LINE")
    doctype = f'<!ENTITY xxe SYSTEM "file://{secret}">'
    path = write(tmp_path / "xxe.rss", _entity_feed(doctype, "Quay closes &xxe;"))
    docs, _ = read_all([path], settings)
    assert all("TOP-SECRET" not in f"{d.title} {d.text}" for d in docs)
