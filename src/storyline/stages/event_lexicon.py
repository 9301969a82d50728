"""The event lexicon: verbs and nouns that name PLOVER events (shipped data).

``data/lexicons/event_verbs.tsv`` maps a verb lemma to a type, optionally
only with some objects ("sign" + pact is AGREE); the type ``NOUN`` marks a
support verb that takes its type from the event noun it governs ("hold
talks", "impose a curfew", "launch an attack"). ``event_nouns.tsv`` maps
nouns (and two-word names: "hunger strike", "air strike") to types.
``descriptions.tsv`` sorts the common nouns (and a few verbs) that tell who
a party is: incidents, inquiries, facilities, kinds of place.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

NOUN = "NOUN"


@dataclass(frozen=True, slots=True)
class VerbRule:
    type: str
    objects: frozenset[str]


def lexicon_rows(name: str, columns: int = 3) -> list[list[str]]:
    """The rows of a shipped tab-separated table, each padded to ``columns`` fields;
    blank lines and ``#`` comments skipped."""
    text = (files("storyline") / "data" / "lexicons" / name).read_text("utf-8")
    return [
        [*line.split("\t"), *[""] * columns][:columns]
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    ]


@cache
def verb_rules() -> dict[str, list[VerbRule]]:
    """Lemma -> its rules, in the table's order (the first that matches wins)."""
    rules: dict[str, list[VerbRule]] = {}
    for lemma, kind, objects in lexicon_rows("event_verbs.tsv"):
        words = frozenset(w for w in objects.strip().split("|") if w)
        rules.setdefault(lemma.strip(), []).append(VerbRule(kind.strip(), words))
    return rules


@cache
def event_nouns() -> dict[str, str]:
    """Noun lemma or "modifier noun" -> PLOVER type."""
    return {noun.strip().lower(): kind.strip() for noun, kind, _ in lexicon_rows("event_nouns.tsv")}


@cache
def kinds() -> dict[tuple[str, str], str]:
    """(lemma, "noun" or "verb") -> its kind (incident, inquiry, facility, place)."""
    return {
        (word.strip(), pos.strip()): kind.strip()
        for word, kind, pos in lexicon_rows("descriptions.tsv")
    }


def kind_of(token: Any) -> str | None:
    """The kind ``descriptions.tsv`` gives a token's word, if any."""
    pos = "verb" if token.pos_ in ("VERB", "AUX") else "noun"
    found = kinds()
    return found.get((token.lemma_.lower(), pos)) or found.get((token.lower_, pos))
