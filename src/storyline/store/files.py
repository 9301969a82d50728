"""Store methods for inputs: which file versions were ingested, which sources are held."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Table, select
from sqlalchemy.sql.dml import Insert

from storyline.batching import batched
from storyline.ids import path_text, url_key
from storyline.store import schema


@dataclass(frozen=True, slots=True)
class FileVersion:
    """One version of an input file: the same path, size, mtime and digest is the same file."""

    path: str
    size: int
    mtime_ns: int
    digest: str


class FileTables:
    """Mixed into ``Store``; uses its transactions."""

    def _read(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def _write(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def _upsert(self, table: Table, keys: Sequence[str]) -> Insert:
        raise NotImplementedError

    def file_versions(self, paths: Sequence[str]) -> dict[str, FileVersion]:
        """The last ingested version of each of these paths that has one."""
        f = schema.ingested_files.c
        given = {path_text(path): path for path in paths}
        found: dict[str, FileVersion] = {}
        with self._read() as conn:
            for chunk in batched(list(given), 500):
                rows = conn.execute(
                    select(f.path, f.size, f.mtime_ns, f.digest).where(f.path.in_(chunk))
                )
                found.update({given[row[0]]: FileVersion(given[row[0]], *row[1:]) for row in rows})
        return found

    def record_files(self, versions: Sequence[FileVersion]) -> None:
        """Remember these file versions as ingested (replacing older versions)."""
        if not versions:
            return
        now = datetime.now(UTC).isoformat(timespec="seconds")
        rows = [
            {
                "path": path_text(v.path),
                "size": v.size,
                "mtime_ns": v.mtime_ns,
                "digest": v.digest,
                "ingested_at": now,
            }
            for v in versions
        ]
        with self._write() as conn:
            conn.execute(self._upsert(schema.ingested_files, ["path"]), rows)

    def stored_urls(self, urls: Sequence[str]) -> set[str]:
        """Those of these URLs some stored document came from (compared by ``url_key``)."""
        s = schema.document_sources.c
        keys = {url_key(url): url for url in urls}
        found: set[str] = set()
        with self._read() as conn:
            for chunk in batched(list(keys), 500):
                found.update(
                    conn.execute(
                        select(s.source_key).where(s.source_key.in_(chunk)).distinct()
                    ).scalars()
                )
        return {url for url in urls if url_key(url) in found}
