"""Turn text and whatever metadata an input gives into a ``Document``."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import dateparser

from storyline.errors import InputError
from storyline.ids import document_id
from storyline.model import INPUT_DATE, Document
from storyline.settings import Settings
from storyline.stages.ingest.language import detect_language
from storyline.stages.ingest.title import guess_title

# NUL (which PostgreSQL refuses in text) and lone surrogates (not Unicode at all:
# a JSON escape such as "\ud800", half of a broken emoji).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(value: str) -> str:
    """Text every store can keep, whatever the input held: NUL dropped, a lone
    surrogate replaced by U+FFFD."""
    return _UNSTORABLE.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", value)


def _storable(value: str | None) -> str | None:
    return storable(value) or None if value else None


# Longer than any date as written ("Tuesday, 14 April 2026 09:30:00 +0100 (BST)"):
# dateparser tries every language on it, in time that grows with its length.
MAX_DATE_CHARS = 100


def normalize_published(value: str) -> str:
    """ISO 8601: a date stays a date, an aware datetime becomes UTC.

    Raises ValueError when the value is not a recognisable date.
    """
    value = value.strip()
    if len(value) > MAX_DATE_CHARS:
        raise ValueError(f"not a date: {len(value):,} characters")
    try:
        if len(value) == 10:
            return date.fromisoformat(value).isoformat()
        parsed = datetime.fromisoformat(value)
    except ValueError:
        found = dateparser.parse(value, settings={"STRICT_PARSING": True})
        if found is None:
            raise ValueError(f"unrecognised date {value!r}") from None
        parsed = found
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC)
    return parsed.isoformat()


def make_document(
    text: str,
    source: str,
    settings: Settings,
    *,
    title: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
    language: str | None = None,
    byline: str | None = None,
) -> Document:
    """Checks the text, derives the id; guesses the title and language when not given.

    ``published`` must already be normalised (see ``normalize_published``).
    Text and metadata are made storable first, so the id is that of what is stored.
    """
    text = storable(text)
    if not text.strip():
        raise InputError(source, "empty: no article text")
    if len(text) > settings.max_doc_chars:
        raise InputError(
            source, f"text has {len(text):,} characters, over the {settings.max_doc_chars:,} limit"
        )
    guessed = None if title else guess_title(text)
    return Document(
        id=document_id(text),
        source=storable(source),
        raw_text=text,
        text=text,
        outlet=_storable(outlet),
        title=_storable(title) or guessed,
        published=published,
        published_evidence=INPUT_DATE if published else None,
        language=_storable(language) or detect_language(text),
        byline=_storable(byline),
        evidence={"title": "the first line of the text"} if guessed else {},
    )
