"""The ``sitroom`` command: a thin layer over :mod:`sitroom.api`.

Exit codes (``sitroom.session.EXIT_CODES``): 0 every input landed; 1 some inputs could not be
read (the rest landed); 2 bad usage, options or store (nothing was done); 3 a stage failed on
some articles, stories or topics (recorded; the rest landed).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from sitroom import __version__, api
from sitroom.cli.claims import register as register_claims
from sitroom.cli.common import (
    DbOption,
    ListFormat,
    OutOption,
    TableFormat,
    emit_rows,
    fail,
    fail_path,
    write_out,
    write_parquet_out,
)
from sitroom.cli.events import register as register_events
from sitroom.cli.extract import register as register_extract
from sitroom.cli.site import register as register_site
from sitroom.cli.stories import register as register_stories
from sitroom.errors import SitroomError
from sitroom.export.parquet import write_dataset
from sitroom.options import Options

__all__ = ["app", "main"]

app = typer.Typer(
    name="sitroom",
    help="Turn many outlets' reports about a crisis into one verified, cited picture.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
export_app = typer.Typer(help="Export what the store holds.", no_args_is_help=True)
app.add_typer(export_app, name="export")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sitroom {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Turn many outlets' reports about a crisis into one verified, cited picture."""


@app.command("run")
def run_cmd(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Files, folders (recursive), globs, feed URLs, or - for standard input.",
            show_default=False,
        ),
    ],
    db: DbOption = Path("sitroom.db"),
    year: Annotated[
        int | None, typer.Option(help="Year for datelines without one, when the text has none.")
    ] = None,
    date: Annotated[
        str | None, typer.Option(help="YYYY-MM-DD near which the batch was published.")
    ] = None,
    config: Annotated[
        Path | None, typer.Option(help="TOML file with a [sitroom] table of options.")
    ] = None,
    batch_size: Annotated[int | None, typer.Option(help="Articles per transaction.")] = None,
    max_bytes: Annotated[
        int | None, typer.Option(help="Largest article accepted, in bytes (default 10 MB).")
    ] = None,
    max_chars: Annotated[
        int | None,
        typer.Option(help="Longest article text accepted, in characters (default 300,000)."),
    ] = None,
    workers: Annotated[
        int | None, typer.Option(help="Processes for big batches (0 = one per CPU, 1 = none).")
    ] = None,
    wait: Annotated[
        float,
        typer.Option(min=0, help="Seconds to wait for another run writing to the same store."),
    ] = 3600.0,
    engine: Annotated[
        Literal["local", "ray"],
        typer.Option(
            help="local (this process and its workers) or ray (Ray Data).", case_sensitive=False
        ),
    ] = "local",
    ray_address: Annotated[
        str | None,
        typer.Option(
            help="Join this Ray cluster (--engine ray); without it a local Ray starts "
            "with --workers CPUs, on loopback."
        ),
    ] = None,
    out_parquet: Annotated[
        Path | None,
        typer.Option(help="Also write every table as a Parquet dataset directory (DIR/TABLE/)."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary.")] = False,
) -> None:
    """Run the whole job into the store: ingest, clean, attribute, deduplicate, find places,
    times, stories, events, quotes and claims; then merge events per story, align claims
    across each touched topic and write the stories' cited briefs."""
    try:
        ref = dt.date.fromisoformat(date) if date else None
    except ValueError:
        typer.echo(f"error: --date must be YYYY-MM-DD, not {date!r}", err=True)
        raise typer.Exit(2) from None
    try:
        opts = Options.load(
            config,
            year=year,
            date=ref,
            batch_size=batch_size,
            max_bytes=max_bytes,
            max_chars=max_chars,
            workers=workers,
            quiet=quiet,
        )
        rep = _run_with_progress(inputs, db, opts, wait, engine, ray_address)
        tables = write_dataset(db, out_parquet) if out_parquet else {}
    except SitroomError as exc:
        raise fail(exc) from None
    except OSError as exc:
        raise fail_path(out_parquet or db, exc) from None
    for line in rep.problems():
        typer.echo(f"error: {line}", err=True)
    if not quiet:
        _summary(rep)
        if tables:
            rows = ", ".join(f"{n} {t}" for t, n in tables.items())
            typer.echo(f"parquet: {rows} in {out_parquet}/")
    raise typer.Exit(rep.exit_code)


def _notice(line: str) -> None:
    typer.echo(line, err=True)


def _run_with_progress(
    inputs: list[str], db: Path, opts: Options, wait: float, engine: str, address: str | None
) -> api.RunReport:
    if opts.quiet or not sys.stderr.isatty():
        return api.run(inputs, db, opts, lock_wait=wait, notice=_notice, engine=engine,
                       ray_address=address)  # fmt: skip
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task("reading", total=None)

        def tick(done: int, failed: int, where: str) -> None:
            bar.update(task, description=f"{done} articles, {failed} failed  {where[-50:]}")

        return api.run(inputs, db, opts, progress=tick, lock_wait=wait, notice=_notice,
                       engine=engine, ray_address=address)  # fmt: skip


def _summary(rep: api.RunReport) -> None:
    faults = f", {len(rep.stage_errors)} stage errors" if rep.stage_errors else ""
    typer.echo(
        f"{rep.added} articles added, {rep.skipped} already stored, "
        f"{len(rep.failures)} failed{faults} ({rep.seconds:.1f} s); "
        f"{rep.total_articles} articles in {rep.db}"
    )
    debris = [(k, v) for k, v in rep.removed.most_common() if k != "page-boilerplate"]
    if debris:
        typer.echo("removed: " + ", ".join(f"{v} {k}" for k, v in debris))
    if rep.copies:
        typer.echo(f"copies: {rep.copies} of the added articles repeat an earlier one")
    if rep.places or rep.times:
        body = rep.places.get("body", 0) + rep.places.get("dateline", 0)
        other = sum(rep.places.values()) - body
        typer.echo(
            f"places: {body} mentions in the news, {other} in headlines, captions and "
            f"credits; times: {rep.times} expressions"
        )
    if rep.stories:
        joined = rep.stories["joined"] + rep.stories["copy"]
        merged = f", {rep.merges} merged" if rep.merges else ""
        typer.echo(
            f"stories: {rep.stories['new']} new, {_n(joined, 'article')} joined a story"
            f"{merged}; {_n(rep.total_stories, 'story', 'stories')} in "
            f"{_n(rep.total_topics, 'topic')} (sitroom stories --db {rep.db})"
        )
    if rep.event_mentions:
        happened = rep.event_mentions["asserted"] + rep.event_mentions["announced"]
        other = sum(rep.event_mentions.values()) - happened
        typer.echo(
            f"events: {_n(happened, 'mention')} of what happened ({other} hedged, denied, "
            f"predicted or background); {_n(rep.total_events, 'event')} after merging by "
            f"story (sitroom events --db {rep.db})"
        )
    if rep.quotes:
        typer.echo(
            f"quotes: {_n(sum(rep.quotes.values()), 'quote')} ({rep.quotes['named']} by named "
            f"speakers, {rep.quotes['anonymous']} anonymous) (sitroom quotes --db {rep.db})"
        )
    if rep.claim_mentions or rep.claims:
        c = rep.claims
        typer.echo(
            f"claims: {_n(rep.claim_mentions, 'checkable sentence')}; {c['corroborated']} "
            f"corroborated, {c['single-source']} single-source, {c['contested']} contested "
            f"across outlets (sitroom claims --db {rep.db})"
        )
    if rep.briefs:
        typer.echo(f"briefs: {_n(rep.briefs, 'story brief')} written (sitroom brief --db {rep.db})")
    if rep.skipped_files:
        typer.echo(f"{len(rep.skipped_files)} files of unknown type passed over")
    rows = api.articles(rep.db)
    new = [r for r in rows if r.get("id")][-rep.added :] if rep.added else []
    if new:
        typer.echo(_table(new[:40]))
        if len(new) > 40:
            typer.echo(f"... and {len(new) - 40} more (sitroom articles --db {rep.db})")


def _table(rows: list[dict[str, object]]) -> str:
    cols = [("outlet", 18), ("published", 10), ("copies", 6), ("story_id", 13), ("title", 52)]
    lines = ["  ".join(name.ljust(w) for name, w in cols)]
    for r in rows:
        vals = []
        for name, w in cols:
            v = r.get(name)
            s = "unknown" if v is None and name in ("outlet", "published") else str(v or "")
            s = " ".join(s.split())
            vals.append((s[: w - 1] + "…" if len(s) > w else s).ljust(w))
        lines.append("  ".join(vals).rstrip())
    return "\n".join(lines)


@app.command("articles")
def articles_cmd(
    db: DbOption = Path("sitroom.db"),
    format: Annotated[ListFormat, typer.Option(help="table or jsonl.")] = "table",
) -> None:
    """List stored articles: outlet, date, copy group and title."""
    try:
        rows = api.articles(db)
    except SitroomError as exc:
        raise fail(exc) from None
    emit_rows(rows, format, _table, "articles")


@export_app.command("articles")
def export_articles_cmd(
    db: DbOption = Path("sitroom.db"),
    format: Annotated[TableFormat, typer.Option(help="jsonl, csv or parquet.")] = "jsonl",
    out: OutOption = None,
) -> None:
    """Export articles: ids, input path and line, outlet, date, copy group, clean text and
    removed spans."""
    if format == "parquet":
        write_parquet_out(db, "articles", out, "articles")
        return
    write_out(lambda fh: api.export_articles(db, fh, format), out, "articles", db)


def _export_mentions(what: str, db: Path, format: str, out: Path | None) -> None:
    if format == "parquet":
        write_parquet_out(db, what, out, what)
        return
    write_out(lambda fh: api.export_mentions(db, fh, what, format), out, what, db)


@export_app.command("places")
def export_places_cmd(
    db: DbOption = Path("sitroom.db"),
    format: Annotated[
        Literal["jsonl", "csv", "geojson", "parquet"],
        typer.Option(help="jsonl, csv, geojson or parquet."),
    ] = "jsonl",
    out: OutOption = None,
) -> None:
    """Export every place mention with its GeoNames place, role, and article."""
    _export_mentions("places", db, format, out)


@export_app.command("times")
def export_times_cmd(
    db: DbOption = Path("sitroom.db"),
    format: Annotated[TableFormat, typer.Option(help="jsonl, csv or parquet.")] = "jsonl",
    out: OutOption = None,
) -> None:
    """Export every time expression with its TimeML value, precision and article."""
    _export_mentions("times", db, format, out)


register_extract(app)
register_stories(app, export_app)
register_events(app, export_app)
register_claims(app, export_app)
register_site(app)


def main() -> None:
    app()


def _n(count: int, one: str, many: str | None = None) -> str:
    """'1 article', '2 articles'."""
    return f"{count} {one if count == 1 else (many or one + 's')}"
