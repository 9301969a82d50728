"""Word shingles, MinHash signatures and LSH band keys for near-duplicate search.

Signatures are computed with datasketch; the banding is done here so that
band keys can live in the store as an index: adding one document looks up
its bands instead of rebuilding an LSH structure for the corpus.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np
from datasketch import MinHash

from storyline.ids import stable_id

_WORD = re.compile(r"\w+")

SHINGLE_WORDS = 3
NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
# Texts with fewer shingles than this (a headline, a caption) would match
# anything that shares a phrase; they get no signature.
MIN_SHINGLES = 8


def words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    tokens = words(text)
    return {" ".join(tokens[i : i + size]).encode() for i in range(len(tokens) - size + 1)}


def signatures(texts: Sequence[str]) -> list[np.ndarray | None]:
    """One MinHash signature per text (None when the text is too short)."""
    sets = [shingles(t) for t in texts]
    usable = [s for s in sets if len(s) >= MIN_SHINGLES]
    hashes = iter(MinHash.bulk(usable, num_perm=NUM_PERM) if usable else [])
    return [
        np.asarray(next(hashes).hashvalues, dtype=np.uint32) if len(s) >= MIN_SHINGLES else None
        for s in sets
    ]


def band_keys(signature: np.ndarray) -> list[str]:
    """One key per band: documents sharing any key are candidates."""
    return [
        f"{band}:{stable_id(signature[band * ROWS : (band + 1) * ROWS].tobytes().hex(), size=6)}"
        for band in range(BANDS)
    ]


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """The Jaccard similarity the two signatures estimate."""
    return float(np.mean(a == b))
