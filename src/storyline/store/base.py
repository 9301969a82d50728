"""The store: what storyline keeps, behind one small interface.

``Store`` holds everything that is the same on every database (SQLAlchemy
Core over the tables of ``schema``); a subclass per database supplies its
connection set-up, its insert-or-ignore, its full-text search and its error
translation. Every write is one transaction: a batch lands whole or not at all.
"""

from __future__ import annotations

import itertools
import json
import re
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Table, delete, func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.dml import Insert

from storyline.batching import batched
from storyline.errors import NotFoundError, StoreError, StoreVersionError
from storyline.ids import url_key
from storyline.model import (
    Document,
    Entity,
    Mention,
    Quote,
    Removal,
    Sentence,
    SourceRecord,
    Timex,
)
from storyline.store import schema, stamp
from storyline.store.briefs import BriefTables
from storyline.store.events import EventTables, event_from_row, event_row
from storyline.store.files import FileTables
from storyline.store.lineage import LineageTables
from storyline.store.migrations import MIGRATIONS
from storyline.store.queries import BrowseQueries
from storyline.store.quotes import QuoteTables
from storyline.store.stories import StoryTables

_READ_CHUNK = 256
_CORPUS_PENDING = "corpus_pending"
_QUERY_TERMS = re.compile(r'"([^"]*)"|(\S+)')
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def query_terms(query: str) -> list[str]:
    """A search query's "quoted phrases" and bare words; control characters (a
    NUL no database takes in a string) are dropped."""
    found = _QUERY_TERMS.findall(_CONTROL.sub(" ", query))
    return [term for phrase, word in found if (term := phrase or word).strip()]


@dataclass(slots=True)
class AddResult:
    """What an ingest batch changed: new documents, and texts already stored."""

    added: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Stats:
    documents: int
    outlets: int
    entities: int
    mentions: int
    derivations: int
    stories: int
    storylines: int
    first: str | None
    last: str | None


@dataclass(slots=True)
class DocumentHeader:
    id: str
    title: str | None
    opening: str
    outlet: str | None
    published: str | None
    source: str

    @property
    def heading(self) -> str:
        return self.title or " ".join(self.opening.split()) + "…"

    @property
    def label(self) -> str:
        """A short name for citations: the outlet, else the site or file name."""
        if self.outlet:
            return self.outlet
        if "://" in self.source:
            return self.source.split("://", 1)[1].split("/", 1)[0]
        return self.source.replace("\\", "/").rsplit("/", 1)[-1]


@dataclass(slots=True)
class SearchHit:
    """A matching document; the matched words in ``snippet`` are marked «like this»."""

    doc: str
    title: str | None
    outlet: str | None
    published: str | None
    snippet: str
    score: float


