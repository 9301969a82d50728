"""Ingest: files and folders in, ``Document`` records out.

One reader per format; the kind of a file is decided by its extension and,
when that says nothing, by its first bytes. Any failure is reported as a
``Problem`` naming the input, and the rest of the batch goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from storyline.errors import InputError, Problem
from storyline.model import Document
from storyline.settings import Settings
from storyline.stages.ingest.html import read_html
from storyline.stages.ingest.jsonl import read_jsonl
from storyline.stages.ingest.text import read_text

Reader = Callable[[Path, Settings], Iterator[Document | Problem]]

READERS: dict[str, Reader] = {"text": read_text, "jsonl": read_jsonl, "html": read_html}
EXTENSIONS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".jsonl": "jsonl",
    ".html": "html",
    ".htm": "html",
    ".ndjson": "jsonl",
}

__all__ = ["READERS", "read_inputs", "sniff_kind"]


def sniff_kind(path: Path) -> str | None:
    """The reader for a file: by extension, else by content for extensionless files."""
    kind = EXTENSIONS.get(path.suffix.lower())
    if kind or path.suffix:
        return kind
    with path.open("rb") as fh:
        head = fh.read(512).lstrip()
    if head.startswith(b"{"):
        return "jsonl"
    if head[:15].lower().startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def read_inputs(paths: Iterable[str | Path], settings: Settings) -> Iterator[Document | Problem]:
    """Every document in the given files and folders (recursively), in path order."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            for file in files:
                yield from _read_file(file, settings)
        elif path.exists():
            yield from _read_file(path, settings)
        else:
            yield Problem(str(path), "no such file or directory")


def _read_file(path: Path, settings: Settings) -> Iterator[Document | Problem]:
    try:
        kind = sniff_kind(path)
        if kind is None:
            yield Problem(str(path), f"unsupported file kind '{path.suffix}'")
            return
        yield from READERS[kind](path, settings)
    except InputError as exc:
        yield Problem(exc.source, exc.reason)
    except OSError as exc:
        yield Problem(str(path), f"cannot read: {exc.strerror or exc}")
