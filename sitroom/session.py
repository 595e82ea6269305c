"""A session: an open store with its writer, pipeline and resources, and what a run did.

``Session.run`` is the one place a run happens (``sitroom run``, ``sitroom watch``'s polls,
the API's ``run``): it takes the store's run lock, records the run, feeds the inputs through
the article stages batch by batch, writes each batch in one transaction, and does the story
and topic stages' queued work. Faults stay with their article, story or topic
(``sitroom.pipeline``); a killed run leaves every committed batch and its queued work, which
the next run finishes.
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from sitroom.errors import InputError, StageFailure
from sitroom.inputs import Discovery
from sitroom.model import Batch, InputItem
from sitroom.options import Options
from sitroom.pipeline import DEFAULT_PIPELINE, Pipeline
from sitroom.stages import Resources
from sitroom.store import Store, Writer
from sitroom.store.lock import RunLock

__all__ = ["EXIT_CODES", "PLACED_SHOWN", "Progress", "RunReport", "Session", "batches"]

Progress = Callable[[int, int, str], None]
PLACED_SHOWN = 200
EXIT_CODES = {
    0: "every input landed",
    1: "some inputs could not be read (each named on stderr); the rest landed",
    2: "bad usage, options or store; nothing was done",
    3: "a stage failed on some articles, stories or topics (each named on stderr and kept "
    "in the store's stage_errors); the rest landed",
}


@dataclass
class RunReport:
    """What a run did."""

    db: str
    run_id: int
    stages: list[str]
    added: int = 0
    skipped: int = 0
    failures: list[InputError] = field(default_factory=list)
    """Inputs that could not be read, each with its one-line reason."""
    stage_errors: list[StageFailure] = field(default_factory=list)
    """Faults of stages on single articles (kept without that stage's output, or not stored
    for ingest and clean), stories or topics (retried by later runs)."""
    skipped_files: list[str] = field(default_factory=list)
    seconds: float = 0.0
    total_articles: int = 0
    removed: Counter[str] = field(default_factory=Counter)
    """Debris removed from the added articles, by reason."""
    copies: int = 0
    """Added articles that repeat an earlier one (exact or near copies)."""
    places: Counter[str] = field(default_factory=Counter)
    """Place mentions of the added articles, by role."""
    times: int = 0
    """Time expressions of the added articles."""
    event_mentions: Counter[str] = field(default_factory=Counter)
    """Event mentions of the added articles, by modality."""
    quotes: Counter[str] = field(default_factory=Counter)
    """Quotes of the added articles: "named", "anonymous" or "unresolved" speaker."""
    claim_mentions: int = 0
    """Checkable claims in the added articles."""
    claims: Counter[str] = field(default_factory=Counter)
    """Claims in the store after the run (aligned across outlets), by status."""
    units: Counter[str] = field(default_factory=Counter)
    """Stories or topics each story and topic stage did (``story_events``, ``topic_claims``,
    ``brief``)."""
    stories: Counter[str] = field(default_factory=Counter)
    """Added articles by how they were placed: "new" (started a story), "joined", "copy"."""
    merges: int = 0
    """Stories (or topics) merged into another one during the run."""
    placed: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(article id, story id, how, title) of the first ``PLACED_SHOWN`` articles placed."""
    total_stories: int = 0
    total_events: int = 0
    total_topics: int = 0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    """Seconds spent in each stage; discovery and the store's writes are the rest."""

    @property
    def briefs(self) -> int:
        """Story briefs (re)built by the run."""
        return self.units["brief"]

    @property
    def ok(self) -> bool:
        """No input failed and no stage raised."""
        return not self.failures and not self.stage_errors

    @property
    def exit_code(self) -> int:
        """0 all landed; 1 some inputs failed; 3 a stage failed on some articles, stories or
        topics (see ``EXIT_CODES``)."""
        if self.stage_errors:
            return 3
        return 1 if self.failures else 0

    def problems(self) -> list[str]:
        """One line per input that failed and per stage fault."""
        return [e.line() for e in self.failures] + [e.line() for e in self.stage_errors]


def batches(items: Iterable[InputItem | InputError], size: int) -> Iterator[Batch]:
    """Discovery's items and failures, ``size`` at a time."""
    it = iter(items)
    while True:
        chunk = list(islice(it, size))
        if not chunk:
            return
        yield Batch(
            items=[x for x in chunk if isinstance(x, InputItem)],
            failures=[x for x in chunk if isinstance(x, InputError)],
        )


