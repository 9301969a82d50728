"""Random, damaged and hostile files through every reader: each is read or named,
never a crash, and what is read can be stored; the inputs fuzzing found are kept
here as regression tests (``bench/fuzz.py`` runs the coverage-guided fuzzer)."""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from storyline.errors import Problem
from storyline.ids import document_id, normalize_text
from storyline.model import Document
from storyline.settings import Settings, load_settings
from storyline.stages.ingest import EXTENSIONS, UNEXPECTED, read_inputs
from storyline.stages.ingest.build import storable
from storyline.store import Store
from storyline.watch import watch
from storyline.workflow import ingest
from tests.conftest import REPO, read_all, write
from tests.fixtures import (
    ATOM_FEED,
    HARBOUR_FEED,
    HARBOUR_PAGE,
    HEADLINE_ARTICLE,
    LOCK_PAGE,
    PARAGRAPH_FIRST,
)
from tests.stages.ingest.archives import crawl, zipped

SMALL = load_settings(environ={}, max_file_bytes=300_000, max_doc_chars=100_000)
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))

# How each kind of input begins, so random bytes get past the sniffing.
STARTS = [
    b"",
    b"<!DOCTYPE html><html><body><p>",
    b"<?xml version='1.0'?><rss version='2.0'><channel><item><title>",
    b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><content type='html'>",
    b"WARC/1.0\r\nWARC-Type: response\r\n",
    b"\x1f\x8b\x08\x00",
    b"BZh91AY&SY",
    b"\xfd7zXZ\x00",
    b"PK\x03\x04",
    b'{"text": "',
]
SUFFIXES = ["", *EXTENSIONS, ".warc.gz", ".png"]
WELL_FORMED = [
    (HARBOUR_FEED.encode(), ".rss"),
    (ATOM_FEED.encode(), ".xml"),
    (HARBOUR_PAGE.encode(), ".html"),
    (crawl(gz=False), ".warc"),
    (crawl(gz=True), ".warc.gz"),
    (zipped({"a.txt": HEADLINE_ARTICLE, "b/c.html": LOCK_PAGE}), ".zip"),
    (gzip.compress(LOCK_PAGE.encode()), ".html.gz"),
    (json.dumps({"text": PARAGRAPH_FIRST, "url": "https://quay.example/a"}).encode(), ".jsonl"),
]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def read_checked(path: Path, config: Settings = SMALL) -> list[Document | Problem]:
    """Everything read from one file, checked: problems name it and are the input's
    fault, documents hold text every store keeps, with the id of that text."""
    items = list(read_inputs([path], config))
    for item in items:
        if isinstance(item, Problem):
            assert item.source.startswith(str(path)), item
            assert UNEXPECTED not in item.message, item
            continue
        assert item.text.strip() and item.raw_text == item.text
        assert len(item.text) <= config.max_doc_chars
        assert item.id == document_id(item.text)
        for value in (item.text, item.title, item.outlet, item.byline, item.source):
            assert value is None or storable(value) == value, value
    return items


@FUZZ
@given(
    st.sampled_from(STARTS),
    st.one_of(st.binary(max_size=3000), st.text(max_size=1500).map(str.encode)),
    st.sampled_from(SUFFIXES),
)
def test_any_bytes_under_any_name_are_read_or_named(
    folder: Path, start: bytes, rest: bytes, suffix: str
) -> None:
    read_checked(write(folder / f"input{suffix}", start + rest))


@st.composite
def damaged(draw: st.DrawFn) -> tuple[bytes, str]:
    """A well-formed input of some kind with bytes changed, cut, or inserted."""
    original, suffix = draw(st.sampled_from(WELL_FORMED))
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        change = draw(st.sampled_from(["flip", "cut", "insert"]))
        if change == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif change == "cut":
            del data[at : at + draw(st.integers(1, 400))]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=40))
    return bytes(data), suffix


@FUZZ
@given(damaged())
def test_damaged_inputs_of_every_kind_are_read_or_named(
    folder: Path, case: tuple[bytes, str]
) -> None:
    data, suffix = case
    read_checked(write(folder / f"damaged{suffix}", data))


