"""What an event means for the relation between its two parties.

The shipped table ``data/lexicons/relations.tsv`` maps each PLOVER type (and,
where the verb matters, its action: "accuse" is an accusation, "summon" a
protest) to a relation and a cooperation-conflict score in the spirit of the
Goldstein scale, so analysts can change the weights without touching code.
PLOVER codes a stated intention to cooperate as AGREE; when the intended act
is of another type ("will consider supplying weapons" is an intention to
AID), the relation is that act's, marked as an intention, with AGREE's score.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from storyline.errors import ConfigError
from storyline.model import Event
from storyline.stages.event_lexicon import NOUN, event_nouns, lexicon_rows, verb_rules
from storyline.stages.event_merge import SYMMETRIC

TABLE = "relations.tsv"


@dataclass(frozen=True, slots=True)
class Rule:
    type: str
    actions: frozenset[str]
    relation: str
    score: float


@dataclass(frozen=True, slots=True)
class Relation:
    """The relation an event forms: its name, score, whether it has a direction
    (a pact binds both sides, a protest goes from one to the other), and whether
    the event only states an intention."""

    name: str
    score: float
    directed: bool
    intent: bool = False


@cache
def rules() -> dict[str, list[Rule]]:
    """PLOVER type -> its rows, in the table's order."""
    found: dict[str, list[Rule]] = {}
    for kind, actions, relation, score in lexicon_rows(TABLE, columns=4):
        try:
            value = float(score)
        except ValueError:
            raise ConfigError(f"{TABLE}: {kind}: score {score!r} is not a number") from None
        words = frozenset(w for w in actions.strip().split("|") if w)
        found.setdefault(kind.strip(), []).append(
            Rule(kind.strip(), words, relation.strip(), value)
        )
    return found


def _rule(kind: str, verb: str) -> Rule | None:
    return next(
        (r for r in rules().get(kind, []) if not r.actions or verb in r.actions),
        None,
    )


def intended(action: str) -> str | None:
    """The PLOVER type of the act an action names ("supply weapon" is AID), by the
    event lexicon; None when the lexicon does not know it."""
    verb, *objects = action.split(" ")
    for rule in verb_rules().get(verb, []):
        if rule.type == NOUN:
            noun = event_nouns().get(objects[0]) if objects else None
            if noun:
                return noun
        elif not rule.objects or rule.objects & set(objects):
            return rule.type
    return None


def relation_of(event: Event) -> Relation | None:
    """The relation an event forms, or None when the table has no row for its type."""
    verb = event.action.split(" ")[0]
    agreed = _rule(event.type, verb)
    if agreed is None:
        return None
    if event.type == "AGREE":
        act = intended(event.action)
        meant = _rule(act, verb) if act and act != "AGREE" else None
        if meant is not None and meant.score > 0:
            return Relation(meant.relation, agreed.score, act not in SYMMETRIC, intent=True)
    return Relation(agreed.relation, agreed.score, event.type not in SYMMETRIC)


def sign(kind: str) -> int:
    """+1 for a cooperative PLOVER type, -1 for a hostile one, 0 for one the table
    does not score."""
    found = rules().get(kind)
    score = found[-1].score if found else 0.0
    return (score > 0) - (score < 0)
