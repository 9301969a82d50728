"""Request limits: body size, enforced while the body streams in, and rate per client.

A ``Content-Length`` over the limit is refused before anything is read; a
body sent without one (chunked) is counted and cut off at the limit, so a
client can never make the server buffer more than it allows, and the app
never acts on a body that was cut.
"""

from __future__ import annotations

import json
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _refuse(send, self.max_bytes)
            return
        seen = 0
        too_large = False

        async def counted() -> Message:
            nonlocal seen, too_large
            if too_large:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    # The app sees an empty body and answers; that answer is
                    # replaced by the 413 below.
                    too_large = True
                    return {"type": "http.request", "body": b"", "more_body": False}
            return message

        async def replaced(message: Message) -> None:
            if not too_large:
                await send(message)
            elif message["type"] == "http.response.start":
                await _refuse(send, self.max_bytes)

        await self.app(scope, counted, replaced)


async def _refuse(send: Send, max_bytes: int) -> None:
    await _answer(send, 413, f"request body over the {max_bytes:,}-byte limit")


async def _answer(
    send: Send, status: int, detail: str, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    payload = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class RateLimit:
    """A token bucket per client address: ``per_second`` requests on average,
    bursts of twice that; over it, 429 with ``Retry-After``. Buckets of clients
    gone quiet are dropped, so memory stays bounded whoever calls."""

    MAX_CLIENTS = 10_000

    def __init__(self, app: ASGIApp, per_second: float) -> None:
        self.app = app
        self.rate = per_second
        self.burst = 2 * per_second
        self.buckets: dict[str, tuple[float, float]] = {}  # client: (tokens, when)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.rate <= 0:
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        now = time.monotonic()
        tokens, when = self.buckets.get(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - when) * self.rate)
        if tokens < 1:
            self.buckets[client] = (tokens, now)
            await _answer(
                send,
                429,
                f"over {self.rate:g} requests per second from {client}",
                [(b"retry-after", str(max(1, round((1 - tokens) / self.rate))).encode())],
            )
            return
        self.buckets[client] = (tokens - 1, now)
        if len(self.buckets) > self.MAX_CLIENTS:
            full = [
                c for c, (t, w) in self.buckets.items() if t + (now - w) * self.rate >= self.burst
            ]
            for quiet in full:
                del self.buckets[quiet]
        await self.app(scope, receive, send)
