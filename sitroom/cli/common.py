"""What every command module shares: the --db and --out options, errors, exports, cells."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from sitroom.errors import SitroomError

__all__ = ["DbOption", "OutOption", "cut", "emit_rows", "fail", "write_out"]

DbOption = Annotated[Path, typer.Option("--db", help="The SQLite store file.")]
OutOption = Annotated[Path | None, typer.Option(help="Output file (default: stdout).")]


def fail(exc: SitroomError) -> typer.Exit:
    """Print the error's one line and exit with status 2."""
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(2)


def cut(text: Any, width: int) -> str:
    """One line of at most ``width`` characters."""
    s = " ".join(str(text or "").split())
    return s if len(s) <= width else s[: width - 1] + "…"


def write_out(write: Callable[[IO[str]], int], out: Path | None, what: str) -> None:
    """Run an export to ``out`` (stdout when None); say how many ``what`` went to a file."""
    try:
        if out is None:
            write(sys.stdout)
        else:
            with out.open("w", encoding="utf-8", newline="") as fh:
                n = write(fh)
            typer.echo(f"{n} {what} written to {out}", err=True)
    except SitroomError as exc:
        raise fail(exc) from None


def emit_rows(
    rows: list[dict[str, Any]], format: str, table: Callable[[list[dict[str, Any]]], str], what: str
) -> None:
    """Print ``rows`` as JSON lines, or as ``table`` renders them and a count of ``what``."""
    if format == "jsonl":
        for r in rows:
            typer.echo(json.dumps(r, ensure_ascii=False))
        return
    if format != "table":
        typer.echo("error: --format must be table or jsonl", err=True)
        raise typer.Exit(2)
    if rows:
        typer.echo(table(rows))
    typer.echo(f"{len(rows)} {what}")
