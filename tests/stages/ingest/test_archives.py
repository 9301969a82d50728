"""Compressed files and archives: members read as inputs, bombs and damage named."""

from __future__ import annotations

import bz2
import dataclasses
import gzip
import lzma
from pathlib import Path

import pytest

from storyline.settings import Settings
from storyline.stages.ingest import sniff_kind
from tests.conftest import read_all, write
from tests.fixtures import (
    FRENCH_ARTICLE,
    HARBOUR_FEED,
    HARBOUR_PAGE,
    HEADLINE_ARTICLE,
    LOCK_PAGE,
    PARAGRAPH_FIRST,
)
from tests.stages.ingest.archives import crawl, zipped

CRANE_URL = "https://westhaven-gazette.example/news/crane-collapse"


@pytest.mark.parametrize(
    ("name", "compress"),
    [("ferry.txt.gz", gzip.compress), ("ferry.txt.bz2", bz2.compress), ("ferry.xz", lzma.compress)],
)
def test_compressed_files_are_read_as_what_they_hold(
    tmp_path: Path, settings: Settings, name: str, compress: object
) -> None:
    assert callable(compress)
    path = write(tmp_path / name, compress(HEADLINE_ARTICLE.encode()))
    [doc], problems = read_all([path], settings)
    assert problems == []
    assert doc.source == str(path)
    assert doc.title == "Ferry service to Tarn Island suspended after storm damage"


def test_the_kind_inside_is_sniffed_from_the_content(tmp_path: Path, settings: Settings) -> None:
    page = write(tmp_path / "page.gz", gzip.compress(LOCK_PAGE.encode()))
    feed = write(tmp_path / "feed.bz2", bz2.compress(HARBOUR_FEED.encode()))
    docs, _ = read_all([page, feed], settings)
    assert docs[0].title == "Lock gates at Eastmoor canal to be replaced"
    assert "<p>" not in docs[0].text
    assert [d.outlet for d in docs[1:]] == ["Westhaven Gazette"] * 3


def test_zip_members_are_read_recursively(tmp_path: Path, settings: Settings) -> None:
    inner = zipped({"inner/council.txt": PARAGRAPH_FIRST})
    path = write(
        tmp_path / "bundle.zip",
        zipped(
            {
                "pages/crawl.warc.gz": crawl(gz=True),
                "feeds/gazette": HARBOUR_FEED,
                "notes/README": FRENCH_ARTICLE,
                "more.zip": inner,
                "photo.png": b"\x89PNG\r\n\x1a\n" + bytes(40),
                ".DS_Store": b"\x00\x01",
                "empty-folder/": b"",
            }
        ),
    )
    docs, problems = read_all([path], settings)
    assert [d.source for d in docs] == [
        f"{path}/more.zip/inner/council.txt",
        f"{path}/notes/README",
        "https://canal-news.example/lock-gates",
        CRANE_URL,
        # The feed comes last, and its entry linking to the archived crane page gives way.
        "https://westhaven-gazette.example/news/ferry-returns",
        "https://westhaven-gazette.example/news/safety-review",
    ]
    assert "independent inquiry" in docs[3].text
    rejected = {p.source: p.message for p in problems if p.rejected}
    assert rejected[f"{path}/photo.png"] == "unsupported file kind '.png'"
    assert f"{path}/feeds/gazette entry 3 (https://westhaven-gazette.example/news/broken)" in (
        rejected
    )


def test_a_truncated_gzip_is_named_and_the_rest_is_read(tmp_path: Path, settings: Settings) -> None:
    whole = gzip.compress(HARBOUR_PAGE.encode())
    cut = write(tmp_path / "b-cut.html.gz", whole[: len(whole) // 2])
    write(tmp_path / "a-ferry.txt", HEADLINE_ARTICLE)
    write(tmp_path / "c-lock.html.gz", gzip.compress(LOCK_PAGE.encode()))
    docs, [problem] = read_all([tmp_path], settings)
    assert [d.title for d in docs] == [
        "Ferry service to Tarn Island suspended after storm damage",
        "Lock gates at Eastmoor canal to be replaced",
    ]
    assert problem.source == str(cut) and problem.rejected
    assert problem.message.startswith("truncated gzip data")


def test_a_gzip_bomb_stops_at_the_size_limit(tmp_path: Path, settings: Settings) -> None:
    bomb = write(tmp_path / "bomb.txt.gz", gzip.compress(b"flood barrier " * 2_000_000))
    write(tmp_path / "ferry.txt", HEADLINE_ARTICLE)
    small = dataclasses.replace(settings, max_file_bytes=1_000_000)
    docs, [problem] = read_all([tmp_path], small)
    assert len(docs) == 1
    assert problem.source == str(bomb)
    assert "over the 1,000,000 byte limit; stopped there" in problem.message


def test_a_zip_member_over_the_limit_is_named_unopened(tmp_path: Path, settings: Settings) -> None:
    path = write(
        tmp_path / "bundle.zip",
        zipped({"big.txt": b"quay " * 400_000, "ferry.txt": HEADLINE_ARTICLE}),
    )
    assert path.stat().st_size < 20_000
    small = dataclasses.replace(settings, max_file_bytes=1_000_000)
    docs, [problem] = read_all([path], small)
    assert [d.source for d in docs] == [f"{path}/ferry.txt"]
    assert problem.source == f"{path}/big.txt"
    assert "2,000,000 bytes uncompressed, over the 1,000,000 byte limit" in problem.message


def test_archives_nested_too_deep_stop(tmp_path: Path, settings: Settings) -> None:
    data = zipped({"ferry.txt": HEADLINE_ARTICLE})
    for level in range(4):
        note = PARAGRAPH_FIRST * (level + 1)
        data = zipped({f"level{level}.zip": data, f"note{level}.txt": note})
    path = write(tmp_path / "deep.zip", data)
    docs, [problem] = read_all([path], settings)
    assert len(docs) == 3  # the notes of the three levels read
    assert problem.source == f"{path}/level3.zip/level2.zip/level1.zip"
    assert "nested more than 3 deep" in problem.message


def test_damaged_zip_is_named(tmp_path: Path, settings: Settings) -> None:
    path = write(tmp_path / "bad.zip", b"PK\x03\x04" + bytes(60))
    docs, [problem] = read_all([path], settings)
    assert docs == [] and problem.source == str(path)
    assert problem.message.startswith("not a readable zip archive")


@pytest.mark.parametrize(
    ("suffix", "head", "kind"),
    [
        (".html", b"\x1f\x8b\x08\x00", "gzip"),
        ("", b"BZh91AY&SY", "bzip2"),
        ("", b"WARC/1.1\r\n", "warc"),
        ("", b"filedesc://crawl.arc", "warc"),
        ("", b'\xef\xbb\xbf  {"text": "x"}', "jsonl"),
        ("", b"<?xml version='1.0'?>\n<rdf:RDF>", "feed"),
        ("", b'<?xml version="1.0"?><!DOCTYPE html><html>', "html"),
        (".php", b"<!DOCTYPE html><html>", "html"),
        (".php", b"plain words", None),
        ("", b"BZh is how a bee starts its sentence", "text"),
    ],
)
def test_sniffing(suffix: str, head: bytes, kind: str | None) -> None:
    assert sniff_kind(suffix, head) == kind
