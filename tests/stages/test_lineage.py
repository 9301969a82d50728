"""Lineage: who copied whom, on the seeds and on articles written for these tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.executors.local import analyze
from storyline.ids import document_id
from storyline.model import Derivation, Document, Sentence
from storyline.settings import Settings, load_settings
from storyline.stages import lineage
from storyline.stages.align import StemCodes
from storyline.stages.derivation import (
    MIN_COVERAGE,
    Outlets,
    could_derive,
    independent_sources,
)
from storyline.stages.ingest.build import make_document
from storyline.stages.lineage import profiles
from storyline.store import Store, open_store
from storyline.store.lineage import LineageText
from storyline.synth import generate

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


@given(st.integers(1, 60), st.integers(0, 60), st.integers(0, 60), st.integers(0, 6))
def test_without_a_credit_too_few_matched_sentences_make_no_derivation(
    sentences: int, matched: int, in_order: int, quotes: int
) -> None:
    # The stage skips such pairs before aligning them.
    matched = min(matched, sentences)
    in_order = min(in_order, matched)
    if matched / sentences < MIN_COVERAGE:
        assert not could_derive(sentences, matched, in_order, quotes, credit=False)


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
    [(found, keys)] = profiles([doc], StemCodes(), Outlets.of(["Island Times"]))
    assert found.signature is None
    assert len(keys) == 0


SCHOOL = """Pupils at Harrow Lane primary school in Westhaven will be taught in the church hall \
from Monday after inspectors found damp in three classrooms.

Head teacher Alima Benn said the move would last until the end of term and that lessons would \
follow the usual timetable.

Parents were told in a letter on Thursday, and the county has promised a survey of the roof \
before the summer holidays.

A parents' group said it had warned the county about leaks for two winters.
"""

# A block of promotion and policy text left at the end of articles by mistake:
# long lines that cleaning keeps when it has seen only a few pages.
FOOTER = """

Stay informed with our free morning briefing, delivered to your inbox before seven o'clock \
every weekday, with the stories that matter across the bay and its islands.

Our reporters cover the councils, courts, harbours and businesses of the bay so that readers \
know what is decided in their name and by whom, week after week, in good times and bad.

We rely on the support of readers to keep local journalism independent of owners and \
advertisers, and every contribution, however small, goes directly into reporting.

Corrections and complaints can be sent to the readers' editor, who answers every message \
within two working days and publishes a summary of corrections each month.
"""

# Monthly reports written on one pattern: the same words, other figures.
JOBS = """Unemployment in Westhaven {moved} to {rate} percent in {month} from {before} percent \
the month before, the county statistics office said on Friday.

The number of people claiming jobless benefits {claims} by {change} to {claimants}, the office \
said in its monthly labour market report.

Employers in the harbour district advertised {vacancies} vacancies, most of them in shipping, \
construction and care homes.

Wages in the county rose by {wages} percent over the year, below the rate of inflation.

