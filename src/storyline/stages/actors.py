"""Who an actor is: the state it belongs to and its role.

Events say who did what to whom; readers also want to know for whom the
actor acts. The state comes from the shipped tables (``data/lexicons``:
``actors.tsv`` for people, capitals and bodies, ``countries.tsv`` for states,
their other names and nationality words) applied to the entity and to the
words of the phrase that names it ("Israeli soldiers", "Ivory Coast's
Supreme Court", "security forces in Guinea"). The role (government,
military, police, judiciary, rebels, ... in the spirit of PLOVER's sectors)
comes from the phrase's head noun, a title before a name ("President",
"Gen."), a word of an organisation's name, or the actor table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from storyline.model import Mention
from storyline.stages.entities import fold

# The dependents of a phrase's head that still describe the same actor
# ("Israeli soldiers", "Nicaragua's government", "security forces in Guinea").
_MODIFIERS = frozenset({"compound", "amod", "poss", "nmod", "appos"})
_OF_PLACE = frozenset({"in", "of", "from", "throughout", "across"})
STATE_LABELS = frozenset({"GPE", "NORP", "LOC", "ORG", "PERSON", "FAC"})


@dataclass(frozen=True, slots=True)
class Affiliation:
    state: str | None = None
    role: str | None = None


def _table(name: str) -> list[list[str]]:
    text = (files("storyline") / "data" / "lexicons" / name).read_text("utf-8")
    return [
        [*line.split("\t"), "", ""][:3]
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    ]


@cache
def known_actors() -> dict[str, Affiliation]:
    """Folded name -> what ``actors.tsv`` says of it."""
    return {
        fold(name): Affiliation(state.strip() or None, role.strip() or None)
        for name, state, role in _table("actors.tsv")
    }


@cache
def states() -> dict[str, str]:
    """Folded state name, other name or nationality word -> the state."""
    found: dict[str, str] = {}
    for state, others, nationals in _table("countries.tsv"):
        for name in [state, *others.split("|"), *nationals.split("|")]:
            if name.strip():
                found.setdefault(fold(name), state.strip())
    return found


@cache
def role_words() -> dict[str, str]:
    return {word.strip().lower(): role.strip() for word, role, _ in _table("actor_roles.tsv")}


def lookup(name: str) -> Affiliation:
    """What the tables say of a name: an actor of the table, a state, a nationality."""
    key = fold(name)
    if key in known_actors():
        return known_actors()[key]
    found = states().get(key) or (states().get(key[:-1]) if key.endswith("s") else None)
    return Affiliation(found, None)


def state_of(name: str) -> str | None:
    return lookup(name).state


def _role_of(tokens: Iterable[Any]) -> str | None:
    words = role_words()
    for token in tokens:
        role = words.get(token.lemma_.lower()) or words.get(token.lower_.rstrip("."))
        if role:
            return role
    return None


def phrase(head: Any) -> list[Any]:
    """The head and the dependents that describe the same actor, nearest first:
    modifiers, possessors, "in/of/from" places, and what an actor is "based in",
    "affiliated with" or "loyal to"."""
    found, queue = [], [head]
    while queue:
        token = queue.pop(0)
        found.append(token)
        queue.extend(c for c in token.children if c.dep_ in _MODIFIERS)
        preps = [p for p in token.children if p.dep_ == "prep" and p.lower_ in _OF_PLACE]
        preps += [
            p
            for c in token.children
            if c.dep_ in ("acl", "amod")
            for p in c.children
            if p.dep_ == "prep"
        ]
        queue.extend(g for p in preps for g in p.children if g.dep_ == "pobj")
    return found


def _named(tokens: list[Any]) -> Affiliation:
    """An actor or a state named inside an organisation's name ("Serbian Workers'
    Union", "Federation Council of Russia"), longest names first."""
    for size in (3, 2, 1):
        for i in range(len(tokens) - size + 1):
            found = lookup(" ".join(t.text for t in tokens[i : i + size]))
            if found.state or found.role:
                return found
    return Affiliation()


def pobjs(word: Any, preps: frozenset[str]) -> list[Any]:
    """The objects of the prepositions ``preps`` that depend on a word."""
    return [
        g
        for p in word.children
        if p.dep_ == "prep" and p.lower_ in preps
        for g in p.children
        if g.dep_ == "pobj"
    ]


def _counted(head: Any) -> list[Any]:
    """ "thousands of students": the counted noun says who they are."""
    return pobjs(head, frozenset({"of"}))


def _titles(head: Any) -> list[Any]:
    """The words before a head that modify it, and theirs: "Georgian President"."""
    found, queue = [], [head]
    while queue:
        token = queue.pop(0)
        words = [c for c in token.children if c.dep_ in ("compound", "amod") and c.i < head.i]
        found += words
        queue += words
    return found


def head_role(head: Any) -> str | None:
    """The role a common noun phrase names by itself: "soldiers", "thousands of students"."""
    return _role_of([head, *_counted(head)])


def affiliation(head: Any, mention: Mention | None, mentions: list[Mention]) -> Affiliation:
    """The state and role of the actor a phrase names.

    ``head`` is the phrase's head token, ``mention`` the entity mention chosen
    for it (None when the phrase names no entity); the entity's other
    mentions in the document count too ("Putin" after "Vladimir Putin").
    """
    names = (
        [mention.text, *(m.text for m in mentions if m.entity == mention.entity)] if mention else []
    )
    table = next((a for n in names if (a := lookup(n)).state or a.role), Affiliation())
    known = any(fold(n) in known_actors() for n in names)
    own_words: list[Any] = []
    if mention is not None and mention.label in ("ORG", "FAC") and not table.state:
        span = head.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        own_words = list(span) if span is not None else []
        table = _named(own_words) if not known else table
    state = table.state
    titles = _titles(head)
    # A named actor is described by the words before its name ("Georgian President
    # Eduard Shevardnadze"), a common noun by its whole phrase.
    at_head = mention is not None and mention.start <= head.idx < mention.end
    for token in (titles if at_head else phrase(head)) if state is None and not known else []:
        inside = [m for m in mentions if m.start <= token.idx < m.end and m.label in STATE_LABELS]
        state = next((s for m in inside if (s := lookup(m.text).state)), None)
        if state:
            break
    # A state's own name says nothing of a role ("Soviet Union" is no trade union).
    a_state = at_head and table.state is not None and not known and not own_words
    words = [*titles, *_counted(head)] if a_state else [head, *titles, *_counted(head)]
    role = _role_of(words) or table.role or _role_of(own_words)
    return Affiliation(state, role)


def note(name: str, state: str | None, role: str | None) -> str:
    """What to show beside a party's name: "Russia, government" for Putin,
    "government" for Russia itself, nothing when nothing is known."""
    return ", ".join(x for x in (state if state != name else None, role) if x)
