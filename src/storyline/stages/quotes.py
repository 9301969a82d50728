"""Quotes: who said what, directly, in part, or in reported speech.

Direct quotes are the spans inside quotation marks (``quote_spans``), each
attributed by its cue in the parse (``quote_cues``) and its speaker resolved
to an entity (``quote_speakers``). A quote with no cue of its own is spoken
by whoever spoke last in its paragraph: the second half of a quote broken by
its attribution (“A,” X said. “B.”) joins the first as one quote; a quote
paragraph after "X said:", after X's quote paragraph, or after a sentence
about X is X's. When the marks cover only part of what the verb introduces
("Putin warned it would be a “big mistake” …"), the quote is ``partial``
and its text is the whole reported clause; several quoted pieces on one
verb are one quote. A speech verb with a reported clause and no marks at
all is ``indirect`` speech. A few quoted words nobody is said to have said,
a borrowed phrase with no speaker, or a quoted title ("“Face the Nation”")
are not quotes.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from storyline.ids import stable_id
from storyline.model import Document, Quote
from storyline.settings import Settings
from storyline.stages.annotate import ANNOTATED_LANGUAGES, load_model
from storyline.stages.quote_cues import (
    FRAMING_VERBS,
    INDIRECT_VERBS,
    Attribution,
    Quoted,
    attribute,
    clause_span,
    is_verb,
    paragraph_start,
    subject_of,
)
from storyline.stages.quote_spans import QuoteSpan, paragraphs, quote_spans
from storyline.stages.quote_speakers import Speakers
from storyline.store import Store

# A quote covering at least this share of its clause is the clause itself,
# unless at least this many of the clause's words stand outside the marks.
DIRECT_SHARE = 0.6
OUTSIDE_WORDS = 3
MIN_INDIRECT_WORDS = 4
# A few quoted words nobody is said to have said are a title or scare quotes.
SCARE_WORDS = 3
_WORD = re.compile(r"\w[\w'’-]*")
_SMALL = frozenset({"a", "an", "the", "and", "of", "in", "on", "for", "to", "at", "with", "or"})


@dataclass(slots=True)
class _Found:
    """A quote being built: its pieces (one, or two for a quote broken by its attribution)."""

    span: QuoteSpan
    paragraph: int
    kind: str
    start: int
    end: int
    text: str
    speaker: str | None
    speaker_text: str | None
    cue: str | None
    verb: int | None

    def join(self, text: str, span: QuoteSpan) -> None:
        """The next piece of a direct quote broken by its attribution."""
        self.text = self.text.rstrip() + " " + text[span.start : span.end].strip()
        self.end = span.end
        self.span = QuoteSpan(self.span.start, span.end, self.span.outer_start, span.outer_end)

    def cover(self, text: str, start: int, end: int) -> None:
        """Widen a partial quote to the clause holding all its quoted pieces."""
        self.kind, self.start, self.end, self.text = "partial", start, end, text[start:end]


def _partial(text: str, span: QuoteSpan, clause: tuple[int, int]) -> bool:
    """Whether the marks cover only part of the reported clause: "the intake had
    been closed “as soon as our sensors picked up the solvent”"."""
    outside = len(_WORD.findall(text[clause[0] : span.outer_start])) + len(
        _WORD.findall(text[span.outer_end : clause[1]])
    )
    share = (span.end - span.start) / max(1, clause[1] - clause[0])
    return share < DIRECT_SHARE or outside >= OUTSIDE_WORDS


def _title(words: str) -> bool:
    """A quoted name of a show, paper or book: every word capitalised."""
    tokens = _WORD.findall(words)
    return 0 < len(tokens) <= 6 and all(t[0].isupper() or t.lower() in _SMALL for t in tokens)


