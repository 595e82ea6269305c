"""The nearest claim units of a topic, at a cost that does not grow with the topic.

A topic's units up to some id live in a saved HNSW index (usearch, cosine) beside the store,
memory-mapped when read; the units added since (at most ``REBASE``) are compared directly.
When more than ``REBASE`` units have been added since the index was saved, it is rebuilt
from the store and saved again (atomically), so each new unit costs a search of the index
plus at most ``REBASE`` dot products, and the rebuilds add a constant amount per unit.
Topics of fewer than ``REBASE`` units never get an index file. A file that cannot be read,
or that describes more units than the topic has (a copied or realigned store), or vectors
of another width, is rebuilt.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from sitroom.claims.vectors import dim

__all__ = ["REBASE", "ClaimIndex"]

REBASE = 2000


class ClaimIndex:
    """Nearest-unit search over the topics of one store (index files in ``folder``)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def search(
        self, view: Any, topic_id: str, queries: np.ndarray, k: int, floor: float
    ) -> list[list[tuple[int, float]]]:
        """For each query vector, up to ``k`` (unit id, cosine) of the topic's nearest units
        with cosine >= ``floor``, nearest first."""
        base, upto = self._base(view, topic_id)
        ids, blob = view.topic_unit_vectors(topic_id, upto)
        if len(ids) > REBASE and self.folder is not None:
            base, upto = self._rebuild(view, topic_id)
            ids, blob = view.topic_unit_vectors(topic_id, upto)
        out: list[list[tuple[int, float]]] = [[] for _ in range(len(queries))]
        if ids:
            mat = np.frombuffer(blob, dtype=np.float32).reshape(len(ids), -1)
            sims = queries @ mat.T
            for q, row in enumerate(sims):
                out[q] += [(ids[j], float(row[j])) for j in np.flatnonzero(row >= floor)]
        if base is not None and len(base):
            found = base.search(queries.astype(np.float32), min(k, len(base)))
            for q in range(len(queries)):
                keys, dists = found.keys[q], found.distances[q]
                out[q] += [(int(key), 1.0 - float(d)) for key, d in zip(keys, dists, strict=True)
                           if 1.0 - float(d) >= floor]  # fmt: skip
        return [sorted(hits, key=lambda h: -h[1])[:k] for hits in out]

    def _paths(self, topic_id: str) -> tuple[Path, Path]:
        assert self.folder is not None
        return self.folder / f"{topic_id}.usearch", self.folder / f"{topic_id}.json"

    def _base(self, view: Any, topic_id: str) -> tuple[Any, int]:
        if self.folder is None:
            return None, 0
        path, meta = self._paths(topic_id)
        if not path.is_file():
            return None, 0
        try:
            stamp = json.loads(meta.read_text())
            upto, n = int(stamp["upto"]), int(stamp["n"])
            if stamp.get("dim") != dim() or view.count_claim_units(topic_id, upto) != n:
                return self._rebuild(view, topic_id)  # the store changed under the file
            from sitroom.cluster.online import new_index

            index = new_index(dim())
            index.view(str(path))
            return index, upto
        except Exception:  # unreadable: rebuilt, never trusted
            return self._rebuild(view, topic_id)

    def _rebuild(self, view: Any, topic_id: str) -> tuple[Any, int]:
        from sitroom.cluster.online import new_index

        ids, blob = view.topic_unit_vectors(topic_id, 0)
        if not ids or self.folder is None:
            return None, 0
        index = new_index(dim())
        mat = np.frombuffer(blob, dtype=np.float32).reshape(len(ids), -1)
        index.add(np.asarray(ids, dtype=np.uint64), mat)
        path, meta = self._paths(topic_id)
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        index.save(str(tmp))
        os.replace(tmp, path)
        tmp_meta = meta.with_name(meta.name + ".tmp")
        tmp_meta.write_text(json.dumps({"upto": max(ids), "n": len(ids), "dim": dim()}))
        os.replace(tmp_meta, meta)
        return index, max(ids)
