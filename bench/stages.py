"""Speed and memory of storyline's analysis against spaCy on the same documents.

"storyline" is what ``storyline run`` does before writing the report: ingest
into a fresh store, then every default stage (clean, annotate, lineage).

Each measurement runs in its own process (so peak RSS is its own) and is
repeated; the best wall time counts. The references are measured in the same
run: spaCy's NER alone (tok2vec + ner) and spaCy's full English pipeline.
Prints one JSON object.

    python bench/stages.py --corpus demo|seeds|PATH [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import platform
import resource
import sys
import tempfile
import time
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from storyline.executors.local import analyze
from storyline.model import Document
from storyline.settings import load_settings
from storyline.stages.annotate import load_model
from storyline.stages.ingest import read_inputs
from storyline.store import open_store
from storyline.workflow import ingest

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def corpus_paths(name: str) -> list[Path]:
    if name == "demo":
        demo = Path(str(files("storyline") / "data" / "demo"))
        return [demo / "articles.jsonl", demo / "txt"]
    if name == "seeds":
        return [SEEDS]
    return [Path(name)]


def _texts(paths: list[Path]) -> list[str]:
    settings = load_settings(environ={})
    return [d.text for d in read_inputs(paths, settings) if isinstance(d, Document)]


def _pipeline(paths: list[Path], n_process: int) -> int:
    """Ingest into a fresh store and run the default stages."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(environ={}, db=f"{tmp}/bench.db", n_process=n_process)
        with open_store(settings.db, settings) as store:
            ingest(paths, store, settings)
            return analyze(store, settings).analyzed


@cache
def _plain_spacy(name: str) -> Any:
    """spaCy's pipeline as it ships, for the references."""
    import spacy

    return spacy.load(name)


def _spacy(texts: list[str], enable: list[str] | None, n_process: int) -> int:
    nlp = _plain_spacy(load_settings(environ={}).spacy_model)
    if enable is None:
        docs = list(nlp.pipe(texts, n_process=n_process))
    else:
        with nlp.select_pipes(enable=enable):
            docs = list(nlp.pipe(texts, n_process=n_process))
    return len(docs)


def _measure(kind: str, paths: list[Path], runs: int, n_process: int, queue: Any) -> None:
    texts = _texts(paths)
    # Model loading is not what we time.
    load_model(load_settings(environ={}).spacy_model)
    _plain_spacy(load_settings(environ={}).spacy_model)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        if kind == "storyline":
            count = _pipeline(paths, n_process)
        elif kind == "spacy_ner":
            count = _spacy(texts, ["tok2vec", "ner"], n_process)
        else:
            count = _spacy(texts, None, n_process)
        times.append(time.perf_counter() - start)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put({"docs": count, "seconds": min(times), "runs": runs, "peak_rss_mb": peak_kb / 1024})


def measure(kind: str, paths: list[Path], runs: int, n_process: int) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_measure, args=(kind, paths, runs, n_process, queue))
    proc.start()
    result: dict[str, Any] = queue.get()
    proc.join()
    result["docs_per_s"] = result["docs"] / result["seconds"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="demo")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--n-process", type=int, default=1)
    args = parser.parse_args()
    paths = corpus_paths(args.corpus)
    texts = _texts(paths)
    if not texts:
        sys.exit(f"no documents in {args.corpus}")
    results = {
        kind: measure(kind, paths, args.runs, args.n_process)
        for kind in ("storyline", "spacy_ner", "spacy_full")
    }
    report = {
        "benchmark": "ingest + default stages",
        "corpus": args.corpus,
        "docs": len(texts),
        "chars": sum(map(len, texts)),
        "n_process": args.n_process,
        "machine": {"python": platform.python_version(), "cpus": mp.cpu_count()},
        "results": results,
        "ratio_to_spacy_ner": results["storyline"]["seconds"] / results["spacy_ner"]["seconds"],
        "ratio_to_spacy_full": results["storyline"]["seconds"] / results["spacy_full"]["seconds"],
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
