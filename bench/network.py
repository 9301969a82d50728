"""The actor network: cooperation-conflict signs on PLOVER gold, and speed at scale.

Signs: each PLOVER gold sentence runs through annotate, entities, time and
events (as in ``bench/events.py``); the sign of what storyline codes (the
relation table's score of each event) is compared with the sign of the gold
event type (the same table). Per record: the sign of the sum of the scores
of the events coded in the sentence, over the records where storyline codes
one (and over all records, an uncoded one counting as a miss); per event:
each coded event's own sign against its sentence's gold sign.

Demo corpus: the network by entity against the relations written for it
(``data/demo/truth.json``, ``relations``): precision, recall, and what is
missed or drawn besides.

Speed: 100,000 synthetic merged events (2,000 actors: states, leaders,
ministries; 18 PLOVER types; two years; 1 to 4 documents each out of 10,000,
a fifth of them copies of another), best of three:

- building the network in memory, by entity and rolled up to states, against
  the same run's reference: reading the same events back from a SQLite store
  as records (``iter_events``, what every reader of events does);
- the network's lean read of the same events (``iter_event_rows``: only the
  columns it needs) and building it from the store (that read included),
  against the same reference;
- views as of 50 random days (median and worst), against a plain scan of
  every event for the same day (the reference an index must beat); a
  90-day window and the changes between two days.

    python bench/network.py [--events 100000] [--skip-plover]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from events import DEMO, EVAL, code_sentences
from storyline.executors.local import analyze
from storyline.model import Document, Entity, Event, Mention, SentenceRef, Story
from storyline.network import load_network
from storyline.network.build import build
from storyline.network.compare import compare
from storyline.network.graph import Network
from storyline.network.history import changes, pair_scores
from storyline.network.relations import relation_of, rules, sign
from storyline.settings import load_settings
from storyline.store import open_store
from storyline.store.events import EventRow
from storyline.workflow import ingest

STATES = ["Austria", "Hungary", "Serbia", "Poland", "Ukraine", "Russia", "Japan", "Chile"]
ROLES = [None, "government", "military", "legislature", "civilians", "business"]


def plover() -> dict[str, Any]:
    records = [
        r
        for r in json.loads((EVAL / "plover" / "plover-gsr-dev.json").read_text("utf-8"))
        if r.get("event") and r["event"] != "DOCUMENT" and r.get("text")
    ]
    docs = code_sentences([r["text"] for r in records])
    coded = agree = events = events_agree = 0
    misses: dict[str, int] = {}
    for record, doc in zip(records, docs, strict=True):
        gold = sign(record["event"])
        scores = [r.score for e in doc.events if (r := relation_of(e)) is not None]
        events += len(scores)
        events_agree += sum(1 for s in scores if (s > 0) - (s < 0) == gold)
        if not scores:
            continue
        coded += 1
        total = sum(scores)
        if (total > 0) - (total < 0) == gold:
            agree += 1
        else:
            misses[record["event"]] = misses.get(record["event"], 0) + 1
    return {
        "records": len(records),
        "records_with_a_coded_event": coded,
        "sign_agreement_of_coded_records": round(agree / coded, 4),
        "sign_agreement_of_all_records": round(agree / len(records), 4),
        "coded_events": events,
        "sign_agreement_of_coded_events": round(events_agree / events, 4),
        "disagreeing_records_by_gold_type": dict(sorted(misses.items())),
    }


def demo() -> dict[str, Any]:
    """The demo corpus's network (by entity) against the relations written for it."""
    truth = json.loads((DEMO / "truth.json").read_text("utf-8"))
    variants = {e["canonical"]: e["variants"] for e in truth["entities"]}
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(environ={}, db=str(Path(folder) / "demo.db"))
        with open_store(settings.db, settings) as store:
            ingest([DEMO / "articles.jsonl", DEMO / "txt"], store, settings)
            analyze(store, settings)
            network = load_network(store)
    found = compare(network, truth["relations"], variants)
    names = {n.id: n.name for n in network.nodes.values()}

    def told(r: dict[str, Any]) -> str:
        return f"{r['source']} {r['relation']} {r['target']}"

    return {
        "relations_written": len(truth["relations"]),
        "edges_drawn": len(found.found) + len(found.extra),
        "precision": round(found.precision, 3),
        "recall": round(found.recall, 3),
        "found": [told(r) for r in found.found],
        "missed": [told(r) for r in found.missed],
        "drawn_but_not_written": [
            f"{names[s.edge.source]} {s.edge.relation} {names[s.edge.target]}" for s in found.extra
        ],
    }


