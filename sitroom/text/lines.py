"""Split text into lines with offsets, and the small text tests the cleaning rules share."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Line", "headline_like", "is_sentence_end", "split_lines", "words"]

_WORD = re.compile(r"[^\W\d_][\w'’.&-]*", re.UNICODE)
# Function words that stay lower-case in title-case headlines.
_SMALL = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "of",
        "off",
        "on",
        "onto",
        "or",
        "over",
        "per",
        "than",
        "the",
        "to",
        "up",
        "upon",
        "via",
        "vs",
        "vs.",
        "with",
        "within",
        "without",
        "amid",
        "after",
        "before",
        "near",
        "nor",
        "so",
        "yet",
        "de",
        "la",
        "del",
        "der",
        "von",
        "van",
    ]
)
_TERMINAL = ".!?…\"”’'»)]:;"


@dataclass(frozen=True)
class Line:
    """A non-empty line of ``text``: ``text[start:end]`` is the line without outer whitespace."""

    start: int
    end: int
    text: str
    index: int
    blank_before: bool
    blank_after: bool

    @property
    def alone(self) -> bool:
        """The line is a paragraph on its own (blank lines, or the text's edge, around it)."""
        return self.blank_before and self.blank_after


def split_lines(text: str) -> list[Line]:
    """Every non-blank line of ``text`` with its offsets and paragraph context."""
    raw: list[tuple[int, int]] = []
    pos = 0
    for piece in text.splitlines(keepends=True):
        body = piece.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            lead = len(body) - len(body.lstrip())
            raw.append((pos + lead, pos + lead + len(stripped)))
        else:
            raw.append((-1, -1))
        pos += len(piece)
    out: list[Line] = []
    n = len(raw)
    for i, (s, e) in enumerate(raw):
        if s < 0:
            continue
        before = i == 0 or raw[i - 1][0] < 0
        after = i == n - 1 or raw[i + 1][0] < 0
        out.append(Line(s, e, text[s:e], len(out), before, after))
    return out


def words(s: str) -> list[str]:
    return _WORD.findall(s)


def is_sentence_end(s: str) -> bool:
    """``s`` ends like a sentence (or a quotation, or a list lead-in)."""
    s = s.rstrip()
    return bool(s) and s[-1] in _TERMINAL


def headline_like(s: str, min_words: int = 4) -> bool:
    """A title-case or all-caps line without sentence punctuation, as headlines are written."""
    s = s.strip()
    if not s or len(s) > 200 or (is_sentence_end(s) and not s.endswith("?")):
        return False
    ws = words(s)
    if len(ws) < min_words or len(ws) > 30:
        return False
    content = [w for w in ws if w.lower() not in _SMALL]
    if not content:
        return False
    letters = [c for c in s if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.8:
        return True  # ALL-CAPS promo or headline
    caps = sum(1 for w in content if w[0].isupper())
    return caps / len(content) >= 0.8
