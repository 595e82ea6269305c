"""Distil sitroom's static sentence embeddings from its own MiniLM (the model2vec method,
then a tuning step on MiniLM's sentence vectors).

1. Teacher: every WordPiece token of MiniLM's vocabulary goes through the int8 ONNX model
   alone, as ``[CLS] token [SEP]``; the token's vector is its own output state (``--pool
   mid``, the default) or the mean of the three (``--pool mean``). Cached under the temp
   folder.
2. Frequencies: every text of ../shared/data through the same tokenizer, counted per token
   id. Left out: acled-notes (its licence forbids deriving shipped data), the NeuS/AllSides
   validation and test splits (benchmarks/claims.py tunes and scores on them) and
   news_cluster (benchmarks/stories.py scores on it). Only these aggregate counts are used.
3. Reduction to ``--dim`` axes of the centred token vectors (specials, [unused*] and
   never-seen rows left out of the fit): the tokens' own principal axes, or with fitting
   (step 5) the top axes of MiniLM's sentence vectors.
4. Weights: SIF, a / (a + p(token)) with p from the counts (``--weighting sif``, add-half
   smoothing), or model2vec's Zipf estimate from the vocabulary's rank order
   (``--weighting zipf``), or none. The weight is folded into the row.
5. Fitting (``--fit-epochs``, 0 to skip): MiniLM embeds the sentences of the NeuS/AllSides
   *train* clusters from 400 on (sources' title + lead and roundups, cut as
   benchmarks/claims.py cuts them) and, with ``--passages``, each source's title +
   lead whole (a story's text is one); cached. The rows and one shared bias are tuned so that
   each sentence's mean row plus the bias has the direction of MiniLM's vector on the same
   axes (cosine loss, Adam, numpy). The epoch whose pair cosines rank-agree best with
   MiniLM's on clusters 0-399 (held out) is kept.
6. Stored as int8 rows with one float16 scale per row, and the bias
   (``sitroom/data/static_embed.npz``); specials, [UNK] and [unused*] rows are zero.

``--select`` first compares untuned variants (teacher state, dimension, weighting, SIF's a)
by how well their sentence cosines rank-agree with MiniLM's (Spearman) on the held-out
clusters 0-399 (within-cluster and random pairs), and prints the table; the build itself
always uses the flags given (the defaults are the variant chosen that way).

    python benchmarks/distill_static.py [--dim 256] [--weighting sif] [--sif-a 3e-4]
                                        [--fit-epochs 4] [--select] [--out PATH]
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
HELD_OUT = 400  # NeuS train clusters 0-399 judge variants and epochs; the rest fit the rows
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
    teacher: np.ndarray,
    counts: np.ndarray,
    vocab: list[str],
    dim: int,
    weighting: str,
    a: float,
    basis: np.ndarray | None = None,
) -> tuple[np.ndarray, dict[str, Any]]:
    """The weighted, reduced token table (float32; zero rows for specials): the centred
    token vectors on the tokens' own top ``dim`` principal axes, or on ``basis`` (dim x 384)."""
    special = np.array([bool(SPECIAL.match(t)) for t in vocab])
    fit = ~special & (counts > 0)
    mean = teacher[fit].mean(axis=0)
    _u, s, vt = np.linalg.svd(teacher[fit] - mean, full_matrices=False)
    explained = float((s[:dim] ** 2).sum() / (s**2).sum())
    table = (teacher - mean) @ (vt[:dim] if basis is None else basis).T
    if basis is not None:  # the share of the tokens' variance those axes hold
        explained = float((table[fit] ** 2).sum() / ((teacher[fit] - mean) ** 2).sum())
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
    info = {"dim": dim, "weighting": weighting, "sif_a": a, "token_variance_kept": explained}
    return table.astype(np.float32), info


