"""Store methods for lineage: signatures, the LSH and quote-key index, derivations."""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Connection, Table, delete, func, literal, or_, select
from sqlalchemy.sql.dml import Insert
from sqlalchemy.sql.elements import ColumnElement

from storyline.batching import batched
from storyline.model import Derivation
from storyline.store import schema

_LINEAGE_SCHEME = "lineage_scheme"


def derivation_from_row(row: Any) -> Derivation:
    return Derivation(
        row["source_doc"], row["derived_doc"], row["kind"], row["score"], row["evidence"]
    )


@dataclass(slots=True)
class LineageText:
    """What lineage reads of a document: its text, sentence spans and metadata."""

    id: str
    text: str
    outlet: str | None
    published: str | None
    sentences: list[tuple[int, int]]


def _driver_sql(conn: Connection, statement: str) -> str:
    """``statement`` written with ``?`` placeholders, in the driver's own style."""
    return statement if conn.dialect.paramstyle == "qmark" else statement.replace("?", "%s")


def _executemany(conn: Connection, statement: str, rows: Sequence[tuple[Any, ...]]) -> None:
    """``statement`` for every row, through the database driver: SQLAlchemy's
    handling of each row's parameters costs more than the database's own work
    for the index's hundreds of thousands of small rows."""
    if rows:
        conn.exec_driver_sql(_driver_sql(conn, statement), list(rows))


# The keys (of those asked) that more than a number of documents hold; the
# count of each stops there.
_COMMON_KEYS = (
    "WITH asked(key) AS (VALUES {values}) SELECT key FROM asked WHERE EXISTS "
    "(SELECT 1 FROM lineage_keys AS held WHERE held.key = asked.key LIMIT 1 OFFSET ?)"
)


def _by_key(ids: Sequence[str], keys: Sequence[np.ndarray]) -> list[tuple[int, str]]:
    """(key, document) rows in the index's order: inserted so, each lands next
    to the last."""
    owner = np.repeat(np.arange(len(ids)), [len(k) for k in keys])
    flat = np.concatenate([np.zeros(0, np.int64), *keys])
    rank = {doc: i for i, doc in enumerate(sorted(ids))}
    order = np.lexsort((np.array([rank[doc] for doc in ids])[owner], flat))
    return list(zip(flat[order].tolist(), [ids[i] for i in owner[order].tolist()], strict=True))


