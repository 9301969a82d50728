"""JSON Lines: one article per line, ``text`` (or ``html``) plus optional metadata.

Each line stands alone: a malformed line is reported with its number and the
other lines are still read. The file is streamed, never held whole in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from storyline.errors import InputError, Problem
from storyline.model import Document
from storyline.settings import Settings
from storyline.stages.ingest.build import make_document, normalize_published
from storyline.stages.ingest.html import html_document
from storyline.stages.ingest.inputs import Input

_OPTIONAL = ("url", "title", "outlet", "published", "language")


def read_jsonl(inp: Input, settings: Settings) -> Iterator[Document | Problem]:
    with inp.open() as fh:
        for lineno, raw in enumerate(fh, start=1):
            where = f"{inp.name}:{lineno}"
            if not raw.strip():
                continue
            try:
                yield from _read_line(raw, where, f"{inp.name}#{lineno}", settings)
            except InputError as exc:
                yield Problem(where, exc.reason)


def _read_line(
    raw: bytes, where: str, fallback_source: str, settings: Settings
) -> Iterator[Document | Problem]:
    """The line's document; ``fallback_source`` names it when it has no url."""
    try:
        record: Any = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(where, f"malformed JSON ({exc})") from None
    yield from record_documents(record, where, fallback_source, settings)


def record_documents(
    record: object, where: str, fallback_source: str, settings: Settings
) -> Iterator[Document | Problem]:
    """The document of one article record (a JSONL line, an API request body)."""
    if not isinstance(record, dict):
        raise InputError(where, f"expected a JSON object, got {type(record).__name__}")
    text, html = record.get("text"), record.get("html")
    text = text if isinstance(text, str) and text.strip() else None
    html = html if isinstance(html, str) and html.strip() else None
    if text is None and html is None:
        raise InputError(where, "no 'text' or 'html' string")
    meta: dict[str, str | None] = {}
    for key in _OPTIONAL:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise InputError(where, f"'{key}' must be a string, not {type(value).__name__}")
        meta[key] = value or None
    published = None
    if meta["published"]:
        try:
            published = normalize_published(meta["published"])
        except ValueError as exc:
            yield Problem(where, f"'published' ignored: {exc}", rejected=False)
    given = {
        "title": meta["title"],
        "outlet": meta["outlet"],
        "published": published,
        "language": meta["language"],
    }
    source = meta["url"] or fallback_source
    if text is not None:
        yield make_document(text, source, settings, **given)
    elif html is not None:
        yield html_document(html, source, settings, **given)