class Store(
    LineageTables,
    StoryTables,
    QuoteTables,
    EventTables,
    BriefTables,
    BrowseQueries,
    FileTables,
    ABC,
):
    """A storyline database. Open one with ``storyline.store.open_store``."""

    def __init__(self, engine: Engine, name: str) -> None:
        self.engine = engine
        self.name = name

    # -- per-database hooks ---------------------------------------------

    @abstractmethod
    def _insert_ignore(self, table: Table) -> Insert:
        """An INSERT that skips rows whose key is already stored."""

    @abstractmethod
    def _upsert(self, table: Table, keys: Sequence[str]) -> Insert:
        """An INSERT that replaces the non-key columns of rows already stored."""

    @abstractmethod
    def _accumulate(self, table: Table, keys: Sequence[str], column: str) -> Insert:
        """An INSERT that adds ``column`` to the stored value when the key exists."""

    @abstractmethod
    def _create_search_index(self, conn: Connection) -> None:
        """Full-text index over document titles and texts, kept in sync."""

    @abstractmethod
    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Documents matching all words (or quoted phrases) of the query, best first."""

    @abstractmethod
    def _translate(self, exc: DBAPIError) -> StoreError:
        """A database error as a storyline error that names the store."""

    @abstractmethod
    def database_problems(self) -> list[str]:
        """What the database's own integrity checks find, one line each."""

    @abstractmethod
    def analysis_lock(self) -> AbstractContextManager[None]:
        """Held for a whole analysis run, across its many transactions: two
        processes analysing one store take turns, never cluster a document
        twice. Released if the process dies."""

    # -- transactions and schema ----------------------------------------

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        abandoned: GeneratorExit | None = None
        try:
            with self.engine.connect() as conn:
                try:
                    yield conn
                except GeneratorExit as exc:
                    abandoned = exc
                    raise
        except DBAPIError as exc:
            # A stream left unfinished (after another error) is closed later; if
            # its connection is gone by then, closing it is no new error.
            if abandoned is not None:
                raise abandoned from None
            raise self._translate(exc) from exc

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                conn.execution_options(storyline_write=True)
                with conn.begin():
                    yield conn
        except DBAPIError as exc:
            raise self._translate(exc) from exc

    def prepare(self) -> None:
        """Create the schema in an empty database, migrate an older one, refuse others."""
        with self._write() as conn:
            tables = set(self._table_names(conn))
            if not tables:
                schema.metadata.create_all(conn)
                self._create_search_index(conn)
                self._set_version(conn, schema.SCHEMA_VERSION)
                return
            if schema.meta.name not in tables:
                raise StoreVersionError(f"{self.name} is not a storyline database")
            version = self.schema_version(conn)
            if version > schema.SCHEMA_VERSION:
                raise StoreVersionError(
                    f"{self.name} has schema v{version}, written by a newer storyline; "
                    f"this one reads up to v{schema.SCHEMA_VERSION}"
                )
            for step in range(version + 1, schema.SCHEMA_VERSION + 1):
                MIGRATIONS[step](conn)
                self._set_version(conn, step)

    def check_version(self) -> None:
        """For read-only use: refuse a database this storyline cannot read."""
        with self._read() as conn:
            if schema.meta.name not in self._table_names(conn):
                raise StoreVersionError(f"{self.name} is not a storyline database")
            version = self.schema_version(conn)
        if version != schema.SCHEMA_VERSION:
            raise StoreVersionError(
                f"{self.name} has schema v{version}; this storyline needs "
                f"v{schema.SCHEMA_VERSION} (open it for writing to migrate)"
            )

    def _table_names(self, conn: Connection) -> list[str]:
        from sqlalchemy import inspect

        return inspect(conn).get_table_names()

    def schema_version(self, conn: Connection) -> int:
        value = conn.execute(
            select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")
        ).scalar()
        return int(value or 0)

    def corpus_pending(self) -> list[str]:
        """Documents whose corpus stages (lineage, stories, ...) an interrupted
        analysis left undone."""
        with self._read() as conn:
            value = conn.execute(
                select(schema.meta.c.value).where(schema.meta.c.key == _CORPUS_PENDING)
            ).scalar()
        return list(json.loads(value)) if value else []

    def set_corpus_pending(self, ids: Sequence[str]) -> None:
        """Recorded before the corpus stages run, cleared (``[]``) when they are done;
        either way the analysis stamp changes."""
        with self._write() as conn:
            self._write_corpus_pending(conn, ids)

    def _write_corpus_pending(self, conn: Connection, ids: Sequence[str]) -> None:
        stamp.touch(conn)
        conn.execute(delete(schema.meta).where(schema.meta.c.key == _CORPUS_PENDING))
        if ids:
            conn.execute(schema.meta.insert().values(key=_CORPUS_PENDING, value=json.dumps(ids)))

    def analysis_stamp(self) -> str | None:
        """A value that changes whenever the analysed content may have changed (see
        ``storyline.store.stamp``); None before any analysis."""
        with self._read() as conn:
            return stamp.read(conn)

    def _set_version(self, conn: Connection, version: int) -> None:
        conn.execute(delete(schema.meta).where(schema.meta.c.key == "schema_version"))
        conn.execute(schema.meta.insert().values(key="schema_version", value=str(version)))

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- documents ------------------------------------------------------

    def add_documents(self, docs: Iterable[Document]) -> AddResult:
        """Store new documents in one transaction; known texts only gain a source.

        Idempotent: adding the same documents again changes nothing.
        """
        result = AddResult()
        given = list(docs)
        first: dict[str, Document] = {}
        for doc in given:
            first.setdefault(doc.id, doc)
        batch = list(first.values())
        if not batch:
            return result
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._write() as conn:
            known = self._existing_ids(conn, [d.id for d in batch])
            new = [d for d in batch if d.id not in known]
            if new:
                conn.execute(
                    schema.documents.insert(),
                    [_document_row(d) | {"ingested_at": now} for d in new],
                )
            conn.execute(
                self._insert_ignore(schema.document_sources),
                [
                    {
                        "doc": d.id,
                        "source": d.source,
                        "source_key": url_key(d.source) if "://" in d.source else None,
                        "outlet": d.outlet,
                        "published": d.published,
                    }
                    for d in given
                ],
            )
        result.added = [d.id for d in new]
        result.existing = [d.id for d in batch if d.id in known]
        return result

    def _existing_ids(self, conn: Connection, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in batched(ids, 500):
            found.update(
                conn.execute(
                    select(schema.documents.c.id).where(schema.documents.c.id.in_(chunk))
                ).scalars()
            )
        return found

    def stats(self) -> Stats:
        """Corpus-level counts and the date range, computed in the database."""
        d = schema.documents.c
        with self._read() as conn:
            docs, outlets, first, last = conn.execute(
                select(
                    func.count(),
                    func.count(d.outlet.distinct()),
                    func.min(d.published),
                    func.max(d.published),
                )
            ).one()
            entities, mentions, derivations, stories, storylines = (
                int(conn.execute(select(func.count()).select_from(table)).scalar_one())
                for table in (
                    schema.entities,
                    schema.mentions,
                    schema.derivations,
                    schema.stories,
                    schema.storylines,
                )
            )
        return Stats(
            docs, outlets, entities, mentions, derivations, stories, storylines, first, last
        )

    def pending_ids(self, version: str) -> list[str]:
        """Documents not yet analysed by this version of the pipeline."""
        d = schema.documents.c
        with self._read() as conn:
            rows = conn.execute(
                select(d.id)
                .where((d.analyzed_with.is_(None)) | (d.analyzed_with != version))
                .order_by(d.seq)
            )
            return list(rows.scalars())

    def document_ids(self, outlet: str | None = None) -> list[str]:
        """All document ids in ingest order, or those of one outlet."""
        d = schema.documents.c
        query = select(d.id).order_by(d.seq)
        if outlet is not None:
            query = query.where(d.outlet == outlet)
        with self._read() as conn:
            return list(conn.execute(query).scalars())

    def document_headers(
        self, outlet: str | None = None, ids: Sequence[str] | None = None
    ) -> dict[str, DocumentHeader]:
        """Title (or the start of the text), outlet and date of every document (of one
        outlet, or of these ids), without texts."""
        d = schema.documents.c
        query = select(
            d.id, d.title, func.substr(d.text, 1, 90), d.outlet, d.published, d.source
        ).order_by(d.seq)
        if outlet is not None:
            query = query.where(d.outlet == outlet)
        found: dict[str, DocumentHeader] = {}
        with self._read() as conn:
            for chunk in [None] if ids is None else batched(ids, 500):
                chunked = query if chunk is None else query.where(d.id.in_(chunk))
                found.update((row[0], DocumentHeader(*row)) for row in conn.execute(chunked))
        return found

    def outlets(self) -> list[str]:
        """Every outlet, in order: from one to the next along the outlet index
        (a step per outlet, not a read of every document)."""
        d = schema.documents.c
        names = select(func.min(d.outlet).label("name")).cte("names", recursive=True)
        after = select(func.min(d.outlet)).where(d.outlet > names.c.name).scalar_subquery()
        names = names.union_all(select(after).where(names.c.name.is_not(None)))
        query = select(names.c.name).where(names.c.name.is_not(None))
        with self._read() as conn:
            return list(conn.execute(query).scalars())

    def iter_documents(
        self, ids: Iterable[str] | None = None, *, mentions: bool = True
    ) -> Iterator[Document]:
        """Documents with their annotations, read a chunk at a time.

        ``mentions=False`` skips entity mentions and other sources, for stages
        that only read texts, sentences and metadata.
        """
        chunks = batched(self.document_ids() if ids is None else ids, _READ_CHUNK)
        for chunk in chunks:
            with self._read() as conn:
                docs = self._load_documents(conn, chunk, mentions)
            yield from docs

    def get_document(self, doc_id: str) -> Document:
        with self._read() as conn:
            docs = self._load_documents(conn, [doc_id])
        if not docs:
            raise NotFoundError(f"no document {doc_id!r} in {self.name}")
        return docs[0]

    def _load_documents(
        self, conn: Connection, ids: Sequence[str], with_mentions: bool = True
    ) -> list[Document]:
        d, m, s = schema.documents, schema.mentions, schema.document_sources
        rows = conn.execute(select(d).where(d.c.id.in_(ids))).mappings().all()
        mentions: dict[str, list[Mention]] = {}
        sources: dict[str, list[SourceRecord]] = {}
        quotes: dict[str, list[Quote]] = {}
        if with_mentions:
            for row in conn.execute(
                select(m).where(m.c.doc.in_(ids)).order_by(m.c.doc, m.c.start)
            ).mappings():
                mentions.setdefault(row["doc"], []).append(Mention(**row))
            for row in conn.execute(
                select(s).where(s.c.doc.in_(ids)).order_by(s.c.source)
            ).mappings():
                sources.setdefault(row["doc"], []).append(
                    SourceRecord(row["source"], row["outlet"], row["published"])
                )
            q = schema.quotes
            for row in conn.execute(
                select(q).where(q.c.doc.in_(ids)).order_by(q.c.doc, q.c.start)
            ).mappings():
                quotes.setdefault(row["doc"], []).append(Quote(**row))
        by_id = {row["id"]: _document_from_row(row, mentions, sources, quotes) for row in rows}
        return [by_id[i] for i in ids if i in by_id]

    def save_annotations(self, docs: Sequence[Document], version: str) -> None:
        """Replace the annotations of these documents in one transaction."""
        if not docs:
            return
        d, m = schema.documents, schema.mentions
        with self._write() as conn:
            ids = [doc.id for doc in docs]
            conn.execute(delete(m).where(m.c.doc.in_(ids)))
            for doc in docs:
                values = _document_row(doc)
                for key in ("id", "source", "raw_text"):
                    del values[key]
                conn.execute(
                    update(d).where(d.c.id == doc.id).values(**values, analyzed_with=version)
                )
            entity_rows = {
                mention.entity: {
                    "id": mention.entity,
                    "name": mention.text,
                    "type": mention.label,
                    "aliases": [],
                }
                for doc in docs
                for mention in doc.mentions
            }
            if entity_rows:
                conn.execute(self._insert_ignore(schema.entities), list(entity_rows.values()))
            mention_rows = [
                {
                    "doc": mn.doc,
                    "start": mn.start,
                    "end": mn.end,
                    "text": mn.text,
                    "label": mn.label,
                    "entity": mn.entity,
                }
                for doc in docs
                for mn in doc.mentions
            ]
            if mention_rows:
                conn.execute(m.insert(), mention_rows)
            self._replace_quotes(conn, docs)

    def save_dating(self, docs: Sequence[Document]) -> None:
        """Store new publication estimates with the times and events anchored on them."""
        d = schema.documents
        fields = ("published", "published_evidence", "times", "events")
        with self._write() as conn:
            for doc in docs:
                row = _document_row(doc)
                conn.execute(
                    update(d).where(d.c.id == doc.id).values(**{k: row[k] for k in fields})
                )

    def refresh_entities(self, docs: Sequence[str]) -> None:
        """Name, type and aliases of the entities these documents mention, from all
        their mentions: the fullest, most frequent form is the name."""
        e, m = schema.entities, schema.mentions
        with self._write() as conn:
            touched: set[str] = set()
            for chunk in batched(docs, 500):
                touched.update(
                    conn.execute(select(m.c.entity).where(m.c.doc.in_(chunk)).distinct()).scalars()
                )
            for chunk in batched(sorted(touched), 500):
                forms: dict[str, Counter[str]] = {}
                labels: dict[str, Counter[str]] = {}
                rows = conn.execute(
                    select(m.c.entity, m.c.text, m.c.label).where(m.c.entity.in_(chunk))
                )
                for entity, text, label in rows:
                    forms.setdefault(entity, Counter())[text] += 1
                    labels.setdefault(entity, Counter())[label] += 1
                for entity, counts in forms.items():
                    name = _best_name(counts)
                    conn.execute(
                        update(e)
                        .where(e.c.id == entity)
                        .values(
                            name=name,
                            # The commonest label; a tie goes the same way whatever
                            # order the documents were stored in.
                            type=max(labels[entity], key=lambda k: (labels[entity][k], k)),
                            aliases=sorted(set(counts) - {name}),
                        )
                    )

    def prune_entities(self) -> int:
        """Drop entities no mention refers to any more (after re-analysis)."""
        e, m = schema.entities, schema.mentions
        with self._write() as conn:
            result = conn.execute(delete(e).where(~e.c.id.in_(select(m.c.entity))))
            return int(result.rowcount or 0)

    # -- evidence across documents ---------------------------------------

    def record_line_keys(self, rows: Sequence[tuple[str, str | None, str]]) -> None:
        """Remember which documents (of which outlet) carry which line keys, and
        count each (document, key) once however often it is recorded."""
        if not rows:
            return
        lk = schema.line_keys.c
        with self._write() as conn:
            stored: set[tuple[str, str]] = set()
            for chunk in batched(sorted({doc for doc, _, _ in rows}), 500):
                stored.update(
                    (doc, key)
                    for doc, key in conn.execute(select(lk.doc, lk.key).where(lk.doc.in_(chunk)))
                )
            new = {(doc, key): outlet for doc, outlet, key in rows if (doc, key) not in stored}
            if not new:
                return
            conn.execute(
                self._insert_ignore(schema.line_keys),
                [{"doc": doc, "outlet": outlet, "key": key} for (doc, key), outlet in new.items()],
            )
            counts = Counter((key, outlet or "") for (_, key), outlet in new.items())
            conn.execute(
                self._accumulate(schema.line_key_counts, ("key", "outlet"), "docs"),
                [{"key": k, "outlet": o, "docs": n} for (k, o), n in sorted(counts.items())],
            )

    def line_key_counts(self, keys: Iterable[str]) -> dict[str, dict[str | None, int]]:
        """For each key, the number of documents carrying it per outlet."""
        c = schema.line_key_counts.c
        counts: dict[str, dict[str | None, int]] = {}
        with self._read() as conn:
            for chunk in batched(keys, 500):
                for key, outlet, docs in conn.execute(
                    select(c.key, c.outlet, c.docs).where(c.key.in_(chunk))
                ):
                    counts.setdefault(key, {})[outlet or None] = int(docs)
        return counts

    # -- entities -------------------------------------------------------

    def iter_entities(self) -> Iterator[Entity]:
        """Entities with their mentions, ordered by id, streamed."""
        e, m = schema.entities, schema.mentions
        with self._read() as conn:
            entity_rows = conn.execute(select(e).order_by(e.c.id)).mappings()
            mention_rows = conn.execute(
                select(m).order_by(m.c.entity, m.c.doc, m.c.start)
            ).mappings()
            grouped = itertools.groupby(mention_rows, key=lambda row: row["entity"])
            pending = next(grouped, None)
            for row in entity_rows:
                entity = Entity(row["id"], row["name"], row["type"], list(row["aliases"]))
                while pending is not None and pending[0] < entity.id:
                    pending = next(grouped, None)
                if pending is not None and pending[0] == entity.id:
                    entity.mentions = [Mention(**mr) for mr in pending[1]]
                    pending = next(grouped, None)
                yield entity

    def entity_names(self) -> dict[str, list[str]]:
        """Each entity's name, then its aliases."""
        e = schema.entities.c
        with self._read() as conn:
            return {
                row.id: [row.name, *row.aliases]
                for row in conn.execute(select(e.id, e.name, e.aliases))
            }

    def entity_document_counts(self, limit: int | None = None) -> list[tuple[Entity, int]]:
        """Entities by the number of documents naming them, most first."""
        e, m = schema.entities, schema.mentions
        docs = func.count(m.c.doc.distinct()).label("docs")
        query = (
            select(e.c.id, e.c.name, e.c.type, e.c.aliases, docs)
            .join(m, m.c.entity == e.c.id)
            .group_by(e.c.id)
            .order_by(docs.desc(), e.c.name)
            .limit(limit)
        )
        with self._read() as conn:
            return [
                (Entity(r.id, r.name, r.type, list(r.aliases)), int(r.docs))
                for r in conn.execute(query)
            ]


def _best_name(forms: Counter[str]) -> str:
    """The most frequent full form ("Vladimir Putin" over "Putin", "North Korea" over
    "the Democratic People's Republic of Korea"), without a leading "the"."""
    counts: Counter[str] = Counter()
    for form, n in forms.items():
        counts[form.removeprefix("the ").removeprefix("The ")] += n
    full = {f: n for f, n in counts.items() if len(f.split()) >= 2} or dict(counts)
    return max(full, key=lambda f: (full[f], -len(f), f))


def _removal_dict(r: Removal) -> dict[str, Any]:
    return {"start": r.start, "end": r.end, "kind": r.kind, "text": r.text}


def _document_row(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "source": doc.source,
        "raw_text": doc.raw_text,
        "text": doc.text,
        "outlet": doc.outlet,
        "title": doc.title,
        "published": doc.published,
        "published_evidence": doc.published_evidence,
        "language": doc.language,
        "byline": doc.byline,
        "machine_generated": doc.machine_generated,
        "contributors": doc.contributors,
        "evidence": doc.evidence,
        "removed": [_removal_dict(r) for r in doc.removed],
        "sentences": [[s.start, s.end] for s in doc.sentences],
        "times": [
            [t.start, t.end, t.text, t.value, t.granularity, t.confidence] for t in doc.times
        ],
        "events": [event_row(e) for e in doc.events],
    }


def _document_from_row(
    row: Any,
    mentions: dict[str, list[Mention]],
    sources: dict[str, list[SourceRecord]],
    quotes: dict[str, list[Quote]],
) -> Document:
    doc_id = row["id"]
    return Document(
        id=doc_id,
        source=row["source"],
        raw_text=row["raw_text"],
        text=row["text"],
        outlet=row["outlet"],
        title=row["title"],
        published=row["published"],
        published_evidence=row["published_evidence"],
        language=row["language"],
        byline=row["byline"],
        machine_generated=row["machine_generated"],
        contributors=list(row["contributors"]),
        evidence=dict(row["evidence"]),
        removed=[Removal(**r) for r in row["removed"]],
        sentences=[Sentence(start, end) for start, end in row["sentences"]],
        times=[Timex(*t) for t in row["times"]],
        events=[event_from_row(e) for e in row["events"]],
        mentions=mentions.get(doc_id, []),
        quotes=quotes.get(doc_id, []),
        other_sources=[s for s in sources.get(doc_id, []) if s.source != row["source"]],
    )