class Session:
    """An open store with its writer, pipeline and resources: what ``run`` and ``watch`` share.

    Models, the process pool and the story clusterers' state load once and serve every
    ``run`` of the session (the clusterers' state is read again when another process has
    changed the stories since). Close it (or use it as a context manager) to release them.
    ``lock_wait``: seconds a run waits for another run writing to the same store before it
    gives up (``StoreBusyError``); ``notice`` hears a line when it starts waiting.
    """

    def __init__(
        self,
        db: str | Path = "sitroom.db",
        options: Options | None = None,
        *,
        stages: Sequence[str] = DEFAULT_PIPELINE,
        lock_wait: float = 3600.0,
        notice: Callable[[str], None] | None = None,
        **overrides: Any,
    ) -> None:
        self.options = (options or Options()).replace(**overrides)
        self.db = str(db)
        self.pipeline = Pipeline(stages)
        self.store = Store(db)
        self.writer = Writer(self.store)
        self.resources = Resources(archive=self.store)
        self.lock = RunLock(db)
        self.lock_wait = lock_wait
        self.notice = notice
        self._version: int | None = None  # the stories' version this session last wrote

    def run(
        self,
        inputs: Sequence[str | Path],
        progress: Progress | None = None,
        finish: bool = True,
    ) -> RunReport:
        """Ingest ``inputs`` through the pipeline into the store; ``finish`` also saves what
        outlives the run beside the store (the story index)."""
        self.lock.acquire(self.lock_wait, self.notice)
        try:
            return self._run(inputs, progress, finish)
        finally:
            self.lock.release()

    def _run(self, inputs: Sequence[str | Path], progress: Progress | None, finish: bool
             ) -> RunReport:  # fmt: skip
        opts = self.options
        names = [str(p) for p in inputs]
        started = time.perf_counter()
        self._refresh()
        run_id = self.writer.start_run(names, dataclasses.asdict(opts))
        rep = RunReport(self.db, run_id, self.pipeline.names)
        discovery = Discovery(names, opts, known=self.store.known_ids)
        status = "failed"
        try:
            for batch in batches(discovery, opts.batch_size):
                where = batch.items[-1].path if batch.items else ""
                batch = self.pipeline(batch, self.resources, opts, rep.stage_seconds)
                t0 = time.perf_counter()
                rep.added += self.writer.write_batch(batch, run_id)
                _add(rep.stage_seconds, "store", time.perf_counter() - t0)
                self._reduce(rep, "batch")
                rep.skipped += batch.skipped
                _tally(rep, batch)
                if progress:
                    progress(rep.added + rep.skipped, len(rep.failures), where)
            self._reduce(rep, "run")
            if finish:
                self.resources.finish()
            status = "ok" if rep.ok else "partial"
        except KeyboardInterrupt:
            status = "interrupted"
            raise
        finally:
            rep.skipped_files = discovery.skipped_files
            rep.seconds = time.perf_counter() - started
            self.writer.finish_run(run_id, rep.added, rep.skipped, len(rep.failures), status,
                                   len(rep.stage_errors))  # fmt: skip
            self._version = self.store.stories_version()
            rep.total_articles = self.store.count_articles()
            rep.total_stories, rep.total_topics = self.store.count_stories()
            rep.total_events = self.store.count_events()
            rep.claims = self.store.count_claims()
        return rep

    def _refresh(self) -> None:
        """Forget state read from the store that another process has changed since."""
        self.resources.seen_ids.clear()
        if self._version is not None and self.store.stories_version() != self._version:
            self.resources.cache.pop("story-assigner", None)

    def _reduce(self, rep: RunReport, after: str) -> None:
        tried = frozenset((f.stage, f.key) for f in rep.stage_errors if f.key)
        done, faults = self.pipeline.reduce(
            self.store, self.writer, self.options, rep.run_id, after,  # type: ignore[arg-type]
            rep.stage_seconds, skip=tried,
        )  # fmt: skip
        rep.units.update(done)
        rep.stage_errors += faults

    def finish(self) -> None:
        """Save what outlives a run beside the store (the story index)."""
        self.resources.finish()

    def close(self) -> None:
        self.resources.close()
        self.lock.release()
        self.store.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _add(timings: dict[str, float], key: str, seconds: float) -> None:
    timings[key] = timings.get(key, 0.0) + seconds


def _tally(rep: RunReport, batch: Batch) -> None:
    for a in batch.articles:
        rep.removed.update(r.reason for r in a.removed)
        rep.copies += bool(a.dedup and a.dedup.kind != "first")
        rep.places.update(p.role for p in a.places)
        rep.times += len(a.times)
        rep.event_mentions.update(m.modality for m in a.events)
        rep.quotes.update(
            "named" if q.speaker and not q.anonymous else "anonymous" if q.anonymous
            else "unresolved" for q in a.quotes
        )  # fmt: skip
        rep.claim_mentions += len(a.claims)
        if a.story is not None:
            rep.stories[a.story.how] += 1
            if len(rep.placed) < PLACED_SHOWN:
                rep.placed.append((a.id, a.story.story_id, a.story.how, a.title or ""))
    if batch.stories:
        rep.merges += len(batch.stories.merges)
    rep.failures.extend(batch.failures)
    rep.stage_errors.extend(batch.stage_errors)
