"""Articles kept aside on disk between reading a run's input and processing it in order.

The local engine reads the whole input before it knows the run's order (``plan``); what it
read waits here, one compressed pickle per article in a temporary file that is gone when
the spool is closed, so memory holds the plan's entries, never the articles.
"""

from __future__ import annotations

import pickle
import tempfile
import zlib
from pathlib import Path
from typing import Any

__all__ = ["Spool"]


class Spool:
    """An append-only temporary file of objects, read back by their reference."""

    def __init__(self, folder: str | Path | None = None) -> None:
        self._fh = tempfile.TemporaryFile(prefix="sitroom-spool-", dir=folder)  # noqa: SIM115
        self._end = 0

    def put(self, obj: Any) -> tuple[int, int]:
        """Keep ``obj``; its reference (offset, length)."""
        data = zlib.compress(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL), 1)
        self._fh.seek(self._end)
        self._fh.write(data)
        ref = (self._end, len(data))
        self._end += len(data)
        return ref

    def get(self, ref: tuple[int, int]) -> Any:
        """The object kept under ``ref``."""
        offset, length = ref
        self._fh.seek(offset)
        return pickle.loads(zlib.decompress(self._fh.read(length)))

    @property
    def size(self) -> int:
        """Bytes written so far."""
        return self._end

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
