"""Store methods for claims and briefs."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import Connection, delete, select

from storyline.model import Brief, BriefSentence, Citation, Claim, SentenceRef
from storyline.store import schema


def _sentences(items: Sequence[BriefSentence]) -> list[dict[str, Any]]:
    return [
        {"text": s.text, "citations": [[c.doc, c.start, c.end] for c in s.citations]} for s in items
    ]


def _from_sentences(rows: list[dict[str, Any]]) -> list[BriefSentence]:
    return [BriefSentence(r["text"], [Citation(*c) for c in r["citations"]]) for r in rows]


def claim_from_row(row: Any) -> Claim:
    return Claim(
        row["id"],
        row["text"],
        [SentenceRef(doc, index) for doc, index in row["sources"]],
        row["independent_sources"],
        list(row["discrepancies"]),
    )


def brief_from_row(row: Any) -> Brief:
    return Brief(
        row["story"],
        _from_sentences(row["sentences"]),
        row["new_since"],
        _from_sentences(row["new"]),
    )


class BriefTables:
    """Mixed into ``Store``; uses its transactions."""

    def _read(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def _write(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def replace_claims(self, by_story: dict[str, list[Claim]]) -> None:
        c = schema.claims
        with self._write() as conn:
            if by_story:
                conn.execute(delete(c).where(c.c.story.in_(list(by_story))))
            rows = [
                {
                    "id": claim.id,
                    "story": story,
                    "text": claim.text,
                    "sources": [[s.doc, s.sentence] for s in claim.sources],
                    "independent_sources": claim.independent_sources,
                    "discrepancies": claim.discrepancies,
                }
                for story, claims in by_story.items()
                for claim in claims
            ]
            if rows:
                conn.execute(c.insert(), rows)

    def claims_of(self, story: str) -> list[Claim]:
        c = schema.claims.c
        query = (
            select(schema.claims)
            .where(c.story == story)
            .order_by(c.independent_sources.desc(), c.id)
        )
        with self._read() as conn:
            return [claim_from_row(row) for row in conn.execute(query).mappings()]

    def iter_claims(self) -> Iterator[tuple[str, Claim]]:
        c = schema.claims.c
        with self._read() as conn:
            query = select(schema.claims).order_by(c.story, c.independent_sources.desc(), c.id)
            for row in conn.execute(query).mappings():
                yield row["story"], claim_from_row(row)

    def replace_briefs(self, briefs: Sequence[Brief]) -> None:
        b = schema.briefs
        with self._write() as conn:
            if briefs:
                conn.execute(delete(b).where(b.c.story.in_([x.story for x in briefs])))
                conn.execute(
                    b.insert(),
                    [
                        {
                            "story": x.story,
                            "sentences": _sentences(x.sentences),
                            "new_since": x.new_since,
                            "new": _sentences(x.new),
                        }
                        for x in briefs
                    ],
                )

    def iter_briefs(self) -> Iterator[Brief]:
        b = schema.briefs.c
        with self._read() as conn:
            for row in conn.execute(select(schema.briefs).order_by(b.story)).mappings():
                yield brief_from_row(row)
