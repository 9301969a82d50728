"""Store methods for browsing: one record, or one page of records with filters.

The web app and the API ask for a page at a time and for one story's parts;
these answer from indexes without reading the whole store.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Select, Text, cast, func, or_, select

from storyline.batching import batched
from storyline.errors import NotFoundError
from storyline.model import (
    Brief,
    Claim,
    Derivation,
    Document,
    Entity,
    Event,
    Mention,
    Quote,
    Story,
    Storyline,
)
from storyline.store import schema
from storyline.store.briefs import brief_from_row, claim_from_row
from storyline.store.events import event_from_row
from storyline.store.lineage import derivation_from_row

T = TypeVar("T")


@dataclass(slots=True)
class Page(Generic[T]):
    """One page of records and how many match in all."""

    items: list[T]
    total: int
    limit: int
    offset: int


@dataclass(slots=True)
class StoryFilter:
    """Stories overlapping ``since``..``until`` (ISO dates), with a document naming
    ``entity`` (an entity id), from ``outlet``, or among ``docs`` (search hits)."""

    since: str | None = None
    until: str | None = None
    entity: str | None = None
    outlet: str | None = None
    docs: Sequence[str] | None = None


def day_after(day: str) -> str:
    """The bound for "on or before ``day``" that compares right with any ISO date
    or datetime string, in any collation."""
    return (date.fromisoformat(day[:10]) + timedelta(days=1)).isoformat()


class BrowseQueries:
    """Mixed into ``Store``; uses its transactions."""

    name: str

    def _read(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def _load_documents(
        self, conn: Connection, ids: Sequence[str], with_mentions: bool = True
    ) -> list[Document]:
        raise NotImplementedError

    def _page(self, query: Select[Any], limit: int, offset: int) -> tuple[list[Any], int]:
        total_query = select(func.count()).select_from(query.order_by(None).subquery())
        with self._read() as conn:
            total = int(conn.execute(total_query).scalar_one())
            rows = list(conn.execute(query.limit(limit).offset(offset)).mappings())
        return rows, total

    # -- stories and storylines -----------------------------------------

    def story_page(self, where: StoryFilter, limit: int = 20, offset: int = 0) -> Page[Story]:
        """Stories, the most recent first."""
        s, sd, d = schema.stories.c, schema.story_docs.c, schema.documents.c
        query = select(schema.stories.c.id, s.label, s.entities, s.start, s.end, s.storyline)
        if where.since:
            query = query.where(or_(s.end >= where.since, s.start >= where.since))
        if where.until:
            query = query.where(s.start < day_after(where.until))
        if where.entity:
            m = schema.mentions.c
            named = select(sd.story).join(schema.mentions, m.doc == sd.doc)
            query = query.where(s.id.in_(named.where(m.entity == where.entity)))
        if where.outlet:
            told = select(sd.story).join(schema.documents, d.id == sd.doc)
            query = query.where(s.id.in_(told.where(d.outlet == where.outlet)))
        if where.docs is not None:
            query = query.where(s.id.in_(select(sd.story).where(sd.doc.in_(list(where.docs)))))
        query = query.order_by(func.coalesce(s.end, s.start).desc(), s.id)
        rows, total = self._page(query, limit, offset)
        return Page(self._stories(rows), total, limit, offset)

    def get_story(self, story_id: str) -> Story:
        s = schema.stories.c
        query = select(s.id, s.label, s.entities, s.start, s.end, s.storyline)
        with self._read() as conn:
            rows = list(conn.execute(query.where(s.id == story_id)).mappings())
        if not rows:
            raise NotFoundError(f"no story {story_id!r} in {self.name}")
        return self._stories(rows)[0]

    def _stories(self, rows: list[Any]) -> list[Story]:
        sd = schema.story_docs.c
        members: dict[str, list[str]] = {}
        with self._read() as conn:
            query = select(sd.doc, sd.story).where(sd.story.in_([r["id"] for r in rows]))
            for doc, story in conn.execute(query):
                members.setdefault(story, []).append(doc)
        return [
            Story(
                r["id"],
                r["label"],
                sorted(members.get(r["id"], [])),
                list(r["entities"]),
                r["start"],
                r["end"],
                r["storyline"],
            )
            for r in rows
        ]

    def docs_of_stories(self, story_ids: Iterable[str]) -> dict[str, list[str]]:
        """The documents of each of these stories."""
        sd = schema.story_docs.c
        found: dict[str, list[str]] = {}
        with self._read() as conn:
            for chunk in batched(story_ids, 500):
                for doc, story in conn.execute(select(sd.doc, sd.story).where(sd.story.in_(chunk))):
                    found.setdefault(story, []).append(doc)
        return found

    def storyline_page(self, limit: int = 20, offset: int = 0) -> Page[Storyline]:
        sl = schema.storylines.c
        rows, total = self._page(select(schema.storylines).order_by(sl.id), limit, offset)
        items = [Storyline(r["id"], r["label"], list(r["stories"])) for r in rows]
        return Page(items, total, limit, offset)

    def get_storyline(self, line_id: str) -> tuple[Storyline, list[dict[str, Any]]]:
        """The storyline and the links (with their evidence) that made it."""
        sl = schema.storylines.c
        with self._read() as conn:
            row = conn.execute(select(schema.storylines).where(sl.id == line_id)).mappings().first()
        if row is None:
            raise NotFoundError(f"no storyline {line_id!r} in {self.name}")
        return Storyline(row["id"], row["label"], list(row["stories"])), list(row["links"])

    def brief_of(self, story_id: str) -> Brief | None:
        b = schema.briefs.c
        with self._read() as conn:
            row = conn.execute(select(schema.briefs).where(b.story == story_id)).mappings().first()
        return brief_from_row(row) if row is not None else None

    # -- documents --------------------------------------------------------

    def document_page(
        self, outlet: str | None = None, story: str | None = None, limit: int = 20, offset: int = 0
    ) -> Page[Document]:
        """Documents in ingest order, with their annotations."""
        d, sd = schema.documents.c, schema.story_docs.c
        query = select(d.id).order_by(d.seq)
        if outlet:
            query = query.where(d.outlet == outlet)
        if story:
            query = query.where(d.id.in_(select(sd.doc).where(sd.story == story)))
        rows, total = self._page(query, limit, offset)
        with self._read() as conn:
            docs = self._load_documents(conn, [r["id"] for r in rows])
        return Page(docs, total, limit, offset)

    # -- entities ---------------------------------------------------------

    def entity_page(
        self, type_: str | None = None, name: str | None = None, limit: int = 20, offset: int = 0
    ) -> Page[Entity]:
        """Entities (without mentions) by the number of documents naming them;
        ``name`` matches the name or an alias, case-insensitively, anywhere in it."""
        e, m = schema.entities.c, schema.mentions.c
        docs = func.count(m.doc.distinct()).label("docs")
        query = (
            select(e.id, e.name, e.type, e.aliases, docs)
            .join(schema.mentions, m.entity == e.id)
            .group_by(e.id)
            .order_by(docs.desc(), e.name, e.id)
        )
        if type_:
            query = query.where(e.type == type_.upper())
        if name:
            pattern = "%" + name.lower().replace("\\", "\\\\").replace("%", "\\%") + "%"
            query = query.where(
                or_(
                    func.lower(e.name).like(pattern, escape="\\"),
                    func.lower(cast(e.aliases, Text)).like(pattern, escape="\\"),
                )
            )
        rows, total = self._page(query, limit, offset)
        items = [Entity(r["id"], r["name"], r["type"], list(r["aliases"])) for r in rows]
        return Page(items, total, limit, offset)

    def get_entity(self, entity_id: str) -> Entity:
        """The entity with all its mentions."""
        e, m = schema.entities.c, schema.mentions.c
        with self._read() as conn:
            row = conn.execute(select(schema.entities).where(e.id == entity_id)).mappings().first()
            if row is None:
                raise NotFoundError(f"no entity {entity_id!r} in {self.name}")
            mentions = [
                Mention(**r)
                for r in conn.execute(
                    select(schema.mentions).where(m.entity == entity_id).order_by(m.doc, m.start)
                ).mappings()
            ]
        return Entity(row["id"], row["name"], row["type"], list(row["aliases"]), mentions)

    def names_of(self, ids: Sequence[str]) -> dict[str, str]:
        """The name of each of these entities."""
        e = schema.entities.c
        wanted = sorted(set(ids))
        with self._read() as conn:
            return dict(conn.execute(select(e.id, e.name).where(e.id.in_(wanted))).all())

    def entity_records(self, ids: Iterable[str]) -> dict[str, Entity]:
        """These entities (without their mentions), by id."""
        e = schema.entities.c
        found: dict[str, Entity] = {}
        with self._read() as conn:
            for chunk in batched(sorted(set(ids)), 500):
                query = select(e.id, e.name, e.type, e.aliases).where(e.id.in_(chunk))
                found.update(
                    (r.id, Entity(r.id, r.name, r.type, list(r.aliases)))
                    for r in conn.execute(query)
                )
        return found

    def published_of(self, ids: Iterable[str]) -> dict[str, str | None]:
        """The publication date of each of these documents (None when undated)."""
        d = schema.documents.c
        found: dict[str, str | None] = {}
        with self._read() as conn:
            for chunk in batched(sorted(set(ids)), 500):
                found.update(conn.execute(select(d.id, d.published).where(d.id.in_(chunk))).all())
        return found

    # -- quotes, events, claims, derivations ------------------------------

    def quote_page(
        self,
        *,
        doc: str | None = None,
        speaker: str | None = None,
        cluster: str | None = None,
        story: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> Page[Quote]:
        q, sd = schema.quotes.c, schema.story_docs.c
        query = select(schema.quotes).order_by(q.doc, q.start)
        for column, value in ((q.doc, doc), (q.speaker, speaker), (q.cluster, cluster)):
            if value:
                query = query.where(column == value)
        if story:
            query = query.where(q.doc.in_(select(sd.doc).where(sd.story == story)))
        rows, total = self._page(query, limit, offset)
        return Page([Quote(**r) for r in rows], total, limit, offset)

    def event_page(
        self,
        *,
        story: str | None = None,
        type_: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> Page[Event]:
        """Events by date (undated last)."""
        e = schema.events.c
        query = select(schema.events).order_by(e.date.is_(None), e.date, e.id)
        if story:
            query = query.where(e.story == story)
        if type_:
            query = query.where(e.type == type_.upper())
        if since:
            query = query.where(e.date >= since)
        if until:
            query = query.where(e.date < day_after(until))
        rows, total = self._page(query, limit, offset)
        return Page([event_from_row(r) for r in rows], total, limit, offset)

    def claim_page(self, story: str | None = None, limit: int = 20, offset: int = 0) -> Page[Claim]:
        """Claims, the best corroborated first."""
        c = schema.claims.c
        query = select(schema.claims).order_by(c.independent_sources.desc(), c.story, c.id)
        if story:
            query = query.where(c.story == story)
        rows, total = self._page(query, limit, offset)
        return Page([claim_from_row(r) for r in rows], total, limit, offset)

    def derivation_page(
        self, doc: str | None = None, kind: str | None = None, limit: int = 20, offset: int = 0
    ) -> Page[Derivation]:
        d = schema.derivations.c
        query = select(schema.derivations).order_by(d.source_doc, d.derived_doc)
        if doc:
            query = query.where(or_(d.source_doc == doc, d.derived_doc == doc))
        if kind:
            query = query.where(d.kind == kind)
        rows, total = self._page(query, limit, offset)
        return Page([derivation_from_row(r) for r in rows], total, limit, offset)
