"""Store methods for lineage: signatures, the LSH and quote-key index, derivations."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import Connection, Table, delete, or_, select
from sqlalchemy.sql.dml import Insert

from storyline.batching import batched
from storyline.model import Derivation
from storyline.store import schema


def derivation_from_row(row: Any) -> Derivation:
    return Derivation(
        row["source_doc"], row["derived_doc"], row["kind"], row["score"], row["evidence"]
    )


class LineageTables:
    """Mixed into ``Store``; uses its transactions."""

    def _read(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def _write(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def _insert_ignore(self, table: Table) -> Insert:
        raise NotImplementedError

    def save_lineage_features(
        self, rows: Sequence[tuple[str, bytes | None, Iterable[str]]]
    ) -> None:
        """Replace each document's signature and index keys."""
        if not rows:
            return
        ids = [doc for doc, _, _ in rows]
        with self._write() as conn:
            conn.execute(delete(schema.signatures).where(schema.signatures.c.doc.in_(ids)))
            conn.execute(delete(schema.lineage_keys).where(schema.lineage_keys.c.doc.in_(ids)))
            conn.execute(
                schema.signatures.insert(), [{"doc": doc, "signature": sig} for doc, sig, _ in rows]
            )
            keys = [{"key": key, "doc": doc} for doc, _, doc_keys in rows for key in set(doc_keys)]
            if keys:
                conn.execute(schema.lineage_keys.insert(), keys)

    def lineage_candidates(self, docs: Sequence[str]) -> dict[str, Counter[str]]:
        """For each document, the others sharing index keys with it, with how many."""
        k = schema.lineage_keys.c
        keys_of: dict[str, list[str]] = {}
        holders: dict[str, list[str]] = {}
        with self._read() as conn:
            for chunk in batched(docs, 500):
                for key, doc in conn.execute(select(k.key, k.doc).where(k.doc.in_(chunk))):
                    keys_of.setdefault(doc, []).append(key)
            wanted = {key for keys in keys_of.values() for key in keys}
            for chunk in batched(wanted, 500):
                for key, doc in conn.execute(select(k.key, k.doc).where(k.key.in_(chunk))):
                    holders.setdefault(key, []).append(doc)
        result: dict[str, Counter[str]] = {}
        for doc in docs:
            shared: Counter[str] = Counter()
            for key in keys_of.get(doc, []):
                shared.update(other for other in holders[key] if other != doc)
            result[doc] = shared
        return result

    def signatures_of(self, ids: Iterable[str]) -> dict[str, bytes]:
        s = schema.signatures.c
        found: dict[str, bytes] = {}
        with self._read() as conn:
            for chunk in batched(ids, 500):
                rows = conn.execute(select(s.doc, s.signature).where(s.doc.in_(chunk)))
                found.update({doc: sig for doc, sig in rows if sig is not None})
        return found

    def replace_derivations(self, ids: Sequence[str], found: Sequence[Derivation]) -> None:
        """Drop the derivations touching ``ids`` and store ``found`` instead."""
        d = schema.derivations
        with self._write() as conn:
            for chunk in batched(ids, 500):
                conn.execute(
                    delete(d).where(or_(d.c.source_doc.in_(chunk), d.c.derived_doc.in_(chunk)))
                )
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
