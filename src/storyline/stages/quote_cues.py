"""Cues: what in the parse says who spoke a quoted span.

First the verb the quoted words hang on: a speech verb ("said", "told",
"asked", "was quoted as saying") or a verb that frames words ("called them
“deplorables”", "described her as a “disgrace”"), and that verb's subject
("the ministry said in a statement", "X issued a statement saying"), or
the name written beside it when the parse found no subject ("…,” Rep. Elijah
Cummings (D-Md.) said"). Failing that, the nearest speech verb in the
quote's sentence or in a short attribution sentence right after it ("“…?”
Vitter demanded."), "according to X", or a name after a dash ("“…” ― Ana
Ruiz"). A cue inside a clause reported by another speech verb keeps that
outer verb too: the words of someone unnamed in a clause are the words of
whoever reports them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from storyline.stages.quote_spans import QuoteSpan

SPEECH_VERBS = frozenset(
    """say tell add warn state claim insist argue explain note ask write announce
    declare reply respond suggest acknowledge admit confirm deny stress urge predict
    promise vow pledge threaten complain recall report describe caution concede
    contend maintain observe remark reveal emphasize emphasise tweet post testify
    conclude continue agree disclose allege assert believe comment demand boast
    shout yell chant scream exclaim proclaim quip joke retort counter muse plead
    read sing recount lament""".split()  # noqa: SIM905
)
# Verbs that introduce speech only with a quote, not as indirect speech cues
# ("believe", "agree" report thought or stance more than words).
INDIRECT_VERBS = SPEECH_VERBS - {
    "believe", "agree", "continue", "describe", "post", "ask", "read", "sing", "chant",
}  # fmt: skip
# Verbs that frame quoted words as their object's name or description.
FRAMING_VERBS = frozenset(
    """call describe brand label dub term deem liken compare hail praise condemn
    denounce dismiss characterize characterise""".split()  # noqa: SIM905
)
# A quote hanging on one of these verbs in the parse is what the subject said.
LINKED_VERBS = SPEECH_VERBS | FRAMING_VERBS | {"quote", "put", "text", "email", "cite"}
# A speech verb this close to the start of the sentence after a quote attributes it.
AFTER_TOKENS = 6
# A speaker is named by a noun phrase or a pronoun (an adjective the parse
# took for a subject is not one).
SPEAKER_POS = frozenset({"NOUN", "PROPN", "PRON", "NUM", "X"})
CLAUSES = ("ccomp", "xcomp", "parataxis", "advcl", "dobj", "oprd")
_DASH = re.compile(r"[^\S\n]*[―—–][^\S\n]*")


@dataclass(slots=True)
class Attribution:
    """What attributes a quote: the cue verb, the speaker phrase's head, and the
    reported clause the quote sits in (for partial quotes)."""

    verb: Any | None = None
    cue: str | None = None
    head: Any | None = None
    clause: tuple[int, int] | None = None
    outer: Attribution | None = None


class Quoted:
    """Which characters lie inside quotation marks."""

    def __init__(self, spans: list[QuoteSpan]) -> None:
        self.starts = [s.outer_start for s in spans]
        self.ends = [s.outer_end for s in spans]

    def __call__(self, offset: int) -> bool:
        k = bisect_right(self.starts, offset) - 1
        return k >= 0 and offset < self.ends[k]

    def between(self, a: int, b: int) -> bool:
        """Whether a quote lies (even partly) between offsets ``a`` and ``b``."""
        lo, hi = min(a, b), max(a, b)
        k = bisect_right(self.starts, lo)
        return k < len(self.starts) and self.starts[k] < hi


def is_verb(token: Any, lexicon: frozenset[str]) -> bool:
    return bool(token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in lexicon)


def subject_of(verb: Any) -> Any | None:
    """The subject of a cue verb, up the chain of "adding", "quoted as saying",
    "a statement saying" and conjoined verbs."""
    token = verb
    for _ in range(5):
        for child in token.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                return child
        for child in token.children:
            if child.dep_ == "agent":
                return next((g for g in child.children if g.dep_ == "pobj"), None)
        if token.head is token or token.dep_ not in (
            "conj", "xcomp", "advcl", "pcomp", "prep", "acl", "dobj", "pobj", "ccomp",
        ):  # fmt: skip
            return None
        if token.dep_ == "ccomp" and token is not verb:
            return None
        token = token.head
    return None


def clause_span(token: Any, floor: int = 0) -> tuple[int, int]:
    """A clause's character span, without its leading "that" or edge punctuation,
    and never before ``floor`` (its paragraph: a headline run into the first
    sentence is not part of it)."""
    words = [t for t in token.subtree if t.dep_ != "mark" or t.i != token.left_edge.i]
    words = [t for t in words if t.idx >= floor]
    words = [t for t in words if not t.is_punct or t.text in "“”\"'’"] or [token]
    return min(t.idx for t in words), max(t.idx + len(t.text) for t in words)


def paragraph_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _inner_tokens(parsed: Any, span: QuoteSpan) -> list[Any]:
    inner = parsed.char_span(span.start, span.end, alignment_mode="expand")
    return list(inner) if inner is not None else []


def _linked(parsed: Any, span: QuoteSpan, quoted: Quoted) -> tuple[Any, Any] | None:
    """The cue verb the quoted words hang on in the parse, and the child of the
    verb on the way to them."""
    tokens = _inner_tokens(parsed, span)
    inside = {t.i for t in tokens}
    for token in tokens:
        node, child = token.head, token
        if node.i in inside:
            continue
        for _ in range(4):
            if quoted(node.idx):
                break
            if is_verb(node, LINKED_VERBS):
                return node, child
            if node.head is node:
                break
            node, child = node.head, node
    return None


def _window(parsed: Any, text: str, span: QuoteSpan) -> list[Any]:
    """The quote's sentences, and the next one when it starts right after the quote."""
    sentences = [
        s for s in parsed.sents if s.start_char < span.outer_end and s.end_char > span.outer_start
    ]
    if not sentences:
        return []
    last = sentences[-1]
    if last.end_char <= span.outer_end + 1 and last.end < len(parsed):
        following = parsed[last.end].sent
        if "\n" not in text[span.outer_end : following.start_char]:
            sentences.append(following)
    return sentences


