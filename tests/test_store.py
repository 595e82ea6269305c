"""The SQLite store: numbered migrations recorded, one writer, atomic batches."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sitroom.errors import StoreError
from sitroom.model import Article, Batch, OffsetMap
from sitroom.store import Store, Writer
from sitroom.store.migrations import MIGRATIONS


def test_store_migrations_are_recorded_once(db: Path) -> None:
    with Store(db) as s:
        assert s.migrations_applied == [name for name, _ in MIGRATIONS]
    with Store(db) as s:
        assert s.migrations_applied == []
        rows = s.db.execute("SELECT id, name FROM migrations ORDER BY id").fetchall()
        assert [tuple(r) for r in rows] == [(i + 1, n) for i, (n, _) in enumerate(MIGRATIONS)]


def test_store_batch_is_all_or_nothing(db: Path) -> None:
    a = Article(path="a", id="a", raw="x", text="x", clean_text="x", offsets=OffsetMap())
    b = Article(path="b", id="b", raw="y", text="y", clean_text="y")
    b.raw_format = "pdf"  # type: ignore[assignment]  # violates the CHECK constraint
    with Store(db) as s:
        w = Writer(s)
        run = w.start_run(["in"], {})
        with pytest.raises(sqlite3.IntegrityError):
            w.write_batch(Batch(articles=[a, b]), run)
        assert s.count_articles() == 0
        assert w.write_batch(Batch(articles=[a]), run) == 1
        assert w.write_batch(Batch(articles=[a]), run) == 0  # same id: ignored


def test_store_open_existing_and_bad_files(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such store"):
        Store.open_existing(tmp_path / "absent.db")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="cannot open store"):
        Store(junk)


def test_store_open_existing_refuses_what_is_no_store(tmp_path: Path) -> None:
    from sitroom.errors import StoreError
    from sitroom.store import Store

    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    text = tmp_path / "notes.db"
    text.write_text("hello")
    other = tmp_path / "other.db"
    import sqlite3

    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE t (x)")
    for path, why in ((empty, "an empty file"), (text, "not an SQLite file"), (other, "")):
        with pytest.raises(StoreError, match="not a sitroom store") as exc:
            Store.open_existing(path)
        assert why in str(exc.value)
    assert empty.read_bytes() == b""  # a read command never writes to what it refuses
    with sqlite3.connect(other) as con:
        assert [r[0] for r in con.execute("SELECT name FROM sqlite_master")] == ["t"]
