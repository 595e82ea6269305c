"""A text as the extractors read it: headline and body with their roles, and its sentences.

The pipeline's stages give every extractor (events, quotes, claims) an article's readable
text, its spaCy analysis and the roles of its stretches (title, body, dateline, caption...).
``read`` builds the same for any text, for the library functions (``sitroom.events.extract``,
``sitroom.quotes.find_quotes``, ``sitroom.claims.find_claims``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Reading", "Sentence", "read", "role_at", "sentences"]

Roles = Sequence[tuple[int, int, str]]


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    role: str
    index: int


@dataclass(frozen=True)
class Reading:
    """``text`` = the headline (if any), a blank line, the body; offsets through ``to_out``
    go back to the body (or, for the headline's, into the headline)."""

    text: str
    analysis: Any
    roles: list[tuple[int, int, str]]
    head: int  # length of the headline part

    def to_out(self, i: int) -> int:
        return i - self.head if i >= self.head else i


def read(text: str, title: str | None = None, dateline: bool = True) -> Reading:
    """The reading of a body ``text`` and its headline ``title``, analysed by spaCy."""
    from sitroom.meta.dateline import find_dateline
    from sitroom.nlp import analyse, spacy_safe

    head = f"{title.strip()}\n\n" if title else ""
    full = spacy_safe(head + text)  # the same length: offsets hold
    roles = [(0, len(head), "title"), (len(head), len(full), "body")] if head else [
        (0, len(full), "body")]  # fmt: skip
    dl = find_dateline(full) if dateline else None
    if dl is not None:
        roles = [(dl.start, dl.end, "dateline"), *roles]
    return Reading(full, analyse(full), roles, len(head))


def role_at(roles: Roles, pos: int, default: str = "body") -> str:
    """The role of the stretch holding offset ``pos`` (the first that does)."""
    return next((r for s, e, r in roles if s <= pos < e), default)


def dateline_as_body(roles: Roles, start: int, end: int) -> str:
    """A sentence's role: its start's, except that a sentence opening with a dateline is the
    body's (or whatever holds its end)."""
    role = role_at(roles, start)
    return role_at(roles, end - 1) if role == "dateline" else role


def sentences(
    analysis: Any,
    roles: Roles,
    text: str,
    role_of: Callable[[Roles, int, int], str] = lambda roles, s, _e: role_at(roles, s),
) -> list[Sentence]:
    """spaCy's sentences, split again at line breaks (a paragraph never runs on)."""
    out: list[Sentence] = []
    for s, e in analysis.sentences:
        start = s
        for m in re.finditer(r"\n+", text[s:e]):
            cut = s + m.start()
            if text[start:cut].strip():
                out.append(Sentence(start, cut, role_of(roles, start, cut), len(out)))
            start = s + m.end()
        if text[start:e].strip():
            out.append(Sentence(start, e, role_of(roles, start, e), len(out)))
    return out
