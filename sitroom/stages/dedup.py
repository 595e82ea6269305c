"""Stage ``dedup``: exact and near-duplicate copies grouped, so sources can be counted once.

Each article's clean text is cut into word shingles and summarised by a MinHash signature
(datasketch). Signatures are split into LSH bands; articles sharing a band key are candidates,
kept when their estimated Jaccard similarity, or the containment of the shorter text in the
longer (a reprint trimmed at the end), passes the options' thresholds. A wire story reprinted
by five outlets is one copy group: later stages count it as one independent source.

The map (``dedup``) computes each article's hash, shingle count, signature and band keys
alone. The keyed step (``match_copies``) matches them, in the run's order (earliest
published first, then by id: ``sitroom.engines.plan``), each article against every article
before it (stored, or earlier in the run). Decisions, in order:
1. same normalised clean text as an earlier article -> ``exact`` copy of the earliest one
   (a stored one first);
2. a band candidate above a threshold -> ``near`` copy of the most similar one (on a tie,
   the smallest id);
3. otherwise ``first``: the earliest copy starts its own copy group (named by its id).
An article joins the group of the copy it matches; groups are never re-drawn afterwards, so a
later batch never changes an earlier article's group, and which batch an article is in
changes nothing.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass, field

import numpy as np

from sitroom.errors import StageFailure
from sitroom.model import Batch, DedupInfo
from sitroom.options import Options
from sitroom.stages.base import Resources, failed, keyed_step, stage

__all__ = ["dedup", "match_copies", "shingles", "signature"]

_TOKEN = re.compile(r"\w+")


def _norm_hash(text: str) -> str:
    return hashlib.sha1(" ".join(_TOKEN.findall(text.lower())).encode()).hexdigest()


def shingles(text: str, k: int) -> set[bytes]:
    """Word k-shingles of ``text`` (lower-cased), as bytes."""
    toks = _TOKEN.findall(text.lower())
    if len(toks) < k:
        return {" ".join(toks).encode()} if toks else set()
    return {" ".join(toks[i : i + k]).encode() for i in range(len(toks) - k + 1)}


def signature(sh: set[bytes], num_perm: int) -> np.ndarray:
    """The MinHash signature of a shingle set, as uint32 (datasketch's values fit 32 bits)."""
    from datasketch import MinHash

    m = MinHash(num_perm=num_perm, seed=1, hashfunc=zlib.crc32)
    if sh:
        m.update_batch(list(sh))
    return np.asarray(m.hashvalues, dtype=np.uint64).astype(np.uint32)


def band_keys(sig: np.ndarray, bands: int) -> list[int]:
    """One signed 64-bit key per LSH band (the band's index and rows, hashed)."""
    rows = len(sig) // bands
    out = []
    for b in range(bands):
        h = hashlib.blake2b(sig[b * rows : (b + 1) * rows].tobytes(), digest_size=8, key=bytes([b]))
        out.append(int.from_bytes(h.digest(), "big", signed=True))
    return out


@dataclass
class _Local:
    """Copies within the batch being processed (not yet in the archive)."""

    by_hash: dict[str, tuple[str, str]] = field(default_factory=dict)
    by_band: dict[int, list[str]] = field(default_factory=dict)
    info: dict[str, tuple[str, int, np.ndarray]] = field(default_factory=dict)


_Summary = tuple[str, int, bytes, list[int]]  # text hash, shingle count, signature, band keys


def summarise(job: tuple[str, int, int, int]) -> _Summary:
    """The pure per-article part: hash, shingles, MinHash signature and LSH band keys."""
    text, k, num_perm, bands = job
    sh = shingles(text, k)
    sig = signature(sh, num_perm)
    return _norm_hash(text), len(sh), sig.tobytes(), band_keys(sig, bands)


@stage("dedup", requires=("clean_text",), assigns=("dedup",))
def dedup(batch: Batch, resources: Resources, options: Options) -> Batch:
    """Summarise each article for copy matching: hash, shingles, MinHash, LSH band keys."""
    jobs = [
        (a.clean_text, options.shingle_words, options.num_perm, options.lsh_bands)
        for a in batch.articles
    ]
    for a, (text_hash, n, blob, keys) in zip(
        batch.articles, resources.map(summarise, jobs, options), strict=True
    ):
        a.dedup = DedupInfo(a.id, "first", None, 1.0, text_hash, n, blob, keys)
    return batch


@keyed_step("dedup")
def match_copies(batch: Batch, resources: Resources, options: Options) -> Batch:
    """Put each article in a copy group, in the run's order: its own, or that of the earliest
    copy it repeats (stored, or earlier in the run)."""
    summaries = [a.dedup for a in batch.articles if a.dedup is not None]
    stored_exact = resources.archive.exact_copies({d.text_hash for d in summaries})
    local = _Local()
    for a in batch.articles:
        d = a.dedup
        if d is None:  # the map failed on it: no copy group
            continue
        try:
            a.dedup = _assign(a.id, (d.text_hash, d.n_shingles, d.signature, d.band_keys),
                              stored_exact, local, resources, options)  # fmt: skip
        except Exception as exc:  # this article has no copy group; the rest go on
            a.dedup = None
            f = failed(exc)
            batch.stage_errors.append(StageFailure(
                "dedup", f.error, f.message, f.trace, path=a.path, locator=a.locator,
                article_id=a.id,
            ))  # fmt: skip
    return batch


def _assign(
    article_id: str,
    summary: _Summary,
    stored_exact: dict[str, tuple[str, str]],
    local: _Local,
    resources: Resources,
    options: Options,
) -> DedupInfo:
    text_hash, n, blob, keys = summary
    sig = np.frombuffer(blob, dtype=np.uint32)
    info = DedupInfo(article_id, "first", None, 1.0, text_hash, n, blob, keys)
    exact = stored_exact.get(text_hash) or local.by_hash.get(text_hash)  # the earliest
    if exact:
        info.of, info.copy_group, info.kind = exact[0], exact[1], "exact"
    else:
        best = _best_near(article_id, n, sig, keys, local, resources, options)
        if best:
            info.of, info.copy_group, info.score = best
            info.kind = "near"
    local.by_hash.setdefault(text_hash, (article_id, info.copy_group))
    for k in keys:
        local.by_band.setdefault(k, []).append(article_id)
    local.info[article_id] = (info.copy_group, n, sig)
    return info


def _best_near(
    article_id: str,
    n_a: int,
    sig: np.ndarray,
    keys: list[int],
    local: _Local,
    resources: Resources,
    options: Options,
) -> tuple[str, str, float] | None:
    cands: dict[str, tuple[str, int, np.ndarray]] = {}
    for other_id, (group, n, blob) in resources.archive.band_candidates(keys).items():
        cands[other_id] = (group, n, np.frombuffer(blob, dtype=np.uint32))
    for k in keys:
        for other_id in local.by_band.get(k, ()):
            cands[other_id] = local.info[other_id]
    best: tuple[float, str, str] | None = None
    for other_id, (group, n_b, other_sig) in cands.items():
        if other_id == article_id or len(other_sig) != len(sig):
            continue
        j = float(np.mean(sig == other_sig))
        small = min(n_a, n_b)
        contained = j * (n_a + n_b) / ((1 + j) * small) if small else 0.0
        ok = j >= options.near_duplicate_jaccard or (
            small >= 20 and contained >= options.near_duplicate_containment
        )
        if ok and (best is None or j > best[0] or (j == best[0] and other_id < best[1])):
            best = (j, other_id, group)
    return (best[1], best[2], round(best[0], 3)) if best else None
