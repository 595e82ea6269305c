"""The brief's candidate facts: stored claims and events (or freshly aligned claim groups),
each with the source sentences that state it, the sentence to show, and what ranks it.

The sentence shown is always one of the fact's own source sentences, chosen and trimmed:

1. **Choose** the shortest clean source sentence: body sentences before headlines, plain
   sentences before ones that open on a pronoun or conjunction ("He", "But") or are mostly
   a quotation.
2. **Trim** a wire dateline ("KABUL, Aug 13 (Reuters) -") and then a trailing attribution
   (", officials said on Friday", ", according to the ministry") when what is left still
   stands as a sentence (at least five words and a verb); nothing else is changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sitroom.brief.model import Citation

__all__ = [
    "Fact",
    "FactSide",
    "choose_text",
    "content_tokens",
    "credible",
    "facts_from_events",
    "facts_from_groups",
    "facts_from_store_claims",
    "supporting",
    "trim",
    "weak",
]

BAND = 0.05  # sentences this close to the most central one count as equally representative
CITE_SIM = 0.5  # a source sentence further than this from the shown one does not state it

# ACLED sub-event types that move territory: a takeover leads a brief
TAKEOVER_TYPES = frozenset(
    {
        "Non-state actor overtakes territory",
        "Government regains territory",
        "Non-violent transfer of territory",
    }
)
_TAKEOVER = re.compile(
    r"\b(?:seiz\w*|captur\w*|overr[au]n\w*|fell|fallen|falls?|took|tak(?:en|es|ing)\s+"
    r"(?:control|over)|in\s+(?:the\s+)?\w+\s+hands|(?:now\s+)?control(?:s|led)?|surrender\w*|"
    r"handed\s+over|lost|loss\s+of)\b",
    re.I,
)
_BACKGROUND = re.compile(
    r"\b(?:decades?|years?\s+ago|\d+\s+years|\d+-year|twenty\s+years|has\s+long|have\s+long|"
    r"long\s+been|while\s+in\s+power|was\s+born|took\s+shape|emerged\s+in)\b",
    re.I,
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_WEAK_START = frozenset(
    "he she they it this that these those but and also his her their its so yet or there "
    "even however still meanwhile".split()
)
_VERBISH = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|will|would|could|can|may|might|must|"
    r"shall|should|did|does|do|remain\w*|lies|sits|holds?|\w{3,}ed|\w{3,}s)\b",
    re.I,
)
_DAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_WHEN = (
    rf"(?:\s+(?:on\s+{_DAYS}|(?:late|early)\s+(?:on\s+)?{_DAYS}|{_DAYS}|this\s+week|"
    rf"last\s+week|in\s+a\s+statement|by\s+(?:tele)?phone|on\s+condition\s+of\s+anonymity))*"
)
_SAID = r"(?:said|says|say|told\s+[A-Z][\w.'’&-]*(?:\s+[A-Z][\w.'’&-]*){0,4}|added|confirmed)"
_ATTRIBUTION = re.compile(
    rf"^(?:according\s+to\s+[^,;:\"“”]{{2,60}}|"
    rf"(?:[\w.'’-]+\s+){{0,7}}{_SAID}{_WHEN}|"
    rf"(?:said|says)\s+(?:[\w.'’-]+\s*){{1,8}})$"
)


@dataclass
class FactSide:
    value: str
    outlets: list[str]
    citations: list[Citation]
    independent_sources: int
    text: str = ""


@dataclass
class Fact:
    """A candidate sentence of the brief, before ranking."""

    status: str  # "corroborated" | "single-source" | "contested"
    kind: str  # a claim's kind ("event", "number", "assessment", "statement") or "event"
    independent_sources: int
    outlets: list[str]
    citations: list[Citation]
    claim_id: str | None = None
    event_id: str | None = None
    sides: list[FactSide] = field(default_factory=list)
    text: str = ""
    headlines: frozenset[tuple[str, str]] = frozenset()  # (article, sentence) of headlines
    first_seen: str | None = None
    takeover: bool = False
    background: bool = False

    @property
    def lead(self) -> bool:
        """Some source states it near the top of its article (its first ~600 characters)."""
        return any(c.start < 600 for c in self.citations)


# -- the sentence shown ----------------------------------------------------------------------


def trim(sentence: str) -> str:
    """``sentence`` without a leading dateline and, when the rest still stands, a trailing
    attribution; whitespace runs become single spaces."""
    from sitroom.meta.dateline import DATELINE

    text = " ".join(sentence.split())
    m = DATELINE.match(text)
    if m and m.end() < len(text) and (text[m.end()].isupper() or text[m.end()] in '"“'):
        text = text[m.end() :]
    body, end = text.rstrip(), ""
    if body.endswith((".", "!")):
        body, end = body[:-1], body[-1]
    for _ in range(2):  # "..., a spokesperson said, according to Al Jazeera."
        comma = body.rfind(",")
        if comma <= 0 or not end:
            break
        tail = body[comma + 1 :].strip()
        rest = body[:comma].rstrip()
        if not (_ATTRIBUTION.match(tail) and _stands(rest)):
            break
        text = body = rest
        text += end
    return text


def _stands(rest: str) -> bool:
    words = rest.split()
    quotes = sum(rest.count(q) for q in '"“”')
    return (
        len(words) >= 5
        and quotes % 2 == 0
        and bool(_VERBISH.search(" ".join(words[1:])))
        and words[-1].lower() not in {"that", "and", "but", "which", "who", "as"}
    )


def weak(text: str) -> bool:
    """``text`` opens on a pronoun, a conjunction or a quotation: it leans on its context."""
    first = text.split(" ", 1)[0].strip("\"“”'’").lower()
    return first in _WEAK_START or text[:1] in '"“' or text[:1].islower()


def choose_text(
    citations: Sequence[Citation],
    headlines: frozenset[tuple[str, str]],
    vectors: Mapping[str, np.ndarray] | None = None,
) -> str:
    """The shortest clean sentence among ``citations``, trimmed (the module docstring);
    with ``vectors`` (sentence -> unit vector), only among the most central ones."""
    pool: dict[str, tuple[int, int]] = {}
    for c in citations:
        if c.sentence in pool:
            continue
        text = trim(c.sentence)
        headline = (c.article_id, c.sentence) in headlines or not text.rstrip("\"”’'").endswith(
            (".", "!")
        )
        pool[c.sentence] = (int(headline), int(weak(text)))
    if not pool:
        return ""
    best_class = min(pool.values())
    cands = [t for t, k in pool.items() if k == best_class]
    if vectors is not None and len(pool) > 2 and len(cands) > 1:
        everyone = np.stack([vectors[t] for t in pool])
        central = {t: (float((everyone @ vectors[t]).sum()) - 1.0) / (len(pool) - 1) for t in cands}
        top = max(central.values())
        cands = [t for t in cands if central[t] >= top - BAND]
    return min((trim(t) for t in cands), key=len)


def supporting(
    citations: Sequence[Citation], text: str, vectors: Mapping[str, np.ndarray] | None
) -> list[Citation]:
    """The citations whose sentence is close enough to the shown one (``text``, a trimmed
    source sentence) to state it: cosine >= ``CITE_SIM``; all when there are no vectors."""
    if vectors is None:
        return list(citations)
    own = next((c.sentence for c in citations if trim(c.sentence) == text), None)
    if own is None:
        return list(citations)
    v = vectors[own]
    return [c for c in citations if float(vectors[c.sentence] @ v) >= CITE_SIM]


_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[.,'’][A-Za-z0-9]+)*")
_STOP = frozenset(
    "a an the of to in on at by for from with and or but as is are was were be been has have "
    "had it its that this which who says say said".split()
)


def content_tokens(text: str) -> set[str]:
    """Lower-cased words and numbers of ``text`` other than the commonest function words."""
    return {t.lower() for t in _TOKEN.findall(text)} - _STOP


# -- facts from the store and from aligned groups --------------------------------------------


def _finish(
    fact: Fact,
    published: Mapping[str, str],
    year: int | None,
    vectors: Mapping[str, np.ndarray] | None,
) -> Fact:
    if fact.sides:
        for side in fact.sides:
            side.text = choose_text(side.citations, fact.headlines, vectors)
            side.citations = supporting(side.citations, side.text, vectors)
            side.outlets = list(dict.fromkeys(c.outlet for c in side.citations))
        fact.text = "; ".join(side.text for side in fact.sides)
        fact.citations = [c for side in fact.sides for c in side.citations]
        # a dispute is news from the moment its last side appeared
        starts = [
            min((published[c.article_id] for c in s.citations if c.article_id in published),
                default=None)
            for s in fact.sides
        ]  # fmt: skip
        known = [s for s in starts if s]
        fact.first_seen = max(known) if known else None
    else:
        fact.text = choose_text(fact.citations, fact.headlines, vectors)
        fact.citations = supporting(fact.citations, fact.text, vectors)
        if fact.status == "corroborated" and len({c.outlet for c in fact.citations}) < 2:
            # shown as corroborated only when the reader sees two outlets state it (the
            # others' sentences were not close enough, or the second source is one the
            # outlet quotes)
            fact.status, fact.independent_sources = "single-source", 1
        seen = [published[c.article_id] for c in fact.citations if c.article_id in published]
        fact.first_seen = min(seen) if seen else None
    fact.outlets = list(dict.fromkeys(c.outlet for c in fact.citations))
    fact.takeover = fact.takeover or bool(_TAKEOVER.search(fact.text))
    old_year = year is not None and any(int(y) < year for y in _YEAR.findall(fact.text))
    fact.background = old_year or bool(_BACKGROUND.search(fact.text))
    return fact


def _citation(src: Mapping[str, Any]) -> Citation:
    return Citation(
        article_id=str(src["article_id"]),
        outlet=str(src["outlet"]),
        sentence=str(src["sentence"]),
        start=int(src["start"]),
        end=int(src["end"]),
    )


def credible(sides: Sequence[FactSide]) -> bool:
    """Two or more sides and no outlet on two of them (an outlet "contradicting" itself is
    two different facts grouped together, not a dispute)."""
    seen: set[str] = set()
    for side in sides:
        own = set(side.outlets)
        if own & seen:
            return False
        seen |= own
    return len(sides) > 1


def _split(base: Fact, sides: list[FactSide]) -> list[Fact]:
    """A contested group as its own facts: one credible dispute, or (not credible) each side
    a fact of its own, or (no sides) the group's sentences under its source count."""
    if credible(sides):
        base.sides = sides
        return [base]
    if not sides:
        base.status = "corroborated" if base.independent_sources >= 2 else "single-source"
        return [base]
    out: list[Fact] = []
    for side in sides:
        n = side.independent_sources
        out.append(Fact(status="corroborated" if n >= 2 else "single-source", kind=base.kind,
                        independent_sources=n, outlets=list(side.outlets),
                        citations=side.citations, claim_id=base.claim_id,
                        headlines=base.headlines))  # fmt: skip
    return out


