"""Clean: junk out, body kept, what the junk says kept as metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.executors.local import analyze
from storyline.model import Document
from storyline.settings import Settings
from storyline.stages.clean import clean_document, copyright_owner
from storyline.stages.ingest import read_inputs
from storyline.stages.ingest.build import make_document
from storyline.store import Store


@pytest.fixture(scope="module")
def seeds(seeds_dir: Path) -> dict[str, Document]:
    settings = Settings()
    docs = [d for d in read_inputs([seeds_dir], settings) if isinstance(d, Document)]
    return {Path(d.source).name[:3]: clean_document(d) for d in docs}


# Junk a careful reader sees in each seed: (start of the junk line, kind).
SEED_JUNK = {
    "000": [
        ("South Korea fired warning shots to repel", "caption"),
        ("South Korea to review arms policy on Ukraine", "related"),
        ("South Korea has recently retaliated for North Korea", "caption"),
        ("North Korea: Kim pledges", "related"),
        ("– Copyright The Financial Times Limited 2024", "copyright"),
    ],
    "001": [
        ("close", "ui"),
        ("___", "ui"),
        ("Edith M. Lederer contributed", "byline"),
    ],
    "002": [
        ("North Korea and Russia’s deepening ties prompt", "duplicate_line"),
        ("Biden, world leaders agree to $50 billion loan", "related"),
        ("North Korean leader Kim Jong Un and Russian President Vladimir Putin shaking", "caption"),
        ("A pool photograph distributed by", "caption"),
    ],
    "003": [
        ("Image via Shutterstock", "credit"),
        ("This story was generated using Benzinga Neuro", "disclosure"),
        ("© 2025 Benzinga.com", "copyright"),
        ("Comments", "ui"),
        ("Trade confidently with insights", "promo"),
    ],
    "004": [("Yorumlar kapalı.", "ui")],
}

# Body a careful reader keeps: one-sentence paragraphs, quotes, datelines, standfirsts.
SEED_BODY = {
    "000": [
        "to Ukraine after Putin-Kim pact\n",
        "Tensions rise on Korean peninsula after",
        "“We will reconsider the issue of supplying weapons to Ukraine,”",
        "North Korea and Russia just signed.”",
    ],
    "001": [
        "South Korea considers supplying arms",
        "SEOUL, South Korea — South Korea said Thursday",
        "He said South Korea “should not worry” about the deal",
    ],
    "002": [
        "North Korea and Russia's deepening ties prompt South Korea",
        "Seoul — Major weapons exporter South Korea will “reconsider”",
        "war in Ukraine. Concern has grown for months",
    ],
    "003": [
        "What Happened: South Korea’s national security adviser",
        "\"It doesn't make sense to promise military co-operation",
        "With the recent confirmation of a North Korean",
    ],
    "004": [
        "not ruling out the possibility of providing weapons.”",
        "South Korea, a major arms exporter, has a longstanding policy",
        "communist allies during the Cold War.",
    ],
}


@pytest.mark.parametrize("seed", sorted(SEED_JUNK))
def test_seed_junk_is_removed_with_its_kind(seeds: dict[str, Document], seed: str) -> None:
    doc = seeds[seed]
    kept_lines = [line.strip() for line in doc.text.splitlines()]
    for start, kind in SEED_JUNK[seed]:
        assert not any(line.startswith(start) for line in kept_lines), (seed, start)
        assert len(start) < 20 or start not in doc.text, (seed, start)
        matching = [r for r in doc.removed if r.text.strip().startswith(start)]
        assert matching, (seed, start)
        assert matching[0].kind == kind, (seed, start, matching[0].kind)


@pytest.mark.parametrize("seed", sorted(SEED_BODY))
def test_seed_body_is_kept(seeds: dict[str, Document], seed: str) -> None:
    doc = seeds[seed]
    for passage in SEED_BODY[seed]:
        assert passage in doc.text, (seed, passage)
    removed_chars = sum(r.end - r.start for r in doc.removed)
    assert removed_chars < 0.25 * len(doc.raw_text)


def test_removed_spans_rebuild_the_raw_text(seeds: dict[str, Document]) -> None:
    for doc in seeds.values():
        assert all(doc.raw_text[r.start : r.end] == r.text for r in doc.removed)
        starts = [r.start for r in doc.removed]
        assert starts == sorted(starts)
        assert all(a.end <= b.start for a, b in zip(doc.removed, doc.removed[1:], strict=False))
        assert not doc.text.endswith("\n\n")
        assert doc.text.count("\n\n\n") <= doc.raw_text.count("\n\n\n")


def test_seed_metadata_from_junk(seeds: dict[str, Document]) -> None:
    assert seeds["000"].outlet == "Financial Times"
    assert "Copyright The Financial Times Limited 2024" in seeds["000"].evidence["outlet"]
    assert seeds["003"].outlet == "Benzinga"
    assert seeds["003"].machine_generated is True
    assert "Benzinga Neuro" in seeds["003"].evidence["machine_generated"]
    assert seeds["001"].contributors == ["Edith M. Lederer"]
    for seed in ("000", "001", "002", "004"):
        assert seeds[seed].machine_generated is None


@pytest.mark.parametrize(
    ("line", "owner"),
    [
        ("Copyright The Financial Times Limited 2024", "Financial Times"),
        ("© 2025 Benzinga.com. Benzinga does not provide investment advice.", "Benzinga"),
        ("Copyright 2026 The Harbor Ledger. All rights reserved.", "Harbor Ledger"),
        ("© 2026 Meridian Wire Ltd", "Meridian Wire"),
        ("All rights reserved.", None),
    ],
)
def test_copyright_owner(line: str, owner: str | None) -> None:
    assert copyright_owner(line) == owner


def _clean(text: str, **meta: str) -> Document:
    return clean_document(make_document(text, "t.txt", Settings(), **meta))


def test_input_metadata_wins_over_inferred() -> None:
    doc = _clean(
        "The harbour board resigned on Friday, its chairman said.\n\n"
        "Copyright 2026 The Harbor Ledger. All rights reserved.",
        outlet="Westhaven Gazette",
    )
    assert doc.outlet == "Westhaven Gazette" and "outlet" not in doc.evidence
    assert doc.text == "The harbour board resigned on Friday, its chairman said."


@pytest.mark.parametrize(
    "paragraph",
    [
        "“We will not sail until the ramp is safe.”",
        '"No comment," she said.',
        "The vote passed.",
        "WESTHAVEN, Marland — The ferry operator said on Monday it would resume sailings.",
        "Repairs are expected to take two weeks.",
        "By Tuesday, the council had approved the money for repairs.",
        "Trade unions said the ferry crews would not return until the ramp was repaired.",
        "Follow-up inspections found no damage to the hull, the coastguard said.",
        "The report was generated by the ministry's statistics office in March.",
        "Photographs of the damage were shared widely on social media on Monday.",
    ],
)
def test_real_paragraphs_are_kept(paragraph: str) -> None:
    text = (
        "Ferry service to Tarn Island suspended after storm damage\n\n"
        "The only ferry linking Tarn Island to the mainland was suspended on Monday after a storm"
        " tore away part of the loading ramp, the operator said.\n\n"
        f"{paragraph}\n\n"
        "Islanders said food deliveries had already slowed, and the council asked for help."
    )
    doc = _clean(text)
    assert doc.removed == [], [r.text for r in doc.removed]
    assert doc.text == text


def test_byline_at_the_top_becomes_metadata() -> None:
    doc = _clean(
        "Ferry service to Tarn Island suspended after storm damage\n\n"
        "By Tomasz Reyes, Environment Correspondent\n\n"
        "The only ferry linking Tarn Island to the mainland was suspended on Monday."
    )
    assert doc.byline == "Tomasz Reyes"
    assert [r.kind for r in doc.removed] == ["byline"]


def test_text_that_is_all_junk_cleans_to_nothing_without_error() -> None:
    doc = _clean("Share\n\nComments\n\nCopyright 2026 The Harbor Ledger. All rights reserved.")
    assert doc.text.strip() == ""
    assert [r.kind for r in doc.removed] == ["ui", "ui", "copyright"]


def test_a_huge_single_line_is_cleaned_in_linear_time() -> None:
    """Eight times the text takes about eight times as long (quadratic would be 64x;
    the bound leaves room for a loaded machine); the long line comes out whole."""
    import time

    def seconds(repeats: int) -> float:
        line = "The harbour board met again and nothing was decided. " * repeats
        doc = Document(id="x", source="huge.txt", raw_text=line, text=line)
        start = time.perf_counter()
        clean_document(doc)
        assert doc.text == line
        return time.perf_counter() - start

    small = min(seconds(40_000) for _ in range(3))
    assert min(seconds(320_000) for _ in range(2)) < 30 * small


FOOTER = "The Harbor Ledger has served the towns of the bay since 1901."
STORIES = [
    "The harbour board approved a new dredging contract on Monday after months of delay. "
    "Board members said the work would start in May.",
    "Fishermen in Westhaven said catches of cod had fallen for a third year. "
    "The fisheries office will publish its survey next week.",
    "The county fair will return to the old showground this summer, organisers said. "
    "Tickets go on sale in April.",
    "A new bus route will link the ferry terminal with the hospital from June. "
    "The council approved the subsidy on Tuesday.",
]


def _ingest_and_analyze(store: Store, settings: Settings, texts: list[str], outlet: str) -> None:
    docs = [
        make_document(t, f"https://ledger.example/{i}", settings, outlet=outlet)
        for i, t in enumerate(texts)
    ]
    store.add_documents(docs)
    analyze(store, settings, stages=["clean"])


def test_a_footer_repeated_across_an_outlet_is_boilerplate(
    store: Store, settings: Settings
) -> None:
    _ingest_and_analyze(store, settings, [f"{s}\n\n{FOOTER}" for s in STORIES], "Harbor Ledger")
    for doc in store.iter_documents():
        assert FOOTER not in doc.text
        assert [r.kind for r in doc.removed] == ["duplicate_line"]
        assert doc.text.strip() in STORIES


def test_a_line_two_articles_share_stays_however_often_they_are_analysed(
    store: Store, settings: Settings
) -> None:
    """Each document counts once for a line: analysing again does not make the
    line of two articles look like an outlet's boilerplate."""
    _ingest_and_analyze(store, settings, [f"{s}\n\n{FOOTER}" for s in STORIES[:2]], "Harbor Ledger")
    for _ in range(2):
        analyze(store, settings, stages=["clean"], force=True)
    assert all(FOOTER in doc.text and doc.removed == [] for doc in store.iter_documents())
    more = [
        make_document(
            f"{s}\n\n{FOOTER}", f"https://ledger.example/more/{i}", settings, outlet="Harbor Ledger"
        )
        for i, s in enumerate(STORIES[2:])
    ]
    store.add_documents(more)
    analyze(store, settings, stages=["clean"])
    assert all(FOOTER not in doc.text for doc in store.iter_documents([d.id for d in more]))


