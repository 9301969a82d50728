"""Titles for texts that arrive without one: the first line, when it is a headline."""

from __future__ import annotations

import re

_MAX_TITLE_WORDS = 30
_MAX_TITLE_CHARS = 200
# Extracted pages often start with leftovers of buttons ("close", "menu"):
# short all-lowercase lines that say nothing about the article.
_UI_RESIDUE = re.compile(r"^[a-z]+(?: [a-z]+)?$")


def guess_title(text: str) -> str | None:
    """The first line when it reads like a headline above a body.

    A headline is short, starts with a capital or digit, does not end like a
    sentence, and more text follows it.
    """
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    while lines and _UI_RESIDUE.match(lines[0]):
        lines.pop(0)
    if len(lines) < 2:
        return None
    first = lines[0]
    words = first.split()
    if not 3 <= len(words) <= _MAX_TITLE_WORDS or len(first) > _MAX_TITLE_CHARS:
        return None
    if not (first[0].isupper() or first[0].isdigit()) or first[-1] in ".,;:":
        return None
    return first
