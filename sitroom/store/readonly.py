"""The store opened read-only: for readers in other threads or processes (the web server,
the story and topic stages' workers), which can never write to it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sitroom.errors import StoreError
from sitroom.store.migrations import MIGRATIONS
from sitroom.store.store import Store

__all__ = ["ReadOnlyStore"]


class ReadOnlyStore(Store):
    """A store opened with SQLite's ``mode=ro`` (no migrations: it must be up to date)."""

    def __init__(self, path: str | Path) -> None:  # no super(): it would migrate (write)
        self.path = Path(path)
        if not self.path.is_file():
            raise StoreError(f"{path}: no such store (run `sitroom run ... --db {path}` first)")
        uri = f"{self.path.resolve().as_uri()}?mode=ro"
        try:
            self.db = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30,
                                      check_same_thread=False)  # fmt: skip
            self.db.row_factory = sqlite3.Row
            done = {r[0] for r in self.db.execute("SELECT name FROM migrations")}
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot open store read-only ({exc})") from None
        missing = [name for name, _ in MIGRATIONS if name not in done]
        if missing:
            raise StoreError(
                f"{self.path}: store predates this version (missing {', '.join(missing)}); "
                f"run `sitroom run --db {path}` once to migrate it"
            )
        self.migrations_applied = []
