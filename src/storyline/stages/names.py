"""Names an event needs that the NER model missed, cut short or ran on.

The small English model tags part of a name ("Harbour" of "Harbour and Dock
Workers' Union", "The Data Protection" of "The Data Protection
Commissioner"), runs a name into the verb after it ("the Ministry of Water
fined"), or leaves a name out (an acronym such as "HCT", the "Calder" of
"Calder city councillors"). Where an event's party is such a name, the
events stage asks here for the mention it should have been: the whole
proper-noun phrase the tagged part belongs to, the name without the verb,
or a new organisation (a place before "city") mention. A new mention
replaces the fragments it covers in the document's mentions.
"""

from __future__ import annotations

from typing import Any

from storyline.model import Document, Mention
from storyline.stages.entities import entity_id, fold
from storyline.stages.event_lexicon import kinds

# Words that join the parts of one name: "Harbour and Dock Workers' Union",
# "Office of the Data Protection Commissioner", "Hale & Morrow".
_JOINERS = frozenset({"and", "&", "of", "the", "'", "’", "'s", "’s"})
_KEPT_LABELS = ("PERSON", "ORG")


def covering(token: Any, mentions: list[Mention]) -> Mention | None:
    return next((m for m in mentions if m.start <= token.idx < m.end), None)


def _inside_name(token: Any) -> bool:
    return (token.head.pos_ == "PROPN" and token.head.i != token.i) or any(
        c.pos_ == "PROPN" and c.dep_ in ("compound", "nmod") for c in token.children
    )


def _standalone_elsewhere(token: Any) -> bool:
    """Whether the document writes the word capitalised within a sentence, as a
    name of its own: a capital at the start of a sentence, on a word before a
    common noun, is no evidence ("Dock workers at Port Halloran walked off")."""
    return any(
        t.text == token.text and not t.is_sent_start and not _inside_name(t) for t in token.doc
    )


def unnamed(token: Any, mentions: list[Mention]) -> bool:
    """A capitalised proper noun the NER model did not take for a name (nor a date)."""
    return bool(
        token.pos_ == "PROPN"
        and token.text[:1].isupper()
        and not token.ent_type_
        and covering(token, mentions) is None
        and not (
            token.is_sent_start
            and token.dep_ == "compound"
            and token.head.pos_ == "NOUN"
            and not _standalone_elsewhere(token)
        )
    )


def place_before_noun(token: Any, mentions: list[Mention]) -> bool:
    """ "Calder" in "Calder city councillors": a capitalised word, in no mention,
    right before a word that names a kind of place (``descriptions.tsv``)."""
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return bool(
        token.text[:1].isupper()
        and token.pos_ in ("PROPN", "NOUN")
        and following is not None
        and kinds().get((following.lower_, "noun")) == "place"
        and following.dep_ == "compound"
        and covering(token, mentions) is None
    )


def _in_name(token: Any, head: Any, mentions: list[Mention]) -> bool:
    """Whether a word left of ``head`` and under it belongs to the same name."""
    if not any(a.i == head.i for a in token.ancestors):
        return False
    if covering(token, mentions) is not None:
        return True
    return (token.pos_ == "PROPN" and token.text[:1].isupper()) or token.lower_ in _JOINERS


def _replace(doc: Document, mention: Mention) -> Mention:
    """Put ``mention`` in the document in place of the mentions it overlaps."""
    kept = [m for m in doc.mentions if m.end <= mention.start or m.start >= mention.end]
    doc.mentions = sorted([*kept, mention], key=lambda m: m.start)
    return mention


def name_span(doc: Document, head: Any) -> tuple[int, int]:
    """Where the whole name ``head`` ends starts and ends: the proper nouns,
    joiners and tagged fragments before it that depend on it ("Harbour and Dock
    Workers' Union", "Data Protection Commissioner")."""
    words = head.doc
    first = head.i
    while first > head.sent.start and _in_name(words[first - 1], head, doc.mentions):
        first -= 1
    while first < head.i and words[first].lower_ in _JOINERS:
        first += 1
    fragment = covering(words[first], doc.mentions)
    start = min(words[first].idx, fragment.start) if fragment else words[first].idx
    return start, head.idx + len(head.text)


def name_mention(doc: Document, head: Any) -> Mention:
    """A new mention for the whole name ``head`` ends, in place of the fragments
    it covers: an organisation unless a tagged part says person or
    organisation; a place before "city" is a place."""
    start, end = name_span(doc, head)
    text = doc.text[start:end]
    inside = [m.label for m in doc.mentions if start <= m.start and m.end <= end]
    label = next((x for x in _KEPT_LABELS if x in inside), "ORG")
    if place_before_noun(head, doc.mentions):
        label = "GPE"
    return _replace(doc, Mention(doc.id, start, end, text, label, entity_id(label, fold(text))))


def _cut(doc: Document, mention: Mention, head: Any) -> Mention:
    """The part of a mention that is the phrase ``head`` heads: "the Ministry of
    Water" of "the Ministry of Water fined", "Northgate" of "Northgate's Fenwick"."""
    inside = {t.i for t in head.subtree if mention.start <= t.idx < mention.end}
    first = last = head.i
    while first - 1 in inside:
        first -= 1
    while last + 1 in inside and head.doc[last + 1].tag_ != "POS":
        last += 1
    start, end = head.doc[first].idx, head.doc[last].idx + len(head.doc[last].text)
    text = doc.text[start:end]
    label = mention.label
    return _replace(doc, Mention(doc.id, start, end, text, label, entity_id(label, fold(text))))


def named(doc: Document, head: Any) -> Mention | None:
    """The mention of the name ``head`` heads: the one covering it, cut to the
    phrase when it runs on into a word ``head`` depends on (the verb, the noun
    a possessor owns); else, for a proper noun the model left out
    (or a place before "city"), a new one."""
    found = covering(head, doc.mentions)
    if found is not None:
        if any(found.start <= a.idx < found.end for a in head.ancestors):
            return _cut(doc, found, head)
        return found
    if unnamed(head, doc.mentions) or place_before_noun(head, doc.mentions):
        return name_mention(doc, head)
    return None
