"""Main-text extraction from HTML, and HTML ingest speed, against trafilatura alone.

Quality on the article-extraction benchmark (``../shared/eval/article_extraction_benchmark``,
181 real pages with their article bodies), scored by the benchmark's own
``evaluate.py`` (loaded from there, not copied: shingle precision, recall and
F1 per page, averaged, with bootstrap deviations). Compared in the same run:

- ``trafilatura``: ``trafilatura.extract(html)`` with its defaults, as the
  benchmark runs it;
- ``storyline_extraction``: the text storyline's HTML path extracts
  (trafilatura's fast extraction without readers' comments, or its baseline
  fallback), as ingest stores it in ``raw_text``;
- ``storyline_cleaned``: the text the clean stage leaves (``text``, what every
  later stage reads), the pages ingested from their ``.html.gz`` files into a
  fresh store;
- ``trafilatura_shipped``: the benchmark's own trafilatura output file, for
  reference.

Speed, in the same run, from the ``.html.gz`` files to text: storyline's
ingest (read, decompress, decode, extract, language, store writes; no NLP)
against trafilatura alone (read, decompress, decode, ``bare_extraction`` with
metadata and storyline's options), run in turns, and trafilatura with its
default options; the shortest of
``--runs`` runs, in CPU time (this process and its workers: steadier on a
busy machine) and in wall time. Then the same folder ingested with 1 and 2
worker processes, in turns, in wall time (a speed-up needs two idle cores:
the load average is printed beside it). Prints one JSON object.

    python bench/extraction.py [--runs 3] [--skip-speed]
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import resource
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from storyline.errors import Problem
from storyline.executors.local import analyze
from storyline.model import Document
from storyline.settings import Settings, load_settings
from storyline.stages.ingest import read_inputs
from storyline.stages.ingest.html import EXTRACTION_OPTIONS
from storyline.store import open_store
from storyline.workflow import ingest

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
BENCH = SHARED / "article_extraction_benchmark"
PAGES = BENCH / "html"
SUFFIX = ".html.gz"


def _scorer() -> ModuleType:
    """The benchmark's evaluate.py, imported from where it lies."""
    spec = importlib.util.spec_from_file_location("aeb_evaluate", BENCH / "evaluate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _key(source: str) -> str:
    return Path(source).name.removesuffix(SUFFIX)


def _page_key(doc: Document) -> str:
    """The page a document came from: its file, or the file behind its canonical URL."""
    origin = doc.evidence.get("source", "").removeprefix("canonical URL of ")
    return _key(origin or doc.source)


def _htmls() -> dict[str, str]:
    return {
        _key(str(p)): gzip.decompress(p.read_bytes()).decode("utf-8", "replace")
        for p in sorted(PAGES.glob(f"*{SUFFIX}"))
    }


def _trafilatura_texts(htmls: dict[str, str]) -> dict[str, dict[str, str]]:
    import trafilatura

    return {key: {"articleBody": trafilatura.extract(html) or ""} for key, html in htmls.items()}


def _storyline_texts(
    settings: Settings, keys: list[str]
) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]], list[str]]:
    """Extracted and cleaned texts per page, through ingest and the clean stage."""
    raw: dict[str, str] = {}
    rejected: list[str] = []
    doc_of: dict[str, str] = {}
    with open_store(settings.db, settings) as store:
        docs = []
        for item in read_inputs([PAGES], settings):
            if isinstance(item, Problem):
                if item.rejected:
                    rejected.append(f"{_key(item.source)}: {item.message}")
                continue
            raw[_page_key(item)] = item.raw_text
            doc_of[_page_key(item)] = item.id
            docs.append(item)
        store.add_documents(docs)
        analyze(store, settings, stages=("clean",))
        cleaned = {doc.id: doc.text for doc in store.iter_documents(mentions=False)}
    extracted = {k: {"articleBody": raw.get(k, "")} for k in keys}
    clean = {k: {"articleBody": cleaned.get(doc_of.get(k, ""), "")} for k in keys}
    return extracted, clean, rejected


def _score(
    scorer: ModuleType, truth: dict[str, Any], prediction: dict[str, Any]
) -> dict[str, float]:
    found = scorer.evaluate(truth, prediction, 200)
    return {
        name: round(float(found[name]), 4)
        for name in ("f1", "precision", "recall", "accuracy", "f1_std")
    }


