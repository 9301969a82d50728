"""Temporal expressions and publication date estimates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from storyline.model import Document, Event, Removal, Sentence, SentenceRef, Timex
from storyline.settings import Settings
from storyline.stages.dating import estimate, within
from storyline.stages.story_dating import narrow
from storyline.stages.timex import resolve
from storyline.store import open_store

FRIDAY = date(2024, 6, 21)


@pytest.mark.parametrize(
    ("text", "future", "value"),
    [
        ("Thursday", False, "2024-06-20"),
        ("late on Thursday", False, "2024-06-20"),
        ("Friday", False, "2024-06-21"),
        ("Monday", True, "2024-06-24"),
        ("last Friday", False, "2024-06-14"),
        ("June 19", False, "2024-06-19"),
        ("July 2", True, "2024-07-02"),
        ("Jan. 3", False, "2024-01-03"),
        ("last month", False, "2024-05"),
        ("October 2023", False, "2023-10"),
        ("2019", False, "2019"),
        ("yesterday", False, "2024-06-20"),
        ("next week", False, "2024-W26"),
        ("four days", False, "P4D"),
        ("16 hours", False, "PT16H"),
        ("two weeks ago", False, "2024-06-07"),
        ("the 1990s", False, "199"),
    ],
)
def test_expressions_resolve_against_the_anchor(text: str, future: bool, value: str) -> None:
    resolved = resolve(text, FRIDAY, future)
    assert resolved is not None and resolved.value == value


def test_without_an_anchor_only_dated_expressions_resolve() -> None:
    assert resolve("Thursday", None) is None
    found = resolve("June 19, 2024", None)
    assert found is not None and found.value == "2024-06-19"


def _doc(text: str, removed: list[Removal] | None = None) -> Document:
    return Document("d", "t.txt", text, text, removed=removed or [])


def test_estimate_from_a_named_date_and_later_weekdays() -> None:
    doc = _doc("The pact was signed on Wednesday. On Thursday, Seoul said it would reconsider.")
    found = [Timex(0, 0, "June 19, 2024", "2024-06-19", "day", 0.9)]
    result = estimate(doc, found)
    assert result.published == "2024-06-20"
    assert "June 19, 2024" in result.evidence and "weekdays" in result.evidence


def test_copyright_year_is_only_an_upper_bound() -> None:
    doc = _doc(
        "In 2023, officials warned of the risk.",
        [Removal(40, 60, "copyright", "© 2025 Example Media. All rights reserved.")],
    )
    result = estimate(doc, [Timex(3, 7, "2023", "2023", "year", 0.95)])
    assert result.published is None
    assert "not before 2023" in result.evidence and "2025 is an upper bound" in result.evidence


def test_a_year_used_as_a_modifier_is_not_a_date() -> None:
    doc = _doc("Seoul agreed to its 2026 contribution on Monday.")
    result = estimate(doc, [Timex(20, 24, "2026", "2026", "year", 0.95)])
    assert result.published is None and "2026" not in result.evidence


def test_seed_dates_are_estimated_with_evidence_and_never_invented(
    seed_settings: Settings,
) -> None:
    with open_store(seed_settings.db, seed_settings, read_only=True) as store:
        docs = {Path(d.source).name[:3]: d for d in store.iter_documents()}
    for doc in docs.values():
        assert doc.published_evidence
    assert docs["002"].published == "2024-06-20"  # a caption dates the photo 19 June
    assert docs["003"].published is None or not docs["003"].published.startswith("2025")
    november = docs["004"]
    assert november.published is None or november.published.startswith("2024-11")
    assert november.published is not None or "not dated" in (november.published_evidence or "")


def test_dated_seeds_resolve_weekdays(
    seeds_dir: Path, store: object, settings: Settings, tmp_path: Path
) -> None:
    import json

    from storyline.executors.local import analyze
    from storyline.workflow import ingest

    path = sorted(seeds_dir.glob("000_*.txt"))[0]
    jsonl = tmp_path / "ft.jsonl"
    record = {"text": path.read_text(encoding="utf-8"), "published": "2024-06-21"}
    jsonl.write_text(json.dumps(record) + "\n", encoding="utf-8")
    ingest([jsonl], store, settings)  # type: ignore[arg-type]
    analyze(store, settings)  # type: ignore[arg-type]
    [doc] = store.iter_documents()  # type: ignore[attr-defined]
    values = {t.text: t.value for t in doc.times}
    assert values["Thursday"] == "2024-06-20"
    assert values["Friday"] == "2024-06-21"
    assert doc.published_evidence == "input metadata"


def _told(doc: str, sentence: int, date: str | None, action: str = "sign accord") -> Event:
    granularity = "day" if date else None
    return Event(
        f"{doc}{sentence}", "AGREE", "chile", "peru", action, date, granularity, None,
        [SentenceRef(doc, sentence)],
    )  # fmt: skip


def _story_doc(doc_id: str, text: str, events: list[Event], **fields: object) -> Document:
    doc = Document(doc_id, f"{doc_id}.txt", text, text, **fields)  # type: ignore[arg-type]
    doc.sentences = [Sentence(0, len(text))]
    doc.events = events
    return doc


NAMES = {"chile": ["Chile"], "peru": ["Peru"]}


def test_story_mates_narrow_an_undated_document() -> None:
    mate = _story_doc(
        "m", "Chile and Peru signed the accord.", [_told("m", 0, "2024-06-19")],
        published="2024-06-20", outlet="Lima Daily",
    )  # fmt: skip
    undated = _story_doc(
        "u", "Chile signed a fishing accord with Peru on Wednesday.", [_told("u", 0, None)]
    )
    found = narrow(undated, [mate], NAMES)
    assert found is not None and found.published == "2024-06-19"
    assert "estimated from its story" in found.evidence and "Lima Daily" in found.evidence
    assert "between 2024-06-19 and 2024-06-25" in found.evidence


@pytest.mark.parametrize(
    ("text", "mate_day", "action"),
    [
        # the mate's day is not the weekday this document names
        ("Chile signed the accord with Peru on Thursday.", "2024-06-19", "sign accord"),
        # the sentence looks forward: the weekday is not in the past week
        ("Chile will sign the accord with Peru on Wednesday.", "2024-06-19", "sign accord"),
        # another happening between the same parties (a ratification is no signing)
        ("Chile ratified the accord with Peru on Wednesday.", "2024-06-19", "ratify"),
    ],
)
def test_story_mates_do_not_narrow_on_other_events(text: str, mate_day: str, action: str) -> None:
    mate = _story_doc("m", "Chile and Peru signed the accord.", [_told("m", 0, mate_day)])
    undated = _story_doc("u", text, [_told("u", 0, None, action)])
    assert narrow(undated, [mate], NAMES) is None


def test_a_story_window_must_agree_with_what_the_document_says() -> None:
    mate = _story_doc("m", "Chile and Peru signed.", [_told("m", 0, "2024-06-19")])
    footer = [Removal(60, 90, "copyright", "© 2023 Lima Daily")]
    undated = _story_doc(
        "u", "Chile signed a fishing accord with Peru on Wednesday.", [_told("u", 0, None)],
        removed=footer,
    )  # fmt: skip
    assert narrow(undated, [mate], NAMES) is None
    found = within(undated, [], date(2022, 3, 1), date(2022, 3, 7), "a reason")
    assert found is not None and found.published == "2022-03-01"


@pytest.mark.slow
def test_seed_story_mates_date_an_undated_seed(seeds_dir: Path, tmp_path: Path) -> None:
    """The FT article and the November one without dates, the rest with a reader's."""
    import json

    from storyline.executors.local import analyze
    from storyline.settings import load_settings
    from storyline.workflow import ingest
    from tests.conftest import SEED_DATES

    jsonl = tmp_path / "seeds.jsonl"
    with jsonl.open("w", encoding="utf-8") as fh:
        for path in sorted(seeds_dir.glob("*.txt")):
            key = path.name[:3]
            record = {"text": path.read_text(encoding="utf-8"), "url": f"seed:{key}"}
            if key not in ("000", "004"):
                record["published"] = SEED_DATES[key]
            fh.write(json.dumps(record) + "\n")
    settings = load_settings(environ={}, db=str(tmp_path / "s.db"))
    with open_store(settings.db, settings) as store:
        ingest([jsonl], store, settings)
        analyze(store, settings)
        docs = {d.source: d for d in store.iter_documents()}
    ft = docs["seed:000"]
    assert ft.published == SEED_DATES["000"]
    assert (ft.published_evidence or "").startswith("estimated from its story")
    assert {t.value for t in ft.times if t.text == "Thursday"} == {"2024-06-20"}
    november = docs["seed:004"]
    assert november.published is None or november.published.startswith("2024-11")
