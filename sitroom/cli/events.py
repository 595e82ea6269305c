"""``sitroom events``, ``sitroom export events`` and ``sitroom export control``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO, Annotated, Any, Literal

import typer

from sitroom import api
from sitroom.cli.common import (
    DbOption,
    ListFormat,
    OutOption,
    cut,
    emit_rows,
    fail,
    write_out,
    write_parquet_out,
)
from sitroom.errors import SitroomError

__all__ = ["events_table", "register"]


def events_table(rows: list[dict[str, Any]]) -> str:
    """One line per event: date, type, actors, place, sources; the note under it."""
    lines = []
    for r in rows:
        where = r["location"] or "?"
        if r["admin1"] and r["admin1"] != r["location"]:
            where += f", {r['admin1']}"
        actors = r["actor1"] or "?"
        if r["actor2"]:
            actors += f" vs {r['actor2']}"
        fat = f"  {r['fatalities']} killed" if r["fatalities"] else ""
        lines.append(
            f"{r['event_date'] or '?':10} p{r['time_precision']}  "
            f"{cut(r['sub_event_type'], 36):36}  {cut(actors, 40):40}  {cut(where, 28):28}  "
            f"{len(r['outlets'])} outlets, {r['independent_sources']} sources{fat}"
        )
        lines.append(f"    {cut(r['notes'], 110)}  [{', '.join(r['outlets'])}]")
    return "\n".join(lines)


def register(app: typer.Typer, export_app: typer.Typer) -> None:
    @app.command("events")
    def events_cmd(
        db: DbOption = Path("sitroom.db"),
        type: Annotated[
            str | None, typer.Option("--type", help="Event type or sub-type contains.")
        ] = None,
        actor: Annotated[str | None, typer.Option(help="Actor 1 or 2 contains.")] = None,
        place: Annotated[
            str | None, typer.Option(help="Location, admin1/2 or country contains.")
        ] = None,
        since: Annotated[
            str | None, typer.Option(help="On or after this date (YYYY-MM-DD).")
        ] = None,
        until: Annotated[
            str | None, typer.Option(help="On or before this date (YYYY-MM-DD).")
        ] = None,
        story: Annotated[str | None, typer.Option(help="Only this story's events.")] = None,
        format: Annotated[ListFormat, typer.Option(help="table or jsonl.")] = "table",
    ) -> None:
        """List the events merged per story: date, ACLED type, actors, place, outlets."""
        try:
            rows = api.events(db, type=type, actor=actor, place=place, since=since,
                              until=until, story=story)  # fmt: skip
        except SitroomError as exc:
            raise fail(exc) from None
        emit_rows(rows, format, events_table, "events")

    @export_app.command("events")
    def export_events_cmd(
        db: DbOption = Path("sitroom.db"),
        format: Annotated[
            Literal["csv", "json", "jsonl", "geojson", "parquet"],
            typer.Option(help="csv, json, jsonl, geojson or parquet."),
        ] = "csv",
        out: OutOption = None,
    ) -> None:
        """Export events with ACLED's columns plus story_id, outlets, independent_sources and
        their sources (article, outlet, sentence, offsets). jsonl: one event a line, the json
        fields; geojson: a Point per located event (the others counted on stderr)."""
        if format == "parquet":
            write_parquet_out(db, "events", out, "events")
            return
        unlocated: list[dict[str, Any]] = []
        what = "located events" if format == "geojson" else "events"
        write_out(lambda fh: _export(db, fh, "events", format, unlocated), out, what, db)
        _say_unlocated(unlocated, "events", lambda r: r["location"] or "")

    @export_app.command("control")
    def export_control_cmd(
        db: DbOption = Path("sitroom.db"),
        format: Annotated[
            Literal["csv", "json", "jsonl", "geojson", "parquet"],
            typer.Option(help="csv, json, jsonl, geojson or parquet."),
        ] = "csv",
        out: OutOption = None,
    ) -> None:
        """Export who controls each place (or a site in it) since when, with sources.
        jsonl: one row a line, the json fields; geojson: a Point per row at its place's
        coordinates, the row's fields as properties (rows without coordinates named on
        stderr)."""
        if format == "parquet":
            write_parquet_out(db, "control", out, "rows")
            return
        unlocated: list[dict[str, Any]] = []
        what = "located rows" if format == "geojson" else "rows"
        write_out(lambda fh: _export(db, fh, "control", format, unlocated), out, what, db)
        _say_unlocated(unlocated, "rows", _control_name)


def _export(db: Path, fh: IO[str], what: str, format: str, unlocated: list[dict[str, Any]]) -> int:
    """Write ``what`` (events or control) in ``format``; geojson's unlocated rows collected."""
    from sitroom.export.events import write_control, write_events

    with api.open_store(db) as store:
        if what == "events":
            return write_events(store, fh, format, unlocated=unlocated)
        return write_control(store, fh, format, unlocated=unlocated)


def _control_name(r: dict[str, Any]) -> str:
    if not r["place"]:
        return ""
    return f"{r['place']} ({r['site']})" if r["site"] else str(r["place"])


def _say_unlocated(
    rows: list[dict[str, Any]], what: str, name: Callable[[dict[str, Any]], str]
) -> None:
    """One stderr line: how many rows GeoJSON left out for want of coordinates, and the
    places they name (when they name one)."""
    if not rows:
        return
    names = sorted({n for n in map(name, rows) if n})
    shown = ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
    noun = what if len(rows) != 1 else what.removesuffix("s")
    typer.echo(
        f"{len(rows)} {noun} without coordinates left out of the GeoJSON (the other formats "
        f"keep them){': ' + shown if shown else ''}",
        err=True,
    )
