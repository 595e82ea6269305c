"""SQLite storage: schema and migrations, the read side, and the single writer."""

from sitroom.store.store import Store
from sitroom.store.writer import Writer

__all__ = ["Store", "Writer"]
