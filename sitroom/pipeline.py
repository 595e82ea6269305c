"""The journey of an article, and the machinery that runs it batch by batch.

    input file / JSONL line / feed item              (inputs.Discovery)
      -> ingest    decode, parse, content id
      -> clean     body text; removed debris with reasons; offsets back to the original
    == the run's plan (engines/plan.py: keyed over the whole run's input, never a batch):
       skip what is stored or read twice (by id); each folder's (or file's) dates; the
       outlets' regions from the store; the order: (published, id), earliest first
      -> metadata  title, outlet, published date, language: each with how it was found
      -> dedup     MinHash signature and band keys          | keyed: copy group, by band key
      -> nlp       sentences, entities (spaCy) of body, headline, captions and credits
      -> places    place mentions resolved to GeoNames, each with its role
      -> times     time expressions normalised to TimeML against the article's date
      -> stories   embedding, names, places, date           | keyed: the story (and topic)
      -> events    what its sentences report happened: ACLED type, actors, place, date
      -> quotes    direct and reported speech, with the speaker, role and affiliation
      -> claims    checkable sentences: events, numbers, assessments, statements
      => store     one transaction per batch; queues each touched story and topic
    story and topic stages, per unit of work the writes queued (reduce by key):
      -> story_events  a story's mentions merged into events, and control   (each batch)
      -> topic_claims  a topic's claims aligned across outlets, with status  (each run)
      -> brief         the cited brief of each story whose events or claims changed

Every stage is a map: a function of its articles, read-only resources and the run's context,
so it may run in this process, a worker pool or a Ray actor. On the pool, each part of a
batch goes through every map in one worker (``Pipeline.map``), as on a Ray actor: the parse
never leaves the process that made it. The keyed steps (after the
"|") need the articles before: an engine runs them after the maps, over each batch in the
run's order, one sequential step each (``Pipeline.keyed_steps``).

Failure is per article and per unit (``run_stage``, ``Pipeline.reduce``): a stage that raises
on one article records it and the batch goes on; a story or topic that makes its stage raise
is recorded and tried again by later runs, at most ``MAX_ATTEMPTS`` times. A pipeline refuses
to run a stage whose required fields no earlier stage assigns.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal

from sitroom.errors import OptionsError, PipelineError, StageFailure, StoreError
from sitroom.model import Article, Batch
from sitroom.options import Options
from sitroom.stages import REGISTRY, UNITS, Resources, Stage, UnitStage
from sitroom.stages.base import (
    Failed,
    ItemsFailed,
    NoArchive,
    RunContext,
    failed,
    import_stages,
    stage_modules,
)
from sitroom.stages.metadata import date_key
from sitroom.stages.stories import StoryItems

__all__ = [
    "DEFAULT_PIPELINE",
    "DEFAULT_UNITS",
    "MAX_ATTEMPTS",
    "READING",
    "Pipeline",
    "run_keyed",
    "run_stage",
]

DEFAULT_PIPELINE: tuple[str, ...] = (
    "ingest", "clean", "metadata", "dedup", "nlp", "places", "times", "stories", "events",
    "quotes", "claims",
)  # fmt: skip
DEFAULT_UNITS: tuple[str, ...] = ("story_events", "topic_claims", "brief")
READING: tuple[str, ...] = ("ingest", "clean")
"""Stages an engine runs as it reads the run's input, before the run's plan exists."""
MAX_ATTEMPTS = 3
"""A story or topic whose stage raised this many times is left alone (its error stays in
``stage_errors``) until new articles queue it again."""

# Fields an article has before any stage runs (set by discovery).
_GIVEN = frozenset({"path", "locator", "input_kind"})


class Pipeline:
    """An ordered list of registered stages, checked for prerequisites when built, and the
    story and topic stages that follow them (those whose article stages are present).

    ``reading``: its leading stages an engine runs as it reads (``READING``); ``maps``: the
    rest; ``keyed``: the stages that have a keyed step, in order."""

    def __init__(
        self, names: Sequence[str] = DEFAULT_PIPELINE, units: Sequence[str] = DEFAULT_UNITS
    ) -> None:
        self.stages: list[Stage] = []
        assigned = set(_GIVEN)
        for name in names:
            if name not in REGISTRY:
                known = ", ".join(sorted(REGISTRY))
                raise PipelineError(f"unknown stage {name!r} (known: {known})")
            st = REGISTRY[name]
            missing = [f for f in st.requires if f not in assigned]
            if missing:
                raise PipelineError(
                    f"stage {name!r} requires {', '.join(missing)}, which no earlier stage assigns"
                )
            assigned.update(st.assigns)
            self.stages.append(st)
        self.units: list[UnitStage] = []
        for name in units:
            if name not in UNITS:
                raise PipelineError(f"unknown story stage {name!r} (known: {', '.join(UNITS)})")
            if all(r in names for r in UNITS[name].requires):
                self.units.append(UNITS[name])
        n = 0
        while n < len(self.stages) and self.stages[n].name in READING:
            n += 1
        self.reading: list[Stage] = self.stages[:n]
        self.maps: list[Stage] = self.stages[n:]
        self.keyed: list[Stage] = [st for st in self.stages if st.keyed is not None]

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def reduce(
        self,
        view: Any,
        writer: Any,
        options: Options,
        run_id: int | None,
        after: Literal["batch", "run"],
        timings: dict[str, float] | None = None,
        on_unit: Callable[[str, str], None] | None = None,
        skip: frozenset[tuple[str, str]] = frozenset(),
        spread: Spread | None = None,
    ) -> tuple[dict[str, int], list[StageFailure]]:
        """Do the queued work of the story and topic stages (after a batch: the "batch"
        ones; after a run: all, in order). Each unit (story or topic) is computed from the
        store's read side and written in its own transaction; one that raises is recorded
        with its attempt count and the rest go on; ``skip``: (stage, key) pairs not to try
        again now (those that failed earlier in the same run); ``spread``: computes a
        stage's units elsewhere (``unit_spread``: on the worker pool), each from the store as
        it stood before the stage's first write, written here in order. (units done by
        stage, faults)."""
        done: dict[str, int] = {}
        faults: list[StageFailure] = []
        for st in self.units:
            if after == "batch" and st.after != "batch":
                continue
            t0 = time.perf_counter()
            keys = [k for k in view.queued(st.name, MAX_ATTEMPTS) if (st.name, k) not in skip]
            outs: Iterable[Any]
            if spread is not None and len(keys) > 1:
                outs = spread(st.name, keys)
            else:
                outs = (_unit(st, key, view, options) for key in keys)
            for key, out in zip(keys, outs, strict=True):
                if on_unit:
                    on_unit(st.name, key)
                if not isinstance(out, Failed):
                    try:
                        st.write(writer, key, out)
                    except (PipelineError, OptionsError, StoreError):
                        raise
                    except Exception as exc:
                        out = failed(exc)
                if isinstance(out, Failed):
                    fault = StageFailure(st.name, out.error, out.message, out.trace, key=key)
                    writer.unit_failed(st.name, key, fault, run_id)
                    faults.append(fault)
                    continue
                done[st.name] = done.get(st.name, 0) + 1
            if timings is not None:
                timings[st.name] = timings.get(st.name, 0.0) + time.perf_counter() - t0
        return done, faults

    def read(
        self, batch: Batch, resources: Resources, options: Options,
        timings: dict[str, float] | None = None,
        stored: Callable[[list[Article]], list[Article]] | None = None,
    ) -> Batch:  # fmt: skip
        """The reading stages over a batch of input items; ``stored`` takes the articles
        ingest read and gives back those to go on (the engine keeps what it needs of the
        ones the store holds)."""
        for st in self.reading:
            batch = self._run([st], batch, resources, options, timings)
            if stored is not None and "id" in st.assigns:
                batch.articles = stored(batch.articles)
        return batch

    def map(
        self, batch: Batch, resources: Resources, options: Options,
        timings: dict[str, float] | None = None, keep_parse: bool = False,
    ) -> Batch:  # fmt: skip
        """The maps of the stages after reading, over a batch of read articles (``keep_parse``:
        the articles come back from the workers with their parse, for a caller that reads
        them, as ``api.extract``'s does; a run's engine does not).

        A batch worth the worker pool is cut into parts, and each part goes through every
        map in one worker process (``_map_part``): an article's parse never leaves the
        process that made it, and nothing travels between stages. A part that fails as a
        whole (its worker died) goes through the maps stage by stage, each article on the
        pool, so the article at fault is found and the rest kept (``run_stage``)."""
        workers = resources.workers_for(options, len(batch.articles))
        if workers < 2 or resources.context is None or not self.maps:
            return self._run(self.maps, batch, resources, options, timings)
        arts = batch.articles
        n = min(len(arts), workers * _PARTS_PER_WORKER)
        cuts = [len(arts) * k // n for k in range(n + 1)]
        parts = [arts[cuts[k] : cuts[k + 1]] for k in range(n)]
        names = tuple(st.name for st in self.stages)
        mods = tuple(stage_modules(names))
        jobs = [(names, mods, options, _context_for(resources.context, part), part, keep_parse)
                for part in parts]  # fmt: skip
        t0 = time.perf_counter()
        done = resources.map_parts(_map_part, jobs, options, len(arts))
        wall = time.perf_counter() - t0
        out = _empty_like(batch)
        spent: dict[str, float] = {}
        items: dict[str, Any] = {}
        for part, res in zip(parts, done, strict=True):
            if isinstance(res, Failed):  # stage by stage, each article on the pool
                was = resources.isolate_in_pool
                resources.isolate_in_pool = True
                try:
                    res = (self._run(self.maps, Batch(articles=list(part)), resources,
                                     options, timings), {})  # fmt: skip
                finally:
                    resources.isolate_in_pool = was
            got, seconds = res
            _merge(out, [got])
            if isinstance(got.stories, StoryItems):
                items.update(got.stories.items)
            for k, v in seconds.items():
                spent[k] = spent.get(k, 0.0) + v
        if "stories" in self.names:
            out.stories = StoryItems(items)
        if timings is not None:  # the workers' seconds, as shares of the wall time
            scale = wall / max(sum(spent.values()), 1e-9)
            for k, v in spent.items():
                timings[k] = timings.get(k, 0.0) + v * min(scale, 1.0)
        return out

    def keyed_steps(
        self, batch: Batch, resources: Resources, options: Options,
        timings: dict[str, float] | None = None,
    ) -> Batch:  # fmt: skip
        """The keyed steps over a mapped batch; batches must come in the run's order. Their
        seconds go to ``timings`` as "STAGE keyed"."""
        for st in self.keyed:
            t0 = time.perf_counter()
            batch = run_keyed(st, batch, resources, options)
            if timings is not None:
                key = f"{st.name} keyed"
                timings[key] = timings.get(key, 0.0) + time.perf_counter() - t0
        return batch

    def __call__(
        self,
        batch: Batch,
        resources: Resources,
        options: Options,
        timings: dict[str, float] | None = None,
    ) -> Batch:
        """Every stage over ``batch`` taken as a whole run (adding each one's seconds to
        ``timings``): read, planned from its own articles (``engines.plan.order_batch``)
        unless ``resources`` holds a run's context already, mapped, then keyed."""
        batch = self.read(batch, resources, options, timings)
        if resources.context is not None:
            return self.keyed_steps(self.map(batch, resources, options, timings, True),
                                    resources, options, timings)  # fmt: skip
        from sitroom.engines.plan import order_batch

        names = self.names
        batch, resources.context = order_batch(
            batch, resources.archive, options, dt.date.today(), "metadata" in names,
            "places" in names,
        )  # fmt: skip
        try:
            batch = self.map(batch, resources, options, timings, keep_parse=True)
            return self.keyed_steps(batch, resources, options, timings)
        finally:
            resources.context = None

    def _run(
        self, stages: list[Stage], batch: Batch, resources: Resources, options: Options,
        timings: dict[str, float] | None,
    ) -> Batch:  # fmt: skip
        for st in stages:
            t0 = time.perf_counter()
            batch = run_stage(st, batch, resources, options)
            if timings is not None:
                timings[st.name] = timings.get(st.name, 0.0) + time.perf_counter() - t0
        return batch


