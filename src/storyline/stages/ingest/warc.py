"""Web archives (WARC, and ARC converted on the fly), read record by record with warcio.

Each HTML page an archive holds (a ``response`` with status 200, or a
``resource``) becomes a document through the HTML path, with the record's
target URI as its source. The WARC-Date says when the page was fetched, not
when it was published: it dates the document only when the page itself
gives no date, and ``published_evidence`` says so. Other records (requests,
metadata, images, redirects) are skipped and counted in one warning. The
archive is streamed: memory holds one record, capped at ``max_file_bytes``;
per-record gzip (``.warc.gz``) is decompressed by warcio as it reads.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from storyline.errors import InputError, Problem
from storyline.model import Document
from storyline.settings import Settings
from storyline.stages.ingest.build import normalize_published
from storyline.stages.ingest.decode import decode
from storyline.stages.ingest.html import html_document
from storyline.stages.ingest.inputs import Input

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)


def read_warc(inp: Input, settings: Settings) -> Iterator[Document | Problem]:
    from warcio.archiveiterator import ArchiveIterator

    skipped: Counter[str] = Counter()
    pages = whole = 0
    try:
        with inp.open() as fh:
            previous = None
            records = ArchiveIterator(fh, arc2warc=True)
            # warcio writes a note to stderr for each record whose length looks
            # wrong; counted instead (err_count) and reported naming the archive.
            records.INC_RECORD = ""
            for index, record in enumerate(records, start=1):
                whole += _check_whole(previous)
                if record.length is None:
                    raise EOFError(f"record {index} has no length: its header is cut short")
                previous = record
                why = _skip_reason(record)
                if why:
                    skipped[why] += 1
                    continue
                pages += 1
                uri = record.rec_headers.get_header("WARC-Target-URI") or f"{inp.name}#{index}"
                where = f"{inp.name} record {index} ({uri})"
                try:
                    yield _record_document(record, uri, where, settings)
                except InputError as exc:
                    yield Problem(where, exc.reason)
            whole += _check_whole(previous)
            # warcio also ends quietly on a record header cut short: bytes are left over.
            if previous is not None and records.offset < fh.tell():
                raise EOFError(f"{fh.tell() - records.offset:,} bytes after the last whole record")
    except InputError:
        raise
    except Exception as exc:  # warcio raises many kinds (even AttributeError) on broken files
        if skipped:
            yield _skipped_problem(inp, skipped)
        detail = str(exc) or type(exc).__name__
        raise InputError(
            inp.name, f"damaged or truncated archive after {whole} whole record(s) ({detail})"
        ) from None
    if records.err_count:
        yield Problem(
            inp.name,
            f"{records.err_count} record(s) not followed by the blank line their "
            "length implies (a wrong Content-Length?); read as they are",
            rejected=False,
        )
    if skipped:
        yield _skipped_problem(inp, skipped)
    elif not pages:
        raise InputError(inp.name, "an archive with no records")


def _check_whole(record: Any) -> int:
    """1 for a record the iterator has moved past, 0 before the first; EOFError when
    it was not read to its declared length (warcio stops quietly where a file ends)."""
    if record is None:
        return 0
    if getattr(record.raw_stream, "limit", 0) > 0:
        raise EOFError("the last record is cut short")
    return 1


def _skip_reason(record: Any) -> str | None:
    """Why a record is not an HTML page (None when it is one)."""
    if record.rec_type == "resource":
        mime = record.rec_headers.get_header("Content-Type") or ""
        return None if mime.split(";")[0].strip().lower() in _HTML_TYPES else f"resource ({mime})"
    if record.rec_type != "response":
        return record.rec_type or "unknown"
    if record.http_headers is None:
        return "response without HTTP headers"
    status = record.http_headers.get_statuscode()
    if status != "200":
        return f"response {status}"
    mime = record.http_headers.get_header("Content-Type") or ""
    if mime.split(";")[0].strip().lower() not in _HTML_TYPES:
        return f"response ({mime.split(';')[0].strip() or 'no type'})"
    return None


def _skipped_problem(inp: Input, skipped: Counter[str]) -> Problem:
    total = sum(skipped.values())
    parts = ", ".join(f"{n} {why}" for why, n in skipped.most_common())
    return Problem(
        inp.name, f"skipped {total} record(s) that are not HTML pages: {parts}", rejected=False
    )


def _record_document(record: Any, uri: str, where: str, settings: Settings) -> Document:
    limit = settings.max_file_bytes
    data = record.content_stream().read(limit + 1)
    if len(data) > limit:
        raise InputError(where, f"more than {limit:,} bytes, over the {limit:,} byte limit")
    if getattr(record.raw_stream, "limit", 0) > 0:
        raise InputError(where, "the page is cut short (the archive ends inside it)")
    mime = record.http_headers.get_header("Content-Type") if record.http_headers else None
    charset = _CHARSET.search(mime or "")
    html, _ = decode(data, where, charset.group(1) if charset else None)
    fetched = None
    stamp = record.rec_headers.get_header("WARC-Date")
    if stamp:
        try:
            fetched = normalize_published(stamp)
        except ValueError:
            fetched = None
    return html_document(html, uri, settings, fetched=fetched)
