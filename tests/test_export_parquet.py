"""Parquet out: every table with its Arrow schema, the same records as the JSON lines export,
a file written whole or not at all, and a run's Parquet dataset directory."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import sitroom
from sitroom.export.parquet import SCHEMAS, TABLES, write_dataset, write_parquet
from sitroom.store import Store

from .conftest import ROOT


def _jsonl(sample_store: Path, table: str) -> list[dict[str, object]]:
    out = io.StringIO()
    exports = {
        "articles": lambda: sitroom.export_articles(sample_store, out, "jsonl"),
        "places": lambda: sitroom.export_mentions(sample_store, out, "places", "jsonl"),
        "times": lambda: sitroom.export_mentions(sample_store, out, "times", "jsonl"),
        "stories": lambda: sitroom.export_stories(sample_store, out, "jsonl"),
        "claims": lambda: sitroom.export_claims(sample_store, out, "jsonl"),
        "quotes": lambda: sitroom.export_quotes(sample_store, out, "jsonl"),
    }
    exports[table]()
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.mark.parametrize("table", TABLES)
def test_export_parquet_every_table_typed_and_whole(
    sample_store: Path, tmp_path: Path, table: str
) -> None:
    path = tmp_path / f"{table}.parquet"
    with Store.open_existing(sample_store) as store:
        n = write_parquet(store, table, path)
    got = pq.read_table(path)
    assert got.schema.equals(SCHEMAS[table]) and got.num_rows == n
    if table == "events":
        assert n == len(sitroom.events(sample_store))
    elif table == "control":
        assert n == len(sitroom.control(sample_store))
    else:
        want = _jsonl(sample_store, table)
        assert n == len(want) > 0
        rows = got.to_pylist()
        key = next(k for k in ("id", "claim_id", "article_id") if k in want[0])
        assert [r[key] for r in rows] == [w[key] for w in want]
        if table == "claims":  # nested sides and sources stay nested, not JSON in a cell
            contested = [r for r in rows if r["status"] == "contested"]
            assert len(contested) == 3
            assert all(len(r["sides"]) >= 2 and r["sides"][0]["sources"] for r in contested)
        if table == "articles":
            assert rows[0]["removed"] and set(rows[0]["removed"][0]) == {
                "start", "end", "reason", "text"}  # fmt: skip


def test_export_parquet_stories_levels_and_cli(sample_store: Path, tmp_path: Path) -> None:
    for level, n in (("story", 4), ("topic", 1)):
        out = tmp_path / f"{level}.parquet"
        proc = subprocess.run(
            [sys.executable, "-m", "sitroom", "export", "stories", "--db", str(sample_store),
             "--format", "parquet", "--level", level, "--out", str(out)],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        table = pq.read_table(out)
        assert table.num_rows == n and table.schema.equals(SCHEMAS[f"stories.{level}"])
        outlets = table.column("outlets").to_pylist()[0]
        assert outlets and set(outlets[0]) == {"outlet", "articles"}
    # a binary format needs a file; the store itself is refused
    for args in ([], ["--out", str(sample_store)]):
        proc = subprocess.run(
            [sys.executable, "-m", "sitroom", "export", "events", "--db", str(sample_store),
             "--format", "parquet", *args], cwd=ROOT, capture_output=True, text=True,
            timeout=120,
        )  # fmt: skip
        assert proc.returncode == 2 and proc.stderr.startswith("error: ")


def test_export_parquet_a_failed_export_leaves_the_file(
    sample_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sitroom.export.parquet as parquet

    path = tmp_path / "claims.parquet"
    path.write_bytes(b"old")

    def broken(*a: object, **k: object) -> object:
        yield {"claim_id": "x"}
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(parquet, "records", broken)
    with Store.open_existing(sample_store) as store, pytest.raises(RuntimeError):
        write_parquet(store, "claims", path)
    assert path.read_bytes() == b"old" and list(tmp_path.iterdir()) == [path]


def test_export_parquet_dataset_directory(sample_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "pq"
    counts = write_dataset(sample_store, out)
    assert set(counts) == set(TABLES) and counts["articles"] == 17
    for table in TABLES:
        files = list((out / table).glob("*.parquet"))
        assert files and pq.read_table(out / table).num_rows == counts[table]
    again = write_dataset(sample_store, out)  # replaced whole, nothing left over
    assert again == counts and sorted(p.name for p in out.iterdir()) == sorted(TABLES)
