"""Train sitroom's conflict-event classifiers from the ConfliBERT evaluation data.

Reads ../shared/data/conflibert-eval/data, writes ``sitroom/events/models/<name>.npz`` and
``<name>.json``. Models learn from the train split and are selected on dev; no test split is
read, except for "ipe_docs" (see below). Deterministic: the vocabulary, the cameo hold-out and
the solver have fixed seeds, and a rerun rebuilds byte-identical files.

Recipe (``train``), per label set:
1. vocabulary: word uni- and bigrams in at least ``MIN_DF`` training texts, the
   ``MAX_TERMS`` most frequent, with smoothed idf;
2. features: TF-IDF | alpha * sentence embedding | beta * trigger lexicon
   (``sitroom.events.classify``; the embedding is MiniLM's unless ``--embedding static``:
   the shipped "ipe" reads MiniLM's, dev macro-F1 0.775 against 0.744 over the static one;
   the events stage does not use it);
3. one logistic regression per label (liblinear, L2), for every setting of the grid
   (C, alpha, beta, class weight); the setting with the best dev macro-F1 wins. A label with
   a parent (KILL implies FORCE) is fitted on the parent's positives only and predicted as
   P(parent) * P(label | parent);
4. per-label thresholds: the middle of the best-F1 plateau on dev.

Label sets ("name": data folder):
    ipe       IndiaPoliceEvents_sents   KILL ARREST ANY_ACTION FAIL FORCE   (shipped)
    ipe_docs  IndiaPoliceEvents_docs    the same labels, per document: a sentence model
              trained on the sentences of the training documents, document = max over its
              sentences, thresholds chosen on the dev documents. The sentence and document
              splits were drawn independently, so a training document's sentences sit in all
              three sentence splits: their sentence labels are read from all three, and
              sentences that also occur in a dev or test document are dropped
    satp      satp_relevant             4 attack types (names inferred, see SATP_LABELS)
    insight   insightCrime              7 crime topics (names inferred)
    cameo     cameo_class               5 CAMEO classes, single-label (no dev split: 15% of
              train, a seeded draw, is held out for selection)

    python benchmarks/train_event_classifier.py                 # the shipped model(s)
    python benchmarks/train_event_classifier.py --names ipe,satp --out /tmp/models
    python benchmarks/train_event_classifier.py --embedding static --out /tmp/static
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import DATA, need
from sitroom.events.classify import (
    EMBEDDINGS,
    MODELS,
    SentenceClassifier,
    Tfidf,
    embed_texts,
    lexicon_features,
    ngrams,
)

CONFLIBERT = DATA / "conflibert-eval" / "data"
CACHE = Path(tempfile.gettempdir()) / "sitroom-events-cache"
SHIPPED = ("ipe",)
SEED = 13
EMBEDDING = "minilm"  # what these label sets' models read (train_acled.py: static)
MIN_DF = 2
MAX_TERMS = 20000

# Column order checked against slanglab/IndiaPoliceEvents data/final/sents.csv (header
# KILL,ARREST,ANY_ACTION,FAIL,FORCE); the conflibert-eval README lists them in another order.
IPE_LABELS = ["KILL", "ARREST", "ANY_ACTION", "FAIL", "FORCE"]
# The ConfliBERT repository gives no names for these columns; these are read off each
# column's most discriminative training words (e.g. SATP col 1: blast, bomb, ied).
SATP_LABELS = ["ARMED_ASSAULT", "BOMBING", "KIDNAPPING", "ARSON_VANDALISM"]
INSIGHT_LABELS = [
    "DRUG_TRAFFICKING", "CORRUPTION", "SECURITY_POLICY", "HOMICIDE",
    "EXTORTION_KIDNAP_FRAUD", "ENVIRONMENTAL_CRIME", "ARMS_CONTRABAND",
]  # fmt: skip
CAMEO_LABELS = ["NEUTRAL", "VERBAL_COOPERATION", "MATERIAL_COOPERATION",
                "VERBAL_CONFLICT", "MATERIAL_CONFLICT"]  # fmt: skip


# In the IPE annotation every KILL sentence is also a FORCE sentence (67 of 67 in train).
IPE_PARENTS = {"KILL": "FORCE"}


@dataclass(frozen=True)
class Spec:
    name: str
    folder: str
    labels: list[str]
    multiclass: bool = False
    parents: dict[str, str] = field(default_factory=dict)


SPECS = {
    "ipe": Spec("ipe", "IndiaPoliceEvents_sents", IPE_LABELS, parents=IPE_PARENTS),
    "ipe_docs": Spec("ipe_docs", "IndiaPoliceEvents_docs", IPE_LABELS, parents=IPE_PARENTS),
    "satp": Spec("satp", "satp_relevant", SATP_LABELS),
    "insight": Spec("insight", "insightCrime", INSIGHT_LABELS),
    "cameo": Spec("cameo", "cameo_class", CAMEO_LABELS, multiclass=True),
}

# the settings tried on dev (small: the dev sets have 15-300 positives per label)
GRID: dict[str, list[Any]] = {
    "C": [4.0, 16.0],
    "alpha": [1.0],
    "beta": [0.0, 0.5],
    "class_weight": [None, "balanced"],
}


# -- data ---------------------------------------------------------------------------------


@dataclass
class Split:
    texts: list[str]
    y: np.ndarray  # n x labels, 0/1


def read_split(spec: Spec, split: str) -> Split:
    """One split of a label set as texts and a 0/1 label matrix."""
    if spec.multiclass and split in ("train", "dev"):
        return _carve(spec, split)
    path = need(CONFLIBERT / spec.folder / f"{'train' if split == 'train_all' else split}.tsv")
    texts, ys = [], []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t"):  # quoted as ConfliBERT reads it
            if not row:
                continue
            texts.append(row[0])
            if spec.multiclass:
                onehot = [0] * len(spec.labels)
                onehot[int(row[1])] = 1
                ys.append(onehot)
            else:
                ys.append([int(v) for v in row[1 : 1 + len(spec.labels)]])
    return Split(texts, np.asarray(ys, dtype=np.int8))


def _carve(spec: Spec, split: str) -> Split:
    full = read_split(spec, "train_all")
    order = np.random.RandomState(SEED).permutation(len(full.texts))
    cut = int(0.15 * len(order))
    idx = order[:cut] if split == "dev" else order[cut:]
    return Split([full.texts[i] for i in sorted(idx)], full.y[np.sort(idx)])


_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]*[A-Za-z0-9])")


def split_sentences(text: str) -> list[str]:
    """Sentences of a document: cut after . ! ? followed by space (enough for news text)."""
    parts = [p.strip() for p in _SENT_END.split(text)]
    return [p for p in parts if p]


def doc_sentence_training(spec: Spec) -> Split:
    """IPE sentences (their own labels) that occur in training documents only."""
    sents = SPECS["ipe"]
    pool = [read_split(sents, s) for s in ("train", "dev", "test")]
    docs = {s: read_split(spec, s).texts for s in ("train", "dev", "test")}
    train_blob = "\n".join(_norm(d) for d in docs["train"])
    other_blob = "\n".join(_norm(d) for d in docs["dev"] + docs["test"])
    texts, ys, seen = [], [], set()
    for part in pool:
        for text, y in zip(part.texts, part.y, strict=True):
            key = _norm(text)
            if len(key) < 3 or key in seen:
                continue
            if key in train_blob and key not in other_blob:
                seen.add(key)
                texts.append(text)
                ys.append(y)
    return Split(texts, np.asarray(ys, dtype=np.int8))


def _norm(text: str) -> str:
    # the documents and sentences were cleaned differently (mojibake "Â" vs "A")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


# -- embeddings, cached (train and dev only) ----------------------------------------------


def cached_vectors(texts: Sequence[str], tag: str, embedding: str = EMBEDDINGS[0]) -> np.ndarray:
    """``embed_texts(texts, embedding)``, kept under the temp dir so reruns skip the slow
    part."""
    digest = hashlib.sha1("\x1e".join(texts).encode("utf-8")).hexdigest()[:16]
    kind = "" if embedding == "minilm" else f"{embedding}-"  # MiniLM's files kept their names
    path = CACHE / f"{kind}{tag}-{digest}.npy"
    if path.is_file():
        vecs: np.ndarray = np.load(path)
        return vecs
    CACHE.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    vecs = embed_texts(texts, embedding)
    secs = time.perf_counter() - t0
    print(f"  embedded {len(texts)} texts ({embedding}) for {tag} in {secs:.0f}s")
    np.save(path, vecs)
    return vecs


# -- features and fitting -----------------------------------------------------------------


def fit_vocabulary(texts: Sequence[str], n: int = 2) -> Tfidf:
    """The ``MAX_TERMS`` commonest n-grams in at least ``MIN_DF`` texts, with smoothed idf."""
    df: Counter[str] = Counter()
    for text in texts:
        df.update(set(ngrams(text, n)))
    kept = sorted((t for t, c in df.items() if c >= MIN_DF), key=lambda t: (-df[t], t))
    terms = sorted(kept[:MAX_TERMS])
    counts = np.asarray([df[t] for t in terms], dtype=np.float64)
    idf = np.log((1.0 + len(texts)) / (1.0 + counts)) + 1.0
    return Tfidf(terms, idf, n)


def design(tfidf: Tfidf, texts: Sequence[str], vecs: np.ndarray, alpha: float, beta: float) -> Any:
    """The sparse training matrix [tf-idf | alpha * embedding | beta * lexicon]."""
    from scipy import sparse

    rows = tfidf.rows(texts)
    indptr = np.cumsum([0] + [len(i) for i, _ in rows])
    idx = np.concatenate([i for i, _ in rows]) if rows else np.zeros(0, np.int64)
    val = np.concatenate([v for _, v in rows]) if rows else np.zeros(0, np.float32)
    words = sparse.csr_matrix((val, idx, indptr), shape=(len(texts), len(tfidf.terms)))
    dense = [alpha * vecs]
    if beta:
        dense.append(beta * lexicon_features(texts))
    return sparse.hstack([words, sparse.csr_matrix(np.hstack(dense))], format="csr")


def best_thresholds(y: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per label: the middle of the thresholds whose dev F1 is within 0.005 of the best."""
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    th, f1s = np.zeros(y.shape[1]), np.zeros(y.shape[1])
    for j in range(y.shape[1]):
        scores = np.array([f1(y[:, j], p[:, j] >= t) for t in grid])
        good = grid[scores >= scores.max() - 0.005]
        th[j], f1s[j] = float(np.median(good)), scores.max()
    return th, f1s


