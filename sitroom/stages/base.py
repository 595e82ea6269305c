"""What a stage is: a named callable over a batch, with what it requires and assigns.

Modelled on spaCy's ``Language.add_pipe``: stages register by name with the article fields
they read and the ones they write, and a pipeline checks that every field a stage requires is
assigned by a stage before it.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from sitroom.errors import PipelineError
from sitroom.model import Batch
from sitroom.options import Options

__all__ = ["REGISTRY", "ArchiveView", "Resources", "Stage", "StageFunc", "stage"]

T = TypeVar("T")
R = TypeVar("R")


class ArchiveView(Protocol):
    """Read-only questions a stage may ask about articles already stored.

    The local engine answers from the SQLite store; a distributed engine answers from its
    own index. Stages never write through it.
    """

    def known_ids(self, ids: Iterable[str]) -> set[str]: ...

    def exact_copies(self, text_hashes: Iterable[str]) -> dict[str, tuple[str, str]]:
        """text hash -> (article id, copy group) of a stored article with that clean text."""
        ...

    def band_candidates(self, keys: Iterable[int]) -> dict[str, tuple[str, int, bytes]]:
        """article id -> (copy group, shingle count, signature) sharing an LSH band key."""
        ...

    def outlet_regions(self, outlet: str) -> dict[int, int]:
        """First-level region (GeoNames id) -> how many of the outlet's stored articles'
        confident places lie in it."""
        ...

    def clusters(self, kind: str) -> Iterable[dict[str, Any]]:
        """Every stored story (``kind`` "story") or topic ("topic") row, merged ones too."""
        ...

    def story_groups(self) -> dict[str, str]:
        """Copy group -> the story its articles are in."""
        ...

    def cluster_index(self, kind: str) -> tuple[Path | None, int, int]:
        """Where the nearest-neighbour index of ``kind`` lives beside the store (None when
        there is no store), the stored clusters' version and the version the index holds."""
        ...


@dataclass
class Resources:
    """What stages share within one process: the archive view and models loaded once."""

    archive: ArchiveView
    cache: dict[str, Any] = field(default_factory=dict)
    seen_ids: set[str] = field(default_factory=set)
    finishers: dict[str, Callable[[], None]] = field(default_factory=dict)
    """Work to do once a run has committed its last batch (e.g. saving an index), by name."""

    def get(self, key: str, build: Callable[[], Any]) -> Any:
        """A resource built on first use and kept for the process."""
        if key not in self.cache:
            self.cache[key] = build()
        return self.cache[key]

    def map(self, fn: Callable[[T], R], items: Sequence[T], options: Options) -> list[R]:
        """``[fn(x) for x in items]``, on a process pool when the batch is worth it.

        ``fn`` must be a module-level function of picklable arguments and results (a map
        stage's pure per-article work). The pool is made once per run.
        """
        workers = options.workers or os.cpu_count() or 1
        if workers < 2 or len(items) < _MIN_PARALLEL:
            return [fn(x) for x in items]
        pool = self.get("process-pool", lambda: _pool(workers))
        chunk = max(1, len(items) // (workers * 4))
        return list(pool.map(fn, items, chunksize=chunk))

    def map_chunked(
        self, fn: Callable[[list[T]], list[R]], items: Sequence[T], options: Options
    ) -> list[R]:
        """``fn(items)``, split into one chunk per worker when the batch is worth it: for work
        that is cheaper in bulk (a model's batched inference)."""
        workers = options.workers or os.cpu_count() or 1
        if workers < 2 or len(items) < _MIN_PARALLEL:
            return fn(list(items))
        pool = self.get("process-pool", lambda: _pool(workers))
        size = -(-len(items) // workers)
        chunks = [list(items[i : i + size]) for i in range(0, len(items), size)]
        return [r for part in pool.map(fn, chunks) for r in part]

    def finish(self) -> None:
        """Run the finishers (the run's batches are all committed)."""
        for name in list(self.finishers):
            self.finishers.pop(name)()

    def close(self) -> None:
        """Release what the resources hold (the process pool)."""
        pool = self.cache.pop("process-pool", None)
        if pool is not None:
            pool.shutdown(cancel_futures=True)


_MIN_PARALLEL = 64


def _pool(workers: int) -> ProcessPoolExecutor:
    # forkserver: workers start from a clean process, not a copy of one holding threads or
    # open database handles
    return ProcessPoolExecutor(workers, mp_context=mp.get_context("forkserver"))


StageFunc = Callable[[Batch, Resources, Options], Batch]


@dataclass(frozen=True)
class Stage:
    name: str
    func: StageFunc
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    doc: str


REGISTRY: dict[str, Stage] = {}


def stage(
    name: str, requires: tuple[str, ...] = (), assigns: tuple[str, ...] = ()
) -> Callable[[StageFunc], StageFunc]:
    """Register ``func`` as the stage ``name``."""

    def register(func: StageFunc) -> StageFunc:
        if name in REGISTRY and REGISTRY[name].func is not func:
            raise PipelineError(f"stage {name!r} is registered twice")
        doc = (func.__doc__ or "").strip().splitlines()[0] if func.__doc__ else ""
        REGISTRY[name] = Stage(name, func, tuple(requires), tuple(assigns), doc)
        return func

    return register
