"""Store methods for stories: clustering state, members, storylines, document frequencies."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import Connection, Table, delete, func, select, tuple_, update
from sqlalchemy.sql.dml import Insert

from storyline.batching import batched
from storyline.model import Story, Storyline, StoryOp
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

    def corpus_pending(self) -> list[str]:
        raise NotImplementedError

    def _write_corpus_pending(self, conn: Connection, ids: Sequence[str]) -> None:
        raise NotImplementedError

    # -- document frequencies ---------------------------------------------

    def clustered_docs(self) -> int:
        """Documents clustered so far: the N of the clusterer's IDF."""
        with self._read() as conn:
            return int(
                conn.execute(select(func.count()).select_from(schema.story_docs)).scalar_one()
            )

    def term_frequencies(self, terms: dict[str, set[str]]) -> dict[str, Counter[str]]:
        """How many clustered documents carried each of these terms, per space."""
        t = schema.term_df.c
        counts: dict[str, Counter[str]] = {}
        with self._read() as conn:
            for space, wanted in terms.items():
                found = counts.setdefault(space, Counter())
                for chunk in batched(sorted(wanted), 500):
                    query = select(t.term, t.df).where(t.space == space, t.term.in_(chunk))
                    for term, df in conn.execute(query):
                        found[term] = df
        return counts

    # -- stories ----------------------------------------------------------

    def find_stories(
        self, keys: Sequence[tuple[str, str]], active_only: bool, limit: int
    ) -> list[str]:
        """The stories whose index terms share most of these (space, term) keys."""
        if not keys:
            return []
        st, s = schema.story_terms.c, schema.stories.c
        shared = func.count().label("shared")
        query = (
            select(st.story, shared)
            .where(tuple_(st.space, st.term).in_(list(keys)))
            .group_by(st.story)
            .order_by(shared.desc(), st.story)
            .limit(limit)
        )
        if active_only:
            query = query.join(schema.stories, s.id == st.story).where(s.active.is_(True))
        with self._read() as conn:
            return [row.story for row in conn.execute(query)]

    def story_states(
        self, ids: Sequence[str]
    ) -> list[tuple[str, dict[str, Any], bool, list[tuple[str, str]]]]:
        """(id, clustering state, active, index terms) of these stories."""
        s, st = schema.stories.c, schema.story_terms.c
        found = []
        with self._read() as conn:
            for chunk in batched(ids, 500):
                keys: dict[str, list[tuple[str, str]]] = {}
                for row in conn.execute(
                    select(st.story, st.space, st.term).where(st.story.in_(chunk))
                ):
                    keys.setdefault(row.story, []).append((row.space, row.term))
                for row in conn.execute(
                    select(s.id, s.state, s.active).where(s.id.in_(chunk)).order_by(s.id)
                ):
                    found.append((row.id, row.state, bool(row.active), keys.get(row.id, [])))
        return found

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
        keys: dict[str, set[tuple[str, str]]],
    ) -> None:
        """Stories (record, clustering state, active) and new (doc, story) members,
        with the document-frequency increments and the stories' index terms, in
        one transaction."""
        with self._write() as conn:
            self._write_stories(conn, stories, members, keys)
            delta = [
                {"space": space, "term": term, "df": n}
                for space, counts in df_delta.items()
                for term, n in counts.items()
            ]
            if delta:
                conn.execute(self._accumulate(schema.term_df, ["space", "term"], "df"), delta)

    def replace_stories(
        self,
        stories: Sequence[tuple[Story, dict[str, Any], bool]],
        members: Sequence[tuple[str, str]],
        keys: dict[str, set[tuple[str, str]]],
        ops: Sequence[StoryOp],
        pending: Sequence[str],
    ) -> None:
        """Every story replaced by these (a story not among them goes, with what
        was derived from it), storylines dropped to be threaded again, the
        operations logged and these documents left for the later corpus stages
        (as an interrupted analysis leaves them), in one transaction."""
        s = schema.stories
        keep = {story.id for story, _, _ in stories}
        with self._write() as conn:
            conn.execute(delete(schema.storylines))
            conn.execute(update(s).values(storyline=None))
            conn.execute(delete(schema.story_docs))
            conn.execute(delete(schema.story_terms))
            gone = [sid for sid in conn.execute(select(s.c.id)).scalars() if sid not in keep]
            for chunk in batched(gone, 500):
                conn.execute(delete(s).where(s.c.id.in_(chunk)))
            self._write_stories(conn, stories, members, keys)
            self._write_corpus_pending(conn, pending)
            if ops:
                conn.execute(
                    schema.story_ops.insert(),
                    [
                        {
                            "at": o.at,
                            "op": o.op,
                            "source": o.source,
                            "target": o.target,
                            "docs": o.docs,
                        }
                        for o in ops
                    ],
                )

    def _write_stories(
        self,
        conn: Connection,
        stories: Sequence[tuple[Story, dict[str, Any], bool]],
        members: Sequence[tuple[str, str]],
        keys: dict[str, set[tuple[str, str]]],
    ) -> None:
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
        for story_rows in batched(rows, 500):
            conn.execute(self._upsert(schema.stories, ["id"]), story_rows)
        for member_rows in batched([{"doc": d, "story": s} for d, s in members], 5000):
            conn.execute(schema.story_docs.insert(), member_rows)
        terms = [
            {"space": space, "term": term, "story": story}
            for story, found in keys.items()
            for space, term in sorted(found)
        ]
        for chunk in batched(terms, 5000):
            conn.execute(self._insert_ignore(schema.story_terms), chunk)

    def story_ops(self, story: str | None = None) -> list[StoryOp]:
        """The logged merges and splits (those touching this story), oldest first."""
        o = schema.story_ops.c
        query = select(o.at, o.op, o.source, o.target, o.docs).order_by(o.seq)
        if story is not None:
            query = query.where((o.source == story) | (o.target == story))
        with self._read() as conn:
            return [
                StoryOp(row.op, row.source, row.target, list(row.docs), row.at)
                for row in conn.execute(query)
            ]

    # -- storylines -------------------------------------------------------

    def storylines_of(self, stories: Iterable[str]) -> dict[str, str]:
        """The storyline of each of these stories that has one."""
        s = schema.stories.c
        found: dict[str, str] = {}
        with self._read() as conn:
            for chunk in batched(stories, 500):
                query = select(s.id, s.storyline).where(s.id.in_(chunk), s.storyline.is_not(None))
                found.update({row.id: row.storyline for row in conn.execute(query)})
        return found

    def story_heads(self, stories: Iterable[str]) -> dict[str, tuple[str | None, str]]:
        """(start date, label) of these stories."""
        s = schema.stories.c
        found: dict[str, tuple[str | None, str]] = {}
        with self._read() as conn:
            for chunk in batched(stories, 500):
                query = select(s.id, s.start, s.label).where(s.id.in_(chunk))
                found.update({row.id: (row.start, row.label) for row in conn.execute(query)})
        return found

    def storylines_by_id(self, ids: Iterable[str]) -> list[tuple[Storyline, list[dict[str, Any]]]]:
        sl = schema.storylines.c
        found = []
        with self._read() as conn:
            for chunk in batched(ids, 500):
                query = select(sl.id, sl.label, sl.stories, sl.links).where(sl.id.in_(chunk))
                for row in conn.execute(query.order_by(sl.id)):
                    found.append((Storyline(row.id, row.label, list(row.stories)), list(row.links)))
        return found

    def replace_storylines(
        self,
        removed: Iterable[str],
        storylines: Sequence[tuple[Storyline, list[dict[str, Any]]]],
    ) -> None:
        """Drop these storylines and write these (new or grown ones), with each
        story's storyline, in one transaction."""
        sl = schema.storylines
        with self._write() as conn:
            gone = sorted(set(removed) | {line.id for line, _ in storylines})
            for chunk in batched(gone, 500):
                conn.execute(delete(sl).where(sl.c.id.in_(chunk)))
            if storylines:
                conn.execute(
                    sl.insert(),
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
                for chunk in batched(line.stories, 500):
                    conn.execute(update(s).where(s.c.id.in_(chunk)).values(storyline=line.id))

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
