"""Clean: take page junk out of article text, keep it with its reason.

Extracted text keeps buttons, captions, credits, promos, copyright notices,
bylines and disclosures. Each line is classified by (a) the patterns of
``junk_rules``, (b) its shape and neighbours (a headline-shaped line inside
the body is a related link, or a caption when a caption follows it) and (c)
evidence from other documents: a line repeated across documents of one
outlet, or of many outlets, is boilerplate. Removed spans go to
``Document.removed`` with their kind; ``raw_text`` is never changed. What the
junk tells (outlet, byline, contributors, machine generation) becomes
metadata, unless the input already gave it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from storyline.batching import batched
from storyline.ids import outlet_key, stable_id
from storyline.model import Document, Removal, RemovalKind
from storyline.settings import Settings
from storyline.stages import junk_rules as rules
from storyline.store import Store

_LINE = re.compile(r"[^\n]+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "\u00a0": " "})
_HAS_QUOTE = re.compile(r"[\"“”]")
_SENTENCE_END = re.compile(r"[.!?…\"'”’:)]$")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_WORD = re.compile(r"\w+")

MAX_SHAPE_WORDS = 20
# Junk is short; longer lines are article text and skip the patterns, which
# also keeps a megabyte-long line linear to clean.
MAX_JUNK_LINE = 400
# Lines longer than this are paragraphs, never boilerplate by repetition.
MAX_REPEATED_LINE = 200
# Cross-document evidence may never take more than half of a document's lines:
# documents that share most lines are versions of one article (a matter for
# lineage), not boilerplate.
MAX_REPEATED_SHARE = 0.5


@dataclass(slots=True)
class Line:
    start: int
    end: int
    norm: str

    @property
    def words(self) -> int:
        return len(_WORD.findall(self.norm))


def normalize_line(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).split())


def line_key(norm: str) -> str:
    """Hash of a line for cross-document counts (case and punctuation ignored)."""
    return stable_id(" ".join(_WORD.findall(norm.casefold())), size=6)


def split_lines(text: str) -> list[Line]:
    lines = []
    for m in _LINE.finditer(text):
        norm = normalize_line(m.group())
        if norm:
            start = m.start() + (len(m.group()) - len(m.group().lstrip()))
            end = m.end() - (len(m.group()) - len(m.group().rstrip()))
            lines.append(Line(start, end, norm))
    return lines


def _headline_shaped(norm: str) -> bool:
    words = norm.split()
    return (
        3 <= len(words) <= MAX_SHAPE_WORDS
        and (norm[0].isupper() or norm[0].isdigit())
        and not _SENTENCE_END.search(norm)
        and not _HAS_QUOTE.search(norm[:1])
    )


def _is_caption(norm: str) -> bool:
    credit = rules.CAPTION_CREDIT_TAIL.search(norm)
    return bool(credit and credit.start() > 0) or (
        len(norm) <= 350
        and not _HAS_QUOTE.search(norm)
        and bool(rules.CAPTION_DESCRIBES_LINE.fullmatch(norm))
    )


def classify(norm: str) -> RemovalKind | None:
    """The junk kind of a line by its own text, or None for article text."""
    if len(norm) > MAX_JUNK_LINE:
        return None
    if rules.UI_LINE.fullmatch(norm) or rules.RULE_LINE.fullmatch(norm):
        return "ui"
    if rules.RELATED_LINK_TAIL.search(norm) or rules.RELATED_PREFIX_LINE.fullmatch(norm):
        return "related"
    if len(norm) <= 300 and rules.DISCLOSURE_VERB.search(norm) and rules.MACHINE_WORDS.search(norm):
        return "disclosure"
    if (
        len(norm) <= 250
        and rules.COPYRIGHT_LINE.fullmatch(norm)
        and (_YEAR.search(norm) or "rights reserved" in norm.casefold())
    ):
        return "copyright"
    if len(norm) <= 200 and rules.CONTRIBUTOR_LINE.fullmatch(norm):
        return "byline"
    if len(norm) <= 120 and rules.BYLINE_LINE.fullmatch(norm):
        return "byline"
    if len(norm) <= 100 and rules.CREDIT_LINE.fullmatch(norm):
        return "credit"
    if _is_caption(norm):
        return "caption"
    if (
        len(norm) <= 250
        and not _HAS_QUOTE.search(norm)
        and " said" not in norm
        and rules.PROMO_LINE.fullmatch(norm)
    ):
        return "promo"
    return None


def classify_lines(
    lines: list[Line], repeated: set[str] | None = None, title: str | None = None
) -> list[RemovalKind | None]:
    """A kind (or None to keep) for every line of one document.

    ``repeated`` holds the keys of lines that other documents show to be
    boilerplate (see ``line_key``); ``title`` is the headline the input gave
    apart from the text, which the text then only repeats.
    """
    kinds = [classify(line.norm) for line in lines]
    seen: set[str] = {line_key(normalize_line(title))} if title else set()
    in_body = False
    for i, line in enumerate(lines):
        key = line_key(line.norm)
        if kinds[i] is None and key in seen:
            kinds[i] = "duplicate_line"
        seen.add(key)
        if kinds[i] is None and in_body and _headline_shaped(line.norm):
            following = kinds[i + 1] if i + 1 < len(lines) else None
            kinds[i] = "caption" if following == "caption" else "related"
        if kinds[i] is None and (_SENTENCE_END.search(line.norm) or line.words > MAX_SHAPE_WORDS):
            in_body = True
    if repeated:
        hits = [
            i
            for i, line in enumerate(lines)
            if kinds[i] is None
            and len(line.norm) <= MAX_REPEATED_LINE
            and line_key(line.norm) in repeated
        ]
        if len(hits) <= MAX_REPEATED_SHARE * len(lines):
            for i in hits:
                kinds[i] = "duplicate_line"
    return kinds


def removals(text: str, lines: list[Line], kinds: list[RemovalKind | None]) -> list[Removal]:
    """Spans to delete: junk lines with the blank space after them, copyright tails.

    Deleting a line together with the whitespace up to the next line keeps
    paragraphs separated by exactly what separated them before; junk at the
    end also takes the whitespace after the last kept line.
    """
    spans: list[Removal] = []
    last_kept = max((i for i, kind in enumerate(kinds) if kind is None), default=-1)
    kept_end = 0
    for i, (line, kind) in enumerate(zip(lines, kinds, strict=True)):
        if kind is None:
            kept_end = line.end
            tail = rules.COPYRIGHT_TAIL.search(text, max(line.start, line.end - 200), line.end)
            if tail and tail.start() > line.start and _YEAR.search(tail.group()):
                spans.append(Removal(tail.start(), line.end, "copyright", tail.group()))
                kept_end = tail.start()
            continue
        start = kept_end if i == last_kept + 1 and last_kept >= 0 else line.start
        start = max(start, spans[-1].end) if spans else start
        end = lines[i + 1].start if i + 1 < len(lines) else len(text)
        spans.append(Removal(start, end, kind, text[start:end]))
    return spans


def apply_removals(text: str, spans: list[Removal]) -> str:
    parts, pos = [], 0
    for span in spans:
        parts.append(text[pos : span.start])
        pos = span.end
    parts.append(text[pos:])
    return "".join(parts)


@dataclass(slots=True)
class Findings:
    """What the junk says about the document, with the line that says it."""

    outlet: tuple[str, str] | None = None
    byline: tuple[str, str] | None = None
    contributors: list[str] | None = None
    machine_generated: str | None = None


def copyright_owner(norm: str) -> str | None:
    """'Copyright The Financial Times Limited 2024' -> 'Financial Times'."""
    m = rules.COPYRIGHT_OWNER.search(norm)
    if not m:
        return None
    owner = re.sub(r"^the\s+", "", m.group("owner").strip(" .,"), flags=re.IGNORECASE)
    owner = rules.OWNER_SUFFIXES.sub("", owner).strip(" .,")
    if not owner or owner.casefold() in {"all", "rights", "copyright"}:
        return None
    return owner


def read_findings(
    lines: list[Line], kinds: list[RemovalKind | None], spans: list[Removal]
) -> Findings:
    found = Findings()
    for line, kind in zip(lines, kinds, strict=True):
        if kind == "disclosure" and found.machine_generated is None:
            found.machine_generated = line.norm
        elif kind == "byline":
            if m := rules.CONTRIBUTOR_LINE.fullmatch(line.norm):
                names = m.group("names") or m.group("names2") or ""
                found.contributors = (found.contributors or []) + _split_names(names)
            elif (m := rules.BYLINE_LINE.fullmatch(line.norm)) and found.byline is None:
                found.byline = (m.group("names"), line.norm)
    for span in spans:
        if span.kind == "copyright" and found.outlet is None:
            norm = normalize_line(span.text)
            owner = copyright_owner(norm)
            if owner:
                found.outlet = (owner, norm)
    if found.outlet is None:
        for line, kind in zip(lines, kinds, strict=True):
            m = rules.AGENCY_DATELINE.match(line.norm) if kind is None else None
            if m:
                found.outlet = (m.group("agency").strip(), line.norm[: m.end()])
                break
    return found


def _split_names(names: str) -> list[str]:
    return [n.strip() for n in re.split(r"\s*(?:,|;|\band\b|&)\s*", names) if n.strip()]


def clean_document(doc: Document, repeated: set[str] | None = None) -> Document:
    """Set ``text`` (cleaned), ``removed`` and the metadata the junk gives."""
    lines = split_lines(doc.raw_text)
    given_title = None if "title" in doc.evidence else doc.title
    kinds = classify_lines(lines, repeated, given_title)
    spans = removals(doc.raw_text, lines, kinds)
    doc.removed = spans
    doc.text = apply_removals(doc.raw_text, spans)
    found = read_findings(lines, kinds, spans)
    if found.outlet and not doc.outlet:
        doc.outlet = found.outlet[0]
        doc.evidence["outlet"] = found.outlet[1]
    if found.byline and not doc.byline:
        doc.byline = found.byline[0]
        doc.evidence["byline"] = found.byline[1]
    if found.contributors:
        doc.contributors = found.contributors
    if found.machine_generated:
        doc.machine_generated = True
        doc.evidence["machine_generated"] = found.machine_generated
    return doc


# A line is boilerplate when this many documents of one outlet carry it ...
SAME_OUTLET_DOCS = 3
# ... or, when it is short, this many documents from this many outlets.
CROSS_OUTLET_DOCS = 5
CROSS_OUTLET_OUTLETS = 3
CROSS_OUTLET_MAX_CHARS = 80


def document_outlet(doc: Document) -> str | None:
    """The outlet (as a key) the input gives, else the host of the source URL."""
    if doc.outlet:
        return outlet_key(doc.outlet)
    host = urlsplit(doc.source).hostname if "://" in doc.source else None
    return host.removeprefix("www.") if host else None


def _candidate_keys(doc: Document) -> dict[str, int]:
    """Keys of the lines short enough to be boilerplate, with their length."""
    return {
        line_key(line.norm): len(line.norm)
        for line in split_lines(doc.raw_text)
        if len(line.norm) <= MAX_REPEATED_LINE
    }


def prepare(store: Store, ids: Sequence[str]) -> None:
    """Record the line keys of the documents about to be cleaned."""
    for batch in batched(store.iter_documents(ids), 256):
        store.record_line_keys(
            [(doc.id, document_outlet(doc), key) for doc in batch for key in _candidate_keys(doc)]
        )


def repeated_lines(store: Store, docs: list[Document]) -> list[set[str]]:
    """For each document, the keys of its lines that other documents show are boilerplate."""
    candidates = [_candidate_keys(doc) for doc in docs]
    counts = store.line_key_counts({key for keys in candidates for key in keys})
    result = []
    for doc, keys in zip(docs, candidates, strict=True):
        outlet = document_outlet(doc)
        repeated = set()
        for key, length in keys.items():
            by_outlet = counts.get(key, {})
            total = sum(by_outlet.values())
            outlets = len([o for o in by_outlet if o is not None])
            if (outlet is not None and by_outlet.get(outlet, 0) >= SAME_OUTLET_DOCS) or (
                length <= CROSS_OUTLET_MAX_CHARS
                and total >= CROSS_OUTLET_DOCS
                and outlets >= CROSS_OUTLET_OUTLETS
            ):
                repeated.add(key)
        result.append(repeated)
    return result


def build(
    settings: Settings, store: Store | None = None
) -> Callable[[Iterable[Document]], Iterator[Document]]:
    """The stage; with a store, lines repeated across documents count as junk."""

    def clean(docs: Iterable[Document]) -> Iterator[Document]:
        for batch in batched(docs, settings.batch_size):
            evidence = repeated_lines(store, batch) if store else [set() for _ in batch]
            for doc, repeated in zip(batch, evidence, strict=True):
                yield clean_document(doc, repeated)

    return clean
