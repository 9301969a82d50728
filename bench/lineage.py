"""Quality and speed of lineage on the demo corpus and a synthetic corpus.

Quality: derivation edges found against the ground truth, as precision and
recall of pairs (direction ignored), of directed pairs, and kind accuracy.
Speed (synthetic corpus): the lineage stage alone over documents whose
cleaning and sentence splitting were done beforehand ("precomputed
features"; sentences here are paragraphs, no spaCy), in documents per
second. The demo corpus runs through the whole pipeline. Prints one JSON
object.

    python bench/lineage.py [--docs 10000 --stories 500]
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from importlib.resources import files
from pathlib import Path
from typing import Any

from storyline.executors.local import analyze
from storyline.model import Sentence
from storyline.settings import Settings, load_settings
from storyline.stages import lineage
from storyline.store import Store, open_store
from storyline.synth import generate
from storyline.workflow import ingest

DEMO = Path(str(files("storyline") / "data" / "demo"))


def score(found: set[tuple[str, str, str]], truth: set[tuple[str, str, str]]) -> dict[str, Any]:
    """Precision and recall of (source, derived, kind) edges between stored documents."""

    def pr(a: set[Any], b: set[Any]) -> dict[str, float]:
        hit = len(a & b)
        return {
            "precision": round(hit / len(a), 4) if a else 1.0,
            "recall": round(hit / len(b), 4) if b else 1.0,
        }

    undirected = {frozenset(e[:2]) for e in found}, {frozenset(e[:2]) for e in truth}
    directed = {e[:2] for e in found}, {e[:2] for e in truth}
    kinds = {e[:2]: e[2] for e in truth}
    right_kind = sum(1 for e in found if kinds.get(e[:2]) == e[2])
    both = directed[0] & directed[1]
    return {
        "truth_edges": len(truth),
        "found_edges": len(found),
        "pairs": pr(*undirected),
        "directed": pr(*directed),
        "kind_accuracy": round(right_kind / len(both), 4) if both else None,
    }


def _edges(store: Store) -> set[tuple[str, str, str]]:
    return {(e.source_doc, e.derived_doc, e.kind) for e in store.iter_derivations()}


def _truth_edges(
    store: Store, pairs: list[tuple[str, str, str]], name: Any
) -> set[tuple[str, str, str]]:
    """Ground-truth edges as stored document ids (a text stored once drops out)."""
    doc_of = {}
    for doc in store.iter_documents():
        for source in [doc.source, *(s.source for s in doc.other_sources)]:
            doc_of[name(source)] = doc.id
    return {(doc_of[a], doc_of[b], kind) for a, b, kind in pairs if doc_of[a] != doc_of[b]}


def demo() -> dict[str, Any]:
    truth = json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))

    def name(source: str) -> str:
        return str(Path(source).relative_to(DEMO)) if source.startswith(str(DEMO)) else source

    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(environ={}, db=f"{tmp}/demo.db")
        with open_store(settings.db, settings) as store:
            ingest([DEMO / "articles.jsonl", DEMO / "txt"], store, settings)
            analyze(store, settings)
            pairs = [(d["source"], d["derived"], d["kind"]) for d in truth["derivations"]]
            return score(_edges(store), _truth_edges(store, pairs, name))


def _precompute(store: Store, settings: Settings) -> list[str]:
    """Clean through the pipeline, then paragraphs as sentences: no NLP."""
    analyze(store, settings, stages=["clean"])
    ids = store.document_ids()
    docs = []
    for doc in store.iter_documents(ids):
        pos, sentences = 0, []
        for part in doc.text.split("\n"):
            if part.strip():
                sentences.append(Sentence(pos, pos + len(part)))
            pos += len(part) + 1
        doc.sentences = sentences
        docs.append(doc)
    store.save_annotations(docs, "bench")
    return ids


def synthetic(n_docs: int, n_stories: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "synth.jsonl"
        pairs: list[tuple[str, str, str]] = []
        with corpus.open("w", encoding="utf-8") as fh:
            for record, item in generate(n_docs, n_stories):
                fh.write(json.dumps(record) + "\n")
                if item["derived_from"]:
                    pairs.append((item["derived_from"], item["url"], item["kind"]))
        settings = load_settings(environ={}, db=f"{tmp}/synth.db", batch_size=256)
        with open_store(settings.db, settings) as store:
            ingest([corpus], store, settings)
            ids = _precompute(store, settings)
            start = time.perf_counter()
            lineage.run(store, ids, settings)
            seconds = time.perf_counter() - start
            result = score(_edges(store), _truth_edges(store, pairs, str))
    result.update(
        {
            "docs": len(ids),
            "lineage_seconds": round(seconds, 2),
            "docs_per_s": round(len(ids) / seconds, 1),
            "target_docs_per_s": 2000,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--stories", type=int, default=500)
    args = parser.parse_args()
    report = {
        "benchmark": "lineage",
        "demo": demo(),
        "synthetic": synthetic(args.docs, args.stories),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
