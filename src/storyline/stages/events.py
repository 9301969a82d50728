"""Events: who did what to whom, when and where, typed with PLOVER's event types.

From each sentence's dependency parse: a verb of the shipped lexicon
(``event_lexicon``: "sign" + pact is AGREE; a support verb takes the type
of its event noun, "hold talks" is CONSULT), its subject as actor (the agent
of a passive; the subject of the governing verb for "vowed to fight"), its
object or the object of "with/against/to/on" as target, a resolved temporal
expression in the verb's clause as date, and a place introduced by "in/at"
as location. Actors and targets are canonical entities: the mention at the
head of the phrase, else its possessor ("South Korea's foreign ministry"
acts for South Korea), else a name inside it; each carries the state it
belongs to and its role (``actors``). PLOVER's modes are read from the
clause: an intention is AGREE when cooperative and THREATEN when hostile, a
refusal or "will not" to cooperate is REJECT, "X said Y must ..." is a
DEMAND; other negated verbs are not events. A state's military using force
is FIGHT, other violence ASSAULT. Each event keeps its source sentence;
``event_merge`` joins the same event told by several documents.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from storyline.ids import stable_id
from storyline.model import Document, Event, Mention, SentenceRef, Timex
from storyline.settings import Settings
from storyline.stages.actors import Affiliation, affiliation, head_role, phrase
from storyline.stages.annotate import ANNOTATED_LANGUAGES, load_model
from storyline.stages.entities import entity_id, fold
from storyline.stages.event_lexicon import NOUN, event_nouns, verb_rules
from storyline.store import Store

PLACES = frozenset({"GPE", "LOC", "FAC"})
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
TARGET_PREPOSITIONS = frozenset(
    {"with", "against", "to", "on", "toward", "towards", "from", "into", "at", "of"}
)
PLACE_PREPOSITIONS = frozenset({"in", "at"})
# Where a support verb's event noun may sit: "go on strike", "put under
# investigation", "engage in talks", "carry out attacks".
NOUN_PREPOSITIONS = frozenset({"on", "under", "in", "into"})
_OBJECTS = frozenset({"dobj", "attr", "nsubjpass", "prt", "oprd", "xcomp", "dative"})

# PLOVER codes intentions by their direction: a stated intent to cooperate is
# AGREE, a stated intent to do harm is THREATEN.
COOPERATIVE = frozenset({"SUPPORT", "AID", "COOPERATE", "CONSULT", "CONCEDE", "RETREAT", "AGREE"})
HOSTILE = frozenset(
    {"PROTEST", "SANCTION", "COERCE", "ASSAULT", "FIGHT", "MOBILIZE", "REJECT", "DISAPPROVE"}
)
INTENT = frozenset(
    {
        "agree", "offer", "pledge", "promise", "vow", "swear", "prepare", "plan", "decide",
        "commit", "intend", "willing", "ready", "prepared", "determined",
        "committed", "eager", "poised", "resolve", "undertake", "consider", "weigh",
    }
)  # fmt: skip
REFUSAL = frozenset({"fail", "refuse", "decline", "reject", "unwilling", "reluctant"})
OBLIGATION = frozenset({"must", "should"})
_WILL = frozenset({"will", "would", "'ll", "shall", "wo"})
_CAN = frozenset({"can", "ca", "could"})
# Violence that is not the use of military force ("soldiers beat detainees").
_ABUSE = frozenset({"beat", "torture", "execute", "behead", "assassinate", "murder", "massacre"})
# Subjects that climb to the governing verb: "vowed to fight", "is ready to sign".
_CLIMB = frozenset({"conj", "xcomp", "advcl", "acomp"})


@dataclass(frozen=True, slots=True)
class Party:
    """An actor or target: its entity (None when the phrase names none) and affiliation."""

    entity: str | None
    affiliation: Affiliation


def _forms(token: Any) -> set[str]:
    return {token.lemma_.lower(), token.lower_}


def _object_words(verb: Any) -> set[str]:
    words: set[str] = set()
    for child in verb.children:
        if child.dep_ in _OBJECTS:
            words |= _forms(child)
            for c in child.children:
                if c.dep_ in ("compound", "amod", "conj"):
                    words |= _forms(c)
                if c.dep_ == "prep":
                    words.update(w for g in c.children if g.dep_ == "pobj" for w in _forms(g))
        if child.dep_ in ("prep", "prt"):
            words.add(child.lower_)
            words.update(w for g in child.children if g.dep_ == "pobj" for w in _forms(g))
    return words


def noun_type(token: Any) -> str | None:
    """The PLOVER type an event noun names ("hunger strike" before "strike")."""
    nouns = event_nouns()
    for mod in (c for c in token.children if c.dep_ in ("compound", "amod", "nmod")):
        for key in (f"{mod.lemma_.lower()} {token.lemma_.lower()}", f"{mod.lower_} {token.lower_}"):
            if key in nouns:
                return nouns[key]
    return nouns.get(token.lemma_.lower()) or nouns.get(token.lower_)


def _event_noun(verb: Any) -> Any | None:
    """The event noun a support verb governs: its object, or "on strike"."""
    candidates = []
    for child in verb.children:
        if child.dep_ == "dobj":
            candidates += [child, *(c for c in child.children if c.dep_ == "conj")]
            candidates += [
                g
                for p in child.children
                if p.dep_ == "prep" and p.lower_ == "of"
                for g in p.children
                if g.dep_ == "pobj"
            ]
        if child.dep_ == "prep" and child.lower_ in NOUN_PREPOSITIONS:
            candidates += [g for g in child.children if g.dep_ == "pobj"]
    return next((c for c in candidates if noun_type(c)), None)


def lemma(verb: Any) -> str:
    """The verb's lemma, or the lexicon's verb its inflected form reduces to (the
    small model lemmatises "staged" as "stag")."""
    found: str = verb.lemma_.lower()
    if found in verb_rules():
        return found
    word: str = verb.lower_
    for suffix in ("ing", "ed", "es", "s", "d"):
        stem = word.removesuffix(suffix)
        for candidate in (stem, stem + "e") if stem != word else ():
            if candidate in verb_rules():
                return candidate
    return found


def _rule(verb: Any) -> tuple[str, str, Any | None] | None:
    """(type, action, event noun) for a verb of the lexicon, else None."""
    lemma_ = lemma(verb)
    rules = verb_rules().get(lemma_)
    if not rules:
        return None
    objects = _object_words(verb)
    for rule in rules:
        if rule.type == NOUN:
            noun = _event_noun(verb)
            if noun is not None:
                return noun_type(noun) or "", f"{lemma_} {noun.lemma_.lower()}", noun
        elif not rule.objects or rule.objects & objects:
            obj = sorted(objects & rule.objects)
            return rule.type, " ".join([lemma_, *obj[:1]]), None
    return None


def _governor(verb: Any) -> Any | None:
    """The word an infinitive depends on: "vowed" in "vowed to fight"."""
    return verb.head if verb.dep_ == "xcomp" and verb.head is not verb else None


def _negated(token: Any) -> bool:
    return any(c.dep_ == "neg" for c in token.children)


def _future(token: Any) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in _WILL for c in token.children)


def _mode(verb: Any, kind: str) -> str | None:
    """The type once intent, refusal, negation and obligation are taken into account;
    None when the event did not happen ("did not sign")."""
    head = _governor(verb)
    if head is not None and head.lemma_.lower() in REFUSAL:
        return "REJECT"
    if head is not None and head.lemma_.lower() == "threaten":
        return "THREATEN"  # "threatened to withdraw its troops"
    words = [verb] if head is None else [verb, head]
    intent = any(_future(w) for w in words) or (head is not None and head.lemma_.lower() in INTENT)
    if any(_negated(w) for w in words):
        able = any(c.dep_ == "aux" and c.lower_ in _CAN for w in words for c in w.children)
        return "REJECT" if (intent or able) and kind in COOPERATIVE else None
    if intent and kind in COOPERATIVE:
        return "AGREE"
    if intent and kind in HOSTILE:
        return "THREATEN"
    return kind


def _subject(verb: Any) -> tuple[Any | None, bool]:
    """The verb's subject and whether the verb is passive (subject = target)."""
    for child in verb.children:
        if child.dep_ == "nsubj":
            return child, False
        if child.dep_ == "nsubjpass":
            return child, True
    token = verb
    for _ in range(4):
        if token.dep_ == "acl" and token.head.dep_ in ("nsubj", "nsubjpass"):
            return token.head, False  # "protesters demanding reforms marched"
        if token.dep_ == "acl" and token.head.dep_ == "dobj":
            token = token.head  # "issued a declaration demanding ...": the issuer
        elif token.dep_ not in _CLIMB or token.head is token:
            break
        token = token.head
        subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None:
            return subject, False
    return None, False


