"""Run the sample corpus into a store and SIGKILL this process at a chosen point (the crash
safety tests run it as a subprocess): ``python -m tests.killer POINT DB INPUT``."""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

import sitroom
from sitroom.store import Writer


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _after(name: str, nth: int) -> None:
    real = getattr(Writer, name)
    calls = [0]

    def wrapped(self: Writer, *args: Any, **kw: Any) -> Any:
        out = real(self, *args, **kw)
        calls[0] += 1
        if calls[0] >= nth:
            _die()
        return out

    setattr(Writer, name, wrapped)


def _inside(name: str) -> None:
    """Kill inside the method's transaction, before it commits."""
    real = getattr(Writer, name)

    class Dying:
        def __init__(self, tx: Any) -> None:
            self.tx = tx

        def __enter__(self) -> None:
            self.tx.__enter__()

        def __exit__(self, *a: Any) -> None:
            _die()  # everything written, nothing committed

    def wrapped(self: Writer, *args: Any, **kw: Any) -> Any:
        tx = self._tx
        self._tx = lambda: Dying(tx())  # type: ignore[method-assign]
        return real(self, *args, **kw)

    setattr(Writer, name, wrapped)


POINTS = {
    "second-batch": lambda: _after("write_batch", 2),
    "mid-batch": lambda: _inside("write_batch"),
    "story-events": lambda: _inside("write_story_events"),
    "topic-claims": lambda: _after("write_topic_update", 1),
    "brief": lambda: _inside("write_briefs"),
}

if __name__ == "__main__":
    point, db, src = sys.argv[1:4]
    POINTS[point]()
    sitroom.run([src], db=db, batch_size=5, workers=1)
    sys.exit(99)  # the kill point was never reached
