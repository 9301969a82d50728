"""Events: who did what to whom, when and where, typed with PLOVER's event types.

From each sentence's dependency parse: a verb of the shipped lexicon
(``data/lexicons/event_verbs.tsv``: lemma, PLOVER type, the objects that
make it that type, e.g. "sign" + pact is AGREE), its subject as actor (the
agent of a passive), its object or the object of "with/against/to/on" as
target, a resolved temporal expression in the verb's clause as date, and a
place introduced by "in/at" as location. Actors and targets are canonical
entities: the mention at the head of the phrase, else a place it belongs to
("South Korea's foreign ministry" acts for South Korea). Negated verbs
("did not sign") are not events. Each event keeps its source sentence;
``event_merge`` joins the same event told by several documents.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from storyline.ids import stable_id
from storyline.model import Document, Event, Mention, SentenceRef, Timex
from storyline.settings import Settings
from storyline.stages.annotate import ANNOTATED_LANGUAGES, load_model
from storyline.stages.entities import entity_id, fold
from storyline.store import Store

PLACES = frozenset({"GPE", "LOC", "FAC"})
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
TARGET_PREPOSITIONS = frozenset({"with", "against", "to", "on", "toward", "towards", "from"})
PLACE_PREPOSITIONS = frozenset({"in", "at"})
# Proper nouns that name no actor ("on Tuesday", "in March").
NOT_ACTORS = frozenset(
    {"DATE", "TIME", "ORDINAL", "CARDINAL", "MONEY", "PERCENT", "QUANTITY", "LANGUAGE"}
)


@dataclass(frozen=True, slots=True)
class VerbRule:
    type: str
    objects: frozenset[str]


@cache
def verb_rules() -> dict[str, list[VerbRule]]:
    rules: dict[str, list[VerbRule]] = {}
    text = (files("storyline") / "data" / "lexicons" / "event_verbs.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lemma, kind, objects = [*line.split("\t"), ""][:3]
        words = frozenset(w for w in objects.strip().split("|") if w)
        rules.setdefault(lemma.strip(), []).append(VerbRule(kind.strip(), words))
    return rules


def _forms(token: Any) -> set[str]:
    return {token.lemma_.lower(), token.lower_}


def _object_words(verb: Any) -> set[str]:
    words: set[str] = set()
    for child in verb.children:
        if child.dep_ in ("dobj", "attr", "nsubjpass", "prt", "oprd", "xcomp", "dative"):
            words |= _forms(child)
            for c in child.children:
                if c.dep_ in ("compound", "amod"):
                    words |= _forms(c)
                if c.dep_ == "prep":
                    words.update(w for g in c.children if g.dep_ == "pobj" for w in _forms(g))
        if child.dep_ in ("prep", "prt"):
            words.add(child.lower_)
            words.update(w for g in child.children if g.dep_ == "pobj" for w in _forms(g))
    return words


# PLOVER codes intentions by their direction: a stated intent to cooperate is
# AGREE, a stated intent to do harm is THREATEN.
COOPERATIVE = frozenset({"SUPPORT", "AID", "COOPERATE", "CONSULT", "CONCEDE", "RETREAT", "AGREE"})
HOSTILE = frozenset(
    {"PROTEST", "SANCTION", "COERCE", "ASSAULT", "FIGHT", "MOBILIZE", "REJECT", "DISAPPROVE"}
)
INTENT_VERBS = frozenset(
    {"agree", "offer", "pledge", "promise", "vow", "prepare", "plan", "decide", "commit", "intend"}
)
REFUSAL_VERBS = frozenset({"fail", "refuse", "decline"})
OBLIGATION = frozenset({"must", "should"})
_WILL = frozenset({"will", "would", "'ll", "shall"})


def _mode(verb: Any, kind: str) -> str:
    """The type once intent, refusal and obligation are taken into account."""
    head = verb.head if verb.dep_ == "xcomp" else None
    if head is not None and head.lemma_.lower() in REFUSAL_VERBS:
        return "REJECT"
    future = any(c.dep_ == "aux" and c.lower_ in _WILL for c in verb.children)
    intent = future or (head is not None and head.lemma_.lower() in INTENT_VERBS)
    if intent and kind in COOPERATIVE:
        return "AGREE"
    if intent and kind in HOSTILE:
        return "THREATEN"
    return kind


def _rule(verb: Any) -> VerbRule | None:
    rules = verb_rules().get(verb.lemma_.lower())
    if not rules:
        return None
    objects = _object_words(verb)
    return next((r for r in rules if not r.objects or r.objects & objects), None)


def _subject(verb: Any) -> tuple[Any | None, bool]:
    """The verb's subject and whether the verb is passive (subject = target)."""
    for child in verb.children:
        if child.dep_ == "nsubj":
            return child, False
        if child.dep_ == "nsubjpass":
            return child, True
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head is not verb:
        return _subject(verb.head)[0], False
    return None, False


def _agent(verb: Any) -> Any | None:
    for child in verb.children:
        if child.dep_ == "agent":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def _target(verb: Any) -> Any | None:
    for child in verb.children:
        if child.dep_ == "dobj":
            return child
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in TARGET_PREPOSITIONS:
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def _entity(head: Any | None, mentions: list[Mention]) -> str | None:
    """The entity a phrase stands for: the mention at its head, else a place in it."""
    if head is None:
        return None
    at_head = [m for m in mentions if m.start <= head.idx < m.end and m.label in ACTOR_LABELS]
    if at_head:
        return at_head[0].entity
    owner = next((c for c in head.children if c.dep_ == "poss"), None)
    if owner is not None:
        return _entity(owner, mentions)
    start = min(t.idx for t in head.subtree)
    end = max(t.idx + len(t.text) for t in head.subtree)
    inside = [m for m in mentions if start <= m.start and m.end <= end]
    places = [m for m in inside if m.label in PLACES | {"NORP"}]
    people = [m for m in inside if m.label == "PERSON"]
    chosen = people or places
    return chosen[0].entity if chosen else None


