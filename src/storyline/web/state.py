"""What every request handler shares: settings, the open store, the write lock."""

from __future__ import annotations

import hmac
import threading
from dataclasses import dataclass, field

from fastapi import HTTPException, Request

from storyline.network.cache import NetworkCache
from storyline.settings import Settings
from storyline.store import Store


@dataclass(slots=True)
class ServerState:
    settings: Settings
    store: Store
    read_only: bool
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    # The actor network, built again only when the store has been analysed since.
    networks: NetworkCache = field(default_factory=NetworkCache)


def server(request: Request) -> ServerState:
    state: ServerState = request.app.state.storyline
    return state


def store(request: Request) -> Store:
    return server(request).store


def writer(request: Request) -> ServerState:
    """The server state, for a request allowed to write: refused (403) on a
    read-only server, and (401) without the token when one is set."""
    state = server(request)
    if state.read_only:
        raise HTTPException(403, "this server is read-only")
    token = state.settings.token
    if token:
        given = request.headers.get("authorization", "")
        scheme, _, value = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            value.strip().encode(), token.encode()
        ):
            raise HTTPException(
                401,
                "a valid token is required to write (Authorization: Bearer ...)",
                headers={"WWW-Authenticate": "Bearer"},
            )
    return state


def no_nul(request: Request) -> None:
    """Refuse (422) a NUL character in the path or a query parameter: no database
    stores one in a string, and none belongs in an id or a filter."""
    values = [*request.path_params.items(), *request.query_params.items()]
    for name, value in values:
        if "\x00" in str(value):
            raise HTTPException(422, f"'{name}' contains a NUL character")
