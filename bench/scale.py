"""Scale: the local and the Dask engine over synthetic corpora of growing size.

For each size (``--sizes``, default 10,000 and 100,000 articles; 20 per
story), the synthetic corpus of ``storyline.synth`` is ingested once into a
SQLite store, copied, and analysed by each engine on its copy: the local
engine in this process, and the Dask engine with a ``LocalCluster`` of
``--workers`` single-threaded processes (started before the clock runs).

The stages are ``clean``, ``sketch``, ``lineage`` and ``stories``. ``sketch``
is this benchmark's stand-in for spaCy (an option of the benchmark only, not
of storyline): sentences are the text's lines and entities its capitalised
names, so the figures measure the engines and the corpus stages, not the
parser (``bench/stages.py`` measures spaCy's share).

Per stage: wall time, microseconds per document, and peak memory (resident
set) of this process and, for Dask, of the workers together, sampled every
0.1 s. The document stages stream together, so they are one row; each
corpus stage is its own. Then the ratio of Dask to local for each, measured
in the same run; how per-document time grows from the smallest size to the
largest (1.0 is linear); whether both engines found the same derivations;
and the B-cubed agreement of their stories (and of each with the
generator's stories). With two sizes or more, each stage's time is
projected to ``--project`` articles (default 1,000,000) by the power of the
size that fits its times at the smallest and largest. Prints one JSON
object.

    python bench/scale.py [--sizes 10000,100000] [--workers 2] [--engines local,dask]
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import re
import resource
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from stories import bcubed
from storyline import pipeline
from storyline.executors import dask as dask_engine
from storyline.executors.local import analyze
from storyline.model import Document, Mention, Sentence
from storyline.pipeline import StageSpec
from storyline.settings import Settings, load_settings
from storyline.stages.annotate import entity_id
from storyline.store import Store, open_store
from storyline.synth import generate
from storyline.workflow import ingest

SKETCH = "sketch"
STAGES = ("clean", SKETCH, "lineage", "stories")
DOCS_PER_STORY = 20
_NAME = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+)*")
_LINE = re.compile(r"[^\n]*\S[^\n]*")
PAGE = resource.getpagesize()


def names(text: str) -> Iterator[tuple[int, int, str]]:
    """Capitalised names, (start, end, name); as NER would, not the capital
    that opens a sentence ("Shares fell", "In Port Kalomir")."""
    for m in _NAME.finditer(text):
        start, words = m.start(), m.group().split(" ")
        if start == 0 or text[start - 1] == "\n" or text[max(0, start - 2) : start] == ". ":
            if len(words) == 1:
                continue
            if words[0].casefold() in STOP_WORDS:
                start += len(words[0]) + 1
                words = words[1:]
        yield start, m.end(), " ".join(words)


def sketch(
    settings: Settings, store: Store | None = None
) -> Callable[[Iterable[Document]], Iterator[Document]]:
    """The benchmark's stand-in for spaCy: lines as sentences, capitalised names
    as entities."""

    def run(docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            doc.sentences = [Sentence(m.start(), m.end()) for m in _LINE.finditer(doc.text)]
            doc.mentions = [
                Mention(doc.id, start, end, name, "ORG", entity_id("ORG", name))
                for start, end, name in names(doc.text)
            ]
            yield doc

    return run


def register() -> None:
    """The ``sketch`` stage into this process's registry (the module's own: on a
    worker this function arrives pickled by value, and so would a global)."""
    pipeline.REGISTRY[SKETCH] = StageSpec(
        SKETCH,
        requires=frozenset({"text", "language"}),
        assigns=frozenset({"sentences", "mentions"}),
        help="Lines as sentences, capitalised names as entities (benchmark only).",
        build=sketch,
    )


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError):
        return 0


TICKS = os.sysconf("SC_CLK_TCK")


def _cpu(pid: int) -> float:
    """CPU seconds (user and system) a process has used."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


