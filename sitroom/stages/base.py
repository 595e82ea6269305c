"""What a stage is: a named callable over a batch, with what it requires and assigns.

Modelled on spaCy's ``Language.add_pipe``: stages register by name with the article fields
they read and the ones they write, and a pipeline checks that every field a stage requires is
assigned by a stage before it.

A stage is a map: a function of its articles, read-only resources (models, and the run's
``RunContext``, fixed for the run) and options, whatever batch, order or process it runs in.
What needs other articles is a keyed step the engine runs apart (``keyed_step``): in the run's
order, one article after another (dedup's matching, story assignment).

Failure is per article (spaCy's ``set_error_handler``): the per-article work a stage hands to
``Resources.map`` or ``map_chunked`` runs inside a guard, so one article that makes it raise
is named (``ItemsFailed``) instead of sinking the batch, and a worker process that dies is
replaced. The pipeline (``sitroom.pipeline``) turns that into a ``StageFailure`` for the
article and runs the stage again without it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import multiprocessing as mp
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar

from sitroom.errors import OptionsError, PipelineError, StoreError
from sitroom.model import Batch
from sitroom.options import Options

__all__ = [
    "REGISTRY",
    "UNITS",
    "ArchiveView",
    "Failed",
    "ItemsFailed",
    "NoArchive",
    "Resources",
    "RunContext",
    "Stage",
    "StageFunc",
    "UnitStage",
    "failed",
    "import_stages",
    "keyed_step",
    "stage",
    "stage_modules",
    "unit_stage",
]

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


@dataclass(frozen=True)
class Failed:
    """What one guarded call raised: the exception's type, message and a short traceback."""

    error: str
    message: str
    trace: str


def failed(exc: BaseException) -> Failed:
    """``exc`` as a ``Failed`` (the last frames of its traceback, a few hundred characters)."""
    frames = traceback.format_exception(type(exc), exc, exc.__traceback__, limit=-4)
    trace = "".join(frames)
    if len(trace) > 2000:
        trace = "…" + trace[-1999:]
    return Failed(type(exc).__name__, str(exc)[:1000], trace)


class ItemsFailed(Exception):
    """Some items of a guarded map raised: ``failures`` maps their index to what they raised
    (``n`` items in all)."""

    def __init__(self, failures: dict[int, Failed], n: int) -> None:
        self.failures = failures
        self.n = n
        first = next(iter(failures.values()))
        super().__init__(f"{len(failures)} of {n} items failed, first: {first.error}: "
                         f"{first.message}")  # fmt: skip


def _guarded(fn: Callable[[Any], Any], x: Any) -> Any:
    try:
        return fn(x)
    except (PipelineError, OptionsError, StoreError):
        raise  # a missing model, a bad option or a broken store stops the run
    except Exception as exc:  # a fault on this item only
        return failed(exc)


def _raise_failed(results: Sequence[Any]) -> None:
    bad = {i: r for i, r in enumerate(results) if isinstance(r, Failed)}
    if bad:
        raise ItemsFailed(bad, len(results))


@contextlib.contextmanager
def _main_hidden() -> Iterator[None]:
    """Start worker processes without re-running the caller's ``__main__``.

    forkserver and spawn workers import the main script again to find its functions; ours
    live in sitroom, so a script that calls ``sitroom.run`` without an
    ``if __name__ == "__main__":`` guard would otherwise run itself in every worker.
    """
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    saved: dict[str, Any] = {
        k: main.__dict__[k] for k in ("__file__", "__spec__") if k in main.__dict__
    }
    main.__dict__.pop("__file__", None)
    main.__dict__["__spec__"] = None
    try:
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)


@dataclass(frozen=True)
class RunContext:
    """What a run's maps read besides their own articles: built once per run by the engine
    (from the store as the run starts and from the run's whole input) and fixed for the run,
    so that no map's output depends on its batch, its order or the process it runs in."""

    today: dt.date
    """The run's reference date (the day it started): a date a text writes after it is not
    taken as the day the text was written."""
    dates: Mapping[str, tuple[dt.date, str]] = field(default_factory=dict)
    """metadata step 7: a folder's (or multi-article file's) reports' date, by
    ``sitroom.stages.metadata.date_key``, with what it is (``metadata.date_context``)."""
    regions: Mapping[str, Mapping[int, int]] = field(default_factory=dict)
    """places: outlet -> first-level region (GeoNames id) -> its stored articles' confident
    places there, read from the store as the run started (``ArchiveView.outlet_regions``)."""