_PARTS_PER_WORKER = 2
"""Parts a worker takes of each batch (more: an even finish; fewer: less to ship)."""
_WORKER: dict[tuple[str, ...], tuple[Pipeline, Resources]] = {}
"""A worker process's pipelines and resources (models loaded once), by stage names."""


def _context_for(context: RunContext, part: Sequence[Article]) -> RunContext:
    """The run's context as far as ``part`` reads it (its reports' dates; every outlet's
    regions: few), so a part ships little of a big run's context."""
    keys = {date_key(a.path, a.locator) for a in part}
    dates = {k: context.dates[k] for k in keys if k in context.dates}
    return dataclasses.replace(context, dates=dates)


MapJob = tuple[tuple[str, ...], tuple[str, ...], Options, RunContext, list[Article], bool]
"""A part of a batch for ``_map_part``: stage names, their modules, options, context,
articles, and whether their parse comes back with them."""


def _map_part(job: MapJob) -> tuple[Batch, dict[str, float]]:
    """In a worker process: every map of the pipeline ``job`` names over its articles, in
    this process (the batch out, its articles without their parse unless the job keeps it,
    and each stage's seconds)."""
    names, mods, options, context, articles, keep_parse = job
    held = _WORKER.get(names)
    if held is None:
        import_stages(mods)
        held = _WORKER[names] = (Pipeline(names), Resources(archive=NoArchive()))
    pipeline, resources = held
    resources.context = context
    seconds: dict[str, float] = {}
    try:
        batch = pipeline._run(pipeline.maps, Batch(articles=articles), resources,
                              options.replace(workers=1), seconds)  # fmt: skip
    finally:
        resources.context = None
    if not keep_parse:
        for a in batch.articles:
            a.nlp = None  # the parse stays here: nothing after a run's maps reads it
    return batch, seconds


