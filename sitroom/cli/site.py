"""``sitroom report`` (the static situation room) and ``sitroom serve`` (the same, live)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated

import typer

from sitroom import api
from sitroom.cli.common import DbOption, fail
from sitroom.errors import SitroomError

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    @app.command("report")
    def report_cmd(
        db: DbOption = Path("sitroom.db"),
        out: Annotated[Path, typer.Option(help="Folder for the static site.")] = Path("report"),
    ) -> None:
        """Write the situation room as a static site that works from file://: stories with
        filters, brief, map, timeline, control, events, claims, coverage, quotes, sources."""
        try:
            index = api.report(db, out)
        except SitroomError as exc:
            raise fail(exc) from None
        typer.echo(f"report written: {index}")

    @app.command("serve")
    def serve_cmd(
        db: DbOption = Path("sitroom.db"),
        host: Annotated[str, typer.Option(help="Address to bind (loopback by default).")] = (
            "127.0.0.1"
        ),
        port: Annotated[int, typer.Option(help="Port (0 picks a free one).")] = 8000,
    ) -> None:
        """Serve the situation room live over the store, opened read-only."""
        from sitroom.site.serve import make_server

        try:
            server = make_server(db, host, port)
        except SitroomError as exc:
            raise fail(exc) from None
        except OSError as exc:
            typer.echo(f"error: cannot listen on {host}:{port} ({exc.strerror})", err=True)
            raise typer.Exit(2) from None
        typer.echo(f"serving {db} read-only on http://{host}:{server.server_port}/ (Ctrl-C stops)")
        with server, contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
