"""Canonical entities: one id for every way outlets and the NER model name a thing.

Within a document, short and titled forms take the entity of the full name
they stand for ("Mr Chang" and "Chang" -> Chang Ho-jin; "Putin" -> Vladimir
Putin). Across documents, the entity id is derived from a folded key of the
name (case, hyphens, spaces, apostrophes, titles and possessives ignored,
"ks" = "x" in transliterations), so "Kim Jong-un" and "Kim Jong Un", or
"Oleksandr" and "Olexandr", are one entity in any document, computed
without looking at the rest of the corpus; an alias table (``Kiev`` =
``Kyiv``) covers what folding cannot. Systematic errors of the small English
model are corrected first: spans that swallow a possessive or stop short of
the rest of a name, places tagged as people, two names joined by a hyphen
("Putin-Kim") as one person, people tagged as organisations (the article
shows who is a person: "Ms Kearney", "Kearney said she …", "Grace Tolland,
a retired teacher who …"), and full names the model missed ("Carys
Penhallow" when only "Ms Penhallow" was tagged).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from storyline.ids import stable_id
from storyline.model import Document, Mention
from storyline.settings import Settings
from storyline.stages.people import by_token, signs
from storyline.store import Store

TITLES = frozenset(
    """mr mrs ms miss dr prof sir dame lord lady president prime minister chancellor
    secretary mayor governor senator councillor councilor general gen col colonel
    captain capt judge justice king queen prince princess pope rev father sister
    leader chairman chairwoman chief director inspector commissioner""".split()  # noqa: SIM905
)
# Entity classes whose members may share a key: a person and a place called
# "Washington" stay two entities.
CLASSES = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place"}
# Labels the small model gives people by mistake (never places).
NOT_PEOPLE = frozenset({"ORG", "NORP", "PRODUCT", "LAW", "EVENT", "WORK_OF_ART"})

_HONORIFIC = re.compile(r"\b(Mr|Mrs|Ms|Miss|Dr)\.?[ \t]+([A-Z][^\W\d_]+(?:-[A-Z]?[^\W\d_]+)?)\b")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_TOKEN = re.compile(r"[^\W_]+")
# The rest of a name the model cut short: "Yoon Suk" + " Yeol", "Yoon Suk" + "-yeol".
_NAME_TAIL = re.compile(r"(?:-[a-z]+|[ \t]+[A-Z][a-z]+(?:-[a-z]+)?)(?=[^\w]|$)")


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Alias table (folded alias -> (canonical name, type)) and known places."""

    aliases: dict[str, tuple[str, str]]
    places: frozenset[str]


