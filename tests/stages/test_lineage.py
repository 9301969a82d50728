"""Lineage: who copied whom, on the seeds and on articles written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.executors.local import analyze
from storyline.model import Derivation
from storyline.settings import Settings
from storyline.stages.align import StemCodes
from storyline.stages.derivation import Outlets, independent_sources
from storyline.stages.ingest.build import make_document
from storyline.stages.lineage import profile
from storyline.store import Store, open_store
from storyline.store.lineage import LineageText

WIRE = """WESTHAVEN, Marland (Meridian Wire) - The only ferry linking Tarn Island to the mainland \
was suspended on Monday after a storm tore away part of the loading ramp, the operator said.

"We will not sail until the ramp is safe for passengers and crews," said Ruth Okafor, chief \
executive of Tarn Ferries, at a news conference in Westhaven.

Repairs are expected to take at least two weeks, and engineers from the county arrived on \
Tuesday to inspect the damaged pilings.

Islanders said deliveries of food and fuel had already slowed. The county council has asked \
the coastguard to run an emergency supply boat twice a week.

The island, home to about 1,200 people, was cut off for nine days during a similar storm in \
2019, when the council had to fly in medicine by helicopter.
"""

REWRITE = """Tarn Island has lost its only ferry connection after storm damage at Westhaven, \
Meridian Wire reported on Tuesday.

The operator suspended the service on Monday when a storm ripped away a section of the \
loading ramp used by the ferry.

"We will not sail until the ramp is safe for passengers and crews," said Ruth Okafor, who \
runs Tarn Ferries.

Engineers are inspecting the pilings, and repairs should take at least two weeks.

Residents said that food and fuel deliveries have slowed, and the council wants the \
coastguard to run a supply boat.
"""

OTHER = """The county council of Westhaven voted on Tuesday to double the budget for flood \
barriers, after two storms in a month flooded the harbour district.

Council leader Imran Castell said the money would come from reserves, and that work on the \
first barrier would begin in April.

"We cannot wait for the next storm to tell us what we already know," Castell told the chamber.

