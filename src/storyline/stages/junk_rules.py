"""Patterns for page junk left in extracted article text, one named constant per kind.

Every pattern is matched against one line with quotes and whitespace
normalised. ``*_LINE`` patterns must match the whole line; ``*_TAIL``
patterns match a span at the end of a line whose start is real text (the
copyright notice glued to a last paragraph). Short, common UI phrases
(``data/lexicons/ui_phrases.txt``) are listed in several languages because
comment-closed notices and share buttons survive extraction on non-English
sites too.
"""

from __future__ import annotations

import re
from importlib.resources import files

_I = re.IGNORECASE

# Buttons, menus and notices that are whole lines on their own, in several
# languages: an editable list shipped with storyline.
UI_PHRASES = tuple(
    line.strip()
    for line in (files("storyline") / "data" / "lexicons" / "ui_phrases.txt")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip() and not line.startswith("#")
)
UI_LINE = re.compile(
    r"(?:" + "|".join(re.escape(p) for p in UI_PHRASES) + r")[\s.!:\]\[»›>|]*",
    _I,
)
# Separator rules and lone symbols.
RULE_LINE = re.compile(r"[\s_*=~#•·|\-–—]{3,}|[\]\[)(•·|»›<>]+")

# "… headline text … Opens in new window ]": a link to another article.
# Searched, not matched: the marker ends a line that starts with a headline.
RELATED_LINK_TAIL = re.compile(r"\S\s*opens in (?:a )?new (?:window|tab)\W*$", _I)
RELATED_PREFIX_LINE = re.compile(
    r"(?:read more|related|see also|more on this story|read also|recommended|"
    r"lire aussi|à lire aussi|lea también|leia também|mehr zum thema|devamı)\s*[:\-–—]\s*\S.*",
    _I,
)

# Photo captions: the credit at the end names the photographer or agency.
# Searched, not matched: the credit ends a line that starts with the caption.
CAPTION_CREDIT_TAIL = re.compile(
    r"(?:\b(?:photograph|photo|picture|image|illustration|video)\s*(?:by)?\s*:\s*[^.:]{2,80}"
    r"|\((?:photo|picture|image)s? (?:by|credit|courtesy)[^)]*\))\s*$",
    _I,
)
# "A pool photograph distributed by … shows …", "File photo of …"
CAPTION_DESCRIBES_LINE = re.compile(
    r"(?:an? |the )?(?:pool |file |handout |undated |aerial )?"
    r"(?:photograph|photo|picture|image|screenshot|still)\b.{0,120}?"
    r"\b(?:shows?|showing|taken|distributed|released|provided|obtained|of)\b.*",
    _I,
)
# Stand-alone credits: "Image via Shutterstock", "Photo: Jane Doe/AP", "(AP Photo/Name)".
CREDIT_LINE = re.compile(
    r"\(?(?:(?:image|photo|photograph|picture|illustration|video|graphic)s?\s*"
    r"(?:via|by|courtesy(?: of)?|credit|source|:)\s*[^.]{1,80}"
    r"|(?:[A-Z][\w.&'-]*\s?){1,4}/(?:[A-Z][\w.&'-]*\s?){1,4}"
    r"|(?:credit|source|photo credit)\s*:\s*.{1,80}"
    r"|(?:AP|AFP|Reuters|Getty Images|EPA|Shutterstock|Alamy)(?: Photo)?(?:/[^)]{1,60})?)\)?\.?",
    _I,
)

COPYRIGHT_LINE = re.compile(
    r"(?:copyright|\(c\)|©)\s*.{0,160}|.{0,120}\ball rights reserved\b.{0,120}", _I
)
# "… just signed.” – Copyright The Financial Times Limited 2024"
COPYRIGHT_TAIL = re.compile(r"\s*[–—-]?\s*(?:Copyright\b|©)[^.]{2,120}\.?\s*$")
# What the notice says about the outlet, e.g. "Copyright The Financial Times Limited
# 2024" or "© 2025 Benzinga.com."
COPYRIGHT_OWNER = re.compile(
    r"(?i:copyright|\(c\)|©)\s*(?:©\s*)?(?:(?P<year1>(?:19|20)\d\d)\s*)?"
    r"(?P<owner>(?:[Tt]he\s+)?[A-Z][\w&'-]*(?:\.\w+)*(?:\s+[A-Z][\w&'-]*(?:\.\w+)*){0,5})"
    r"(?:\s*(?P<year2>(?:19|20)\d\d))?"
)
OWNER_SUFFIXES = re.compile(
    r"(?:\s+(?:limited|ltd|inc|llc|plc|corp|corporation|group|media|company|co)\.?)+$"
    r"|\.(?:com|net|org|co\.uk|news)$",
    _I,
)

# Bylines and contributor lines.
BYLINE_LINE = re.compile(
    r"(?i:by|written by|reporting by|words by|von|par|por)\s+"
    r"(?P<names>[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}"
    r"(?:\s+(?:and|&)\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3})*)"
    r"(?:\s*[,|–—-]\s*[^.]{0,80})?",
)
CONTRIBUTOR_LINE = re.compile(
    r"(?P<names>[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}"
    r"(?:\s*(?:,|and|&)\s*[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3})*)"
    r"\s+(?:contributed|also contributed)\s+(?:reporting\s+)?to\s+this\b.{0,60}"
    r"|(?:additional reporting|reporting|editing|writing)\s+by\s+(?P<names2>[^.]{2,120})\.?"
    r"(?:\s*;\s*(?:editing|writing)\s+by\s+[^.]{2,120}\.?)?",
    _I,
)

# Newsletters, apps, trading promos and other calls to action.
PROMO_LINE = re.compile(
    r"(?:.{0,60}\b(?:become a (?:member|subscriber|supporter)|\d+ (?:weeks|months) for [$€£]?\d)"
    r".{0,120}"
    r"|(?:sign up|subscribe|register|join|download|get|follow|try|trade|invest|"
    r"inscrivez-vous|abonnez-vous|suscríbete|melde dich)\b.{0,200}"
    r"(?:newsletter|briefing|our app|the app|alerts|insights|updates|inbox|free trial|"
    r"premium|subscription|membership|podcast|on (?:twitter|x|facebook|instagram|whatsapp|"
    r"telegram)|stocks? you care about|investment|capital is at risk)\b.*)",
    _I,
)

# Disclosures that the text was written by a machine: a verb of authorship
# and a machine word in the same short line.
DISCLOSURE_VERB = re.compile(
    r"\b(?:generated|written|produced|created|drafted|assisted|compiled)\s+"
    r"(?:\w+\s+){0,2}?(?:using|by|with|through)\b",
    _I,
)
MACHINE_WORDS = re.compile(
    r"\b(?:AI|A\.I\.|artificial intelligence|automated|automation|machine|language model|"
    r"generative|neuro|GPT|ChatGPT|LLM|bot|algorithm)\b",
    _I,
)

# Datelines with a wire agency: "SEOUL (Reuters) -", "PARIS (AFP) –".
AGENCY_DATELINE = re.compile(
    r"^[A-Z][A-Z .,'-]{1,40}(?:,\s*[A-Z][\w .'-]{1,30})?\s*"
    r"\((?P<agency>[A-Z][\w .&-]{1,30})\)\s*[-–—]"
)
