"""A synthetic news corpus with known stories, copies and rewrites, at any size.

Stories are made of fictional people, places and organisations; each article
tells a random subset of its story's facts and quotes. Some articles are
derived from an earlier one: an exact duplicate, a syndicated copy under
another outlet, or a rewrite (sentences paraphrased by word substitution,
some dropped, order and quotes kept, sometimes crediting the source). The
ground truth comes with it, for quality and scale measurements.

    python -m storyline.synth --docs 10000 --stories 500 -o corpus.jsonl --truth truth.json
"""

from __future__ import annotations

import argparse
import json
import random
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

_SYLLABLES = "ka lo mi ren dar vol sen tie bra nor gal fen ost rim hal dun mar wes tor lin".split()  # noqa: SIM905
_QUOTE_WORDS = [*_SYLLABLES, "we", "will", "not", "accept", "this", "the", "town"]
_VERBS = [
    ("announced", "said"),
    ("rejected", "turned down"),
    ("approved", "backed"),
    ("criticised", "condemned"),
    ("opened", "launched"),
    ("suspended", "halted"),
    ("investigated", "looked into"),
    ("signed", "agreed"),
]
_NOUNS = [
    ("plan", "proposal"),
    ("contract", "deal"),
    ("inquiry", "investigation"),
    ("budget", "spending plan"),
    ("strike", "walkout"),
    ("agreement", "accord"),
    ("project", "scheme"),
    ("report", "review"),
]
_SYNONYMS = {
    "said": "stated",
    "officials": "authorities",
    "residents": "locals",
    "expected": "likely",
    "million": "million",
    "week": "week",
    "began": "started",
    "warned": "cautioned",
    "council": "council",
    "about": "around",
    "would": "will",
    "after": "following",
    "announced": "revealed",
    "people": "residents",
}
_OUTLETS = [
    f"{name} {kind}"
    for name in (
        "North",
        "Harbor",
        "Valley",
        "Civic",
        "Capital",
        "Coast",
        "River",
        "Summit",
        "Lake",
        "Metro",
    )
    for kind in ("Courier", "Ledger", "Post", "Wire", "Daily")
]


def _name(rng: random.Random, parts: int = 3) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


@dataclass(slots=True)
class _Fact:
    actor: str
    verb: str
    noun: str
    amount: int
    person: str


@dataclass(slots=True)
class _Story:
    id: str
    place: str
    start: datetime
    facts: list[_Fact] = field(default_factory=list)
    quotes: list[tuple[str, str]] = field(default_factory=list)


# Each outlet words a fact its own way: independent reports share facts and
# quotes, not sentences.
_WORDINGS = (
    "{actor} {verb} a {noun} worth {amount} million in {place}, {person} said.",
    "In {place}, {person} said {actor} had {verb} a {amount} million {noun}.",
    "A {noun} of {amount} million was {verb} by {actor} on Tuesday, according to {person}.",
    "{person} confirmed that {actor} {verb} the {amount} million {noun} for {place}.",
    "The {amount} million {noun} for {place} was {verb} by {actor}, {person} told reporters.",
)


def _story(rng: random.Random, index: int, start: datetime, facts: int) -> _Story:
    people = [f"{_name(rng, 2)} {_name(rng)}" for _ in range(3)]
    kind = rng.choice(["Holdings", "Authority", "Union", "Council", "Group"])
    orgs = [f"{_name(rng)} {kind}", f"the {_name(rng)} council"]
    story = _Story(f"S{index:05d}", f"Port {_name(rng)}", start)
    for _ in range(facts):
        story.facts.append(
            _Fact(
                rng.choice(orgs),
                rng.choice(_VERBS)[0],
                rng.choice(_NOUNS)[0],
                rng.randint(2, 900),
                rng.choice(people),
            )
        )
    for _ in range(4):
        words = [rng.choice(_QUOTE_WORDS) for _ in range(rng.randint(8, 14))]
        story.quotes.append((rng.choice(people), " ".join(words).capitalize() + "."))
    return story


_DETAILS = (
    "The {place} harbour office did not respond to a request for comment.",
    "Local traders in {place} said they had heard nothing from {actor} so far.",
    "A similar dispute in {place} ended in {year} without any settlement.",
    "Opposition members called for a public hearing before the summer recess.",
    "Shares in regional suppliers fell slightly in early trading on the news.",
    "Weather forecasters warned that storms could delay any work in {place}.",
    "Campaigners in {place} plan to hold a meeting at the town hall on Friday.",
    "The ministry said it was following developments closely.",
)