class LineageTables:
    """Mixed into ``Store``; uses its transactions."""

    def _read(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def _write(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def _insert_ignore(self, table: Table) -> Insert:
        raise NotImplementedError

    def lineage_texts(self, ids: Iterable[str]) -> Iterator[LineageText]:
        """Texts, sentence spans, outlets and dates, without the other annotations."""
        d = schema.documents.c
        query = select(d.id, d.text, d.outlet, d.published, d.sentences)
        for chunk in batched(ids, 500):
            with self._read() as conn:
                rows = {row[0]: row for row in conn.execute(query.where(d.id.in_(chunk)))}
            for doc in chunk:
                if doc in rows:
                    _, text, outlet, published, sentences = rows[doc]
                    yield LineageText(doc, text, outlet, published, [tuple(s) for s in sentences])

    def lineage_scheme(self) -> str | None:
        """How the stored signatures and keys were computed (None: never)."""
        m = schema.meta.c
        with self._read() as conn:
            value = conn.execute(select(m.value).where(m.key == _LINEAGE_SCHEME)).scalar()
        return str(value) if value is not None else None

    def set_lineage_scheme(self, scheme: str) -> None:
        m = schema.meta
        with self._write() as conn:
            conn.execute(delete(m).where(m.c.key == _LINEAGE_SCHEME))
            conn.execute(m.insert().values(key=_LINEAGE_SCHEME, value=scheme))

    def lineage_indexed(self, ids: Iterable[str] | None = None) -> int:
        """How many documents (of ``ids``, or in all) have lineage features."""
        s = schema.signatures.c
        with self._read() as conn:
            if ids is None:
                return int(
                    conn.execute(select(func.count()).select_from(schema.signatures)).scalar() or 0
                )
            return sum(
                int(conn.execute(select(func.count()).where(s.doc.in_(chunk))).scalar() or 0)
                for chunk in batched(ids, 500)
            )

    def save_lineage_features(
        self, rows: Sequence[tuple[str, bytes | None, Sequence[int] | np.ndarray]]
    ) -> None:
        """Replace each document's signature and index keys (its old keys are
        found through its stored list of them)."""
        if not rows:
            return
        s = schema.signatures
        ids = [doc for doc, _, _ in rows]
        keys = [np.asarray(doc_keys, dtype=np.int64) for _, _, doc_keys in rows]
        with self._write() as conn:
            old = [
                (key, doc)
                for chunk in batched(ids, 500)
                for doc, blob in conn.execute(
                    select(s.c.doc, s.c["keys"]).where(s.c.doc.in_(chunk))
                )
                if blob
                for key in array("q", blob)
            ]
            _executemany(conn, "DELETE FROM lineage_keys WHERE key = ? AND doc = ?", old)
            for chunk in batched(ids, 500):
                conn.execute(delete(s).where(s.c.doc.in_(chunk)))
            _executemany(
                conn,
                "INSERT INTO signatures (doc, signature, keys) VALUES (?, ?, ?)",
                [(doc, sig, k.tobytes()) for (doc, sig, _), k in zip(rows, keys, strict=True)],
            )
            _executemany(
                conn, "INSERT INTO lineage_keys (key, doc) VALUES (?, ?)", _by_key(ids, keys)
            )

    def lineage_holders(
        self, keys: Iterable[int], max_key_docs: int, uncapped: Callable[[int], bool]
    ) -> tuple[dict[int, list[str]], set[int]]:
        """The documents holding each of these keys, and the keys left out: those
        for which ``uncapped`` is false and more than ``max_key_docs``
        documents hold (counting stops there: a common key costs no more than
        a rare one)."""
        k = schema.lineage_keys
        wanted = sorted(set(keys))
        capped = [key for key in wanted if not uncapped(key)]
        found: dict[int, list[str]] = {}
        frequent: set[int] = set()
        with self._read() as conn:
            for chunk in batched(capped, 5000):
                sql = _COMMON_KEYS.format(values=", ".join(["(?)"] * len(chunk)))
                rows = conn.exec_driver_sql(_driver_sql(conn, sql), (*chunk, max_key_docs))
                frequent.update(key for (key,) in rows)
            for chunk in batched([key for key in wanted if key not in frequent], 5000):
                for key, doc in conn.execute(select(k.c.key, k.c.doc).where(k.c.key.in_(chunk))):
                    found.setdefault(key, []).append(doc)
        return found, frequent

    def lineage_indexed_besides(self, ids: Collection[str]) -> bool:
        """Whether documents other than these are in the lineage index (for a
        few, one look in each gap between them along the index)."""
        if len(ids) > 100:
            return self.lineage_indexed() > self.lineage_indexed(ids)
        s = schema.signatures.c
        bounds = sorted(ids)
        if not bounds:
            return self.lineage_indexed() > 0
        gaps: list[ColumnElement[bool]] = [s.doc < bounds[0], s.doc > bounds[-1]]
        gaps += [(s.doc > a) & (s.doc < b) for a, b in itertools.pairwise(bounds)]
        with self._read() as conn:
            return conn.execute(select(literal(1)).where(or_(*gaps)).limit(1)).first() is not None

    def outlet_signatures(
        self, outlet: str, since: str | None, until: str | None
    ) -> dict[str, bytes]:
        """Signatures of one outlet's documents published between two dates
        (inclusive; either may be None), and of its undated ones."""
        d, s = schema.documents.c, schema.signatures.c
        query = (
            select(s.doc, s.signature)
            .join(schema.documents, d.id == s.doc)
            .where(d.outlet == outlet, s.signature.is_not(None))
        )
        if since is not None:
            query = query.where(or_(d.published.is_(None), d.published >= since))
        if until is not None:
            query = query.where(or_(d.published.is_(None), d.published <= until))
        with self._read() as conn:
            return {doc: sig for doc, sig in conn.execute(query)}

    def derivations_of(self, derived: Iterable[str]) -> list[Derivation]:
        """The stored derivations of these derived documents."""
        d = schema.derivations
        found: list[Derivation] = []
        with self._read() as conn:
            for chunk in batched(derived, 500):
                rows = conn.execute(select(d).where(d.c.derived_doc.in_(chunk))).mappings()
                found.extend(derivation_from_row(row) for row in rows)
        return found

    def replace_derivations(
        self, ids: Sequence[str], found: Sequence[Derivation], derived: Sequence[str] = ()
    ) -> None:
        """Drop the derivations touching ``ids`` and those of the ``derived``
        documents, and store ``found`` instead."""
        d = schema.derivations
        with self._write() as conn:
            for chunk in batched(ids, 500):
                conn.execute(
                    delete(d).where(or_(d.c.source_doc.in_(chunk), d.c.derived_doc.in_(chunk)))
                )
            for chunk in batched(derived, 500):
                conn.execute(delete(d).where(d.c.derived_doc.in_(chunk)))
            if found:
                conn.execute(
                    self._insert_ignore(d),
                    [
                        {
                            "source_doc": x.source_doc,
                            "derived_doc": x.derived_doc,
                            "kind": x.kind,
                            "score": x.score,
                            "evidence": x.evidence,
                        }
                        for x in found
                    ],
                )

    def iter_derivations(self, docs: Iterable[str] | None = None) -> Iterator[Derivation]:
        d = schema.derivations
        query = select(d).order_by(d.c.source_doc, d.c.derived_doc)
        if docs is not None:
            wanted = list(docs)
            query = query.where(or_(d.c.source_doc.in_(wanted), d.c.derived_doc.in_(wanted)))
        with self._read() as conn:
            for row in conn.execute(query).mappings():
                yield derivation_from_row(row)
