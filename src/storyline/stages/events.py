"""Events: who did what to whom, when and where, typed with PLOVER's event types.

From each sentence's dependency parse: a verb of the shipped lexicon
(``event_lexicon``: "sign" + pact is AGREE; a support verb takes the type
of its event noun, "hold talks" is CONSULT), its subject as actor (the agent
of a passive; the subject of the governing verb for "vowed to fight"), its
object or the object of "with/against/to/on" as target, a resolved temporal
expression in the verb's clause as date, and a place introduced by "in/at"
as location. "be" is a support verb too ("are on strike against HCT"; "is
under investigation" has its subject as target), and a mutual event noun
names both sides ("the talks between the union and HCT"). Actors and
targets are canonical entities (``event_parties``: the name at the head of
the phrase, its possessor, a name inside it, the organisation an officer
serves, what the document says a common noun stands for); each carries the
state it belongs to and its role (``actors``); every named side of a
coordinated target is a target ("X and Y must explain"). PLOVER's modes are
read from the clause: an intention is AGREE when cooperative and THREATEN
when hostile, a refusal or "will not" to cooperate is REJECT, "X said Y must
..." is a DEMAND, and so is a promise of what another party will do
("pledged that Northgate will pay"); asking another party for a hostile act
is a DEMAND against its target ("asked the ministry to suspend Northgate's
permit"), a call to cooperate is coded as that act, and what a clause
within a request says is no event; other negated verbs are not events. A
state's military using force is FIGHT, other violence ASSAULT. Each event
keeps its source sentence; ``event_merge`` joins the same event told by
several documents.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from storyline.ids import stable_id
from storyline.model import Document, Event, Mention, SentenceRef, Timex
from storyline.settings import Settings
from storyline.stages.actors import Affiliation, head_role, phrase, pobjs
from storyline.stages.annotate import ANNOTATED_LANGUAGES, load_model
from storyline.stages.descriptions import Descriptions
from storyline.stages.event_lexicon import NOUN, event_nouns, kinds, verb_rules
from storyline.stages.event_merge import SYMMETRIC
from storyline.stages.event_parties import NO_PARTY, PLACES, Party, mention_of, parties
from storyline.store import Store

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
_TIMES = frozenset({"DATE", "TIME"})
# Verbs that ask something of another party (see ``_asked`` for what is asked).
REQUESTS = frozenset(
    {"ask", "urge", "call", "demand", "press", "request", "appeal", "insist", "implore", "beg"}
)
# A promise of what another party will do ("pledged that Northgate will pay",
# "promised to make Northgate pay") is a demand on that party.
PROMISES = frozenset({"promise", "pledge", "vow", "swear", "guarantee"})
CAUSATIVES = frozenset({"make", "force", "get", "compel"})
# Types that answer another party's act: their object's maker is their target.
RESPONSES = frozenset({"REJECT", "DISAPPROVE", "SUPPORT", "CONCEDE"})
# Acts the actors of one clause do together: "A and B signed" is A with B.
_MUTUAL = frozenset({"AGREE", "CONSULT", "COOPERATE"})


def _forms(token: Any) -> set[str]:
    return {token.lemma_.lower(), token.lower_}


def _object_words(verb: Any) -> set[str]:
    """The words a verb's rule may ask for: its objects (and their modifiers), its
    particles and prepositions with their objects ("call on", "strike against";
    not "on Monday"), and "to" for an infinitive complement ("asked X to ...")."""
    words: set[str] = set()
    for child in verb.children:
        if child.dep_ == "prep" and all(g.ent_type_ in _TIMES for g in child.children):
            continue
        if child.dep_ == "xcomp" and any(c.lower_ == "to" for c in child.children):
            words.add("to")
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


def _under(verb: Any, noun: Any | None) -> bool:
    """ "is under investigation": the subject undergoes the event noun's act."""
    return (
        noun is not None
        and noun.head.dep_ == "prep"
        and noun.head.lower_ == "under"
        and noun.head.head.i == verb.i
        and lemma(verb) == "be"
    )


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


def _other_party(verb: Any) -> Any | None:
    """Whose act a promise binds when it is another's: the subject of "pledged that
    Northgate will pay", the object of "promised to make Northgate pay"."""
    if lemma(verb) not in PROMISES:
        return None
    for child in verb.children:
        if child.dep_ == "ccomp":
            subject = next((c for c in child.children if c.dep_ == "nsubj"), None)
            if subject is not None and subject.pos_ != "PRON":
                return subject
        if child.dep_ == "xcomp" and child.lemma_.lower() in CAUSATIVES:
            made = [c for c in child.children if c.dep_ == "dobj"]
            made += [
                s
                for c in child.children
                if c.dep_ == "ccomp"
                for s in c.children
                if s.dep_ == "nsubj"
            ]
            if made:
                return made[0]
    return None