def _nearest(parsed: Any, text: str, span: QuoteSpan, quoted: Quoted) -> Any | None:
    """The speech verb nearest the quote in its window, with no other quote between."""
    sentences = _window(parsed, text, span)
    verbs = []
    for sentence in sentences:
        after = sentence.start_char >= span.outer_end
        for t in sentence:
            if not is_verb(t, SPEECH_VERBS) or quoted(t.idx):
                continue
            if after and t.i - sentence.start > AFTER_TOKENS:
                continue
            edge = span.outer_end if t.idx >= span.outer_end else span.outer_start
            if not quoted.between(edge, t.idx):
                verbs.append(t)
    if not verbs:
        return None
    return min(verbs, key=lambda t: min(abs(t.idx - span.outer_start), abs(t.idx - span.outer_end)))


def _according_to(sentences: list[Any], quoted: Quoted) -> Any | None:
    for sentence in sentences:
        for token in sentence:
            if (
                token.lower_ == "according"
                and token.i + 1 < len(token.doc)
                and not quoted(token.idx)
            ):
                nxt = token.doc[token.i + 1]
                if nxt.lower_ == "to":
                    return next((c for c in nxt.children if c.dep_ == "pobj"), None)
    return None


def _dash_name(parsed: Any, text: str, span: QuoteSpan) -> Any | None:
    """The name after a dash that signs a quote ("“…” ― Ana Ruiz")."""
    m = _DASH.match(text, span.outer_end)
    if not m:
        return None
    after = parsed.char_span(m.end(), min(len(text), m.end() + 1), alignment_mode="expand")
    if after is None or not after[0].is_title:
        return None
    token = after[0]
    while token.dep_ in ("compound", "flat") and token.head.i > token.i:
        token = token.head
    return token


