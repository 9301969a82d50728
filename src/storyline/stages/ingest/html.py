"""HTML pages: the article's main text and metadata, extracted by trafilatura.

Metadata the caller gives (a JSONL record's fields) wins over what the page
says; the page's date becomes ``published`` with the page as its evidence,
and a saved page is known by its canonical URL rather than its file name, so
the same article saved twice or linked from a feed is recognised.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storyline.errors import InputError, Problem
from storyline.model import Document
from storyline.settings import Settings
from storyline.stages.ingest.build import make_document, normalize_published
from storyline.stages.ingest.decode import decode, read_bytes

# Fewer words than this is a menu, a cookie notice or an error page, not an article.
MIN_WORDS = 8


def extract(html: str, source: str) -> Any:
    import trafilatura

    url = source if "://" in source else None
    try:
        found = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        raise InputError(source, f"the HTML could not be parsed ({type(exc).__name__})") from None
    text = (getattr(found, "text", None) or "") if found is not None else ""
    if len(text.split()) < MIN_WORDS:
        raise InputError(source, "no article text found in the HTML (navigation or markup only)")
    return found


def html_document(
    html: str,
    source: str,
    settings: Settings,
    *,
    title: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
    language: str | None = None,
) -> Document:
    found = extract(html, source)
    page_date = None
    if not published and found.date:
        try:
            page_date = normalize_published(found.date)
        except ValueError:
            page_date = None
    page_url = found.url if isinstance(found.url, str) and "://" in found.url else None
    doc = make_document(
        found.text,
        source if "://" in source or page_url is None else page_url,
        settings,
        title=title or found.title,
        outlet=outlet or found.sitename,
        published=published or page_date,
        language=language or found.language,
    )
    if page_date:
        doc.published_evidence = "the page's metadata"
    if found.author:
        doc.byline = found.author
    if doc.source != source:
        doc.evidence["source"] = f"canonical URL of {source}"
    return doc


def read_html(path: Path, settings: Settings) -> Iterator[Document | Problem]:
    source = str(path)
    html, encoding = decode(read_bytes(path, settings.max_file_bytes), source)
    if encoding != "utf-8":
        yield Problem(source, f"not UTF-8; read as {encoding}", rejected=False)
    yield html_document(html, source, settings)
