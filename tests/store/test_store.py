"""Every store (SQLite and PostgreSQL): idempotent, transactional, searchable."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, create_engine, inspect, text

from storyline.errors import (
    StoreError,
    StoreReadOnlyError,
    StoreVersionError,
)
from storyline.model import Document, Sentence
from storyline.settings import Settings
from storyline.stages.ingest.build import make_document
from storyline.store import Store, is_postgres, open_store
from storyline.store.postgres import engine_url
from tests.fixtures import FRENCH_ARTICLE, HEADLINE_ARTICLE, PARAGRAPH_FIRST


def _doc(settings: Settings, text: str, source: str = "a.txt", **meta: str) -> Document:
    return make_document(text, source, settings, **meta)


def _texts(store: Store) -> list[str]:
    return [d.text for d in store.iter_documents()]


def test_ingest_is_idempotent(store: Store, settings: Settings) -> None:
    docs = [_doc(settings, HEADLINE_ARTICLE), _doc(settings, PARAGRAPH_FIRST, "b.txt")]
    first = store.add_documents(docs)
    second = store.add_documents(docs)
    assert len(first.added) == 2 and first.existing == []
    assert second.added == [] and sorted(second.existing) == sorted(first.added)
    assert store.stats().documents == 2


def test_same_text_from_another_source_is_one_document(store: Store, settings: Settings) -> None:
    store.add_documents([_doc(settings, HEADLINE_ARTICLE, "https://a.example/1", outlet="A")])
    reflowed = HEADLINE_ARTICLE.replace("\n\n", "\n  \n").replace(" the ", "  the ")
    result = store.add_documents([_doc(settings, reflowed, "https://b.example/9", outlet="B")])
    assert result.added == [] and len(result.existing) == 1
    [doc] = store.iter_documents()
    assert doc.source == "https://a.example/1"
    assert [(s.source, s.outlet) for s in doc.other_sources] == [("https://b.example/9", "B")]


def test_a_failing_batch_leaves_the_store_as_it_was(store: Store, settings: Settings) -> None:
    store.add_documents([_doc(settings, HEADLINE_ARTICLE)])
    good = _doc(settings, PARAGRAPH_FIRST, "b.txt")
    broken = _doc(settings, FRENCH_ARTICLE, "c.txt")
    broken.source = None  # type: ignore[assignment]  # violates NOT NULL mid-batch
    with pytest.raises(StoreError):
        store.add_documents([good, broken])
    assert _texts(store) == [HEADLINE_ARTICLE]


def test_read_only_store_refuses_writes(store: Store, settings: Settings) -> None:
    store.add_documents([_doc(settings, HEADLINE_ARTICLE)])
    with open_store(settings.db, settings, read_only=True) as reader:
        assert reader.stats().documents == 1
        with pytest.raises(StoreReadOnlyError, match="read-only"):
            reader.add_documents([_doc(settings, PARAGRAPH_FIRST, "b.txt")])
    assert _texts(store) == [HEADLINE_ARTICLE]


def _raw(settings: Settings) -> Engine:
    """A plain connection to the store's database, behind storyline's back."""
    if is_postgres(settings.db):
        return create_engine(engine_url(settings.db))
    return create_engine(f"sqlite:///{settings.db}")


def test_newer_schema_is_refused_untouched(store: Store, settings: Settings) -> None:
    store.add_documents([_doc(settings, HEADLINE_ARTICLE)])
    store.close()
    raw = _raw(settings)
    with raw.begin() as conn:
        conn.execute(text("UPDATE storyline_meta SET value = '99' WHERE key = 'schema_version'"))
    with pytest.raises(StoreVersionError, match="v99, written by a newer storyline"):
        open_store(settings.db, settings)
    with pytest.raises(StoreVersionError):
        open_store(settings.db, settings, read_only=True)
    with raw.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM documents")).scalar() == 1
    raw.dispose()


def test_foreign_database_is_refused_untouched(settings: Settings) -> None:
    raw = _raw(settings)
    with raw.begin() as conn:
        conn.execute(text("CREATE TABLE notes (body TEXT)"))
    with pytest.raises(StoreVersionError, match="not a storyline database"):
        open_store(settings.db, settings)
    assert inspect(raw).get_table_names() == ["notes"]
    raw.dispose()


def test_search_finds_names_with_punctuation_and_phrases(store: Store, settings: Settings) -> None:
    store.add_documents(
        [
            _doc(settings, HEADLINE_ARTICLE, title="Ferry service suspended"),
            _doc(settings, PARAGRAPH_FIRST, "b.txt"),
        ]
    )
    [hit] = store.search("Tarn-Island ferry")
    assert hit.title == "Ferry service suspended"
    assert "«ferry»" in hit.snippet.casefold()
    assert [h.title for h in store.search('"flood barriers"')] == [None]
    assert store.search('"barriers flood"') == []
    assert store.search('"') == []
    assert [h.title for h in store.search("ferry\x00 island\x1b")] == ["Ferry service suspended"]


def test_search_index_follows_text_updates(store: Store, settings: Settings) -> None:
    doc = _doc(settings, HEADLINE_ARTICLE)
    store.add_documents([doc])
    doc.text = doc.text.replace("Westhaven", "Eastmoor")
    doc.sentences = [Sentence(0, 10)]
    store.save_annotations([doc], "v-test")
    assert store.search("Westhaven") == []
    assert len(store.search("Eastmoor")) == 1
    assert store.pending_ids("v-test") == []
    assert store.pending_ids("v-next") == [doc.id]


def test_same_text_twice_in_one_batch_keeps_the_first_source(
    store: Store, settings: Settings
) -> None:
    store.add_documents(
        [
            _doc(settings, HEADLINE_ARTICLE, "https://a.example/1"),
            _doc(settings, HEADLINE_ARTICLE, "https://a.example/2"),
        ]
    )
    [doc] = store.iter_documents()
    assert doc.source == "https://a.example/1"
    assert [s.source for s in doc.other_sources] == ["https://a.example/2"]
