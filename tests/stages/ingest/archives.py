"""Web archives and zip files built for the tests from the fixture pages."""

from __future__ import annotations

import io
import zipfile

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.fixtures import HARBOUR_PAGE, LOCK_PAGE

FETCHED = "2026-05-20T12:00:00Z"
LOCK_URL = "https://canal-news.example/lock-gates"
CRANE_URL = "https://westhaven-gazette.example/news/crane-collapse"


def crawl(*, gz: bool) -> bytes:
    """A small crawl: crawl info, two HTML pages, an image, a 404, a request and metadata."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    writer.write_record(writer.create_warcinfo_record("crawl.warc", {"software": "tests"}))

    def response(uri: str, body: bytes, mime: str, status: str = "200 OK") -> None:
        http = StatusAndHeaders(status, [("Content-Type", mime)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            uri,
            "response",
            payload=io.BytesIO(body),
            http_headers=http,
            warc_headers_dict={"WARC-Date": FETCHED},
        )
        writer.write_record(record)

    response(LOCK_URL, LOCK_PAGE.encode(), "text/html; charset=utf-8")
    response("https://canal-news.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")
    response("https://canal-news.example/gone", b"<html>gone</html>", "text/html", "404 Not Found")
    response(CRANE_URL, HARBOUR_PAGE.encode("cp1252"), "text/html; charset=windows-1252")
    request = writer.create_warc_record(
        LOCK_URL, "request", payload=io.BytesIO(b"GET /lock-gates HTTP/1.1\r\n\r\n")
    )
    writer.write_record(request)
    writer.write_record(
        writer.create_warc_record(
            LOCK_URL, "metadata", payload=io.BytesIO(b"via: tests"), warc_content_type="text/plain"
        )
    )
    return out.getvalue()


def zipped(members: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def arc_file() -> bytes:
    """An ARC (version 1) file: its header record, then LOCK_PAGE as fetched."""
    about = b"1 0 tests\nURL IP-address Archive-date Content-type Archive-length\n"
    header = b"filedesc://crawl.arc 0.0.0.0 20260520120000 text/plain %d\n" % len(about)
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + LOCK_PAGE.encode()
    record = b"%s 192.0.2.1 20260520120000 text/html %d\n" % (LOCK_URL.encode(), len(http))
    return header + about + b"\n" + record + http + b"\n"
