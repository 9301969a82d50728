"""Briefs: content against reference briefs, citation faithfulness, and speed.

Content: no public multi-document news summary gold is reachable here, so
the four stories of the demo corpus carry reference briefs an editor wrote
from their articles (``data/demo/reference_briefs.json``, seven sentences
each). ROUGE-1, ROUGE-2 and ROUGE-L F1 (``rouge-score``, Porter stemming;
ROUGE-L at the summary level, ``rougeLsum``) of storyline's brief and, in
the same run, of two baselines that pick from the same stored sentences:
LexRank (continuous LexRank centrality over TF-IDF, the top sentences
skipping any with cosine 0.5 or more to one already picked, as many as
storyline's brief has) and lead-3 (the first three sentences of the story's
earliest article).

Faithfulness: every sentence of every brief (and of every "new since"
list) must stand verbatim at the offsets of one of its citations, and every
citation must lie within one sentence of the cited document. The other
citations of a sentence are the documents that report the same claim in
their own words: their word overlap with the sentence shown (ROUGE-1 F1) is
reported, and the share below 0.3, which mostly marks a citation that
shares a detail or a name with the sentence rather than its statement. Run on
the demo corpus, the seed articles, a synthetic corpus and, with ``--ecb``,
ECB+ dev.

Speed: a synthetic story of 200 articles (``storyline.synth``, one story,
articles of about twenty sentences) is analysed once; then the corroborate
and brief stages alone are timed (best of three), beside the rest of the
analysis of the same articles in the same run. The brief is also timed as
the follow-up of a story of the same size (its own articles standing in for
the previous story: every sentence checked against all of them).

    python bench/briefs.py [--tune] [--ecb] [--no-speed]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
from rouge_score import rouge_scorer
from sklearn.feature_extraction.text import TfidfVectorizer

from storyline.executors.local import analyze
from storyline.model import Brief, Document
from storyline.pipeline import DEFAULT_STAGES
from storyline.settings import Settings, load_settings
from storyline.stages import brief, corroborate
from storyline.stages.corroborate import units
from storyline.stages.derivation import independent_sources
from storyline.store import Store, open_store
from storyline.synth import generate
from storyline.workflow import ingest

DEMO = Path(str(files("storyline") / "data" / "demo"))
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
ECB = SHARED / "eval" / "ecbplus" / "ecbplus-dev.jsonl"
MEASURES = ("rouge1", "rouge2", "rougeLsum")
# LexRank baseline: a sentence this close (cosine) to a picked one repeats it.
REPEATS = 0.5
LEAD = 3
# A citation whose sentence shares this little with the sentence shown (ROUGE-1 F1) is
# reported as weakly related.
WEAK = 0.3


@contextmanager
def analysed(
    inputs: list[Path], stages: tuple[str, ...] = DEFAULT_STAGES
) -> Iterator[tuple[Store, Settings]]:
    """A fresh store holding these inputs, analysed."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(environ={}, db=f"{tmp}/bench.db")
        with open_store(settings.db, settings) as store:
            ingest(inputs, store, settings)
            analyze(store, settings, stages=stages)
            yield store, settings


def _story_docs(store: Store, ids: list[str]) -> list[Document]:
    """A story's documents, earliest first (undated last)."""
    docs = list(store.iter_documents(ids, mentions=False))
    return sorted(docs, key=lambda d: (d.published or "9999", d.id))


def lexrank_baseline(docs: list[Document], k: int) -> list[str]:
    sentences = brief.quotable(u for doc in docs for u in units(doc))
    if not sentences:
        return []
    vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(
        [u.text for u in sentences]
    )
    rank = brief.lexrank(vectors)
    picked: list[int] = []
    for i in np.argsort(-rank, kind="stable"):
        closest = max(
            (float((vectors[i] @ vectors[j].T).toarray()[0, 0]) for j in picked), default=0
        )
        if closest < REPEATS:
            picked.append(int(i))
        if len(picked) == k:
            break
    return [sentences[i].text for i in picked]


def lead_baseline(docs: list[Document]) -> list[str]:
    return [u.text for u in brief.quotable(units(docs[0]))[:LEAD]] if docs else []


def _rouge(
    scorer: rouge_scorer.RougeScorer, reference: list[str], summary: list[str]
) -> dict[str, float]:
    scores = scorer.score("\n".join(reference), "\n".join(summary))
    return {m: scores[m].fmeasure for m in MEASURES}


def _truth_story(store: Store) -> dict[str, str]:
    """Each stored story as the demo truth story most of its documents belong to."""
    truth = json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))["articles"]

    def name(source: str) -> str:
        return str(Path(source).relative_to(DEMO)) if source.startswith(str(DEMO)) else source

    mapped: dict[str, tuple[str, int]] = {}
    for story in store.iter_stories():
        votes = Counter(
            truth[name(doc.source)]["story"]
            for doc in store.iter_documents(story.docs, mentions=False)
        )
        label, count = votes.most_common(1)[0]
        if label not in mapped or count > mapped[label][1]:
            mapped[label] = (story.id, count)
    return {story_id: label for label, (story_id, _) in mapped.items()}


