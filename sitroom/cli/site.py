"""``sitroom report`` (the static situation room) and ``sitroom serve`` (the same, live)."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from sitroom import api
from sitroom.cli.common import DbOption, fail, fail_path
from sitroom.errors import SitroomError

__all__ = ["build_report", "register"]


def register(app: typer.Typer) -> None:
    @app.command("report")
    def report_cmd(
        db: DbOption = Path("sitroom.db"),
        out: Annotated[Path, typer.Option(help="Folder for the static site.")] = Path("report"),
    ) -> None:
        """Write the situation room as a static site that works from file://: stories with
        filters, brief, map, timeline, control, events, claims, coverage, quotes, sources.
        The site is built aside and swapped in whole: a failed build leaves OUT as it was."""
        if out.exists() and not out.is_dir():
            typer.echo(f"error: --out {out} is a file; the report needs a folder", err=True)
            raise typer.Exit(2)
        if out.is_dir() and not _replaceable(out):
            typer.echo(
                f"error: --out {out} holds other files and no earlier report; give a new or "
                "empty folder, or the folder of an earlier report",
                err=True,
            )
            raise typer.Exit(2)
        try:
            index = build_report(db, out)
        except SitroomError as exc:
            raise fail(exc) from None
        except OSError as exc:
            raise fail_path(out, exc, "write the report to") from None
        except Exception as exc:  # a fault inside: one line, and the old site stays
            typer.echo(
                f"error: report not written, {out} left as it was "
                f"(internal error: {type(exc).__name__}: {exc})",
                err=True,
            )
            raise typer.Exit(3) from None
        typer.echo(f"report written: {index}")

    @app.command("serve")
    def serve_cmd(
        db: DbOption = Path("sitroom.db"),
        host: Annotated[str, typer.Option(help="Address to bind (loopback by default).")] = (
            "127.0.0.1"
        ),
        port: Annotated[
            int, typer.Option(min=0, max=65535, help="Port (0 picks a free one).")
        ] = 8000,
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


def build_report(db: Path, out: Path) -> Path:
    """Write the report into a new hidden folder, then swap it in for ``out``; the index.

    1. ``out`` absent: the new folder is renamed to it;
    2. ``out`` an earlier report, or empty: each entry of the new site (index.html, stories/,
       events/, articles/, exports/, assets/) replaces its namesake, index.html last; other
       files in ``out`` stay;
    (A folder that holds other things and no report is refused before: see ``_replaceable``.)
    """
    out = Path(os.path.abspath(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".building",
                                  dir=out if out.is_dir() else out.parent))  # fmt: skip
    try:
        mask = os.umask(0)
        os.umask(mask)
        build.chmod(0o777 & ~mask)  # mkdtemp's 0700 would hide the site from a web server
        api.report(db, build)
        _swap_in(build, out)
    finally:
        shutil.rmtree(build, ignore_errors=True)
    return out / "index.html"


def _replaceable(folder: Path) -> bool:
    """An earlier report, or a folder with nothing but hidden entries (.git, say)."""
    if (folder / "index.html").is_file() and (folder / "assets" / "site.js").is_file():
        return True
    return all(p.name.startswith(".") for p in folder.iterdir())


def _swap_in(build: Path, out: Path) -> None:
    if not out.exists():
        os.rename(build, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out))
    try:
        for new in sorted(build.iterdir(), key=lambda p: p.name == "index.html"):
            dest = out / new.name
            if dest.exists() or dest.is_symlink():
                os.rename(dest, old / new.name)
            os.rename(new, dest)
    finally:
        shutil.rmtree(old, ignore_errors=True)
