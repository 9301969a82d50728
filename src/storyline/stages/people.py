"""Who is a person, and of which gender, by how the article writes about them.

The small NER model calls some people organisations ("Siobhan Kearney" as
an ORG) and never says whether a person is a man or a woman; the article
does: a personal title ("Ms Kearney", "Mr Chang"), a gendered role in
apposition ("Lee Ha-eun, the water authority's spokeswoman"), a relative
clause with "who" ("Grace Tolland, a retired teacher who …"), or the pronoun
of what the person says ("Kearney said she would attend").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from typing import Any

from storyline.model import Mention

PERSONAL = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}
PERSON = "person"
_HONORIFIC = {
    **dict.fromkeys(("mr", "sir", "lord", "king", "prince", "father"), "m"),
    **dict.fromkeys(("mrs", "ms", "miss", "dame", "lady", "queen", "princess", "sister"), "f"),
}
_GENDERED_ROLES = {
    **dict.fromkeys(
        """spokesman chairman congressman businessman husband father son brother
        boyfriend widower grandfather uncle nephew actor king""".split(),  # noqa: SIM905
        "m",
    ),
    **dict.fromkeys(
        """spokeswoman chairwoman congresswoman businesswoman wife mother daughter
        sister girlfriend widow grandmother aunt niece actress queen""".split(),  # noqa: SIM905
        "f",
    ),
}
_HONORIFIC_BEFORE = re.compile(r"\b([A-Za-z]+)\.?[ \t]+$")


def by_token(parsed: Any, mentions: list[Mention]) -> dict[int, Mention]:
    """Each token's mention (the one covering its first character); mentions sorted."""
    starts = [m.start for m in mentions]
    found: dict[int, Mention] = {}
    for token in parsed:
        k = bisect_left(starts, token.idx + 1) - 1
        if k >= 0 and mentions[k].start <= token.idx < mentions[k].end:
            found[token.i] = mentions[k]
    return found


def signs(text: str, parsed: Any, at_token: dict[int, Mention]) -> dict[int, list[str]]:
    """The signs of a person at each mention (by its start): "m", "f" or ``PERSON``."""
    found: dict[int, list[str]] = {}
    for mention in _distinct(at_token.values()):
        before = _HONORIFIC_BEFORE.search(text, max(0, mention.start - 12), mention.start)
        first = mention.text.split(maxsplit=1)[0].rstrip(".").lower()
        title = first if first in _HONORIFIC else (before.group(1).lower() if before else "")
        if title in _HONORIFIC:
            found.setdefault(mention.start, []).append(_HONORIFIC[title])
    for token in parsed:
        at = at_token.get(token.i)
        if at is None or at_token.get(token.i + 1) is at:
            continue  # one look per mention, from its last token
        said = found.setdefault(at.start, [])
        described = [token, *(c for c in token.children if c.dep_ == "appos")]
        if token.dep_ == "appos":
            described.append(token.head)
        for noun in described:
            if noun.lower_ in _GENDERED_ROLES:
                said.append(_GENDERED_ROLES[noun.lower_])
            if any(
                c.dep_ == "relcl" and any(g.lower_ == "who" for g in c.children)
                for c in noun.children
            ):
                said.append(PERSON)
        root = token
        while root.dep_ in ("compound", "flat", "appos") and root.head is not root:
            root = root.head
        if root.dep_ in ("nsubj", "nsubjpass"):
            for child in root.head.children:
                if child.dep_ in ("ccomp", "dobj", "xcomp"):
                    pronoun = next((t for t in child.subtree if t.lower_ in PERSONAL), None)
                    if pronoun is not None:
                        said.append(PERSONAL[pronoun.lower_])
                        break
    return {start: said for start, said in found.items() if said}


def gender(said: list[str]) -> str | None:
    """The gender most signs agree on, if they do."""
    male, female = said.count("m"), said.count("f")
    return None if male == female else ("m" if male > female else "f")


def _distinct(mentions: Iterable[Mention]) -> list[Mention]:
    seen: dict[int, Mention] = {}
    for m in mentions:
        seen.setdefault(m.start, m)
    return list(seen.values())