# Text that breaks naive handling: NUL, lone surrogates (valid JSON escapes),
# bidi and zero-width marks, combining accents, emoji.
HOSTILE = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from("\x00\ud800\udfff\u202e\u200b\ufeff\u0301👩‍👩‍👧\u2028"),
    ),
    max_size=60,
)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(HOSTILE, HOSTILE, HOSTILE)
@example(title="Council votes", outlet="\x00", inserted="\ud800")  # an outlet of nothing
def test_hostile_characters_in_any_field_are_stored(
    folder: Path, store: Store, title: str, outlet: str, inserted: str
) -> None:
    record = {
        "text": PARAGRAPH_FIRST[:90] + inserted + PARAGRAPH_FIRST[90:],
        "title": title,
        "outlet": outlet,
        "url": f"https://quay.example/{inserted}",
    }
    path = write(folder / "hostile.jsonl", json.dumps(record) + "\n")
    result = ingest([path], store, SMALL)
    assert result.rejected == []
    text = storable(record["text"])
    stored = store.get_document(document_id(text))
    if not result.added:  # the same text but for spacing, from an earlier example
        assert normalize_text(stored.text) == normalize_text(text)
        return
    assert stored.text == text
    if storable(title):
        assert (stored.title, stored.outlet) == (storable(title), storable(outlet) or None)


# -- what fuzzing found -------------------------------------------------------


def test_lone_surrogates_and_nul_in_json_are_stored_and_the_batch_with_them(
    tmp_path: Path, store: Store
) -> None:
    """A JSON escape of half an emoji stopped the whole ingest; PostgreSQL refused a
    batch holding a NUL, and named the server as unreachable."""
    lines = [
        {"text": "Broken emoji \ud83d in: " + HEADLINE_ARTICLE, "outlet": "Quay\udfff Post"},
        {"text": "A NUL\x00 here: " + PARAGRAPH_FIRST, "title": "Council\x00 votes"},
        {"text": LOCK_PAGE.replace("<p>", "<p>\x00", 1), "title": "Lock gates"},
    ]
    path = write(tmp_path / "odd.jsonl", "".join(json.dumps(r) + "\n" for r in lines))
    result = ingest([path], store, load_settings(environ={}))
    assert (result.added, result.rejected) == (3, [])
    docs = {d.title: d for d in store.iter_documents()}
    assert docs["Council votes"].text.startswith("A NUL here: ")
    broken = next(d for d in docs.values() if d.outlet)
    assert broken.outlet == "Quay\ufffd Post"
    assert broken.text.startswith("Broken emoji \ufffd in: ")


def test_a_feed_referring_to_no_character_is_read(tmp_path: Path, settings: Settings) -> None:
    """feedparser's lenient parser failed on ``&#xD800;``, and the whole ingest with it."""
    feed = HARBOUR_FEED.replace(
        "<title>Tarn Island ferry back",
        "<title>&#xD800;&#0;&#x110000;&#99999999999; Tarn Island ferry back",
    ).replace("</channel>", "")  # not well-formed: read by the lenient parser
    docs, problems = read_all([write(tmp_path / "odd.rss", feed)], settings)
    assert [d.title for d in docs][
        1
    ] == "\ufffd" * 4 + " Tarn Island ferry back in service after ramp repairs"
    assert "not well-formed XML" in problems[0].message


def _zip_bytes(name: str, data: str, *, flags: int = 0, version: int = 20) -> bytes:
    """A one-member zip, with the member's name bytes, flags and version as given."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("MEMBER.txt", data)
    raw = bytearray(out.getvalue())
    raw = raw.replace(b"MEMBER.txt", name.encode("latin-1"))
    length = len(name.encode("latin-1")).to_bytes(2, "little")
    local, central = raw.find(b"PK\x03\x04"), raw.find(b"PK\x01\x02")
    raw[local + 26 : local + 28] = length
    raw[central + 28 : central + 30] = length
    raw[central + 6 : central + 8] = version.to_bytes(2, "little")
    raw[central + 8 : central + 10] = flags.to_bytes(2, "little")
    raw[local + 6 : local + 8] = flags.to_bytes(2, "little")
    end = raw.find(b"PK\x05\x06")
    raw[end + 16 : end + 20] = central.to_bytes(4, "little")
    size = end - central
    raw[end + 12 : end + 16] = size.to_bytes(4, "little")
    return bytes(raw)


@pytest.mark.parametrize(
    ("name", "flags", "version", "expected"),
    [
        ("", 0, 20, "a zip member with no name; not read"),
        ("\xff\xfe.txt", 0x800, 20, "not a readable zip archive ('utf-8' codec can't decode"),
        ("story.txt", 0, 255, "not a readable zip archive (zip file version 25.5)"),
    ],
)
def test_zips_that_python_cannot_read_are_named(
    tmp_path: Path, settings: Settings, name: str, flags: int, version: int, expected: str
) -> None:
    """An empty member name, a name flagged UTF-8 that is not, a zip version from
    the future: each stopped the whole ingest."""
    path = write(
        tmp_path / "odd.zip", _zip_bytes(name, HEADLINE_ARTICLE, flags=flags, version=version)
    )
    write(tmp_path / "ferry.txt", PARAGRAPH_FIRST)
    docs, [problem] = read_all([tmp_path], settings)
    assert [d.source for d in docs] == [str(tmp_path / "ferry.txt")]
    assert problem.source.startswith(str(path)) and problem.message.startswith(expected)


def test_files_named_in_another_encoding_are_stored_and_followed(
    tmp_path: Path, store: Store, settings: Settings
) -> None:
    """A file name that is not UTF-8 stopped ingest (no database takes the lone
    surrogates Python reads it as), and a watched folder with it."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    latin = os.fsdecode(bytes(inbox) + b"/r\xe9sum\xe9.txt")
    Path(latin).write_text(HEADLINE_ARTICLE, encoding="utf-8")
    write(inbox / "council.txt", PARAGRAPH_FIRST)
    old = time.time() - 60
    for path in inbox.iterdir():
        os.utime(path, (old, old))
    lines: list[str] = []
    done = watch(inbox, store, settings, once=True, settle=0.3, report=lines.append, analysis=False)
    assert (done.files, done.added, done.rejected) == (2, 2, 0)
    assert {d.source for d in store.iter_documents()} == {
        f"{inbox}/r\\xe9sum\\xe9.txt",
        f"{inbox}/council.txt",
    }
    again = watch(
        inbox, store, settings, once=True, settle=0.3, report=lines.append, analysis=False
    )
    assert again.files == 0