def facts_from_store_claims(
    claims: Iterable[Mapping[str, Any]],
    published: Mapping[str, str],
    headlines: frozenset[tuple[str, str]],
    year: int | None,
    vectors: Mapping[str, np.ndarray] | None = None,
) -> list[Fact]:
    """The facts of stored claims (``Store.claims`` rows, with their sources)."""
    out: list[Fact] = []
    for c in claims:
        fact = Fact(
            status=c["status"],
            kind=c["kind"],
            independent_sources=int(c["independent_sources"]),
            outlets=list(dict.fromkeys(c["outlets"])),
            citations=[_citation(s) for s in c["sources"]],
            claim_id=c["claim_id"],
            headlines=headlines,
        )
        facts = [fact]
        if c["status"] == "contested":
            sides = []
            for i, side in enumerate(c["sides"]):
                own = [_citation(s) for s in c["sources"] if s.get("side") == i]
                if own:
                    sides.append(FactSide(str(side["value"]), list(side["outlets"]), own,
                                          int(side.get("independent_sources", 1))))  # fmt: skip
            facts = _split(fact, sides)
        out.extend(_finish(f, published, year, vectors) for f in facts)
    return out


def facts_from_events(
    events: Iterable[Mapping[str, Any]],
    published: Mapping[str, str],
    headlines: frozenset[tuple[str, str]],
    year: int | None,
    vectors: Mapping[str, np.ndarray] | None = None,
) -> list[Fact]:
    """One fact per merged event (``Store.events`` rows): corroborated when two or more
    independent sources report it."""
    out: list[Fact] = []
    for e in events:
        cites = [_citation(s) for s in e["sources"]]
        if not cites:
            continue
        fact = Fact(
            status="corroborated" if e["independent_sources"] >= 2 else "single-source",
            kind="event",
            independent_sources=int(e["independent_sources"]),
            outlets=list(dict.fromkeys(c.outlet for c in cites)),
            citations=cites,
            event_id=e["event_id"],
            headlines=headlines,
        )
        fact = _finish(fact, published, year, vectors)
        # the type alone is not enough: the sentence shown must speak of the takeover
        fact.takeover = fact.takeover and e.get("sub_event_type") in TAKEOVER_TYPES
        out.append(fact)
    return out


def facts_from_groups(
    groups: Iterable[Any], vectors: Mapping[str, np.ndarray] | None = None
) -> list[Fact]:
    """One fact per ``sitroom.claims.ClaimGroup`` (store-less: offsets are into each
    claim's own text, headline claims flagged by their role)."""
    out: list[Fact] = []
    for g in groups:
        cites = [
            Citation(m.article_id, m.outlet, m.claim.text, m.claim.sentence_start,
                     m.claim.sentence_end)
            for m in g.members
        ]  # fmt: skip
        heads = frozenset(
            (m.article_id, m.claim.text) for m in g.members if m.claim.role == "title"
        )
        fact = Fact(
            status=g.status,
            kind=g.kind,
            independent_sources=g.independent_sources,
            outlets=list(dict.fromkeys(g.outlets)),
            citations=cites,
            claim_id=g.claim_id,
            headlines=heads,
        )
        facts = [fact]
        if g.status == "contested":
            sides = [
                FactSide(s.value, list(s.outlets), [cites[i] for i in s.members],
                         s.independent_sources)
                for s in g.sides
            ]  # fmt: skip
            facts = _split(fact, sides)
        out.extend(_finish(f, {}, None, vectors) for f in facts)
    return out
