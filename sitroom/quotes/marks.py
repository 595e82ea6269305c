"""Quoted stretches of a text: what stands between quotation marks.

Straight and curly double quotes, and single quotes (curly, or straight ones that open before
a word and close after one). A paragraph that opens a quote without closing it continues in
the next paragraph when that one opens with a quote mark again (the newspaper convention for
a quote running over several paragraphs); otherwise a quote left open closes at the end of
its paragraph when it is long enough to be speech, and is dropped when it is not (a stray
mark, inches).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["QuoteSpan", "quote_spans"]

_OPEN_D = "“„«"
_CLOSE_D = "”»"
_OPENERS = _OPEN_D + "\"‘'"
_BEFORE_OPEN = " \t([{—–-/:"  # a straight mark after these opens a quote


@dataclass(frozen=True)
class QuoteSpan:
    """One quotation: its words' offsets (inside the marks) and the marks' outer offsets."""

    start: int
    end: int
    mark_start: int
    mark_end: int
    pieces: tuple[tuple[int, int], ...]  # one per paragraph the quote runs over
    closed: bool = True

    def text(self, reading: str) -> str:
        """The quoted words, paragraphs joined, without marks or a trailing comma."""
        words = " ".join(" ".join(reading[s:e].split()) for s, e in self.pieces)
        return words.strip().rstrip(",;:").strip()


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in re.finditer(r"\n+", text):
        if text[start : m.start()].strip():
            out.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return out


def _opens_straight(text: str, i: int, lo: int) -> bool:
    before = text[i - 1] if i > lo else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before in _BEFORE_OPEN or i == lo) and not after.isspace()


def _closes_single(text: str, i: int) -> bool:
    after = text[i + 1] if i + 1 < len(text) else " "
    before = text[i - 1] if i > 0 else " "
    return not after.isalnum() and not before.isspace()


def quote_spans(text: str, min_open_words: int = 4) -> list[QuoteSpan]:
    """The quotations of ``text``, in order (see the module docstring)."""
    out: list[QuoteSpan] = []
    paras = _paragraphs(text)
    carry: tuple[int, list[tuple[int, int]]] | None = None  # (mark_start, pieces) running over
    for n, (lo, hi) in enumerate(paras):
        double: int | None = None  # offset after the opening double mark
        single: int | None = None
        mark = -1
        i = lo
        if carry is not None:
            double, mark = lo + 1, carry[0]  # the paragraph opens with the continuing mark
            i = lo + 1
        while i < hi:
            ch = text[i]
            if double is None and (ch in _OPEN_D or (ch == '"' and _opens_straight(text, i, lo))):
                double, mark, single = i + 1, i, None
            elif double is not None and (ch in _CLOSE_D or ch == '"'):
                pieces = [*(carry[1] if carry else []), (double, i)]
                out.append(QuoteSpan(pieces[0][0], i, mark, i + 1, tuple(pieces)))
                double, carry = None, None
            elif double is None and single is None and (
                ch == "‘" or (ch == "'" and _opens_straight(text, i, lo) and text[i + 1 : i + 2]
                              .isalnum())):  # fmt: skip
                single, mark = i + 1, i
            elif double is None and single is not None and ch in "’'" and _closes_single(text, i):
                if i - single > 1:
                    out.append(QuoteSpan(single, i, mark, i + 1, ((single, i),)))
                single = None
            i += 1
        if double is not None:
            pieces = [*(carry[1] if carry else []), (double, hi)]
            nxt = paras[n + 1] if n + 1 < len(paras) else None
            if nxt is not None and text[nxt[0]] in _OPENERS:
                carry = (mark, pieces)
                continue
            words = sum(len(text[s:e].split()) for s, e in pieces)
            if words >= min_open_words:
                out.append(QuoteSpan(pieces[0][0], hi, mark, hi, tuple(pieces), closed=False))
        carry = None
    return out
