"""Stories: articles grouped into stories (and stories into topics), as they arrive.

(a) accuracy: B-cubed precision, recall, F1 and the adjusted Rand index against gold groups.
    - news_cluster (news-cluster-5w1h): 383 articles, 69 gold events (story level);
    - MEANTIME: 120 WikiNews articles in 4 topics (topic level; its articles span years);
    - AllSides (neus-allsides-mds raw_crawled): 506 stories told by 2-3 outlets each, the
      development set sitroom's settings were chosen on.
    Articles arrive in publication order, as they would in a feed. Baseline: TF-IDF over the
    full text + average-linkage agglomerative clustering, with the distance threshold that
    scores best on the same gold (an oracle; sitroom's settings never see the gold).
(b) scale: articles/s, per-article time and peak memory assigning 10k, 100k and 300k articles,
    made by recombining the real articles' features: each replica of a gold story gets its
    own rotation of the embedding space, its own key names, shifted dates and renamed
    outlets, so it is a new story with the real story's inner structure. p95 latency of one
    assignment when the index holds 100k stories.

    python benchmarks/stories.py [--corpus news_cluster,meantime,allsides] [--scale 10000,...]
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import json
import math
import pickle
import re
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import DATA, measure, need, table

NEWS_CLUSTER = DATA / "news-cluster-5w1h" / "Giveme5W1H" / "examples" / "datasets"
NEWS_CLUSTER = NEWS_CLUSTER / "news_cluster" / "data"
MEANTIME = DATA / "meantime-newsreader" / "data" / "meantime_newsreader_english_oct15"
MEANTIME = MEANTIME / "intra_cross-doc_annotation"
ALLSIDES = DATA / "neus-allsides-mds" / "data" / "raw_crawled"
ALLSIDES = ALLSIDES / "headline_11_2021-10-19_crawled_all.jsonl"
TARGET_F1 = 0.95  # B-cubed F1 on news_cluster
CACHE = Path(tempfile.gettempdir()) / "sitroom-bench-stories"


@dataclass
class Doc:
    id: str
    story: str  # gold group
    fields: dict[str, Any]  # title, text, outlet, url, published


# -- corpora ------------------------------------------------------------------------------


def news_cluster() -> list[Doc]:
    docs = []
    for path in sorted(need(NEWS_CLUSTER).glob("*.json")):
        d = json.loads(path.read_text(encoding="utf-8"))
        cluster = d["newsCluster"]
        if isinstance(cluster, str):
            cluster = ast.literal_eval(cluster)
        text = d.get("text") or ""
        published = (d.get("date_publish") or "")[:10] or None
        docs.append(Doc(path.stem, str(cluster["EventId"]), {
            "title": d.get("title"), "text": text, "url": d.get("url"),
            "outlet": d.get("source_domain"), "published": published,
        }))  # fmt: skip
    return docs


_NO_SPACE_BEFORE = re.compile(r"^(?:[,.;:!?%)\]}]|'s|'|n't|'re|'ve|'ll|'d|'m)$")


def meantime() -> list[Doc]:
    docs = []
    for path in sorted(need(MEANTIME).glob("*/*.xml")):
        root = ET.parse(path).getroot()
        lines: dict[int, list[str]] = defaultdict(list)
        for tok in root.iter("token"):
            lines[int(tok.get("sentence", "0"))].append(tok.text or "")
        text_lines = []
        for _, words in sorted(lines.items()):
            s = ""
            for w in words:
                if s and not _NO_SPACE_BEFORE.match(w) and not s.endswith(("(", "$")):
                    s += " "
                s += w
            text_lines.append(s)
        dct = None
        for tx in root.iter("TIMEX3"):
            if tx.get("functionInDocument") == "CREATION_TIME":
                dct = (tx.get("value") or "")[:10] or None
        title = text_lines[0] if text_lines else ""
        body = "\n\n".join(text_lines[1:])
        topic = path.parent.name.removeprefix("corpus_")
        docs.append(Doc(path.stem, topic, {
            "title": title, "text": body, "outlet": "WikiNews", "published": dct,
        }))  # fmt: skip
    return docs


def allsides() -> list[Doc]:
    docs = []
    with need(ALLSIDES).open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            published = (d.get("date") or "")[:10] or None
            for side, n in sorted(d.get("news", {}).items()):
                body = "\n\n".join(n.get("newBody") or [])
                if not body.strip():
                    continue
                docs.append(Doc(f"{d['id']}-{side}", str(d["id"]), {
                    "title": n.get("newsTitle"), "text": body, "url": n.get("newsLink"),
                    "outlet": n.get("newsSource"), "published": published,
                }))  # fmt: skip
    return docs


CORPORA = {"news_cluster": news_cluster, "meantime": meantime, "allsides": allsides}
LEVEL = {"news_cluster": "story", "meantime": "topic", "allsides": "story"}


# -- features through sitroom's own pipeline ------------------------------------------------


@dataclass
class Features:
    ids: list[str]
    gold: list[str]
    texts: list[str]
    keys: list[frozenset[str]]
    focus: list[tuple[frozenset[str], float]]
    dates: list[dt.date | None]
    groups: list[str | None]
    outlets: list[str | None]
    titles: list[str]
    vecs: np.ndarray
    seconds: dict[str, float]


def features(corpus: str, use_cache: bool = False) -> Features:
    """Run sitroom's article stages over a corpus and compute the story features."""
    cache = CACHE / f"{corpus}.pkl"
    if use_cache and cache.is_file():
        return Features(**pickle.loads(cache.read_bytes()))
    from sitroom import api
    from sitroom.cluster.features import (
        article_date,
        article_focus,
        article_keys,
        article_text,
    )
    from sitroom.embed import embedder
    from sitroom.model import Article

    docs = CORPORA[corpus]()
    by_id = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{corpus}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for d in docs:
                fh.write(json.dumps(d.fields, ensure_ascii=False) + "\n")
        stages = ("ingest", "clean", "metadata", "dedup", "nlp", "places", "times")
        t0 = time.perf_counter()
        arts = [a for a in api.extract([path], stages, workers=1) if isinstance(a, Article)]
        t_pipe = time.perf_counter() - t0
    for a in arts:  # the line an article came from names its document
        by_id[docs[int(a.locator.split()[-1]) - 1].id] = a
    kept = [d for d in docs if d.id in by_id]
    arts = [by_id[d.id] for d in kept]
    t0 = time.perf_counter()
    texts = [article_text(a) for a in arts]
    keys = [article_keys(a) for a in arts]
    t_feat = time.perf_counter() - t0
    t0 = time.perf_counter()
    vecs = embedder()(texts)
    t_embed = time.perf_counter() - t0
    f = Features(
        ids=[d.id for d in kept],
        gold=[d.story for d in kept],
        texts=texts,
        keys=keys,
        focus=[article_focus(a) for a in arts],
        dates=[article_date(a) for a in arts],
        groups=[a.dedup.copy_group if a.dedup else None for a in arts],
        outlets=[a.outlet for a in arts],
        titles=[a.title or "" for a in arts],
        vecs=vecs,
        seconds={"pipeline": t_pipe, "features": t_feat, "embed": t_embed},
    )
    if use_cache:
        CACHE.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(pickle.dumps(dict(f.__dict__)))
    return f


