"""What a reader reads: a file, or a member of an archive or compressed file.

An ``Input`` opens a fresh binary stream of its (decompressed) content each
time it is asked, so a reader may peek at the start and then read it all.
Decompressed content is capped: a stream that grows past its limit stops
with an ``InputError`` naming the input, so a small archive cannot expand
into gigabytes (a zip bomb), and damaged or truncated compressed data is
reported the same way. Whatever was read before the error has been passed on.
"""

from __future__ import annotations

import io
import lzma
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from storyline.errors import InputError
from storyline.ids import path_text

HEAD_BYTES = 4096
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Input:
    """``name`` names the input in problems and is its source when it gives no URL."""

    name: str
    opener: Callable[[], BinaryIO]
    # The extension that tells the kind: ``.html`` for ``page.html`` and ``page.html.gz``.
    suffix: str
    # Bytes on disk when known before reading (a plain file), else None.
    size: int | None = None
    # How many archives or compressed files it is inside.
    depth: int = 0
    # The file itself, when the input is a plain file (readers that need to seek).
    path: Path | None = None

    def open(self) -> BinaryIO:
        return self.opener()

    def head(self) -> bytes:
        with self.open() as fh:
            return fh.read(HEAD_BYTES)

    def read(self, limit: int) -> bytes:
        """The whole content; InputError when it is over ``limit`` bytes."""
        if self.size is not None and self.size > limit:
            raise InputError(
                self.name, f"file is {self.size:,} bytes, over the {limit:,} byte limit"
            )
        with self.open() as fh:
            chunks, total = [], 0
            while total <= limit and (chunk := fh.read(_CHUNK)):
                chunks.append(chunk)
                total += len(chunk)
        if total > limit:
            raise InputError(self.name, f"more than {limit:,} bytes, over the {limit:,} byte limit")
        return b"".join(chunks)


def suffix_of(name: str) -> str:
    """The lower-case extension of the last part of a path or member name."""
    return Path(name.replace("\\", "/").rsplit("/", 1)[-1]).suffix.lower()


def file_input(path: Path) -> Input:
    size = path.stat().st_size
    return Input(
        path_text(path), lambda: path.open("rb"), suffix_of(path.name), size=size, path=path
    )


def list_files(folder: Path) -> list[Path]:
    """Files under a folder, recursively, in path order; hidden files and folders skipped."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


class _Capped(io.RawIOBase):
    """A decompressing stream that stops past ``limit`` bytes and names its input on errors."""

    def __init__(
        self, inner: BinaryIO, name: str, limit: int, what: str, under: BinaryIO | None
    ) -> None:
        self._inner = inner
        self._under = under
        self._name = name
        self._limit = limit
        self._what = what
        self._total = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        try:
            chunk = self._inner.read(min(len(buffer), _CHUNK))
        except EOFError:
            raise InputError(
                self._name, f"truncated {self._what}: the file ends before the data does"
            ) from None
        except (OSError, zlib.error, lzma.LZMAError, zipfile.BadZipFile) as exc:
            raise InputError(self._name, f"damaged {self._what} ({exc})") from None
        self._total += len(chunk)
        if self._total > self._limit:
            raise InputError(
                self._name,
                f"decompresses to more than {self._limit:,} bytes, over the "
                f"{self._limit:,} byte limit; stopped there",
            )
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def close(self) -> None:
        self._inner.close()
        if self._under is not None:
            self._under.close()
        super().close()


def capped(
    inner: BinaryIO, name: str, limit: int, what: str, under: BinaryIO | None = None
) -> BinaryIO:
    """``inner`` (a decompressing stream over ``under``) read through the limit, buffered.

    Closing it closes both streams.
    """
    return io.BufferedReader(_Capped(inner, name, limit, what, under))