def quantize(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 rows and one float16 scale per row (row = q * scale)."""
    peak = np.abs(table).max(axis=1)
    scale = (peak / 127.0).astype(np.float16)
    safe = np.where(scale > 0, scale.astype(np.float32), 1.0)
    q = np.clip(np.rint(table / safe[:, None]), -127, 127).astype(np.int8)
    return q, scale


def token_ids(tokenizer: Any, texts: list[str], max_tokens: int = 94) -> list[np.ndarray]:
    """Each text's token ids as sitroom.static_embed reads them (no [CLS]/[SEP], cut)."""
    enc = tokenizer.encode_batch(texts, add_special_tokens=False)
    return [np.asarray(e.ids[:max_tokens], dtype=np.int64) for e in enc]


def pool(table: np.ndarray, ids: list[np.ndarray], bias: np.ndarray | None = None) -> np.ndarray:
    """Mean of each text's token rows, plus ``bias``, L2-normalised (zero for no token): what
    sitroom.static_embed does at run time."""
    lengths = np.array([len(x) for x in ids])
    out = np.zeros((len(ids), table.shape[1]), dtype=np.float32)
    full = np.nonzero(lengths)[0]
    if len(full):
        starts = np.concatenate(([0], np.cumsum(lengths[full])[:-1]))
        out[full] = np.add.reduceat(table[np.concatenate(ids)], starts, axis=0)
        out[full] /= lengths[full, None]
        if bias is not None:
            out[full] += bias
    out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
    return out


def fit(
    table: np.ndarray,
    ids: list[np.ndarray],
    target: np.ndarray,
    check: Any,
    epochs: int,
    lr: float,
    batch: int = 128,
) -> tuple[np.ndarray, np.ndarray]:
    """Tune the token rows and a bias so that each sentence's pooled vector points where
    MiniLM's does (cosine loss, Adam; rows updated only where their tokens occur, so a token
    absent from the fitting text keeps its distilled row). ``check(table, bias)`` scores
    held-out sentences after each epoch; the best epoch is kept."""
    rng = np.random.default_rng(0)
    tab = table.copy()
    bias = target.mean(axis=0).astype(np.float32)
    unit = target / np.linalg.norm(target, axis=1, keepdims=True)
    step_size = lr * float(np.abs(table[np.abs(table).sum(axis=1) > 0]).mean())
    m1, m2 = np.zeros_like(tab), np.zeros_like(tab)
    b_m1, b_m2 = np.zeros_like(bias), np.zeros_like(bias)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    keep = np.array([len(x) > 0 for x in ids])
    rows = np.nonzero(keep)[0]
    best = (check(tab, bias), tab.copy(), bias.copy())
    print(f"fit: {len(rows)} sentences, step {step_size:.3g}; held-out Spearman before: "
          f"{best[0]:.3f}")  # fmt: skip
    step = 0
    for epoch in range(epochs):
        t0 = time.perf_counter()
        loss = 0.0
        order = rng.permutation(rows)
        for lo in range(0, len(order), batch):
            b = order[lo : lo + batch]
            lengths = np.array([len(ids[k]) for k in b])
            flat = np.concatenate([ids[k] for k in b])
            starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
            y = np.add.reduceat(tab[flat], starts, axis=0) / lengths[:, None] + bias
            norm = np.linalg.norm(y, axis=1, keepdims=True)
            yh = y / norm
            cos = (yh * unit[b]).sum(axis=1, keepdims=True)
            loss += float((1 - cos).sum())
            dy = -(unit[b] - cos * yh) / norm / len(b)  # d(mean of 1 - cos)/dy
            uniq, inv = np.unique(flat, return_inverse=True)
            grad = np.zeros((len(uniq), tab.shape[1]), dtype=np.float64)
            np.add.at(grad, inv, np.repeat(dy / lengths[:, None], lengths, axis=0))
            step += 1
            c1, c2 = 1 - beta1**step, 1 - beta2**step
            m1[uniq] = beta1 * m1[uniq] + (1 - beta1) * grad
            m2[uniq] = beta2 * m2[uniq] + (1 - beta2) * grad**2
            tab[uniq] -= step_size * (m1[uniq] / c1) / (np.sqrt(m2[uniq] / c2) + eps)
            gb = dy.sum(axis=0)
            b_m1 = beta1 * b_m1 + (1 - beta1) * gb
            b_m2 = beta2 * b_m2 + (1 - beta2) * gb**2
            bias -= step_size * (b_m1 / c1) / (np.sqrt(b_m2 / c2) + eps)
        score = check(tab, bias)
        print(f"  epoch {epoch + 1}: loss {loss / len(order):.4f}, held-out Spearman "
              f"{score:.3f} ({time.perf_counter() - t0:.0f} s)")  # fmt: skip
        if score > best[0]:
            best = (score, tab.copy(), bias.copy())
    print(f"fit: kept the epoch with held-out Spearman {best[0]:.3f}")
    return best[1], best[2]


# -- selection on NeuS train ------------------------------------------------------------------


def selection_set(
    lo: int = 0, hi: int | None = 400, passages: bool = False
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Sentences of NeuS *train* clusters ``lo:hi`` (sources and roundup), their cluster,
    and MiniLM's vectors for them (cached); with ``passages``, each source's title + lead
    whole instead (what story clustering embeds)."""
    from benchmarks.claims import _neus, _sentences
    from sitroom.embed import embedder

    sents: list[str] = []
    owner: list[int] = []
    for ci, (parts, roundup) in enumerate(_neus("train", hi)[lo:], lo):
        if passages:
            sents += [f"{t}.\n{a}" for t, a in parts]
            owner += [ci] * len(parts)
            continue
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
        print(f"{len(sents)} NeuS train texts through MiniLM in "
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


class Check:
    """Spearman of static against MiniLM pair cosines on held-out sentences (NeuS train
    clusters 0-399): within-cluster and random cross-cluster pairs together."""

    def __init__(self, tokenizer: Any) -> None:
        sents, owner, ref = selection_set(0, HELD_OUT)
        self.sentences = len(sents)
        self.ids = token_ids(tokenizer, sents)
        self.i, self.j, self.within = pairs(owner, 25000)
        self.ref = (ref[self.i] * ref[self.j]).sum(axis=1)

    def scores(self, table: np.ndarray, bias: np.ndarray | None = None) -> tuple[float, float]:
        vec = pool(table, self.ids, bias)
        cos = (vec[self.i] * vec[self.j]).sum(axis=1)
        w = self.within
        return spearman(cos, self.ref), spearman(cos[w], self.ref[w])

    def __call__(self, table: np.ndarray, bias: np.ndarray | None = None) -> float:
        return self.scores(table, bias)[0]


def select(teachers: dict[str, np.ndarray], counts: np.ndarray, vocab: list[str]) -> None:
    check = Check(_tokenizer())
    variants = [("mean", 256, "none", 0.0), ("mid", 256, "none", 0.0)]
    for pooling in ("mean", "mid"):
        for a in (1e-4, 3e-4, 1e-3, 3e-3, 1e-2):
            variants.append((pooling, 256, "sif", a))
        variants.append((pooling, 256, "zipf", 1e-4))
    for dim in (64, 128, 384):
        variants.append(("mid", dim, "sif", 3e-4))
    rows = []
    for pooling, dim, weighting, a in variants:
        tab, info = build(teachers[pooling], counts, vocab, dim, weighting, a)
        rows.append([pooling, dim, weighting, f"{a:g}", info["token_variance_kept"],
                     *check.scores(tab)])  # fmt: skip
    print(f"selection: {check.sentences} sentences of NeuS train clusters 0-{HELD_OUT - 1}, "
          f"{int(check.within.sum())} within-cluster + {int((~check.within).sum())} "
          "cross-cluster pairs; Spearman of the pair cosines with MiniLM's")  # fmt: skip
    print(table(rows, ["pool", "dim", "weighting", "a", "PCA var", "rho all", "rho within"]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dim", type=int, default=256)
    ap.add_argument("--pool", choices=("mean", "mid"), default="mid")
    ap.add_argument("--weighting", choices=("sif", "zipf", "none"), default="sif")
    ap.add_argument("--sif-a", type=float, default=3e-4)
    ap.add_argument("--fit-epochs", type=int, default=4, help="0: the distilled table as is")
    ap.add_argument(
        "--passages",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="fit on each source's whole title + lead too (no gain measured on stories)",
    )
    ap.add_argument("--lr", type=float, default=0.3, help="Adam step, times the mean |row value|")
    ap.add_argument("--select", action="store_true", help="compare variants on NeuS train first")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    tok = _tokenizer()
    vocab = [t for t, _ in sorted(tok.get_vocab().items(), key=lambda kv: kv[1])]
    counts = token_counts(tok)
    teachers = {p: teacher_tokens(p) for p in ("mean", "mid")}
    if args.select:
        select(teachers, counts, vocab)
    bias = np.zeros(args.dim, dtype=np.float32)
    check = Check(tok)
    if args.fit_epochs:
        sents, _owner, target = selection_set(HELD_OUT, None)
        if args.passages:
            more, _owner, more_target = selection_set(HELD_OUT, None, passages=True)
            sents, target = sents + more, np.vstack([target, more_target])
        # the space: MiniLM's sentence vectors' own top axes (not centred: their common
        # direction is kept, and the bias learns it, so cosines keep MiniLM's scale)
        _u, sv, vt = np.linalg.svd(target, full_matrices=False)
        basis = vt[: args.dim]
        kept = float((sv[: args.dim] ** 2).sum() / (sv**2).sum())
        tab, info = build(teachers[args.pool], counts, vocab, args.dim, args.weighting,
                          args.sif_a, basis)  # fmt: skip
        ids = token_ids(tok, sents)
        goal = (target @ basis.T).astype(np.float32)
        # rows scaled so that a sentence's mean row is about as long as MiniLM's deviation
        # from its mean vector
        spread = np.median(np.linalg.norm(goal - goal.mean(axis=0), axis=1))
        tab *= spread / np.median(np.linalg.norm(_mean_rows(tab, ids), axis=1))
        print(f"fit: {len(sents)} texts of NeuS train clusters {HELD_OUT}+ "
              f"(MiniLM's vectors keep {kept:.1%} of their energy on {args.dim} axes)")  # fmt: skip
        tab, bias = fit(tab, ids, goal, check, args.fit_epochs, args.lr)
        info["fit"] = {
            "texts": len(sents),
            "passages": args.passages,
            "epochs": args.fit_epochs,
            "lr": args.lr,
        }
    else:
        tab, info = build(teachers[args.pool], counts, vocab, args.dim, args.weighting,
                          args.sif_a)  # fmt: skip
    rho_all, rho_within = check.scores(tab, bias)
    q, scale = quantize(tab)
    deq = q.astype(np.float32) * scale.astype(np.float32)[:, None]
    err = float(np.abs(deq - tab).max())
    rho_q = check.scores(deq, bias)
    meta = {**info, "pool": args.pool, "vocab": len(vocab), "teacher": "all-MiniLM-L6-v2 int8",
            "tokens_counted": int(counts.sum()), "held_out_spearman": list(rho_q)}  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, vectors=q, scales=scale, bias=bias.astype(np.float32),
                        meta=np.array(json.dumps(meta)))  # fmt: skip
    print(
        f"wrote {args.out}: {len(vocab)} x {args.dim} int8 + float16 scales + bias, "
        f"{args.out.stat().st_size / 1e6:.1f} MB; {args.pool} teacher state, "
        f"{args.weighting} weights (a={args.sif_a:g}), {args.fit_epochs} fitting epochs; "
        f"largest quantisation error {err:.4f}; held-out Spearman with MiniLM all/within "
        f"{rho_all:.3f}/{rho_within:.3f} (float), {rho_q[0]:.3f}/{rho_q[1]:.3f} (int8)"
    )
    return 0


def _mean_rows(table: np.ndarray, ids: list[np.ndarray]) -> np.ndarray:
    """Each text's mean token row (not normalised)."""
    lengths = np.array([max(len(x), 1) for x in ids])
    flat = np.concatenate([x if len(x) else np.zeros(1, np.int64) for x in ids])
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    out: np.ndarray = np.add.reduceat(table[flat], starts, axis=0) / lengths[:, None]
    return out


if __name__ == "__main__":
    raise SystemExit(main())
