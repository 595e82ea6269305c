"""One options object: defaults <- config file <- flags, copied rather than mutated."""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from sitroom.errors import OptionsError

__all__ = ["Options"]


@dataclass(frozen=True)
class Options:
    """Every setting of a run. Build with :meth:`Options.load`, derive with :meth:`replace`."""

    # ingest
    year: int | None = None
    """Year for datelines that give only month and day, when the text gives no context."""
    date: dt.date | None = None
    """A reference date near which the batch was published (anchors weekday references)."""
    max_bytes: int = 10_000_000
    """Largest single article (file, JSONL line, fetched page) accepted, in bytes."""
    max_chars: int = 300_000
    """Longest article text accepted, in characters (of an HTML page: its text, not its markup).

    A news report is seldom above 50,000 characters and its longest forms (long reads, live
    pages, hearing transcripts) seldom above 200,000; what is longer is a dump or a book,
    refused at ingest before any costly stage. The language stages grow faster than the text
    (measured on a 2-core machine: 100,000 characters 36 s, 400,000 four minutes, 900,000
    fifteen minutes and 2.8 GB), so a longer limit is for a config file that means it."""
    fetch_timeout: float = 10.0
    fetch_workers: int = 4
    user_agent: str = "sitroom/0.1 (+https://github.com/sitroom/sitroom)"
    # pipeline
    batch_size: int = 200
    workers: int = 0
    """Processes for per-article work on big batches; 0 = one per CPU, 1 = in-process."""
    # dedup
    num_perm: int = 128
    lsh_bands: int = 32
    near_duplicate_jaccard: float = 0.6
    near_duplicate_containment: float = 0.8
    shingle_words: int = 5
    # output
    quiet: bool = False

    def replace(self, **changes: Any) -> Options:
        """A copy with ``changes`` applied and checked."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise OptionsError(f"unknown option(s): {', '.join(unknown)}")
        new = dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})
        new.check()
        return new

    def check(self) -> None:
        """Raise OptionsError on a value no run could use."""
        if self.workers < 0:
            raise OptionsError("workers must be >= 0 (0 = one per CPU)")
        if self.batch_size < 1:
            raise OptionsError("batch_size must be >= 1")
        if self.max_bytes < 1:
            raise OptionsError("max_bytes must be >= 1")
        if self.max_chars < 1:
            raise OptionsError("max_chars must be >= 1")
        if self.num_perm % self.lsh_bands:
            raise OptionsError("num_perm must be a multiple of lsh_bands")
        if self.year is not None and not 1800 <= self.year <= 2200:
            raise OptionsError(f"year out of range: {self.year}")
        for name in ("near_duplicate_jaccard", "near_duplicate_containment"):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise OptionsError(f"{name} must be in (0, 1]")

    @classmethod
    def load(cls, config: str | Path | None = None, **flags: Any) -> Options:
        """Defaults, then the ``[sitroom]`` table of a TOML config file, then flags."""
        opts = cls()
        if config is not None:
            opts = opts.replace(**_read_config(Path(config)))
        return opts.replace(**flags)


def _read_config(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OptionsError(f"{path}: config file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise OptionsError(f"{path}: not valid TOML ({exc})") from None
    table = data.get("sitroom", data)
    if not isinstance(table, dict):
        raise OptionsError(f"{path}: [sitroom] must be a table")
    out = dict(table)
    if isinstance(out.get("date"), str):
        try:
            out["date"] = dt.date.fromisoformat(out["date"])
        except ValueError:
            raise OptionsError(f"{path}: date must be YYYY-MM-DD") from None
    return out
