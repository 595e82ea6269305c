"""The similarities ``align`` groups claims by, and its average-linkage clustering, in time
and memory that stay bounded however many claims a topic holds.

A topic of a few thousand claim units is compared as one matrix (``Similarity`` dense): every
pair's cosine, the close calls decided by MiniLM (``vectors.refine``). Above ``DENSE_MAX``
units no n x n matrix is ever made: each unit's ``NEIGHBOURS`` nearest are found a block of
rows at a time, the clusters are sought per connected component of the graph of linking
pairs, and a component is clustered on its own matrix up to ``COMPONENT_MAX`` units, beyond
that on the linking pairs alone (``sparse_average_linkage``: pairs never compared count as
unrelated). A soak topic of 11,449 short, formulaic units (thousands of near-identical event
notes) had made the old all-pairs alignment run for most of an hour in 5 GB.

``average_linkage`` gives exactly the merges of the textbook loop (merge the two clusters of
highest mean affinity, the first such pair in row order) but keeps each row's best partner,
so a merge costs a row or a few instead of the whole matrix: quadratic, not cubic.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

import numpy as np

from sitroom.claims.vectors import BAND, precise_vectors

__all__ = [
    "COMPONENT_MAX",
    "DENSE_MAX",
    "NEIGHBOURS",
    "Affinity",
    "Similarity",
    "average_linkage",
    "cluster",
    "components",
    "sparse_average_linkage",
]

NEIGHBOURS = 40  # pairs compared per claim at most, nearest first
DENSE_MAX = 2500  # units compared as one matrix
COMPONENT_MAX = 1500  # units of a component clustered on its own matrix
BLOCK = 1024  # rows of a block of similarities


class Similarity:
    """Cosines of unit vectors, close calls (``vectors.BAND``) replaced by MiniLM's: a full
    matrix up to ``DENSE_MAX`` units, otherwise computed for the rows and pairs asked."""

    def __init__(self, vecs: np.ndarray, texts: Sequence[str]) -> None:
        self.vecs = vecs
        self.texts = texts
        self.n = len(vecs)
        self.full: np.ndarray | None = None
        if self.n <= DENSE_MAX:
            self.full = refine_matrix(vecs @ vecs.T, texts, range(self.n), range(self.n))
        self._pairs: dict[tuple[int, int], float] = {}

    def pair(self, i: int, j: int) -> float:
        if self.full is not None:
            return float(self.full[i, j])
        key = (i, j) if i < j else (j, i)
        got = self._pairs.get(key)
        if got is None:
            got = float(self.vecs[i] @ self.vecs[j])
            if BAND[0] <= got < BAND[1]:
                a, b = precise_vectors([self.texts[i], self.texts[j]])
                got = float(a @ b)
            self._pairs[key] = got
        return got

    def block(self, rows: Sequence[int], cols: Sequence[int]) -> np.ndarray:
        """The (refined) similarities of ``rows`` against ``cols``."""
        if self.full is not None:
            return self.full[np.ix_(list(rows), list(cols))]
        static = self.vecs[list(rows)] @ self.vecs[list(cols)].T
        return refine_matrix(static, self.texts, rows, cols)

    def row(self, i: int, cols: np.ndarray) -> np.ndarray:
        """Unit ``i`` against ``cols``: refined when dense, the static cosines otherwise (a
        loose floor's test, such as rule 4's ``PULL_SIM``)."""
        out: np.ndarray = (
            self.full[i, cols] if self.full is not None else self.vecs[cols] @ self.vecs[i]
        )
        return out

    def neighbours(self, floor: float, among: Sequence[int] | None = None
                   ) -> list[tuple[int, int]]:  # fmt: skip
        """Pairs (i < j, positions in ``among``, by default every unit) with similarity >=
        ``floor`` among each one's ``NEIGHBOURS`` nearest (all such pairs when they are few)."""
        idx = np.arange(self.n) if among is None else np.asarray(among, dtype=np.int64)
        m = len(idx)
        found: dict[tuple[int, int], float] = {}
        for start in range(0, m, BLOCK):
            rows = idx[start : start + BLOCK]
            if self.full is not None:
                sim = self.full[np.ix_(rows, idx)]
            else:
                sim = self.vecs[rows] @ self.vecs[idx].T
            if m > NEIGHBOURS + 1:
                near = np.argpartition(-sim, NEIGHBOURS + 1, axis=1)[:, : NEIGHBOURS + 1]
            else:
                near = np.broadcast_to(np.arange(m), (len(rows), m))
            for r in range(len(rows)):
                a = start + r
                for b in near[r].tolist():
                    if b != a and sim[r, b] >= floor:
                        found[(a, b) if a < b else (b, a)] = float(sim[r, b])
        pairs = sorted(found)
        if self.full is not None:
            return pairs
        # the kept pairs' close calls are MiniLM's: their sentences embedded in one batch
        close = [p for p in pairs if BAND[0] <= found[p] < BAND[1]]
        precise_vectors(list(dict.fromkeys(self.texts[int(idx[k])] for p in close for k in p)))
        return [p for p in pairs if self.pair(int(idx[p[0]]), int(idx[p[1]])) >= floor]


