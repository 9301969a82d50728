"""The FastAPI application over one store.

The app opens the store once and shares its connection pool between
requests. Writes (``POST /api/v1/documents``) run one at a time: the pipeline
updates corpus-wide records (stories, lineage, briefs) that two concurrent
runs must not interleave.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from storyline import __version__
from storyline.errors import StorylineError
from storyline.settings import Settings
from storyline.store import open_store
from storyline.web import api, pages
from storyline.web.limits import BodyLimit, RateLimit
from storyline.web.state import ServerState


def create_app(settings: Settings, *, read_only: bool = False) -> FastAPI:
    """An app serving the store ``settings.db`` (opened read-only when asked:
    then the store must exist and every write is refused)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = open_store(settings.db, settings, read_only=read_only)
        app.state.storyline = ServerState(settings, store, read_only)
        try:
            yield
        finally:
            store.close()

    app = FastAPI(
        title="storyline",
        version=__version__,
        description="Stories, sources, quotes, events and cited briefs from many outlets.",
        lifespan=lifespan,
    )
    app.include_router(api.router)
    app.include_router(pages.router)
    app.add_exception_handler(StorylineError, _storyline_error)
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(RateLimit, per_second=settings.rate_limit)
    return app


async def _storyline_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StorylineError)
    status = exc.http_status
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": str(exc)}, status_code=status)
    return HTMLResponse(pages.error_page(status, str(exc)), status_code=status)