def test_versions_of_one_article_keep_their_shared_body(store: Store, settings: Settings) -> None:
    body = STORIES[0].replace(". ", ".\n\n")
    versions = [body, body + "\n\nThe vote was unanimous.", body + "\n\nOne member abstained."]
    _ingest_and_analyze(store, settings, versions, "Harbor Ledger")
    for doc in store.iter_documents():
        assert doc.removed == []
        assert doc.text.startswith("The harbour board approved a new dredging contract")


def test_a_document_with_only_junk_is_reported_not_fatal(store: Store, settings: Settings) -> None:
    store.add_documents([make_document("Share\n\nComments\n\nRead more", "junk.txt", settings)])
    result = analyze(store, settings, stages=["clean"])
    assert result.analyzed == 1
    [problem] = result.problems
    assert problem.source == "junk.txt" and not problem.rejected
    assert "no article text left" in problem.message


def test_wire_dateline_names_the_outlet_and_stays_in_the_text() -> None:
    text = (
        "WESTHAVEN, Marland (Meridian Wire) - The ferry operator said on Monday it would resume"
        " sailings to Tarn Island next week.\n\nRepairs to the ramp were finished early."
    )
    doc = _clean(text)
    assert doc.outlet == "Meridian Wire"
    assert doc.evidence["outlet"] == "WESTHAVEN, Marland (Meridian Wire) -"
    assert doc.text == text and doc.removed == []
