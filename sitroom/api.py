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
    "Session",
    "articles",
    "export_articles",
    "export_mentions",
    "export_stories",
    "extract",
    "open_store",
    "report",
    "run",
    "stories",
    "watch",
]

Progress = Callable[[int, int, str], None]
PLACED_SHOWN = 200


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
    event_mentions: Counter[str] = field(default_factory=Counter)
    """Event mentions of the added articles, by modality."""
    quotes: Counter[str] = field(default_factory=Counter)
    """Quotes of the added articles: "named", "anonymous" or "unresolved" speaker."""
    claim_mentions: int = 0
    """Checkable claims in the added articles."""
    claims: Counter[str] = field(default_factory=Counter)
    """Claims in the store after the run (aligned across outlets), by status."""
    briefs: int = 0
    """Story briefs (re)built by the run."""
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


class Session:
    """An open store with its writer, pipeline and resources: what ``run`` and ``watch`` share.

    Models, the process pool and the story clusterers' state load once and serve every
    ``run`` of the session. Close it (or use it as a context manager) to release them.
    """

    def __init__(
        self,
        db: str | Path = "sitroom.db",
        options: Options | None = None,
        *,
        stages: Sequence[str] = DEFAULT_PIPELINE,
        **overrides: Any,
    ) -> None:
        self.options = (options or Options()).replace(**overrides)
        self.db = str(db)
        self.pipeline = Pipeline(stages)
        self.store = Store(db)
        self.writer = Writer(self.store)
        self.resources = Resources(archive=self.store)

    def run(
        self,
        inputs: Sequence[str | Path],
        progress: Progress | None = None,
        finish: bool = True,
    ) -> RunReport:
        """Ingest ``inputs`` through the pipeline into the store; ``finish`` also saves what
        outlives the run beside the store (the story index)."""
        opts = self.options
        names = [str(p) for p in inputs]
        started = time.perf_counter()
        run_id = self.writer.start_run(names, dataclasses.asdict(opts))
        rep = RunReport(self.db, run_id, self.pipeline.names)
        discovery = Discovery(names, opts, known=self.store.known_ids)
        status = "failed"
        try:
            self._reduce(rep, claims=True)  # story stages a killed run left undone
            for batch in _batches(discovery, opts.batch_size):
                where = batch.items[-1].path if batch.items else ""
                batch = self.pipeline(batch, self.resources, opts, rep.stage_seconds)
                t0 = time.perf_counter()
                rep.added += self.writer.write_batch(batch, run_id)
                rep.stage_seconds["store"] = rep.stage_seconds.get("store", 0.0) + (
                    time.perf_counter() - t0
                )
                self._reduce(rep)
                rep.skipped += batch.skipped
                _tally(rep, batch)
                if progress:
                    progress(rep.added + rep.skipped, len(rep.failures), where)
            self._reduce(rep, claims=True)
            if finish:
                self.resources.finish()
            status = "ok" if not rep.failures else "partial"
        finally:
            rep.skipped_files = discovery.skipped_files
            rep.seconds = time.perf_counter() - started
            self.writer.finish_run(run_id, rep.added, rep.skipped, len(rep.failures), status)
            rep.total_articles = self.store.count_articles()
            rep.total_stories, rep.total_topics = self.store.count_stories()
            rep.total_events = self.store.count_events()
            rep.claims = self.store.count_claims()
        return rep

    def _reduce(self, rep: RunReport, claims: bool = False) -> None:
        """Run the story stages over the stories the last batches touched; with ``claims``
        also re-align the claims of the topics touched since the last time (once per run:
        a topic's alignment reads all its claims, so it is not redone batch by batch; the
        topics stay marked in the store until done, so a killed run does them next time)."""
        if "events" not in self.pipeline.names:
            return
        from sitroom.stages.events import reduce_stories

        t0 = time.perf_counter()
        reduce_stories(self.store, self.writer)
        t1 = time.perf_counter()
        rep.stage_seconds["story events"] = rep.stage_seconds.get("story events", 0.0) + t1 - t0
        if claims and "claims" in self.pipeline.names:
            from sitroom.stages.brief import reduce_briefs
            from sitroom.stages.claims import reduce_topics

            topics = self.store.dirty_topics()
            reduce_topics(self.store, self.writer, topics)
            t2 = time.perf_counter()
            rep.stage_seconds["topic claims"] = rep.stage_seconds.get("topic claims", 0.0) + t2 - t1
            rep.briefs += reduce_briefs(self.store, self.writer, topics)
            seconds = time.perf_counter() - t2
            rep.stage_seconds["story briefs"] = rep.stage_seconds.get("story briefs", 0.0) + seconds

    def finish(self) -> None:
        """Save what outlives a run beside the store (the story index)."""
        self.resources.finish()

    def close(self) -> None:
        self.resources.close()
        self.store.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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
    with Session(db, options, stages=stages, **overrides) as session:
        return session.run(inputs, progress)


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

    def clusters(self, kind: str) -> list[dict[str, Any]]:
        return []

    def story_groups(self) -> dict[str, str]:
        return {}

    def cluster_index(self, kind: str) -> tuple[Path | None, int, int]:
        return None, 0, -1


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