def synthetic(
    n_events: int, seed: int = 7
) -> tuple[list[tuple[str, Event]], dict[str, Entity], dict[str, str | None], dict[str, str]]:
    """Merged events between 2,000 actors over two years, with their documents."""
    rng = random.Random(seed)
    entities = {
        f"e{i}": Entity(f"e{i}", f"Actor {i}", rng.choice(["PERSON", "ORG", "GPE"]))
        for i in range(2000)
    }
    state_of = {e: rng.choice(STATES) for e in entities}
    role_of = {e: rng.choice(ROLES) for e in entities}
    kinds = sorted(rules())
    first = date(2024, 1, 1)
    n_docs = max(n_events // 10, 10)
    published: dict[str, str | None] = {
        f"d{i}": (first + timedelta(days=rng.randrange(730))).isoformat() for i in range(n_docs)
    }
    roots = {
        f"d{i}": f"d{rng.randrange(n_docs)}" if rng.random() < 0.2 else f"d{i}"
        for i in range(n_docs)
    }
    # A few actors are in most of the news: a Zipf-like share of the events.
    ids = list(entities)
    weights = [1 / (rank + 1) for rank in range(len(ids))]
    events = []
    for i in range(n_events):
        actor, target = rng.choices(ids, weights, k=2)
        if actor == target:
            target = ids[(ids.index(actor) + 1) % len(ids)]
        docs = [f"d{rng.randrange(n_docs)}" for _ in range(rng.randint(1, 4))]
        day = (
            (first + timedelta(days=rng.randrange(730))).isoformat() if rng.random() < 0.6 else None
        )
        event = Event(
            f"v{i}", rng.choice(kinds), actor, target, "act", day, "day" if day else None, None,
            [SentenceRef(d, 0) for d in docs],
            state_of[actor], role_of[actor], state_of[target], role_of[target],
        )  # fmt: skip
        events.append((f"s{i % 5000}", event))
    return events, entities, published, roots


def best(runs: int, job: Callable[[], object]) -> tuple[float, object]:
    found, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = job()
        found = min(found, time.perf_counter() - start)
    return found, result


def _store_of(
    events: list[tuple[str, Event]],
    entities: dict[str, Entity],
    published: dict[str, str | None],
    folder: Path,
) -> Any:
    """A SQLite store holding these documents, entities (one mention each) and events."""
    settings = load_settings(environ={}, db=str(folder / "network.db"))
    store = open_store(settings.db, settings)
    docs = [
        Document(d, f"{d}.txt", f"Text {d}.", f"Text {d}.", published=day)
        for d, day in published.items()
    ]
    for i, entity in enumerate(entities.values()):
        doc, at = docs[i % len(docs)], 10 * (i // len(docs))
        doc.mentions.append(Mention(doc.id, at, at + 4, entity.name, entity.type, entity.id))
    store.add_documents(docs)
    store.save_annotations(docs, "bench")
    by_story: dict[str, list[Event]] = {}
    for story, event in events:
        by_story.setdefault(story, []).append(event)
    stories: list[tuple[Story, dict[str, Any], bool]] = [
        (Story(s, s, [], [], None, None, None), {}, False) for s in by_story
    ]
    store.save_stories(stories, [], {}, {})
    store.replace_events(by_story)
    return store


def _scan(events: list[tuple[str, Event]], day: str) -> int:
    """The reference for an as-of query: every event looked at once."""
    return sum(1 for _, e in events if e.date is not None and e.date <= day)


def speed(n_events: int, runs: int = 3) -> dict[str, Any]:
    events, entities, published, roots = synthetic(n_events)
    rows = [EventRow.of(story, event) for story, event in events]
    with tempfile.TemporaryDirectory() as folder:
        store = _store_of(events, entities, published, Path(folder))
        try:
            read_s, _ = best(runs, lambda: list(store.iter_events()))
            lean_s, _ = best(runs, lambda: list(store.iter_event_rows()))
            build_s, net = best(runs, lambda: build(rows, entities, published, roots))
            state_s, _ = best(runs, lambda: build(rows, entities, published, roots, by_state=True))
            store_s, _ = best(runs, lambda: load_network(store))
        finally:
            store.close()
    assert isinstance(net, Network)
    index_s, _ = best(1, lambda: net.index)
    rng = random.Random(3)
    days = [(date(2024, 1, 1) + timedelta(days=rng.randrange(730))).isoformat() for _ in range(50)]
    as_of, read = [], []
    for day in days:
        start = time.perf_counter()
        view = net.view(as_of=day)
        as_of.append(time.perf_counter() - start)
        start = time.perf_counter()
        states = view.read()
        read.append(time.perf_counter() - start)
    scan_s, _ = best(runs, lambda: _scan(events, days[0]))
    window_s, _ = best(runs, lambda: net.view(as_of="2025-06-30", since="2025-04-01"))
    actor_s, _ = best(runs, lambda: net.view(as_of="2025-06-30", nodes=["e0"]))
    changes_s, moved = best(runs, lambda: changes(net, "2024-12-31", "2025-06-30"))
    pairs_s, _ = best(runs, lambda: pair_scores(net.view(as_of="2025-06-30")))
    return {
        "events": n_events,
        "edges": len(net.edges),
        "nodes": len(net.nodes),
        "read_events_from_store_s": round(read_s, 3),
        "lean_read_of_the_network_s": round(lean_s, 3),
        "lean_read_ratio_to_reading": round(lean_s / read_s, 2),
        "build_in_memory_s": round(build_s, 3),
        "build_in_memory_ratio_to_reading": round(build_s / read_s, 2),
        "build_by_state_s": round(state_s, 3),
        "build_from_store_s": round(store_s, 3),
        "build_from_store_ratio_to_reading": round(store_s / read_s, 2),
        "day_index_s": round(index_s, 3),
        "as_of_median_ms": round(statistics.median(as_of) * 1000, 2),
        "as_of_worst_ms": round(max(as_of) * 1000, 2),
        "scan_every_event_ms": round(scan_s * 1000, 1),
        "as_of_median_ratio_to_scan": round(statistics.median(as_of) / scan_s, 3),
        "edges_in_last_view": len(states),
        "reading_every_edge_of_a_view_median_ms": round(statistics.median(read) * 1000, 1),
        "one_actor_as_of_ms": round(actor_s * 1000, 2),
        "window_90_days_ms": round(window_s * 1000, 2),
        "changes_between_two_days_ms": round(changes_s * 1000, 1),
        "changed_edges": len(moved) if isinstance(moved, list) else 0,
        "pair_scores_by_month_ms": round(pairs_s * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--skip-plover", action="store_true")
    args = parser.parse_args()
    found: dict[str, Any] = {"benchmark": "network"}
    if not args.skip_plover:
        found["plover_signs"] = plover()
        found["demo"] = demo()
    found["speed"] = speed(args.events)
    json.dump(found, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
