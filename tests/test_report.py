from __future__ import annotations

from pathlib import Path

from storyline.executors.local import analyze
from storyline.report import render_story, write_report
from storyline.settings import Settings
from storyline.stages.ingest.build import make_document
from storyline.store import Store, open_store
from tests.fixtures import HEADLINE_ARTICLE, HOSTILE_ARTICLE


def test_article_text_cannot_inject_markup(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    store.add_documents(
        [
            make_document(HOSTILE_ARTICLE, "x.txt", settings, title="<b>Board</b> resigns"),
            make_document(HEADLINE_ARTICLE, "y.txt", settings),
        ]
    )
    analyze(store, settings)
    index = write_report(store, tmp_path / "out")
    html = index.read_text()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "&lt;b&gt;Board&lt;/b&gt; resigns" in html
    assert '<mark class="ent person" title="PERSON">Ruth Okafor</mark>' in html


def test_brief_lists_documents_and_entities(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    store.add_documents([make_document(HEADLINE_ARTICLE, "y.txt", settings, outlet="Gazette")])
    analyze(store, settings)
    write_report(store, tmp_path / "out")
    brief = (tmp_path / "out" / "brief.md").read_text()
    assert "1 document from 1 known outlet" in brief
    assert "- Ruth Okafor (PERSON): 1 document\n" in brief
    assert "**Ferry service to Tarn Island suspended after storm damage** · Gazette" in brief


def test_removed_junk_is_listed_with_its_kind(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    footer = "\nComments\n\nCopyright 2026 Tarn Ferries Ltd. All rights reserved.\n"
    text = HEADLINE_ARTICLE + footer
    store.add_documents([make_document(text, "y.txt", settings)])
    analyze(store, settings)
    html = write_report(store, tmp_path / "out").read_text()
    assert '<span class="kind">ui</span> Comments</li>' in html
    assert '<span class="kind">copyright</span> Copyright 2026 Tarn Ferries Ltd.' in html


def test_every_story_has_its_own_brief_file_linked_from_both_reports(
    demo_settings: Settings, tmp_path: Path
) -> None:
    with open_store(demo_settings.db, demo_settings, read_only=True) as store:
        index = write_report(store, tmp_path / "out")
        stories = list(store.iter_stories())
        alone = {s.id: render_story(store, s.id, "md") for s in stories}
    html = index.read_text()
    brief = (tmp_path / "out" / "brief.md").read_text()
    assert len(stories) == 4
    assert {p.name for p in (tmp_path / "out" / "stories").iterdir()} == {
        f"{s.id}.md" for s in stories
    }
    for story in stories:
        text = (tmp_path / "out" / "stories" / f"{story.id}.md").read_text()
        assert text == alone[story.id]
        assert text.startswith(f"**{story.label}**") and "\n1. " in text
        assert f'<a href="stories/{story.id}.md">brief.md</a>' in html
        assert f"(stories/{story.id}.md)" in brief
