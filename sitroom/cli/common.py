"""What every command module shares: the --db and --out options, the enumerated option values,
errors, exports written whole or not at all, cells."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Annotated, Any, Literal

import typer

from sitroom.errors import SitroomError

__all__ = [
    "DbOption",
    "Level",
    "ListFormat",
    "OutOption",
    "RecordFormat",
    "TableFormat",
    "cut",
    "emit_rows",
    "fail",
    "fail_path",
    "replacing",
    "write_out",
    "write_parquet_out",
]

DbOption = Annotated[Path, typer.Option("--db", help="The SQLite store file.")]
OutOption = Annotated[
    Path | None,
    typer.Option(help="Output file (default: stdout); replaced only once the export is whole."),
]
# the parser checks these: a value outside them is a usage error (exit 2) naming the choices
ListFormat = Literal["table", "jsonl"]
RecordFormat = Literal["jsonl", "csv"]
TableFormat = Literal["jsonl", "csv", "parquet"]
Level = Literal["article", "story", "topic"]


def fail(exc: SitroomError) -> typer.Exit:
    """Print the error's one line and exit with status 2."""
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(2)


def fail_path(path: Path, exc: OSError, doing: str = "write") -> typer.Exit:
    """One line naming ``path`` and what is wrong with it; exit with status 2."""
    if isinstance(exc, FileNotFoundError):
        reason = f"the folder {path.parent} does not exist"
    elif isinstance(exc, NotADirectoryError | FileExistsError):  # a file where a folder goes
        reason = f"{_not_a_folder(path)} is a file, not a folder"
    elif isinstance(exc, IsADirectoryError):
        reason = "it is a folder; give a file name"
    elif isinstance(exc, PermissionError):
        reason = "permission denied"
    else:
        reason = exc.strerror or str(exc)
    typer.echo(f"error: cannot {doing} {path}: {reason}", err=True)
    return typer.Exit(2)


def _not_a_folder(path: Path) -> Path:
    """The first part of ``path`` that exists and is not a folder."""
    for p in reversed(path.parents):
        if p.exists() and not p.is_dir():
            return p
    return path.parent


def cut(text: Any, width: int) -> str:
    """One line of at most ``width`` characters."""
    s = " ".join(str(text or "").split())
    return s if len(s) <= width else s[: width - 1] + "…"


@contextlib.contextmanager
def replacing(out: Path) -> Iterator[IO[str]]:
    """A text file that becomes ``out`` only if the block succeeds.

    1. ``out`` a device or pipe (``/dev/stdout``): written straight into;
    2. otherwise written beside it under a hidden temporary name, flushed to disk and renamed
       over it (keeping the old file's permissions); on any failure the temporary file goes
       and ``out`` (or its absence) stays as it was. A symlink's target is what is replaced.
    """
    target = Path(os.path.realpath(out))
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(out))
    if target.exists() and not target.is_file():
        with target.open("w", encoding="utf-8", newline="") as fh:
            yield fh
        return
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            shutil.copymode(target, tmp)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_out(
    write: Callable[[IO[str]], int], out: Path | None, what: str, db: Path | None = None
) -> None:
    """Run an export to ``out`` (stdout when None) and say how many ``what`` went to a file.
    The file is replaced only once the export is whole; a failed one leaves it as it was."""
    if out is None:
        try:
            write(sys.stdout)
        except SitroomError as exc:
            raise fail(exc) from None
        return
    if db is not None and _same_file(out, db):
        typer.echo(f"error: --out {out} is the store itself", err=True)
        raise typer.Exit(2)
    try:
        with replacing(out) as fh:
            n = write(fh)
    except SitroomError as exc:
        raise fail(exc) from None
    except OSError as exc:
        raise fail_path(out, exc) from None
    typer.echo(f"{n} {what} written to {out}", err=True)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


def emit_rows(
    rows: list[dict[str, Any]], format: str, table: Callable[[list[dict[str, Any]]], str], what: str
) -> None:
    """Print ``rows`` as JSON lines, or as ``table`` renders them and a count of ``what``."""
    if format == "jsonl":
        for r in rows:
            typer.echo(json.dumps(r, ensure_ascii=False))
        return
    if rows:
        typer.echo(table(rows))
    typer.echo(f"{len(rows)} {what}")


def write_parquet_out(
    db: Path, table: str, out: Path | None, what: str, level: str = "article"
) -> None:
    """Export ``table`` (``stories`` at ``level``) to the Parquet file ``out``, replaced only
    once whole; a binary format needs a file, never the terminal."""
    if out is None:
        typer.echo("error: --format parquet writes a file: give --out FILE", err=True)
        raise typer.Exit(2)
    if _same_file(out, db):
        typer.echo(f"error: --out {out} is the store itself", err=True)
        raise typer.Exit(2)
    from sitroom.api import open_store
    from sitroom.export.parquet import write_parquet

    try:
        with open_store(db) as store:
            n = write_parquet(store, table, out, level)
    except SitroomError as exc:
        raise fail(exc) from None
    except OSError as exc:
        raise fail_path(out, exc) from None
    typer.echo(f"{n} {what} written to {out}", err=True)
