"""Document frequencies as each document found them, for clustering apart.

The streaming clusterer weighs every term by its IDF over the documents seen
so far. To cluster blocks of a run in separate processes and still weigh
terms as one pass over the whole run would, each block is given the run's
postings (for each term, the positions in arrival order of the run's
documents carrying it) and the stored counts from before the run: a term's
document frequency at any point of the run is then its stored count plus
the postings up to that point. The postings are built a partition at a time
(``postings``) and joined in arrival order (``join``).
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from storyline.stages.story_model import SPACES, DocFrequencies, Features, idf

# space -> term -> positions (in arrival order) of the run's documents carrying it
Postings = dict[str, dict[str, "array[int]"]]


def empty() -> Postings:
    return {s: {} for s in SPACES}


def postings(found: Iterable[tuple[int, Features]]) -> Postings:
    """The postings of documents given with their positions, in arrival order."""
    out = empty()
    for position, f in found:
        for space in SPACES:
            terms = out[space]
            for term in f.space(space):
                held = terms.get(term)
                if held is None:
                    terms[term] = held = array("i")
                held.append(position)
    return out


def join(parts: Iterable[Postings]) -> Postings:
    """Postings of consecutive partitions, given in arrival order, as one."""
    out = empty()
    for part in parts:
        for space in SPACES:
            terms = out[space]
            for term, held in part[space].items():
                mine = terms.get(term)
                if mine is None:
                    terms[term] = held
                else:
                    mine.extend(held)
    return out


def vocabulary(found: Postings) -> dict[str, set[str]]:
    return {s: set(found[s]) for s in SPACES}


@dataclass(slots=True)
class ArrivalFrequencies(DocFrequencies):
    """``DocFrequencies`` whose counts are those the whole run had reached when
    each document of a block arrived.

    ``positions`` are the arrival positions of the block's documents, in the
    order the clusterer adds them (of ``run_docs`` in the run); ``stored`` the
    counts of the run's terms before the run. Terms no document of the run carries (those of stored
    stories) keep their stored count, fetched once.
    """

    run: Postings = field(default_factory=empty)
    stored: dict[str, Counter[str]] = field(default_factory=lambda: {s: Counter() for s in SPACES})
    stored_docs: int = 0
    run_docs: int = 0
    positions: Sequence[int] = ()
    position: int = -1
    added: int = 0
    # The IDFs asked for at the current position.
    seen: dict[str, dict[str, float]] = field(default_factory=lambda: {s: {} for s in SPACES})

    def need(self, terms: dict[str, Iterable[str]]) -> None:
        if self.fetch is None:
            return
        missing = {
            s: {t for t in found if t not in self.run[s]} - self.known[s]
            for s, found in terms.items()
        }
        missing = {s: t for s, t in missing.items() if t}
        if not missing:
            return
        for space, counts in self.fetch(missing).items():
            # Set, not added: blocks of one process share these stored counts.
            dict.update(self.stored[space], counts)
            self.seen[space].clear()
        for space, found in missing.items():
            self.known[space] |= found

    def add(self, f: Features) -> None:
        self.need({s: f.space(s).keys() for s in SPACES})
        self.position = self.positions[self.added]
        self.added += 1
        self.docs = self.stored_docs + self.position + 1
        for found in self.seen.values():
            found.clear()

    def at_end(self) -> None:
        """The counts once every document of the run is in (what the refinement
        after a run's pass weighs by)."""
        self.position = self.run_docs - 1
        self.docs = self.stored_docs + self.run_docs
        for found in self.seen.values():
            found.clear()

    def idf(self, space: str, term: str) -> float:
        seen = self.seen[space]
        value = seen.get(term)
        if value is None:
            held = self.run[space].get(term)
            count = self.stored[space].get(term, 0)
            if held is not None:
                count += bisect_right(held, self.position)
            seen[term] = value = idf(self.docs, count)
        return value


def final_counts(found: Postings) -> Iterator[tuple[str, str, int]]:
    """(space, term, documents of the run carrying it)."""
    for space in SPACES:
        for term, held in found[space].items():
            yield space, term, len(held)
