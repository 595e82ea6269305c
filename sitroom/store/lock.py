"""The store's run lock: one writing run at a time, the next one waits (or gives up with one
clear line), and a killed run's lock goes with its process.

An exclusive ``flock`` on ``<store>.lock`` beside the store, holding the pid of the run that
has it. Readers (exports, pages, ``serve``) never take it: SQLite's WAL lets them read while
a run writes.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from sitroom.errors import StoreBusyError

__all__ = ["RunLock"]

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: runs are not serialised
    fcntl = None  # type: ignore[assignment]


class RunLock:
    """``with RunLock(db).hold(wait):`` — the store is this process's to write."""

    def __init__(self, db: str | Path) -> None:
        self.path = Path(f"{db}.lock")
        self._fd: int | None = None

    def acquire(self, wait: float, on_wait: Callable[[str], None] | None = None) -> None:
        """Take the lock, waiting up to ``wait`` seconds for a run that holds it."""
        if fcntl is None or self._fd is not None:
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _holder(fd)
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise StoreBusyError(
                        f"{self.path.with_suffix('')}: another sitroom run{holder} is writing "
                        f"to this store; waited {wait:.0f} s (try again when it ends)"
                    ) from None
                if on_wait and not told:
                    on_wait(f"waiting for another sitroom run{holder} to finish writing to "
                            f"{self.path.with_suffix('')}")  # fmt: skip
                    told = True
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is None or fcntl is None:
            return
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None


def _holder(fd: int) -> str:
    try:
        pid = os.pread(fd, 32, 0).decode().strip()
    except OSError:
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""
