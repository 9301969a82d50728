"""Ingest: files, folders, archives and feeds in, ``Document`` records out.

One reader per format; compressed files and archives are unpacked into
inputs of their own (``containers``), read the same way. The kind of an
input is decided by its magic bytes (compressed data, zip, WARC), else its
extension, else its first bytes. Any failure is reported as a ``Problem``
naming the input (the file, ``archive.zip/member``, a feed entry, a WARC
record), and the rest of the batch goes on.

A reader failing in a way it does not expect is reported the same way
(``UNEXPECTED``), so one strange file never stops a batch; the fuzzers count
such a problem as a crash.

Feeds are read after everything else: an entry whose link is the URL of a
page read in the same call (or already stored) gives way to the page's full
text. With ``settings.workers`` above 1, files are read by that many
processes, in path order, and this process only collects what they read.
"""

from __future__ import annotations

import gzip
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from storyline.batching import batched
from storyline.errors import InputError, Problem
from storyline.ids import path_text, url_key
from storyline.model import Document
from storyline.settings import Settings
from storyline.stages.ingest.containers import CONTAINERS, MAX_DEPTH
from storyline.stages.ingest.feed import read_feed
from storyline.stages.ingest.html import read_html
from storyline.stages.ingest.inputs import Input, file_input, list_files
from storyline.stages.ingest.jsonl import read_jsonl
from storyline.stages.ingest.text import read_text
from storyline.stages.ingest.warc import read_warc

Item = Document | Problem
Reader = Callable[[Input, Settings], Iterator[Item]]
# Which reader made an item ("" before any did); None marks a feed left for later.
Tagged = tuple[str, Item | None]

READERS: dict[str, Reader] = {
    "text": read_text,
    "jsonl": read_jsonl,
    "html": read_html,
    "feed": read_feed,
    "warc": read_warc,
}
EXTENSIONS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".rss": "feed",
    ".atom": "feed",
    ".rdf": "feed",
    ".xml": "feed",
    ".warc": "warc",
    ".arc": "warc",
    ".gz": "gzip",
    ".bz2": "bzip2",
    ".xz": "xz",
    ".zip": "zip",
}
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"WARC/1.", "warc"),
    (b"filedesc://", "warc"),
)
_FEED_ROOTS = (b"<rss", b"<feed", b"<rdf:rdf")
_HTML_STARTS = (b"<!doctype html", b"<html")
# How a problem that is a reader's failure, not the input's, begins.
UNEXPECTED = "unexpected failure while reading it"
# Files handed to the worker processes ahead of the one being collected, per worker.
_QUEUED_PER_WORKER = 2

__all__ = ["EXTENSIONS", "READERS", "UNEXPECTED", "read_inputs", "sniff_kind"]


def sniff_kind(suffix: str, head: bytes) -> str | None:
    """The reader (or container) for an input with this extension and these first bytes.

    None when nothing fits: an unknown extension on content that is not one
    of the structured kinds.
    """
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(b"BZh") and head[3:4].isdigit():
        return "bzip2"
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"{"):
        return "jsonl"
    if start.startswith(_HTML_STARTS):
        return "html"
    if start.startswith(b"<?xml") or start.startswith(_FEED_ROOTS):
        if any(root in start for root in _FEED_ROOTS):
            return "feed"
        return "html" if b"<html" in start else None
    return None if suffix else "text"


def _kind(inp: Input) -> str | None:
    kind = sniff_kind(inp.suffix, inp.head())
    if kind == "gzip" and _holds_archive(inp):
        return "warc"  # warcio reads per-record gzip itself, one record at a time
    return kind


def _holds_archive(inp: Input) -> bool:
    try:
        with inp.open() as raw, gzip.GzipFile(fileobj=raw) as fh:
            start = fh.read(16)
    except (OSError, EOFError, zlib.error):
        return False
    return start.startswith((b"WARC/1.", b"filedesc://"))