class Phases(logging.Handler):
    """Stage boundaries from the engines' debug log; peak memory per stage,
    sampled from /proc every 0.1 s."""

    def __init__(self, workers: list[int]) -> None:
        super().__init__(logging.DEBUG)
        self.workers = workers
        self.phase = "document stages"
        self.started = {self.phase: time.perf_counter()}
        self.ended: dict[str, float] = {}
        self.cpu_started = {self.phase: self._cpu()}
        self.cpu_ended: dict[str, float] = {}
        self.peaks: dict[str, dict[str, int]] = {}
        self.notes: list[str] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        now = time.perf_counter()
        if message.startswith("corpus stage "):
            name, _, what = message.removeprefix("corpus stage ").partition(": ")
            cpu = self._cpu()
            if what == "started":
                self.ended.setdefault(self.phase, now)
                self.cpu_ended.setdefault(self.phase, cpu)
                self.phase = name
                self.started[name] = now
                self.cpu_started[name] = cpu
            else:
                self.ended[name] = now
                self.cpu_ended[name] = cpu
        else:
            self.notes.append(message)

    def _cpu(self) -> float:
        """CPU seconds used so far by this process and the workers."""
        return _cpu(os.getpid()) + sum(_cpu(pid) for pid in self.workers)

    def _sample(self) -> None:
        while not self.stop.is_set():
            self._take()
            self.stop.wait(0.1)

    def _take(self) -> None:
        peak = self.peaks.setdefault(self.phase, {"driver": 0, "workers": 0})
        peak["driver"] = max(peak["driver"], _rss(os.getpid()))
        peak["workers"] = max(peak["workers"], sum(_rss(pid) for pid in self.workers))

    def __enter__(self) -> Phases:
        for name in ("storyline.executors.local", "storyline.stages.stories_blocked"):
            logger = logging.getLogger(name)
            logger.setLevel(logging.DEBUG)
            logger.addHandler(self)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._take()
        self.stop.set()
        self.thread.join()
        for name in ("storyline.executors.local", "storyline.stages.stories_blocked"):
            logging.getLogger(name).removeHandler(self)

    def report(self, docs: int) -> dict[str, Any]:
        out = {}
        for name, start in self.started.items():
            seconds = self.ended.get(name, start) - start
            peak = self.peaks.get(name, {"driver": 0, "workers": 0})
            cpu = self.cpu_ended.get(name, 0.0) - self.cpu_started[name]
            row: dict[str, Any] = {
                "seconds": round(seconds, 2),
                "us_per_doc": round(seconds / docs * 1e6, 1),
                "cpu_seconds": round(max(cpu, 0.0), 2),
                "cpu_us_per_doc": round(max(cpu, 0.0) / docs * 1e6, 1),
                "peak_rss_mb": {k: round(v / 2**20) for k, v in peak.items() if v},
            }
            out[name] = row
        return out


