"""Content-derived identifiers: the same content always gets the same id.

Ids that depend only on content make ingest idempotent and let the local and
distributed engines agree without coordination.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from pathlib import Path

_SPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Unicode compatibility form with runs of whitespace collapsed.

    Two files that differ only in line endings, indentation or full-width
    characters hold the same article.
    """
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def stable_id(*parts: str, size: int = 8) -> str:
    """Hex digest of the parts (joined unambiguously), ``2 * size`` characters."""
    h = hashlib.blake2b(digest_size=size)
    for part in parts:
        data = part.encode("utf-8")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def document_id(text: str) -> str:
    return stable_id(normalize_text(text))


def url_key(url: str) -> str:
    """A URL as an article's identity: ``https://www.site.example/a/?utm_source=rss#top``
    = ``http://site.example/a``.

    courlan drops fragments and tracking parameters and lower-cases the host;
    the scheme, a leading ``www.`` and a trailing slash are ignored here too.
    """
    from courlan import normalize_url

    try:
        url = normalize_url(url, strict=True)
    except ValueError:
        url = url.strip()
    return url.split("://", 1)[-1].removeprefix("www.").rstrip("/")


def outlet_key(name: str) -> str:
    """An outlet's name for comparison: "The Calder Courier" = "calder courier"."""
    key = normalize_text(name).casefold()
    return key.removeprefix("the ")


def path_text(path: str | Path) -> str:
    """A file path as a document's source and a store's key: bytes of a name that are
    not UTF-8 (which Python keeps as lone surrogates no database takes) as ``\\xe9``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")
