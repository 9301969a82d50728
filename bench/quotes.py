"""Quote extraction and clustering: the demo corpus ground truth and PolNeAR dev.

Demo corpus: every quote variant of ``truth.json`` is looked for among the
quotes storyline extracts from its article (a predicted quote matches when it
holds at least half of the variant's words; the one holding most of them,
then the shortest, is the match); speaker accuracy over matched
quotes (the speaker entity's name or aliases fold to the true speaker's), and
pairwise precision and recall of quote clusters over matched quotes.

PolNeAR dev (real political news, annotated sources, cues and contents): the
articles run through the whole pipeline, the export is scored by the shared
``score_quotes.py`` (direct and mixed quotes), with the textacy figure on the
same split printed beside it.

Speed: the entities and quotes stages over documents already parsed (they
reuse the parse the annotate stage makes), against spaCy's NER alone
(tok2vec + ner) over the same texts, best of three runs each, in one
process and one run.

    python bench/quotes.py [--speed-only] [--heldout POLNEAR_SPLIT_DIR]
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import subprocess
import sys
import tempfile
import time
from importlib.resources import files
from pathlib import Path
from typing import Any

from storyline.executors.local import analyze
from storyline.export import write_json
from storyline.model import Document, Mention, Quote
from storyline.settings import load_settings
from storyline.stages.annotate import load_model
from storyline.stages.entities import canonicalize, fold, lexicon
from storyline.stages.ingest import read_inputs
from storyline.stages.quotes import extract
from storyline.store import open_store
from storyline.workflow import ingest

DEMO = Path(str(files("storyline") / "data" / "demo"))
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
_WORD = re.compile(r"[A-Za-z0-9']+")


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text.replace("’", "'"))}


def demo() -> dict[str, Any]:
    truth = json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(environ={}, db=f"{tmp}/demo.db")
        with open_store(settings.db, settings) as store:
            ingest([DEMO / "articles.jsonl", DEMO / "txt"], store, settings)
            analyze(store, settings)
            doc_of: dict[str, str] = {}
            for doc in store.iter_documents():
                for source in [doc.source, *(s.source for s in doc.other_sources)]:
                    key = (
                        str(Path(source).relative_to(DEMO))
                        if source.startswith(str(DEMO))
                        else source
                    )
                    doc_of[key] = doc.id
            quotes: dict[str, list[Quote]] = {}
            for q in store.iter_quotes():
                quotes.setdefault(q.doc, []).append(q)
            names = {e.id: {fold(e.name), *map(fold, e.aliases)} for e in store.iter_entities()}
    matched: list[tuple[int, Quote, str]] = []  # (true cluster, predicted quote, true speaker)
    variants = 0
    for index, cluster in enumerate(truth["quote_clusters"]):
        for variant in cluster["variants"]:
            variants += 1
            gold = _words(variant["text"])
            found = [
                q
                for q in quotes.get(doc_of[variant["source"]], [])
                if len(gold & _words(q.text)) >= 0.5 * len(gold)
            ]
            if found:
                # The quote that best covers the variant, the tightest of those.
                best = max(found, key=lambda q: (len(gold & _words(q.text)), -len(q.text)))
                matched.append((index, best, cluster["speaker"]))
    right = sum(
        1 for _, q, speaker in matched if fold(speaker) in names.get(q.speaker or "", set())
    )
    true_pairs, found_pairs = set(), set()
    for (c1, q1, _), (c2, q2, _) in itertools.combinations(matched, 2):
        if q1.doc == q2.doc or q1.id == q2.id:
            continue
        pair = frozenset((q1.id, q2.id))
        if c1 == c2:
            true_pairs.add(pair)
        if q1.cluster and q1.cluster == q2.cluster:
            found_pairs.add(pair)
    hits = len(true_pairs & found_pairs)
    return {
        "variants": variants,
        "found": len(matched),
        "recall_of_variants": round(len(matched) / variants, 4),
        "speaker_accuracy": round(right / len(matched), 4) if matched else 0.0,
        "cluster_pairs": len(true_pairs),
        "cluster_precision": round(hits / len(found_pairs), 4) if found_pairs else 1.0,
        "cluster_recall": round(hits / len(true_pairs), 4) if true_pairs else 1.0,
    }


def polnear(split: Path) -> dict[str, Any]:
    if not (split / "text").is_dir():
        return {"skipped": f"{split} is not present"}
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(environ={}, db=f"{tmp}/polnear.db")
        start = time.perf_counter()
        with open_store(settings.db, settings) as store:
            ingest([split / "text"], store, settings)
            analyze(store, settings)
            export = Path(tmp) / "export.json"
            with export.open("w", encoding="utf-8") as fh:
                write_json(store, fh)
        seconds = time.perf_counter() - start
        # The gold holds direct and mixed quotes only: score those kinds alone
        # too (indirect speech is a real attribution, but not in this gold).
        data = json.loads(export.read_text(encoding="utf-8"))
        data["quotes"] = [q for q in data["quotes"] if q["kind"] != "indirect"]
        quoted = Path(tmp) / "quoted.json"
        quoted.write_text(json.dumps(data), encoding="utf-8")
        scores = {
            name: _score(split, path)
            for name, path in (("all_quotes", export), ("direct_and_partial", quoted))
        }
    return scores | {"seconds": round(seconds, 1)}


def _score(split: Path, export: Path) -> dict[str, Any]:
    scored = subprocess.run(
        [sys.executable, str(SHARED / "score_quotes.py"), str(split), str(export)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(scored.stdout)
    return result


def speed(paths: list[Path], runs: int = 3) -> dict[str, Any]:
    """Seconds of spaCy NER alone and of the entities + quotes stages, same documents."""
    import spacy

    settings = load_settings(environ={})
    docs = [d for d in read_inputs(paths, settings) if isinstance(d, Document)]
    texts = [d.text for d in docs]
    reference = spacy.load(settings.spacy_model)
    ner = []
    for _ in range(runs):
        start = time.perf_counter()
        with reference.select_pipes(enable=["tok2vec", "ner"]):
            list(reference.pipe(texts))
        ner.append(time.perf_counter() - start)
    parsed = list(load_model(settings.spacy_model).pipe(texts))
    labels = settings.entity_label_set
    raw = [
        [(e.start_char, e.end_char, e.text, e.label_) for e in p.ents if e.label_ in labels]
        for p in parsed
    ]
    lex = lexicon(settings.alias_file)
    stages, quotes = [], 0
    for _ in range(runs):
        for doc, mentions in zip(docs, raw, strict=True):
            doc.mentions = [Mention(doc.id, *m, entity="") for m in mentions]
        start = time.perf_counter()
        for doc, parse in zip(docs, parsed, strict=True):
            canonicalize(doc, lex)
            doc.quotes = extract(doc, parse)
        stages.append(time.perf_counter() - start)
        quotes = sum(len(d.quotes) for d in docs)
    return {
        "docs": len(docs),
        "chars": sum(map(len, texts)),
        "quotes": quotes,
        "spacy_ner_seconds": round(min(ner), 3),
        "entities_and_quotes_seconds": round(min(stages), 3),
        "ratio_to_spacy_ner": round(min(stages) / min(ner), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed-only", action="store_true")
    parser.add_argument(
        "--heldout", type=Path, help="another PolNeAR split (text/ and attributions/) to check"
    )
    args = parser.parse_args()
    dev = SHARED / "polnear" / "dev"
    corpora = {"polnear_dev": [dev / "text"], "demo": [DEMO]}
    timing = {name: speed(paths) for name, paths in corpora.items() if paths[0].exists()}
    if args.speed_only:
        print(json.dumps({"benchmark": "quotes", "speed": timing}, indent=2))
        return
    # Published in the evaluation README for the dev split, same scorer.
    textacy = {"textacy_direct_quotations": {"f1": 0.42, "speaker_accuracy": 0.79}}
    report = {"demo": demo(), "polnear_dev": polnear(dev) | textacy}
    if args.heldout:
        report["polnear_heldout"] = polnear(args.heldout) | {"split": str(args.heldout)}
    print(json.dumps({"benchmark": "quotes", **report, "speed": timing}, indent=2))


if __name__ == "__main__":
    main()
