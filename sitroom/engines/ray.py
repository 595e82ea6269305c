"""The Ray engine: the same pipeline on Ray Data (``pip install 'sitroom[ray]'``).

1. read: the inputs are listed (files, URLs; standard input is read here) into a Dataset, a
   row each; ``map_batches`` over ``Reader`` actors runs discovery, the reading stages
   (ingest, clean) and each report's own date evidence; the result is materialised (Ray's
   object store, spilling to disk), the articles kept as pickled blobs beside their entries;
2. plan: the entries come here (narrow columns) and the run is planned as the local engine
   plans it (``plan.make_plan``; what the store holds skipped, by id);
3. map: the planned rows, sorted by their place in the run's order, through ``map_batches``
   over ``Mapper`` actors that hold the models (spaCy, MiniLM, the gazetteer: loaded once
   per actor) and the run's context; Ray is asked to keep the order;
4. keyed: the mapped rows stream back here and are cut into the run's batches by their
   place in the run's order (``in_order``: positions ``0..batch_size-1``, then the next,
   whatever order Ray hands them in), so the keyed steps (copy matching; story assignment:
   one sequential assigner, a single partition) see the local engine's batches; then the
   writer (one transaction per batch), the story stages after each batch;
5. units: the story and topic stages after the run on ``UnitWorker`` actors pinned to this
   node (each opens the store read-only), one task per story or topic; each result is
   written here, in key order, in its own transaction.

Without ``address`` a local Ray starts with ``workers`` CPUs (0: all), its nodes on the
loopback address, no dashboard, no usage report, quiet; ``address`` joins a running
cluster (the inputs must then be readable from every node). A failing article is recorded
and the rest goes on, as in the local engine; a batch lands whole or not at all; a re-run
adds nothing.
"""

from __future__ import annotations

import logging
import os
import pickle
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitroom.engines.local import Engine, Reading
from sitroom.engines.plan import Entry, Plan, evidence
from sitroom.errors import InputError, OptionsError, PipelineError, StageFailure, StoreError
from sitroom.inputs import Discovery
from sitroom.model import Article, Batch, InputItem
from sitroom.options import Options
from sitroom.pipeline import MAX_ATTEMPTS, Pipeline
from sitroom.session import Progress, RunReport, batches
from sitroom.stages.base import (
    NoArchive,
    Resources,
    RunContext,
    failed,
    import_stages,
    stage_modules,
)
from sitroom.stages.metadata import by_step7
from sitroom.store.readonly import ReadOnlyStore

if TYPE_CHECKING:
    from sitroom.session import Session

__all__ = ["MAP_ROWS", "RayEngine", "ReadOnlyStore", "connect", "in_order"]

MAP_ROWS = 8
"""Articles a ``Mapper`` actor takes at a time (small: the work is spread evenly)."""


def _ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError:
        raise OptionsError("--engine ray needs Ray Data: pip install 'sitroom[ray]'") from None
    return ray


def connect(address: str | None = None, cpus: int | None = None) -> Any:
    """Join the Ray cluster at ``address``, or start a local Ray with ``cpus`` CPUs (all by
    default) on the loopback address: no dashboard, no usage report, quiet logs."""
    ray = _ray()
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # no usage report sent
    quiet = logging.ERROR
    if address:
        ray.init(address=address, logging_level=quiet, log_to_driver=False)
    else:
        ray.init(num_cpus=cpus or os.cpu_count() or 1, include_dashboard=False,
                 logging_level=quiet, log_to_driver=False,
                 _node_ip_address="127.0.0.1")  # fmt: skip
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    ctx.print_on_execution_start = False
    return ray


def _worker_options(options: Options) -> Options:
    # one process per actor: no pool inside it
    return options.replace(workers=1)


def _threads() -> None:
    """Models loaded in an actor use one thread each: the actor is one CPU."""
    from sitroom.embed import WORKER_VAR

    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", WORKER_VAR):
        os.environ[var] = "1"


# -- actors (their methods run in Ray worker processes) -----------------------------------