def read_input(inp: Input, settings: Settings, *, feeds: bool) -> Iterator[Tagged]:
    """What one input holds, each item tagged with the kind of its reader.

    ``feeds=False`` reads everything but feeds and marks each feed it leaves
    with ``("feed", None)``; ``feeds=True`` reads the feeds only (other items
    it meets on the way were reported by the first pass).
    """
    kind = ""
    try:
        found = _kind(inp)
        if found is None:
            yield "", Problem(inp.name, f"unsupported file kind '{inp.suffix}'")
            return
        kind = found
        if kind in CONTAINERS:
            if inp.depth >= MAX_DEPTH:
                yield kind, Problem(inp.name, f"archives nested more than {MAX_DEPTH} deep")
                return
            for member in CONTAINERS[kind](inp, settings):
                if isinstance(member, Problem):
                    yield kind, member
                else:
                    yield from read_input(member, settings, feeds=feeds)
        elif (kind == "feed") != feeds:
            if kind == "feed":
                yield kind, None
        else:
            for item in READERS[kind](inp, settings):
                yield kind, item
    except InputError as exc:
        yield kind, Problem(exc.source, exc.reason)
    except OSError as exc:
        yield kind, Problem(inp.name, f"cannot read: {exc.strerror or exc}")
    except Exception as exc:  # a reader's own failure on a strange input spares the others
        yield kind, Problem(inp.name, f"{UNEXPECTED} ({type(exc).__name__}: {exc})")


def _read_path(path: Path, settings: Settings, feeds: bool) -> Iterator[Tagged]:
    try:
        inp = file_input(path)
    except OSError as exc:
        yield "", Problem(path_text(path), f"cannot read: {exc.strerror or exc}")
        return
    yield from read_input(inp, settings, feeds=feeds)


def _read_path_whole(path: Path, settings: Settings, feeds: bool) -> list[Tagged]:
    """``_read_path`` for a worker process: the file's items in one list."""
    return list(_read_path(path, settings, feeds))


def _files(paths: Iterable[str | Path]) -> Iterator[Path | Problem]:
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from list_files(path)
        elif path.exists():
            yield path
        else:
            yield Problem(path_text(path), "no such file or directory")


def _tagged(
    files: Iterable[Path | Problem], settings: Settings, feeds: bool
) -> Iterator[tuple[Path | None, Tagged]]:
    """Every file's tagged items, in file order, read here or by worker processes."""
    if settings.workers <= 1:
        for file in files:
            if isinstance(file, Problem):
                yield None, ("", file)
            else:
                for tagged in _read_path(file, settings, feeds):
                    yield file, tagged
        return
    with ProcessPoolExecutor(settings.workers) as pool:
        queued: deque[tuple[Path | Problem, Future[list[Tagged]] | None]] = deque()
        pending = iter(files)

        def enqueue() -> None:
            file = next(pending, None)
            if file is None:
                return
            # Large (streamed) files are read here: a worker would hold them whole.
            future = None
            if isinstance(file, Path) and _size(file) <= settings.max_file_bytes:
                future = pool.submit(_read_path_whole, file, settings, feeds)
            queued.append((file, future))

        for _ in range(settings.workers * _QUEUED_PER_WORKER):
            enqueue()
        while queued:
            file, future = queued.popleft()
            enqueue()
            if isinstance(file, Problem):
                yield None, ("", file)
                continue
            items = future.result() if future else _read_path(file, settings, feeds)
            for tagged in items:
                yield file, tagged


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def read_inputs(
    paths: Iterable[str | Path],
    settings: Settings,
    *,
    known_urls: Callable[[list[str]], set[str]] | None = None,
) -> Iterator[Item]:
    """Every document in the given files and folders (recursively), in path order.

    Feed entries come last, without those whose linked page was read here or
    whose link ``known_urls`` (the store) says is already stored.
    """
    pages: set[str] = set()
    with_feeds: list[Path] = []
    for file, (_, item) in _tagged(_files(paths), settings, feeds=False):
        if item is None:
            if file is not None and (not with_feeds or with_feeds[-1] != file):
                with_feeds.append(file)
            continue
        if isinstance(item, Document) and "://" in item.source:
            pages.add(url_key(item.source))
        yield item
    entries = (
        item
        for _, (kind, item) in _tagged(with_feeds, settings, feeds=True)
        if kind == "feed" and item is not None
    )
    for batch in batched(entries, settings.batch_size):
        fresh = [i for i in batch if isinstance(i, Problem) or url_key(i.source) not in pages]
        links = [i.source for i in fresh if isinstance(i, Document)]
        stored = known_urls(links) if known_urls and links else set()
        yield from (i for i in fresh if isinstance(i, Problem) or i.source not in stored)