# -- scores --------------------------------------------------------------------------------


def bcubed(gold: list[str], pred: list[str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 (Bagga and Baldwin, 1998)."""
    by_gold: dict[str, set[int]] = defaultdict(set)
    by_pred: dict[str, set[int]] = defaultdict(set)
    for i, (g, p) in enumerate(zip(gold, pred, strict=True)):
        by_gold[g].add(i)
        by_pred[p].add(i)
    prec = rec = 0.0
    for g, p in zip(gold, pred, strict=True):
        both = len(by_gold[g] & by_pred[p])
        prec += both / len(by_pred[p])
        rec += both / len(by_gold[g])
    n = len(gold)
    p, r = prec / n, rec / n
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def ari(gold: list[str], pred: list[str]) -> float:
    """Adjusted Rand index (Hubert and Arabie, 1985)."""
    pairs: Counter[tuple[str, str]] = Counter(zip(gold, pred, strict=True))
    a, b = Counter(gold), Counter(pred)

    def c2(n: int) -> float:
        return n * (n - 1) / 2

    index = sum(c2(n) for n in pairs.values())
    sa, sb = sum(c2(n) for n in a.values()), sum(c2(n) for n in b.values())
    expected = sa * sb / c2(len(gold)) if len(gold) > 1 else 0.0
    top = (sa + sb) / 2
    return (index - expected) / (top - expected) if top != expected else 1.0


def scores(gold: list[str], pred: list[str]) -> dict[str, float]:
    p, r, f = bcubed(gold, pred)
    return {"P": p, "R": r, "F1": f, "ARI": ari(gold, pred), "groups": float(len(set(pred)))}


# -- sitroom --------------------------------------------------------------------------------


def _order(f: Features) -> list[int]:
    """Publication order (unknown dates last), ties by id: a feed's order."""
    far = dt.date(9999, 1, 1)
    return sorted(range(len(f.ids)), key=lambda i: (f.dates[i] or far, f.ids[i]))


def sitroom(f: Features, level: str, story: Any = None, topic: Any = None) -> list[str]:
    """Story (or topic) of each article, assigned one by one in publication order."""
    from sitroom.cluster.assign import StoryAssigner
    from sitroom.cluster.online import Item

    assigner = StoryAssigner.empty(story, topic)
    out = [""] * len(f.ids)
    for i in _order(f):
        item = Item(f.ids[i], f.vecs[i], f.keys[i], f.dates[i], f.groups[i], f.outlets[i],
                    f.titles[i], *f.focus[i])  # fmt: skip
        out[i] = assigner.assign(item).story_id
    if level == "topic":
        return [assigner.topic_of_story(s) for s in out]
    return [assigner.resolve_story(s) for s in out]


# -- baseline: TF-IDF + agglomerative clustering with the oracle threshold -------------------

_TOKEN = re.compile(r"[^\W\d_]{2,}")


def tfidf(texts: list[str]) -> np.ndarray:
    docs = [Counter(w.lower() for w in _TOKEN.findall(t)) for t in texts]
    df: Counter[str] = Counter()
    for d in docs:
        df.update(d.keys())
    vocab = {w: i for i, w in enumerate(w for w, n in df.items() if n >= 1)}
    n = len(docs)
    m = np.zeros((n, len(vocab)), dtype=np.float32)
    for r, d in enumerate(docs):
        for w, c in d.items():
            m[r, vocab[w]] = (1 + math.log(c)) * math.log((1 + n) / (1 + df[w]) + 1)
    m /= np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)
    return m


def baseline(f: Features, full_texts: list[str]) -> tuple[dict[str, float], float]:
    """The oracle-threshold baseline's best scores and its threshold."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import pdist

    m = tfidf(full_texts)
    z = linkage(pdist(m, metric="cosine"), method="average")
    best: tuple[dict[str, float], float] = ({"F1": -1.0}, 0.0)
    for t in np.arange(0.05, 1.0, 0.025):
        pred = [str(x) for x in fcluster(z, t=t, criterion="distance")]
        s = scores(f.gold, pred)
        if s["F1"] > best[0]["F1"]:
            best = (s, float(t))
    return best


def full_texts(corpus: str, f: Features) -> list[str]:
    docs = {d.id: d for d in CORPORA[corpus]()}
    return [f"{docs[i].fields.get('title') or ''}\n{docs[i].fields.get('text') or ''}"
            for i in f.ids]  # fmt: skip


def within_days(f: Features, pred: list[str]) -> tuple[float, float, float]:
    """B-cubed P, R, F1 computed within each publication day, averaged over articles: the
    development score on AllSides, whose gold draws a new story every day."""
    by_day: dict[dt.date | None, list[int]] = defaultdict(list)
    for i, d in enumerate(f.dates):
        by_day[d].append(i)
    tp = tr = 0.0
    for idx in by_day.values():
        p, r, _ = bcubed([f.gold[i] for i in idx], [pred[i] for i in idx])
        tp += p * len(idx)
        tr += r * len(idx)
    p, r = tp / len(f.ids), tr / len(f.ids)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate(corpus: str, level: str | None = None) -> dict[str, float]:
    """sitroom's scores on one corpus (what the test suite's accuracy gate checks)."""
    f = features(corpus)
    lvl = level or LEVEL[corpus]
    return scores(f.gold, sitroom(f, lvl))


def accuracy(corpora: list[str], use_cache: bool) -> list[list[Any]]:
    rows = []
    for corpus in corpora:
        f = features(corpus, use_cache)
        level = LEVEL[corpus]
        t0 = time.perf_counter()
        pred = sitroom(f, level)
        t_cluster = time.perf_counter() - t0
        s = scores(f.gold, pred)
        n_gold = len(set(f.gold))
        rows.append(
            [
                corpus,
                level,
                "sitroom",
                len(f.ids),
                n_gold,
                int(s["groups"]),
                s["P"],
                s["R"],
                s["F1"],
                s["ARI"],
                f"{t_cluster * 1000 / len(f.ids):.2f} ms",
            ]
        )
        if corpus == "news_cluster":  # its gold events span weeks: between a story and a topic
            t = scores(f.gold, sitroom(f, "topic"))
            rows.append([corpus, "topic", "sitroom topics", len(f.ids), n_gold, int(t["groups"]),
                         t["P"], t["R"], t["F1"], t["ARI"], ""])  # fmt: skip
        if corpus == "allsides":
            p, r, f1 = within_days(f, pred)
            rows.append([corpus, "story", "sitroom, scored within each day", len(f.ids), n_gold,
                         "", p, r, f1, "", ""])  # fmt: skip
        b, thr = baseline(f, full_texts(corpus, f))
        rows.append([corpus, level, f"tfidf+agglo (oracle t={thr:.3f})", len(f.ids), n_gold,
                     int(b["groups"]), b["P"], b["R"], b["F1"], b["ARI"], ""])  # fmt: skip
    return rows


# -- scale ------------------------------------------------------------------------------------

REPLICA_DAYS = 5  # each replica of the real corpus is shifted this many days later


def _base(use_cache: bool) -> Features:
    """The real articles' features, all corpora together (gold groups kept apart)."""
    parts = [features(c, use_cache) for c in CORPORA]
    out = Features([], [], [], [], [], [], [], [], [], np.zeros((0, parts[0].vecs.shape[1])), {})
    for c, f in zip(CORPORA, parts, strict=True):
        out.ids += f.ids
        out.gold += [f"{c}:{g}" for g in f.gold]
        out.keys += f.keys
        out.focus += f.focus
        out.dates += f.dates
        out.groups += f.groups
        out.outlets += f.outlets
        out.titles += f.titles
        out.vecs = np.vstack([out.vecs, f.vecs]).astype(np.float32)
    return out