Spread = Callable[[str, list[str]], list[Any]]
"""A stage's name and unit keys -> each unit's output, or ``Failed``, in the keys' order."""


def _unit(st: UnitStage, key: str, view: Any, options: Options) -> Any:
    """One unit's output, or ``Failed`` (errors of the library itself raise)."""
    try:
        return st.func(key, view, options)
    except (PipelineError, OptionsError, StoreError):
        raise
    except Exception as exc:
        return failed(exc)


_VIEWS: dict[str, Any] = {}
"""A worker process's read-only stores, by path."""


def _unit_on_worker(job: tuple[str, str, Options, str]) -> Any:
    """In a worker process: one unit over the store opened read-only (kept for the
    process); its output, or ``Failed``."""
    db, name, options, key = job
    from sitroom.store.readonly import ReadOnlyStore

    view = _VIEWS.get(db)
    if view is None:
        view = _VIEWS[db] = ReadOnlyStore(db)
    return _unit(UNITS[name], key, view, options)


def unit_spread(resources: Resources, db: str, options: Options) -> Spread:
    """``Pipeline.reduce``'s ``spread`` on ``resources``' worker pool (one unit a task), over
    the store at ``db``."""
    db = str(db)

    def spread(name: str, keys: list[str]) -> list[Any]:
        return resources.map_parts(_unit_on_worker, [(db, name, options, k) for k in keys],
                                   options)  # fmt: skip

    return spread


