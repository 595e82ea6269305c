"""The online clusterer on synthetic vectors: joins, new clusters, copies, time, place, merges,
and its state surviving a save and a load."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from sitroom.cluster.assign import StoryAssigner
from sitroom.cluster.online import Item, OnlineClusterer, Params
from sitroom.cluster.state import cluster_from_row, cluster_row, index_version, load, save_index
from sitroom.embed import DIM

RNG = np.random.default_rng(7)
DAY = dt.date(2021, 8, 13)


def unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


def topic_vec() -> np.ndarray:
    return unit(RNG.normal(size=DIM))


def near(base: np.ndarray, noise: float = 0.3) -> np.ndarray:
    return unit(base + noise * unit(RNG.normal(size=DIM)))


def item(i: str, vec: np.ndarray, **kw: object) -> Item:
    kw.setdefault("when", DAY)
    return Item(i, vec, frozenset(kw.pop("keys", ())), **kw)  # type: ignore[arg-type]


def test_similar_items_join_and_different_ones_start_a_cluster() -> None:
    c = OnlineClusterer(Params())
    a, b = topic_vec(), topic_vec()
    first, _, how = c.assign(item("a1", near(a)), "A")
    assert how == "new" and first.id == "A"
    joined, score, how = c.assign(item("a2", near(a)), "X")
    assert how == "joined" and joined.id == "A" and score >= Params().join
    other, _, how = c.assign(item("b1", near(b)), "B")
    assert how == "new" and other.id == "B"
    assert c.clusters["A"].n == 2 and c.clusters["B"].n == 1


def test_a_copy_joins_its_original_even_when_the_text_drifts() -> None:
    c = OnlineClusterer(Params())
    c.assign(item("w1", topic_vec(), copy_group="g1"), "A")
    placed, _, how = c.assign(item("w2", topic_vec(), copy_group="g1"), "B")
    assert how == "copy" and placed.id == "A"
    assert c.clusters["A"].sources == 1  # one copy group: one independent source


def test_independent_sources_count_copy_groups_once() -> None:
    c = OnlineClusterer(Params())
    base = topic_vec()
    c.assign(item("x1", near(base, 0.1), copy_group="g1"), "A")
    c.assign(item("x2", near(base, 0.1), copy_group="g1"), "B")
    c.assign(item("x3", near(base, 0.1), copy_group="g2"), "C")
    assert c.clusters["A"].n == 3 and c.clusters["A"].sources == 2


def test_a_story_fades_with_time() -> None:
    p = Params(join=0.75, time_weight=0.1, max_time_penalty=0.3)
    base = topic_vec()
    c = OnlineClusterer(p)
    c.assign(item("t1", near(base, 0.2), when=DAY), "A")
    _, same_day, _ = c.assign(item("t2", near(base, 0.2), when=DAY), "B")
    c2 = OnlineClusterer(p)
    c2.assign(item("t1", near(base, 0.2), when=DAY), "A")
    _, late, how = c2.assign(item("t3", near(base, 0.2), when=DAY + dt.timedelta(days=60)), "C")
    assert late < same_day - 0.2
    assert how == "new"


def test_the_same_kind_of_event_in_another_place_is_another_story() -> None:
    base = topic_vec()
    c = OnlineClusterer(Params(join=0.8, focus_penalty=0.3))
    c.assign(item("k1", near(base, 0.25), focus=frozenset({"g:1"})), "A")
    placed, _, how = c.assign(item("g1", near(base, 0.25), focus=frozenset({"g:2"})), "B")
    assert how == "new" and placed.id == "B"
    placed, _, how = c.assign(item("k2", near(base, 0.25), focus=frozenset({"g:1"})), "C")
    assert how == "joined" and placed.id == "A"
    # an article that names no place can join either
    _, _, how = c.assign(item("n1", near(base, 0.25)), "D")
    assert how == "joined"


def test_shared_names_lift_a_borderline_article_over_the_bar() -> None:
    base = topic_vec()
    keys = {"e:ghani", "g:1138958"}
    v1, v2 = near(base, 0.9), near(base, 0.9)
    plain = OnlineClusterer(Params(entity_weight=0.0))
    plain.assign(item("a", v1, keys=keys), "A")
    s_plain = plain.score(item("b", v2, keys=keys), plain.clusters["A"])
    named = OnlineClusterer(Params(entity_weight=0.4))
    named.assign(item("a", v1, keys=keys), "A")
    s_named = named.score(item("b", v2, keys=keys), named.clusters["A"])
    assert abs(s_named - s_plain - 0.4) < 1e-6


def test_clusters_that_converge_merge_and_the_merge_is_recorded() -> None:
    base = topic_vec()
    c = OnlineClusterer(Params(join=0.99, entity_weight=0.0, merge=0.9))
    keys = {"e:x"}
    c.assign(item("m1", near(base, 0.2), keys=keys), "A")
    c.assign(item("m2", near(base, 0.2), keys=keys), "B")  # below the (high) join bar
    assert len([k for k in c.clusters.values() if k.merged_into is None]) == 2
    c.params = Params(join=0.5, entity_weight=0.0, merge=0.9)
    c.assign(item("m3", near(base, 0.2), keys=keys), "C")
    live = [k for k in c.clusters.values() if k.merged_into is None]
    assert len(live) == 1 and live[0].n == 3
    assert c.merges and c.merges[0][1] == live[0].id
    assert c.resolve("A") == c.resolve("B") == live[0].id
    changed, merges = c.take_changes()
    assert {k.id for k in changed} == {"A", "B"} and merges
    assert c.take_changes() == ([], [])


def test_state_survives_rows_and_the_index_file(tmp_path: Path) -> None:
    bases = [topic_vec() for _ in range(30)]
    c = OnlineClusterer(Params())
    for i, b in enumerate(bases):
        c.assign(item(f"i{i}", near(b, 0.2), keys={f"e:{i}"}, focus=frozenset({f"g:{i}"})), f"S{i}")
    rows = [cluster_row(k) for k in c.clusters.values()]
    back = cluster_from_row(rows[3])
    assert back.id == rows[3]["id"] and back.n == 1 and back.keys == c.clusters[back.id].keys
    path = tmp_path / "x.story-index.usearch"
    save_index(c, path, version=5)
    assert index_version(path) == 5
    probe = item("p", near(bases[17], 0.2))
    for version, idx_version in ((5, 5), (6, 5)):  # restored, then rebuilt (stale stamp)
        again = load("story", Params(), rows, {}, path, version, idx_version)
        placed, _, how = again.assign(probe, "new")
        assert how == "joined" and placed.id == "S17"


def test_a_damaged_index_file_is_rebuilt(tmp_path: Path) -> None:
    c = OnlineClusterer(Params())
    b = topic_vec()
    c.assign(item("d1", near(b, 0.2)), "S1")
    rows = [cluster_row(k) for k in c.clusters.values()]
    path = tmp_path / "bad.usearch"
    path.write_bytes(b"not an index at all")
    again = load("story", Params(), rows, {}, path, 1, 1)
    placed, _, how = again.assign(item("d2", near(b, 0.2)), "S2")
    assert how == "joined" and placed.id == "S1"


def test_a_new_story_gets_a_topic_and_later_articles_follow_it() -> None:
    a = StoryAssigner.empty()
    base = topic_vec()
    first = a.assign(item("0123456789abcdef", near(base, 0.2)))
    assert first.how == "new" and first.story_id == "s0123456789ab"
    assert first.topic_id == "t0123456789ab"
    second = a.assign(item("fedcba9876543210", near(base, 0.2)))
    assert second.how == "joined" and second.story_id == first.story_id
    assert second.topic_id == first.topic_id
    assert a.topics.clusters[first.topic_id].n == 2


def test_an_embedder_made_after_an_index_does_not_crash_the_process() -> None:
    import subprocess
    import sys

    code = (
        "import numpy as np\n"
        "from sitroom.cluster.online import new_index\n"
        "idx = new_index()\n"
        "idx.add(np.arange(4, dtype=np.uint64), np.random.rand(4, 384).astype(np.float32))\n"
        "from sitroom.embed import embedder\n"
        "print(embedder()(['hello']).shape)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "(1, 384)" in out.stdout, out.stderr[-500:]