def _agent(verb: Any) -> Any | None:
    for child in verb.children:
        if child.dep_ == "agent":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def _pobjs(word: Any, preps: frozenset[str]) -> list[Any]:
    return [
        g
        for c in word.children
        if c.dep_ == "prep" and c.lower_ in preps
        for g in c.children
        if g.dep_ == "pobj"
    ]


def _pobjs_of(preposition: Any) -> list[Any]:
    return [g for g in preposition.children if g.dep_ == "pobj"]


def _targets(verb: Any, noun: Any | None = None) -> list[Any]:
    """Phrases that may name the target, best first: the indirect object ("gave
    Tanzania a grant"), the object, the object of "with/against/to/on ..." of
    the verb or its event noun, what the object is "on", "in" or "by" ("lifted a
    ban on the party", "rejected calls by the rulers"), then the subject of a
    reported clause ("demanded that the US cancel ...")."""
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    # A dative is the recipient itself ("gave Tanzania") or "to" before it.
    datives = [c for c in verb.children if c.dep_ == "dative"]
    found = [g for c in datives for g in _pobjs_of(c) if c.pos_ == "ADP"]
    found += [c for c in datives if c.pos_ != "ADP"] + objects
    found += _pobjs(verb, TARGET_PREPOSITIONS - {"of", "at"})
    if noun is not None:
        found += _pobjs(noun, TARGET_PREPOSITIONS - {"at"})
    for obj in objects:
        found += _pobjs(obj, TARGET_PREPOSITIONS | {"in", "by"} - {"at"})
    # "demanded that the US cancel ...", "warned that Seoul would ...", and in "warned
    # that it would be a mistake for Seoul to ..." the subject of "for Seoul to".
    for clause in _reported(verb):
        found += [
            s
            for s in clause.subtree
            if s.dep_ == "nsubj"
            and any(m.dep_ == "mark" and m.lower_ == "for" for m in s.head.children)
        ]
        found += [s for s in clause.children if s.dep_ == "nsubj"]
    return [t for t in found if t is not noun]