@dataclass(frozen=True, slots=True)
class Timing:
    wall: float
    cpu: float  # this process and the worker processes it waited for, user + system


def _usage() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _best(runs: int, job: Callable[[], object]) -> Timing:
    """The shortest wall and CPU times of ``runs`` runs (each minimum on its own)."""
    walls, cpus = [], []
    for _ in range(runs):
        cpu, start = _usage(), time.perf_counter()
        job()
        walls.append(time.perf_counter() - start)
        cpus.append(_usage() - cpu)
    return Timing(min(walls), min(cpus))


def _best_of_pair(
    runs: int, first: Callable[[], object], second: Callable[[], object]
) -> tuple[Timing, Timing]:
    """``_best`` of two jobs run in turns, so that both meet the same machine load."""
    a, b = [], []
    for _ in range(runs):
        a.append(_best(1, first))
        b.append(_best(1, second))
    return (
        Timing(min(t.wall for t in a), min(t.cpu for t in a)),
        Timing(min(t.wall for t in b), min(t.cpu for t in b)),
    )


def _speed(runs: int, tmp: Path) -> dict[str, Any]:
    import trafilatura

    files = sorted(PAGES.glob(f"*{SUFFIX}"))
    stored = 0

    def alone(**options: Any) -> Callable[[], None]:
        def job() -> None:
            for path in files:
                html = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
                trafilatura.bare_extraction(html, with_metadata=True, **options)

        return job

    def storyline(workers: int) -> Callable[[], None]:
        def job() -> None:
            nonlocal stored
            db = tmp / f"speed-{time.perf_counter_ns()}.db"
            settings = load_settings(environ={}, db=str(db), workers=workers)
            with open_store(db, settings) as store:
                result = ingest([PAGES], store, settings)
            stored = result.added + result.existing

        return job

    storyline(1)()  # warm up: imports, language model, caches
    alone()()
    load_before = os.getloadavg()[0]
    reference, one = _best_of_pair(runs, alone(**EXTRACTION_OPTIONS), storyline(1))
    defaults = _best(runs, alone())
    one_again, two = _best_of_pair(runs, storyline(1), storyline(2))
    pages = len(files)
    return {
        "pages": pages,
        "documents_stored": stored,
        "load_average_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "pages_per_cpu_s": {
            "trafilatura": round(pages / reference.cpu, 2),
            "trafilatura_defaults": round(pages / defaults.cpu, 2),
            "storyline_ingest": round(pages / one.cpu, 2),
        },
        "pages_per_s": {
            "trafilatura": round(pages / reference.wall, 2),
            "trafilatura_defaults": round(pages / defaults.wall, 2),
            "storyline_ingest": round(pages / one.wall, 2),
            "storyline_ingest_2_workers": round(pages / two.wall, 2),
        },
        "ratio_to_trafilatura": {
            "cpu": round(one.cpu / reference.cpu, 3),
            "wall": round(one.wall / reference.wall, 3),
        },
        "target_ratio": 1.15,
        "speedup_2_workers": round(one_again.wall / two.wall, 3),
        "cpu_2_workers_over_1": round(two.cpu / one_again.cpu, 3),
        "target_speedup": 1.7,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args()
    scorer = _scorer()
    truth = json.loads((BENCH / "ground-truth.json").read_text(encoding="utf-8"))
    keys = list(truth)
    shipped = scorer.load_prediction(BENCH / "output" / "trafilatura.json")[0]
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(environ={}, db=f"{tmp}/quality.db")
        extracted, cleaned, rejected = _storyline_texts(settings, keys)
        quality = {
            "trafilatura": _score(scorer, truth, _trafilatura_texts(_htmls())),
            "storyline_extraction": _score(scorer, truth, extracted),
            "storyline_cleaned": _score(scorer, truth, cleaned),
            "trafilatura_shipped": _score(scorer, truth, shipped),
        }
        speed = None if args.skip_speed else _speed(args.runs, Path(tmp))
    print(
        json.dumps(
            {
                "benchmark": "extraction",
                "dataset": "article_extraction_benchmark (181 pages)",
                "quality": quality,
                "rejected_pages": rejected,
                "speed": speed,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
