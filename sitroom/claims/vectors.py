"""The vectors claims are compared by: sitroom's static sentence embedding.

A claim is one sentence, and an article has about fifty: MiniLM (``sitroom.embed``, ~15 ms a
sentence on one core) cost more than the whole spaCy parse of the article, and a topic's
alignment, the briefs and ``sitroom check`` all compare the same sentences again. The static
embedding (``sitroom.static_embed``: MiniLM's own token vectors distilled into one table,
well under 1 ms a sentence) follows MiniLM's cosines closely in rank (Spearman 0.92 on
NeuS/AllSides sentences) and in scale. On the NeuS/AllSides claims benchmark its alignment
at ``align.LINK`` finds about as many corroborated roundup sentences as MiniLM's, at a
little lower precision (``benchmarks/static_embed.py`` (c); ``benchmarks/claims.py``).

Every vector the store keeps for a claim (``claim_mentions.vec``, ``claim_units.vec``) is one
of these: float32, ``dim()`` wide, unit length. A kept vector of another width (a store made
when claims were embedded by MiniLM) is never compared: ``usable`` says so, and migration
010 drops such vectors and queues the topics to be realigned.

Where the two differ most is sentences that share their words but not their proposition
("Islamabad denies backing the insurgents, but ... the leadership is based in Pakistan"
against "the group's leaders live in Pakistan": static 0.67, MiniLM 0.59): a bag of token
vectors cannot see which clause is negated or whose troops are counted. So the static
cosine is a first reading: a pair whose static cosine is a close call for one of
``align``'s thresholds (within ``BAND``) is compared again on MiniLM's cosine (``refine``),
and a contradiction found on a static cosine outside it is confirmed on MiniLM's
(``compare.relate_confirmed``). Only the sentences of such pairs are embedded by MiniLM,
each once per process (a ``watch`` keeps them): a claim with no near neighbour, most of a
stream's claims, never is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Protocol

import numpy as np

__all__ = [
    "BAND",
    "Keeper",
    "dim",
    "embed",
    "kept_in",
    "precise_similarity",
    "precise_vectors",
    "refine",
    "text_hash",
    "usable",
]

BAND = (0.50, 0.85)
"""Static cosines in this range are close calls for ``align``'s thresholds (``LINK`` 0.62,
``SAME_SIM`` 0.70, ``POLARITY_SIM`` 0.72, ``EVENT_SIM`` 0.80): ``refine`` has MiniLM decide
them."""
_PRECISE: dict[str, np.ndarray] = {}
_PRECISE_MAX = 50_000


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors (float32, ``len(texts)`` x ``dim()``), each distinct text embedded once."""
    from sitroom.static_embed import static_embedder

    uniq = list(dict.fromkeys(texts))
    if not uniq:
        return np.zeros((0, dim()), dtype=np.float32)
    vecs = static_embedder()(uniq)
    if len(uniq) == len(texts):
        return vecs
    pos = {t: i for i, t in enumerate(uniq)}
    return vecs[[pos[t] for t in texts]]


def dim() -> int:
    """The width of a claim vector."""
    from sitroom.static_embed import static_embedder

    return static_embedder().dim


def usable(blob: bytes | None) -> bool:
    """Whether a kept vector is a claim vector of today's kind (its width)."""
    return blob is not None and len(blob) == 4 * dim()


def refine(sim: np.ndarray, texts: Sequence[str]) -> np.ndarray:
    """``sim`` (static cosines of ``texts``, square) with every pair inside ``BAND``
    replaced by MiniLM's cosine of the two sentences."""
    lo, hi = BAND
    ii, jj = np.nonzero(np.triu((sim >= lo) & (sim < hi), 1))
    if not len(ii):
        return sim
    involved = sorted(set(ii.tolist()) | set(jj.tolist()))
    vecs = precise_vectors([texts[i] for i in involved])
    pos = {i: k for k, i in enumerate(involved)}
    a = vecs[[pos[i] for i in ii.tolist()]]
    b = vecs[[pos[j] for j in jj.tolist()]]
    exact = np.einsum("ij,ij->i", a, b).astype(sim.dtype)
    out = sim.copy()
    out[ii, jj] = exact
    out[jj, ii] = exact
    return out


class Keeper(Protocol):
    """Where kept MiniLM vectors are read (``sitroom.store.Store``)."""

    def minilm_vectors(self, hashes: list[str]) -> dict[str, bytes]: ...


_KEEPER: list[tuple[Keeper, dict[str, bytes]]] = []


@contextmanager
def kept_in(keeper: Keeper | None) -> Iterator[dict[str, bytes]]:
    """MiniLM vectors read from ``keeper`` meanwhile (a store: a sentence is embedded once
    for good, not once per process); yields the vectors made meanwhile (hash -> float32
    bytes), for the caller to have written (``TopicUpdate.minilm``)."""
    made: dict[str, bytes] = {}
    if keeper is None or not hasattr(keeper, "minilm_vectors"):
        yield made
        return
    entry = (keeper, made)
    _KEEPER.append(entry)
    try:
        yield made
    finally:
        _KEEPER.remove(entry)


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def precise_vectors(texts: Sequence[str]) -> np.ndarray:
    """MiniLM vectors of ``texts``, each embedded once per process (up to ``_PRECISE_MAX``
    kept), and once for good inside ``kept_in(store)``."""
    from sitroom.embed import DIM, embedder, spare_threads

    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)

    new = [t for t in dict.fromkeys(texts) if t not in _PRECISE]
    if new and len(_PRECISE) + len(new) > _PRECISE_MAX:
        _PRECISE.clear()
        new = list(dict.fromkeys(texts))
    if new and _KEEPER:
        hashes = {t: text_hash(t) for t in new}
        kept = _KEEPER[-1][0].minilm_vectors(list(hashes.values()))
        for t, h in hashes.items():
            blob = kept.get(h)
            if blob is not None and len(blob) == 4 * DIM:
                _PRECISE[t] = np.frombuffer(blob, dtype=np.float32)
        new = [t for t in new if t not in _PRECISE]
    if new:
        made = dict(zip(new, embedder(spare_threads())(new), strict=True))
        _PRECISE.update(made)
        if _KEEPER:
            _KEEPER[-1][1].update(
                {text_hash(t): v.astype(np.float32).tobytes() for t, v in made.items()}
            )
    return np.stack([_PRECISE[t] for t in texts])


def precise_similarity(a: str, b: str) -> float:
    """MiniLM's cosine of two sentences (their vectors kept for the process, up to
    ``_PRECISE_MAX`` sentences)."""
    va, vb = precise_vectors([a, b])
    return float(va @ vb)