def _reported(verb: Any) -> list[Any]:
    """The clauses a verb reports: its complement clauses, and "that" clauses the
    small model attaches as adverbial ones."""
    return [
        c
        for c in verb.children
        if c.dep_ == "ccomp"
        or (c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children))
    ]


def _target_parties(verb: Any, noun: Any | None, doc: Document) -> list[Party]:
    """The target: the first phrase naming an entity, else one naming a role."""
    candidates = [_parties(head, doc) for head in _targets(verb, noun)]
    named = [p for p in candidates if any(x.entity for x in p)]
    return (named or [p for p in candidates if p] or [[]])[0]


def _mention(head: Any, mentions: list[Mention]) -> Mention | None:
    """The mention a phrase stands for: at its head, else its possessor, else inside it."""
    at_head = [m for m in mentions if m.start <= head.idx < m.end and m.label in ACTOR_LABELS]
    if at_head:
        return at_head[0]
    owner = next((c for c in head.children if c.dep_ == "poss"), None)
    if owner is not None:
        return _mention(owner, mentions)
    words = phrase(head)
    inside = [m for m in mentions if any(m.start <= t.idx < m.end for t in words)]
    for labels in ({"PERSON"}, {"ORG"}, PLACES | {"NORP"}):
        chosen = [m for m in inside if m.label in labels]
        if chosen:
            return chosen[0]
    return None


def _antecedent(pronoun: Any) -> Any | None:
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


def _parties(head: Any | None, doc: Document) -> list[Party]:
    """Entities of a phrase and of the phrases conjoined with it ("Putin and Kim").

    A proper noun the NER model left out (at the head, or a modifier: "US
    Predator attacks") becomes an organisation mention: an actor is named,
    whatever the model knew of it. A common noun with a role
    ("soldiers", "protesters") is a party with no entity.
    """
    if head is not None and head.pos_ == "PRON":
        head = _antecedent(head)
    if head is None:
        return []
    heads = [head, *(c for c in head.children if c.dep_ == "conj")]
    found: list[Party] = []
    for token in heads:
        mention = _mention(token, doc.mentions)
        if mention is None:
            name = next((t for t in phrase(token) if _unnamed(t, doc.mentions)), None)
            mention = _new_mention(doc, name) if name is not None else None
        if mention is None and head_role(token) is None:
            continue
        about = affiliation(token, mention, doc.mentions)
        party = Party(mention.entity if mention else None, about)
        if party.entity is None or party.entity not in {p.entity for p in found}:
            found.append(party)
    return found


