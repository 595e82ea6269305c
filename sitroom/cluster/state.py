"""The clusterers' state between runs: rows in the store, and the index files beside it.

Stories and topics are rows (centroid sum, counts, keys, span, outlets, label); the copy
groups already placed come from ``story_articles``. The nearest-neighbour index of live
centroids is saved next to the store at the end of a run, stamped with the version of the
stories it holds; a run that finds a stale or missing index (a crash, a copied database)
rebuilds it from the rows.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sitroom.cluster.online import Cluster, OnlineClusterer, Params, new_index

__all__ = [
    "KINDS",
    "Changes",
    "cluster_from_row",
    "cluster_row",
    "index_version",
    "load",
    "save_index",
]

KINDS = ("story", "topic")


@dataclass
class Changes:
    """What one batch changed: clusters to upsert and merges to record, per kind."""

    clusters: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    merges: list[tuple[str, str, str, float]] = field(default_factory=list)  # kind, from, into

    def __bool__(self) -> bool:
        return bool(self.merges or any(self.clusters.values()))


def _date(s: str | None) -> dt.date | None:
    return dt.date.fromisoformat(s) if s else None


def cluster_row(c: Cluster) -> dict[str, Any]:
    """The store row of a cluster."""
    return {
        "id": c.id,
        "key": c.key,
        "parent": c.parent,
        "label": c.label,
        "n": c.n,
        "sources": c.sources,
        "first": c.first.isoformat() if c.first else None,
        "last": c.last.isoformat() if c.last else None,
        "outlets": json.dumps(dict(c.outlets.most_common()), ensure_ascii=False),
        "keys": json.dumps(dict(c.keys.most_common()), ensure_ascii=False),
        "focus": json.dumps(dict(c.focus.most_common()), ensure_ascii=False),
        "vec_sum": c.vec_sum.astype(np.float32).tobytes(),
        "label_vec": (
            c.label_vec.astype(np.float16).tobytes() if c.label_vec is not None else None
        ),
        "merged_into": c.merged_into,
    }


def cluster_from_row(row: Mapping[str, Any]) -> Cluster:
    label_vec = row["label_vec"]
    return Cluster(
        id=row["id"],
        key=int(row["key"]),
        vec_sum=np.frombuffer(row["vec_sum"], dtype=np.float32).copy(),
        n=int(row["n"]),
        keys=Counter(json.loads(row["keys"])),
        focus=Counter(json.loads(row["focus"])),
        first=_date(row["first"]),
        last=_date(row["last"]),
        outlets=Counter(json.loads(row["outlets"])),
        sources=int(row["sources"]),
        label=row["label"] or "",
        label_vec=(
            np.frombuffer(label_vec, dtype=np.float16).astype(np.float32)
            if label_vec is not None
            else None
        ),
        parent=row.get("parent"),
        merged_into=row["merged_into"],
    )


def load(
    kind: str,
    params: Params,
    rows: Iterable[Mapping[str, Any]],
    groups: dict[str, str],
    index_path: Path | None,
    version: int,
    index_version: int,
) -> OnlineClusterer:
    """A clusterer holding the stored clusters of ``kind``, its index restored or rebuilt."""
    clusters = [cluster_from_row(r) for r in rows]
    live = sum(1 for c in clusters if c.merged_into is None)
    index = None
    if index_path is not None and index_path.is_file() and index_version == version:
        try:
            index = new_index()
            index.load(str(index_path))
            if len(index) != live:
                index = None
        except Exception:  # a damaged index file is rebuilt, never trusted
            index = None
    return OnlineClusterer(params, clusters, groups, index)


def save_index(clusterer: OnlineClusterer, path: Path, version: int) -> None:
    """Write the clusterer's index to ``path`` atomically, and beside it (``.json``) the
    version of the stored clusters it holds."""
    tmp = path.with_name(path.name + ".tmp")
    clusterer.index.save(str(tmp))
    os.replace(tmp, path)
    stamp = index_stamp(path)
    stamp.with_name(stamp.name + ".tmp").write_text(json.dumps({"version": version}))
    os.replace(stamp.with_name(stamp.name + ".tmp"), stamp)


def index_stamp(path: Path) -> Path:
    return path.with_suffix(".json")


def index_version(path: Path) -> int:
    """The version stamped beside an index file (-1 when there is none or it is unreadable)."""
    try:
        return int(json.loads(index_stamp(path).read_text())["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return -1