def run_keyed(st: Stage, batch: Batch, resources: Resources, options: Options) -> Batch:
    """``st``'s keyed step over ``batch``. The step guards each article itself; a fault
    outside them fails the stage for every article of the batch (kept without its output);
    errors of the library itself stop the run."""
    assert st.keyed is not None
    try:
        return st.keyed(batch, resources, options)
    except (PipelineError, OptionsError, StoreError):
        raise
    except Exception as exc:
        f = failed(exc)
        out = _empty_like(batch)
        for a in batch.articles:
            _fail_article(st, a, f, out)
        if "story" in st.assigns:  # no story changes to write
            out.stories = None
        return out


def run_stage(st: Stage, batch: Batch, resources: Resources, options: Options) -> Batch:
    """``st`` over ``batch``, one article's fault kept to that article.

    1. The stage runs over the whole batch; the per-article work it maps is guarded
       (``Resources.map``), so an article that raises is named by ``ItemsFailed``.
    2. Named articles are recorded (``StageFailure``) and the stage runs again without them.
    3. A fault that names no article (raised in the stage's own loop) is found by running
       the stage over each half of the batch, down to the one article that raises.
    4. A stage that guards its articles itself ("self" isolation) and still raises fails
       the whole batch for that stage, recorded article by article.
    Errors of the library itself (a missing model, a bad option, a broken store) stop the
    run: no article could do better.
    """
    try:
        return st.func(batch, resources, options)
    except (PipelineError, OptionsError, StoreError):
        raise
    except Exception as exc:
        if st.isolation == "self" or not batch.articles:
            return _fail_whole(st, batch, failed(exc))
        articles = list(batch.articles)
        named = exc.failures if isinstance(exc, ItemsFailed) and exc.n == len(articles) else {}
        if named:
            out = _empty_like(batch)
            for i, f in sorted(named.items()):
                _fail_article(st, articles[i], f, out)
            rest = [a for i, a in enumerate(articles) if i not in named]
            return _merge(out, [_sub(st, rest, resources, options)] if rest else [])
        if len(articles) == 1:
            out = _empty_like(batch)
            _fail_article(st, articles[0], failed(exc), out)
            return out
        half = len(articles) // 2
        # a worker died and named nobody: keep the halves on the pool, not in this process
        was = resources.isolate_in_pool
        resources.isolate_in_pool = True
        try:
            parts = [_sub(st, articles[:half], resources, options),
                     _sub(st, articles[half:], resources, options)]  # fmt: skip
        finally:
            resources.isolate_in_pool = was
        return _merge(_empty_like(batch), parts)


