"""Who a speaker phrase is: the entity behind a name, a pronoun, a role or "who".

A quote's speaker is written many ways: a name ("Chang Ho-jin, South
Korea's national security adviser"), a description with the name beside it
("His former partner, Lawrence Cummings"), a title the article gave someone
("the mayor" for "Mayor Marta Ellison"), a relative pronoun ("an official
who said"), or a pronoun. A pronoun is the most recent person of its kind
named before it: "he" and "she" skip people the article shows to be of the
other gender (``people``: "Mr"/"Ms", a gendered role such as "spokeswoman",
or "X said she …"), people in the subject position or already quoted come before
people only mentioned in passing, and "it" or "they" look for an
organisation, a country or a group. A described speaker with no name ("a
senior official") stays unnamed.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from typing import Any

from storyline.model import Document, Mention
from storyline.stages.entities import person_mention
from storyline.stages.people import PERSONAL, by_token, gender, signs

GROUP_PRONOUNS = frozenset({"it", "they", "we"})
RELATIVE = frozenset({"who", "that", "which", "whom"})
GROUP_LABELS = frozenset({"ORG", "GPE", "NORP"})
_TITLE_WORDS = re.compile(r"([A-Za-z][\w-]*)[ \t]+$")
# How many sentences back a pronoun looks for the person it stands for.
PRONOUN_WINDOW = 6


class Speakers:
    """Resolves speaker phrases of one parsed document to its entities.

    Holds the document's mentions indexed by token, the gender evidence of
    each person, the titles the article gave people, and the speakers found
    so far (a pronoun prefers someone already quoted).
    """

    def __init__(self, doc: Document, parsed: Any) -> None:
        self.doc = doc
        self.parsed = parsed
        self.sentence_starts = [s.start_char for s in parsed.sents]
        self._index()
        self.signs = signs(doc.text, parsed, self.at_token)
        self.roles = _roles(doc.text, [m for m in doc.mentions if m.label == "PERSON"])
        said: dict[str, list[str]] = {}
        for mention in self.mentions:
            said.setdefault(mention.entity, []).extend(self.signs.get(mention.start, []))
        self.gender = {e: g for e, s in said.items() if (g := gender(s)) is not None}
        self.people = {e for e, s in said.items() if s}
        self.quoted: set[str] = set()

    def _index(self) -> None:
        """Each token's mention, and the mentions in a subject position."""
        self.mentions = sorted(self.doc.mentions, key=lambda m: m.start)
        self.starts = [m.start for m in self.mentions]
        self.at_token = by_token(self.parsed, self.mentions)
        self.subjects: set[int] = set()
        for i, mention in self.at_token.items():
            root = self.parsed[i]
            while root.dep_ in ("compound", "flat", "appos") and root.head is not root:
                root = root.head
            if root.dep_ in ("nsubj", "nsubjpass"):
                self.subjects.add(mention.start)

    def mention_of(self, token: Any) -> Mention | None:
        return self.at_token.get(token.i)

    def resolve(self, head: Any) -> tuple[str | None, tuple[int, int]]:
        """The entity of the phrase headed by ``head`` and the phrase's character span."""
        lower = head.lower_
        if lower in RELATIVE and head.dep_ in ("nsubj", "nsubjpass"):
            clause = head.head
            if clause.dep_ == "relcl" and clause.head is not clause:
                return self.resolve(clause.head)
        span = phrase(head)
        if head.pos_ == "PRON":
            return self.pronoun(head), span
        return self.named(head), span

    def named(self, head: Any) -> str | None:
        mention = self.mention_of(head)
        if mention is not None:
            return mention.entity
        for child in head.children:
            if child.dep_ == "appos":
                person = self._person_in(child)
                if person is not None:
                    return person
        person = self._person_in(head, skip=("relcl", "acl", "appos", "prep"))
        if person is not None:
            return person
        role = self.roles.get(head.lower_)
        if role is not None and head.pos_ == "NOUN":
            return role
        if head.pos_ == "PROPN" and head.ent_type_ in ("", "PERSON"):
            # A name the NER model missed: the parse says it speaks.
            name = [
                t for t in head.children if t.pos_ == "PROPN" and t.dep_ in ("compound", "flat")
            ]
            first = min([head, *name], key=lambda t: t.i)
            mention = person_mention(self.doc, first.idx, head.idx + len(head.text))
            self.doc.mentions = sorted([*self.doc.mentions, mention], key=lambda m: m.start)
            self._index()
            return mention.entity
        mentions = {m.entity for t in phrase_tokens(head) if (m := self.mention_of(t)) is not None}
        return next(iter(mentions)) if len(mentions) == 1 else None

    def is_person(self, entity: str | None) -> bool:
        return entity is not None and (
            entity in self.people
            or any(m.entity == entity and m.label == "PERSON" for m in self.mentions)
        )

    def _person_in(self, head: Any, skip: tuple[str, ...] = ()) -> str | None:
        stack, found = [head], None
        while stack:
            token = stack.pop()
            mention = self.mention_of(token)
            if mention is not None and mention.label == "PERSON":
                found = found or mention.entity
            stack.extend(c for c in token.children if c.dep_ not in skip)
        return found

    def pronoun(self, token: Any) -> str | None:
        """The entity a personal pronoun stands for (see the module docstring)."""
        lower = token.lower_
        if lower in PERSONAL:
            wanted = PERSONAL[lower]
            entity = self._antecedent(
                token,
                lambda m: (
                    (m.label == "PERSON" or m.entity in self.people)
                    and self.gender.get(m.entity, wanted) == wanted
                ),
            )
            if entity is not None:
                self.gender.setdefault(entity, wanted)
            return entity
        if lower in GROUP_PRONOUNS:
            return self._antecedent(token, lambda m: m.label in GROUP_LABELS)
        return None

    def _antecedent(self, token: Any, fits: Callable[[Mention], bool]) -> str | None:
        k = bisect_right(self.sentence_starts, token.idx) - 1
        floor = self.sentence_starts[max(0, k - PRONOUN_WINDOW)]
        end = bisect_left(self.starts, token.idx)
        before = [m for m in self.mentions[:end] if fits(m)]
        near = [m for m in before if m.start >= floor]
        salient = [m for m in near if m.entity in self.quoted or m.start in self.subjects]
        for pool in (salient, near, before):
            if pool:
                return pool[-1].entity
        return None


def phrase_tokens(head: Any) -> list[Any]:
    """The tokens of a speaker's noun phrase, without clauses or asides hung on it."""
    tokens = [head]
    stack = [c for c in head.children if c.dep_ not in ("relcl", "acl", "appos", "prep")]
    while stack:
        token = stack.pop()
        if abs(token.i - head.i) <= 12 and not (token.is_punct or token.is_space):
            tokens.append(token)
            stack.extend(c for c in token.children if c.dep_ not in ("relcl", "acl"))
    return tokens


def phrase(head: Any) -> tuple[int, int]:
    """Character span of a speaker's noun phrase."""
    tokens = phrase_tokens(head)
    return min(t.idx for t in tokens), max(t.idx + len(t.text) for t in tokens)


def _roles(text: str, people: list[Mention]) -> dict[str, str]:
    """Title words written right before a person's name, to that person's entity."""
    roles: dict[str, str] = {}
    for person in people:
        before = text[max(0, person.start - 40) : person.start]
        for _ in range(3):
            m = _TITLE_WORDS.search(before)
            if not m or m.group(1) in ("the", "The", "and", "said", "told"):
                break
            roles.setdefault(m.group(1).lower(), person.entity)
            before = before[: m.start()]
    return roles
