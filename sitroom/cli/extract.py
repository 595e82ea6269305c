"""``sitroom places`` and ``sitroom times``: mentions of any text, without a store."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal

import typer

from sitroom import api
from sitroom.errors import InputError, SitroomError, StageFailure
from sitroom.model import Article
from sitroom.options import Options

__all__ = ["register"]

FilesArg = Annotated[
    list[str],
    typer.Argument(help="Files (any format run reads), folders, globs, or - for standard input.",
                   show_default=False),
]  # fmt: skip
FormatOpt = Annotated[
    Literal["jsonl", "table"], typer.Option(help="jsonl (one JSON object a line) or table.")
]

PLACE_FIELDS = ("text", "start", "end", "geonameid", "name", "latitude", "longitude",
                "country_code", "admin1", "admin2", "feature", "geo_precision", "score",
                "role")  # fmt: skip
TIME_FIELDS = ("text", "start", "end", "type", "value", "time_precision", "role")


def _emit(rows: list[dict[str, Any]], fields: tuple[str, ...], fmt: str) -> None:
    if fmt == "jsonl":
        for r in rows:
            typer.echo(json.dumps(r, ensure_ascii=False))
        return
    cols = ("file", *fields)
    widths = {c: min(28, max([len(c)] + [len(str(r.get(c, ""))) for r in rows])) for c in cols}
    typer.echo("  ".join(c.ljust(widths[c]) for c in cols))
    for r in rows:
        cells = []
        for c in cols:
            v = str(r.get(c, ""))
            cells.append((v if len(v) <= widths[c] else v[: widths[c] - 1] + "…").ljust(widths[c]))
        typer.echo("  ".join(cells).rstrip())


def _where(a: Article) -> dict[str, Any]:
    d: dict[str, Any] = {"file": a.path}
    if a.locator:
        d["locator"] = a.locator
    return d


def _run(files: list[str], stages: tuple[str, ...], fmt: str, opts: Options, what: str) -> int:
    """Print the mentions; the exit status (``sitroom.session.EXIT_CODES``): 0, 1 when some
    inputs could not be read, 3 when a stage failed on some articles."""
    codes = {0}
    rows: list[dict[str, Any]] = []
    try:
        for item in api.extract(files, stages, opts):
            if isinstance(item, InputError | StageFailure):
                typer.echo(f"error: {item.line()}", err=True)
                codes.add(1 if isinstance(item, InputError) else 3)
                continue
            for m in getattr(item, what):
                fields = PLACE_FIELDS if what == "places" else TIME_FIELDS
                row = {**_where(item), **{f: getattr(m, f) for f in fields}}
                if fmt == "jsonl":
                    typer.echo(json.dumps(row, ensure_ascii=False))
                else:
                    rows.append(row)
    except SitroomError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if fmt == "table":
        _emit(rows, PLACE_FIELDS if what == "places" else TIME_FIELDS, fmt)
    return max(codes)


def register(app: typer.Typer) -> None:
    @app.command("places")
    def places_cmd(
        files: FilesArg,
        format: FormatOpt = "jsonl",
        quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    ) -> None:
        """Place mentions resolved to GeoNames: one JSON line per mention (offsets into each
        input's own text)."""
        opts = Options(quiet=quiet)
        stages = ("ingest", "clean", "metadata", "nlp", "places")
        raise typer.Exit(_run(files, stages, format, opts, "places"))

    @app.command("times")
    def times_cmd(
        files: FilesArg,
        date: Annotated[
            str | None,
            typer.Option(help="YYYY-MM-DD: the reference date where an input has none."),
        ] = None,
        format: FormatOpt = "jsonl",
    ) -> None:
        """Time expressions normalised to TimeML against each article's own date (else
        --date): one JSON line per expression."""
        try:
            ref = dt.date.fromisoformat(date) if date else None
        except ValueError:
            typer.echo(f"error: --date must be YYYY-MM-DD, not {date!r}", err=True)
            raise typer.Exit(2) from None
        opts = Options(date=ref)
        stages = ("ingest", "clean", "metadata", "times")
        raise typer.Exit(_run(files, stages, format, opts, "times"))
