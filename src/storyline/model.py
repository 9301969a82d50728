"""The record types that flow through storyline.

One definition serves the stages, the store, the JSON export and the API.
Annotations are character offsets into ``Document.text`` (the cleaned text),
never copied strings that could drift from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

QuoteKind = Literal["direct", "partial", "indirect"]
DerivationKind = Literal["duplicate", "syndicated", "rewrite", "attributed"]
RemovalKind = Literal[
    "ui",
    "caption",
    "credit",
    "copyright",
    "byline",
    "promo",
    "related",
    "disclosure",
    "duplicate_line",
]


# ``Document.published_evidence`` of a date the input states (rather than one
# estimated from the text): later stages keep these dates as they are.
INPUT_DATE = "input metadata"
PAGE_DATE = "the page's metadata"
FEED_DATE = "the feed entry's date"
ARCHIVED_DATE = "the date an archive fetched the page (WARC-Date); the page gives none"
STATED_DATES = frozenset({INPUT_DATE, PAGE_DATE, FEED_DATE, ARCHIVED_DATE})


@dataclass(slots=True)
class Removal:
    """A span of page junk taken out of the raw text, kept with its reason."""

    start: int
    end: int
    kind: RemovalKind
    text: str


@dataclass(slots=True)
class Timex:
    """A temporal expression and its resolved value (TimeML style: 2024-06-20,
    2024-06, 2024, 2024-W25, P4D, PRESENT_REF)."""

    start: int
    end: int
    text: str
    value: str
    granularity: str
    confidence: float


@dataclass(slots=True)
class Sentence:
    start: int
    end: int


@dataclass(slots=True)
class Mention:
    """One occurrence of a named entity in a document."""

    doc: str
    start: int
    end: int
    text: str
    label: str
    entity: str


@dataclass(slots=True)
class SourceRecord:
    """Another place the same text was found (same normalised text, other source)."""

    source: str
    outlet: str | None = None
    published: str | None = None


@dataclass(slots=True)
class Document:
    """One article.

    ``raw_text`` is the text as it arrived; ``text`` is what the stages
    annotate: ``raw_text`` without the ``removed`` spans. ``published`` is
    an ISO 8601 date or datetime string. ``evidence`` says, per inferred
    field, which text it was inferred from.
    """

    id: str
    source: str
    raw_text: str
    text: str
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    published_evidence: str | None = None
    language: str | None = None
    byline: str | None = None
    machine_generated: bool | None = None
    contributors: list[str] = field(default_factory=list)
    evidence: dict[str, str] = field(default_factory=dict)
    removed: list[Removal] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    times: list[Timex] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    other_sources: list[SourceRecord] = field(default_factory=list)
    # The NLP parse of ``text`` while the document streams through the
    # stages of one run (later stages reuse it); never stored.
    parse: Any = field(default=None, repr=False, compare=False)


@dataclass(slots=True)
class Entity:
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


@dataclass(slots=True)
class Quote:
    id: str
    doc: str
    text: str
    start: int
    end: int
    kind: QuoteKind
    speaker: str | None
    speaker_text: str | None
    cue: str | None
    cluster: str | None


@dataclass(slots=True)
class Derivation:
    source_doc: str
    derived_doc: str
    kind: DerivationKind
    score: float
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Story:
    id: str
    label: str
    docs: list[str]
    entities: list[str]
    start: str | None
    end: str | None
    storyline: str | None


@dataclass(slots=True)
class Storyline:
    id: str
    label: str
    stories: list[str]


@dataclass(slots=True)
class StoryOp:
    """A change made to stories after the fact, by reclustering: ``merge`` (all
    of ``source`` went into ``target``) or ``split`` (these documents of
    ``source`` went into ``target``)."""

    op: str
    source: str
    target: str
    docs: list[str]
    at: str | None = None


@dataclass(slots=True)
class SentenceRef:
    """A sentence of a document, by its index in ``Document.sentences``."""

    doc: str
    sentence: int


@dataclass(slots=True)
class Event:
    """An event; ``actor_state``/``target_state`` name the state a party belongs
    to and ``actor_role``/``target_role`` its role (government, military, ...).
    In a document's events, ``target_noun`` keeps what a target that names no
    entity is called ("city" for "the city's bill", "offer" for "a pay offer"),
    for the story to tell who it is; merged events have none."""

    id: str
    type: str
    actor: str | None
    target: str | None
    action: str
    date: str | None
    date_granularity: str | None
    location: str | None
    sources: list[SentenceRef] = field(default_factory=list)
    actor_state: str | None = None
    actor_role: str | None = None
    target_state: str | None = None
    target_role: str | None = None
    target_noun: str | None = None


@dataclass(slots=True)
class Claim:
    id: str
    text: str
    sources: list[SentenceRef]
    independent_sources: int
    discrepancies: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class Citation:
    doc: str
    start: int
    end: int


@dataclass(slots=True)
class BriefSentence:
    text: str
    citations: list[Citation]


@dataclass(slots=True)
class Brief:
    """A story's brief; for a follow-up story, ``new`` holds what is new since
    the previous story of its storyline (``new_since``)."""

    story: str
    sentences: list[BriefSentence]
    new_since: str | None = None
    new: list[BriefSentence] = field(default_factory=list)