def f1(y: np.ndarray, pred: np.ndarray) -> float:
    tp = float(np.sum((y == 1) & pred))
    fp = float(np.sum((y == 0) & pred))
    fn = float(np.sum((y == 1) & ~pred))
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def _fit(x: Any, y: np.ndarray, c: float, class_weight: str | None) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    if y.min() == y.max():  # a label with no positives in training: never fire
        return np.zeros(x.shape[1]), -10.0
    lr = LogisticRegression(
        C=c, solver="liblinear", class_weight=class_weight, random_state=SEED, max_iter=2000
    )
    lr.fit(x, y)
    return lr.coef_[0].astype(np.float64), float(lr.intercept_[0])


@dataclass
class Data:
    train: Split
    dev: Split
    vec_train: np.ndarray
    vec_dev: np.ndarray
    # maps a dev-matrix of probabilities to the (n_dev_units x labels) being scored: identity
    # for sentences, max over each document's sentences for ipe_docs
    pool: Callable[[np.ndarray], np.ndarray]
    dev_y: np.ndarray
    embedding: str = EMBEDDING


def load_data(spec: Spec, embedding: str = EMBEDDING) -> Data:
    """Training and selection data for a label set, with cached embeddings."""
    if spec.name == "ipe_docs":
        train = doc_sentence_training(spec)
        docs = read_split(spec, "dev")
        sents, owner = [], []
        for i, d in enumerate(docs.texts):
            for s in split_sentences(d):
                sents.append(s)
                owner.append(i)
        dev = Split(sents, np.zeros((len(sents), len(spec.labels)), np.int8))
        own = np.asarray(owner)

        def pool(p: np.ndarray) -> np.ndarray:
            out = np.zeros((len(docs.texts), p.shape[1]))
            np.maximum.at(out, own, p)
            return out

        return Data(train, dev, cached_vectors(train.texts, "ipe_docs-train", embedding),
                    cached_vectors(dev.texts, "ipe_docs-dev", embedding), pool, docs.y,
                    embedding)  # fmt: skip
    train, dev = read_split(spec, "train"), read_split(spec, "dev")
    return Data(train, dev, cached_vectors(train.texts, f"{spec.name}-train", embedding),
                cached_vectors(dev.texts, f"{spec.name}-dev", embedding), lambda p: p, dev.y,
                embedding)  # fmt: skip


