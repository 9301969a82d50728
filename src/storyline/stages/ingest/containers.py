"""Compressed files and archives: what is inside them, as inputs of their own.

A ``.gz``, ``.bz2`` or ``.xz`` file holds one input, named as the file; a zip
holds one input per member, named ``archive.zip/member``. What they hold is
never read past ``max_file_bytes`` (see ``inputs.capped``), a member whose
declared size is over it is not even opened, and archives nest at most
``MAX_DEPTH`` deep (a zip that contains itself stops there).
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zipfile
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from storyline.errors import InputError, Problem
from storyline.settings import Settings
from storyline.stages.ingest.inputs import Input, capped, suffix_of

MAX_DEPTH = 3

Unpacker = Callable[[Input, Settings], Iterator[Input | Problem]]

# Decompressing readers over a raw stream (closed by ``capped``, see ``decompressed``).
_STREAMS: dict[str, tuple[Callable[[BinaryIO], Any], str]] = {
    "gzip": (lambda raw: gzip.GzipFile(fileobj=raw), "gzip data"),
    "bzip2": (bz2.BZ2File, "bzip2 data"),
    "xz": (lzma.LZMAFile, "xz data"),
}
_COMPRESSED_SUFFIXES = (".gz", ".bz2", ".xz")


def decompressed(kind: str, inp: Input, settings: Settings) -> Input:
    """The content of a compressed file (``kind``: gzip, bzip2 or xz) as an input."""
    wrap, what = _STREAMS[kind]
    inner = inp.name.removesuffix(inp.suffix) if inp.suffix in _COMPRESSED_SUFFIXES else inp.name

    def opener() -> BinaryIO:
        raw = inp.open()
        return capped(wrap(raw), inp.name, settings.max_file_bytes, what, under=raw)

    return Input(inp.name, opener, suffix_of(inner), depth=inp.depth + 1)


def _unpack_stream(kind: str) -> Unpacker:
    def unpack(inp: Input, settings: Settings) -> Iterator[Input | Problem]:
        yield decompressed(kind, inp, settings)

    return unpack


def unzip(inp: Input, settings: Settings) -> Iterator[Input | Problem]:
    """Each member of a zip archive in name order (folders and hidden files skipped)."""
    limit = settings.max_file_bytes
    source: BinaryIO | str = str(inp.path) if inp.path else io.BytesIO(inp.read(limit))
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as exc:
        # ValueError: a member name flagged UTF-8 that is not; NotImplementedError:
        # a zip version Python does not read.
        raise InputError(inp.name, f"not a readable zip archive ({exc})") from None
    with archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            name = f"{inp.name}/{info.filename}"
            if not info.filename:
                yield Problem(name, "a zip member with no name; not read")
                continue
            if info.is_dir() or any(p.startswith(".") for p in info.filename.split("/")):
                continue
            if info.flag_bits & 0x1:
                yield Problem(name, "encrypted zip member; cannot be read")
                continue
            if info.file_size > limit:
                yield Problem(
                    name,
                    f"is {info.file_size:,} bytes uncompressed, over the {limit:,} byte limit",
                )
                continue
            yield Input(
                name,
                _member_opener(archive, info, name, limit),
                suffix_of(info.filename),
                depth=inp.depth + 1,
            )


def _member_opener(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limit: int
) -> Callable[[], BinaryIO]:
    def opener() -> BinaryIO:
        try:
            member = archive.open(info)
        except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as exc:
            raise InputError(name, f"cannot be unpacked ({exc})") from None
        return capped(member, name, limit, "zip member")  # type: ignore[arg-type]

    return opener


CONTAINERS: dict[str, Unpacker] = {
    "gzip": _unpack_stream("gzip"),
    "bzip2": _unpack_stream("bzip2"),
    "xz": _unpack_stream("xz"),
    "zip": unzip,
}