def _asked(verb: Any) -> str | None:
    """Whether the verb is what someone asks or promises of another party:
    "direct" for the act asked for ("asked the ministry to suspend", "demanded
    that X withdraw"), "embedded" for a clause within it ("demanded that X
    explain why it took five hours to close"), else None."""
    clause = verb
    for depth in range(4):
        reported = clause.dep_ == "advcl" and any(
            m.dep_ == "mark" and m.lower_ == "that" for m in clause.children
        )
        if (clause.dep_ not in ("xcomp", "ccomp") and not reported) or clause.head is clause:
            return None
        clause = clause.head
        if lemma(clause) in REQUESTS or _other_party(clause) is not None:
            return "embedded" if depth else "direct"
    return None


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


def _can_speak(token: Any) -> bool:
    """Whether a subject can ask or urge: a person, a body, a pronoun, a role;
    not "the offer" (the parse's subject for "said the offer was fair and urged")."""
    words = phrase(token)
    return bool(
        token.pos_ in ("PRON", "PROPN")
        or head_role(token)
        or any(t.ent_type_ or t.pos_ == "PROPN" for t in words)
    )


def _subject(verb: Any) -> tuple[Any | None, bool]:
    """The verb's subject and whether the verb is passive (subject = target). A
    verb of asking skips subjects that cannot ask, up to the reporting verb."""
    for child in verb.children:
        if child.dep_ == "nsubj":
            return child, False
        if child.dep_ == "nsubjpass":
            return child, True
    asking = lemma(verb) in REQUESTS
    token = verb
    for _ in range(4):
        if token.dep_ == "acl" and token.head.dep_ in ("nsubj", "nsubjpass"):
            return token.head, False  # "protesters demanding reforms marched"
        if token.dep_ == "acl" and token.head.dep_ == "dobj":
            token = token.head  # "issued a declaration demanding ...": the issuer
        elif (
            token.dep_ not in _CLIMB and not (asking and token.dep_ == "ccomp")
        ) or token.head is token:
            break
        token = token.head
        subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and (not asking or _can_speak(subject)):
            return subject, False
    return None, False


def _agent(verb: Any) -> Any | None:
    for child in verb.children:
        if child.dep_ == "agent":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


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
    found += pobjs(verb, TARGET_PREPOSITIONS - {"of", "at"})
    if noun is not None:
        found += pobjs(noun, TARGET_PREPOSITIONS - {"at"})
    for obj in objects:
        found += pobjs(obj, TARGET_PREPOSITIONS | {"in", "by"} - {"at"})
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
    return [t for t in found if noun is None or t.i != noun.i]


def _reported(verb: Any) -> list[Any]:
    """The clauses a verb reports: its complement clauses, and "that" clauses the
    small model attaches as adverbial ones."""
    return [
        c
        for c in verb.children
        if c.dep_ == "ccomp"
        or (c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children))
    ]


def _target_parties(verb: Any, noun: Any | None, about: Descriptions) -> list[Party]:
    """The target: the first phrase naming an entity (with the phrases conjoined
    with it: "demanded that Northgate and the authority explain"), else one
    naming a role or a kind of place or act."""
    candidates = [parties(head, about, target=True) for head in _targets(verb, noun)]
    named = [p for p in candidates if any(x.entity for x in p)]
    return (named or [p for p in candidates if p] or [[]])[0]


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
    places = [mention_of(t, doc) for t in pobjs(verb, frozenset({"to"}))]
    sent_to = any(m is not None and m.entity == target.entity and m.label == "GPE" for m in places)
    return "AID" if sent_to else kind


def _coded(verb: Any) -> tuple[str, str, Any | None, Any | None, Any | None] | None:
    """(type, action, event noun, demanding speaker, target phrase) of a verb, or None
    for no event; the target phrase is set when the clause fixes it (a promise of
    another's act, "X said Y must ...")."""
    asked = _asked(verb)
    if asked == "embedded":
        return None
    demander = _obligation(verb)
    if demander is not None and not _negated(verb):
        return "DEMAND", lemma(verb), None, demander, _subject(verb)[0]
    bound = _other_party(verb)
    if bound is not None and not _negated(verb):
        return "DEMAND", lemma(verb), None, None, bound
    found = _rule(verb)
    if found is None or not found[0]:
        return None
    kind, action, noun = found
    moded = _mode(verb, kind)
    if moded in HOSTILE and asked and any(c.dep_ == "nsubj" for c in verb.children):
        return None  # "demanded that X withdraw": the demand on X is the event
    if moded in HOSTILE and asked:
        # Asking another party to act against a third is a demand against the
        # third ("asked the ministry to suspend Northgate's permit"); a call to
        # cooperate is coded as the act, as PLOVER's records code it ("urged the
        # EC to support the PLO" is SUPPORT).
        moded = "DEMAND"
    return (moded, action, noun, None, None) if moded else None


def _between(noun: Any, about: Descriptions) -> list[Party]:
    """The two sides of a mutual event told by its noun: "the talks between the
    union and HCT", "a deal between X and Y"."""
    if noun_type(noun) not in SYMMETRIC:
        return []
    for side in pobjs(noun, frozenset({"between"})):
        found = [p for p in parties(side, about) if p.entity]
        if len(found) >= 2:
            return found
    return []