def test_a_web_archive_with_wrong_lengths_is_read_and_named_quietly(
    tmp_path: Path, settings: Settings, capfd: pytest.CaptureFixture[str]
) -> None:
    """warcio wrote raw notes to stderr, naming no file."""
    whole = crawl(gz=False)
    length = re.search(rb"Content-Length: (\d+)", whole)
    assert length is not None
    shorter = f"Content-Length: {int(length.group(1)) - 8}".encode()
    data = whole[: length.start()] + shorter + whole[length.end() :]
    path = write(tmp_path / "crawl.warc", data)
    _, problems = read_all([path], settings)
    assert capfd.readouterr().err == ""
    assert any(
        p.source == str(path) and "not followed by the blank line" in p.message for p in problems
    )


def _nested(depth: int) -> Iterator[tuple[str, bytes]]:
    yield (
        "deep.html",
        (
            "<html><body>" + "<div>" * depth + "<p>" + PARAGRAPH_FIRST + "</p>" + "</div>" * depth
        ).encode(),
    )
    yield "unclosed.html", ("<html><body>" + "<div><b><i>" * depth + PARAGRAPH_FIRST).encode()
    yield "deep.rss", (
        "<rss><channel><item><title>Deep</title>" + "<a>" * depth + "</a>" * depth
        + f"<description>{PARAGRAPH_FIRST}</description></item></channel></rss>"
    ).encode()  # fmt: skip
    yield "long-line.txt", ("word " * 400_000).encode()
    yield "long-line.html", ("<html><body><p>" + "word " * 400_000 + "</p></body></html>").encode()


@pytest.mark.parametrize(("name", "data"), list(_nested(100_000)))
def test_deep_nesting_and_huge_lines_end_quickly_read_or_named(
    tmp_path: Path, name: str, data: bytes
) -> None:
    started = time.perf_counter()
    items = read_checked(write(tmp_path / name, data), load_settings(environ={}))
    assert time.perf_counter() - started < 10
    assert items


def test_a_long_string_for_a_date_is_ignored_at_once(tmp_path: Path, settings: Settings) -> None:
    """dateparser tried every language on it, in time growing with its length:
    seconds per record, a way to keep the server busy."""
    record = {"text": HEADLINE_ARTICLE, "published": "Monday " * 3000}
    path = write(tmp_path / "a.jsonl", json.dumps(record) + "\n")
    read_all([write(tmp_path / "warm.jsonl", json.dumps(record | {"published": "soon"}))], settings)
    started = time.perf_counter()
    [doc], [problem] = read_all([path], settings)
    assert time.perf_counter() - started < 1
    assert doc.published is None
    assert problem.message == "'published' ignored: not a date: 20,999 characters"


@pytest.mark.slow
def test_coverage_guided_fuzzing_finds_no_crash(tmp_path: Path) -> None:
    """bench/fuzz.py for a few seconds per target: every reader and the text stages."""
    pytest.importorskip("atheris")
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "fuzz.py"),
            "--seconds",
            "10",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    result = json.loads(done.stdout)
    for target in result["targets"]:
        line = {"kind": f"atheris: {target['target']}", "inputs": target["inputs"]}
        print("fuzz:", json.dumps(line))
    failed = {
        t["target"]: [*t["crashes"], t["crash_report"][-2000:]]
        for t in result["targets"]
        if t["exit_code"] != 0 or t["crashes"]
    }
    assert failed == {}
    assert all(t["inputs"] > 0 for t in result["targets"])
