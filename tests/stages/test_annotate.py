from __future__ import annotations

from collections import Counter

from storyline.settings import Settings
from storyline.stages import annotate
from storyline.stages.ingest.build import make_document
from storyline.store import open_store
from tests.fixtures import FRENCH_ARTICLE, HEADLINE_ARTICLE


def test_sentences_and_entities_are_offsets_into_the_text(settings: Settings) -> None:
    doc = make_document(HEADLINE_ARTICLE, "ferry.txt", settings)
    [done] = list(annotate.build(settings)([doc]))
    assert len(done.sentences) >= 5
    assert all(0 <= s.start < s.end <= len(doc.text) for s in done.sentences)
    assert [a.start for a in done.sentences] == sorted(a.start for a in done.sentences)
    for m in done.mentions:
        assert doc.text[m.start : m.end] == m.text
    found = {(m.text, m.label) for m in done.mentions}
    assert ("Ruth Okafor", "PERSON") in found
    assert ("Tarn Ferries", "ORG") in found or ("Tarn Ferries", "PERSON") in found
    assert not any(m.label in {"DATE", "CARDINAL"} for m in done.mentions)


def test_same_name_and_type_is_one_entity(settings: Settings) -> None:
    docs = [
        make_document(HEADLINE_ARTICLE, "a.txt", settings),
        make_document(
            HEADLINE_ARTICLE + "\nRuth Okafor declined to comment further.", "b", settings
        ),
    ]
    done = list(annotate.build(settings)(docs))
    ids = {m.entity for d in done for m in d.mentions if m.text == "Ruth Okafor"}
    assert len(ids) == 1


def test_documents_in_other_languages_are_passed_through_unannotated(settings: Settings) -> None:
    docs = [
        make_document(FRENCH_ARTICLE, "fr.txt", settings),
        make_document(HEADLINE_ARTICLE, "en.txt", settings),
    ]
    done = {d.source: d for d in annotate.build(settings)(docs)}
    assert set(done) == {"fr.txt", "en.txt"}
    assert done["fr.txt"].sentences == [] and done["fr.txt"].mentions == []
    assert done["en.txt"].sentences


def test_seed_articles_name_the_people_and_places_a_reader_sees(seed_settings: Settings) -> None:
    with open_store(seed_settings.db, seed_settings, read_only=True) as store:
        docs = list(store.iter_documents())
    assert len(docs) == 5
    assert all(d.sentences and d.mentions for d in docs)
    names = Counter((m.text, m.label) for d in docs for m in d.mentions)
    assert names[("Vladimir Putin", "PERSON")] >= 3
    assert names[("Pyongyang", "GPE")] >= 3
    assert names[("Chang Ho-jin", "PERSON")] >= 1