def _weight_grid() -> list[brief.Weights]:
    return [
        (s, c, p, e)
        for s in (0.0, 0.2, 0.35, 0.5)
        for c in (0.0, 0.25, 0.5)
        for p in (0.0, 0.15, 0.3)
        for e in (0.0, 0.25)
        if s + c + p + e > 0
    ]


def tune(
    store: Store, labels: dict[str, str], references: dict[str, list[str]], scorer: Any
) -> dict[str, Any]:
    """Leave one story out: the score weights best on three stories (mean of the three
    ROUGE F1), scored on the fourth; beside the shipped weights on the same stories."""
    stories = list(store.iter_stories())
    lines = {line.id: line.stories for line, _ in store.iter_storylines()}
    by_id = {s.id: s for s in stories}
    scores: dict[brief.Weights, dict[str, dict[str, float]]] = {}
    for weights in _weight_grid():
        scores[weights] = {
            label: _rouge(
                scorer,
                references[label],
                [
                    x.text
                    for x in brief.brief_of(store, by_id[sid], stories, lines, weights).sentences
                ],
            )
            for sid, label in labels.items()
        }

    def overall(weights: brief.Weights, among: list[str]) -> float:
        return statistics.fmean(scores[weights][label][m] for label in among for m in MEASURES)

    def mean(rows: list[dict[str, float]]) -> dict[str, float]:
        return {m: round(statistics.fmean(r[m] for r in rows), 4) for m in MEASURES}

    folds: list[tuple[str, brief.Weights]] = []
    for held_out in sorted(labels.values()):
        others = [label for label in labels.values() if label != held_out]
        folds.append((held_out, max(scores, key=lambda w: overall(w, others))))
    best = max(scores, key=lambda w: overall(w, sorted(labels.values())))
    return {
        "grid": len(scores),
        "shipped": {"weights": brief.WEIGHTS, **mean(list(scores[brief.WEIGHTS].values()))},
        "leave_one_story_out": mean([scores[w][held_out] for held_out, w in folds]),
        "folds": [
            {"held_out": held_out, "weights": w, **mean([scores[w][held_out]])}
            for held_out, w in folds
        ],
        "best_on_all_four_in_sample": {"weights": best, **mean(list(scores[best].values()))},
    }


def content(with_tuning: bool = False) -> dict[str, Any]:
    """ROUGE of storyline's briefs and the baselines against the reference briefs."""
    references = json.loads((DEMO / "reference_briefs.json").read_text(encoding="utf-8"))["briefs"]
    scorer = rouge_scorer.RougeScorer(list(MEASURES), use_stemmer=True)
    per_story: dict[str, dict[str, Any]] = {}
    tuning = None
    with analysed([DEMO / "articles.jsonl", DEMO / "txt"]) as (store, _):
        if with_tuning:
            tuning = tune(store, _truth_story(store), references, scorer)
        stories = {s.id: s for s in store.iter_stories()}
        briefs = {b.story: b for b in store.iter_briefs()}
        for story_id, label in sorted(_truth_story(store).items(), key=lambda item: item[1]):
            docs = _story_docs(store, stories[story_id].docs)
            ours = [s.text for s in briefs[story_id].sentences] if story_id in briefs else []
            systems = {
                "storyline": ours,
                "lexrank": lexrank_baseline(docs, len(ours)),
                "lead3": lead_baseline(docs),
            }
            per_story[label] = {
                name: {
                    **_rouge(scorer, references[label], summary),
                    "sentences": len(summary),
                    "words": sum(len(s.split()) for s in summary),
                }
                for name, summary in systems.items()
            }
    missing = sorted(set(references) - set(per_story))
    mean = {
        name: {
            key: round(statistics.fmean(per_story[s][name][key] for s in per_story), 4)
            for key in (*MEASURES, "words")
        }
        for name in ("storyline", "lexrank", "lead3")
    }
    for scores in per_story.values():
        for system in scores.values():
            for m in MEASURES:
                system[m] = round(system[m], 4)
    return {
        "stories": per_story,
        "mean": mean,
        "reference_words": round(
            statistics.fmean(sum(len(s.split()) for s in ref) for ref in references.values()), 1
        ),
        "stories_without_a_stored_story": missing,
        **({"tuning": tuning} if tuning else {}),
    }