def extract(doc: Document, parsed: Any) -> list[Quote]:
    """The quotes of one parsed document, direct, partial and indirect, in text order."""
    text = doc.text
    spans = quote_spans(text)
    quoted = Quoted(spans)
    speakers = Speakers(doc, parsed)
    paragraph_starts = [p[0] for p in paragraphs(text)]

    def paragraph_of(offset: int) -> int:
        return bisect_right(paragraph_starts, offset) - 1

    indirect = list(_indirect(doc, parsed, speakers, quoted))
    # (offset, speaker, speaker_text, cue, paragraph) of everyone heard so far.
    heard = sorted(
        (q.start, q.speaker, q.speaker_text, q.cue, paragraph_of(q.start)) for q in indirect
    )
    found: list[_Found] = []
    for span in spans:
        words = text[span.start : span.end]
        paragraph = paragraph_of(span.outer_start)
        att = attribute(parsed, text, span, quoted)
        previous = found[-1] if found else None
        speaker: str | None = None
        speaker_text: str | None = None
        cue = att.cue
        if att.verb is None and att.head is None:
            if previous and _continues(parsed, text, previous, span, paragraph_of):
                previous.join(text, span)
                continue
            if len(_WORD.findall(words)) <= SCARE_WORDS:
                continue
            inherited = _inherit(parsed, text, span, paragraph, found, heard, speakers)
            if inherited is None and not words.lstrip()[:1].isupper():
                continue  # a borrowed phrase nobody is said to have said
            speaker, speaker_text, cue = inherited or (None, None, None)
        elif att.head is not None:
            if att.head.left_edge.idx <= span.outer_start < att.head.right_edge.idx:
                continue  # a nickname inside the speaker's own name
            att, speaker, speaker_text = _speaker(att, speakers, text)
            cue = att.cue
        verb = att.verb.i if att.verb is not None else None
        kind, start, end, quote_text = "direct", span.start, span.end, words
        if att.clause is not None and _partial(text, span, att.clause):
            kind, (start, end) = "partial", att.clause
            quote_text = text[start:end]
        framed = att.verb is not None and is_verb(att.verb, FRAMING_VERBS)
        if kind == "direct" and not framed and _title(words):
            continue
        if previous is not None and verb is not None and previous.verb == verb:
            # Several quoted pieces hanging on one verb are one quote: “A,” he
            # said, “B.”; or she called it “X” and “Y”.
            if previous.kind == kind == "direct":
                previous.join(text, span)
            else:
                previous.cover(text, min(start, previous.start), max(end, previous.end))
            continue
        if speaker:
            speakers.quoted.add(speaker)
        heard.append((span.start, speaker, speaker_text, cue, paragraph))
        heard.sort(key=lambda h: h[0])
        found.append(
            _Found(span, paragraph, kind, start, end, quote_text, speaker, speaker_text, cue, verb)
        )
    quotes = _records(doc, found)
    quotes.extend(indirect)
    quotes.sort(key=lambda q: q.start)
    return quotes


def _speaker(
    att: Attribution, speakers: Speakers, text: str
) -> tuple[Attribution, str | None, str]:
    """The speaker's entity and words; words in a clause about someone unnamed are
    the words of the person who reports them (``Attribution.outer``)."""
    speaker, (s, e) = speakers.resolve(att.head)
    if not speakers.is_person(speaker) and att.outer is not None:
        outer, (o_s, o_e) = speakers.resolve(att.outer.head)
        if speakers.is_person(outer):
            return att.outer, outer, text[o_s:o_e]
    return att, speaker, text[s:e]


def _continues(
    parsed: Any,
    text: str,
    previous: _Found,
    span: QuoteSpan,
    paragraph_of: Callable[[int], int],
) -> bool:
    """Whether a quote with no cue of its own goes on from the previous one, with
    nothing between them in its paragraph but the previous one's attribution:
    “A,” X said. “B.”"""
    if previous.kind != "direct" or previous.verb is None:
        return False
    verb = parsed[previous.verb]
    if not previous.span.outer_end <= verb.idx < span.outer_start:
        return False
    if paragraph_of(span.outer_start) != previous.paragraph:
        return False
    gap = parsed.char_span(previous.span.outer_end, span.outer_start, alignment_mode="contract")
    last = parsed.char_span(previous.span.start, previous.span.end, alignment_mode="expand")
    sentences = {verb.sent.start} | ({last[-1].sent.start} if last is not None else set())
    return gap is None or all(t.sent.start in sentences or t.is_space for t in gap)


