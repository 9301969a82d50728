"""Soak: `storyline serve` under concurrent reads and ingest writes for minutes.

A synthetic store (``--docs`` articles, analysed once and kept at
``--store``; each run works on a copy) is served by ``storyline serve`` in
its own process on 127.0.0.1. For ``--minutes`` (default 5), ``--readers``
clients read pages and the JSON API (story, document and entity pages, the
stories list, search, the API's lists) and ``--writers`` clients post new
articles of the same synthetic stories to ``POST /api/v1/documents`` (each
stored and analysed incrementally by the server), with now and then an
article already stored (answered 200, stored once). Every client runs a
bounded loop: one request in flight, each with a timeout, until the time or
``--max-requests`` is up. ``GET /docs`` (a static page of the same server)
is read alongside as the reference: what the framework alone costs.

The server's resident memory is sampled every second. At the end the server
is stopped and the store checked: every article a 201 answered for is
stored, and ``storyline check`` finds nothing wrong. Prints one JSON object:
requests, server errors (5xx; must be 0), statuses, latencies (p50, p99) and
memory growth after the first minute of warm-up.

    python bench/soak.py [--minutes 5 --docs 1000 --readers 8 --writers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from storyline.executors.local import analyze
from storyline.settings import load_settings
from storyline.store import open_store
from storyline.store.check import check_store, unfinished
from storyline.store.queries import StoryFilter
from storyline.synth import generate
from storyline.workflow import ingest

STORIES_PER_DOC = 20
WARM_UP_SECONDS = 60.0


def build_store(path: Path, docs: int) -> None:
    """The analysed synthetic store (a run stopped half way resumes)."""
    settings = load_settings(environ={}, db=str(path), n_process=2)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as fh:
            for record, _ in generate(docs, max(docs // STORIES_PER_DOC, 1)):
                fh.write(json.dumps(record) + "\n")
        with open_store(path, settings) as store:
            ingest([corpus], store, settings)
            analyze(store, settings)


def new_articles(docs: int, count: int) -> list[dict[str, Any]]:
    """Articles of the store's synthetic stories that the store does not hold yet."""
    records = generate(docs + count, max(docs // STORIES_PER_DOC, 1))
    return [record for n, (record, _) in enumerate(records) if n >= docs]


def read_paths(db: Path, rng: random.Random) -> list[str]:
    """Pages and API reads of records the store holds, in a shuffled mix."""
    settings = load_settings(environ={}, db=str(db))
    with open_store(db, settings, read_only=True) as store:
        stories = [s.id for s in store.story_page(StoryFilter(), limit=100_000).items]
        docs = store.document_ids()
        entities = [e.id for e, _ in store.entity_document_counts(limit=500)]
    words = ["council", "strike", "inquiry", "budget", '"spending plan"', "harbour"]
    paths = [
        *(f"/stories/{rng.choice(stories)}" for _ in range(200)),
        *(f"/documents/{rng.choice(docs)}" for _ in range(200)),
        *(f"/entities/{rng.choice(entities)}" for _ in range(100)),
        *(f"/?page={rng.randrange(max(len(stories) // 20, 1)) + 1}" for _ in range(50)),
        *(f"/search?q={rng.choice(words)}" for _ in range(50)),
        *(f"/api/v1/stories?offset={rng.randrange(max(len(stories) - 20, 1))}" for _ in range(100)),
        *(f"/api/v1/documents/{rng.choice(docs)}" for _ in range(100)),
        *(f"/api/v1/search?q={rng.choice(words)}" for _ in range(50)),
        *(f"/api/v1/quotes?story={rng.choice(stories)}" for _ in range(50)),
        *(f"/api/v1/events?story={rng.choice(stories)}" for _ in range(50)),
    ]
    rng.shuffle(paths)
    return paths


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: Counter[str] = field(default_factory=Counter)
    transport_errors: Counter[str] = field(default_factory=Counter)
    added: set[str] = field(default_factory=set)
    memory: list[tuple[float, float]] = field(default_factory=list)

    def record(self, kind: str, began: float, response: httpx.Response) -> None:
        self.latencies.setdefault(kind, []).append(time.perf_counter() - began)
        self.statuses[f"{kind} {response.status_code}"] += 1


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def soak(
    base: str,
    pid: int,
    paths: list[str],
    articles: list[dict[str, Any]],
    args: argparse.Namespace,
) -> Tally:
    tally = Tally()
    started = time.perf_counter()
    stop = started + args.minutes * 60
    most: int = args.max_requests
    fresh = iter(articles)
    posted: list[dict[str, Any]] = []

    def going(sent: int) -> bool:
        return time.perf_counter() < stop and sent < most

    async def call(kind: str, request: Any) -> httpx.Response | None:
        began = time.perf_counter()
        try:
            response: httpx.Response = await request
        except httpx.TransportError as exc:
            tally.transport_errors[f"{kind} {type(exc).__name__}"] += 1
            return None
        tally.record(kind, began, response)
        return response

    async def reader(http: httpx.AsyncClient, rng: random.Random) -> None:
        sent = 0
        while going(sent):
            sent += 1
            await call("read", http.get(rng.choice(paths)))

    async def reference(http: httpx.AsyncClient) -> None:
        sent = 0
        while going(sent):
            sent += 1
            await call("reference", http.get("/docs"))
            await asyncio.sleep(0.5)

    async def writer(http: httpx.AsyncClient, rng: random.Random) -> None:
        sent = 0
        while going(sent):
            sent += 1
            again = bool(posted) and rng.random() < 0.1
            article = rng.choice(posted) if again else next(fresh, None)
            if article is None:
                return
            response = await call("write", http.post("/api/v1/documents", json=article))
            if response is not None and response.status_code == 201:
                tally.added.add(response.json()["document"])
                posted.append(article)

    async def sample() -> None:
        while time.perf_counter() < stop:
            tally.memory.append((time.perf_counter() - started, rss_mb(pid)))
            await asyncio.sleep(1.0)

    clients = args.readers + args.writers + 1
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    timeout = httpx.Timeout(args.timeout)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) as http:
        await asyncio.gather(
            sample(),
            reference(http),
            *(reader(http, random.Random(i)) for i in range(args.readers)),
            *(writer(http, random.Random(100 + i)) for i in range(args.writers)),
        )
    return tally


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"count": 0}
    ordered = sorted(values)
    return {
        "count": len(ordered),
        "p50_ms": round(ordered[len(ordered) // 2] * 1000, 1),
        "p99_ms": round(ordered[max(int(len(ordered) * 0.99) - 1, 0)] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


def memory_report(samples: list[tuple[float, float]], warm_up: float) -> dict[str, float]:
    """RSS at the start, after warm-up and at the end, and the growth rate after warm-up
    (least squares, MB per minute)."""
    after = [(t, mb) for t, mb in samples if t >= warm_up] or samples[-1:]
    n = len(after)
    mean_t = sum(t for t, _ in after) / n
    mean_mb = sum(mb for _, mb in after) / n
    spread = sum((t - mean_t) ** 2 for t, _ in after)
    slope = sum((t - mean_t) * (mb - mean_mb) for t, mb in after) / spread if spread else 0.0
    return {
        "start": round(samples[0][1], 1),
        "after_warm_up": round(after[0][1], 1),
        "end": round(samples[-1][1], 1),
        "max": round(max(mb for _, mb in samples), 1),
        "growth_after_warm_up": round(samples[-1][1] - after[0][1], 1),
        "growth_mb_per_minute_after_warm_up": round(slope * 60, 2),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def wait_for(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if httpx.get(base + "/docs", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--docs", type=int, default=1000, help="Articles in the store at start.")
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--max-requests", type=int, default=1_000_000, help="Per client.")
    parser.add_argument("--timeout", type=float, default=120.0, help="Seconds per request.")
    parser.add_argument("--store", type=Path, default=Path("/tmp/storyline-soak-base.db"))
    args = parser.parse_args()
    build_store(args.store, args.docs)
    work = Path(tempfile.mkdtemp(prefix="storyline-soak-"))
    db = work / "soak.db"
    shutil.copy(args.store, db)
    rng = random.Random(1)
    paths = read_paths(db, rng)
    settings = load_settings(environ={}, db=str(db))
    with open_store(db, settings, read_only=True) as store:
        before = store.stats().documents
    articles = new_articles(args.docs, 5_000)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [str(Path(sys.executable).with_name("storyline")), "--db", str(db), "serve"]
    server = subprocess.Popen(
        [*command, "--port", str(port)],
        stderr=subprocess.DEVNULL,
        env={**os.environ, "STORYLINE_RATE_LIMIT": "0"},
    )
    try:
        wait_for(base, server)
        began = time.perf_counter()
        tally = asyncio.run(soak(base, server.pid, paths, articles, args))
        elapsed = time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(timeout=60)
    with open_store(db, settings, read_only=True) as store:
        after = store.stats().documents
        lost = sorted(tally.added - set(store.document_ids()))
        problems = check_store(store) + unfinished(store)
    shutil.rmtree(work, ignore_errors=True)
    server_errors = sum(n for status, n in tally.statuses.items() if status.split()[1][0] == "5")
    reads = percentiles(tally.latencies.get("read", []))
    reference = percentiles(tally.latencies.get("reference", []))
    print(
        json.dumps(
            {
                "minutes": round(elapsed / 60, 2),
                "clients": {"readers": args.readers, "writers": args.writers, "reference": 1},
                "store_documents": {"start": before, "end": after},
                "requests": sum(tally.statuses.values()),
                "server_errors": server_errors,
                "transport_errors": dict(tally.transport_errors),
                "statuses": dict(sorted(tally.statuses.items())),
                "latency": {
                    "read": reads,
                    "write": percentiles(tally.latencies.get("write", [])),
                    "reference": reference,
                },
                "read_p50_over_reference_p50": round(reads["p50_ms"] / reference["p50_ms"], 2)
                if reads.get("p50_ms") and reference.get("p50_ms")
                else None,
                "rss_mb": memory_report(tally.memory, min(WARM_UP_SECONDS, elapsed / 5)),
                "articles_added": len(tally.added),
                "added_but_not_stored": lost,
                "check": problems or "sound",
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