def train(spec: Spec, data: Data | None = None, verbose: bool = True) -> SentenceClassifier:
    """Fit every grid setting on train, keep the best on dev, set thresholds on dev."""
    data = data or load_data(spec)
    tfidf = fit_vocabulary(data.train.texts)
    best: tuple[float, Any] = (-1.0, None)
    for alpha, beta in product(GRID["alpha"], GRID["beta"]):
        xtr = design(tfidf, data.train.texts, data.vec_train, alpha, beta)
        xdv = design(tfidf, data.dev.texts, data.vec_dev, alpha, beta)
        for c, cw in product(GRID["C"], GRID["class_weight"]):
            fits = [_fit_label(spec, xtr, data.train.y, j, c, cw) for j in range(len(spec.labels))]
            w = np.stack([f[0] for f in fits], axis=1)
            b = np.asarray([f[1] for f in fits])
            p = data.pool(_with_parents(spec, _sigmoid(xdv @ w + b)))
            if spec.multiclass:
                th = np.full(len(spec.labels), 0.5)
                score = macro_f1_multiclass(data.dev_y, p)
            else:
                th, f1s = best_thresholds(data.dev_y, p)
                score = float(f1s.mean())
            if verbose:
                print(f"  {spec.name} C={c} alpha={alpha} beta={beta} cw={cw}: dev {score:.3f}")
            if score > best[0]:
                best = (score, (c, alpha, beta, cw, w, b, th))
    score, (c, alpha, beta, cw, w, b, th) = best
    v, dim = len(tfidf.terms), data.vec_train.shape[1]
    n_lex = lexicon_features([""]).shape[1]
    w_lex = beta * w[v + dim :] if beta else np.zeros((n_lex, len(spec.labels)))
    info = {
        "trained_on": f"conflibert-eval {spec.folder} train ({len(data.train.texts)} texts)",
        "selected_on": "dev",
        "dev_macro_f1": round(score, 4),
        "C": c, "alpha": alpha, "beta": beta, "class_weight": cw,
        "multiclass": spec.multiclass,
    }  # fmt: skip
    return SentenceClassifier(
        name=spec.name,
        labels=list(spec.labels),
        tfidf=tfidf,
        w_words=w[:v].astype(np.float32),
        w_emb=(alpha * w[v : v + dim]).astype(np.float32),
        w_lex=w_lex.astype(np.float32),
        bias=b.astype(np.float32),
        thresholds=th.astype(np.float32),
        parents=dict(spec.parents),
        info=info,
        embedding=data.embedding,
    )