def _outer(
    verb: Any, span: QuoteSpan, floor: int, quoted: Quoted, inner: tuple[int, int] | None
) -> Attribution | None:
    """The speech verb whose reported clause holds this cue ("Ellison said the
    report vindicated residents who … called on the board to “…”"), or that
    is set into that clause ("a majority, Mr. Obama said, have come to …")."""
    node = verb
    for _ in range(6):
        aside = next(
            (
                c
                for c in node.children
                if c.dep_ == "parataxis" and c is not verb and is_verb(c, SPEECH_VERBS)
            ),
            None,
        )
        if aside is not None and not quoted(aside.idx):
            head = subject_of(aside)
            if head is not None and not quoted(head.idx):
                return Attribution(aside, aside.text, head, inner)
        if node.head is node:
            return None
        child, node = node, node.head
        if is_verb(node, SPEECH_VERBS) and child.dep_ in CLAUSES and not quoted(node.idx):
            head = subject_of(node)
            if head is None or quoted(head.idx):
                return None
            return Attribution(node, node.text, head, _clause(node, child, span, floor))
    return None


def _beside(parsed: Any, verb: Any, span: QuoteSpan, quoted: Quoted) -> Any | None:
    """The speaker written right beside a cue the parse left without a subject
    ("…,” Rep. Elijah Cummings (D-Md.) said"; "said Robert McAtee, …")."""
    if verb.idx >= span.outer_end:
        between = parsed.char_span(span.outer_end, verb.idx, alignment_mode="contract")
        window = list(between) if between is not None else []
    else:
        window = []
    window += [t for t in parsed[verb.i + 1 : verb.i + 6] if not quoted(t.idx)]
    names = [t for t in window if t.pos_ in ("PROPN", "PRON", "NOUN") and not quoted(t.idx)]
    if not names:
        return None
    first = names[0]
    run = [t for t in names if t.pos_ == first.pos_ and abs(t.i - first.i) <= 3]
    return run[-1] if first.pos_ == "PROPN" else first


def _clause(verb: Any, child: Any | None, span: QuoteSpan, floor: int) -> tuple[int, int] | None:
    """The span of the verb's reported clause (or framed object) that holds the quote."""
    if is_verb(verb, FRAMING_VERBS):
        start = verb.idx + len(verb.text)
        start += len(verb.doc.text[start:]) - len(verb.doc.text[start:].lstrip())
        return (start, span.outer_end) if start < span.outer_start else None
    inner = [t for t in _inner_tokens(verb.doc, span) if not t.is_punct]
    candidates = [c for c in (child, *verb.children) if c is not None and c.dep_ in CLAUSES]
    for c in candidates:
        if inner and c.left_edge.i <= inner[0].i and inner[-1].i <= c.right_edge.i:
            c_start, c_end = clause_span(c, floor)
            return min(c_start, span.outer_start), max(c_end, span.outer_end)
    return None


def _without(sentence: Any, aside: Any, span: QuoteSpan, floor: int) -> tuple[int, int]:
    """The sentence's span without an aside ("according to X") at either end."""
    skip = {t.i for t in aside.subtree}
    words = [
        t
        for t in sentence
        if t.i not in skip and t.idx >= floor and (not t.is_punct or t.text in '“”"')
    ]
    if not words:
        return span.outer_start, span.outer_end
    return min(words[0].idx, span.outer_start), max(
        words[-1].idx + len(words[-1].text), span.outer_end
    )


def attribute(parsed: Any, text: str, span: QuoteSpan, quoted: Quoted) -> Attribution:
    """What the quote's own sentence says about who said it."""
    found = _linked(parsed, span, quoted)
    verb, child = found if found else (_nearest(parsed, text, span, quoted), None)
    if verb is not None:
        floor = paragraph_start(text, span.outer_start)
        head = subject_of(verb)
        if head is not None and (quoted(head.idx) or head.pos_ not in SPEAKER_POS):
            head = None
        if head is None:
            head = _beside(parsed, verb, span, quoted)
        clause = _clause(verb, child, span, floor)
        outer = _outer(verb, span, floor, quoted, clause)
        return Attribution(verb, verb.text, head, clause, outer)
    according = _according_to(_window(parsed, text, span), quoted)
    if according is not None:
        floor = paragraph_start(text, span.outer_start)
        aside = according.head.head if according.head.head.lower_ == "according" else according
        clause = _without(according.sent, aside, span, floor)
        return Attribution(None, "according to", according, clause)
    dash = _dash_name(parsed, text, span)
    if dash is not None:
        return Attribution(None, text[span.outer_end : dash.idx].split()[0], dash)
    return Attribution()