def _event(
    doc: Document,
    index: int,
    verb: Any,
    kind: str,
    action: str,
    actor: Party,
    target: Party,
    key: str,
) -> Event:
    when = _date(verb, doc.times)
    return Event(
        id="v" + stable_id(doc.id, str(verb.idx), key, size=6),
        type=_deployed_to(_military_force(kind, lemma(verb), actor), verb, actor, target, doc),
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
        target_noun=target.noun,
    )


def _sides(
    verb: Any, coded: tuple[str, str, Any | None, Any | None, Any | None], about: Descriptions
) -> tuple[list[Party], list[Party], Any | None, bool]:
    """(actors, targets, subject, whether the subject undergoes the act) of a coded
    verb."""
    kind, _, noun, demander, bound = coded
    subject, passive = (demander, False) if demander is not None else _subject(verb)
    if passive or _under(verb, noun):
        return parties(_agent(verb), about), parties(subject, about, target=True), subject, True
    actors = parties(subject, about)
    if bound is not None:
        return actors, parties(bound, about, target=True), subject, False
    targets = _target_parties(verb, noun, about)
    if not targets and kind == "INVESTIGATE":
        # An investigation with no object named looks into the document's incident.
        owner = about.incident_owner()
        if owner is not None:
            targets = [Party(owner.entity, Affiliation())]
    return actors, targets, subject, False


def _verb_events(doc: Document, index: int, verb: Any, about: Descriptions) -> list[Event]:
    """The events a verb of the lexicon codes: one per actor and named target."""
    coded = _coded(verb)
    if coded is None:
        return []
    kind, action = coded[0], coded[1]
    actors, targets, subject, passive = _sides(verb, coded, about)
    # With no actor named, an event still counts when it has a target and
    # its subject is an event ("a roadside bombing killed ...") or absent.
    told = [t for t in targets if t.noun is None]
    if not actors and not (told and (passive or (subject is not None and noun_type(subject)))):
        return []
    # An act a target is known by is someone else's only in a response to it
    # ("rejected a pay offer"; not "signed an agreement", "pledged to deploy
    # assistance").
    targets = [t for t in targets if t.noun is None or _kept(t.noun, kind, action)]
    events = []
    for actor in actors or [NO_PARTY]:
        sides = [t for t in targets if t.entity is None or t.entity != actor.entity]
        if not any(t.entity for t in sides) and len(actors) > 1 and kind in _MUTUAL:
            sides = [next(a for a in actors if a.entity != actor.entity)]
        # Each named side of a coordinated target: "X and Y must explain".
        sides = sides[:1] + [t for t in sides[1:] if t.entity]
        for number, target in enumerate(sides or [NO_PARTY]):
            key = (actor.entity or "") + (f" {target.entity}" if number else "")
            events.append(_event(doc, index, verb, kind, action, actor, target, key))
    return events


def _kept(noun: str, kind: str, action: str) -> bool:
    """Whether a target known only by a noun may be resolved by its story: a kind
    of place always, an act when the event responds to it."""
    if kinds().get((noun, "noun")) == "place":
        return True
    return kind in RESPONSES and noun not in action.split()


def _noun_events(doc: Document, index: int, noun: Any, about: Descriptions) -> list[Event]:
    """The event a mutual event noun tells between its two sides."""
    sides = _between(noun, about)
    if not sides:
        return []
    kind, action = noun_type(noun) or "", noun.lemma_.lower()
    return [_event(doc, index, noun.head, kind, action, sides[0], sides[1], noun.text)]


def extract(doc: Document, parsed: Any) -> list[Event]:
    about = Descriptions(doc, parsed)
    events: list[Event] = []
    spans: dict[str, tuple[int, int]] = {}
    for index, sentence in enumerate(parsed.sents):
        for token in sentence:
            if token.pos_ == "NOUN":
                found = _noun_events(doc, index, token, about)
            elif token.pos_ in ("VERB", "AUX"):
                found = _verb_events(doc, index, token, about)
            else:
                continue
            if found:
                spans.update(_spans(doc, found))
                events += found
    return _settled(events, doc, spans)


def _spans(doc: Document, events: list[Event]) -> dict[str, tuple[int, int]]:
    """Where the entities of these new events are named in the document now."""
    wanted = {x for e in events for x in (e.actor, e.target) if x}
    return {m.entity: (m.start, m.end) for m in doc.mentions if m.entity in wanted}


def _settled(events: list[Event], doc: Document, spans: dict[str, tuple[int, int]]) -> list[Event]:
    """Events whose party's mention a later repair replaced ("Harbour" by "Harbour
    and Dock Workers' Union") take the entity of the mention now in its place."""
    present = {m.entity for m in doc.mentions}

    def now(entity: str | None) -> str | None:
        if entity is None or entity in present or entity not in spans:
            return entity
        start, end = spans[entity]
        found = [m for m in doc.mentions if m.start < end and start < m.end]
        return found[0].entity if found else None

    for event in events:
        event.actor, event.target = now(event.actor), now(event.target)
    return [e for e in events if e.actor is None or e.actor != e.target]


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