def _article_text(
    rng: random.Random, story: _Story, told: tuple[int, int]
) -> tuple[str, list[str]]:
    """One outlet's report: some of the story's facts in its own words and order,
    two of the quotes, and details of its own; and what each paragraph tells
    (``f3``: the story's fourth fact, ``q1``: its second quote, ``d0``: the
    first detail)."""
    chosen = rng.sample(range(len(story.facts)), rng.randint(*told))
    paragraphs, items = [], []
    for i in chosen:
        fact = story.facts[i]
        verb = rng.choice([v for pair in _VERBS if fact.verb in pair for v in pair])
        noun = rng.choice([n for pair in _NOUNS if fact.noun in pair for n in pair])
        sentence = rng.choice(_WORDINGS).format(
            actor=fact.actor,
            verb=verb,
            noun=noun,
            amount=fact.amount,
            person=fact.person,
            place=story.place,
        )
        paragraphs.append(sentence[0].upper() + sentence[1:])
        items.append(f"f{i}")
    for detail in rng.sample(_DETAILS, 3):
        at = rng.randint(0, len(paragraphs))
        paragraphs.insert(
            at,
            detail.format(
                place=story.place, actor=story.facts[0].actor, year=rng.randint(1990, 2020)
            ),
        )
        items.insert(at, f"d{_DETAILS.index(detail)}")
    for speaker, quote in rng.sample(story.quotes, 2):
        at = rng.randint(1, len(paragraphs))
        paragraphs.insert(at, f'"{quote}" said {speaker}.')
        items.insert(at, f"q{story.quotes.index((speaker, quote))}")
    return "\n\n".join(paragraphs), items


def _paraphrase(rng: random.Random, text: str, credit: str | None) -> tuple[str, list[int]]:
    """A rewrite: quotes kept verbatim, other paragraphs reworded word by word
    (each swap taken at random, so two rewrites of one text differ), a few
    dropped, the order kept; and which paragraphs of the source it keeps."""
    swaps = {a: b for pairs in (_VERBS, _NOUNS) for a, b in pairs} | _SYNONYMS
    out, kept = [], []
    for i, paragraph in enumerate(text.split("\n\n")):
        if paragraph.startswith('"'):
            out.append(paragraph)
            kept.append(i)
        elif rng.random() >= 0.2:
            words = paragraph.split(" ")
            out.append(
                " ".join(swaps[w] if w in swaps and rng.random() < 0.7 else w for w in words)
            )
            kept.append(i)
    if credit and out:
        out[0] = out[0].rstrip(".") + f", {credit} reported."
    return "\n\n".join(out), kept


def generate(
    docs: int,
    stories: int,
    seed: int = 7,
    *,
    facts: int = 10,
    told: tuple[int, int] = (4, 6),
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(JSONL record, truth record) pairs; derived articles come after their source.

    Each story has ``facts`` facts; an independent article tells between
    ``told[0]`` and ``told[1]`` of them (more make longer articles). A truth
    record says what each paragraph of the article tells (``items``: the
    story's facts ``f0``…, quotes ``q0``…, details ``d0``…, in order).
    """
    rng = random.Random(seed)
    start = datetime(2026, 1, 5, 8, tzinfo=UTC)
    all_stories = [
        _story(rng, i, start + timedelta(days=rng.randint(0, 300)), facts) for i in range(stories)
    ]
    recent: deque[dict[str, Any]] = deque(maxlen=200)
    for n in range(docs):
        url = f"https://synth.example/a/{n:07d}"
        roll = rng.random()
        if recent and roll < 0.25:
            source = rng.choice(recent)
            kind = "duplicate" if roll < 0.03 else "syndicated" if roll < 0.13 else "rewrite"
            when = datetime.fromisoformat(source["published"]) + timedelta(hours=rng.randint(1, 30))
            items = list(source["items"])
            if kind == "duplicate":
                text, outlet = source["body"] + "\n\nRead more", source["outlet"]
                items.append("more")
            elif kind == "syndicated":
                text = source["body"]
                outlet = rng.choice([o for o in _OUTLETS if o != source["outlet"]])
            else:
                outlet = rng.choice([o for o in _OUTLETS if o != source["outlet"]])
                credit = source["outlet"] if rng.random() < 0.5 else None
                text, kept = _paraphrase(rng, source["body"], credit)
                items = [items[i] for i in kept]
            body = text
            truth = {
                "url": url,
                "story": source["story"],
                "derived_from": source["url"],
                "kind": kind,
                "items": items,
            }
            story_id = source["story"]
        else:
            story = rng.choice(all_stories)
            when = story.start + timedelta(hours=rng.randint(0, 72))
            outlet = rng.choice(_OUTLETS)
            body, items = _article_text(rng, story, told)
            truth = {
                "url": url,
                "story": story.id,
                "derived_from": None,
                "kind": None,
                "items": items,
            }
            story_id = story.id
        # Every outlet signs its pages: a syndicated copy differs from its source.
        record = {
            "url": url,
            "outlet": outlet,
            "published": when.isoformat(),
            "text": f"{body}\n\n© {when.year} {outlet}. All rights reserved.",
        }
        recent.append(record | {"story": story_id, "body": body, "items": items})
        yield record, truth


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic corpus and its ground truth.")
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--stories", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-o", "--out", type=Path, required=True)
    parser.add_argument("--truth", type=Path, required=True)
    args = parser.parse_args()
    with args.out.open("w", encoding="utf-8") as out, args.truth.open("w", encoding="utf-8") as tr:
        for record, truth in generate(args.docs, args.stories, args.seed):
            out.write(json.dumps(record) + "\n")
            tr.write(json.dumps(truth) + "\n")


if __name__ == "__main__":
    main()