def faithfulness(store: Store) -> dict[str, Any]:
    """Whether every brief sentence is quoted exactly where its citations point."""
    scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)
    docs = {d.id: d for d in store.iter_documents(mentions=False)}
    sentences = verbatim = citations = inside = verbatim_citations = 0
    overlap: list[float] = []
    briefs: list[Brief] = list(store.iter_briefs())
    for b in briefs:
        for sentence in [*b.sentences, *b.new]:
            sentences += 1
            cited = [docs[c.doc].text[c.start : c.end] for c in sentence.citations]
            verbatim += sentence.text in cited
            for c, text in zip(sentence.citations, cited, strict=True):
                citations += 1
                inside += any(s.start <= c.start < c.end <= s.end for s in docs[c.doc].sentences)
                verbatim_citations += text == sentence.text
                if text != sentence.text:
                    overlap.append(scorer.score(sentence.text, text)["rouge1"].fmeasure)
    return {
        "documents": len(docs),
        "briefs": len(briefs),
        "sentences": sentences,
        "verbatim_at_a_citation": round(verbatim / sentences, 4) if sentences else None,
        "citations": citations,
        "citations_within_a_sentence": round(inside / citations, 4) if citations else None,
        "citations_verbatim": round(verbatim_citations / citations, 4) if citations else None,
        "other_citations": len(overlap),
        "other_citations_rouge1_f1": round(statistics.fmean(overlap), 4) if overlap else None,
        "other_citations_below_0.3": (
            round(sum(f < WEAK for f in overlap) / len(overlap), 4) if overlap else None
        ),
    }


def _synthetic_jsonl(path: Path, docs: int, stories: int, seed: int, **shape: Any) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for record, _ in generate(docs, stories, seed, **shape):
            fh.write(json.dumps(record) + "\n")
    return path


def faithfulness_everywhere(with_ecb: bool) -> dict[str, Any]:
    corpora: dict[str, Callable[[Path], list[Path]]] = {
        "demo": lambda _: [DEMO / "articles.jsonl", DEMO / "txt"],
        "synthetic (300 articles, 15 stories, seed 7)": lambda tmp: [
            _synthetic_jsonl(tmp / "synth.jsonl", 300, 15, 7)
        ],
    }
    if SEEDS.is_dir():
        corpora["seeds"] = lambda _: [SEEDS]
    if with_ecb and ECB.is_file():
        corpora["ECB+ dev"] = lambda tmp: [_ecb_jsonl(tmp / "ecb.jsonl")]
    found = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, inputs in corpora.items():
            with analysed(inputs(Path(tmp))) as (store, _):
                found[name] = faithfulness(store)
    return found


def _ecb_jsonl(path: Path) -> Path:
    with ECB.open(encoding="utf-8") as rows, path.open("w", encoding="utf-8") as out:
        for row in map(json.loads, rows):
            record = {"text": "\n\n".join(row["sentences"]), "url": f"ecb:{row['doc_id']}"}
            out.write(json.dumps(record) + "\n")
    return path


def _timed(run: Callable[[], object], repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def speed(articles: int) -> dict[str, Any]:
    """The corroborate and brief stages alone over one story of this many articles."""
    before = tuple(s for s in DEFAULT_STAGES if s not in {"corroborate", "brief"})
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = _synthetic_jsonl(
            Path(tmp) / "story.jsonl", articles, 1, 11, facts=60, told=(18, 26)
        )
        start = time.perf_counter()
        with analysed([jsonl], before) as (store, settings):
            rest = time.perf_counter() - start
            ids = store.document_ids()
            [story] = sorted(store.iter_stories(), key=lambda s: -len(s.docs))[:1]
            docs = {d.id: d for d in store.iter_documents(story.docs)}
            sentences = sum(len(d.sentences) for d in docs.values())
            seconds_corroborate = _timed(lambda: corroborate.run(store, ids, settings))
            seconds_brief = _timed(lambda: brief.run(store, ids, settings))
            roots = independent_sources(list(docs), store.iter_derivations(docs))
            claims = store.claims_of(story.id)
            events = [e for _, e in store.iter_events(story.id)]
            seconds_follow_up = _timed(
                lambda: brief.story_brief(story.id, docs, roots, claims, events, docs, story.id)
            )
    both = seconds_corroborate + seconds_brief
    return {
        "story_articles": len(story.docs),
        "story_sentences": sentences,
        "claims": len(claims),
        "corroborate_s": round(seconds_corroborate, 3),
        "brief_s": round(seconds_brief, 3),
        "corroborate_and_brief_s": round(both, 3),
        "target_s": 10.0,
        "brief_as_follow_up_s": round(seconds_follow_up, 3),
        "rest_of_analysis_s": round(rest, 3),
        "ratio_to_rest_of_analysis": round(both / rest, 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ecb", action="store_true", help="also check faithfulness on ECB+ dev")
    parser.add_argument("--no-speed", action="store_true", help="skip the 200-article story")
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--tune", action="store_true", help="leave-one-story-out weight search")
    args = parser.parse_args()
    result: dict[str, Any] = {
        "content": content(args.tune),
        "faithfulness": faithfulness_everywhere(args.ecb),
    }
    if not args.no_speed:
        result["speed"] = speed(args.articles)
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
