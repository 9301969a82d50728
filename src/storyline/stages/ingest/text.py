"""Plain-text articles: the whole file is the article."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from storyline.errors import Problem
from storyline.model import Document
from storyline.settings import Settings
from storyline.stages.ingest.build import make_document
from storyline.stages.ingest.decode import decode, read_bytes


def read_text(path: Path, settings: Settings) -> Iterator[Document | Problem]:
    source = str(path)
    text, encoding = decode(read_bytes(path, settings.max_file_bytes), source)
    if encoding != "utf-8":
        yield Problem(source, f"not UTF-8; read as {encoding}", rejected=False)
    yield make_document(text, source, settings)
