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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sitroom.nlp import Analysis

__all__ = [
    "LABEL",
    "Reading",
    "Sentence",
    "analyse_readings",
    "clause_starts",
    "quiet_spans",
    "read",
    "role_at",
    "sentences",
]

Roles = Sequence[tuple[int, int, str]]

LABEL = re.compile(r"[A-Z][\w-]*(?: [\w-]+){0,3}: (?=\S)")
"""A label opening a line ("Movement of forces: On 3 May, ...", "UPDATE: ...")."""
_SEPARATOR = re.compile(r"[\s\-–—:]*")
# "Ned Price said: ..." opens a quote, not a label
_SPEECH = re.compile(
    r"\b(?:said|says|say|told|tells|added|adds|warned|wrote|writes|asked|replied|"
    r"announced|stated|insisted|claimed|explained|noted|declared)\b",
    re.I,
)


def quiet_spans(text: str) -> list[tuple[int, int]]:
    """What the parser reads as blank: the dateline ("KABUL, Aug. 13 (Reuters) -"), whose
    place and agency are read by the places and metadata stages, not by spaCy."""
    from sitroom.meta.dateline import find_dateline

    dl = find_dateline(text)
    return [(dl.start, dl.end)] if dl is not None else []


def clause_starts(text: str) -> list[int]:
    """Where the parser must start a sentence besides line breaks: after a dateline
    ("KABUL, Aug. 13 (Reuters) - The Taliban ...") and after a label opening a line, so the
    report's first clause is parsed on its own, not as a modifier of the place or label."""
    from sitroom.meta.dateline import find_dateline

    out = []
    dl = find_dateline(text)
    if dl is not None:
        out.append(dl.end)
    for m in re.finditer(r"(?:^|\n)\s*", text):
        label = LABEL.match(text, m.end())
        if label is not None and not _SPEECH.search(label.group()):
            out.append(label.end())
    return sorted({_past_separator(text, p) for p in out})


def _past_separator(text: str, pos: int) -> int:
    m = _SEPARATOR.match(text, pos)
    return m.end() if m else pos


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
    from sitroom.nlp import spacy_safe

    head = f"{title.strip()}\n\n" if title else ""
    full = spacy_safe(head + text)  # the same length: offsets hold
    roles = [(0, len(head), "title"), (len(head), len(full), "body")] if head else [
        (0, len(full), "body")]  # fmt: skip
    dl = find_dateline(full) if dateline else None
    if dl is not None:
        roles = [(dl.start, dl.end, "dateline"), *roles]
    return Reading(full, analyse_readings([full])[0], roles, len(head))


def analyse_readings(texts: Sequence[str]) -> list[Analysis]:
    """The one spaCy analysis of each readable text (batched): a sentence begun after its
    dateline and after a label opening a line, the dateline read apart and its place parts
    taken as places."""
    from sitroom.meta.dateline import find_dateline
    from sitroom.nlp import analyse_marked

    out = analyse_marked([(t, clause_starts(t), quiet_spans(t)) for t in texts])
    for text, analysis in zip(texts, out, strict=True):
        dl = find_dateline(text)
        if dl is not None and dl.place:
            _dateline_places(text, dl.start, dl.end, dl.place, analysis.entities)
    return out


def _dateline_places(
    text: str, start: int, end: int, place: str, entities: list[tuple[int, int, str]]
) -> None:
    """A dateline's place ("HERAT, Afghanistan") names places by the dateline's grammar,
    whatever spaCy makes of words in capitals: each comma-separated part is a place (GPE)
    unless spaCy found a place there."""
    at = text.find(place, start, end)
    if at < 0:
        return
    for m in re.finditer(r"[^,]+", place):
        part = m.group()
        s = at + m.start() + len(part) - len(part.lstrip())
        e = at + m.end() - (len(part) - len(part.rstrip()))
        if e <= s:
            continue
        # a name spaCy gave another label ("KABUL" as ORG) is relabelled; a place it found
        # stays as it is
        over = [x for x in entities if x[0] < e and s < x[1]]
        if any(lab in _PLACE_LABELS for _, _, lab in over):
            continue
        for x in over:
            entities.remove(x)
        entities.append((s, e, "GPE"))
    entities.sort()


_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


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
