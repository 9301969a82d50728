"""Store methods for stories: clustering state, members, storylines, document frequencies."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import Connection, Table, delete, func, select, update
from sqlalchemy.sql.dml import Insert

from storyline.batching import batched
from storyline.model import Story, Storyline
from storyline.store import schema


class StoryTables:
    """Mixed into ``Store``; uses its transactions."""

    def _read(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def _write(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def _insert_ignore(self, table: Table) -> Insert:
        raise NotImplementedError

    def _upsert(self, table: Table, keys: Sequence[str]) -> Insert:
        raise NotImplementedError

    def _accumulate(self, table: Table, keys: Sequence[str], column: str) -> Insert:
        raise NotImplementedError

    # -- document frequencies ---------------------------------------------

    def term_frequencies(self) -> tuple[int, dict[str, Counter[str]]]:
        """Documents clustered so far and, per space, how many carried each term."""
        t = schema.term_df.c
        counts: dict[str, Counter[str]] = {}
        with self._read() as conn:
            for space, term, df in conn.execute(select(t.space, t.term, t.df)):
                counts.setdefault(space, Counter())[term] = df
            docs = conn.execute(select(func.count()).select_from(schema.story_docs)).scalar_one()
        return int(docs), counts

    # -- stories ----------------------------------------------------------

    def story_states(self, active_only: bool = False) -> list[tuple[str, dict[str, Any], bool]]:
        """(id, clustering state, active) of the stored stories."""
        s = schema.stories.c
        query = select(s.id, s.state, s.active).order_by(s.id)
        if active_only:
            query = query.where(s.active.is_(True))
        with self._read() as conn:
            return [(row.id, row.state, bool(row.active)) for row in conn.execute(query)]

    def stories_of(self, docs: Iterable[str]) -> dict[str, str]:
        """The story of each of these documents that has one."""
        sd = schema.story_docs.c
        found: dict[str, str] = {}
        with self._read() as conn:
            for chunk in batched(docs, 500):
                for doc, story in conn.execute(select(sd.doc, sd.story).where(sd.doc.in_(chunk))):
                    found[doc] = story
        return found

    def save_stories(
        self,
        stories: Sequence[tuple[Story, dict[str, Any], bool]],
        members: Sequence[tuple[str, str]],
        df_delta: dict[str, Counter[str]],
    ) -> None:
        """Stories (record, clustering state, active) and new (doc, story) members,
        with the document-frequency increments, in one transaction."""
        with self._write() as conn:
            rows = [
                {
                    "id": story.id,
                    "label": story.label,
                    "start": story.start,
                    "end": story.end,
                    "storyline": story.storyline,
                    "entities": story.entities,
                    "active": active,
                    "state": state,
                }
                for story, state, active in stories
            ]
            if rows:
                conn.execute(self._upsert(schema.stories, ["id"]), rows)
            if members:
                conn.execute(
                    schema.story_docs.insert(), [{"doc": d, "story": s} for d, s in members]
                )
            delta = [
                {"space": space, "term": term, "df": n}
                for space, counts in df_delta.items()
                for term, n in counts.items()
            ]
            if delta:
                conn.execute(self._accumulate(schema.term_df, ["space", "term"], "df"), delta)

    def save_storylines(self, storylines: Sequence[tuple[Storyline, list[dict[str, Any]]]]) -> None:
        """Replace all storylines (and each story's storyline) with these."""
        with self._write() as conn:
            conn.execute(delete(schema.storylines))
            if storylines:
                conn.execute(
                    schema.storylines.insert(),
                    [
                        {
                            "id": line.id,
                            "label": line.label,
                            "stories": line.stories,
                            "links": links,
                        }
                        for line, links in storylines
                    ],
                )
            s = schema.stories
            for line, _ in storylines:
                conn.execute(update(s).where(s.c.id.in_(line.stories)).values(storyline=line.id))

    def iter_stories(self) -> Iterator[Story]:
        s, sd = schema.stories.c, schema.story_docs.c
        with self._read() as conn:
            members: dict[str, list[str]] = {}
            for doc, story in conn.execute(select(sd.doc, sd.story)):
                members.setdefault(story, []).append(doc)
            for row in conn.execute(
                select(s.id, s.label, s.entities, s.start, s.end, s.storyline).order_by(
                    s.start, s.id
                )
            ):
                yield Story(
                    row.id,
                    row.label,
                    sorted(members.get(row.id, [])),
                    list(row.entities),
                    row.start,
                    row.end,
                    row.storyline,
                )

    def iter_storylines(self) -> Iterator[tuple[Storyline, list[dict[str, Any]]]]:
        sl = schema.storylines.c
        with self._read() as conn:
            for row in conn.execute(select(sl.id, sl.label, sl.stories, sl.links).order_by(sl.id)):
                yield Storyline(row.id, row.label, list(row.stories)), list(row.links)
