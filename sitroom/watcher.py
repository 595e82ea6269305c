"""``sitroom watch``: keep ingesting folders and feeds, placing new articles in stories live.

Each poll runs the pipeline over what is new: for a folder, the files that appeared or changed
since the last poll (and have not been written to for ``settle`` seconds, so a file still
being copied is not read half-way); for a feed URL, the feed, whose items already stored are
not fetched again. One session serves every poll, so models and the story index load once.
The story index is saved beside the store every ``save_every`` seconds and when watching
stops; a watcher killed in between loses nothing (the store has every committed batch and
the next run rebuilds the index from it).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sitroom.errors import OptionsError
from sitroom.inputs.feeds import is_url
from sitroom.session import RunReport, Session

__all__ = ["Watcher"]

OnPoll = Callable[[int, RunReport], None]
OnError = Callable[[int, BaseException], None]


@dataclass
class Watcher:
    """Polls ``sources`` (folders, files, feed URLs) into ``session``."""

    sources: Sequence[str]
    session: Session
    interval: float = 60.0
    settle: float = 1.0
    save_every: float = 600.0
    stop: threading.Event = field(default_factory=threading.Event)
    _seen: dict[str, tuple[int, int]] = field(default_factory=dict)
    _saved: float = field(default_factory=time.monotonic)
    _unsaved: bool = False
    errors: int = 0
    """Polls that failed as a whole."""

    def __post_init__(self) -> None:
        if self.interval < 0:
            raise OptionsError("interval must be >= 0 seconds")
        for src in self.sources:
            if not is_url(src) and not Path(src).exists():
                raise OptionsError(f"{src}: no such file or folder to watch")

    def new_inputs(self) -> list[str]:
        """What the next poll reads: changed local files, and every feed URL."""
        out: list[str] = []
        now = time.time()
        for src in self.sources:
            if is_url(src):
                out.append(src)
                continue
            for path in _files(Path(src)):
                try:
                    st = path.stat()
                except OSError:
                    continue  # gone since it was listed
                if now - st.st_mtime < self.settle:
                    continue  # still being written: next poll
                key = str(path)
                sig = (st.st_mtime_ns, st.st_size)
                if self._seen.get(key) != sig:
                    self._seen[key] = sig
                    out.append(key)
        return out

    def poll(self) -> RunReport:
        """One pass over the sources."""
        inputs = self.new_inputs()
        if not inputs:  # nothing new in the folders: no run to record
            rep = RunReport(self.session.db, 0, self.session.pipeline.names)
            rep.total_articles = self.session.store.count_articles()
            rep.total_stories, rep.total_topics = self.session.store.count_stories()
            return rep
        rep = self.session.run(inputs, finish=False)
        if rep.added:
            self._unsaved = True
        if self._unsaved and time.monotonic() - self._saved >= self.save_every:
            self.save()
        return rep

    def save(self) -> None:
        """Save the story index beside the store now."""
        self.session.finish()
        self._saved = time.monotonic()
        self._unsaved = False

    def run(
        self,
        max_polls: int | None = None,
        on_poll: OnPoll | None = None,
        on_error: OnError | None = None,
    ) -> int:
        """Poll until ``stop`` is set, ``max_polls`` polls are done or Ctrl-C; the number of
        polls made. The index is saved on the way out.

        A poll that fails as a whole (the store busy or unwritable, a disk full, a fault
        outside any article) is reported to ``on_error`` and the next poll goes on: faults
        on single articles never get here (they are recorded in the poll's report)."""
        polls = 0
        try:
            for n in self._ticks(max_polls):
                polls = n
                try:
                    rep = self.poll()
                except Exception as exc:
                    self.errors += 1
                    if on_error:
                        on_error(n, exc)
                    continue
                if on_poll:
                    on_poll(n, rep)
        except KeyboardInterrupt:
            pass
        finally:
            if self._unsaved:
                self.save()
        return polls

    def _ticks(self, max_polls: int | None) -> Iterator[int]:
        n = 0
        while not self.stop.is_set():
            n += 1
            started = time.monotonic()
            yield n
            if max_polls is not None and n >= max_polls:
                return
            self.stop.wait(max(0.0, self.interval - (time.monotonic() - started)))


def _files(root: Path) -> Iterator[Path]:
    if root.is_file():
        yield root
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for f in sorted(filenames):
            if not f.startswith(".") and not f.endswith((".tmp", ".part", ".crdownload")):
                yield Path(dirpath) / f
