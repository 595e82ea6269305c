"""The local engine: a run in this process and its worker pool, through a spool on disk.

1. read: discovery's items, a batch at a time, through the reading stages (ingest, clean);
   an article the store holds goes no further; every other one waits in a spool with its
   ``plan.Entry`` (its own date evidence: metadata steps 1-6); input failures and faults
   are written at once;
2. plan: skip, dates, regions, order (``plan.make_plan``); the context is the run's;
3. in the run's order, a batch at a time: the maps, the keyed steps, one transaction, and
   the story stages that follow each batch;
4. the story and topic stages that follow the run.

Steps 2-4 are every engine's (``Engine``); an engine brings its own reading and mapping
(``Engine.read``, ``Engine.mapped``) and its own way of doing the story and topic stages
(``Engine.reduce``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitroom.engines.plan import Entry, Plan, evidence, make_plan, stored_entries
from sitroom.engines.spool import Spool
from sitroom.errors import StageFailure
from sitroom.inputs import Discovery
from sitroom.model import Article, Batch
from sitroom.pipeline import unit_spread
from sitroom.session import Progress, RunReport, batches

if TYPE_CHECKING:
    from sitroom.session import Session

__all__ = ["Engine", "LocalEngine", "Reading"]


@dataclass
class Reading:
    """What reading the run's input left for the plan: an entry per article, and where the
    articles wait (``load`` gives them back by their entries' ``ref``)."""

    entries: list[Entry] = field(default_factory=list)
    skipped_files: list[str] = field(default_factory=list)
    spool: Spool | None = None

    def load(self, refs: Sequence[Any]) -> list[Article]:
        assert self.spool is not None
        return [self.spool.get(r) for r in refs]

    def close(self) -> None:
        if self.spool is not None:
            self.spool.close()


class Engine:
    """Steps 2-4 of the module docstring, around an engine's own reading and mapping."""

    name = "local"

    def run(
        self,
        s: Session,
        inputs: Sequence[str | Path],
        progress: Progress | None = None,
        finish: bool = True,
    ) -> RunReport:
        """One run of ``s``'s pipeline over ``inputs`` into its store (the caller holds the
        store's run lock)."""
        opts = s.options
        names = [str(p) for p in inputs]
        started = time.perf_counter()
        s.refresh()
        run_id = s.writer.start_run(names, {**dataclasses.asdict(opts), "engine": self.name})
        rep = RunReport(s.db, run_id, s.pipeline.names)
        today = dt.datetime.now(dt.UTC).date()  # the run's reference date
        status = "failed"
        reading = Reading()
        try:
            reading = self.read(s, names, rep, progress)
            t0 = time.perf_counter()
            regions = s.store.outlet_regions if "places" in s.pipeline.names else None
            plan = make_plan(reading.entries, opts, today, regions)
            _add(rep.stage_seconds, "plan", time.perf_counter() - t0)
            rep.skipped += plan.skipped
            s.resources.context = plan.context
            for batch in self.mapped(s, plan, reading, rep):
                where = batch.articles[-1].path if batch.articles else ""
                batch = s.pipeline.keyed_steps(batch, s.resources, opts, rep.stage_seconds)
                t0 = time.perf_counter()
                rep.added += s.writer.write_batch(batch, run_id)
                _add(rep.stage_seconds, "store", time.perf_counter() - t0)
                self.reduce(s, rep, "batch")
                rep.tally(batch)
                if progress:
                    progress(rep.added + rep.skipped, len(rep.failures), where)
            self.reduce(s, rep, "run")
            if finish:
                s.resources.finish()
            status = "ok" if rep.ok else "partial"
        except KeyboardInterrupt:
            status = "interrupted"
            raise
        finally:
            s.resources.context = None
            reading.close()
            rep.stage_errors.sort(key=_input_order)
            rep.skipped_files = reading.skipped_files
            rep.seconds = time.perf_counter() - started
            s.writer.finish_run(run_id, rep.added, rep.skipped, len(rep.failures), status,
                                len(rep.stage_errors))  # fmt: skip
            s.version = s.store.stories_version()
            rep.total_articles = s.store.count_articles()
            rep.total_stories, rep.total_topics = s.store.count_stories()
            rep.total_events = s.store.count_events()
            rep.claims = s.store.count_claims()
        return rep

    def read(
        self, s: Session, inputs: list[str], rep: RunReport, progress: Progress | None
    ) -> Reading:
        """Step 1: read the whole input (this engine: in this process, into a spool)."""
        opts = s.options
        discovery = Discovery(inputs, opts, known=s.store.known_ids)
        reading = Reading(spool=Spool())
        dated = "metadata" in s.pipeline.names
        held: list[Entry] = []

        def stored(articles: list[Article]) -> list[Article]:
            rest, entries = stored_entries(articles, s.store.article_dates)
            held.extend(entries)
            return rest

        seen = 0
        try:
            for batch in batches(discovery, opts.batch_size):
                batch = s.pipeline.read(batch, s.resources, opts, rep.stage_seconds, stored)
                t0 = time.perf_counter()
                for a in batch.articles:
                    e = evidence(a, opts, dated)
                    e.ref = reading.spool.put(a)  # type: ignore[union-attr]
                    reading.entries.append(e)
                _add(rep.stage_seconds, "read", time.perf_counter() - t0)
                self.failed(s, rep, batch)
                seen += len(batch.articles) + len(batch.failures)
                if progress:
                    progress(seen, len(rep.failures), f"reading {_last_path(batch)}")
        except BaseException:
            reading.close()
            raise
        reading.entries += held
        reading.skipped_files = discovery.skipped_files
        return reading

    def failed(self, s: Session, rep: RunReport, batch: Batch) -> None:
        """Write and count what reading could not turn into articles."""
        if batch.failures or batch.stage_errors:
            s.writer.write_batch(Batch(failures=batch.failures,
                                       stage_errors=batch.stage_errors), rep.run_id)  # fmt: skip
            rep.failures.extend(batch.failures)
            rep.stage_errors.extend(batch.stage_errors)

    def mapped(self, s: Session, plan: Plan, reading: Reading, rep: RunReport
               ) -> Iterator[Batch]:  # fmt: skip
        """Step 3's maps: the planned articles, a batch at a time in the run's order."""
        size = s.options.batch_size
        for i in range(0, len(plan.order), size):
            part = plan.order[i : i + size]
            batch = Batch(articles=reading.load([e.ref for e in part]))
            yield s.pipeline.map(batch, s.resources, s.options, rep.stage_seconds)

    def reduce(self, s: Session, rep: RunReport, after: str) -> None:
        """The story and topic stages' queued work (this engine: in this process)."""
        tried = frozenset((f.stage, f.key) for f in rep.stage_errors if f.key)
        # after the run, the units (topics, briefs) are worth the worker pool; after a batch
        # they are few and cheap, and the next batch wants them at once
        on_pool = after == "run" and Path(s.db).is_file()
        spread = unit_spread(s.resources, str(s.db), s.options) if on_pool else None
        done, faults = s.pipeline.reduce(
            s.store, s.writer, s.options, rep.run_id, after,  # type: ignore[arg-type]
            rep.stage_seconds, skip=tried, spread=spread,
        )  # fmt: skip
        rep.units.update(done)
        rep.stage_errors += faults

    def close(self) -> None:
        """Release what the engine holds."""


class LocalEngine(Engine):
    """The default engine: this process and its worker pool."""


def _add(timings: dict[str, float], key: str, seconds: float) -> None:
    timings[key] = timings.get(key, 0.0) + seconds


def _input_order(f: StageFailure) -> tuple[bool, str, list[Any], str]:
    """Faults on articles in the order of their inputs (paths, then line or item numbers),
    then those on stories and topics."""
    parts: list[Any] = [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", f.locator)]
    return bool(f.key), f.path, parts, f.stage


def _last_path(batch: Batch) -> str:
    if batch.articles:
        return batch.articles[-1].path
    return batch.failures[-1].path if batch.failures else ""
