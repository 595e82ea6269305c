"""Online clustering: each item joins its best cluster at once, or starts one.

Used twice: articles into stories, and (with looser settings) into topics. An item is a unit
vector (title and lead), a set of keys (places, people, organisations), a date, a copy group
and an outlet. Joining needs

    score = cosine(item, centroid) + entity_weight * shared entities - time penalty >= join

where "shared entities" is the share of the item's entity weight (idf) the cluster has seen,
and the time penalty grows with the days between the item and the cluster's span, capped.
A copy of an article already placed joins that article's cluster directly. Candidates come
from an approximate nearest-neighbour index of centroids (usearch), so assignment cost stays
flat as clusters accumulate. After a join, a cluster whose centroid has come close to another
one's, with shared entities and overlapping time, merges into the larger; the merge is
recorded, nothing is re-clustered.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sitroom.embed import DIM

__all__ = ["Cluster", "Item", "OnlineClusterer", "Params", "new_index"]

_MAX_KEYS = 64  # a cluster remembers its most frequent keys only


@dataclass(frozen=True)
class Params:
    """How close an item must be to join a cluster, and how clusters merge."""

    join: float = 0.55
    """Score an item needs to join its best cluster; below it, it starts a new one."""
    entity_weight: float = 0.2
    """Weight of the share of the item's (idf-weighted) keys the cluster has seen."""
    time_scale_days: float = 7.0
    time_weight: float = 0.1
    """Penalty per ``time_scale_days`` between the item and the cluster's first..last span."""
    max_time_penalty: float = 0.3
    focus_penalty: float = 0.2
    """Penalty when the item happens somewhere the cluster's articles do not (both known),
    times how sure the item's place is."""
    key_presence: bool = False
    """Count a key the cluster has seen at all (topics) rather than by the share of the
    cluster's articles that name it (stories)."""
    candidates: int = 10
    """Nearest centroids scored for each item."""
    merge: float = 0.7
    """Cluster-to-cluster score (``merge_score``) at which two clusters become one."""


@dataclass
class Item:
    id: str
    vec: np.ndarray
    keys: frozenset[str]
    when: dt.date | None = None
    copy_group: str | None = None
    outlet: str | None = None
    title: str = ""
    focus: frozenset[str] = frozenset()
    focus_weight: float = 1.0  # how sure the item's place is (1.0: its headline names it)


@dataclass
class Cluster:
    id: str
    key: int  # its key in the nearest-neighbour index
    vec_sum: np.ndarray
    n: int = 0
    keys: Counter[str] = field(default_factory=Counter)
    focus: Counter[str] = field(default_factory=Counter)  # where its articles say it happens
    first: dt.date | None = None
    last: dt.date | None = None
    outlets: Counter[str] = field(default_factory=Counter)
    sources: int = 0  # independent sources: copy groups, each counted once
    label: str = ""
    label_vec: np.ndarray | None = None  # the vector of the article the label comes from
    parent: str | None = None  # a story's topic
    merged_into: str | None = None
    created: bool = False  # made in this run (the writer inserts rather than updates)
    dirty: bool = False

    @property
    def centroid(self) -> np.ndarray:
        norm = float(np.linalg.norm(self.vec_sum))
        return self.vec_sum / norm if norm else self.vec_sum

    def gap_days(self, when: dt.date | None) -> float:
        if when is None or self.first is None or self.last is None:
            return 0.0
        if when < self.first:
            return float((self.first - when).days)
        if when > self.last:
            return float((when - self.last).days)
        return 0.0

    def add(self, item: Item) -> None:
        self.vec_sum = self.vec_sum + item.vec
        self.n += 1
        self.keys.update(item.keys)
        if len(self.keys) > 2 * _MAX_KEYS:
            self.keys = Counter(dict(self.keys.most_common(_MAX_KEYS)))
        self.focus.update(item.focus)
        if len(self.focus) > 2 * _MAX_KEYS:
            self.focus = Counter(dict(self.focus.most_common(_MAX_KEYS)))
        if item.when is not None:
            self.first = min(self.first or item.when, item.when)
            self.last = max(self.last or item.when, item.when)
        if item.outlet:
            self.outlets[item.outlet] += 1
        centroid = self.centroid
        if item.title and (
            self.label_vec is None or float(item.vec @ centroid) > float(self.label_vec @ centroid)
        ):
            self.label, self.label_vec = item.title, item.vec
        self.dirty = True


def new_index(ndim: int = DIM) -> Any:
    """An empty nearest-neighbour index of unit vectors (usearch HNSW, cosine), ``ndim``
    wide (MiniLM's width unless told)."""
    # onnxruntime first: an ONNX session created in a process after usearch has built an
    # index crashes it (onnxruntime 1.31 / usearch 2.26; the order here avoids it)
    import onnxruntime  # noqa: F401
    from usearch.index import Index

    return Index(ndim=ndim, metric="cos", dtype="f32", connectivity=16, expansion_add=64,
                 expansion_search=64)  # fmt: skip


