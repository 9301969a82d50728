"""Store methods for quotes and their clusters."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import Connection, delete, select, update

from storyline.batching import batched
from storyline.model import Document, Quote
from storyline.store import schema


def _row(q: Quote) -> dict[str, Any]:
    return {
        "id": q.id,
        "doc": q.doc,
        "text": q.text,
        "start": q.start,
        "end": q.end,
        "kind": q.kind,
        "speaker": q.speaker,
        "speaker_text": q.speaker_text,
        "cue": q.cue,
        "cluster": q.cluster,
    }


class QuoteTables:
    """Mixed into ``Store``; uses its transactions."""

    def _read(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def _write(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def _replace_quotes(self, conn: Connection, docs: Sequence[Document]) -> None:
        """Inside a document write: the documents' quotes replace their old ones."""
        q = schema.quotes
        conn.execute(delete(q).where(q.c.doc.in_([d.id for d in docs])))
        rows = [_row(quote) for doc in docs for quote in doc.quotes]
        if rows:
            conn.execute(q.insert(), rows)

    def iter_quotes(
        self, docs: Iterable[str] | None = None, speakers: Iterable[str] | None = None
    ) -> Iterator[Quote]:
        """Quotes of these documents, or by these speakers (entity ids), or all."""
        q = schema.quotes.c
        queries = []
        if docs is not None:
            queries += [select(schema.quotes).where(q.doc.in_(c)) for c in batched(docs, 500)]
        if speakers is not None:
            queries += [
                select(schema.quotes).where(q.speaker.in_(c)) for c in batched(speakers, 500)
            ]
        if docs is None and speakers is None:
            queries = [select(schema.quotes).order_by(q.doc, q.start)]
        with self._read() as conn:
            for query in queries:
                for row in conn.execute(query).mappings():
                    yield Quote(**row)

    def set_quote_clusters(self, clusters: dict[str, str | None]) -> None:
        """Quote id -> cluster id (None: in no cluster)."""
        q = schema.quotes
        with self._write() as conn:
            for quote, cluster in clusters.items():
                conn.execute(update(q).where(q.c.id == quote).values(cluster=cluster))