def refine_matrix(
    sim: np.ndarray, texts: Sequence[str], rows: Sequence[int], cols: Sequence[int]
) -> np.ndarray:
    """``sim`` (static cosines of ``rows`` against ``cols``) with every entry inside ``BAND``
    replaced by MiniLM's cosine of the two sentences; memory: the block and the sentences'
    vectors, never one vector per pair."""
    lo, hi = BAND
    rows, cols = list(rows), list(cols)
    square = rows == cols  # a symmetric block stays exactly symmetric
    band = (sim >= lo) & (sim < hi)
    ii, jj = np.nonzero(np.triu(band, 1) if square else band)
    if not len(ii):
        return sim
    r_used = sorted(set(ii.tolist()))
    c_used = sorted(set(jj.tolist()))
    a = precise_vectors([texts[rows[i]] for i in r_used])
    b = precise_vectors([texts[cols[j]] for j in c_used])
    exact = (a @ b.T).astype(sim.dtype)
    rp = np.zeros(len(rows), dtype=np.int64)
    rp[r_used] = np.arange(len(r_used))
    cp = np.zeros(len(cols), dtype=np.int64)
    cp[c_used] = np.arange(len(c_used))
    out = sim.copy()
    out[ii, jj] = exact[rp[ii], cp[jj]]
    if square:
        out[jj, ii] = out[ii, jj]
    return out


class Affinity:
    """Similarities raised by the relations found (``align`` step 2): ``raised[i][j]``."""

    def __init__(self, sim: Similarity) -> None:
        self.sim = sim
        self.raised: dict[int, dict[int, float]] = {}

    def raise_to(self, i: int, j: int, value: float) -> None:
        v = max(self.get(i, j), value)
        self.raised.setdefault(i, {})[j] = v
        self.raised.setdefault(j, {})[i] = v

    def get(self, i: int, j: int) -> float:
        got = self.raised.get(i, {}).get(j)
        return self.sim.pair(i, j) if got is None else got

    def sub(self, idx: Sequence[int]) -> np.ndarray:
        """The affinities among ``idx`` (float64, square)."""
        out = self.sim.block(idx, idx).astype(np.float64)
        pos = {u: k for k, u in enumerate(idx)}
        for a, u in enumerate(idx):
            for v, value in self.raised.get(u, {}).items():
                b = pos.get(v)
                if b is not None:
                    out[a, b] = value
        return out


def cluster(aff: np.ndarray, threshold: float) -> list[list[int]]:
    """Average-linkage agglomerative clusters of a symmetric affinity matrix: merge the two
    clusters of highest mean pairwise affinity until it falls below ``threshold``.

    Two clusters can only merge when some pair across them reaches ``threshold`` (a mean is
    never above its largest term), so the clusters never cross the connected components of
    the graph of such pairs: each component is clustered on its own, and a topic's thousands
    of claims cost what its few related ones do."""
    n = len(aff)
    if n == 0:
        return []
    ii, jj = np.nonzero(np.triu(aff >= threshold, 1))
    out: list[list[int]] = []
    for part in components(n, zip(ii.tolist(), jj.tolist(), strict=True)):
        if len(part) == 1:
            out.append(part)
            continue
        sub = aff[np.ix_(part, part)]
        out += [[part[k] for k in c] for c in average_linkage(sub, threshold)]
    return sorted(out, key=lambda c: c[0])


def cluster_affinity(aff: Affinity, pairs: Sequence[tuple[int, int]], threshold: float
                     ) -> list[list[int]]:  # fmt: skip
    """``cluster`` without the n x n matrix: components of the ``pairs`` whose affinity
    reaches ``threshold``, each clustered on its own matrix (``COMPONENT_MAX`` units at
    most) or on its linking pairs alone."""
    n = aff.sim.n
    linking = [(i, j) for i, j in pairs if aff.get(i, j) >= threshold]
    out: list[list[int]] = []
    for part in components(n, linking):
        if len(part) == 1:
            out.append(part)
        elif len(part) <= COMPONENT_MAX:
            out += [[part[k] for k in c] for c in average_linkage(aff.sub(part), threshold)]
        else:
            inside = set(part)
            edges = {(i, j): aff.get(i, j) for i, j in pairs if i in inside and j in inside}
            out += sparse_average_linkage(part, edges, threshold)
    return sorted(out, key=lambda c: c[0])


