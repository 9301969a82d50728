"""Bytes to text: binary detection and encoding detection."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from storyline.errors import InputError

_SNIFF = 8192
_CONTROLS = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
_WINDOWS_1252 = dict.fromkeys(("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"), "cp1252")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters: an image, archive or other non-text."""
    head = data[:_SNIFF]
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROLS))
    return controls > max(8, len(head) // 20)


def declared_charset(head: bytes) -> str | None:
    """The encoding a page declares in its first bytes (``<meta charset>``), if any."""
    found = _META_CHARSET.search(head[:_SNIFF])
    return found.group(1).decode("ascii").lower() if found else None


def decode(data: bytes, source: str, declared: str | None = None) -> tuple[str, str]:
    """Text and the encoding it was read with: UTF-8 first, then the encoding the
    input declares (``declared``, else a ``<meta charset>`` in its first bytes),
    else the one charset-normalizer detects."""
    if looks_binary(data):
        raise InputError(source, "binary data, not text")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = declared or declared_charset(data)
    if declared:
        # As browsers do (WHATWG): pages labelled Latin-1 or ASCII are windows-1252.
        declared = _WINDOWS_1252.get(declared.lower(), declared)
        try:
            return data.decode(declared), codecs.lookup(declared).name
        except (LookupError, UnicodeDecodeError):
            pass
    best = from_bytes(data).best()
    if best is None:
        raise InputError(source, "not valid UTF-8 and no other text encoding fits")
    return str(best), best.encoding
