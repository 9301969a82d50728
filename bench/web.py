"""Load on `storyline serve`: requests/s, latency and memory under concurrent clients.

A synthetic corpus (``--docs``, default 10,000 articles) is analysed into a
store once (kept at ``--store`` for later runs); ``storyline serve
--read-only`` then runs in its own process on 127.0.0.1 and an asyncio client
(httpx) keeps 10, then 50, requests in flight for ``--seconds`` per target:

- ``story_page``: ``GET /stories/{id}`` of a random story (HTML);
- ``stories_api``: ``GET /api/v1/stories?offset=…`` at a random offset (JSON);
- ``reference``: ``GET /docs``, a static page of the same server: what the
  framework alone costs per request, measured in the same run.

The server's resident memory is sampled all along: it must stay flat.
Prints one JSON object.

    python bench/web.py [--docs 10000 --seconds 10 --store /tmp/storyline-web.db]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from storyline.executors.local import analyze
from storyline.settings import load_settings
from storyline.store import open_store
from storyline.store.queries import StoryFilter
from storyline.synth import generate
from storyline.workflow import ingest


def build_store(path: Path, docs: int) -> float:
    """The analysed synthetic store, built or finished (a run stopped half way
    resumes: ingest and analysis skip what is done); seconds it took."""
    started = time.perf_counter()
    settings = load_settings(environ={}, db=str(path), n_process=2)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as fh:
            for record, _ in generate(docs, max(docs // 20, 1)):
                fh.write(json.dumps(record) + "\n")
        with open_store(path, settings) as store:
            ingest([corpus], store, settings)
            analyze(store, settings)
    return time.perf_counter() - started


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def load(
    base: str, paths: list[str], clients: int, seconds: float, pid: int
) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    memory: list[float] = []
    stop = time.perf_counter() + seconds

    async def client(http: httpx.AsyncClient, rng: random.Random) -> None:
        nonlocal errors
        while time.perf_counter() < stop:
            began = time.perf_counter()
            response = await http.get(rng.choice(paths))
            latencies.append(time.perf_counter() - began)
            errors += response.status_code != 200

    async def sample() -> None:
        while time.perf_counter() < stop:
            memory.append(rss_mb(pid))
            await asyncio.sleep(0.5)

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as http:
        began = time.perf_counter()
        await asyncio.gather(sample(), *(client(http, random.Random(i)) for i in range(clients)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "clients": clients,
        "requests": len(latencies),
        "errors": errors,
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
        "rss_mb_first": round(memory[0], 1),
        "rss_mb_last": round(memory[-1], 1),
        "rss_mb_max": round(max(memory), 1),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--store", type=Path, default=Path("/tmp/storyline-web-bench.db"))
    args = parser.parse_args()
    build_seconds = build_store(args.store, args.docs)
    settings = load_settings(environ={}, db=str(args.store))
    with open_store(args.store, settings, read_only=True) as store:
        stats = store.stats()
        stories = [s.id for s in store.story_page(StoryFilter(), limit=100_000).items]
    port = free_port()
    command = [str(Path(sys.executable).with_name("storyline")), "--db", str(args.store), "serve"]
    server = subprocess.Popen(
        [*command, "--read-only", "--port", str(port)],
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "STORYLINE_RATE_LIMIT": "0"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base)
        rng = random.Random(1)
        targets = {
            "story_page": [f"/stories/{rng.choice(stories)}" for _ in range(500)],
            "stories_api": [
                f"/api/v1/stories?offset={rng.randrange(max(len(stories) - 20, 1))}"
                for _ in range(500)
            ],
            "reference": ["/docs"],
        }
        results: dict[str, list[dict[str, Any]]] = {name: [] for name in targets}
        for clients in (10, 50):
            for name, paths in targets.items():
                results[name].append(
                    asyncio.run(load(base, paths, clients, args.seconds, server.pid))
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
    ratios = {
        name: [
            round(ref["requests_per_s"] / run["requests_per_s"], 2)
            for run, ref in zip(runs, results["reference"], strict=True)
        ]
        for name, runs in results.items()
        if name != "reference"
    }
    print(
        json.dumps(
            {
                "store": {"documents": stats.documents, "stories": stats.stories},
                "build_seconds": round(build_seconds, 1),
                "seconds_per_run": args.seconds,
                "results": results,
                "reference_rps_over_target_rps": ratios,
            },
            indent=2,
        )
    )


def _wait(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/docs", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


if __name__ == "__main__":
    main()
