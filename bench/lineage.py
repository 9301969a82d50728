"""Quality and speed of lineage on the demo corpus and a synthetic corpus, and
the time to add one document to a large store.

Quality: derivation edges found against the ground truth, as precision and
recall of pairs (direction ignored), of directed pairs, and kind accuracy.
On the synthetic corpus also "copy-equivalent" directed figures: a derived
article's source counts as right when it is the true source or a verbatim
copy of it (a duplicate or syndicated copy: the texts cannot tell them
apart), and a breakdown of what is still wrong.

Speed (synthetic corpus): the lineage stage alone (index, candidates,
alignment, store writes) over documents whose cleaning and sentence
splitting were done beforehand ("precomputed features"; sentences here are
paragraphs, no spaCy), in documents per second of wall time and of the
process's CPU time (the two differ when other work shares the machine).
Each timing runs in a fresh process on its own copy of the precomputed
store, the best of ``--rounds``; ``--reference SRC`` (the ``src`` folder of
another version of storyline, such as the previous implementation) times
that version's stage the same way, alternating with this one, and says
whether it stores the same derivations. ``--clean patterns`` cleans the
synthetic corpus by line patterns alone, without the lines other documents
show to be boilerplate.

Adding one (``--store-docs``, default 100,000): a store holding that many
synthetic documents, precomputed and put into the lineage index, then new
documents added one at a time, each run through the lineage stage with its
store reads and writes; the query plans of every statement it sends are
checked for full scans. Prints one JSON object.

    python bench/lineage.py [--docs 10000 --stories 500 --store-docs 100000 --clean patterns
                             --reference SRC --rounds 3]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

from sqlalchemy import event

import storyline
from storyline.batching import batched
from storyline.executors.local import analyze
from storyline.ids import document_id
from storyline.model import Document, Sentence
from storyline.settings import Settings, load_settings
from storyline.stages import clean, lineage
from storyline.store import Store, open_store, schema
from storyline.synth import generate
from storyline.workflow import ingest

DEMO = Path(str(files("storyline") / "data" / "demo"))
# An independent article retelling at least this share of the facts it tells
# from an earlier one, in the same order, reads as a rewrite of it.
RETOLD = 0.8

Edge = tuple[str, str, str]


def score(found: set[Edge], truth: set[Edge]) -> dict[str, Any]:
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


def _edges(store: Store) -> set[Edge]:
    return {(e.source_doc, e.derived_doc, e.kind) for e in store.iter_derivations()}


def _doc_of(store: Store, name: Any) -> dict[str, str]:
    """Stored document id of every source (a text stored once has several)."""
    doc_of = {}
    for doc in store.iter_documents():
        for source in [doc.source, *(s.source for s in doc.other_sources)]:
            doc_of[name(source)] = doc.id
    return doc_of


def _truth_edges(pairs: list[Edge], doc_of: dict[str, str]) -> set[Edge]:
    """Ground-truth edges as stored document ids (a text stored once drops out)."""
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
            return score(_edges(store), _truth_edges(pairs, _doc_of(store, name)))


def _paragraphs(text: str) -> list[Sentence]:
    pos, sentences = 0, []
    for part in text.split("\n"):
        if part.strip():
            sentences.append(Sentence(pos, pos + len(part)))
        pos += len(part) + 1
    return sentences


def _precompute(store: Store, settings: Settings, evidence: bool) -> list[str]:
    """Clean (through the pipeline, or by the line patterns alone when not
    ``evidence``: no lines taken out for being in other documents), then
    paragraphs as sentences: no NLP."""
    if evidence:
        analyze(store, settings, stages=["clean"])
    ids = store.document_ids()
    stream = store.iter_documents(ids)
    cleaned = stream if evidence else clean.build(settings, None)(stream)
    for batch in batched(cleaned, 256):
        for doc in batch:
            doc.sentences = _paragraphs(doc.text)
        store.save_annotations(batch, "bench")
    return ids


def _in_order(told: list[str], earlier: list[str]) -> int:
    """How many of ``told`` appear in ``earlier`` in its order (longest run)."""
    where = {item: i for i, item in enumerate(earlier)}
    tails: list[int] = []
    for item in told:
        if item in where:
            pos = bisect_left(tails, where[item])
            tails[pos : pos + 1] = [where[item]]
    return len(tails)


def _breakdown(
    found: set[Edge],
    truth: dict[str, tuple[str, str]],
    items: dict[str, list[str]],
    story: dict[str, str],
) -> tuple[dict[str, float], Counter[str]]:
    """Copy-equivalent directed precision and recall, and what the errors are."""

    def root(doc: str) -> str:
        seen = {doc}
        while doc in truth and truth[doc][1] in ("duplicate", "syndicated"):
            doc = truth[doc][0]
            if doc in seen:
                break
            seen.add(doc)
        return doc

    source_of = {derived: source for source, derived, _ in found}
    right = {d for d, s in source_of.items() if d in truth and root(s) == root(truth[d][0])}
    errors: Counter[str] = Counter()
    for source, derived, _ in found:
        if derived in right:
            continue
        if source in truth and truth[source][0] == derived:
            errors["false: the other way round"] += 1
        elif derived in truth:
            sibling = source in truth and root(truth[source][0]) == root(truth[derived][0])
            errors[
                f"false: wrong source, {'another copy or rewrite of it' if sibling else 'other'}"
            ] += 1
        elif story[source] != story[derived]:
            errors["false: independent articles of different stories"] += 1
        else:
            told = [item for item in items[derived] if item.startswith("f")]
            retold = _in_order(told, items[source]) >= RETOLD * len(told)
            errors[
                "false: independent articles of one story"
                + (", the later retelling the earlier's facts in order" if retold else "")
            ] += 1
    for derived, (_, kind) in truth.items():
        if derived not in right:
            errors[f"missed {kind}: {'other source' if derived in source_of else 'no edge'}"] += 1
    return (
        {
            "precision": round(len(right) / len(source_of), 4) if source_of else 1.0,
            "recall": round(len(right) / len(truth), 4) if truth else 1.0,
        },
        errors,
    )


def synthetic(
    n_docs: int, n_stories: int, evidence: bool, rounds: int, reference: Path | None
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "synth.jsonl"
        pairs: list[Edge] = []
        records = {}
        with corpus.open("w", encoding="utf-8") as fh:
            for record, item in generate(n_docs, n_stories):
                fh.write(json.dumps(record) + "\n")
                records[item["url"]] = item
                if item["derived_from"]:
                    pairs.append((item["derived_from"], item["url"], item["kind"]))
        settings = load_settings(environ={}, db=f"{tmp}/synth.db", batch_size=256)
        with open_store(settings.db, settings) as store:
            ingest([corpus], store, settings)
            ids = _precompute(store, settings, evidence)
        (Path(tmp) / "ids.json").write_text(json.dumps(ids), encoding="utf-8")
        speed = _speeds(Path(tmp), len(ids), rounds, reference)
        with open_store(settings.db, settings) as store:
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            lineage.run(store, ids, settings)
            after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            found = _edges(store)
            doc_of = _doc_of(store, str)
        truth_edges = _truth_edges(pairs, doc_of)
        result = score(found, truth_edges)
        truth = {derived: (source, kind) for source, derived, kind in truth_edges}
        items = {doc_of[url]: r["items"] for url, r in records.items()}
        story = {doc_of[url]: r["story"] for url, r in records.items()}
        result["directed_copy_equivalent"], errors = _breakdown(found, truth, items, story)
    result.update(
        {
            "errors": dict(errors.most_common()),
            "docs": len(ids),
            **speed,
            "target_docs_per_s": 2000,
            "peak_rss_mb": round(after / 1024, 1),
            "peak_rss_growth_in_lineage_mb": round((after - before) / 1024, 1),
        }
    )
    return result


def _speeds(folder: Path, docs: int, rounds: int, reference: Path | None) -> dict[str, Any]:
    """Documents per second of wall and CPU time of the lineage stage over the
    precomputed store in ``folder``, each run in a fresh process on a copy
    (the best of ``rounds``), this version's and the ``reference``'s in turn."""
    versions = {"this": Path(storyline.__file__).resolve().parents[1]}
    if reference is not None:
        versions["reference"] = reference
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in versions}
    loads = []
    for _ in range(rounds):
        for name, src in versions.items():
            work = folder / "timed"
            work.mkdir()
            for file in folder.glob("synth.db*"):
                shutil.copy(file, work / file.name)
            command = [sys.executable, __file__, "--time", str(work / "synth.db")]
            command.append(str(folder / "ids.json"))
            env = os.environ | {"PYTHONPATH": str(src)}
            done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
            runs[name].append(json.loads(done.stdout))
            loads.append(_load())
            shutil.rmtree(work)

    def best(name: str) -> dict[str, Any]:
        wall = min(r["wall_seconds"] for r in runs[name])
        cpu = min(r["cpu_seconds"] for r in runs[name])
        return {
            "lineage_seconds": round(wall, 2),
            "docs_per_s": round(docs / wall, 1),
            "docs_per_cpu_s": round(docs / cpu, 1),
        }

    found: dict[str, Any] = {**best("this"), "rounds": rounds}
    if reference is not None:
        mine, theirs = best("this"), best("reference")
        found["reference"] = {
            **theirs,
            "same_derivations": {r["derivations"] for r in runs["reference"]}
            == {r["derivations"] for r in runs["this"]},
        }
        found["ratio_to_reference_wall"] = round(mine["docs_per_s"] / theirs["docs_per_s"], 2)
        found["ratio_to_reference_cpu"] = round(
            mine["docs_per_cpu_s"] / theirs["docs_per_cpu_s"], 2
        )
    found["load_average_1min"] = [round(x, 2) for x in loads]
    return found


def time_lineage(db: str, ids_file: str) -> dict[str, Any]:
    """One timed lineage run over a precomputed store, with a digest of the
    derivations it stored (run by ``_speeds`` in a fresh process)."""
    settings = load_settings(environ={}, db=db, batch_size=256)
    ids = json.loads(Path(ids_file).read_text(encoding="utf-8"))
    with open_store(settings.db, settings) as store:
        wall, cpu = time.perf_counter(), time.process_time()
        lineage.run(store, ids, settings)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        stored = sorted(
            [e.source_doc, e.derived_doc, e.kind, e.score, e.evidence]
            for e in store.iter_derivations()
        )
    digest = hashlib.sha256(json.dumps(stored, sort_keys=True).encode()).hexdigest()
    return {"wall_seconds": wall, "cpu_seconds": cpu, "derivations": digest}


def _load() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def _precomputed(n_docs: int, n_stories: int) -> Iterator[Document]:
    """Synthetic documents as cleaning would leave them (no page signature),
    with paragraphs as sentences."""
    for record, _ in generate(n_docs, n_stories, seed=11):
        text = record["text"].rsplit("\n\n©", 1)[0]
        yield Document(
            id=document_id(text),
            source=record["url"],
            raw_text=text,
            text=text,
            outlet=record["outlet"],
            published=record["published"],
            language="en",
            sentences=_paragraphs(text),
        )


def _full_scans(store: Store, statements: list[tuple[str, Any]]) -> list[str]:
    """The statements whose query plan reads a whole table of the store."""
    tables = set(schema.metadata.tables)
    found: list[str] = []
    with store._read() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        for sql, params in statements:
            if not sql.lstrip().upper().startswith(("SELECT", "DELETE", "UPDATE", "WITH")):
                continue
            for *_, step in raw.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall():
                words = str(step).split()
                if words[0] == "SCAN" and words[1] in tables:
                    found.append(f"{' '.join(sql.split())[:90]} -> {step}")
    return sorted(set(found))


def add_one(store_docs: int, trials: int) -> dict[str, Any]:
    """Median time to add one document to a store of ``store_docs`` documents."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(environ={}, db=f"{tmp}/big.db", batch_size=2000)
        docs = _precomputed(store_docs + trials, store_docs // 20)
        with open_store(settings.db, settings) as store:
            start = time.perf_counter()
            for n in range(0, store_docs, 2000):
                store.add_documents([next(docs) for _ in range(min(2000, store_docs - n))])
            ids = store.document_ids()
            stored = time.perf_counter()
            lineage.index(store, ids)
            store.set_lineage_scheme(lineage.SCHEME)
            indexed = time.perf_counter()
            statements: list[tuple[str, Any]] = []

            def record(conn: Any, cursor: Any, sql: str, params: Any, *_: Any) -> None:
                statements.append((sql, params))

            times: list[float] = []
            found = 0
            for doc in docs:
                store.add_documents([doc])
                event.listen(store.engine, "before_cursor_execute", record)
                begin = time.perf_counter()
                found += lineage.run(store, [doc.id], settings)
                times.append(time.perf_counter() - begin)
                event.remove(store.engine, "before_cursor_execute", record)
            rows = sum(1 for _ in store.iter_derivations())
            scans = _full_scans(store, [(s, p) for s, p in statements if not isinstance(p, list)])
    return {
        "store_docs": store_docs,
        "added": trials,
        "derivations_found_for_added": found,
        "derivations_stored": rows,
        "ms_per_added_doc_median": round(statistics.median(times) * 1000, 1),
        "ms_per_added_doc_max": round(max(times) * 1000, 1),
        "target_ms": 100,
        "store_build_seconds": round(stored - start, 1),
        "index_build_seconds": round(indexed - stored, 1),
        "index_build_docs_per_s": round(store_docs / (indexed - stored), 1),
        "full_table_scans": scans,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--stories", type=int, default=500)
    parser.add_argument("--store-docs", type=int, default=100_000)
    parser.add_argument("--added", type=int, default=20)
    parser.add_argument(
        "--clean",
        choices=["evidence", "patterns"],
        default="evidence",
        help="clean the synthetic corpus as the pipeline does, or by line patterns alone",
    )
    parser.add_argument("--rounds", type=int, default=3, help="timed runs of each version")
    parser.add_argument(
        "--reference", type=Path, help="src folder of another storyline to time the same way"
    )
    parser.add_argument("--time", nargs=2, metavar=("DB", "IDS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.time:
        print(json.dumps(time_lineage(*args.time)))
        return
    report = {
        "benchmark": "lineage",
        "demo": demo(),
        "synthetic": synthetic(
            args.docs, args.stories, args.clean == "evidence", args.rounds, args.reference
        ),
        "add_one": add_one(args.store_docs, args.added),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