REINDEX_COS = 0.995  # a centroid is put back in the index once it moved more than this
REBUILD_MIN = 5_000  # removed entries tolerated before the index is rebuilt


def _same_place(focus: frozenset[str], seen: Counter[str]) -> bool:
    """Whether an item's places can be the cluster's: true when either is unknown, or the
    item names a place that a fifth or more of the cluster's located articles name."""
    if not focus or not seen:
        return True
    floor = max(seen.values()) / 5
    return any(seen.get(k, 0) >= floor for k in focus)


class OnlineClusterer:
    """Clusters and their nearest-neighbour index; assigns items one at a time."""

    def __init__(
        self,
        params: Params,
        clusters: Iterable[Cluster] = (),
        groups: dict[str, str] | None = None,
        index: Any = None,
    ) -> None:
        """``clusters`` and ``groups`` (copy group -> cluster id) as stored; ``index`` a
        nearest-neighbour index already holding the live clusters' centroids (else built)."""
        self.params = params
        self.clusters: dict[str, Cluster] = {}
        self.by_key: dict[int, str] = {}
        self.by_group: dict[str, str] = {}
        self.df: Counter[str] = Counter()
        self.n_items = 0
        self.index = index if index is not None else new_index()
        given_index = index is not None
        self.next_key = 0
        self.merges: list[tuple[str, str, float]] = []
        self._dirty: set[str] = set()
        live = []
        for c in clusters:
            self.clusters[c.id] = c
            self.next_key = max(self.next_key, c.key + 1)
            if c.merged_into is None:
                self.by_key[c.key] = c.id
                live.append(c)
                self.df.update(c.keys)
                self.n_items += c.n
        self.by_group.update(groups or {})
        # the vector each live cluster has in the index, and how many entries were removed
        # since it was built (an HNSW removal leaves its node behind)
        self._indexed: dict[int, np.ndarray] = {}
        self._removed = 0
        if live and not given_index:
            self._fill(live)

    def _fill(self, live: list[Cluster]) -> None:
        vecs = np.stack([c.centroid for c in live]).astype(np.float32)
        self.index.add(np.array([c.key for c in live], dtype=np.uint64), vecs)
        self._indexed = {c.key: v for c, v in zip(live, vecs, strict=True)}

    def _reindex(self, c: Cluster, force: bool = False) -> None:
        """Put ``c``'s centroid in the index when it has moved since it was put there (an
        article joining a large cluster hardly moves it; the index only finds candidates,
        which are then scored on their exact centroids); rebuild the index once removed
        entries outnumber the live ones."""
        cur = c.centroid.astype(np.float32)
        prev = self._indexed.get(c.key)
        if not force and prev is not None and float(prev @ cur) >= REINDEX_COS:
            return
        if c.key in self.index:
            self.index.remove(c.key)
            self._removed += 1
        self.index.add(c.key, cur)
        self._indexed[c.key] = cur
        if self._removed > max(REBUILD_MIN, len(self.by_key)):
            self.index = new_index()
            self._removed = 0
            live = {c.key: c for c in (self.clusters[cid] for cid in self.by_key.values())
                    if c.merged_into is None}  # fmt: skip
            self._fill(list(live.values()))

    def resolve(self, cluster_id: str) -> str:
        """The live cluster a (possibly merged) cluster id stands for now."""
        seen = 0
        while self.clusters[cluster_id].merged_into and seen < 100:
            cluster_id = self.clusters[cluster_id].merged_into  # type: ignore[assignment]
            seen += 1
        return cluster_id

    def _idf(self, key: str) -> float:
        return math.log((self.n_items + 1) / (self.df.get(key, 0) + 1)) + 1.0

    def score(self, item: Item, c: Cluster) -> float:
        p = self.params
        sim = float(item.vec @ c.centroid)
        total = sum(self._idf(k) for k in item.keys)
        # a key counts by the share of the cluster's articles that name it: a name one
        # article in thirty mentions says little about the other twenty-nine
        if p.key_presence:
            hit = sum(self._idf(k) for k in item.keys if k in c.keys)
        else:
            hit = sum(self._idf(k) * min(1.0, c.keys[k] / c.n) for k in item.keys if k in c.keys)
        shared = hit / total if total and c.n else 0.0
        penalty = min(p.max_time_penalty, p.time_weight * c.gap_days(item.when) / p.time_scale_days)
        if p.focus_penalty and not _same_place(item.focus, c.focus):
            penalty += p.focus_penalty * item.focus_weight
        return sim + p.entity_weight * shared - penalty

    def best(self, item: Item) -> tuple[Cluster | None, float]:
        """The best live cluster for ``item`` and its score (None when there is none)."""
        if not len(self.index):
            return None, 0.0
        k = min(self.params.candidates, len(self.index))
        matches = self.index.search(item.vec.astype(np.float32), k)
        best: tuple[Cluster | None, float] = (None, -1.0)
        for key in matches.keys:
            cid = self.by_key.get(int(key))
            if cid is None:
                continue
            s = self.score(item, self.clusters[cid])
            if s > best[1]:
                best = (self.clusters[cid], s)
        return best

    def assign(self, item: Item, new_id: str) -> tuple[Cluster, float, str]:
        """Place ``item``: (its cluster, the score, how: "copy", "joined" or "new")."""
        if item.copy_group and item.copy_group in self.by_group:
            c = self.clusters[self.resolve(self.by_group[item.copy_group])]
            self._add(c, item)
            return c, 1.0, "copy"
        found, s = self.best(item)
        if found is not None and s >= self.params.join:
            self._add(found, item)
            self._maybe_merge(found)
            return self.clusters[self.resolve(found.id)], s, "joined"
        c = Cluster(new_id, self.next_key, np.zeros(DIM, dtype=np.float32), created=True)
        self.next_key += 1
        self.clusters[c.id] = c
        self.by_key[c.key] = c.id
        self._add(c, item)
        return c, s, "new"

    def add_to(self, c: Cluster, item: Item) -> None:
        """Put ``item`` in cluster ``c`` (a story's article joins its story's topic)."""
        self._add(c, item)

    def take_changes(self) -> tuple[list[Cluster], list[tuple[str, str, float]]]:
        """The clusters changed and the merges made since the last call."""
        changed = [self.clusters[cid] for cid in sorted(self._dirty)]
        for c in changed:
            c.dirty = False
        merges, self.merges = self.merges, []
        self._dirty = set()
        return changed, merges

    def _add(self, c: Cluster, item: Item) -> None:
        group = item.copy_group or item.id
        known = self.by_group.get(group)
        if known is None or self.resolve(known) != c.id:
            c.sources += 1
        c.add(item)
        self._dirty.add(c.id)
        self.df.update(item.keys)
        self.n_items += 1
        self.by_group[group] = c.id
        self._reindex(c)

    def merge_score(self, a: Cluster, b: Cluster) -> float:
        """How surely two clusters tell one story: the join score, cluster to cluster (the
        names compared as idf-weighted shares of each cluster's articles)."""
        p = self.params
        sim = float(a.centroid @ b.centroid)
        wa = {k: n / a.n * self._idf(k) for k, n in a.keys.items()} if a.n else {}
        wb = {k: n / b.n * self._idf(k) for k, n in b.keys.items()} if b.n else {}
        norm = math.sqrt(sum(v * v for v in wa.values()) * sum(v * v for v in wb.values()))
        names = sum(v * wb[k] for k, v in wa.items() if k in wb) / norm if norm else 0.0
        gap = max(a.gap_days(b.first), a.gap_days(b.last)) if b.first else 0.0
        if a.first and b.first and a.last and b.last and a.first <= b.last and b.first <= a.last:
            gap = 0.0  # their spans overlap
        elif a.first and b.first and a.last and b.last:
            gap = float(min(abs((a.first - b.last).days), abs((b.first - a.last).days)))
        penalty = min(p.max_time_penalty, p.time_weight * gap / p.time_scale_days)
        if p.focus_penalty and a.focus and b.focus:
            top_a = {k for k, n in a.focus.items() if n >= max(a.focus.values()) / 5}
            if not _same_place(frozenset(top_a), b.focus):
                penalty += p.focus_penalty
        return sim + p.entity_weight * names - penalty

    def _maybe_merge(self, c: Cluster) -> None:
        p = self.params
        matches = self.index.search(c.centroid.astype(np.float32), 4)
        for key in matches.keys:
            cid = self.by_key.get(int(key))
            if cid is None or cid == c.id:
                continue
            o = self.clusters[cid]
            score = self.merge_score(c, o)
            if score < p.merge:
                continue
            small, big = (c, o) if c.n < o.n else (o, c)
            self._merge(small, big, score)
            return

    def _merge(self, small: Cluster, big: Cluster, sim: float) -> None:
        big.vec_sum = big.vec_sum + small.vec_sum
        big.n += small.n
        big.keys.update(small.keys)
        big.focus.update(small.focus)
        big.outlets.update(small.outlets)
        big.sources += small.sources
        for when in (small.first, small.last):
            if when is not None:
                big.first = min(big.first or when, when)
                big.last = max(big.last or when, when)
        centroid = big.centroid
        if small.label_vec is not None and (
            big.label_vec is None
            or float(small.label_vec @ centroid) > float(big.label_vec @ centroid)
        ):
            big.label, big.label_vec = small.label, small.label_vec
        big.dirty = True
        small.merged_into = big.id
        small.dirty = True
        self._dirty.update((small.id, big.id))
        self.index.remove(small.key)
        self._removed += 1
        self._indexed.pop(small.key, None)
        self.by_key.pop(small.key, None)
        self._reindex(big, force=True)
        self.merges.append((small.id, big.id, round(sim, 4)))