def stories(db: str | Path, level: str = "story") -> list[dict[str, Any]]:
    """Stored stories ("story"), topics ("topic") or each article's placement ("article")."""
    from sitroom.export.stories import story_records

    with open_store(db) as store:
        return story_records(store, level)


def export_stories(
    db: str | Path, out: IO[str], format: str = "jsonl", level: str = "article"
) -> int:
    """Write each article's story and topic (``level`` "article"), or the stories or topics
    themselves, as JSON lines or CSV; the number written."""
    from sitroom.export.stories import write_stories

    with open_store(db) as store:
        return write_stories(store, out, format, level)


def events(db: str | Path, **filters: Any) -> list[dict[str, Any]]:
    """Stored events in ACLED columns with story_id, outlets, independent_sources and
    sources; ``filters``: type, actor, place, since, until, story."""
    from sitroom.export.events import event_records

    with open_store(db) as store:
        return event_records(store, **filters)


def control(db: str | Path) -> list[dict[str, Any]]:
    """Who controls each place (or site in it) since when, with sources."""
    from sitroom.export.events import CONTROL_COLUMNS

    with open_store(db) as store:
        return [{c: r[c] for c in CONTROL_COLUMNS} for r in store.control()]


def export_events(db: str | Path, out: IO[str], format: str = "csv", **filters: Any) -> int:
    """Write the events as csv, json or geojson; the number written."""
    from sitroom.export.events import write_events

    with open_store(db) as store:
        return write_events(store, out, format, **filters)


def export_control(db: str | Path, out: IO[str], format: str = "csv") -> int:
    """Write the control of places as csv or json; the number written."""
    from sitroom.export.events import write_control

    with open_store(db) as store:
        return write_control(store, out, format)


def claims(db: str | Path, **filters: Any) -> list[dict[str, Any]]:
    """Claims aligned across outlets with status, sides and sources; ``filters``: story,
    status (corroborated, single-source, contested), kind."""
    from sitroom.export.claims import claim_records

    with open_store(db) as store:
        return claim_records(store, **filters)


def quotes(db: str | Path, speaker: str | None = None) -> list[dict[str, Any]]:
    """Stored quotes with speaker, role, affiliation, outlet and offsets."""
    from sitroom.export.claims import quote_records

    with open_store(db) as store:
        return quote_records(store, speaker)


def export_claims(db: str | Path, out: IO[str], format: str = "jsonl", **filters: Any) -> int:
    """Write the claims as JSON lines or CSV; the number written."""
    from sitroom.export.claims import write_claims

    with open_store(db) as store:
        return write_claims(store, out, format, **filters)