@dataclass
class Resources:
    """What stages share within one process: the archive view, the run's context and models
    loaded once. Maps read ``context`` (never the archive, which only the engine's process
    holds); keyed steps and the engine read the archive."""

    archive: ArchiveView
    cache: dict[str, Any] = field(default_factory=dict)
    context: RunContext | None = None
    """The run's context; None outside an engine run (``Pipeline.__call__`` then builds one
    from the batch it is given, as if that batch were the whole run)."""
    finishers: dict[str, Callable[[], None]] = field(default_factory=dict)
    """Work to do once a run has committed its last batch (e.g. saving an index), by name."""
    isolate_in_pool: bool = False
    """Run even small maps on the pool (set while finding an article that kills workers)."""

    def get(self, key: str, build: Callable[[], Any]) -> Any:
        """A resource built on first use and kept for the process."""
        if key not in self.cache:
            self.cache[key] = build()
        return self.cache[key]

    def map(self, fn: Callable[[T], R], items: Sequence[T], options: Options) -> list[R]:
        """``[fn(x) for x in items]``, on a process pool when the batch is worth it.

        ``fn`` must be a module-level function of picklable arguments and results (a map
        stage's pure per-article work). The pool is made once per run. Each call is guarded:
        when some raise, the rest still run and ``ItemsFailed`` names the ones that did.
        """
        results = self._pooled(partial(_guarded, fn), items, options, chunked=False)
        _raise_failed(results)
        return results

    def map_chunked(
        self, fn: Callable[[list[T]], list[R]], items: Sequence[T], options: Options
    ) -> list[R]:
        """``fn(items)``, split into one chunk per worker when the batch is worth it: for work
        that is cheaper in bulk (a model's batched inference). A chunk that raises is done
        again item by item, so only the items that raise on their own are named."""
        chunks = self._chunks(items, options)
        parts = self._pooled(partial(_guarded, fn), chunks, options, chunked=True)
        out: list[Any] = []
        for chunk, part in zip(chunks, parts, strict=True):
            if isinstance(part, Failed):
                singles = self._pooled(partial(_guarded, fn), [[x] for x in chunk], options,
                                       chunked=True)  # fmt: skip
                out += [r if isinstance(r, Failed) else r[0] for r in singles]
            else:
                out += part
        _raise_failed(out)
        return out

    def map_parts(
        self, fn: Callable[[T], R], parts: Sequence[T], options: Options, size: int | None = None
    ) -> list[R | Failed]:
        """``fn`` over each of ``parts``, on the pool when they are worth it (``size``: the
        articles they hold, as ``map`` decides for that many; None: work enough in each part,
        on the pool whenever there are two), else here; a part whose call raised, or whose
        worker died, gives a ``Failed`` in its place (errors of the library itself still
        stop the run)."""
        if size is None:
            size = _MIN_PARALLEL if len(parts) > 1 else 1
        workers = self._workers(options, size)
        return self._pooled(partial(_guarded, fn), parts, options, chunked=True,
                            workers=workers)  # fmt: skip

    def workers_for(self, options: Options, n: int) -> int:
        """How many processes ``map`` would use for ``n`` items (1: this one)."""
        return self._workers(options, n)

    def _chunks(self, items: Sequence[T], options: Options) -> list[list[T]]:
        workers = self._workers(options, len(items))
        size = max(1, -(-len(items) // workers))
        return [list(items[i : i + size]) for i in range(0, len(items), size)]

    def _workers(self, options: Options, n: int) -> int:
        workers = options.workers or os.cpu_count() or 1
        if workers < 2 or (n < _MIN_PARALLEL and not self.isolate_in_pool):
            return 1
        return workers

    def _pooled(
        self, fn: Callable[[Any], Any], items: Sequence[Any], options: Options, chunked: bool,
        workers: int | None = None,
    ) -> list[Any]:  # fmt: skip
        """``fn`` over ``items``: in process for small batches, else on the pool; a worker that
        dies (a crash in native code) fails its items, not the run, and the pool is
        replaced."""
        if workers is None:
            workers = self._workers(options, len(items))
        if workers < 2:
            return [fn(x) for x in items]
        chunk = 1 if chunked else max(1, len(items) // (workers * 4))
        try:
            with _main_hidden():
                pool = self.get("process-pool", lambda: _pool(workers))
                return list(pool.map(fn, items, chunksize=chunk))
        except BrokenProcessPool:
            self._drop_pool()
        # a worker died: find the items that kill a worker, each alone in a fresh pool
        out = []
        for x in items:
            try:
                with _main_hidden():
                    pool = self.get("process-pool", lambda: _pool(workers))
                    out.append(pool.submit(fn, x).result())
            except BrokenProcessPool:
                self._drop_pool()
                out.append(Failed("WorkerDied", "the worker process died (a crash in native "
                                  "code, or out of memory)", ""))  # fmt: skip
        return out

    def _drop_pool(self) -> None:
        pool = self.cache.pop("process-pool", None)
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

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


class NoArchive:
    """A map's archive in a worker process: maps read the run's context, never the store."""

    def __getattr__(self, name: str) -> Any:
        raise PipelineError(f"a map asked the archive ({name}) in a worker process")


def stage_modules(names: Iterable[str]) -> list[str]:
    """The modules that register the stages ``names`` (a caller's own stages too): what a
    worker process imports to know them."""
    return sorted({REGISTRY[n].func.__module__ for n in names})


def import_stages(modules: Iterable[str]) -> None:
    """Register sitroom's stages and those of ``modules`` in this process."""
    import importlib

    import sitroom.stages  # noqa: F401  (registers the stages)

    for m in modules:
        importlib.import_module(m)


def _pool(workers: int) -> ProcessPoolExecutor:
    # forkserver: workers start from a clean process, not a copy of one holding threads or
    # open database handles
    return ProcessPoolExecutor(workers, mp_context=mp.get_context("forkserver"),
                               initializer=_one_thread)  # fmt: skip


_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _one_thread() -> None:
    """A worker computes on one core: the pool has a worker per core, and a BLAS that
    spreads each product over every core makes the workers fight for them (the topic
    stage's matrix products ran slower on two workers than in one process)."""
    from sitroom.embed import WORKER_VAR

    for var in (*_THREAD_VARS, WORKER_VAR):
        os.environ[var] = "1"
    # numpy came in with sitroom, before this ran: its BLAS is told directly
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


StageFunc = Callable[[Batch, Resources, Options], Batch]


Isolation = Literal["split", "self"]


@dataclass(frozen=True)
class Stage:
    """A registered article stage.

    ``func`` is the stage's map. ``keyed``: its keyed step, if it has one: the part that
    needs the run's other articles, run by the engine after every map, over the run's
    articles in the run's order (``sitroom.engines.plan``), one batch after another with
    its state in ``Resources``; it guards each article itself.
    ``isolation`` says how one article's fault in the map is kept to that article: "split"
    (the default): the pipeline runs the stage again without the articles that raised;
    "self": the stage guards each article itself (ingest reads item by item; stories
    embeds in bulk and names the articles that fail).
    ``essential``: an article the stage fails on cannot be stored (ingest, clean).
    """

    name: str
    func: StageFunc
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    doc: str
    isolation: Isolation = "split"
    essential: bool = False
    keyed: StageFunc | None = None


REGISTRY: dict[str, Stage] = {}


def stage(
    name: str,
    requires: tuple[str, ...] = (),
    assigns: tuple[str, ...] = (),
    *,
    isolation: Isolation = "split",
    essential: bool = False,
) -> Callable[[StageFunc], StageFunc]:
    """Register ``func`` as the stage ``name``."""

    def register(func: StageFunc) -> StageFunc:
        if name in REGISTRY and REGISTRY[name].func is not func:
            raise PipelineError(f"stage {name!r} is registered twice")
        doc = (func.__doc__ or "").strip().splitlines()[0] if func.__doc__ else ""
        REGISTRY[name] = Stage(
            name, func, tuple(requires), tuple(assigns), doc, isolation, essential
        )
        return func

    return register


def keyed_step(name: str) -> Callable[[StageFunc], StageFunc]:
    """Register ``func`` as the keyed step of the (already registered) stage ``name``."""

    def register(func: StageFunc) -> StageFunc:
        if name not in REGISTRY:
            raise PipelineError(f"keyed step of unknown stage {name!r}")
        st = REGISTRY[name]
        if st.keyed is not None and st.keyed is not func:
            raise PipelineError(f"stage {name!r} has two keyed steps")
        REGISTRY[name] = dataclasses.replace(st, keyed=func)
        return func

    return register


# -- story and topic stages ("reduce by key") ------------------------------------------------

Unit = Literal["story", "topic"]
UnitFunc = Callable[[str, Any, Options], Any]
"""(story or topic id, the store's read side, options) -> the unit's new output."""
UnitWrite = Callable[[Any, str, Any], None]
"""(the store's writer, story or topic id, output): replaces the unit's output and takes it
off the stage's queue, in one transaction."""


@dataclass(frozen=True)
class UnitStage:
    """A story or topic stage: work queued per story (or topic) by the writes that change its
    inputs, done one unit at a time, each unit's fault recorded and retried a bounded
    number of times (``sitroom.pipeline.MAX_ATTEMPTS``).

    ``after``: "batch" stages run after every batch (cheap, and the next batch's readers
    want them fresh); "run" stages once at the end of a run (and of a ``watch`` poll).
    ``requires``: the article stages whose output it reads; a pipeline without them
    leaves it out.
    """

    name: str
    unit: Unit
    func: UnitFunc
    write: UnitWrite
    requires: tuple[str, ...]
    after: Literal["batch", "run"]
    doc: str


UNITS: dict[str, UnitStage] = {}


def unit_stage(
    name: str,
    unit: Unit,
    write: UnitWrite,
    requires: tuple[str, ...] = (),
    after: Literal["batch", "run"] = "run",
) -> Callable[[UnitFunc], UnitFunc]:
    """Register ``func`` as the story or topic stage ``name``."""

    def register(func: UnitFunc) -> UnitFunc:
        if name in UNITS and UNITS[name].func is not func:
            raise PipelineError(f"story stage {name!r} is registered twice")
        doc = (func.__doc__ or "").strip().splitlines()[0] if func.__doc__ else ""
        UNITS[name] = UnitStage(name, unit, func, write, tuple(requires), after, doc)
        return func

    return register
