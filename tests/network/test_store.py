"""The network of an analysed store, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from storyline.executors.local import analyze
from storyline.network import load_network
from storyline.settings import Settings
from storyline.store import open_store
from storyline.store.events import EventRow
from storyline.workflow import ingest

PACT = """Hungary and Austria sign defence pact

Hungary and Austria signed a mutual defence pact in Vienna on Monday, the two \
governments said. The treaty commits each country to help the other if it is attacked.

Officials in Budapest called the agreement historic."""

PROTEST = """Serbia protests over Hungary-Austria pact

Serbia summoned Hungary's ambassador on Wednesday to protest against the defence pact \
that Hungary and Austria signed on Monday. Belgrade said the treaty threatened the region."""

ARTICLES = [
    {"text": PACT, "url": "https://danube-wire.example/pact", "outlet": "Danube Wire",
     "published": "2025-03-03T10:00:00+00:00"},
    # the wire story as a syndicated copy: one independent source, not two
    {"text": PACT + "\n\n(Danube Wire)", "url": "https://east-daily.example/pact",
     "outlet": "East Daily", "published": "2025-03-03T12:00:00+00:00"},
    {"text": PROTEST, "url": "https://balkan-post.example/protest", "outlet": "Balkan Post",
     "published": "2025-03-05T09:00:00+00:00"},
]  # fmt: skip


def test_network_of_a_store_counts_copies_once(settings: Settings, tmp_path: Path) -> None:
    inbox = tmp_path / "articles.jsonl"
    inbox.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    with open_store(settings.db, settings) as store:
        ingest([inbox], store, settings)
        assert store.analysis_stamp() is None
        analyze(store, settings)
        stamp = store.analysis_stamp()
        net = load_network(store, by_state=True)
        sources = {d.id: d.source for d in store.iter_documents()}
        # The network's lean read holds what the full records say of each event.
        rows = {row.id: row for row in store.iter_event_rows()}
        full = [EventRow.of(story, event) for story, event in store.iter_events()]
        assert rows == {row.id: row for row in full} and len(rows) == len(full)
        assert stamp is not None and analyze(store, settings).analyzed == 0
        assert store.analysis_stamp() == stamp  # nothing to analyse: nothing changed
    names = {n.id: n.name for n in net.nodes.values()}
    edges = {(names[s.edge.source], s.edge.relation, names[s.edge.target]): s for s in net.view()}
    pact = edges["Austria", "agree", "Hungary"]
    assert {sources[d] for d in pact.docs} == {a["url"] for a in ARTICLES[:2]}
    assert pact.independent_sources == 1 and pact.start == "2025-03-03"
    protest = edges["Serbia", "protest", "Hungary"]
    assert protest.start == "2025-03-05" and protest.score < 0
    assert not net.view(as_of="2025-03-02")