def export_quotes(db: str | Path, out: IO[str], format: str = "jsonl") -> int:
    """Write the quotes as JSON lines or CSV; the number written."""
    from sitroom.export.claims import write_quotes

    with open_store(db) as store:
        return write_quotes(store, out, format)


def check(
    claim: str,
    db: str | Path | None = None,
    files: Sequence[str | Path] = (),
    story: str | None = None,
) -> list[dict[str, Any]]:
    """For each article of the store ``db`` (or of ``story``), or of the input ``files``: does
    it support, contradict or discuss ``claim``, or is it unrelated? Each answer carries the
    evidence sentences (offsets into the article's original text) and a score."""
    if db is not None:
        from sitroom.export.claims import check_store

        with open_store(db) as store:
            return check_store(store, claim, story)
    from sitroom.claims import check as check_texts

    arts: list[Article] = []
    out: list[dict[str, Any]] = []
    for a in extract(files, ["ingest", "clean", "metadata", "nlp"]):
        if isinstance(a, Article):
            arts.append(a)
        else:
            out.append({"article": a.path, "verdict": "error", "error": str(a), "evidence": [],
                        "score": 0.0})  # fmt: skip
    names = [f"{a.path}#{a.locator}" if a.locator else a.path for a in arts]
    verdicts = check_texts(claim, [(n, a.reading) for n, a in zip(names, arts, strict=True)])
    for a, v in zip(arts, verdicts, strict=True):
        to = a.reading_map.to_original
        out.append({
            "article": v.article, "outlet": a.outlet, "title": a.title, "verdict": v.verdict,
            "score": v.score,
            "evidence": [{"sentence": e.text, "start": to(e.start), "end": to(e.end - 1) + 1,
                          "relation": e.relation, "score": e.score} for e in v.evidence],
        })  # fmt: skip
    return out


def brief(db: str | Path, story: str, since: str | None = None, max_sentences: int = 10) -> Any:
    """The cited brief of ``story`` (a ``sitroom.brief.Brief``): the one the last run stored,
    or, with ``since`` (ISO date or datetime) or another length, built afresh."""
    from sitroom.brief import Brief, story_brief

    with open_store(db) as store:
        stored = store.brief(story) if since is None and max_sentences == 10 else None
        if stored is None:
            return story_brief(store, story, since, max_sentences)
    return Brief.from_dict(stored)


def extract_events(
    text: str, published: str | None = None, title: str | None = None
) -> list[dict[str, Any]]:
    """The event mentions of any text, most salient first, as dicts."""
    from sitroom.events import extract

    out = []
    for m in extract(text, published, title):
        d = dataclasses.asdict(m)
        loc = m.location
        d["location"] = None if loc is None else {
            k: getattr(loc, k) for k in ("name", "latitude", "longitude", "country_code",
                                         "admin1", "admin2", "geonameid", "geo_precision")
        }  # fmt: skip
        out.append(d)
    return out


def watch(
    sources: Sequence[str | Path],
    db: str | Path = "sitroom.db",
    options: Options | None = None,
    *,
    interval: float = 60.0,
    max_polls: int | None = None,
    settle: float = 1.0,
    on_poll: Callable[[int, RunReport], None] | None = None,
    stop: Any = None,
    **overrides: Any,
) -> int:
    """Keep ingesting ``sources`` (folders, files, feed URLs) every ``interval`` seconds,
    placing new articles in stories as they come; returns the number of polls made.

    Stops after ``max_polls`` polls, when the ``threading.Event`` ``stop`` is set, or on
    Ctrl-C; ``on_poll(n, report)`` hears about each poll.
    """
    import threading

    from sitroom.watcher import Watcher

    with Session(db, options, **overrides) as session:
        watcher = Watcher(
            [str(s) for s in sources],
            session,
            interval=interval,
            settle=settle,
            stop=stop if stop is not None else threading.Event(),
        )
        return watcher.run(max_polls, on_poll)