def _corpus(path: Path, docs: int) -> dict[str, str]:
    """The synthetic corpus as JSON Lines; each article's story by URL."""
    story = {}
    with path.open("w", encoding="utf-8") as fh:
        for record, truth in generate(docs, max(docs // DOCS_PER_STORY, 1)):
            fh.write(json.dumps(record) + "\n")
            story[record["url"]] = truth["story"]
    return story


def _local(settings: Settings, workers: int) -> tuple[dict[str, Any], int]:
    with open_store(settings.db, settings) as store, Phases([]) as phases:
        start = time.perf_counter()
        result = analyze(store, settings, stages=STAGES)
        total = time.perf_counter() - start
    return {"seconds": round(total, 2), "phases": phases, "notes": phases.notes}, result.analyzed


def _dask(settings: Settings, workers: int) -> tuple[dict[str, Any], int]:
    from dask.distributed import Client, LocalCluster, WorkerPlugin

    class Register(WorkerPlugin):
        def setup(self, worker: Any) -> None:
            register()

    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        client.register_plugin(Register())
        pids = list(client.run(os.getpid).values())
        with open_store(settings.db, settings) as store, Phases(pids) as phases:
            start = time.perf_counter()
            result = dask_engine.analyze(
                store, settings, scheduler=cluster.scheduler_address, stages=STAGES
            )
            total = time.perf_counter() - start
    return {"seconds": round(total, 2), "phases": phases, "notes": phases.notes}, result.analyzed


ENGINES = {"local": _local, "dask": _dask}


def _outcome(settings: Settings, story_of_url: dict[str, str]) -> dict[str, Any]:
    """Derivations and each document's story, by document id; the generator's story."""
    with open_store(settings.db, settings, read_only=True) as store:
        derivations = {(d.source_doc, d.derived_doc, d.kind) for d in store.iter_derivations()}
        story = {doc: s.id for s in store.iter_stories() for doc in s.docs}
        truth = {doc: story_of_url[h.source] for doc, h in store.document_headers().items()}
    return {"derivations": derivations, "story": story, "truth": truth}


def measure(size: int, engines: list[str], workers: int, tmp: Path) -> dict[str, Any]:
    story_of_url = _corpus(tmp / "corpus.jsonl", size)
    base = load_settings(environ={}, db=str(tmp / "ingested.db"), batch_size=256)
    with open_store(base.db, base) as store:
        start = time.perf_counter()
        ingest([tmp / "corpus.jsonl"], store, base)
        ingest_seconds = time.perf_counter() - start
        docs = store.stats().documents
    out: dict[str, Any] = {
        "articles": size,
        "documents": docs,
        "ingest_seconds": round(ingest_seconds, 1),
    }
    outcomes = {}
    for engine in engines:
        settings = load_settings(environ={}, db=str(tmp / f"{engine}.db"), batch_size=256)
        shutil.copy(base.db, settings.db)
        load = os.getloadavg()[0]
        figures, analysed = ENGINES[engine](settings, workers)
        phases = figures.pop("phases").report(docs)
        out[engine] = figures | {
            "analysed": analysed,
            "us_per_doc": round(figures["seconds"] / docs * 1e6, 1),
            "stages": phases,
            "load_average_1min": [round(load, 2), round(os.getloadavg()[0], 2)],
        }
        outcomes[engine] = _outcome(settings, story_of_url)
        Path(settings.db).unlink()
    if {"local", "dask"} <= outcomes.keys():
        local, dask = outcomes["local"], outcomes["dask"]
        out["dask_to_local"] = {
            "total": round(out["dask"]["seconds"] / out["local"]["seconds"], 2)
        } | {
            name: round(row["seconds"] / out["local"]["stages"][name]["seconds"], 2)
            for name, row in out["dask"]["stages"].items()
            if out["local"]["stages"].get(name, {}).get("seconds")
        }
        docs_in = sorted(local["story"])
        out["agreement"] = {
            "derivations": {
                "local": len(local["derivations"]),
                "dask": len(dask["derivations"]),
                "same": local["derivations"] == dask["derivations"],
                "in_both": len(local["derivations"] & dask["derivations"]),
            },
            "stories_dask_vs_local": bcubed(
                [dask["story"].get(d) for d in docs_in], [local["story"][d] for d in docs_in]
            ),
        }
    for engine, outcome in outcomes.items():
        docs_in = sorted(outcome["story"])
        out[engine]["stories_vs_generator"] = bcubed(
            [outcome["story"][d] for d in docs_in], [outcome["truth"][d] for d in docs_in]
        )
    return out


def growth(sizes: dict[int, dict[str, Any]], engines: list[str], project: int) -> dict[str, Any]:
    """Per-document time (wall and CPU) at the largest size over that at the
    smallest, per stage (1.0: linear); and the wall time at ``project``
    articles if it keeps growing as it did between the two (a power of the
    size fitted to them)."""
    small, large = min(sizes), max(sizes)
    ratio = large / small
    out: dict[str, Any] = {"from": small, "to": large, "projected_articles": project}
    for engine in engines:
        a, b = sizes[small][engine], sizes[large][engine]
        rows = {"total": (a["seconds"], b["seconds"], None)}
        rows |= {
            name: (
                a["stages"][name]["seconds"],
                row["seconds"],
                row["cpu_seconds"] / a["stages"][name]["cpu_seconds"] / ratio
                if a["stages"][name]["cpu_seconds"]
                else None,
            )
            for name, row in b["stages"].items()
            if a["stages"].get(name, {}).get("seconds")
        }
        out[engine] = {
            name: {
                "per_doc_growth": round(t_large / t_small / ratio, 2),
                "cpu_per_doc_growth": round(cpu, 2) if cpu is not None else None,
                "projected_seconds": round(
                    t_large * (project / large) ** (math.log(t_large / t_small) / math.log(ratio))
                ),
            }
            for name, (t_small, t_large, cpu) in rows.items()
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--engines", default="local,dask")
    parser.add_argument("--tmp", type=Path, default=None, help="folder for the stores")
    parser.add_argument(
        "--project", type=int, default=1_000_000, help="size to project the figures to"
    )
    args = parser.parse_args()
    register()
    engines = args.engines.split(",")
    sizes: dict[int, dict[str, Any]] = {}
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
            sizes[size] = measure(size, engines, args.workers, Path(tmp))
    report: dict[str, Any] = {
        "benchmark": "scale",
        "stages": list(STAGES),
        "workers": args.workers,
        "cpus": os.cpu_count(),
        "sizes": sizes,
    }
    if len(sizes) > 1:
        report["growth"] = growth(sizes, engines, args.project)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
