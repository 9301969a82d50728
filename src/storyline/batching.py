"""Chunking of streams, so no stage holds a whole corpus in memory."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of ``size`` items (the last one shorter) from any iterable."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk
