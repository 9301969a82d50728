"""Chunking of streams, so no stage holds a whole corpus in memory; and the
mapping of work over chunks, here or on a cluster."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of ``size`` items (the last one shorter) from any iterable."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


class Mapper(Protocol):
    """Runs ``task(item, **shared)`` for every item and yields the results as
    they come (in any order). ``shared`` goes once to each place tasks run
    (a Dask worker), not with every task."""

    def __call__(
        self, task: Callable[..., T], items: Sequence[Any], /, **shared: Any
    ) -> Iterator[T]: ...


def in_process(task: Callable[..., T], items: Sequence[Any], /, **shared: Any) -> Iterator[T]:
    """The ``Mapper`` of a single process: one task after the other."""
    return (task(item, **shared) for item in items)
