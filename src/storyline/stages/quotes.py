"""Quotes: who said what, directly, in part, or in reported speech.

Direct quotes are the spans inside quotation marks (``quote_spans``). Each is
attributed through the dependency parse of its sentence: a speech verb
("said", "told", "added", "warned", …) outside the marks, and that verb's
subject as the speaker; "according to X" makes X the speaker. A quote
paragraph with no speech verb of its own continues the previous paragraph's
quote, or is spoken by the subject of the previous paragraph's last speech
verb. When the marks cover only part of what the verb introduces ("Putin
warned it would be a “big mistake” …"), the quote is ``partial`` and its text
is the whole reported clause. A speech verb with a reported clause and no
marks at all is ``indirect`` speech. Speakers resolve to canonical entities
through the mentions they overlap; pronouns to the last named speaker.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from storyline.ids import stable_id
from storyline.model import Document, Mention, Quote
from storyline.settings import Settings
from storyline.stages.annotate import ANNOTATED_LANGUAGES, load_model
from storyline.stages.entities import person_mention
from storyline.stages.quote_spans import QuoteSpan, quote_spans
from storyline.store import Store

SPEECH_VERBS = frozenset(
    """say tell add warn state claim insist argue explain note ask write announce
    declare reply respond suggest acknowledge admit confirm deny stress urge predict
    promise vow pledge threaten complain recall report describe caution concede
    contend maintain observe remark reveal emphasize emphasise tweet post testify
    conclude continue agree disclose allege assert believe comment""".split()  # noqa: SIM905
)
# Verbs that introduce speech only with a quote, not as indirect speech cues
# ("believe", "agree" report thought or stance more than words).
INDIRECT_VERBS = SPEECH_VERBS - {"believe", "agree", "continue", "describe", "post", "ask"}
PRONOUNS = frozenset({"he", "she", "they", "i", "we", "it"})
# A quote covering at least this share of its clause is the clause itself.
DIRECT_SHARE = 0.6
MIN_INDIRECT_WORDS = 4
# A few quoted words nobody is said to have said are a title or scare quotes.
SCARE_WORDS = 3
_SENTENCE_END = re.compile(r"[.!?][”\"]?(?=\s)")


def _speech_verb(token: Any) -> bool:
    return bool(token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in SPEECH_VERBS)


def _subject(verb: Any) -> Any | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head is not verb:
        return _subject(verb.head)
    return None


def _according_to(sentence: Any) -> Any | None:
    for token in sentence:
        if token.lower_ == "according" and token.i + 1 < len(token.doc):
            nxt = token.doc[token.i + 1]
            if nxt.lower_ == "to":
                for child in nxt.children:
                    if child.dep_ == "pobj":
                        return child
    return None


def _phrase(token: Any, outside: tuple[int, int] | None = None) -> tuple[int, int]:
    """Character span of a speaker's noun phrase (its subtree, left of any clause)."""
    tokens = [t for t in token.subtree if t.dep_ not in ("relcl", "acl", "punct", "appos")]
    tokens = [t for t in tokens if not (outside and outside[0] <= t.idx < outside[1])]
    tokens = [t for t in tokens if abs(t.i - token.i) <= 12]
    start = min(t.idx for t in tokens)
    end = max(t.idx + len(t.text) for t in tokens)
    return start, end


CLAUSES = ("ccomp", "xcomp", "parataxis", "advcl")


def _clause_around(verb: Any, start: int, end: int, floor: int) -> tuple[int, int] | None:
    """The span of the verb's reported clause that contains ``start``-``end``."""
    for child in verb.children:
        if child.dep_ in CLAUSES:
            c_start, c_end = _span_of(child, floor)
            if c_start <= start and end <= c_end + 1:
                return c_start, c_end
    return None


def _span_of(token: Any, floor: int = 0) -> tuple[int, int]:
    """A clause's character span, without its leading "that" or edge punctuation,
    and never before ``floor`` (its paragraph: a headline run into the first
    sentence is not part of it)."""
    words = [t for t in token.subtree if t.dep_ != "mark" or t.i != token.left_edge.i]
    words = [t for t in words if t.idx >= floor]
    words = [t for t in words if not t.is_punct or t.text in "“”\"'’"] or [token]
    return min(t.idx for t in words), max(t.idx + len(t.text) for t in words)


def _paragraph_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


class _Speakers:
    """Resolves a speaker phrase to an entity.

    The mention at the phrase's head wins ("Lee Ha-eun, chief engineer at the
    water authority" is Lee, not the authority); a pronoun is the last person
    named before it; a role ("the mayor") is the person the article gave that
    title ("Mayor Marta Ellison").
    """

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.people = [m for m in doc.mentions if m.label == "PERSON"]
        self.roles = _roles(doc.text, self.people)

    def resolve(self, head: Any, start: int, end: int) -> tuple[str | None, str]:
        text = self.doc.text[start:end]
        if text.lower() in PRONOUNS:
            before = [m for m in self.people if m.end <= start]
            return (before[-1].entity if before else None), text
        at_head = [m for m in self.doc.mentions if m.start <= head.idx < m.end]
        if at_head:
            return at_head[0].entity, text
        inside = [m for m in self.doc.mentions if m.start < end and m.end > start]
        people = [m for m in inside if m.label == "PERSON"]
        if people:
            return people[-1].entity, text
        role = self.roles.get(head.lower_)
        if role is not None:
            return role, text
        if head.pos_ == "PROPN" and not inside:
            # A name the NER model missed: the parse says it speaks.
            name = [t for t in head.subtree if t.pos_ == "PROPN" and t.dep_ in ("compound", "flat")]
            first = min([head, *name], key=lambda t: t.i)
            mention = person_mention(self.doc, first.idx, head.idx + len(head.text))
            self.doc.mentions = sorted([*self.doc.mentions, mention], key=lambda m: m.start)
            self.people = [m for m in self.doc.mentions if m.label == "PERSON"]
            return mention.entity, text
        return (inside[-1].entity if inside else None), text


