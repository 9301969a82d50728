"""The parties of an event: which entity a phrase of the parse stands for.

A phrase stands for the name at its head (cut to the phrase when the NER
model ran it on into the verb: "the Ministry of Water fined"), else its
possessor ("Northgate's board" is Northgate's), else a name inside it
("members of the HDWU", "Calder city councillors"); a facility ("the
Ferris Point intake") is no one, whatever name it carries. A person named
with the organisation they serve ("HCT chief executive Terence Oduya",
"Oleksandr Dovzhenko, Northgate's director of operations") acts for it. A
pronoun stands for its antecedent. A common noun that names no one may be
described by the rest of the document ("the union", "members", "the
spill", "the inquiry": ``descriptions``); failing that, a party with a role
("soldiers", "protesters") has no entity, and a target called by a kind of
place or act ("the city", "a pay offer") keeps that noun for the story to
resolve.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storyline.model import Document, Mention
from storyline.stages.actors import Affiliation, affiliation, head_role, phrase
from storyline.stages.descriptions import Descriptions
from storyline.stages.event_lexicon import event_nouns, kind_of
from storyline.stages.names import covering, named, place_before_noun, unnamed

PLACES = frozenset({"GPE", "LOC", "FAC"})
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
# Dependents of a person's name that may carry the organisation they serve.
_TITLES = frozenset({"compound", "nmod", "amod"})


@dataclass(frozen=True, slots=True)
class Party:
    """An actor or target: its entity (None when the phrase names none), its
    affiliation, and what it is called when it names no entity and the story
    may tell who it is (``noun``)."""

    entity: str | None
    affiliation: Affiliation
    noun: str | None = None


NO_PARTY = Party(None, Affiliation())


def _acronym(token: Any) -> bool:
    return bool(token.pos_ == "PROPN" and len(token.text) > 1 and token.text.isupper())


def _served(head: Any, doc: Document) -> Mention | None:
    """The organisation a named person serves, by the title beside the name: "HCT
    chief executive Terence Oduya", "Dovzhenko, Northgate's director"."""
    titles = [c for c in head.children if c.dep_ in _TITLES and c.i < head.i]
    titles += [g for t in list(titles) for g in t.children if g.dep_ in _TITLES]
    if any(t.pos_ == "NOUN" for t in titles):
        for title in titles:
            at = covering(title, doc.mentions)
            if (at is not None and at.label == "ORG") or (at is None and _acronym(title)):
                return named(doc, title)
    for appos in (c for c in head.children if c.dep_ == "appos" and c.pos_ == "NOUN"):
        owners = [c for c in appos.children if c.dep_ == "poss"]
        owners += [
            g for p in appos.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children
        ]
        for owner in owners:
            found = named(doc, owner)
            if found is not None and found.label == "ORG":
                return found
    return None


def _name_heads(head: Any, doc: Document) -> list[Any]:
    """The words of a phrase that head a name (not the words inside a longer
    name), in the order of the text."""
    found = []
    for token in sorted(phrase(head)[1:], key=lambda t: t.i):
        at = covering(token, doc.mentions)
        if at is not None and at is covering(token.head, doc.mentions):
            continue  # a word inside a longer name
        before_name = token.head.pos_ == "PROPN" and token.i < token.head.i
        if before_name and covering(token.head, doc.mentions) is None:
            continue  # part of the name its head ends ("Sierra" of "Sierra Leonean")
        if at is not None and at.label not in ACTOR_LABELS:
            continue
        if at is not None or unnamed(token, doc.mentions) or place_before_noun(token, doc.mentions):
            found.append(token)
    return found


def mention_of(head: Any, doc: Document) -> Mention | None:
    """The mention a phrase stands for: at its head, else its possessor, else the
    name the head itself is, else a name inside it (people first, then
    organisations, then places)."""
    at_head = named(doc, head) if covering(head, doc.mentions) is not None else None
    if at_head is not None and at_head.label in ACTOR_LABELS:
        if at_head.label == "PERSON":
            return _served(head, doc) or at_head
        return at_head
    owner = next((c for c in head.children if c.dep_ == "poss"), None)
    if owner is not None:
        found = mention_of(owner, doc)
        if found is not None:
            return found
    if unnamed(head, doc.mentions):
        return named(doc, head)
    if kind_of(head) == "facility":
        return None
    inside = [m for t in _name_heads(head, doc) if (m := named(doc, t)) is not None]
    for labels in ({"PERSON"}, {"ORG"}, PLACES | {"NORP"}):
        chosen = [m for m in inside if m.label in labels]
        if chosen:
            return chosen[0]
    return None


def antecedent(pronoun: Any) -> Any | None:
    """Who "it" or "they" is in "Hungary said it will support": the subject of the
    verb whose reported clause holds the pronoun; "who" is the noun it follows."""
    if pronoun.tag_ in ("WP", "WDT") and pronoun.head.dep_ == "relcl":
        return pronoun.head.head
    clause = pronoun.head
    while clause.dep_ in ("xcomp", "conj", "aux", "acomp") and clause.head is not clause:
        clause = clause.head
    if clause.dep_ != "ccomp" or clause.head is clause:
        return None
    return next((c for c in clause.head.children if c.dep_ == "nsubj"), None)


def _noun(token: Any) -> str | None:
    """What the story may resolve: a kind of place ("the city", "the city's bill")
    or an act ("a pay offer": whoever made it)."""
    for word in (token, *(c for c in token.children if c.dep_ == "poss")):
        if kind_of(word) == "place":
            return str(word.lemma_.lower())
    if token.pos_ == "NOUN" and token.lemma_.lower() in event_nouns():
        return str(token.lemma_.lower())
    return None


# Determiners that bring in something new: "an independent inquiry" is not the
# inquiry the document spoke of before.
_INDEFINITE = frozenset({"a", "an", "another", "some", "any", "no"})


def _described(token: Any, about: Descriptions, target: bool) -> Mention | None:
    """The entity the rest of the document says a common noun phrase stands for:
    its own owner, or, for a phrase that refers back ("the spill", "members"),
    the owner the document gives such things."""
    kind = kind_of(token)
    found = about.organisation(token)
    if found is None and kind == "incident" and target:
        found = about.owner(token)
    if found is None and kind == "inquiry":
        found = about.owner(token, depth=1)
    if found is not None or any(
        c.dep_ == "det" and c.lower_ in _INDEFINITE for c in token.children
    ):
        return found
    if kind == "incident" and target:
        return about.incident_owner()
    if kind == "inquiry":
        return about.inquiry_owner()
    return about.earlier(token)


def parties(head: Any | None, about: Descriptions, *, target: bool = False) -> list[Party]:
    """Parties of a phrase and of the phrases conjoined with it ("Putin and Kim");
    only a target keeps a noun for the story to resolve."""
    doc = about.doc
    if head is not None and head.pos_ == "PRON":
        head = antecedent(head)
    if head is None:
        return []
    heads = [head, *(c for c in head.children if c.dep_ == "conj")]
    found: list[Party] = []
    for token in heads:
        mention = mention_of(token, doc)
        if mention is None and token.pos_ == "NOUN":
            mention = _described(token, about, target)
        noun = _noun(token) if mention is None and target else None
        if mention is None and noun is None and head_role(token) is None:
            continue
        party = Party(
            mention.entity if mention else None, affiliation(token, mention, doc.mentions)
        )
        if noun is not None:
            party = Party(None, party.affiliation, noun)
        if party.entity is None or party.entity not in {p.entity for p in found}:
            found.append(party)
    return found