def _antecedent(pronoun: Any) -> Any | None:
    """Who "it" or "they" is in "Hungary said it will support": the subject of the
    verb whose reported clause holds the pronoun."""
    clause = pronoun.head
    while clause.dep_ in ("xcomp", "conj", "aux") and clause.head is not clause:
        clause = clause.head
    if clause.dep_ != "ccomp" or clause.head is clause:
        return None
    return next((c for c in clause.head.children if c.dep_ == "nsubj"), None)


def _parties(head: Any | None, doc: Document) -> list[str]:
    """Entities of a phrase and of the phrases conjoined with it ("Putin and Kim").

    A proper noun the NER model left out becomes an organisation mention: an
    actor is named, whatever the model knew of it.
    """
    if head is not None and head.pos_ == "PRON":
        head = _antecedent(head)
    if head is None:
        return []
    heads = [head, *(c for c in head.children if c.dep_ == "conj")]
    found = []
    for token in heads:
        entity = _entity(token, doc.mentions)
        if (
            entity is None
            and token.pos_ == "PROPN"
            and token.ent_type_ not in NOT_ACTORS
            and not any(m.start <= token.idx < m.end for m in doc.mentions)
        ):
            entity = _new_mention(doc, token).entity
        if entity and entity not in found:
            found.append(entity)
    return found


def _new_mention(doc: Document, head: Any) -> Mention:
    name = [t for t in head.children if t.dep_ == "compound" and t.pos_ == "PROPN" and t.i < head.i]
    start = min([head, *name], key=lambda t: t.i).idx
    end = head.idx + len(head.text)
    text = doc.text[start:end]
    mention = Mention(doc.id, start, end, text, "ORG", entity_id("ORG", fold(text)))
    doc.mentions = sorted([*doc.mentions, mention], key=lambda m: m.start)
    return mention


def _date(verb: Any, sentence: Any, times: list[Timex]) -> Timex | None:
    start = min(t.idx for t in verb.subtree)
    end = max(t.idx + len(t.text) for t in verb.subtree)
    pointed = [
        t
        for t in times
        if t.granularity in ("day", "week", "month", "year") and start <= t.start < end
    ]
    return pointed[0] if pointed else None


TRAVEL = frozenset({"trip", "visit", "tour", "journey", "summit"})


def _location(verb: Any, mentions: list[Mention]) -> str | None:
    """A place the verb's clause puts it in: "in Pyongyang", "on a trip to Vietnam"."""
    for token in verb.subtree:
        travel = token.lower_ == "to" and token.head.lemma_.lower() in TRAVEL
        if token.dep_ == "prep" and (token.lower_ in PLACE_PREPOSITIONS or travel):
            for pobj in token.children:
                if pobj.dep_ == "pobj":
                    found = [
                        m for m in mentions if m.start <= pobj.idx < m.end and m.label in PLACES
                    ]
                    if found:
                        return found[0].entity
    return None


def _obligation(verb: Any) -> Any | None:
    """The speaker of "Russia said Sudan must return the helicopter": a demand."""
    if not any(c.dep_ == "aux" and c.lower_ in OBLIGATION for c in verb.children):
        return None
    if verb.dep_ != "ccomp" or verb.head is verb:
        return None
    return next((c for c in verb.head.children if c.dep_ == "nsubj"), None)


def extract(doc: Document, parsed: Any) -> list[Event]:
    events = []
    for index, sentence in enumerate(parsed.sents):
        for verb in sentence:
            if verb.pos_ not in ("VERB", "AUX") or any(c.dep_ == "neg" for c in verb.children):
                continue
            demander = _obligation(verb)
            rule = _rule(verb) if demander is None else VerbRule("DEMAND", frozenset())
            if rule is None:
                continue
            kind = _mode(verb, rule.type) if demander is None else "DEMAND"
            subject, passive = _subject(verb)
            if demander is not None:
                subject, passive = demander, False
            if passive:
                actors, targets = (
                    _parties(_agent(verb), doc),
                    _parties(subject, doc),
                )
            else:
                actors = _parties(subject, doc)
                target_head = _subject(verb)[0] if demander is not None else _target(verb)
                targets = _parties(target_head, doc)
            if not actors:
                continue
            when = _date(verb, sentence, doc.times)
            obj = sorted(_object_words(verb) & rule.objects)
            for actor in actors:
                target = next((t for t in targets if t != actor), None)
                if (
                    target is None
                    and len(actors) > 1
                    and rule.type in ("AGREE", "CONSULT", "COOPERATE")
                ):
                    target = next(a for a in actors if a != actor)
                events.append(
                    Event(
                        id="v" + stable_id(doc.id, str(verb.idx), actor, size=6),
                        type=kind,
                        actor=actor,
                        target=target,
                        action=" ".join([verb.lemma_.lower(), *obj[:1]]),
                        date=when.value if when else None,
                        date_granularity=when.granularity if when else None,
                        location=_location(verb, doc.mentions),
                        sources=[SentenceRef(doc.id, index)],
                    )
                )
    return events


def build(
    settings: Settings, store: Store | None = None
) -> Callable[[Iterable[Document]], Iterator[Document]]:
    def events(docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            if doc.language not in ANNOTATED_LANGUAGES:
                doc.events = []
            else:
                parsed = doc.parse
                if parsed is None:
                    parsed = load_model(settings.spacy_model)(doc.text)
                doc.events = extract(doc, parsed)
            yield doc

    return events
