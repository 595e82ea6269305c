"""Conflict-event sentence classifiers: does a sentence report a killing, an arrest, force?

A classifier is one linear layer per label (one-vs-rest logistic regression) over three
feature blocks, trained by ``benchmarks/train_event_classifier.py``:

1. word uni- and bigram TF-IDF (sublinear tf, smoothed idf, L2-normalised) over a stored
   vocabulary; the transform is here, in plain Python and numpy;
2. a sentence embedding, scaled by a stored weight: the static embedding of
   ``sitroom.static_embed`` (256-d, unit length, well under a millisecond a text: the
   shipped models) or MiniLM's (``sitroom.embed``, 384-d, about 15 ms a sentence; a model
   file that names no embedding was trained on it); a text longer than one window is
   embedded window by window and averaged;
3. a small conflict-trigger lexicon (one 0/1 feature per family of trigger words), so an
   inflected or rare trigger the vocabulary lacks still counts.

A label may have a parent it implies (IndiaPoliceEvents: a police killing is a use of force);
its regression is then trained on the parent's positives only, and its probability is the
parent's times its own: P(KILL) = P(FORCE) * P(KILL | FORCE). Each label has its own
decision threshold, chosen on the development split. Models live in
``sitroom/events/models/<name>.npz`` (weights) and ``<name>.json`` (labels, vocabulary,
thresholds, settings, the embedding) and are loaded once per process. Inference needs numpy
and the embedder only.

A single-label model may name a second model with the same labels (``fallback``): the texts
whose likeliest label it gives under ``fallback_below`` get that model's scores. The shipped
ACLED model reads the static embedding and passes the few texts it is unsure of (about 3 in
100 news paragraphs) to ``acled_minilm``, the same recipe over MiniLM's embedding: nearly
the static model's cost, MiniLM's accuracy (``benchmarks/train_acled.py``).

>>> clf = load_classifier("ipe")
>>> sorted(clf.predict(["Police opened fire on the crowd, killing three protesters."])[0])
['ANY_ACTION', 'FORCE', 'KILL']
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sitroom.errors import PipelineError

__all__ = [
    "EMBEDDINGS",
    "LEXICON",
    "MODELS",
    "SentenceClassifier",
    "Tfidf",
    "embed_texts",
    "lexicon_features",
    "load_classifier",
    "ngrams",
]

MODELS = Path(__file__).resolve().parent / "models"
WINDOW_WORDS = 60  # MiniLM reads 96 tokens: about 60-70 English words
EMBEDDINGS = ("static", "minilm")  # the first is what training uses unless told otherwise
FORMAT = 1
_LOCK = threading.Lock()
_LOADED: dict[str, SentenceClassifier] = {}
LOADS = [0]  # model files read by this process (one per name, ever)

_TOKEN = re.compile(r"(?u)\b\w\w+\b")

# Trigger families: word prefixes, matched at the start of a token ("kill" matches
# "killing", "killed"). Each family is one feature; the vocabulary carries the rest.
LEXICON: dict[str, tuple[str, ...]] = {
    "kill": tuple(
        "kill dead death died dies murder massacr slain lynch succumb bodies "
        "body toll fatal butcher".split()
    ),
    "fire": tuple("fire firing shot shoot gunfire bullet round opened".split()),
    "force": tuple(
        "lathi lathicharg baton teargas tear cane caned charg beat beaten "
        "disperse rubber pellet water cannon forc assault clash".split()
    ),
    "arrest": tuple(
        "arrest detain detention custody nabbed apprehend held round booked "
        "remand jail prison captur picked taken".split()
    ),
    "police": tuple(
        "police policem cop constab officer force forces army troop soldier "
        "paramilitar crpf rpf srp bsf rapid security commando jawan".split()
    ),
    "inaction": tuple(
        "inaction fail failed failure mute spectator stood watch idle helpless "
        "absent lapse negligen complicit looked nothing apathy indifferen".split()
    ),
    "violence": tuple(
        "riot mob violen attack arson torch loot burn stab injur wound bomb "
        "blast explo grenade abduct kidnap hostage".split()
    ),
    "curfew": tuple(
        "curfew prohibitor section flag patrol deploy combing raid search cordon".split()
    ),
}
_LEX_FAMILIES = tuple(LEXICON)
# a model records the lexicon it was trained with; another lexicon would misread its weights
LEXICON_ID = hashlib.sha1(json.dumps(LEXICON).encode()).hexdigest()[:12]


def ngrams(text: str, n: int = 2) -> list[str]:
    """Lower-cased word tokens (two characters or more) and their n-grams up to ``n``."""
    toks = _TOKEN.findall(text.lower())
    out = list(toks)
    for k in range(2, n + 1):
        out += [" ".join(toks[i : i + k]) for i in range(len(toks) - k + 1)]
    return out


def lexicon_features(texts: Sequence[str]) -> np.ndarray:
    """One 0/1 column per trigger family: does any token of the text start with one?"""
    out = np.zeros((len(texts), len(_LEX_FAMILIES)), dtype=np.float32)
    for i, text in enumerate(texts):
        toks = set(_TOKEN.findall(text.lower()))
        for j, fam in enumerate(_LEX_FAMILIES):
            prefixes = LEXICON[fam]
            if any(t.startswith(prefixes) for t in toks):
                out[i, j] = 1.0
    return out


@dataclass
class Tfidf:
    """Word n-gram TF-IDF over a fixed vocabulary (the column of each term is its index)."""

    terms: list[str]
    idf: np.ndarray
    n: int = 2
    index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.index = {t: i for i, t in enumerate(self.terms)}

    def rows(self, texts: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """For each text: (column indices, L2-normalised sublinear tf-idf values)."""
        out = []
        for text in texts:
            counts: dict[int, int] = {}
            for g in ngrams(text, self.n):
                j = self.index.get(g)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            val = (1.0 + np.log(tf)) * self.idf[idx] if len(idx) else tf
            norm = math.sqrt(float(val @ val)) if len(idx) else 1.0
            out.append((idx, (val / max(norm, 1e-12)).astype(np.float32)))
        return out


def _windows(text: str) -> list[str]:
    words = text.split()
    if len(words) <= WINDOW_WORDS:
        return [text]
    return [" ".join(words[i : i + WINDOW_WORDS]) for i in range(0, len(words), WINDOW_WORDS)]


def embed_texts(texts: Sequence[str], embedding: str = EMBEDDINGS[0]) -> np.ndarray:
    """Unit vectors of ``embedding`` ("static": n x 256, "minilm": n x 384); long texts are
    averaged over 60-word windows. All the texts go to the embedder in one call."""
    if embedding == "static":
        from sitroom.static_embed import static_embedder

        embed: Any = static_embedder()
        dim = int(embed.dim)
    elif embedding == "minilm":
        from sitroom.embed import DIM, embedder

        embed, dim = embedder(), DIM
    else:
        raise PipelineError(f"unknown embedding {embedding!r} (have: {', '.join(EMBEDDINGS)})")
    pieces: list[str] = []
    owner: list[int] = []
    for i, text in enumerate(texts):
        for w in _windows(text):
            pieces.append(w)
            owner.append(i)
    out = np.zeros((len(texts), dim), dtype=np.float32)
    if not pieces:
        return out
    vecs = embed(pieces)
    np.add.at(out, np.asarray(owner), vecs)
    norm = np.linalg.norm(out, axis=1, keepdims=True)
    result: np.ndarray = (out / np.maximum(norm, 1e-12)).astype(np.float32)
    return result


@dataclass
class SentenceClassifier:
    """Multi-label linear classifier over TF-IDF, embedding and trigger-lexicon features."""

    name: str
    labels: list[str]
    tfidf: Tfidf
    w_words: np.ndarray  # vocabulary x labels
    w_emb: np.ndarray  # embedding dim x labels (already multiplied by the embedding weight)
    w_lex: np.ndarray  # lexicon families x labels (already multiplied by its weight)
    bias: np.ndarray  # labels
    thresholds: np.ndarray  # labels
    parents: dict[str, str] = field(default_factory=dict)  # label -> the label it implies
    info: dict[str, Any] = field(default_factory=dict)
    embedding: str = EMBEDDINGS[0]  # the sentence embedding it reads ("static", "minilm")
    # a single-label model's second opinion: the texts whose likeliest label it gives less
    # than ``fallback_below`` are scored by the model named ``fallback`` (same labels, found
    # next to this one), one text a call, so a text's scores never depend on its batch
    fallback: str | None = None
    fallback_below: float = 0.0
    directory: Path = MODELS

    def logits(self, texts: Sequence[str], vectors: np.ndarray | None = None) -> np.ndarray:
        """Raw scores (n x labels); ``vectors``: the texts' ``embed_texts(texts,
        self.embedding)`` if at hand. A text this model is unsure of has its fallback's
        scores."""
        z = self._logits(texts, vectors)
        if self.fallback is None or not len(z):
            return z
        top = np.exp(z - z.max(axis=1, keepdims=True))
        unsure = np.flatnonzero(top.max(axis=1) / top.sum(axis=1) < self.fallback_below)
        if len(unsure):
            second = load_classifier(self.fallback, self.directory)
            if second.labels != self.labels:
                raise PipelineError(f"{self.fallback!r} has other labels than {self.name!r}")
            for i in unsure.tolist():
                z[i] = second.logits([texts[i]])[0]
        return z

    def _logits(self, texts: Sequence[str], vectors: np.ndarray | None) -> np.ndarray:
        n = len(texts)
        if n == 0:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        if vectors is None:
            vectors = embed_texts(texts, self.embedding)
        if vectors.shape != (n, self.w_emb.shape[0]):
            raise PipelineError(
                f"event classifier {self.name!r} reads {self.embedding} vectors "
                f"({self.w_emb.shape[0]}-d), given {vectors.shape}"
            )
        # row by row: a matrix product's last bits depend on how many rows it has, and a
        # text's scores must not depend on the texts scored with it
        vecs, lex = vectors.astype(np.float32), lexicon_features(texts)
        z = np.empty((n, len(self.labels)), dtype=np.float32)
        for i, (idx, val) in enumerate(self.tfidf.rows(texts)):
            z[i] = vecs[i] @ self.w_emb + self.bias + lex[i] @ self.w_lex
            if len(idx):
                z[i] += val @ self.w_words[idx]
        return z

    def predict_proba(self, texts: Sequence[str], vectors: np.ndarray | None = None) -> np.ndarray:
        """Probability of each label (n x labels, in [0, 1]), columns in ``labels`` order."""
        z = np.clip(self.logits(texts, vectors), -30.0, 30.0)
        p: np.ndarray = 1.0 / (1.0 + np.exp(-z))
        done: set[str] = set()

        def resolve(label: str) -> None:  # a child's column: P(parent) * P(child | parent)
            parent = self.parents.get(label)
            if label in done or parent is None:
                return
            resolve(parent)
            p[:, self.labels.index(label)] *= p[:, self.labels.index(parent)]
            done.add(label)

        for label in self.parents:
            resolve(label)
        return p

    def predict(self, texts: Sequence[str], vectors: np.ndarray | None = None) -> list[set[str]]:
        """The labels whose probability reaches their threshold, for each text."""
        hits = self.predict_proba(texts, vectors) >= self.thresholds
        return [{lab for lab, h in zip(self.labels, row, strict=True) if h} for row in hits]

    def save(self, directory: Path = MODELS) -> tuple[Path, Path]:
        """Write ``<name>.npz`` and ``<name>.json`` into ``directory``."""
        directory.mkdir(parents=True, exist_ok=True)
        npz, meta = directory / f"{self.name}.npz", directory / f"{self.name}.json"
        second = {"fallback": {"model": self.fallback, "below": self.fallback_below}}
        if self.fallback is None:
            second = {}
        np.savez_compressed(
            npz,
            w_words=self.w_words.astype(np.float16),
            w_emb=self.w_emb.astype(np.float32),
            w_lex=self.w_lex.astype(np.float32),
            bias=self.bias.astype(np.float32),
            idf=self.tfidf.idf.astype(np.float32),
        )
        doc = {
            "format": FORMAT,
            "name": self.name,
            "labels": self.labels,
            "thresholds": [round(float(t), 4) for t in self.thresholds],
            "parents": self.parents,
            "ngram": self.tfidf.n,
            "lexicon": LEXICON_ID,
            "embedding": self.embedding,
            **second,
            "info": self.info,
            "terms": self.tfidf.terms,
        }
        meta.write_text(json.dumps(doc, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
        return npz, meta


def _read(name: str, directory: Path) -> SentenceClassifier:
    npz, meta = directory / f"{name}.npz", directory / f"{name}.json"
    if not npz.is_file() or not meta.is_file():
        known = sorted(p.stem for p in directory.glob("*.npz"))
        raise PipelineError(f"no event classifier {name!r} in {directory} (have: {known})")
    doc = json.loads(meta.read_text(encoding="utf-8"))
    embedding = doc.get("embedding", "minilm")  # files from before the field: MiniLM
    if (
        doc.get("format") != FORMAT
        or doc.get("lexicon") != LEXICON_ID
        or (embedding not in EMBEDDINGS)
    ):
        raise PipelineError(f"event classifier {name!r} was built for another version")
    fallback = dict(doc.get("fallback") or {})
    with np.load(npz) as arrays:
        w = {k: arrays[k] for k in arrays.files}
    LOADS[0] += 1
    return SentenceClassifier(
        name=name,
        labels=list(doc["labels"]),
        tfidf=Tfidf(list(doc["terms"]), w["idf"].astype(np.float64), int(doc["ngram"])),
        w_words=w["w_words"].astype(np.float32),
        w_emb=w["w_emb"],
        w_lex=w["w_lex"],
        bias=w["bias"],
        thresholds=np.asarray(doc["thresholds"], dtype=np.float32),
        parents=dict(doc.get("parents", {})),
        info=dict(doc.get("info", {})),
        embedding=embedding,
        fallback=fallback.get("model"),
        fallback_below=float(fallback.get("below", 0.0)),
        directory=directory,
    )


def load_classifier(name: str, directory: Path = MODELS) -> SentenceClassifier:
    """The classifier ``name`` (e.g. "ipe"), read from disk on first use in this process."""
    key = f"{directory}/{name}"
    with _LOCK:
        if key not in _LOADED:
            _LOADED[key] = _read(name, directory)
        return _LOADED[key]
