"""The Ray engine gives the store the local engine gives: the same articles, copy groups, story
partition, events and claim statuses, on the sample corpus and on real articles from
../shared/data, on a local Ray with 2 CPUs; a failing article is recorded, a re-run adds
nothing. (The 2,000-article comparison and the throughput: benchmarks/engines.py.)"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import sitroom
from sitroom.session import Session

from . import faulty
from .conftest import ROOT, SAMPLE, need_shared
from .test_purity import picture

ray = pytest.importorskip("ray", reason="the Ray engine needs pip install 'sitroom[ray]'")

# Ray's own deprecations (DataContext sets a deprecated field of its own when it is made)
pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:The minimum number of concurrent actors:UserWarning"),
]

REAL = 160  # real articles: enough for many stories, events and disputes, in CI's minutes
BATCH = 30  # the real articles' batch size: six batches


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    """One local Ray (2 CPUs) for the module: each Session joins it rather than start its own."""
    from sitroom.engines.ray import connect

    if not ray.is_initialized():
        connect(cpus=2)
    yield
    ray.shutdown()


def _ray_run(db: Path, inputs: list[Path], **kw: Any) -> sitroom.RunReport:
    with Session(db, engine="ray", workers=2, **kw) as s:
        return s.run(inputs)


def test_engine_ray_sample_equals_local_and_reruns_add_nothing(
    local_ray: None, sample_store: Path, tmp_path: Path
) -> None:
    db = tmp_path / "ray.db"
    rep = _ray_run(db, [SAMPLE])
    assert rep.ok and rep.added == 17 and rep.units["brief"] == 4
    want = picture(sample_store)
    got = picture(db)
    for key in want:
        assert got[key] == want[key], key
    again = _ray_run(db, [SAMPLE])
    assert (again.added, again.skipped) == (0, 17) and again.ok
    assert picture(db) == got


def test_engine_ray_a_failing_article_is_recorded_not_fatal(
    local_ray: None, tmp_path: Path, db: Path
) -> None:
    lines = [json.dumps({
        "title": f"Report {i}", "outlet": "Wire", "published": "2024-05-06",
        "text": f"Report number {i}: the river rose on Monday in district {i}."
                + (f" {faulty.MAP_MARK}" if i in (3, 11) else ""),
    }) for i in range(20)]  # fmt: skip
    src = tmp_path / "batch.jsonl"
    src.write_text("\n".join(lines), encoding="utf-8")
    rep = _ray_run(db, [src], stages=["ingest", "clean", "metadata", "faulty_map"], batch_size=6)
    assert rep.added == 20 and rep.exit_code == 3
    assert [(e.stage, e.locator, e.kept) for e in rep.stage_errors] == [
        ("faulty_map", "line 4", True), ("faulty_map", "line 12", True)]  # fmt: skip
    langs = {a["locator"]: a["language"] for a in sitroom.articles(db)}
    assert langs["line 4"] is None and sum(v == "xx" for v in langs.values()) == 18


def _real(folder: Path) -> list[Path]:
    """A couple of hundred real news articles, spread over the news corpora, as JSONL."""
    need_shared("data")
    import sys

    sys.path.insert(0, str(ROOT))
    from benchmarks import corpora
    from benchmarks.soak import spread

    news = ("news-cluster-5w1h", "neus-allsides-mds", "meantime-newsreader", "geoparsing")
    records = [
        r
        for r in corpora.all_articles(news)
        if len(r.get("text") or "") < 6000 and corpora.subset(r) != "neus-allsides-mds/source"
    ]  # whole reports
    return [p for p, _ in corpora.write_jsonl(spread(records, REAL), folder, per_file=40)]


def test_engine_ray_mapped_rows_put_back_in_the_runs_batches() -> None:
    """Ray's actors hand mapped rows back in any order (a Dataset keeps the DataContext it
    was made under, so a preserve_order set later never reached it: 500 real articles once
    gave one story another first article); the driver cuts the run's batches by position."""
    import random

    from sitroom.engines.ray import in_order

    n, size = 23, 5
    rows = [(p, bytes([p])) for p in range(n)]
    random.Random(7).shuffle(rows)
    rows.insert(4, rows[9])  # a row seen twice counts once
    got = [[b[0] for b in batch] for batch in in_order(iter(rows), n, size)]
    assert got == [list(range(i, min(i + size, n))) for i in range(0, n, size)]
    # a batch goes as soon as its rows are in, not at the end of the stream
    fed: list[int] = []

    def stream() -> Iterator[tuple[int, bytes]]:
        for p in (1, 0, 2, 4, 3, 7, 5, 6, 9, 8):
            fed.append(p)
            yield p, bytes([p])

    it = in_order(stream(), 10, 5)
    assert [b[0] for b in next(it)] == [0, 1, 2, 3, 4] and len(fed) == 5
    assert [b[0] for b in next(it)] == [5, 6, 7, 8, 9]
    # a place never filled: what is held goes last, in order
    assert [[b[0] for b in batch] for batch in in_order(iter([(2, b"\x02"), (0, b"\x00")]), 3, 2)
            ] == [[0, 2]]  # fmt: skip


def test_engine_ray_real_articles_equal_local(local_ray: None, tmp_path: Path) -> None:
    files = _real(tmp_path / "in")
    local_db, ray_db = tmp_path / "local.db", tmp_path / "ray.db"
    # several batches, so that the keyed steps cross batch boundaries (where an article out
    # of the run's order would change which story it starts or joins)
    local = sitroom.run(files, db=local_db, workers=2, batch_size=BATCH)
    remote = _ray_run(ray_db, files, batch_size=BATCH)
    assert local.added == remote.added >= REAL - 5
    assert [e.line() for e in remote.failures] == [e.line() for e in local.failures]
    want, got = picture(local_db), picture(ray_db)
    for key in want:
        assert got[key] == want[key], key
    assert len(want["stories"]) > 20 and want["events"] and want["claims"]
