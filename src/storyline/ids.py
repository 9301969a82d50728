"""Content-derived identifiers: the same content always gets the same id.

Ids that depend only on content make ingest idempotent and let the local and
distributed engines agree without coordination.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

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


def outlet_key(name: str) -> str:
    """An outlet's name for comparison: "The Calder Courier" = "calder courier"."""
    key = normalize_text(name).casefold()
    return key.removeprefix("the ")
