"""Who a common noun phrase stands for when it names no one, from the rest of
its document: "the union", "members", "the spill", "the inquiry".

- An organisation by its kind: "the union", "their union" is the one
  organisation the document names with that word at the end of its name
  ("the Harbour and Dock Workers' Union"); "the water authority" the one
  ending in "Water Authority".
- A noun the document gave an owner earlier: "members" after "members of
  the HDWU".
- An incident ("the spill"; the kinds are in ``data/lexicons/descriptions.tsv``)
  is aimed at whoever it happened at: the owner the document gives its
  incidents ("a leak at the Northgate Chemicals plant", "a breach at Vantry",
  "the tank at its works failed").
- An inquiry (or its report) acts for whoever leads it ("the report by
  retired judge Rupert Ashdown", "Ashdown will lead the inquiry").

An owner is an organisation or a person named in the document. Nothing is
guessed: a description two names could fit stays unresolved.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from storyline.model import Document, Mention
from storyline.stages.actors import pobjs
from storyline.stages.entities import fold
from storyline.stages.event_lexicon import kind_of
from storyline.stages.names import name_mention, name_span, named, unnamed

OWNERS = frozenset({"ORG", "PERSON"})
MEMBERS_OF = frozenset({"ORG", "PERSON", "GPE", "NORP"})
# Verbs whose subject runs an inquiry: "Ashdown will lead the inquiry".
_LEADS = frozenset({"lead", "head", "chair", "conduct", "run"})
_OWNER_PREPOSITIONS = frozenset({"at", "of", "by"})


class Descriptions:
    """The descriptions of one parsed document, resolved on demand (the document's
    incident and inquiry owners once)."""

    def __init__(self, doc: Document, parsed: Any) -> None:
        self.doc = doc
        self.parsed = parsed
        self._owners: dict[str, Mention | None] = {}
        self._words: dict[tuple[str, str], list[int]] | None = None

    def _where(self, pos: str, word: str) -> list[int]:
        """The positions of a word: proper nouns by their lower-case form, common
        nouns by their lemma (indexed once per document)."""
        if self._words is None:
            self._words = {}
            for token in self.parsed:
                if token.pos_ == "PROPN" and token.text[:1].isupper():
                    self._words.setdefault(("PROPN", token.lower_), []).append(token.i)
                elif token.pos_ == "NOUN":
                    self._words.setdefault(("NOUN", token.lemma_), []).append(token.i)
        return self._words.get((pos, word), [])

    def _named(self, token: Any, labels: frozenset[str] = OWNERS) -> Mention | None:
        found = named(self.doc, token)
        return found if found is not None and found.label in labels else None

    def _possessor(self, pronoun: Any) -> Mention | None:
        """Whose "its" or "whose" is: the noun a "whose" clause describes, or the
        subject of the verb reporting the clause that holds "its"."""
        if pronoun.tag_ == "WP$":
            clause = next((a for a in pronoun.ancestors if a.dep_ == "relcl"), None)
            return self._named(clause.head) if clause is not None else None
        clause = next((a for a in pronoun.ancestors if a.dep_ == "ccomp"), None)
        if clause is None:
            return None
        subject = next((c for c in clause.head.children if c.dep_ == "nsubj"), None)
        return self._named(subject) if subject is not None else None

    def owner(self, token: Any, depth: int = 3) -> Mention | None:
        """Whose a thing is: its possessor, a name before it ("the Northgate
        Chemicals plant"), or what it is at, of or by, followed down a few phrases
        ("the rupture of a tank at Northgate's plant")."""
        for child in token.children:
            if child.dep_ == "poss":
                found = self._possessor(child) if child.pos_ == "PRON" else self._named(child)
                if found is not None:
                    return found
        for child in token.children:
            if child.dep_ == "compound" and child.i < token.i:
                found = self._named(child)
                if found is not None:
                    return found
        for place in pobjs(token, _OWNER_PREPOSITIONS):
            found = self._named(place)
            if found is None and depth > 1:
                found = self.owner(place, depth - 1)
            if found is not None:
                return found
        return None

    def _most(self, found: list[Mention]) -> Mention | None:
        if not found:
            return None
        counts = Counter(m.entity for m in found)
        best = max(counts, key=lambda e: (counts[e], -min(m.start for m in found if m.entity == e)))
        return next(m for m in found if m.entity == best)

    def incident_owner(self) -> Mention | None:
        """Whoever the document's incidents happened at (the most often named)."""
        if "incident" not in self._owners:
            found = []
            for token in self.parsed:
                if kind_of(token) != "incident":
                    continue
                if token.pos_ in ("VERB", "AUX"):
                    things = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
                    places = pobjs(token, frozenset({"at"}))
                    owners = [self.owner(t) for t in things]
                    owners += [self._named(p) or self.owner(p) for p in places]
                else:
                    owners = [self.owner(token)]
                found += [o for o in owners if o is not None]
            self._owners["incident"] = self._most(found)
        return self._owners["incident"]

    def inquiry_owner(self) -> Mention | None:
        """Whoever leads the document's inquiry: "the report by X", "X's
        inquiry", "X will lead the inquiry"."""
        if "inquiry" not in self._owners:
            found = []
            for token in self.parsed:
                if kind_of(token) != "inquiry" or token.pos_ in ("VERB", "AUX"):
                    continue
                own = self.owner(token, depth=1)
                if own is not None:
                    found.append(own)
                head = token.head
                if token.dep_ == "dobj" and head.lemma_.lower() in _LEADS:
                    leader = next((c for c in head.children if c.dep_ == "nsubj"), None)
                    own = self._named(leader) if leader is not None else None
                    if own is not None:
                        found.append(own)
            self._owners["inquiry"] = self._most(found)
        return self._owners["inquiry"]

    def organisation(self, head: Any) -> Mention | None:
        """The organisation "the union" (or "their union", "the water authority")
        stands for: the one name in the document ending in those words."""
        determiners = [c for c in head.children if c.dep_ in ("det", "poss")]
        if head.pos_ != "NOUN" or not any(
            c.lower_ == "the" or c.pos_ == "PRON" for c in determiners
        ):
            return None
        tail = [c.lower_ for c in head.children if c.dep_ == "compound" and c.i < head.i]
        tail.append(head.lower_)
        candidates: dict[str, Mention | Any] = {}
        for mention in self.doc.mentions:
            words = mention.text.lower().split()
            if mention.label == "ORG" and len(words) > len(tail) and words[-len(tail) :] == tail:
                candidates.setdefault(fold(mention.text), mention)
        for position in self._where("PROPN", head.lower_):
            token = self.parsed[position]
            if unnamed(token, self.doc.mentions):
                if token.dep_ in ("compound", "nmod") and token.head.pos_ == "PROPN":
                    continue  # a word inside a longer name
                start, end = name_span(self.doc, token)
                words = self.doc.text[start:end].lower().split()
                if len(words) > len(tail) and words[-len(tail) :] == tail:
                    candidates.setdefault(fold(self.doc.text[start:end]), token)
        if len(candidates) != 1:
            return None
        (found,) = candidates.values()
        return found if isinstance(found, Mention) else name_mention(self.doc, found)

    def earlier(self, head: Any) -> Mention | None:
        """The owner the document gave the same noun before: "members" after
        "members of the Harbour and Dock Workers' Union (HDWU)"."""
        if head.pos_ != "NOUN":
            return None
        for position in reversed(self._where("NOUN", head.lemma_)):
            if position >= head.i:
                continue
            token = self.parsed[position]
            owners = [c for c in token.children if c.dep_ == "poss" and c.pos_ != "PRON"]
            owners += pobjs(token, frozenset({"of"}))
            for owner in owners:
                found = self._named(owner, MEMBERS_OF)
                if found is not None:
                    return found
        return None
