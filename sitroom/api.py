"""The Python API: everything the CLI does, as functions."""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, Any

from sitroom.errors import InputError
from sitroom.inputs import Discovery
from sitroom.model import Article, Batch, InputItem
from sitroom.options import Options
from sitroom.pipeline import DEFAULT_PIPELINE, Pipeline
from sitroom.stages import Resources
from sitroom.store import Store, Writer

__all__ = [
    "RunReport",
    "articles",
    "export_articles",
    "export_mentions",
    "extract",
    "open_store",
    "report",
    "run",
]

Progress = Callable[[int, int, str], None]


@dataclass
class RunReport:
    """What a run did."""

    db: str
    run_id: int
    stages: list[str]
    added: int = 0
    skipped: int = 0
    failures: list[InputError] = field(default_factory=list)
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
    stage_seconds: dict[str, float] = field(default_factory=dict)
    """Seconds spent in each stage; discovery and the store's writes are the rest."""

    @property
    def ok(self) -> bool:
        """No input failed."""
        return not self.failures


def _batches(items: Iterable[InputItem | InputError], size: int) -> Iterator[Batch]:
    it = iter(items)
    while True:
        chunk = list(islice(it, size))
        if not chunk:
            return
        yield Batch(
            items=[x for x in chunk if isinstance(x, InputItem)],
            failures=[x for x in chunk if isinstance(x, InputError)],
        )


def run(
    inputs: Sequence[str | Path],
    db: str | Path = "sitroom.db",
    options: Options | None = None,
    *,
    stages: Sequence[str] = DEFAULT_PIPELINE,
    progress: Progress | None = None,
    **overrides: Any,
) -> RunReport:
    """Ingest ``inputs`` (files, folders, globs, feed URLs) into the store ``db``.

    Bad inputs do not stop the run: each is recorded in ``RunReport.failures`` (and the
    store's ``ingest_errors``) with a one-line reason, and the rest lands.
    """
    opts = (options or Options()).replace(**overrides)
    names = [str(p) for p in inputs]
    pipeline = Pipeline(stages)
    started = time.perf_counter()
    with Store(db) as store:
        writer = Writer(store)
        run_id = writer.start_run(names, dataclasses.asdict(opts))
        rep = RunReport(str(db), run_id, pipeline.names)
        resources = Resources(archive=store)
        discovery = Discovery(names, opts, known=store.known_ids)
        status = "failed"
        try:
            for batch in _batches(discovery, opts.batch_size):
                where = batch.items[-1].path if batch.items else ""
                batch = pipeline(batch, resources, opts, rep.stage_seconds)
                t0 = time.perf_counter()
                rep.added += writer.write_batch(batch, run_id)
                rep.stage_seconds["store"] = rep.stage_seconds.get("store", 0.0) + (
                    time.perf_counter() - t0
                )
                rep.skipped += batch.skipped
                for a in batch.articles:
                    rep.removed.update(r.reason for r in a.removed)
                    rep.copies += bool(a.dedup and a.dedup.kind != "first")
                    rep.places.update(p.role for p in a.places)
                    rep.times += len(a.times)
                rep.failures.extend(batch.failures)
                if progress:
                    progress(rep.added + rep.skipped, len(rep.failures), where)
            status = "ok" if not rep.failures else "partial"
        finally:
            resources.close()
            rep.skipped_files = discovery.skipped_files
            rep.seconds = time.perf_counter() - started
            writer.finish_run(run_id, rep.added, rep.skipped, len(rep.failures), status)
            rep.total_articles = store.count_articles()
    return rep


class _NoArchive:
    """The archive of a run without a store: nothing is stored yet."""

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        return set()

    def exact_copies(self, text_hashes: Iterable[str]) -> dict[str, tuple[str, str]]:
        return {}

    def band_candidates(self, keys: Iterable[int]) -> dict[str, tuple[str, int, bytes]]:
        return {}

    def outlet_regions(self, outlet: str) -> dict[int, int]:
        return {}


def extract(
    inputs: Sequence[str | Path],
    stages: Sequence[str],
    options: Options | None = None,
    **overrides: Any,
) -> Iterator[Article | InputError]:
    """Run ``stages`` over ``inputs`` without a store, yielding each article (or the error of
    an input that failed) as it is done: what ``sitroom places`` and ``sitroom times`` do."""
    opts = (options or Options()).replace(**overrides)
    pipeline = Pipeline(stages)
    resources = Resources(archive=_NoArchive())
    try:
        for batch in _batches(Discovery([str(p) for p in inputs], opts), opts.batch_size):
            batch = pipeline(batch, resources, opts)
            yield from batch.failures
            yield from batch.articles
    finally:
        resources.close()


def open_store(db: str | Path) -> Store:
    """Open an existing store for reading."""
    return Store.open_existing(db)


def articles(db: str | Path, with_text: bool = False) -> list[dict[str, Any]]:
    """Every stored article (metadata, copy group; text and removed spans if asked)."""
    with open_store(db) as store:
        return list(store.articles(with_text=with_text))


def export_articles(db: str | Path, out: IO[str], format: str = "jsonl") -> int:
    """Write every article to ``out`` as JSON lines or CSV; the number written."""
    from sitroom.export.articles import write_articles

    with open_store(db) as store:
        return write_articles(store, out, format)


def export_mentions(db: str | Path, out: IO[str], what: str, format: str = "jsonl") -> int:
    """Write the stored place ("places") or time ("times") mentions; the number written."""
    from sitroom.export.mentions import write_mentions

    with open_store(db) as store:
        return write_mentions(store, out, what, format)


def report(db: str | Path, out_dir: str | Path) -> Path:
    """Write the static HTML report (an index and a page per article); its index path."""
    from sitroom.site.render import write_report

    with open_store(db) as store:
        return write_report(store, Path(out_dir))
