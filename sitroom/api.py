"""The Python API: everything the CLI does, as functions."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from sitroom.errors import InputError, OptionsError, PipelineError, StageFailure
from sitroom.inputs import Discovery
from sitroom.model import Article
from sitroom.options import Options
from sitroom.pipeline import DEFAULT_PIPELINE, Pipeline
from sitroom.session import Progress, RunReport, Session, batches
from sitroom.stages import Resources
from sitroom.store import Store

__all__ = [
    "RunReport",
    "Session",
    "articles",
    "export_articles",
    "export_mentions",
    "export_stories",
    "extract",
    "open_store",
    "realign",
    "report",
    "run",
    "stories",
    "watch",
]


def run(
    inputs: Sequence[str | Path],
    db: str | Path = "sitroom.db",
    options: Options | None = None,
    *,
    stages: Sequence[str] = DEFAULT_PIPELINE,
    progress: Progress | None = None,
    lock_wait: float = 3600.0,
    notice: Callable[[str], None] | None = None,
    **overrides: Any,
) -> RunReport:
    """Ingest ``inputs`` (files, folders, globs, feed URLs) into the store ``db``.

    Another run writing to the same store is waited for up to ``lock_wait`` seconds
    (``notice`` hears that it waits), then ``StoreBusyError``.
    Bad inputs do not stop the run: each is recorded in ``RunReport.failures`` (and the
    store's ``ingest_errors``) with a one-line reason, and the rest lands; a stage that
    raises on an article is recorded in ``RunReport.stage_errors`` (and ``stage_errors``).
    """
    with Session(db, options, stages=stages, lock_wait=lock_wait, notice=notice,
                 **overrides) as session:  # fmt: skip
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
) -> Iterator[Article | InputError | StageFailure]:
    """Run ``stages`` over ``inputs`` without a store, yielding each article, the error of an
    input that failed, and each stage's fault on an article (the article itself follows,
    without that stage's output) as they are done: what ``sitroom places`` and ``sitroom
    times`` do."""
    opts = (options or Options()).replace(**overrides)
    pipeline = Pipeline(stages)
    resources = Resources(archive=_NoArchive())
    try:
        for batch in batches(Discovery([str(p) for p in inputs], opts), opts.batch_size):
            batch = pipeline(batch, resources, opts)
            yield from batch.failures
            yield from batch.stage_errors
            yield from batch.articles
    finally:
        resources.close()


def realign(
    db: str | Path, topic: str | None = None, options: Options | None = None, **overrides: Any
) -> RunReport:
    """Align the claims of one topic (or of every topic) from scratch, as one run: what the
    incremental alignment of each run approximates. Claim ids are kept (a claim keeps the id
    of the one most of its sentences were in; the others are recorded as merged)."""
    with Session(db, options, **overrides) as session:
        if topic is None:
            topics = [t["topic_id"] for t in session.store.topics()]
        elif session.store.live_topic(topic) is None:
            raise OptionsError(f"no live topic {topic!r} in {db}")
        else:
            topics = [topic]
        session.writer.mark_realign(topics)
        return session.run([])


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
    """Write the events as csv, json, jsonl or geojson; the number written."""
    from sitroom.export.events import write_events

    with open_store(db) as store:
        return write_events(store, out, format, **filters)


def export_control(db: str | Path, out: IO[str], format: str = "csv") -> int:
    """Write the control of places as csv, json, jsonl or geojson; the number written."""
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
        elif isinstance(a, StageFailure) and a.kept:
            continue  # the article follows, without that stage's output, and is checked
        else:
            out.append({"article": a.path, "verdict": "error", "error": str(a), "evidence": [],
                        "score": 0.0})  # fmt: skip
    names = [f"{a.path}#{a.locator}" if a.locator else a.path for a in arts]
    pairs = [(n, a.reading) for n, a in zip(names, arts, strict=True)]
    try:
        verdicts: list[Any] = check_texts(claim, pairs)
    except (PipelineError, OptionsError):
        raise
    except Exception:  # one article's fault: find it, answer for the others
        verdicts = [_check_one(claim, pair) for pair in pairs]
    for a, v in zip(arts, verdicts, strict=True):
        if isinstance(v, StageFailure):
            v.path, v.locator, v.article_id = a.path, a.locator, a.id
            out.append({"article": v.path, "verdict": "error", "error": v.line(),
                        "evidence": [], "score": 0.0})  # fmt: skip
            continue
        to = a.reading_map.to_original
        out.append({
            "article": v.article, "outlet": a.outlet, "title": a.title, "verdict": v.verdict,
            "score": v.score,
            "evidence": [{"sentence": e.text, "start": to(e.start), "end": to(e.end - 1) + 1,
                          "relation": e.relation, "score": e.score} for e in v.evidence],
        })  # fmt: skip
    return out


def _check_one(claim: str, pair: tuple[str, str]) -> Any:
    from sitroom.claims import check as check_texts
    from sitroom.stages.base import failed

    try:
        return check_texts(claim, [pair])[0]
    except (PipelineError, OptionsError):
        raise
    except Exception as exc:
        f = failed(exc)
        return StageFailure("check", f.error, f.message, f.trace)


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
    on_error: Callable[[int, BaseException], None] | None = None,
    stop: Any = None,
    **overrides: Any,
) -> int:
    """Keep ingesting ``sources`` (folders, files, feed URLs) every ``interval`` seconds,
    placing new articles in stories as they come; returns the number of polls made.

    Stops after ``max_polls`` polls, when the ``threading.Event`` ``stop`` is set, or on
    Ctrl-C; ``on_poll(n, report)`` hears about each poll, ``on_error(n, exception)`` about
    a poll that failed as a whole (watching goes on).
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
        return watcher.run(max_polls, on_poll, on_error)
