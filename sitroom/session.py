"""A session: an open store with its writer, pipeline and resources, and what a run did.

``Session.run`` is the one place a run happens (``sitroom run``, ``sitroom watch``'s polls,
the API's ``run``): it takes the store's run lock and hands the run to its engine
(``sitroom.engines``: the local one by default, Ray with ``engine="ray"``), which records the
run, reads the inputs, plans the run (``engines.plan``), feeds the articles through the
stages batch by batch in the run's order, writes each batch in one transaction, and does the
story and topic stages' queued work. Faults stay with their article, story or topic
(``sitroom.pipeline``); a killed run leaves every committed batch and its queued work, which
the next run finishes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from sitroom.errors import InputError, StageFailure
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

    def tally(self, batch: Batch) -> None:
        """Count what a written batch added, and its failures and faults."""
        for a in batch.articles:
            self.removed.update(r.reason for r in a.removed)
            self.copies += bool(a.dedup and a.dedup.kind != "first")
            self.places.update(p.role for p in a.places)
            self.times += len(a.times)
            self.event_mentions.update(m.modality for m in a.events)
            self.quotes.update(
                "named" if q.speaker and not q.anonymous else "anonymous" if q.anonymous
                else "unresolved" for q in a.quotes
            )  # fmt: skip
            self.claim_mentions += len(a.claims)
            if a.story is not None:
                self.stories[a.story.how] += 1
                if len(self.placed) < PLACED_SHOWN:
                    self.placed.append((a.id, a.story.story_id, a.story.how, a.title or ""))
        if batch.stories:
            self.merges += len(batch.stories.merges)
        self.failures.extend(batch.failures)
        self.stage_errors.extend(batch.stage_errors)


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
    """An open store with its writer, pipeline, resources and engine: what ``run`` and
    ``watch`` share.

    Models, the process pool and the story clusterers' state load once and serve every
    ``run`` of the session (the clusterers' state is read again when another process has
    changed the stories since). Close it (or use it as a context manager) to release them.
    ``lock_wait``: seconds a run waits for another run writing to the same store before it
    gives up (``StoreBusyError``); ``notice`` hears a line when it starts waiting.
    ``engine``: "local" (this process and its worker pool) or "ray" (Ray Data: a local Ray
    with ``workers`` CPUs, or the cluster at ``ray_address``; ``pip install 'sitroom[ray]'``).
    """

    def __init__(
        self,
        db: str | Path = "sitroom.db",
        options: Options | None = None,
        *,
        stages: Sequence[str] = DEFAULT_PIPELINE,
        lock_wait: float = 3600.0,
        notice: Callable[[str], None] | None = None,
        engine: str = "local",
        ray_address: str | None = None,
        **overrides: Any,
    ) -> None:
        from sitroom.engines import make_engine

        self.options = (options or Options()).replace(**overrides)
        self.db = str(db)
        self.pipeline = Pipeline(stages)
        self.engine = make_engine(engine, ray_address)
        self.store = Store(db)
        self.writer = Writer(self.store)
        self.resources = Resources(archive=self.store)
        self.lock = RunLock(db)
        self.lock_wait = lock_wait
        self.notice = notice
        self.version: int | None = None  # the stories' version this session last wrote

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
            return self.engine.run(self, inputs, progress, finish)
        finally:
            self.lock.release()

    def refresh(self) -> None:
        """Forget state read from the store that another process has changed since."""
        if self.version is not None and self.store.stories_version() != self.version:
            self.resources.cache.pop("story-assigner", None)

    def finish(self) -> None:
        """Save what outlives a run beside the store (the story index)."""
        self.resources.finish()

    def close(self) -> None:
        self.engine.close()
        self.resources.close()
        self.lock.release()
        self.store.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