class Reader:
    """Reads listed inputs: discovery, the reading stages, each report's own date evidence."""

    def __init__(self, stages: Sequence[str], modules: Sequence[str], options: Options) -> None:
        _threads()
        import_stages(modules)

        self.pipeline = Pipeline(stages)
        self.options = _worker_options(options)
        self.resources = Resources(archive=NoArchive())
        self.dated = "metadata" in stages

    def __call__(self, rows: dict[str, Any]) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = defaultdict(list)
        timings: dict[str, float] = {}
        for unit, item in zip(rows["unit"], rows["item"], strict=True):
            if item is not None and len(item):
                found: Iterable[InputItem | InputError] = [pickle.loads(item)]
            else:
                found = Discovery([str(unit)], self.options)
            for batch in batches(found, self.options.batch_size):
                batch = self.pipeline.read(batch, self.resources, self.options, timings)
                t0 = time.perf_counter()
                for a in batch.articles:
                    e = evidence(a, self.options, self.dated)
                    _row(out, "article", e, pickle.dumps(a, protocol=5))
                for x in [*batch.failures, *batch.stage_errors]:
                    _row(out, "failure", x)
                timings["read"] = timings.get("read", 0.0) + time.perf_counter() - t0
        _row(out, "timings", timings)
        return dict(out)


def _row(out: dict[str, list[Any]], kind: str, what: Any, blob: bytes = b"") -> None:
    """One read row: an article (its entry, and the article itself in ``blob``), a failure
    or the reader's timings (in ``entry``: what the driver reads without the articles)."""
    e = what if isinstance(what, Entry) else None
    out["kind"].append(kind)
    out["id"].append(e.id if e else "")
    out["path"].append(e.path if e else "")
    out["locator"].append(e.locator if e else "")
    out["entry"].append(pickle.dumps(what, protocol=5))
    out["blob"].append(blob)


def _select(rows: dict[str, Any], kept: dict[tuple[str, str, str], int]) -> dict[str, list[Any]]:
    """The planned articles of a batch of read rows, with their place in the run's order."""
    pos, blob = [], []
    for kind, i, p, loc, b in zip(rows["kind"], rows["id"], rows["path"], rows["locator"],
                                  rows["blob"], strict=True):  # fmt: skip
        at = kept.get((str(i), str(p), str(loc))) if kind == "article" else None
        if at is not None:
            pos.append(at)
            blob.append(bytes(b))
    return {"pos": pos, "blob": blob}


class Mapper:
    """The maps of the stages after reading, over planned articles: holds the models."""

    def __init__(
        self, stages: Sequence[str], modules: Sequence[str], options: Options, context: RunContext
    ) -> None:
        _threads()
        import_stages(modules)

        self.pipeline = Pipeline(stages)
        self.options = _worker_options(options)
        self.resources = Resources(archive=NoArchive(), context=context)
        _warm(stages)

    def __call__(self, rows: dict[str, Any]) -> dict[str, list[Any]]:
        from sitroom.stages.stories import StoryItems

        arts: list[Article] = [pickle.loads(b) for b in rows["blob"]]
        timings: dict[str, float] = {}
        batch = self.pipeline.map(Batch(articles=list(arts)), self.resources, self.options,
                                  timings)  # fmt: skip
        faults: dict[str, list[StageFailure]] = defaultdict(list)
        for f in batch.stage_errors:
            faults[f.article_id or ""].append(f)
        items = batch.stories.items if isinstance(batch.stories, StoryItems) else {}
        mapped = {a.id: a for a in batch.articles}
        out: dict[str, list[Any]] = {"pos": [], "blob": []}
        for k, (pos, a) in enumerate(zip(rows["pos"], arts, strict=True)):
            done = mapped.get(a.id)
            if done is not None:
                done.nlp = None  # the parse stays here: nothing after the maps reads it
            out["pos"].append(int(pos))
            out["blob"].append(pickle.dumps(
                (done, faults.pop(a.id, []), items.get(a.id), timings if k == 0 else None,
                 list(faults.values()) if k == len(arts) - 1 else []),
                protocol=5,
            ))  # fmt: skip
        return out


def _warm(stages: Sequence[str]) -> None:
    """Load the models the stages use, once per actor."""
    if "nlp" in stages:
        from sitroom.nlp import load

        load()
    if "places" in stages:
        from sitroom.geo.gazetteer import gazetteer

        gazetteer()
    if "stories" in stages or "claims" in stages:
        from sitroom.embed import embedder

        embedder()


class UnitWorker:
    """Does the story and topic stages' units over the store, opened read-only."""

    def __init__(self, db: str, options: Options) -> None:
        _threads()
        import sitroom.stages  # noqa: F401  (registers the stages)

        self.view = ReadOnlyStore(db)
        self.options = options

    def unit(self, stage: str, key: str) -> tuple[str, Any]:
        """("ok", output), ("fault", Failed), or ("stop", the library's own error)."""
        from sitroom.stages.base import UNITS

        try:
            return "ok", UNITS[stage].func(key, self.view, self.options)
        except (PipelineError, OptionsError, StoreError) as exc:
            return "stop", exc
        except Exception as exc:
            return "fault", failed(exc)


