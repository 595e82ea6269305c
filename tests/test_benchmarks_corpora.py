"""benchmarks/corpora.py: each reader's records have the right shape (where ../shared/data is),
and the writers lay records out as sitroom reads them back."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from itertools import islice
from pathlib import Path

import pytest

from benchmarks import corpora
from tests.conftest import need_shared

FIELDS = set(corpora.FIELDS)


def _check(rec: corpora.Record, corpus: str) -> None:
    assert set(rec) <= FIELDS, rec.keys()
    assert rec["corpus"] == corpus
    assert rec["doc_id"].startswith(f"{corpus}/")
    body = rec.get("text") or rec.get("html")
    assert isinstance(body, str) and body.strip()
    for key in ("title", "outlet", "url"):
        assert key not in rec or (isinstance(rec[key], str) and rec[key])
    if "published" in rec:
        assert dt.date.fromisoformat(rec["published"]).isoformat() == rec["published"]


@pytest.mark.parametrize("corpus", list(corpora.CORPORA))
def test_reader_shapes(corpus: str) -> None:
    need_shared("data", corpus)
    records = list(islice(corpora.CORPORA[corpus](), 300))
    assert records
    for rec in records:
        _check(rec, corpus)
    assert len({r["doc_id"] for r in records}) == len(records)


def test_scrapinghub_is_html_without_its_gold_body() -> None:
    need_shared("data", "article-extraction-scrapinghub")
    rec = next(corpora.scrapinghub())
    assert "html" in rec and "text" not in rec and rec["url"].startswith("http")


def test_dated_articles_in_date_order() -> None:
    need_shared("data")
    dated = corpora.dated_articles(["meantime-newsreader", "acled-notes"])
    assert len(dated) > 2000 and all(r.get("published") for r in dated)
    keys = [(r["published"], r["doc_id"]) for r in dated]
    assert keys == sorted(keys)


RECORDS = [
    {"text": "KABUL, Aug 13 (Reuters) - The Taliban took Kandahar.", "title": "Kandahar falls",
     "published": "2021-08-13", "corpus": "x", "doc_id": "x/a/1"},
    {"html": "<html><body><p>Herat fell on Friday.</p></body></html>", "corpus": "x",
     "doc_id": "x/b/2"},
    {"text": "lone \ud800 surrogate", "corpus": "x", "doc_id": "x/c/3"},
]  # fmt: skip


def test_write_jsonl_locators(tmp_path: Path) -> None:
    files = corpora.write_jsonl(RECORDS, tmp_path, per_file=2)
    assert [len(located) for _, located in files] == [2, 1]
    path, located = files[0]
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [loc for loc, _ in located] == ["line 1", "line 2"]
    assert json.loads(lines[1])["doc_id"] == "x/b/2"
    packed = corpora.write_jsonl(RECORDS, tmp_path / "gz", per_file=5, gz=True)
    with gzip.open(packed[0][0], "rt", encoding="utf-8") as fh:
        assert json.loads(fh.readlines()[2])["text"] == "lone \ud800 surrogate"


def test_write_files(tmp_path: Path) -> None:
    written = corpora.write_files(RECORDS, tmp_path)
    names = [p.name for p, _ in written]
    assert names == ["x_a_1.txt", "x_b_2.html", "x_c_3.txt"]
    assert written[0][0].read_text(encoding="utf-8").startswith("Kandahar falls\n\nKABUL")
