"""Shared helpers: where ../shared/data is, and measuring time and peak memory."""

from __future__ import annotations

import multiprocessing as mp
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATA = SHARED / "data"


def need(path: Path) -> Path:
    """``path`` if present; otherwise exit with a clear message (benchmarks skip, not fail)."""
    if not path.exists():
        print(f"skipped: {path} is absent (the shared evaluation data is not on this machine)")
        sys.exit(0)
    return path


def _child(fn: Callable[[], Any], conn: Any) -> None:
    t0 = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - t0
    # the run's own process, or its largest worker process if one grew bigger
    peak_kb = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    conn.send((result, seconds, peak_kb / 1024))
    conn.close()


def measure(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """Run ``fn`` in a fresh child process: (its result, seconds, peak RSS in MiB)."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    p = ctx.Process(target=_child, args=(fn, child))
    p.start()
    result = parent.recv()
    p.join()
    return result  # type: ignore[no-any-return]


def table(rows: list[list[Any]], header: list[str]) -> str:
    cells = [header] + [[_fmt(c) for c in r] for r in rows]
    widths = [max(len(str(r[i])) for r in cells) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _fmt(c: Any) -> str:
    if isinstance(c, float):
        return f"{c:.3f}" if c < 10 else f"{c:.1f}"
    return str(c)
