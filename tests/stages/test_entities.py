"""Canonical entities on the seeds and on names written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.model import Document, Entity, Mention
from storyline.settings import Settings
from storyline.stages.entities import canonicalize, fold, lexicon
from storyline.store import open_store


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kim Jong-un", "Kim Jong Un"),
        ("Yoon Suk Yeol", "Yoon Suk-yeol"),
        ("Oleksandr Dovzhenko", "Olexandr Dovzhenko"),
        ("North Korea’s", "North Korea"),
        ("Mr Chang", "Chang"),
        ("the United Nations", "United Nations"),
        ("SEOUL", "Seoul"),
    ],
)
def test_spelling_variants_fold_to_one_key(a: str, b: str) -> None:
    assert fold(a) == fold(b)


@pytest.mark.parametrize(("a", "b"), [("Kim Jong Un", "Kim Yo Jong"), ("Lee", "Leeds")])
def test_different_names_stay_apart(a: str, b: str) -> None:
    assert fold(a) != fold(b)


def _doc(text: str, spans: list[tuple[str, str]]) -> Document:
    """A document with NER-like mentions at the first occurrence of each text."""
    mentions, pos = [], 0
    for surface, label in spans:
        start = text.index(surface, pos)
        mentions.append(Mention("d", start, start + len(surface), surface, label, ""))
        pos = start + 1
    return Document("d", "t.txt", text, text, mentions=mentions)


def test_short_and_titled_forms_take_the_full_name() -> None:
    text = (
        "Harbour master Ruth Okafor closed the port. Ms Okafor said the storm was the worst"
        " in years, and Okafor’s deputy agreed."
    )
    doc = canonicalize(
        _doc(text, [("Ruth Okafor", "PERSON"), ("Okafor", "ORG"), ("Okafor’s", "PERSON")]),
        lexicon(),
    )
    assert len({m.entity for m in doc.mentions}) == 1
    assert {m.label for m in doc.mentions} == {"PERSON"}
    assert "Ms Okafor" in [m.text for m in doc.mentions]
    [possessive] = [m for m in doc.mentions if text[m.end] == "’"]
    assert possessive.text == "Okafor"


def test_a_title_makes_a_person_and_finds_the_full_name_the_model_missed() -> None:
    text = (
        "Union secretary Siobhan Kearney spoke first. Carys Penhallow, who runs Vantry,"
        " answered. Ms Kearney said no. Ms Penhallow said yes, and Yesterday Penhallow"
        " was not a name: yesterday was Tuesday."
    )
    doc = canonicalize(
        _doc(text, [("Siobhan Kearney", "ORG"), ("Vantry", "ORG"), ("Ms Penhallow", "PERSON")]),
        lexicon(),
    )
    people = {m.text: m.entity for m in doc.mentions if m.label == "PERSON"}
    assert people["Siobhan Kearney"] == people["Ms Kearney"]
    assert people["Carys Penhallow"] == people["Ms Penhallow"]
    assert "Yesterday Penhallow" not in people
    assert "Vantry" not in people


def test_two_names_joined_by_a_hyphen_are_split_and_resolved() -> None:
    text = "Tarn Ferries boss Ruth Okafor met Piet Larsen. The Okafor-Larsen deal was signed."
    doc = canonicalize(
        _doc(
            text,
            [("Ruth Okafor", "PERSON"), ("Piet Larsen", "PERSON"), ("Okafor-Larsen", "PERSON")],
        ),
        lexicon(),
    )
    okafor, larsen, split_a, split_b = doc.mentions
    assert (split_a.text, split_b.text) == ("Okafor", "Larsen")
    assert split_a.entity == okafor.entity and split_b.entity == larsen.entity


def test_people_tagged_as_organisations_are_people() -> None:
    from storyline.settings import Settings
    from storyline.stages.annotate import load_model

    text = (
        "Among the passengers was Mabel Quist, a retired nurse who sails every week."
        " Tarn Ferries said it would refund every ticket. Quist said she would wait."
    )
    doc = _doc(text, [("Mabel Quist", "ORG"), ("Tarn Ferries", "ORG"), ("Quist", "ORG")])
    doc.parse = load_model(Settings().spacy_model)(text)
    labels = {m.text: m.label for m in canonicalize(doc, lexicon()).mentions}
    assert labels == {"Mabel Quist": "PERSON", "Tarn Ferries": "ORG", "Quist": "PERSON"}


def test_places_tagged_as_people_are_places_and_aliases_apply() -> None:
    text = "Officials in Kiev said Kyiv would respond, a source in Kyiv told the UN."
    doc = canonicalize(
        _doc(text, [("Kiev", "PERSON"), ("Kyiv", "PERSON"), ("Kyiv", "GPE"), ("UN", "ORG")]),
        lexicon(),
    )
    assert {m.label for m in doc.mentions[:3]} == {"GPE"}
    assert len({m.entity for m in doc.mentions[:3]}) == 1


def test_a_name_cut_short_by_the_model_is_completed() -> None:
    text = "President Yoon Suk-yeol said on Thursday that Yoon Suk Yeol’s office would decide."
    doc = canonicalize(_doc(text, [("Yoon Suk", "PERSON"), ("Yoon Suk Yeol", "PERSON")]), lexicon())
    assert doc.mentions[0].text == "Yoon Suk-yeol"
    assert doc.mentions[0].entity == doc.mentions[1].entity


def test_a_users_alias_file_extends_the_table(tmp_path: Path) -> None:
    extra = tmp_path / "aliases.tsv"
    extra.write_text("Tarn Ferries\tORG\tTarn Ferry Company|TFC\n", encoding="utf-8")
    lex = lexicon(str(extra))
    assert lex.aliases[fold("TFC")] == ("Tarn Ferries", "ORG")
    assert lex.aliases[fold("Kiev")] == ("Kyiv", "GPE")


def test_seed_entities_are_canonical(seed_settings: Settings) -> None:
    with open_store(seed_settings.db, seed_settings, read_only=True) as store:
        entities = list(store.iter_entities())
        docs = {Path(d.source).name[:3]: d for d in store.iter_documents()}

    def entity(*names: str) -> Entity:
        """The one entity that carries all these names."""
        [found] = [e for e in entities if set(names) <= {e.name, *e.aliases}]
        return found

    entity("Kim Jong Un", "Kim Jong-un")
    entity("Yoon Suk Yeol", "Yoon Suk-yeol")
    kyiv = entity("Kyiv", "Kiev")
    assert kyiv.type == "GPE"
    chang = entity("Chang Ho-jin", "Chang")
    assert any(m.doc == docs["000"].id and m.text == "Chang" for m in chang.mentions)
    assert len({m.doc for m in entity("Vladimir Putin", "Putin").mentions}) == 5