def components(n: int, pairs: object) -> list[list[int]]:
    """The connected components of ``n`` nodes joined by ``pairs``, each sorted."""
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:  # type: ignore[attr-defined]
        ri, rj = root(int(i)), root(int(j))
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    parts: dict[int, list[int]] = {}
    for i in range(n):
        parts.setdefault(root(i), []).append(i)
    return list(parts.values())


def average_linkage(aff: np.ndarray, threshold: float) -> list[list[int]]:
    """Average-linkage clusters of one matrix: each step merges the pair of highest mean
    affinity (the first in row order), until that falls below ``threshold``."""
    n = len(aff)
    if n == 0:
        return []
    sums = aff.astype(np.float64).copy()
    np.fill_diagonal(sums, 0.0)
    sizes = np.ones(n)
    alive = np.ones(n, dtype=bool)
    members: list[list[int]] = [[i] for i in range(n)]
    mean = sums / np.outer(sizes, sizes)
    np.fill_diagonal(mean, -np.inf)
    best_idx = np.argmax(mean, axis=1)
    best_val = mean[np.arange(n), best_idx]
    del mean

    def refresh(k: int) -> None:
        row = sums[k] / (sizes[k] * sizes)
        row[~alive] = -np.inf
        row[k] = -np.inf
        j = int(np.argmax(row))
        best_idx[k], best_val[k] = j, row[j]

    while True:
        i = int(np.argmax(best_val))
        if not best_val[i] >= threshold:
            break
        j = int(best_idx[i])
        sums[i, :] += sums[j, :]
        sums[:, i] += sums[:, j]
        sums[i, i] = 0.0
        sizes[i] += sizes[j]
        alive[j] = False
        sums[j, :] = 0.0
        sums[:, j] = 0.0
        best_val[j] = -np.inf
        members[i] += members[j]
        members[j] = []
        refresh(i)
        ks = np.nonzero(alive)[0]
        ks = ks[ks != i]
        stale = (best_idx[ks] == i) | (best_idx[ks] == j)
        for k in ks[stale].tolist():
            refresh(k)
        rest = ks[~stale]
        if len(rest):
            v = sums[rest, i] / (sizes[rest] * sizes[i])
            better = (v > best_val[rest]) | ((v == best_val[rest]) & (i < best_idx[rest]))
            best_val[rest[better]] = v[better]
            best_idx[rest[better]] = i
    return [sorted(m) for m in members if m]


def sparse_average_linkage(
    nodes: Sequence[int], edges: dict[tuple[int, int], float], threshold: float
) -> list[list[int]]:
    """Average linkage over the pairs in ``edges`` alone (a pair never compared counts as
    0): a heap of cluster pairs by mean affinity, stale entries skipped."""
    members: dict[int, list[int]] = {u: [u] for u in nodes}
    sums: dict[int, dict[int, float]] = {u: {} for u in nodes}
    for (i, j), a in edges.items():
        sums[i][j] = sums[i].get(j, 0.0) + a
        sums[j][i] = sums[j].get(i, 0.0) + a
    heap = [(-a, i, j) for (i, j), a in edges.items() if a >= threshold]
    heapq.heapify(heap)
    while heap:
        neg, i, j = heapq.heappop(heap)
        if i not in members or j not in members:
            continue
        mean = sums[i].get(j, 0.0) / (len(members[i]) * len(members[j]))
        if mean != -neg:
            continue  # stale: the clusters changed since this entry
        if len(members[i]) < len(members[j]):
            i, j = j, i
        members[i] += members.pop(j)
        for k, s in sums.pop(j).items():
            if k == i:
                continue
            sums[k].pop(j, None)
            total = sums[i].get(k, 0.0) + s
            sums[i][k] = total
            sums[k][i] = total
        sums[i].pop(j, None)
        size = len(members[i])
        for k, s in sums[i].items():
            m = s / (size * len(members[k]))
            if m >= threshold:
                heapq.heappush(heap, (-m, min(i, k), max(i, k)))
    return [sorted(m) for m in members.values()]