# -- the engine (runs in the driver) -------------------------------------------------------


class RayEngine(Engine):
    """Steps 1, 3 and 5 of the module docstring on Ray; 2 and 4 here (``Engine.run``)."""

    name = "ray"

    def __init__(self, address: str | None = None) -> None:
        _ray()
        self.address = address
        self.started = False
        self.units: list[Any] = []
        self.units_for: tuple[str, Options] | None = None

    # 1. read --------------------------------------------------------------------------

    def read(
        self, s: Session, inputs: list[str], rep: RunReport, progress: Progress | None
    ) -> Reading:
        ray = self._connect(s.options)
        opts = s.options
        listing = Discovery(inputs, opts)
        rows: list[dict[str, Any]] = []
        errors: list[InputError] = []
        for unit in listing.listing():
            if isinstance(unit, InputError):
                errors.append(unit)
            elif unit == "-":  # standard input is read here, once
                for item in Discovery(["-"], opts):
                    if isinstance(item, InputError):
                        errors.append(item)
                    else:
                        rows.append({"unit": "-", "item": pickle.dumps(item, protocol=5)})
            else:
                rows.append({"unit": unit, "item": b""})
        if errors:
            self.failed(s, rep, Batch(failures=errors))
        reading = RayReading(skipped_files=listing.skipped_files)
        if not rows:
            return reading
        cpus = self._cpus(opts)
        names = s.pipeline.names
        read = (
            ray.data.from_items(rows, override_num_blocks=min(len(rows), 4 * cpus))
            .map_batches(
                Reader,
                fn_constructor_args=(names, stage_modules(names), opts),
                batch_size=1,
                batch_format="numpy",
                num_cpus=1,
                compute=ray.data.ActorPoolStrategy(min_size=1, max_size=min(cpus, len(rows))),
            )
            .materialize()
        )
        reading.dataset = read
        failures = Batch()
        for r in read.select_columns(["kind", "entry"]).iter_rows():  # not the articles
            x = pickle.loads(r["entry"])
            if r["kind"] == "article":
                x.ref = (x.id, x.path, x.locator)
                reading.entries.append(x)
            elif r["kind"] == "failure":
                (failures.failures if isinstance(x, InputError) else failures.stage_errors
                 ).append(x)  # fmt: skip
            else:
                _merge_timings(rep.stage_seconds, x)
        self.failed(s, rep, failures)
        # what the store holds goes no further; its stored date counts as evidence
        held = s.store.article_dates([e.id for e in reading.entries])
        for e in reading.entries:
            if e.id in held:
                published, source = held[e.id]
                e.published = published if published and not by_step7(source) else None
                e.undated, e.ref = None, None
        if progress:
            progress(len(reading.entries), len(rep.failures), "read")
        return reading

    # 3. map ---------------------------------------------------------------------------

    def mapped(self, s: Session, plan: Plan, reading: Reading, rep: RunReport
               ) -> Iterator[Batch]:  # fmt: skip
        from sitroom.stages.stories import StoryItems

        assert isinstance(reading, RayReading)
        if not plan.order or reading.dataset is None:
            return
        ray = _ray()
        opts = s.options
        kept = {e.ref: k for k, e in enumerate(plan.order)}
        cpus = self._cpus(opts)
        # a Dataset keeps the DataContext it was made under (its descendants share it): the
        # order is asked of the read dataset's own, the global one came too late for it
        reading.dataset.context.execution_options.preserve_order = True
        # planned and sorted first (materialised): the mappers then hold every CPU
        planned = (
            reading.dataset.map_batches(_select, fn_kwargs={"kept": kept}, batch_format="numpy")
            .sort("pos")
            .repartition(-(-len(plan.order) // MAP_ROWS), shuffle=False)  # order kept
            .materialize()
        )
        ds = planned.map_batches(
            Mapper,
            fn_constructor_args=(
                s.pipeline.names,
                stage_modules(s.pipeline.names),
                opts,
                plan.context,
            ),
            batch_size=MAP_ROWS,
            batch_format="numpy",
            num_cpus=1,
            compute=ray.data.ActorPoolStrategy(size=min(cpus, -(-len(plan.order) // MAP_ROWS))),
        )
        stream = (
            (int(pos), bytes(blob))
            for rows in ds.iter_batches(batch_size=opts.batch_size, batch_format="numpy")
            for pos, blob in zip(rows["pos"], rows["blob"], strict=True)
        )
        for blobs in in_order(stream, len(plan.order), opts.batch_size):
            found = StoryItems()
            batch = Batch(stories=found if "stories" in s.pipeline.names else None)
            for blob in blobs:
                a, faults, item, timings, orphans = pickle.loads(blob)
                if a is not None:
                    batch.articles.append(a)
                    if item is not None:
                        found.items[a.id] = item
                batch.stage_errors += faults
                for more in orphans:
                    batch.stage_errors += more
                if timings:
                    _merge_timings(rep.stage_seconds, timings)
            yield batch

    # 5. units -------------------------------------------------------------------------

    def reduce(self, s: Session, rep: RunReport, after: str) -> None:
        if after == "batch":  # cheap and wanted fresh by the next batch: here
            super().reduce(s, rep, after)
            return
        tried = {(f.stage, f.key) for f in rep.stage_errors if f.key}
        for st in s.pipeline.units:
            t0 = time.perf_counter()
            keys = [k for k in s.store.queued(st.name, MAX_ATTEMPTS) if (st.name, k) not in tried]
            if keys:
                pool = self._unit_pool(s, len(keys))
                call = partial(_call_unit, st.name)
                results = dict(zip(keys, pool.map(call, keys), strict=True))
                for key in sorted(results):
                    how, out = results[key]
                    if how == "stop":
                        raise out
                    if how == "fault":
                        fault = StageFailure(st.name, out.error, out.message, out.trace, key=key)
                        s.writer.unit_failed(st.name, key, fault, rep.run_id)
                        rep.stage_errors.append(fault)
                        continue
                    st.write(s.writer, key, out)
                    rep.units[st.name] += 1
            rep.stage_seconds[st.name] = rep.stage_seconds.get(st.name, 0.0) + (
                time.perf_counter() - t0
            )

    def _unit_pool(self, s: Session, n: int) -> Any:
        ray = _ray()
        from ray.util import ActorPool
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        want = (str(Path(s.db).resolve()), s.options)
        if self.units_for != want:
            self._kill_units()
            self.units_for = want
        size = min(self._cpus(s.options), n)
        here = ray.get_runtime_context().get_node_id()
        remote = ray.remote(num_cpus=0)(UnitWorker).options(
            scheduling_strategy=NodeAffinitySchedulingStrategy(node_id=here, soft=False)
        )  # the store is a file on this node
        while len(self.units) < size:
            self.units.append(remote.remote(want[0], s.options))
        return ActorPool(self.units[:size])

    # Ray itself -----------------------------------------------------------------------

    def _connect(self, options: Options) -> Any:
        ray = _ray()
        if not ray.is_initialized():
            connect(self.address, options.workers or None)
            self.started = True
        return ray

    def _cpus(self, options: Options) -> int:
        ray = _ray()
        if ray.is_initialized():
            return max(1, int(ray.cluster_resources().get("CPU", 1)))
        return options.workers or os.cpu_count() or 1

    def _kill_units(self) -> None:
        if self.units:
            ray = _ray()
            for w in self.units:
                ray.kill(w)
        self.units = []

    def close(self) -> None:
        """Stop the unit workers, and Ray when this engine started it."""
        if not self.started:
            return
        ray = _ray()
        self._kill_units()
        ray.shutdown()
        self.started = False


@dataclass
class RayReading(Reading):
    """What reading left on Ray: the materialised dataset of read rows."""

    dataset: Any = None

    def load(self, refs: Sequence[Any]) -> list[Article]:
        raise PipelineError("the Ray engine maps its articles where they are")


def in_order(rows: Iterable[tuple[int, bytes]], n: int, size: int) -> Iterator[list[bytes]]:
    """The mapped rows (place in the run's order, blob) as the run's batches: positions
    ``0..size-1``, then ``size..2*size-1``... whatever order they arrive in, as the local
    engine cuts ``plan.order``; the keyed steps (copy matching, story assignment) then see
    the same articles in the same batches on every engine. A batch goes as soon as all of
    its rows are in; a row seen twice counts once; rows still held at the end (a place
    never filled) go last, in order."""
    held: dict[int, bytes] = {}
    start = 0
    for pos, blob in rows:
        if pos >= start:
            held.setdefault(pos, blob)
        while start < n and all(k in held for k in range(start, min(start + size, n))):
            end = min(start + size, n)
            yield [held.pop(k) for k in range(start, end)]
            start = end
    if held:
        yield [held.pop(k) for k in sorted(held)]


def _call_unit(stage: str, worker: Any, key: str) -> Any:
    return worker.unit.remote(stage, key)


def _merge_timings(into: dict[str, float], more: dict[str, float]) -> None:
    for k, v in more.items():
        into[k] = into.get(k, 0.0) + v