The statistics office publishes its figures on the first Friday of each month.
"""

MARCH = JOBS.format(
    moved="fell",
    rate="4.2",
    month="March",
    before="4.5",
    claims="fell",
    change="310",
    claimants="6,480",
    vacancies="1,150",
    wages="3.1",
)
APRIL = JOBS.format(
    moved="fell",
    rate="3.9",
    month="April",
    before="4.1",
    claims="fell",
    change="275",
    claimants="6,205",
    vacancies="1,320",
    wages="3.4",
)


def test_a_headline_alone_matches_nothing(store: Store, settings: Settings) -> None:
    _store_with(
        store,
        settings,
        [
            (WIRE, "meridian/ferry.txt", "Meridian Wire", "2026-03-03T08:00:00Z"),
            (OTHER, "gazette/flood.txt", "Westhaven Gazette", "2026-03-03T09:00:00Z"),
            ("Tarn Island ferry suspended", "a.txt", "Island Times", "2026-03-03T10:00:00Z"),
            (
                "Westhaven council doubles flood budget",
                "b.txt",
                "Bay Radio",
                "2026-03-03T11:00:00Z",
            ),
            ("Storm", "c.txt", "Island Times", "2026-03-03T12:00:00Z"),
        ],
    )
    assert _derivations(store) == []


def test_boilerplate_left_in_by_mistake_makes_no_edges(store: Store, settings: Settings) -> None:
    _store_with(
        store,
        settings,
        [
            (WIRE + FOOTER, "gazette/ferry.txt", "Westhaven Gazette", "2026-03-03T08:00:00Z"),
            (OTHER + FOOTER, "gazette/flood.txt", "Westhaven Gazette", "2026-03-03T09:00:00Z"),
            (SCHOOL + FOOTER, "bay/school.txt", "Bay Herald", "2026-03-04T09:00:00Z"),
        ],
    )
    assert _derivations(store) == []


def test_reports_on_one_pattern_with_other_figures_are_not_copies(
    store: Store, settings: Settings
) -> None:
    _store_with(
        store,
        settings,
        [
            (MARCH, "stats/march.txt", "Westhaven Gazette", "2026-04-03T08:00:00Z"),
            (APRIL, "stats/april.txt", "Westhaven Gazette", "2026-05-01T08:00:00Z"),
        ],
    )
    assert _derivations(store) == []
    # The same report twice is a duplicate, figures and all.
    _store_with(
        store,
        settings,
        [
            (
                MARCH + "\nRead more\n",
                "stats/march-2.txt",
                "Westhaven Gazette",
                "2026-04-03T09:00:00Z",
            )
        ],
    )
    [edge] = _derivations(store)
    assert edge.kind == "duplicate"
    assert _source(store, edge.source_doc) == "stats/march.txt"


def test_a_document_added_later_finds_its_stored_source(store: Store, settings: Settings) -> None:
    _store_with(
        store,
        settings,
        [
            (WIRE, "meridian/ferry.txt", "Meridian Wire", "2026-03-03T08:00:00Z"),
            (OTHER, "gazette/flood.txt", "Westhaven Gazette", "2026-03-03T09:00:00Z"),
        ],
    )
    assert _derivations(store) == []
    _store_with(
        store, settings, [(REWRITE, "briefly/ferry.txt", "Briefly News", "2026-03-04T07:00:00Z")]
    )
    [edge] = _derivations(store)
    assert (_source(store, edge.source_doc), _source(store, edge.derived_doc)) == (
        "meridian/ferry.txt",
        "briefly/ferry.txt",
    )
    assert edge.kind == "rewrite"


def test_an_original_arriving_late_becomes_the_source_of_its_copies(
    store: Store, settings: Settings
) -> None:
    copy = WIRE + "\nCopyright 2026 The Island Times. All rights reserved.\n"
    _store_with(
        store,
        settings,
        [
            (copy, "islandtimes/ferry.txt", "Island Times", "2026-03-03T12:00:00Z"),
            (WIRE + "\nShare this story\n", "bay/ferry.txt", "Bay Herald", "2026-03-03T10:00:00Z"),
        ],
    )
    [edge] = _derivations(store)
    assert _source(store, edge.source_doc) == "bay/ferry.txt"
    _store_with(
        store, settings, [(WIRE, "meridian/ferry.txt", "Meridian Wire", "2026-03-03T08:00:00Z")]
    )
    edges = {
        (_source(store, e.source_doc), _source(store, e.derived_doc)) for e in _derivations(store)
    }
    assert edges == {
        ("meridian/ferry.txt", "bay/ferry.txt"),
        ("meridian/ferry.txt", "islandtimes/ferry.txt"),
    }


def test_an_index_made_another_way_is_made_again(store: Store, settings: Settings) -> None:
    _store_with(
        store, settings, [(WIRE, "meridian/ferry.txt", "Meridian Wire", "2026-03-03T08:00:00Z")]
    )
    with store._write() as conn:
        conn.exec_driver_sql("DELETE FROM lineage_keys")
        conn.exec_driver_sql("UPDATE storyline_meta SET value = 'old' WHERE key = 'lineage_scheme'")
    _store_with(
        store, settings, [(REWRITE, "briefly/ferry.txt", "Briefly News", "2026-03-04T07:00:00Z")]
    )
    [edge] = _derivations(store)
    assert _source(store, edge.source_doc) == "meridian/ferry.txt"
    assert store.lineage_scheme() == lineage.SCHEME


def test_a_store_with_the_old_text_keys_is_migrated(sqlite_settings: Settings) -> None:
    settings = sqlite_settings
    with open_store(settings.db, settings) as store:
        store.add_documents(
            [make_document(WIRE, "meridian/ferry.txt", settings, outlet="Meridian Wire")]
        )
    with sqlite3.connect(settings.db) as conn:
        conn.executescript(
            """
            DROP TABLE lineage_keys;
            CREATE TABLE lineage_keys (key TEXT, doc TEXT, PRIMARY KEY (key, doc));
            CREATE INDEX lineage_keys_doc ON lineage_keys (doc);
            ALTER TABLE signatures DROP COLUMN keys;
            UPDATE storyline_meta SET value = '6' WHERE key = 'schema_version';
            """
        )
        doc = conn.execute("SELECT id FROM documents").fetchone()[0]
        conn.execute("INSERT INTO lineage_keys VALUES ('3:0123456789ab', ?)", (doc,))
        conn.execute("INSERT INTO signatures (doc, signature) VALUES (?, x'00')", (doc,))
    with open_store(settings.db, settings) as store:
        _store_with(store, settings, [(REWRITE, "briefly/ferry.txt", "Briefly News", None)])
        [edge] = _derivations(store)
        assert _source(store, edge.source_doc) == "meridian/ferry.txt"


def _synthetic(records: list[dict[str, str]]) -> list[Document]:
    """Synthetic articles as cleaning would leave them, paragraphs as sentences."""
    docs = []
    for record in records:
        text = record["text"].rsplit("\n\n©", 1)[0]
        spans, pos = [], 0
        for part in text.split("\n"):
            if part.strip():
                spans.append(Sentence(pos, pos + len(part)))
            pos += len(part) + 1
        docs.append(
            Document(
                id=document_id(text),
                source=record["url"],
                raw_text=text,
                text=text,
                outlet=record["outlet"],
                published=record["published"],
                sentences=spans,
            )
        )
    return docs


@pytest.mark.slow
def test_articles_arriving_in_batches_get_the_edges_of_one_run(tmp_path: Path) -> None:
    records = [record for record, _ in generate(600, 30, seed=3)]

    def edges(name: str, parts: list[list[dict[str, str]]]) -> set[tuple[str, str, str]]:
        settings = load_settings(environ={}, db=str(tmp_path / name))
        with open_store(settings.db, settings) as store:
            for part in parts:
                docs = _synthetic(part)
                store.add_documents(docs)
                lineage.run(store, [d.id for d in docs], settings)
            source = {d.id: d.source for d in store.iter_documents(mentions=False)}
            return {
                (source[e.source_doc], source[e.derived_doc], e.kind)
                for e in store.iter_derivations()
            }

    at_once = edges("once.db", [records])
    assert len(at_once) > 50
    assert edges("batches.db", [records[:250], records[250:251], records[251:]]) == at_once
