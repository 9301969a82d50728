from __future__ import annotations

import json
from pathlib import Path

from storyline.settings import Settings
from tests.conftest import read_all, write
from tests.fixtures import FRENCH_ARTICLE, HEADLINE_ARTICLE, PARAGRAPH_FIRST


def test_metadata_is_taken_from_the_record(tmp_path: Path, settings: Settings) -> None:
    record = {
        "text": HEADLINE_ARTICLE,
        "url": "https://westhaven-gazette.example/ferry",
        "title": "Ferry suspended",
        "outlet": "Westhaven Gazette",
        "published": "2026-03-03T10:15:00+02:00",
        "language": "en",
    }
    path = write(tmp_path / "a.jsonl", json.dumps(record) + "\n")
    [doc], problems = read_all([path], settings)
    assert problems == []
    assert doc.source == "https://westhaven-gazette.example/ferry"
    assert doc.title == "Ferry suspended"
    assert doc.outlet == "Westhaven Gazette"
    assert doc.published == "2026-03-03T08:15:00+00:00"
    assert doc.published_evidence == "input metadata"


def test_a_record_without_url_is_named_by_file_and_line(tmp_path: Path, settings: Settings) -> None:
    path = write(tmp_path / "a.jsonl", "\n" + json.dumps({"text": PARAGRAPH_FIRST}) + "\n")
    [doc], _ = read_all([path], settings)
    assert doc.source == f"{path}#2"
    assert doc.language == "en"


def test_bad_lines_are_reported_by_number_and_the_rest_is_read(
    tmp_path: Path, settings: Settings
) -> None:
    lines = [
        json.dumps({"text": HEADLINE_ARTICLE}),
        '{"text": "unterminated',
        json.dumps(["not", "an", "object"]),
        json.dumps({"title": "no text"}),
        json.dumps({"text": PARAGRAPH_FIRST, "outlet": 42}),
        json.dumps({"text": FRENCH_ARTICLE}),
    ]
    path = write(tmp_path / "mixed.jsonl", "\n".join(lines) + "\n")
    docs, problems = read_all([path], settings)
    assert [d.language for d in docs] == ["en", "fr"]
    assert [p.source for p in problems] == [f"{path}:{n}" for n in (2, 3, 4, 5)]
    assert all(p.rejected for p in problems)
    assert "malformed JSON" in problems[0].message
    assert "'outlet' must be a string" in problems[3].message


def test_unreadable_date_is_dropped_with_a_warning(tmp_path: Path, settings: Settings) -> None:
    path = write(
        tmp_path / "a.jsonl", json.dumps({"text": HEADLINE_ARTICLE, "published": "soonish"})
    )
    [doc], [problem] = read_all([path], settings)
    assert doc.published is None
    assert not problem.rejected and "published" in problem.message


def test_invalid_utf8_line_is_rejected_alone(tmp_path: Path, settings: Settings) -> None:
    good = json.dumps({"text": HEADLINE_ARTICLE}).encode()
    path = write(tmp_path / "a.jsonl", b'{"text": "caf\xe9 \xff"}\n' + good + b"\n")
    docs, [problem] = read_all([path], settings)
    assert len(docs) == 1
    assert problem.source == f"{path}:1"
