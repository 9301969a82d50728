"""Sentences and named entities with spaCy.

Only English documents are annotated: the English model on other languages
produces entities a user would not trust. Entity ids here are the raw
(label, text) pair; canonicalisation across spellings comes later.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import Any

from storyline.errors import ConfigError
from storyline.ids import stable_id
from storyline.model import Document, Mention, Sentence
from storyline.settings import Settings
from storyline.store import Store

ANNOTATED_LANGUAGES = frozenset({"en", None})


PARAGRAPHS = "storyline_paragraphs"


def _paragraph_breaks(doc: Any) -> Any:
    """A sentence never runs over a line break: a headline, a standfirst and the
    first paragraph are three sentences, not one."""
    for token in doc[:-1]:
        if "\n" in token.text or "\n" in token.whitespace_:
            doc[token.i + 1].is_sent_start = True
    return doc


@cache
def load_model(name: str) -> Any:
    """The spaCy pipeline, loaded once per process (a long-lived server reuses it),
    with sentences broken at line breaks."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPHS):
        Language.component(PARAGRAPHS, func=_paragraph_breaks)
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ConfigError(
            f"spaCy model {name!r} is not installed (make demo installs the default one)"
        ) from exc
    nlp.add_pipe(PARAGRAPHS, before="parser")
    return nlp


def entity_id(label: str, name: str) -> str:
    return stable_id(label, name)


def build(
    settings: Settings, store: Store | None = None
) -> Callable[[Iterable[Document]], Iterator[Document]]:
    nlp = load_model(settings.spacy_model)
    labels = settings.entity_label_set

    def annotate(docs: Iterable[Document]) -> Iterator[Document]:
        pending: list[Document] = []

        def english(stream: Iterable[Document]) -> Iterator[tuple[str, Document]]:
            for doc in stream:
                if doc.language in ANNOTATED_LANGUAGES:
                    yield doc.text, doc
                else:
                    doc.sentences, doc.mentions = [], []
                    pending.append(doc)

        for parsed, doc in nlp.pipe(
            english(docs),
            as_tuples=True,
            batch_size=settings.batch_size,
            n_process=settings.n_process,
        ):
            yield from pending
            pending.clear()
            doc.parse = parsed
            doc.sentences = [Sentence(s.start_char, s.end_char) for s in parsed.sents]
            doc.mentions = [
                Mention(
                    doc.id, e.start_char, e.end_char, e.text, e.label_, entity_id(e.label_, e.text)
                )
                for e in parsed.ents
                if e.label_ in labels
            ]
            yield doc
        yield from pending

    return annotate