def _inherit(
    parsed: Any,
    text: str,
    span: QuoteSpan,
    paragraph: int,
    found: list[_Found],
    heard: list[tuple[int, str | None, str | None, str | None, int]],
    speakers: Speakers,
) -> tuple[str | None, str | None, str | None] | None:
    """The speaker of a quote with no cue: whoever spoke last in its paragraph, the
    "X said:" that introduces its paragraph, the speaker of the quote paragraph
    before it, or the person the sentence before it is about."""
    before = [h for h in heard if h[0] < span.outer_start]
    same = [h for h in before if h[4] == paragraph]
    if same:
        _, speaker, speaker_text, cue, _ = same[-1]
        return speaker, speaker_text, cue
    p_start = paragraph_start(text, span.outer_start)
    if span.outer_start != p_start or paragraph == 0:
        return _person_before(parsed, span, speakers, across=False)
    intro = text[:p_start].rstrip()
    if intro.endswith(":"):
        sentence = parsed.char_span(len(intro) - 1, len(intro), alignment_mode="expand")
        if sentence is not None:
            verbs = [t for t in sentence[0].sent if t.pos_ in ("VERB", "AUX")]
            for verb in reversed(verbs):
                head = subject_of(verb)
                if head is not None:
                    entity, (s, e) = speakers.resolve(head)
                    return entity, text[s:e], verb.text
    if before and before[-1][4] == paragraph - 1 and found and found[-1].paragraph == paragraph - 1:
        _, speaker, speaker_text, cue, _ = before[-1]
        return speaker, speaker_text, cue
    if text[span.outer_end : text.find("\n", span.outer_end) % (len(text) + 1)].strip():
        return None
    return _person_before(parsed, span, speakers, across=True)


def _person_before(
    parsed: Any, span: QuoteSpan, speakers: Speakers, across: bool
) -> tuple[str | None, str | None, str | None] | None:
    """The person the sentence before the quote is about: its subject, or the one
    person it names ("Cummings called him a master. “He showed …”"; "Among
    those waiting was Grace Tolland. ¶ “I have lived here …”"). ``across``
    lets that sentence end the previous paragraph."""
    first = parsed.char_span(span.outer_start, span.outer_start + 1, alignment_mode="expand")
    if first is None or first[0].sent.start == 0:
        return None
    previous = parsed[first[0].sent.start - 1].sent
    if not across and "\n" in parsed.text[previous.end_char : span.outer_start]:
        return None
    head = subject_of(previous.root)
    if head is not None:
        entity, (s, e) = speakers.resolve(head)
        if speakers.is_person(entity):
            return entity, parsed.text[s:e], None
    named = {
        m.entity: m
        for t in previous
        if (m := speakers.mention_of(t)) is not None and m.label == "PERSON"
    }
    if len(named) == 1:
        [mention] = named.values()
        return mention.entity, mention.text, None
    return None


def _records(doc: Document, found: list[_Found]) -> list[Quote]:
    quotes: list[Quote] = []
    seen: set[tuple[int, int]] = set()
    for f in found:
        # Two fragments quoted in one reported clause make one partial quote.
        if (f.start, f.end) in seen:
            continue
        seen.add((f.start, f.end))
        quotes.append(
            Quote(
                id="q" + stable_id(doc.id, str(f.start), str(f.end), size=6),
                doc=doc.id,
                text=f.text,
                start=f.start,
                end=f.end,
                kind=f.kind,  # type: ignore[arg-type]
                speaker=f.speaker,
                speaker_text=f.speaker_text,
                cue=f.cue,
                cluster=None,
            )
        )
    return quotes


def _indirect(doc: Document, parsed: Any, speakers: Speakers, quoted: Quoted) -> Iterator[Quote]:
    for sentence in parsed.sents:
        if quoted.between(sentence.start_char, sentence.end_char) or quoted(sentence.start_char):
            continue
        for verb in sentence:
            if not (verb.pos_ == "VERB" and verb.lemma_.lower() in INDIRECT_VERBS):
                continue
            clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
            subject = subject_of(verb)
            if clause is None or subject is None:
                continue
            start, end = clause_span(clause, paragraph_start(doc.text, verb.idx))
            if len(doc.text[start:end].split()) < MIN_INDIRECT_WORDS:
                continue
            speaker, (s_start, s_end) = speakers.resolve(subject)
            yield Quote(
                id="q" + stable_id(doc.id, str(start), str(end), size=6),
                doc=doc.id,
                text=doc.text[start:end],
                start=start,
                end=end,
                kind="indirect",
                speaker=speaker,
                speaker_text=doc.text[s_start:s_end],
                cue=verb.text,
                cluster=None,
            )
            break


def build(
    settings: Settings, store: Store | None = None
) -> Callable[[Iterable[Document]], Iterator[Document]]:
    def quotes(docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            if doc.language not in ANNOTATED_LANGUAGES:
                doc.quotes = []
            else:
                parsed = doc.parse
                if parsed is None:
                    parsed = load_model(settings.spacy_model)(doc.text)
                doc.quotes = extract(doc, parsed)
            yield doc

    return quotes
