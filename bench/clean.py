"""Quality and speed of the clean stage on the demo corpus.

Quality: the junk lines of ``truth.json`` against the lines the stage removes
(run as in ``storyline analyze``, with cross-document evidence from a fresh
store), as precision and recall over lines, and the share of found lines
given the right kind. Speed: documents per second, patterns only (in memory,
the corpus repeated) and with store evidence (prepare + clean through the
store). Prints one JSON object.

    python bench/clean.py [--repeat 50]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from importlib.resources import files
from pathlib import Path
from typing import Any

from storyline.executors.local import analyze
from storyline.model import Document
from storyline.settings import load_settings
from storyline.stages.clean import clean_document, normalize_line
from storyline.stages.ingest import read_inputs
from storyline.store import open_store
from storyline.workflow import ingest

DEMO = Path(str(files("storyline") / "data" / "demo"))


def _source_key(source: str) -> str:
    return str(Path(source).relative_to(DEMO)) if source.startswith(str(DEMO)) else source


def _removed_lines(doc: Document) -> dict[str, str]:
    lines: dict[str, str] = {}
    for span in doc.removed:
        for line in span.text.splitlines():
            norm = normalize_line(line.strip(" –—-"))
            if norm:
                lines[norm] = span.kind
    return lines


def quality(docs: list[Document], truth: dict[str, Any]) -> dict[str, Any]:
    by_source = {}
    for doc in docs:
        for source in [doc.source, *(s.source for s in doc.other_sources)]:
            by_source[_source_key(source)] = doc
    expected: dict[tuple[str, str], str] = {}
    for item in truth["junk"]:
        doc = by_source[item["source"]]
        expected[(doc.id, normalize_line(item["line"].strip(" –—-")))] = item["kind"]
    found = {(doc.id, line): kind for doc in docs for line, kind in _removed_lines(doc).items()}
    hits = set(found) & set(expected)
    same_kind = sum(1 for key in hits if found[key] == expected[key])
    return {
        "junk_lines": len(expected),
        "removed_lines": len(found),
        "precision": len(hits) / len(found) if found else 0.0,
        "recall": len(hits) / len(expected) if expected else 0.0,
        "kind_accuracy": same_kind / len(hits) if hits else 0.0,
        "missed": sorted(key[1] for key in expected.keys() - hits),
        "wrongly_removed": sorted(key[1] for key in found.keys() - hits),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    truth = json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))
    inputs = [DEMO / "articles.jsonl", DEMO / "txt"]

    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(environ={}, db=f"{tmp}/bench.db")
        with open_store(settings.db, settings) as store:
            ingest(inputs, store, settings)
            start = time.perf_counter()
            result = analyze(store, settings, stages=["clean"])
            with_store = time.perf_counter() - start
            docs = list(store.iter_documents())

    plain = [d for d in read_inputs(inputs, load_settings(environ={})) if isinstance(d, Document)]
    start = time.perf_counter()
    for _ in range(args.repeat):
        for doc in plain:
            clean_document(Document(doc.id, doc.source, doc.raw_text, doc.raw_text))
    patterns_only = time.perf_counter() - start

    print(
        json.dumps(
            {
                "benchmark": "clean",
                "corpus": "demo",
                "docs": len(docs),
                "quality": quality(docs, truth),
                "speed": {
                    "patterns_only_docs_per_s": len(plain) * args.repeat / patterns_only,
                    "with_store_evidence_docs_per_s": result.analyzed / with_store,
                    "target_docs_per_s": 500,
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
