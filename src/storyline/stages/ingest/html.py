"""HTML pages: the article's main text and metadata, extracted by trafilatura.

trafilatura's fast extraction comes first (on the article-extraction
benchmark it is as good as the full one, which also compares its result with
readability and jusText ports, and takes a third less time; see
``bench/extraction.py``). When it finds no article, trafilatura's
``baseline`` (embedded JSON-LD ``articleBody``, ``<article>`` and paragraph
text) is tried, with the metadata the page's ``<meta>`` tags give (og:title,
site name, author) and its date found by htmldate; a baseline text counts
only when it has a sentence-long paragraph, so a page of menus and links is
still rejected. Readers' comments are never taken.

Metadata the caller gives (a JSONL record's or feed entry's fields) wins
over what the page says; the page's date becomes ``published`` with the page
as its evidence; failing that, the date an archive fetched the page (a
WARC-Date), said so. A saved page is known by its canonical URL rather than
its file name, so the same article saved twice or linked from a feed is
recognised.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from storyline.errors import InputError, Problem
from storyline.model import ARCHIVED_DATE, PAGE_DATE, Document
from storyline.settings import Settings
from storyline.stages.ingest.build import make_document, normalize_published
from storyline.stages.ingest.decode import decode
from storyline.stages.ingest.inputs import Input

# Fewer words than this is a menu, a cookie notice or an error page, not an article.
MIN_WORDS = 8
# trafilatura's options: its fast extraction, without readers' comments.
EXTRACTION_OPTIONS: dict[str, Any] = {"fast": True, "include_comments": False}
# A paragraph that reads like prose: enough words on one line, ending like a sentence.
_SENTENCE_LINE = re.compile(
    r"^(?:\S+[^\S\n]+){" + str(MIN_WORDS - 1) + r",}\S*[.!?\"”’)][^\S\n]*$", re.M
)


@dataclass(slots=True)
class Page:
    """What a page gives: its text and the metadata found beside it."""

    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    sitename: str | None = None
    url: str | None = None
    fallback: bool = False


def _words(text: str) -> int:
    return len(text.split())


def _meta(found: Any, name: str) -> str | None:
    value = getattr(found, name, None)
    return value if isinstance(value, str) and value.strip() else None


def extract(html: str, source: str, *, metadata: bool = True) -> Page:
    """The main text (and metadata) of a page; InputError when it holds no article."""
    import trafilatura

    url = source if "://" in source else None
    try:
        found = trafilatura.bare_extraction(
            html, **EXTRACTION_OPTIONS, url=url, with_metadata=metadata
        )
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        raise InputError(source, f"the HTML could not be parsed ({type(exc).__name__})") from None
    text = (_meta(found, "text") or "") if found is not None else ""
    if _words(text) >= MIN_WORDS:
        return Page(
            text,
            _meta(found, "title"),
            _meta(found, "author"),
            _meta(found, "date"),
            _meta(found, "sitename"),
            _meta(found, "url"),
        )
    return _fallback(html, source, url)


def _fallback(html: str, source: str, url: str | None) -> Page:
    from trafilatura import baseline
    from trafilatura.metadata import extract_metadata

    try:
        text = baseline(html)[1]
        meta = extract_metadata(html, default_url=url)
    except Exception as exc:  # as above: broken markup
        raise InputError(source, f"the HTML could not be parsed ({type(exc).__name__})") from None
    if _words(text) < MIN_WORDS or not _SENTENCE_LINE.search(text):
        raise InputError(source, "no article text found in the HTML (navigation or markup only)")
    return Page(
        text,
        _meta(meta, "title"),
        _meta(meta, "author"),
        _meta(meta, "date"),
        _meta(meta, "sitename"),
        _meta(meta, "url"),
        fallback=True,
    )


def fragment_text(html: str, source: str) -> str:
    """The text of an HTML fragment (a feed entry's content), paragraphs as lines."""
    page = f"<html><body><div>{html}</div></body></html>"
    try:
        return extract(page, source, metadata=False).text
    except InputError:
        raise InputError(source, f"no article text (fewer than {MIN_WORDS} words)") from None


def html_document(
    html: str,
    source: str,
    settings: Settings,
    *,
    title: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
    language: str | None = None,
    fetched: str | None = None,
) -> Document:
    """The page's article; ``fetched`` (ISO 8601) dates it when nothing else does."""
    page = extract(html, source)
    page_date = None
    if not published and page.date:
        try:
            page_date = normalize_published(page.date)
        except ValueError:
            page_date = None
    page_url = page.url if page.url and "://" in page.url else None
    doc = make_document(
        page.text,
        source if "://" in source or page_url is None else page_url,
        settings,
        title=title or page.title,
        outlet=outlet or page.sitename,
        published=published or page_date or fetched,
        language=language,
        byline=page.author,
    )
    if page_date:
        doc.published_evidence = PAGE_DATE
    elif fetched and not published:
        doc.published_evidence = ARCHIVED_DATE
    if doc.source != source:
        doc.evidence["source"] = f"canonical URL of {source}"
    if page.fallback:
        doc.evidence["text"] = "the page's paragraphs (no main article block was found)"
    return doc


def read_html(inp: Input, settings: Settings) -> Iterator[Document | Problem]:
    html, encoding = decode(inp.read(settings.max_file_bytes), inp.name)
    if encoding != "utf-8":
        yield Problem(inp.name, f"not UTF-8; read as {encoding}", rejected=False)
    yield html_document(html, inp.name, settings)
