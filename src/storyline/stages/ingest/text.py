"""Plain-text articles: the whole file is the article."""

from __future__ import annotations

from collections.abc import Iterator

from storyline.errors import Problem
from storyline.model import Document
from storyline.settings import Settings
from storyline.stages.ingest.build import make_document
from storyline.stages.ingest.decode import decode
from storyline.stages.ingest.inputs import Input


def read_text(inp: Input, settings: Settings) -> Iterator[Document | Problem]:
    text, encoding = decode(inp.read(settings.max_file_bytes), inp.name)
    if encoding != "utf-8":
        yield Problem(inp.name, f"not UTF-8; read as {encoding}", rejected=False)
    yield make_document(text, inp.name, settings)