Opposition councillors backed the plan but asked for a review of the harbour's drainage.
"""


def _store_with(store: Store, settings: Settings, docs: list[tuple[str, str, str, str]]) -> None:
    store.add_documents(
        [
            make_document(text, source, settings, outlet=outlet, published=published)
            for text, source, outlet, published in docs
        ]
    )
    analyze(store, settings)


def _derivations(store: Store) -> list[Derivation]:
    return list(store.iter_derivations())


def _source(store: Store, doc_id: str) -> str:
    return store.get_document(doc_id).source


def test_syndicated_copy_points_to_the_earlier_wire(store: Store, settings: Settings) -> None:
    copy = "Share\n\n" + WIRE + "\nCopyright 2026 The Island Times. All rights reserved.\n"
    _store_with(
        store,
        settings,
        [
            (copy, "https://islandtimes.example/ferry", "Island Times", "2026-03-03T12:00:00Z"),
            (WIRE, "https://meridian.example/ferry", "Meridian Wire", "2026-03-03T08:00:00Z"),
            (OTHER, "https://gazette.example/flood", "Westhaven Gazette", "2026-03-03T09:00:00Z"),
        ],
    )
    [edge] = _derivations(store)
    assert edge.kind == "syndicated"
    assert _source(store, edge.source_doc) == "https://meridian.example/ferry"
    assert _source(store, edge.derived_doc) == "https://islandtimes.example/ferry"
    assert edge.score >= 0.95
    assert len(edge.evidence["aligned"]) >= 5


def test_same_text_from_the_same_outlet_is_a_duplicate(store: Store, settings: Settings) -> None:
    _store_with(
        store,
        settings,
        [
            (WIRE, "https://meridian.example/a", "Meridian Wire", "2026-03-03T08:00:00Z"),
            (
                WIRE + "\nRead more\n",
                "https://meridian.example/b",
                "Meridian Wire",
                "2026-03-03T09:00:00Z",
            ),
        ],
    )
    [edge] = _derivations(store)
    assert edge.kind == "duplicate"
    assert _source(store, edge.source_doc) == "https://meridian.example/a"


def test_credited_rewrite_is_found_without_dates(store: Store, settings: Settings) -> None:
    _store_with(
        store,
        settings,
        [
            (REWRITE, "briefly/ferry.txt", "Briefly News", None),
            (WIRE, "meridian/ferry.txt", "Meridian Wire", None),
            (OTHER, "gazette/flood.txt", "Westhaven Gazette", None),
        ],
    )
    [edge] = _derivations(store)
    assert edge.kind == "rewrite"
    assert _source(store, edge.source_doc) == "meridian/ferry.txt"
    assert edge.evidence["attribution"]["text"] == "Meridian Wire reported"
    assert edge.evidence["shared_quotes"] == 1
    derived = store.get_document(edge.derived_doc)
    start, end = edge.evidence["aligned"][0]["derived"]
    assert derived.text[start:end].strip()


def test_independent_reports_and_shared_boilerplate_make_no_edges(
    store: Store, settings: Settings
) -> None:
    footer = (
        "\n\nThe Westhaven Gazette is an independent newspaper serving the towns of the bay. "
        "Our journalism is funded by readers like you, and every contribution helps us report."
    )
    _store_with(
        store,
        settings,
        [
            (WIRE + footer, "a.txt", "Westhaven Gazette", None),
            (OTHER + footer, "b.txt", "Westhaven Gazette", None),
            ("Ferry suspended", "c.txt", "Westhaven Gazette", None),
            ("Ferry suspended after storm", "d.txt", "Island Times", None),
        ],
    )
    assert _derivations(store) == []


def test_reanalysis_gives_the_same_edges(store: Store, settings: Settings) -> None:
    _store_with(
        store,
        settings,
        [
            (REWRITE, "briefly/ferry.txt", "Briefly News", None),
            (WIRE, "meridian/ferry.txt", "Meridian Wire", None),
        ],
    )
    before = _derivations(store)
    analyze(store, settings, force=True)
    assert _derivations(store) == before and len(before) == 1


def test_independent_sources_follow_chains() -> None:
    edges = [
        Derivation("wire", "copy", "syndicated", 1.0),
        Derivation("copy", "rewrite", "rewrite", 0.5),
    ]
    roots = independent_sources(["wire", "copy", "rewrite", "other"], edges)
    assert roots == {"wire": "wire", "copy": "wire", "rewrite": "wire", "other": "other"}
    assert len(set(roots.values())) == 2


def test_seeds_have_exactly_the_ft_rewrite(seed_settings: Settings) -> None:
    with open_store(seed_settings.db, seed_settings, read_only=True) as store:
        edges = list(store.iter_derivations())
        docs = {Path(d.source).name[:3]: d for d in store.iter_documents()}
    [edge] = edges
    assert edge.source_doc == docs["000"].id  # the Financial Times article
    assert edge.derived_doc == docs["003"].id  # the Benzinga rewrite
    assert edge.kind in {"rewrite", "attributed"}
    assert edge.evidence["attribution"]["text"] == "Financial Times reported"
    assert edge.evidence["shared_quotes"] >= 2
    june = [docs[k].id for k in ("000", "001", "002", "003")]
    assert len(set(independent_sources(june, edges).values())) == 3


@pytest.mark.parametrize("text", ["", "Ferry", "Ferry suspended after storm at Westhaven"])
def test_short_texts_get_no_signature_and_no_keys(text: str) -> None:
    doc = LineageText("x", text, "Island Times", None, [])
    found, keys = profile(doc, StemCodes(), Outlets.of(["Island Times"]))
    assert found.signature is None
    assert len(keys) == 0
