"""Distil sitroom's static sentence embeddings from its own MiniLM (the model2vec method).

1. Teacher: every WordPiece token of MiniLM's vocabulary goes through the int8 ONNX model
   alone, as ``[CLS] token [SEP]``; the token's vector is the mean of the three output
   states (``--pool mid`` keeps the token's own state only). Cached under the temp folder.
2. Frequencies: every text of ../shared/data through the same tokenizer, counted per token
   id. Left out: acled-notes (its licence forbids deriving shipped data), the NeuS/AllSides
   validation and test splits (benchmarks/claims.py tunes and scores on them) and
   news_cluster (benchmarks/stories.py scores on it). Only these aggregate counts are used.
3. PCA of the token vectors (specials, [unused*] and never-seen rows left out of the fit)
   to ``--dim`` dimensions (centred: the component common to all tokens goes).
4. Weights: SIF, a / (a + p(token)) with p from the counts (``--weighting sif``, add-half
   smoothing), or model2vec's Zipf estimate from the vocabulary's rank order
   (``--weighting zipf``), or none. The weight is folded into the row.
5. Stored as int8 rows with one float16 scale per row (``sitroom/data/static_embed.npz``);
   specials, [UNK] and [unused*] rows are zero, so they add nothing to a sentence.

``--select`` first compares variants (pooling, dimension, weighting, SIF's a) by how well
their sentence cosines rank-agree with MiniLM's (Spearman) on sentences of the NeuS
*train* split (within-cluster and random pairs), and prints the table; the build itself
always uses the flags given (the defaults are the variant chosen that way).

    python benchmarks/distill_static.py [--dim 256] [--weighting sif] [--sif-a 1e-3]
                                        [--select] [--out sitroom/data/static_embed.npz]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import ROOT, table

CACHE = Path(tempfile.gettempdir()) / "sitroom-distill-static"
OUT = ROOT / "sitroom" / "data" / "static_embed.npz"
SPECIAL = re.compile(r"^\[(PAD|UNK|CLS|SEP|MASK|unused\d+)\]$")
LEFT_OUT = ("acled-notes/", "neus-allsides-mds/source/val/", "neus-allsides-mds/source/test/",
            "news-cluster-5w1h/news_cluster/")  # fmt: skip


def _key(path: Path) -> str:
    st = path.stat()
    return hashlib.sha1(f"{path}:{st.st_size}:{st.st_mtime_ns}".encode()).hexdigest()[:12]


def teacher_tokens(pool: str) -> np.ndarray:
    """(vocabulary x 384) float32: MiniLM's output for each token alone."""
    from sitroom.embed import _paths, embedder

    model, _tok = _paths()
    cache = CACHE / f"teacher-{_key(model)}.npy"
    if cache.is_file():
        hidden = np.load(cache)
    else:
        emb = embedder()
        n = emb.tokenizer.get_vocab_size()
        cls, sep = emb.tokenizer.token_to_id("[CLS]"), emb.tokenizer.token_to_id("[SEP]")
        hidden = np.zeros((n, 3, 384), dtype=np.float32)
        t0 = time.perf_counter()
        for lo in range(0, n, 512):
            ids = np.array([[cls, i, sep] for i in range(lo, min(lo + 512, n))], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
            if "token_type_ids" in emb.inputs:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden[lo : lo + len(ids)] = emb.session.run(None, feeds)[0]
        print(f"teacher: {n} tokens through MiniLM in {time.perf_counter() - t0:.0f} s")
        CACHE.mkdir(parents=True, exist_ok=True)
        np.save(cache, hidden)
    out: np.ndarray = hidden.mean(axis=1) if pool == "mean" else hidden[:, 1]
    return out.astype(np.float32)


def _texts() -> list[str]:
    from benchmarks.corpora import CORPORA, all_articles

    names = [c for c in CORPORA if c != "acled-notes"]
    texts = []
    for rec in all_articles(names):
        if rec["doc_id"].startswith(LEFT_OUT) or "text" not in rec:
            continue  # the Scrapinghub pages are HTML: their markup would skew the counts
        texts.append(f"{rec.get('title') or ''}\n{rec['text']}")
    return texts


def token_counts(tokenizer: Any) -> np.ndarray:
    """Occurrences of each token id over the news texts (see the module's doc)."""
    cache = CACHE / "counts.npy"
    if cache.is_file():
        return np.load(cache)  # type: ignore[no-any-return]
    texts = _texts()
    counts = np.zeros(tokenizer.get_vocab_size(), dtype=np.int64)
    for lo in range(0, len(texts), 1000):
        for e in tokenizer.encode_batch(texts[lo : lo + 1000], add_special_tokens=False):
            counts += np.bincount(np.asarray(e.ids, dtype=np.int64), minlength=len(counts))
    print(f"frequencies: {len(texts)} texts, {int(counts.sum())} tokens, "
          f"{int((counts > 0).sum())} distinct")  # fmt: skip
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(cache, counts)
    return counts


def _tokenizer() -> Any:
    from tokenizers import Tokenizer

    from sitroom.embed import _paths

    tok = Tokenizer.from_file(str(_paths()[1]))
    tok.no_truncation()
    tok.no_padding()
    return tok


def build(
    teacher: np.ndarray, counts: np.ndarray, vocab: list[str], dim: int, weighting: str, a: float
) -> tuple[np.ndarray, dict[str, Any]]:
    """The weighted, PCA-reduced token table (float32; zero rows for specials)."""
    special = np.array([bool(SPECIAL.match(t)) for t in vocab])
    fit = ~special & (counts > 0)
    mean = teacher[fit].mean(axis=0)
    _u, s, vt = np.linalg.svd(teacher[fit] - mean, full_matrices=False)
    explained = float((s[:dim] ** 2).sum() / (s**2).sum())
    table = (teacher - mean) @ vt[:dim].T
    if weighting == "sif":
        p = (counts + 0.5) / (counts.sum() + 0.5 * len(counts))
        w = a / (a + p)
    elif weighting == "zipf":  # model2vec: the vocabulary's order as a frequency rank
        p = 1.0 / np.arange(2, len(vocab) + 2)
        w = a / (a + p / p.sum())
    else:
        w = np.ones(len(vocab))
    table *= w[:, None]
    table[special] = 0.0
    info = {"dim": dim, "weighting": weighting, "sif_a": a, "pca_explained": explained}
    return table.astype(np.float32), info


def quantize(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 rows and one float16 scale per row (row = q * scale)."""
    peak = np.abs(table).max(axis=1)
    scale = (peak / 127.0).astype(np.float16)
    safe = np.where(scale > 0, scale.astype(np.float32), 1.0)
    q = np.clip(np.rint(table / safe[:, None]), -127, 127).astype(np.int8)
    return q, scale


def embed(table: np.ndarray, tokenizer: Any, texts: list[str], max_tokens: int) -> np.ndarray:
    """Sentence vectors from a float table: what sitroom.static_embed does at run time."""
    out = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
    for i, e in enumerate(tokenizer.encode_batch(texts, add_special_tokens=False)):
        ids = e.ids[:max_tokens]
        if ids:
            out[i] = table[ids].sum(axis=0)
    out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
    return out


# -- selection on NeuS train ------------------------------------------------------------------


def selection_set(lo: int = 0, hi: int = 400) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Sentences of NeuS *train* clusters ``lo:hi`` (sources and roundup), their cluster,
    and MiniLM's vectors for them (cached)."""
    from benchmarks.claims import _neus, _sentences
    from sitroom.embed import embedder

    sents: list[str] = []
    owner: list[int] = []
    for ci, (parts, roundup) in enumerate(_neus("train", hi)[lo:], lo):
        for text in [f"{t}. {a}" for t, a in parts] + [roundup]:
            for s in _sentences(text):
                sents.append(s)
                owner.append(ci)
    cache = CACHE / f"select-{hashlib.sha1(''.join(sents).encode()).hexdigest()[:12]}.npy"
    if cache.is_file():
        vecs = np.load(cache)
    else:
        t0 = time.perf_counter()
        vecs = embedder()(sents)
        print(f"{len(sents)} NeuS train sentences through MiniLM in "
              f"{time.perf_counter() - t0:.0f} s")  # fmt: skip
        CACHE.mkdir(parents=True, exist_ok=True)
        np.save(cache, vecs)
    return sents, np.array(owner), vecs


def pairs(owner: np.ndarray, n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Up to ``n`` random within-cluster pairs and ``n`` random cross-cluster pairs: (i, j,
    within)."""
    rng = np.random.default_rng(seed)
    by: dict[int, list[int]] = {}
    for k, c in enumerate(owner.tolist()):
        by.setdefault(c, []).append(k)
    within = [(i, j) for m in by.values() for x, i in enumerate(m) for j in m[x + 1 :]]
    pick = rng.permutation(len(within))[:n]
    wi = np.array([within[k] for k in pick], dtype=np.int64).reshape(-1, 2)
    ci = rng.integers(0, len(owner), size=(n * 2, 2))
    ci = ci[owner[ci[:, 0]] != owner[ci[:, 1]]][:n]
    both = np.concatenate([wi, ci])
    flag = np.concatenate([np.ones(len(wi), bool), np.zeros(len(ci), bool)])
    return both[:, 0], both[:, 1], flag


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    rx = np.argsort(np.argsort(x)).astype(np.float64)
    ry = np.argsort(np.argsort(y)).astype(np.float64)
    return float(np.corrcoef(rx, ry)[0, 1])


def select(teachers: dict[str, np.ndarray], counts: np.ndarray, vocab: list[str]) -> None:
    tok = _tokenizer()
    sents, owner, ref = selection_set()
    i, j, within = pairs(owner, 25000)
    ref_cos = (ref[i] * ref[j]).sum(axis=1)
    variants = [("mean", 256, "none", 0.0), ("mid", 256, "none", 0.0)]
    for pool in ("mean", "mid"):
        for a in (1e-4, 3e-4, 1e-3, 3e-3, 1e-2):
            variants.append((pool, 256, "sif", a))
        variants.append((pool, 256, "zipf", 1e-4))
    for dim in (64, 128, 384):
        variants.append(("mean", dim, "sif", 1e-3))
    rows = []
    for pool, dim, weighting, a in variants:
        tab, info = build(teachers[pool], counts, vocab, dim, weighting, a)
        vec = embed(tab, tok, sents, 94)
        cos = (vec[i] * vec[j]).sum(axis=1)
        rows.append([pool, dim, weighting, f"{a:g}", info["pca_explained"], spearman(cos, ref_cos),
                     spearman(cos[within], ref_cos[within])])  # fmt: skip
    print(f"selection: {len(sents)} sentences of 400 NeuS train clusters, {int(within.sum())} "
          f"within-cluster + {int((~within).sum())} cross-cluster pairs; Spearman of the "
          "pair cosines with MiniLM's")  # fmt: skip
    print(table(rows, ["pool", "dim", "weighting", "a", "PCA var", "rho all", "rho within"]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dim", type=int, default=256)
    ap.add_argument("--pool", choices=("mean", "mid"), default="mid")
    ap.add_argument("--weighting", choices=("sif", "zipf", "none"), default="sif")
    ap.add_argument("--sif-a", type=float, default=3e-4)
    ap.add_argument("--select", action="store_true", help="compare variants on NeuS train first")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    tok = _tokenizer()
    vocab = [t for t, _ in sorted(tok.get_vocab().items(), key=lambda kv: kv[1])]
    counts = token_counts(tok)
    teachers = {p: teacher_tokens(p) for p in ("mean", "mid")}
    if args.select:
        select(teachers, counts, vocab)
    tab, info = build(teachers[args.pool], counts, vocab, args.dim, args.weighting, args.sif_a)
    q, scale = quantize(tab)
    err = np.abs(q.astype(np.float32) * scale.astype(np.float32)[:, None] - tab).max()
    meta = {**info, "pool": args.pool, "vocab": len(vocab), "teacher": "all-MiniLM-L6-v2 int8",
            "tokens_counted": int(counts.sum())}  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, vectors=q, scales=scale, meta=np.array(json.dumps(meta)))
    print(f"wrote {args.out}: {len(vocab)} x {args.dim} int8 + float16 scales, "
          f"{args.out.stat().st_size / 1e6:.1f} MB; {args.pool} pooling, {args.weighting} "
          f"weights (a={args.sif_a:g}), PCA keeps {info['pca_explained']:.1%} of the variance, "
          f"largest quantisation error {err:.4f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