def recombined(base: Features, n: int, seed: int = 0) -> Iterator[Any]:
    """``n`` articles made from the real ones, in publication order. Replica ``r`` of the
    corpus turns the embedding space by its own signed permutation of the dimensions (inner
    products within the replica are kept, across replicas they are those of unrelated
    texts), renames keys, places, copy groups and outlets, and is dated ``r * 5`` days later."""
    from sitroom.cluster.online import Item

    rng = np.random.default_rng(seed)
    m = len(base.ids)
    replicas = -(-n // m)
    dim = base.vecs.shape[1]
    perms = [rng.permutation(dim) for _ in range(replicas)]
    signs = [rng.choice(np.array([-1.0, 1.0], dtype=np.float32), dim) for _ in range(replicas)]
    far = dt.date(2000, 1, 1)
    order = sorted(
        ((base.dates[i] or far) + dt.timedelta(days=REPLICA_DAYS * r), r, i)
        for r in range(replicas) for i in range(m)
    )[:n]  # fmt: skip
    for when, r, i in order:
        tag = f"#{r}"
        focus, sure = base.focus[i]
        group = base.groups[i]
        yield Item(
            id=f"{base.ids[i]}{tag}",
            vec=base.vecs[i][perms[r]] * signs[r],
            keys=frozenset(k + tag for k in base.keys[i]),
            when=when,
            copy_group=group + tag if group else None,
            outlet=f"{base.outlets[i]}{r % 40}",
            title=base.titles[i],
            focus=frozenset(k + tag for k in focus),
            focus_weight=sure,
        )


def _assign_stream(n: int, use_cache: bool) -> dict[str, float]:
    from sitroom.cluster.assign import StoryAssigner

    base = _base(use_cache)
    assigner = StoryAssigner.empty()
    lat = np.zeros(n, dtype=np.float64)
    t_start = time.perf_counter()
    for k, item in enumerate(recombined(base, n)):
        t0 = time.perf_counter()
        assigner.assign(item)
        lat[k] = time.perf_counter() - t0
    seconds = time.perf_counter() - t_start
    stories = sum(1 for c in assigner.stories.clusters.values() if c.merged_into is None)
    topics = sum(1 for c in assigner.topics.clusters.values() if c.merged_into is None)
    tail = lat[-min(n, 5000) :]  # the latest assignments: the index at its fullest
    return {"seconds": seconds, "assign_seconds": float(lat.sum()), "stories": stories,
            "topics": topics, "p50_ms": float(np.percentile(tail, 50) * 1000),
            "p95_ms": float(np.percentile(tail, 95) * 1000)}  # fmt: skip


def _latency_at(stories: int, use_cache: bool, probes: int = 2000) -> dict[str, float]:
    """p50/p95 of one assignment when the index already holds ``stories`` stories."""
    from sitroom.cluster.assign import StoryAssigner
    from sitroom.cluster.online import Cluster, OnlineClusterer
    from sitroom.cluster.state import cluster_row

    base = _base(use_cache)
    items = recombined(base, stories + probes, seed=1)
    clusters = []
    t0 = time.perf_counter()
    for key, item in enumerate(items):  # one story per article: the index holds ``stories``
        c = Cluster(f"s{key}", key, item.vec.copy())
        c.add(item)
        c.parent = "t0"
        clusters.append(c)
        if len(clusters) == stories:
            break
    assigner = StoryAssigner.empty()
    assigner.stories = OnlineClusterer(assigner.stories.params, clusters)
    topic = Cluster("t0", 0, base.vecs[0].copy(), n=1)
    assigner.topics = OnlineClusterer(assigner.topics.params, [topic])
    build = time.perf_counter() - t0
    lat = []
    for item in items:
        t = time.perf_counter()
        assigner.assign(item)
        lat.append(time.perf_counter() - t)
    _ = cluster_row
    return {"stories": float(stories), "build_seconds": build,
            "p50_ms": float(np.percentile(lat, 50) * 1000),
            "p95_ms": float(np.percentile(lat, 95) * 1000)}  # fmt: skip


def _agglomerative(n: int, use_cache: bool) -> dict[str, float]:
    """The baseline's cost on the same vectors: all pairwise distances, average linkage."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import pdist

    base = _base(use_cache)
    vecs = np.stack([it.vec for it in recombined(base, n)])
    t0 = time.perf_counter()
    fcluster(linkage(pdist(vecs, metric="cosine"), method="average"), t=0.5, criterion="distance")
    return {"seconds": time.perf_counter() - t0}


def scale(sizes: list[int], use_cache: bool) -> list[list[Any]]:
    _base(use_cache)  # features computed (and cached) once, outside the measured runs
    rows = []
    per_article = {}
    for n in sizes:
        res, _, peak = measure(lambda n=n: _assign_stream(n, True))  # type: ignore[misc]
        per_article[n] = res["assign_seconds"] / n
        rows.append(["sitroom (online, usearch)", n, int(res["stories"]), int(res["topics"]),
                     n / res["seconds"], res["assign_seconds"] * 1000 / n, res["p50_ms"],
                     res["p95_ms"], peak])  # fmt: skip
    small = [n for n in sizes if n <= 10_000]
    for n in small:
        res, _, peak = measure(lambda n=n: _agglomerative(n, True))  # type: ignore[misc]
        rows.append(["tfidf+agglo baseline cost (pdist+linkage)", n, "", "",
                     n / res["seconds"], res["seconds"] * 1000 / n, "", "", peak])  # fmt: skip
    if len(sizes) >= 2:
        a, b = sizes[0], sizes[-1]
        ratio = (per_article[b] * b) / (per_article[a] * a)
        print(f"time for {b:,} / time for {a:,} articles: {ratio:.2f} (x{b / a:g} articles)")
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default="news_cluster,meantime,allsides")
    ap.add_argument("--scale", default="10000,100000,300000")
    ap.add_argument("--cache", action="store_true", help="reuse features computed earlier")
    ap.add_argument("--latency-stories", type=int, default=100_000,
                    help="index size for the latency check (0: skip)")  # fmt: skip
    args = ap.parse_args(argv)
    corpora = [c for c in args.corpus.split(",") if c]
    if corpora:
        rows = accuracy(corpora, args.cache)
        print(table(rows, ["corpus", "level", "system", "articles", "gold", "found", "B3 P",
                           "B3 R", "B3 F1", "ARI", "per article"]))  # fmt: skip
    sizes = [int(x) for x in args.scale.split(",") if x]
    if sizes:
        print()
        rows = scale(sizes, args.cache or bool(corpora))
        print(table(rows, ["system", "articles", "stories", "topics", "articles/s",
                           "ms/article", "p50 ms", "p95 ms", "peak MiB"]))  # fmt: skip
    if args.latency_stories:
        res, _, peak = measure(lambda: _latency_at(args.latency_stories, True))
        print(f"\none assignment with {int(res['stories']):,} stories in the index: "
              f"p50 {res['p50_ms']:.2f} ms, p95 {res['p95_ms']:.2f} ms (target <= 50 ms); "
              f"index built in {res['build_seconds']:.1f} s; peak {peak:.0f} MiB")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