def _sub(st: Stage, articles: list[Article], resources: Resources, options: Options) -> Batch:
    return run_stage(st, Batch(articles=list(articles)), resources, options)


def _empty_like(batch: Batch) -> Batch:
    """``batch`` without its articles (its failures, errors and counts kept)."""
    return dataclasses.replace(batch, items=[], articles=[])


def _merge(out: Batch, parts: list[Batch]) -> Batch:
    for part in parts:
        out.articles += part.articles
        out.failures += part.failures
        out.stage_errors += part.stage_errors
        out.skipped += part.skipped
    return out


def _fail_article(st: Stage, a: Article, f: Failed, batch: Batch) -> None:
    """Record ``a``'s fault in ``st``; keep it without the stage's output unless the stage is
    essential."""
    batch.stage_errors.append(StageFailure(
        st.name, f.error, f.message, f.trace, path=a.path, locator=a.locator,
        article_id=a.id, kept=not st.essential,
    ))  # fmt: skip
    if not st.essential:
        _reset(a, st.assigns)
        batch.articles.append(a)


def _fail_whole(st: Stage, batch: Batch, f: Failed) -> Batch:
    out = _empty_like(batch)
    for item in batch.items:
        out.stage_errors.append(StageFailure(
            st.name, f.error, f.message, f.trace, path=item.path, locator=item.locator,
            kept=False,
        ))  # fmt: skip
    for a in batch.articles:
        _fail_article(st, a, f, out)
    return out


_FIELDS = {f.name: f for f in dataclasses.fields(Article)}


def _reset(a: Article, names: Sequence[str]) -> None:
    """Put the fields a failed stage assigns back to their defaults (no half output)."""
    for name in names:
        f = _FIELDS.get(name)
        if f is None:
            continue
        if f.default is not dataclasses.MISSING:
            setattr(a, name, f.default)
        elif f.default_factory is not dataclasses.MISSING:
            setattr(a, name, f.default_factory())
