"""RSS 2.0, Atom and RDF feeds, read with feedparser: one document per entry.

An entry's text is its content, else its summary (HTML made text by the
HTML path); its link is the document's source, its title, date and author
are the document's, and the feed's title is the outlet. A bad entry is named
by the feed and its index (and link) and the others are read. When the page
an entry links to is in the same input, the page's full text is kept instead
(see ``read_inputs``).

Hostile XML: feedparser parses with expat through SAX with external entities
turned off, and drops entity declarations from the DOCTYPE before parsing,
so a feed that declares entities (billion laughs) or points at external ones
(XXE) is read with the references left unexpanded, as literal text. A feed
is read whole, so it is refused past ``max_file_bytes``. A character reference
to no character (``&#xD800;``, ``&#0;``, past U+10FFFF), on which feedparser's
lenient parser fails, is read as U+FFFD; a feed it still cannot parse is named.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from storyline.errors import InputError, Problem
from storyline.model import FEED_DATE, Document
from storyline.settings import Settings
from storyline.stages.ingest.build import make_document
from storyline.stages.ingest.html import fragment_text
from storyline.stages.ingest.inputs import Input

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARREF = re.compile(rb"&#([xX][0-9a-fA-F]+|[0-9]+);")
_REPLACEMENT = b"&#xFFFD;"


def _character(ref: re.Match[bytes]) -> bytes:
    """A numeric character reference, or U+FFFD's when it names no character."""
    digits = ref.group(1)
    if len(digits) > 9:
        return _REPLACEMENT
    code = int(digits[1:], 16) if digits[:1] in b"xX" else int(digits)
    valid = 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF
    return ref.group(0) if valid else _REPLACEMENT


def read_feed(inp: Input, settings: Settings) -> Iterator[Document | Problem]:
    import feedparser

    data = _CHARREF.sub(_character, inp.read(settings.max_file_bytes))
    try:
        parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False)
    except Exception as exc:  # its lenient parser fails in many ways on hostile markup
        raise InputError(inp.name, f"the feed could not be parsed ({type(exc).__name__})") from None
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not parsed.entries:
        detail = f" ({problem})" if problem else ""
        raise InputError(inp.name, f"not a feed, or a feed with no entries{detail}")
    if problem is not None and not isinstance(problem, feedparser.CharacterEncodingOverride):
        yield Problem(inp.name, f"not well-formed XML ({problem}); read leniently", rejected=False)
    outlet = parsed.feed.get("title") or None
    for index, entry in enumerate(parsed.entries, start=1):
        link = entry.get("link") or None
        where = f"{inp.name} entry {index}" + (f" ({link})" if link else "")
        source = link or f"{inp.name}#{index}"
        try:
            yield from _entry_document(entry, where, source, outlet, settings)
        except InputError as exc:
            yield Problem(where, exc.reason)


def _body(entry: Any) -> tuple[str, str, str] | None:
    """The entry's text, its MIME type and what it is (content or summary)."""
    for part in entry.get("content") or []:
        value = part.get("value") or ""
        if value.strip():
            return value, part.get("type") or "text/html", "content"
    summary = entry.get("summary") or ""
    if summary.strip():
        detail = entry.get("summary_detail") or {}
        return summary, detail.get("type") or "text/html", "summary"
    return None


def _entry_document(
    entry: Any, where: str, source: str, outlet: str | None, settings: Settings
) -> Iterator[Document | Problem]:
    body = _body(entry)
    if body is None:
        raise InputError(where, "no content or summary")
    value, mime, what = body
    text = fragment_text(value, where) if mime in _HTML_TYPES else value
    published = None
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if stamp is not None:
        year, month, day, hour, minute, second = stamp[:6]
        published = datetime(year, month, day, hour, minute, second, tzinfo=UTC).isoformat()
    elif entry.get("published") or entry.get("updated"):
        given = entry.get("published") or entry.get("updated")
        yield Problem(where, f"date ignored: unrecognised date {given!r}", rejected=False)
    doc = make_document(
        text,
        source,
        settings,
        title=entry.get("title") or None,
        outlet=outlet,
        published=published,
        byline=entry.get("author") or None,
    )
    if published:
        doc.published_evidence = FEED_DATE
    doc.evidence["text"] = f"the {what} of {where}"
    yield doc
