"""``sitroom stories``, ``sitroom export stories`` and ``sitroom watch``."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Annotated, Any

import typer

from sitroom import api
from sitroom.cli.common import (
    DbOption,
    Level,
    ListFormat,
    OutOption,
    TableFormat,
    cut,
    fail,
    write_out,
    write_parquet_out,
)
from sitroom.errors import SitroomError
from sitroom.options import Options

__all__ = ["register"]

LevelOpt = Annotated[
    Level, typer.Option(help="article (one row per article), story or topic (one row each).")
]


_PLURAL = {"story": "stories", "topic": "topics"}


def stories_table(stories: list[dict[str, Any]], articles: list[dict[str, Any]]) -> str:
    """Each story (latest first) and under it one row per article."""
    by_story: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in articles:
        by_story[a["story_id"]].append(a)
    lines = []
    for s in stories:
        span = s["first"] or "?"
        if s["last"] and s["last"] != s["first"]:
            span += f"..{s['last']}"
        lines.append(
            f"{s['story_id']}  {span}  {s['articles']} articles, {s['sources']} sources"
            f"  (topic {s['topic_id']})  {cut(s['label'], 70)}"
        )
        for a in by_story.get(s["story_id"], []):
            outlet = cut(a["outlet"] or "unknown", 18).ljust(18)
            copy = " copy" if a["how"] == "copy" else ""
            lines.append(
                f"  {a['article_id']}  {outlet}  {(a['published'] or 'unknown')[:10]:10}  "
                f"{cut(a['title'], 60)}{copy}"
            )
    return "\n".join(lines)


def register(app: typer.Typer, export_app: typer.Typer) -> None:
    @app.command("stories")
    def stories_cmd(
        db: DbOption = Path("sitroom.db"),
        level: LevelOpt = "article",
        format: Annotated[ListFormat, typer.Option(help="table or jsonl.")] = "table",
    ) -> None:
        """List stories with their articles (one row per article), or the stories or topics
        alone (--level story|topic)."""
        try:
            rows = api.stories(db, level)
            stories = api.stories(db, "story") if level == "article" else []
        except SitroomError as exc:
            raise fail(exc) from None
        if format == "jsonl":
            for r in rows:
                typer.echo(json.dumps(r, ensure_ascii=False))
            return
        if level == "article":
            typer.echo(stories_table(stories, rows))
            topics = {s["topic_id"] for s in stories}
            typer.echo(
                f"{len(rows)} articles in {len(stories)} stories, {len(topics)} "
                + ("topic" if len(topics) == 1 else "topics")
            )
            return
        for r in rows:
            ident = r.get("story_id") or r["topic_id"]
            span = f"{r['first'] or '?'}..{r['last'] or '?'}"
            extra = f"{r['stories']} stories, " if level == "topic" else ""
            typer.echo(
                f"{ident}  {span}  {extra}{r['articles']} articles, {r['sources']} sources  "
                f"{cut(r['label'], 70)}"
            )
        typer.echo(f"{len(rows)} {level if len(rows) == 1 else _PLURAL[level]}")

    @export_app.command("stories")
    def export_stories_cmd(
        db: DbOption = Path("sitroom.db"),
        format: Annotated[TableFormat, typer.Option(help="jsonl, csv or parquet.")] = "jsonl",
        level: LevelOpt = "article",
        out: OutOption = None,
    ) -> None:
        """Export each article's story and topic (article_id, story_id, story_label, topic_id,
        ...), or one row per story or topic (--level)."""
        if format == "parquet":
            write_parquet_out(db, "stories", out, "rows", level)
            return
        write_out(lambda fh: api.export_stories(db, fh, format, level), out, "rows", db)

    @app.command("watch")
    def watch_cmd(
        sources: Annotated[
            list[str],
            typer.Argument(help="Folders, files or feed URLs to keep reading.", show_default=False),
        ],
        db: DbOption = Path("sitroom.db"),
        interval: Annotated[float, typer.Option(min=0, help="Seconds between polls.")] = 60.0,
        max_polls: Annotated[
            int | None, typer.Option(min=1, help="Stop after this many polls (default: never).")
        ] = None,
        settle: Annotated[
            float,
            typer.Option(min=0, help="Seconds a file must go unchanged before it is read."),
        ] = 1.0,
        config: Annotated[
            Path | None, typer.Option(help="TOML file with a [sitroom] table of options.")
        ] = None,
        workers: Annotated[
            int | None, typer.Option(help="Processes for big batches (0 = one per CPU).")
        ] = None,
    ) -> None:
        """Keep ingesting new files and feed items, placing each article in a story as it
        comes (Ctrl-C stops)."""
        if db.is_dir():
            typer.echo(f"error: {db} is a folder, not a store file", err=True)
            raise typer.Exit(2)
        try:
            opts = Options.load(config, workers=workers, quiet=True)
            if db.exists():  # a bad store: its one line, not the announcement first
                api.open_store(db).close()
            typer.echo(
                f"watching {len(sources)} source(s) every {interval:g} s into {db} (Ctrl-C stops)",
                err=True,
            )
            api.watch(sources, db, opts, interval=interval, max_polls=max_polls,
                      settle=settle, on_poll=_print_poll, on_error=_print_poll_error)  # fmt: skip
        except SitroomError as exc:
            raise fail(exc) from None


def _print_poll_error(n: int, exc: BaseException) -> None:
    """A poll that failed as a whole: one line; watching goes on."""
    what = str(exc) if isinstance(exc, SitroomError) else f"{type(exc).__name__}: {exc}"
    typer.echo(f"error: poll {n} failed ({cut(what, 300)}); the next poll goes on", err=True)


def _print_poll(n: int, rep: api.RunReport) -> None:
    """A line for each poll that brought something (a quiet poll prints nothing)."""
    if not rep.added and not rep.failures and not rep.stage_errors:
        return
    for line in rep.problems():
        typer.echo(f"error: {line}", err=True)
    now = dt.datetime.now().strftime("%H:%M:%S")
    placed = rep.stories
    typer.echo(
        f"{now} poll {n}: {rep.added} added ({placed['new']} new stories, "
        f"{placed['joined'] + placed['copy']} joined), {len(rep.failures)} failed; "
        f"{rep.total_articles} articles in {rep.total_stories} stories",
    )
    for article_id, story_id, how, title in rep.placed:
        typer.echo(f"  + {story_id} {how:6} {article_id}  {cut(title, 70)}")
    if rep.added > len(rep.placed):
        typer.echo(f"  ... and {rep.added - len(rep.placed)} more")
    sys.stdout.flush()