def _fit_label(
    spec: Spec, x: Any, y: np.ndarray, j: int, c: float, class_weight: str | None
) -> tuple[np.ndarray, float]:
    parent = spec.parents.get(spec.labels[j])
    if parent is None:
        return _fit(x, y[:, j], c, class_weight)
    rows = np.flatnonzero(y[:, spec.labels.index(parent)] == 1)
    return _fit(x[rows], y[rows, j], c, class_weight)


def _with_parents(spec: Spec, p: np.ndarray) -> np.ndarray:
    # the same rule as SentenceClassifier.predict_proba (one level of parents is enough here)
    p = p.copy()
    for child, parent in spec.parents.items():
        p[:, spec.labels.index(child)] *= p[:, spec.labels.index(parent)]
    return p


def _sigmoid(z: Any) -> np.ndarray:
    z = np.clip(np.asarray(z, dtype=np.float64), -30, 30)
    out: np.ndarray = 1.0 / (1.0 + np.exp(-z))
    return out


def macro_f1_multiclass(y: np.ndarray, p: np.ndarray) -> float:
    """Macro-F1 of the argmax class against one-hot gold."""
    pred = np.eye(y.shape[1], dtype=bool)[p.argmax(axis=1)]
    return float(np.mean([f1(y[:, j], pred[:, j]) for j in range(y.shape[1])]))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--names", default=",".join(SHIPPED), help="label sets, comma-separated")
    ap.add_argument("--out", type=Path, default=MODELS, help="folder for the model files")
    ap.add_argument("--embed-only", action="store_true", help="fill the embedding cache")
    ap.add_argument("--embedding", default=EMBEDDING, choices=EMBEDDINGS,
                    help="the sentence embedding the model reads")  # fmt: skip
    args = ap.parse_args(argv)
    for name in args.names.split(","):
        spec = SPECS[name]
        print(f"{name}: {spec.folder}")
        data = load_data(spec, args.embedding)
        if args.embed_only:
            continue
        clf = train(spec, data)
        npz, meta = clf.save(args.out)
        size = (npz.stat().st_size + meta.stat().st_size) / 1e6
        print(f"{name}: dev macro-F1 {clf.info['dev_macro_f1']:.3f}, {clf.info}, {size:.2f} MB")


if __name__ == "__main__":
    main()
