"""Web archives: each HTML page a document named by its URL; the rest skipped and counted."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from storyline.model import ARCHIVED_DATE, PAGE_DATE
from storyline.settings import Settings
from tests.conftest import read_all, write
from tests.fixtures import HEADLINE_ARTICLE
from tests.stages.ingest.archives import CRANE_URL, LOCK_URL, arc_file, crawl


@pytest.mark.parametrize(("name", "gz"), [("crawl.warc", False), ("crawl.warc.gz", True)])
def test_html_responses_become_documents(
    tmp_path: Path, settings: Settings, name: str, gz: bool
) -> None:
    path = write(tmp_path / name, crawl(gz=gz))
    docs, [skipped] = read_all([path], settings)
    by_source = {d.source: d for d in docs}
    assert list(by_source) == [LOCK_URL, CRANE_URL]
    lock, crane = by_source[LOCK_URL], by_source[CRANE_URL]
    assert lock.title == "Lock gates at Eastmoor canal to be replaced"
    assert "replaced with steel gates" in lock.text
    # The page gives no date: the fetch date stands in, and says so.
    assert lock.published == "2026-05-20T12:00:00+00:00"
    assert lock.published_evidence == ARCHIVED_DATE
    # A page that gives its date keeps it; the fetch date is not a publication date.
    assert crane.published == "2026-04-14" and crane.published_evidence == PAGE_DATE
    assert "© 2026" not in crane.text and "container crane collapsed" in crane.text
    assert skipped.source == str(path) and not skipped.rejected
    assert skipped.message.startswith("skipped 5 record(s) that are not HTML pages")
    for kind in ("warcinfo", "request", "metadata", "response (image/png)", "response 404"):
        assert kind in skipped.message


def test_an_extensionless_archive_is_sniffed(tmp_path: Path, settings: Settings) -> None:
    path = write(tmp_path / "CRAWL", crawl(gz=True))
    docs, _ = read_all([path], settings)
    assert [d.source for d in docs] == [LOCK_URL, CRANE_URL]


@pytest.mark.parametrize("gz", [False, True])
def test_a_truncated_archive_keeps_its_whole_pages_and_is_named(
    tmp_path: Path, settings: Settings, gz: bool
) -> None:
    data = crawl(gz=gz)
    cut = data.index(b"crane-collapse") + 600 if not gz else len(data) * 3 // 4
    path = write(tmp_path / "cut.warc", data[:cut])
    good = write(tmp_path / "zz-after.txt", HEADLINE_ARTICLE)
    docs, problems = read_all([tmp_path], settings)
    assert [d.source for d in docs] == [LOCK_URL, str(good)]
    rejected = [p for p in problems if p.rejected]
    assert rejected and rejected[-1].source == str(path)
    assert "truncated" in rejected[-1].message


def test_a_record_over_the_size_limit_is_named(tmp_path: Path, settings: Settings) -> None:
    path = write(tmp_path / "crawl.warc", crawl(gz=False))
    small = dataclasses.replace(settings, max_file_bytes=1500)
    docs, problems = read_all([path], small)
    assert [d.source for d in docs] == [LOCK_URL]
    [too_big] = [p for p in problems if p.rejected]
    assert too_big.source == f"{path} record 5 ({CRANE_URL})"
    assert "byte limit" in too_big.message


def test_garbage_after_the_magic_is_named(tmp_path: Path, settings: Settings) -> None:
    path = write(tmp_path / "junk.warc", b"WARC/1.0\r\nnonsense\r\n\r\n" + bytes(300))
    docs, [problem] = read_all([path], settings)
    assert docs == [] and problem.source == str(path) and problem.rejected


def test_arc_files_are_read_too(tmp_path: Path, settings: Settings) -> None:
    path = write(tmp_path / "old-crawl.arc", arc_file())
    [doc], [skipped] = read_all([path], settings)
    assert doc.source == LOCK_URL and doc.published_evidence == ARCHIVED_DATE
    assert doc.published == "2026-05-20T12:00:00+00:00"
    assert "1 warcinfo" in skipped.message  # the ARC header record
