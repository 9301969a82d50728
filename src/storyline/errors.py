"""One exception hierarchy for storyline.

Every error a user can meet is one of these classes; the CLI maps them to exit
codes and the web app to HTTP statuses, both through the attributes declared
here, so the mapping lives in one place.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Problem:
    """An input that was rejected (``rejected``), or read or analysed with a caveat.

    Problems are reported and the work goes on; exceptions stop it.
    """

    source: str
    message: str
    rejected: bool = True


class StorylineError(Exception):
    """Base class: a failure with a message fit to show a user as is."""

    exit_code = 1
    http_status = 500


class InputError(StorylineError):
    """An input (file, line, request body) that cannot be read as articles."""

    exit_code = 3
    http_status = 422

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class ConfigError(StorylineError):
    """A setting or an option with a value storyline cannot use."""

    exit_code = 2
    http_status = 400


class PipelineError(StorylineError):
    """Stages in an order where one needs what no earlier stage assigns."""

    exit_code = 2
    http_status = 500


class StoreError(StorylineError):
    """The store cannot be opened or written; names the database."""

    exit_code = 4
    http_status = 503


class StoreNotFoundError(StoreError):
    """A read-only command pointed at a database that does not exist."""

    http_status = 404


class StoreLockedError(StoreError):
    """Another process holds the write lock longer than the busy timeout."""

    exit_code = 5


class StoreReadOnlyError(StoreError):
    """The database file or its folder cannot be written."""

    exit_code = 6


class StoreVersionError(StoreError):
    """The database was written by another (newer or unknown) schema."""

    exit_code = 7


class NotFoundError(StorylineError):
    """A record asked for by id that the store does not hold."""

    exit_code = 8
    http_status = 404
