"""Bytes to text: size limits, binary detection and encoding detection."""

from __future__ import annotations

from pathlib import Path

from charset_normalizer import from_bytes

from storyline.errors import InputError

_SNIFF = 8192
_CONTROL_OK = {9, 10, 12, 13}


def read_bytes(path: Path, max_bytes: int) -> bytes:
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(str(path), f"file is {size:,} bytes, over the {max_bytes:,} byte limit")
    return path.read_bytes()


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters: an image, archive or other non-text."""
    head = data[:_SNIFF]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in _CONTROL_OK)
    return controls > max(8, len(head) // 20)


def decode(data: bytes, source: str) -> tuple[str, str]:
    """Text and the encoding it was read with; UTF-8 first, else detected."""
    if looks_binary(data):
        raise InputError(source, "binary data, not text")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise InputError(source, "not valid UTF-8 and no other text encoding fits")
    return str(best), best.encoding