_TITLE_WORDS = re.compile(r"([A-Za-z][\w-]*)[ \t]+$")


def _roles(text: str, people: list[Mention]) -> dict[str, str]:
    """Title words written right before a person's name, to that person's entity."""
    roles: dict[str, str] = {}
    for person in people:
        before = text[max(0, person.start - 40) : person.start]
        for _ in range(3):
            m = _TITLE_WORDS.search(before)
            if not m or m.group(1) in ("the", "The", "and", "said", "told"):
                break
            roles.setdefault(m.group(1).lower(), person.entity)
            before = before[: m.start()]
    return roles


def extract(doc: Document, parsed: Any) -> list[Quote]:
    spans = quote_spans(doc.text)
    speakers = _Speakers(doc)
    quotes: list[Quote] = []
    covered: list[tuple[int, int]] = []
    previous: Quote | None = None
    for span in spans:
        covered.append((span.outer_start, span.outer_end))
        quote = _attribute(doc, parsed, span, speakers, previous)
        if quote is None:
            continue
        previous = quote
        # Two fragments quoted in one reported clause make one partial quote.
        if not any(q.start == quote.start and q.end == quote.end for q in quotes):
            quotes.append(quote)
    quotes.extend(_indirect(doc, parsed, speakers, covered))
    quotes.sort(key=lambda q: q.start)
    return quotes


def _sentences_of(parsed: Any, start: int, end: int) -> list[Any]:
    return [s for s in parsed.sents if s.start_char < end and s.end_char > start]


def _attribute(
    doc: Document, parsed: Any, span: QuoteSpan, speakers: _Speakers, previous: Quote | None
) -> Quote | None:
    inside = (span.outer_start, span.outer_end)
    sentences = _sentences_of(parsed, span.outer_start, span.outer_end)
    verbs = [
        t for s in sentences for t in s if _speech_verb(t) and not inside[0] <= t.idx < inside[1]
    ]
    kind, start, end = "direct", span.start, span.end
    speaker: str | None = None
    speaker_text: str | None = None
    cue: str | None = None
    if verbs:
        verb = min(
            verbs, key=lambda t: min(abs(t.idx - span.outer_start), abs(t.idx - span.outer_end))
        )
        cue = verb.text
        subject = _subject(verb)
        if subject is not None and not inside[0] <= subject.idx < inside[1]:
            s_start, s_end = _phrase(subject, inside)
            speaker, speaker_text = speakers.resolve(subject, s_start, s_end)
        floor = _paragraph_start(doc.text, span.outer_start)
        clause = _clause_around(verb, span.start, span.end, floor)
        if clause is not None and span.end - span.start < DIRECT_SHARE * (clause[1] - clause[0]):
            kind, start, end = "partial", clause[0], clause[1]
    else:
        according = next((a for s in sentences if (a := _according_to(s)) is not None), None)
        if according is not None:
            cue = "according to"
            s_start, s_end = _phrase(according)
            speaker, speaker_text = speakers.resolve(according, s_start, s_end)
        elif previous is not None and _adjacent(doc.text, previous.end, span.outer_start):
            # A quote that goes on from the last one (the next sentence, or the
            # next paragraph): same speaker.
            speaker, speaker_text, cue = previous.speaker, previous.speaker_text, previous.cue
        elif len(doc.text[span.start : span.end].split()) <= SCARE_WORDS:
            return None
    return Quote(
        id="q" + stable_id(doc.id, str(start), str(end), size=6),
        doc=doc.id,
        text=doc.text[start:end],
        start=start,
        end=end,
        kind=kind,  # type: ignore[arg-type]
        speaker=speaker,
        speaker_text=speaker_text,
        cue=cue,
        cluster=None,
    )


def _adjacent(text: str, previous_end: int, start: int) -> bool:
    """The same paragraph, or the next one with nothing between but the end of the
    previous quote's sentence (its attribution)."""
    between = text[previous_end:start]
    head, _, tail = between.partition("\n")
    return not tail.strip() and len(_SENTENCE_END.findall(head.strip() + " ")) <= 1


def _indirect(
    doc: Document, parsed: Any, speakers: _Speakers, covered: list[tuple[int, int]]
) -> Iterator[Quote]:
    for sentence in parsed.sents:
        if any(a < sentence.end_char and b > sentence.start_char for a, b in covered):
            continue
        for verb in sentence:
            if not (verb.pos_ == "VERB" and verb.lemma_.lower() in INDIRECT_VERBS):
                continue
            clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
            subject = _subject(verb)
            if clause is None or subject is None:
                continue
            start, end = _span_of(clause, _paragraph_start(doc.text, verb.idx))
            if len(doc.text[start:end].split()) < MIN_INDIRECT_WORDS:
                continue
            s_start, s_end = _phrase(subject)
            speaker, speaker_text = speakers.resolve(subject, s_start, s_end)
            yield Quote(
                id="q" + stable_id(doc.id, str(start), str(end), size=6),
                doc=doc.id,
                text=doc.text[start:end],
                start=start,
                end=end,
                kind="indirect",
                speaker=speaker,
                speaker_text=speaker_text,
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