def _unnamed(token: Any, mentions: list[Mention]) -> bool:
    """A capitalised proper noun the NER model did not take for a name (nor a date)."""
    return bool(
        token.pos_ == "PROPN"
        and token.text[:1].isupper()
        and not token.ent_type_
        and not any(m.start <= token.idx < m.end for m in mentions)
    )


def _new_mention(doc: Document, head: Any) -> Mention:
    name = [
        t
        for t in head.children
        if t.dep_ == "compound" and t.i < head.i and _unnamed(t, doc.mentions)
    ]
    start = min([head, *name], key=lambda t: t.i).idx
    end = head.idx + len(head.text)
    text = doc.text[start:end]
    mention = Mention(doc.id, start, end, text, "ORG", entity_id("ORG", fold(text)))
    doc.mentions = sorted([*doc.mentions, mention], key=lambda m: m.start)
    return mention


def _date(verb: Any, times: list[Timex]) -> Timex | None:
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


def _military_force(kind: str, lemma: str, actor: Party) -> str:
    """PLOVER tells a state's use of military force (FIGHT) from other violence."""
    if kind == "ASSAULT" and actor.affiliation.role == "military" and lemma not in _ABUSE:
        return "FIGHT"
    return kind


def _deployed_to(kind: str, verb: Any, actor: Party, target: Party, doc: Document) -> str:
    """Troops a state sends *to* another state are military aid to it (PLOVER's AID),
    not a show of force against it: "deployed 10,000 troops to Russia"."""
    if kind != "MOBILIZE" or target.entity is None or target.affiliation.state is None:
        return kind
    if target.affiliation.state == actor.affiliation.state:
        return kind
    places = [_mention(t, doc.mentions) for t in _pobjs(verb, frozenset({"to"}))]
    sent_to = any(m is not None and m.entity == target.entity and m.label == "GPE" for m in places)
    return "AID" if sent_to else kind


def _coded(verb: Any) -> tuple[str, str, Any | None, Any | None] | None:
    """(type, action, event noun, demanding speaker) of a verb, or None."""
    demander = _obligation(verb)
    if demander is not None and not _negated(verb):
        return "DEMAND", lemma(verb), None, demander
    found = _rule(verb)
    if found is None or not found[0]:
        return None
    kind, action, noun = found
    moded = _mode(verb, kind)
    return (moded, action, noun, None) if moded else None


def extract(doc: Document, parsed: Any) -> list[Event]:
    events = []
    for index, sentence in enumerate(parsed.sents):
        for verb in sentence:
            if verb.pos_ not in ("VERB", "AUX"):
                continue
            coded = _coded(verb)
            if coded is None:
                continue
            kind, action, noun, demander = coded
            subject, passive = (demander, False) if demander is not None else _subject(verb)
            if passive:
                actors, targets = _parties(_agent(verb), doc), _parties(subject, doc)
            else:
                actors = _parties(subject, doc)
                targets = (
                    _parties(_subject(verb)[0], doc)
                    if demander is not None
                    else _target_parties(verb, noun, doc)
                )
            # With no actor named, an event still counts when it has a target and
            # its subject is an event ("a roadside bombing killed ...") or absent.
            if not actors and not (
                targets and (passive or (subject is not None and noun_type(subject)))
            ):
                continue
            when = _date(verb, doc.times)
            for actor in actors or [Party(None, Affiliation())]:
                target = next((t for t in targets if t.entity != actor.entity), None)
                if target is None and len(actors) > 1 and kind in ("AGREE", "CONSULT", "COOPERATE"):
                    target = next(a for a in actors if a.entity != actor.entity)
                target = target or Party(None, Affiliation())
                events.append(
                    Event(
                        id="v" + stable_id(doc.id, str(verb.idx), actor.entity or "", size=6),
                        type=_deployed_to(
                            _military_force(kind, lemma(verb), actor), verb, actor, target, doc
                        ),
                        actor=actor.entity,
                        target=target.entity,
                        action=action,
                        date=when.value if when else None,
                        date_granularity=when.granularity if when else None,
                        location=_location(verb, doc.mentions),
                        sources=[SentenceRef(doc.id, index)],
                        actor_state=actor.affiliation.state,
                        actor_role=actor.affiliation.role,
                        target_state=target.affiliation.state,
                        target_role=target.affiliation.role,
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
