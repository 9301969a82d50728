"""The lineage index: MinHash signatures and band keys, and candidate pairs from shared keys."""

from __future__ import annotations

import numpy as np
from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.stages import candidates
from storyline.stages.align import StemCodes
from storyline.stages.minhash import BAND, KIND_BITS, NUM_PERM, QUOTE, SENTENCE, index_keys

TEXT = (
    "The only ferry linking Tarn Island to the mainland was suspended on Monday.\n"
    "Repairs are expected to take at least two weeks, engineers from the county said.\n"
    "Islanders said deliveries of food and fuel had already slowed."
)


def _lines(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _keys(text: str, quotes: tuple[str, ...] = ()) -> tuple[np.ndarray | None, np.ndarray]:
    codes = StemCodes()
    sentences, _ = codes.encode(text, _lines(text))
    joined = "".join(sentences.codes)
    lengths = [len(s) for s in sentences.codes]
    distinct = "".join(sorted(set(joined)))
    [found] = index_keys(
        codes.hashes(joined), [lengths], codes.hashes(distinct), [len(distinct)], [quotes]
    )
    return found


def test_signatures_are_datasketch_minhashes_of_the_stems() -> None:
    codes = StemCodes()
    sentences, _ = codes.encode(TEXT, [(0, len(TEXT))])
    hashes = codes.hashes(sentences.codes[0])
    signature, _ = _keys(TEXT)
    reference = MinHash(num_perm=NUM_PERM, scheme="affine32", hashfunc=int)
    reference.update_batch(hashes.tolist())
    assert signature is not None
    assert (signature == reference.hashvalues).all()


def test_keys_do_not_depend_on_the_run() -> None:
    # Stem codes are numbered per run; keys and signatures are stored, so they
    # must come out the same whatever was read before.
    warmed = StemCodes()
    warmed.encode("Zebras graze quietly near Westhaven harbour.", [(0, 44)])
    first, second = _keys(TEXT), _keys(TEXT)
    assert first[0] is not None and second[0] is not None
    assert (first[0] == second[0]).all() and (first[1] == second[1]).all()


def test_every_kind_of_key_is_made() -> None:
    _, keys = _keys(TEXT, ("we will not sail until the ramp is safe",))
    kinds = set((keys & KIND_BITS).tolist())
    assert kinds == {BAND, SENTENCE, QUOTE}


def test_a_near_copy_shares_a_band_and_a_rewrite_shares_sentence_keys() -> None:
    _, original = _keys(TEXT)
    _, copy = _keys(TEXT.replace("Monday", "Monday morning"))
    _, other = _keys(
        "The county council voted to double the budget for flood barriers.\n"
        "Council leader Imran Castell said the money would come from reserves.\n"
        "Opposition councillors backed the plan but asked for a drainage review."
    )
    shared = np.intersect1d(original, copy)
    assert (shared & KIND_BITS == SENTENCE).sum() >= 2
    assert len(np.intersect1d(original, other)) == 0


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(0, 40).map(lambda k: k << 2 | SENTENCE), max_size=6),
        min_size=2,
        max_size=8,
    )
)
def test_candidates_are_the_pairs_sharing_enough_keys(keys: list[list[int]]) -> None:
    docs = [np.unique(np.array(k, dtype=np.int64)) for k in keys]
    pairs = candidates.within(docs, np.zeros(0, dtype=np.int64))
    found = {
        (int(a), int(b)): int(n)
        for a, b, n in zip(pairs.first, pairs.second, pairs.shared, strict=True)
    }
    expected = {}
    for a in range(len(docs)):
        for b in range(a + 1, len(docs)):
            shared = len(np.intersect1d(docs[a], docs[b]))
            if shared >= candidates.MIN_SHARED:
                expected[(a, b)] = shared
    assert found == expected


def test_a_key_too_many_documents_hold_counts_for_nothing() -> None:
    common = 7 << 2 | SENTENCE
    docs = [np.array([common, 100 << 2 | SENTENCE], dtype=np.int64) for _ in range(60)]
    rare = [200 << 2 | SENTENCE, 300 << 2 | SENTENCE]
    docs[1] = np.array([common, 100 << 2 | SENTENCE, *rare], dtype=np.int64)
    docs[2] = np.array([common, *rare], dtype=np.int64)
    pairs = candidates.within(docs, np.zeros(0, dtype=np.int64))
    # The sixty documents share two keys, but too many hold them; only
    # documents 1 and 2 share two keys held by few.
    assert list(zip(pairs.first.tolist(), pairs.second.tolist(), strict=True)) == [(1, 2)]


def test_documents_keyed_together_get_the_keys_each_gets_alone() -> None:
    texts = [
        TEXT,
        "",
        "Ferry",
        TEXT.replace("Monday", "Tuesday") + "\n\nA ferry spokesman declined to comment.",
        "The county council voted to double the budget for flood barriers.",
    ]
    quotes = [("we will not sail until the ramp is safe",), (), (), (), ("flood barriers first",)]
    codes = StemCodes()
    encoded = [codes.encode(text, _lines(text))[0] for text in texts]
    joined = "".join("".join(e.codes) for e in encoded)
    distinct = ["".join(set("".join(e.codes))) for e in encoded]
    together = index_keys(
        codes.hashes(joined),
        [[len(c) for c in e.codes] for e in encoded],
        codes.hashes("".join(distinct)),
        [len(d) for d in distinct],
        quotes,
    )
    for text, quoted, (signature, keys) in zip(texts, quotes, together, strict=True):
        alone_signature, alone_keys = _keys(text, quoted)
        assert (signature is None) == (alone_signature is None)
        if signature is not None and alone_signature is not None:
            assert (signature == alone_signature).all()
        assert keys.tolist() == alone_keys.tolist()
    assert together[0][1].size and not together[1][1].size and not together[2][1].size