def _plain(name: str) -> str:
    """Compatibility forms unified and accents dropped: "Siobhán" = "Siobhan"."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(name: str) -> str:
    """The comparison key of a name: no case, accents, titles, punctuation or spacing."""
    text = _plain(name).replace("’", "'").casefold()
    text = _POSSESSIVE.sub("", text.strip())
    tokens = _TOKEN.findall(text.removeprefix("the "))
    while len(tokens) > 1 and tokens[0] in TITLES:
        tokens.pop(0)
    key = "".join(tokens)
    return re.sub(r"(.)\1", r"\1", key.replace("ks", "x"))


def name_tokens(name: str) -> list[str]:
    """The words of a name, titles left out ("Mr Chang" -> ["chang"])."""
    text = _plain(name).replace("’", "'").casefold()
    return [t for t in _TOKEN.findall(_POSSESSIVE.sub("", text)) if t not in TITLES]


def _read_table(text: str) -> Iterator[tuple[str, str, list[str]]]:
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            canonical, kind, others = [*line.split("\t"), "", ""][:3]
            yield (
                canonical.strip(),
                kind.strip(),
                [o.strip() for o in others.split("|") if o.strip()],
            )


@cache
def lexicon(extra: str = "") -> Lexicon:
    """The shipped alias table and place list, plus a user's alias file."""
    data = files("storyline") / "data" / "lexicons"
    tables = [(data / "aliases.tsv").read_text(encoding="utf-8")]
    if extra:
        tables.append(Path(extra).read_text(encoding="utf-8"))
    aliases: dict[str, tuple[str, str]] = {}
    for table in tables:
        for canonical, kind, others in _read_table(table):
            for name in [canonical, *others]:
                aliases[fold(name)] = (canonical, kind)
    places = frozenset(
        fold(line)
        for line in (data / "places.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )
    return Lexicon(aliases, places)


def fix_spans(doc: Document, mentions: list[Mention], lex: Lexicon) -> list[Mention]:
    """Correct what the small NER model gets systematically wrong."""
    fixed: list[Mention] = []
    for m in mentions:
        start, end, label = m.start, m.end, m.label
        if label == "PERSON":
            tail = _NAME_TAIL.match(doc.text, end)
            if tail:
                end = tail.end()
        text = doc.text[start:end]
        trimmed = _POSSESSIVE.sub("", text)
        end -= len(text) - len(trimmed)
        text = doc.text[start:end].strip()
        if not text:
            continue
        if fold(text) in lex.places:
            label = "GPE"
        elif fold(text) in lex.aliases:
            label = lex.aliases[fold(text)][1] or label
        parts = text.split("-")
        if (
            label == "PERSON"
            and len(parts) == 2
            and all(p[:1].isupper() and " " not in p for p in parts)
        ):
            # "Putin-Kim": two people named together, each resolved below.
            cut = start + len(parts[0])
            fixed.append(Mention(m.doc, start, cut, parts[0], label, ""))
            fixed.append(Mention(m.doc, cut + 1, end, parts[1], label, ""))
            continue
        fixed.append(Mention(m.doc, start, end, text, label, ""))
    return fixed


def entity_id(label: str, key: str) -> str:
    return "e" + stable_id(CLASSES.get(label, "other"), key, size=6)


def resolve(mentions: list[Mention], lex: Lexicon) -> list[Mention]:
    """Give each mention its canonical entity id, short forms their full names'."""
    full: list[tuple[int, list[str], str, str]] = []  # (start, tokens, key, label)
    for m in mentions:
        canonical = lex.aliases.get(fold(m.text))
        key = fold(canonical[0]) if canonical else fold(m.text)
        tokens = name_tokens(canonical[0] if canonical else m.text)
        if m.label == "PERSON" and len(tokens) >= 2:
            full.append((m.start, tokens, key, m.label))
    resolved = []
    for m in mentions:
        canonical = lex.aliases.get(fold(m.text))
        key = fold(canonical[0]) if canonical else fold(m.text)
        label = m.label
        tokens = name_tokens(m.text)
        if len(tokens) == 1 and not canonical and label in {"PERSON", "ORG", "GPE", "NORP"}:
            owner = _full_name(tokens[0], m.start, full)
            if owner is not None:
                key, label = owner[2], owner[3]
        resolved.append(Mention(m.doc, m.start, m.end, m.text, label, entity_id(label, key)))
    return resolved


def _full_name(
    token: str, position: int, full: list[tuple[int, list[str], str, str]]
) -> tuple[int, list[str], str, str] | None:
    """The full name this one-word mention stands for: the nearest before it, else after."""
    matching = [f for f in full if token in f[1]]
    before = [f for f in matching if f[0] < position]
    if before:
        return max(before, key=lambda f: f[0])
    return min(matching, key=lambda f: f[0]) if matching else None


def person_mention(doc: Document, start: int, end: int) -> Mention:
    """A PERSON mention for a name the NER model missed (a speaker found by the
    parse), resolved like any other: a surname alone to the full name."""
    text = doc.text[start:end]
    key = fold(text)
    tokens = name_tokens(text)
    if len(tokens) == 1:
        full = [
            (m.start, name_tokens(m.text), fold(m.text), m.label)
            for m in doc.mentions
            if m.label == "PERSON" and len(name_tokens(m.text)) >= 2
        ]
        owner = _full_name(tokens[0], start, full)
        if owner is not None:
            key = owner[2]
    return Mention(doc.id, start, end, text, "PERSON", entity_id("PERSON", key))


def complete_names(doc: Document, mentions: list[Mention]) -> list[Mention]:
    """People the model missed or mislabelled, found by how the text names them.

    A personal title makes a person: "Ms Kearney" is one whatever label the
    model gave it, and so is the full name with that surname ("Siobhan
    Kearney", tagged as an organisation). A surname with no full name in the
    document gets the one the model missed: the surname with a capitalised
    word before it that the text never writes in lower case ("Carys
    Penhallow", not "Yesterday Penhallow").
    """
    added: list[Mention] = []
    surnames = {
        _POSSESSIVE.sub("", m.text.split()[-1])
        for m in mentions
        if m.label == "PERSON" and len(name_tokens(m.text)) == 1
    }
    for m in _HONORIFIC.finditer(doc.text):
        surnames.add(m.group(2))
        if not any(x.start < m.end() and m.start() < x.end for x in mentions):
            added.append(Mention(doc.id, m.start(), m.end(), m.group(0), "PERSON", ""))
    for surname in sorted(surnames):
        full = [
            x
            for x in mentions
            if len(name_tokens(x.text)) >= 2 and fold(x.text.split()[-1]) == fold(surname)
        ]
        for x in full:
            if x.label in NOT_PEOPLE:
                x.label = "PERSON"
        if full:
            continue
        pattern = re.compile(rf"\b([A-Z][^\W\d_]+)[ \t]+{re.escape(surname)}\b")
        for m in pattern.finditer(doc.text):
            first = m.group(1)
            if first.casefold() in TITLES or re.search(
                rf"\b{re.escape(first.lower())}\b", doc.text
            ):
                continue
            if not any(x.start < m.end() and m.start() < x.end for x in [*mentions, *added]):
                added.append(Mention(doc.id, m.start(), m.end(), m.group(0), "PERSON", ""))
    return sorted([*mentions, *added], key=lambda m: m.start)


def people_as_people(doc: Document, mentions: list[Mention]) -> list[Mention]:
    """Names the model labelled as something else that the article shows to be
    people ("Ms", "she", "who"; see ``people``), as people. Needs the parse."""
    if doc.parse is None:
        return mentions
    at_token = by_token(doc.parse, mentions)
    for start in signs(doc.text, doc.parse, at_token):
        for m in mentions:
            if m.start == start and m.label in NOT_PEOPLE:
                m.label = "PERSON"
    return mentions


def canonicalize(doc: Document, lex: Lexicon) -> Document:
    mentions = complete_names(doc, fix_spans(doc, doc.mentions, lex))
    doc.mentions = resolve(people_as_people(doc, mentions), lex)
    return doc


def build(
    settings: Settings, store: Store | None = None
) -> Callable[[Iterable[Document]], Iterator[Document]]:
    lex = lexicon(settings.alias_file)

    def entities(docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            yield canonicalize(doc, lex)

    return entities
