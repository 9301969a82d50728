"""Who a party a document left unnamed is, by what the rest of its story tells.

A document may name a party only by its role ("urged workers to return"),
by a kind of place ("the city's bill") or by an act ("rejected a pay
offer"); the story's other documents often say who it is:

- a role: the one entity the story's events give that role ("workers" are
  the Harbour and Dock Workers' Union when it is the story's only labour
  actor);
- a kind of place: the place the story's documents name most ("the city"
  of a story told from Calder), when no other place is named as often;
- an act: whoever the story's events show doing it ("a pay offer" is
  Halloran Container Terminals' when HCT is the one actor that "offered").

Nothing is guessed: a description two entities could fit stays unresolved.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from storyline.model import Event
from storyline.stages.event_lexicon import kinds


def _only(found: set[str]) -> str | None:
    return next(iter(found)) if len(found) == 1 else None


def _place(places: Counter[str]) -> str | None:
    """The place the story names most, if no other is named as often."""
    ranked = places.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


class StoryParties:
    """What one story's event mentions and documents tell of its parties."""

    def __init__(self, mentions: Sequence[Event], places: Counter[str]) -> None:
        self.place = _place(places)
        # Role -> the entities the story's events give it, on either side.
        self.roles: dict[str, set[str]] = {}
        # Action word ("offer") -> the actors of the events doing it.
        self.doers: dict[str, set[str]] = {}
        for event in mentions:
            for entity, role in (
                (event.actor, event.actor_role),
                (event.target, event.target_role),
            ):
                if entity and role:
                    self.roles.setdefault(role, set()).add(entity)
            if event.actor:
                for word in event.action.split():
                    self.doers.setdefault(word, set()).add(event.actor)

    def _target(self, event: Event) -> str | None:
        noun = event.target_noun
        if noun is not None and kinds().get((noun, "noun")) == "place":
            return self.place
        if noun is not None:
            return _only(self.doers.get(noun, set()) - {event.actor or ""})
        if event.target_role is not None:
            return _only(self.roles.get(event.target_role, set()) - {event.actor or ""})
        return None

    def _actor(self, event: Event) -> str | None:
        if event.actor_role is None:
            return None
        return _only(self.roles.get(event.actor_role, set()) - {event.target or ""})

    def resolve(self, event: Event) -> Event:
        """The event with the parties it left unnamed resolved, where the story
        tells who they are."""
        actor = event.actor or self._actor(event)
        target = event.target or self._target(event)
        if (actor, target) == (event.actor, event.target) or actor == target:
            return event
        return replace(event, actor=actor, target=target)
