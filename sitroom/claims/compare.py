"""How two claim mentions relate: the same fact, a contradiction (and on what), or neither.

``relate(a, b, sim)`` takes the cosine similarity of the two sentences (``claims.vectors``:
static, MiniLM's for a close call) and applies these rules, in order:

1. **Number**: the two claims measure the same thing (the same unit, or the same counted noun
   and, for "N of M", the same M) and no pair of their quantities of that measure has
   overlapping intervals (each quantity's interval comes from its wording: "about 600,000" is
   570,000..630,000, "nearly 500,000" 450,000..500,000, "80 miles" 128.7 km; exact values get
   1.5% of slack for rounding in unit conversions) -> contradicts on "number". Guard: the
   claims must be about the same subject: similarity >= ``NUMBER_SIM`` and they share a place
   or actor, or one of them names none, or both say "of M" with the same M; and their agents
   (actors and countries: "Britain" vs "the United States" sending troops) are not disjoint.
2. **Polarity**: one claim negated and the other not, similarity >= ``POLARITY_SIM`` (less
   ``ANCHOR_BONUS`` when one claim's names are all among the other's), and the
   negation sits on the main clause (or the clause a "said" introduces) of the dependency parse,
   or that clause's verb is "deny" or "refuse" -> contradicts on "polarity"; unless either
   sentence answers its negated clause with an asserting one ("denies backing them, but
   their leaders live there": ``contrasted``), which takes neither side. Only these few
   pairs are parsed.
3. **Date, place, actor**: the same event (similarity >= ``EVENT_SIM``) told with one
   dimension different while the rest agree: both give weekdays or month-days and none is
   shared (with a place or actor in common) -> "date"; an agreeing quantity or shared date
   anchors the event and the places are disjoint -> "place", or the actors -> "actor".
4. **Same**: similarity >= ``SAME_SIM``, less ``ANCHOR_BONUS`` with an anchor (a quantity of
   the same measure that agrees, or a shared date and name) and less it again when the
   agreeing quantity comes with a shared place or actor ("about 3,000 troops" to Kabul).
5. **Related**: similarity >= ``RELATED_SIM`` or any anchor; otherwise unrelated.

The thresholds are set by hand from the sentence-similarity distributions of different
outlets' title/lead sentences on one story in the NeuS/AllSides *validation* split, not from
the sample corpus' key; the contradiction thresholds sit above ``SAME_SIM`` or need a shared
structure, so that a conflict needs more evidence than an agreement. Only ``align.LINK`` was
swept (``benchmarks/claims.py --tune``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sitroom.claims.extract import ClaimMention, Quantity, agents, countries

__all__ = [
    "ANCHOR_BONUS",
    "EVENT_SIM",
    "NUMBER_SIM",
    "POLARITY_SIM",
    "RELATED_SIM",
    "SAME_SIM",
    "Relation",
    "main_clause_negated",
    "negated_main",
    "number_conflict",
    "quantities_agree",
    "relate",
    "relate_confirmed",
]

SAME_SIM = 0.70
ANCHOR_BONUS = 0.12
RELATED_SIM = 0.45
NUMBER_SIM = 0.45
POLARITY_SIM = 0.72
EVENT_SIM = 0.80
_SLACK = 0.015
_TIME_UNITS = frozenset({"hour", "day", "week", "month", "year", "decade", "minute"})


@dataclass(frozen=True)
class Relation:
    kind: str  # "same" | "contradicts" | "related" | "unrelated"
    score: float
    dimension: str | None = None  # for contradicts: number, date, place, actor, polarity
    why: str = ""


def _interval(q: Quantity) -> tuple[float, float]:
    lo, hi = q.low, q.high
    if q.approx is None:
        lo, hi = lo * (1 - _SLACK), hi * (1 + _SLACK)
    return lo, hi


def _overlap(a: Quantity, b: Quantity) -> bool:
    alo, ahi = _interval(a)
    blo, bhi = _interval(b)
    return alo <= bhi and blo <= ahi


def _same_measure(a: Quantity, b: Quantity) -> bool:
    if a.measure is None or a.measure != b.measure:
        return False
    return not (a.total is not None and b.total is not None and a.total != b.total)


def quantities_agree(a: ClaimMention, b: ClaimMention) -> Quantity | None:
    """A quantity of ``a`` that agrees with one of ``b`` of the same measure, if any."""
    for qa in a.numbers:
        for qb in b.numbers:
            if _same_measure(qa, qb) and _overlap(qa, qb):
                return qa
    return None


def _names(c: ClaimMention) -> set[str]:
    return set(c.places) | set(c.actors)


def number_conflict(
    a: ClaimMention, b: ClaimMention, sim: float
) -> tuple[Quantity, Quantity] | None:
    """Quantities of ``a`` and ``b`` that measure the same thing and cannot both be right."""
    by_measure: dict[str, list[tuple[Quantity, Quantity]]] = {}
    for qa in a.numbers:
        for qb in b.numbers:
            if _same_measure(qa, qb):
                by_measure.setdefault(qa.measure or "", []).append((qa, qb))
    for measure, pairs in by_measure.items():
        if any(_overlap(qa, qb) for qa, qb in pairs):
            continue
        qa, qb = pairs[0]
        same_total = qa.total is not None and qa.total == qb.total
        na, nb = _names(a), _names(b)
        ga, gb = agents(a), agents(b)
        different_agents = bool(ga and gb and not ga & gb)
        subject = same_total or (not different_agents and (not na or not nb or bool(na & nb)))
        floor = NUMBER_SIM + (0.15 if measure in _TIME_UNITS else 0.0)
        if subject and (sim >= floor or (same_total and sim >= NUMBER_SIM - 0.1)):
            return qa, qb
    return None


_SPEECH = frozenset(
    "say tell add claim confirm insist argue warn note report state announce".split()
)


_CONTRAST = frozenset({"but", "yet", "though", "although", "while", "whereas"})


def _negated_head(h: Any) -> bool:
    return h.lemma_ in ("deny", "refuse") or any(c.dep_ == "neg" for c in h.children)


def _main_heads(sent: Any) -> list[Any]:
    root = sent.root
    heads = [root]
    if root.lemma_ in _SPEECH:
        heads += [c for c in root.children if c.dep_ in ("ccomp", "xcomp")]
    return heads


def negated_main(doc: Any) -> bool:
    """The parsed sentence's main clause, or the clause a speech verb introduces, is
    negated."""
    for sent in doc.sents:
        return any(_negated_head(h) for h in _main_heads(sent))
    return False


@lru_cache(maxsize=4096)
def contrasted(text: str) -> bool:
    """The sentence's negated main clause is answered by an asserting one ("Islamabad
    denies backing the insurgents, but their leaders live in Pakistan"): it says both, so
    it takes neither side of a polarity dispute."""
    from sitroom.nlp import parse

    for sent in parse([text])[0].sents:
        for h in _main_heads(sent):
            if _negated_head(h) and any(c.dep_ == "cc" and c.lower_ in _CONTRAST
                                        for c in h.children):  # fmt: skip
                return any(c.dep_ == "conj" and not _negated_head(c) for c in h.children)
        return False
    return False


def main_clause_negated(c: ClaimMention | str) -> bool:
    """``negated_main`` of a claim: as its article's parse read it, else (a claim given as
    text, or stored before claims carried it) from parsing its text."""
    if isinstance(c, ClaimMention):
        if c.main_negated is not None:
            return c.main_negated
        c = c.text
    return _negated_text(c)


@lru_cache(maxsize=4096)
def _negated_text(text: str) -> bool:
    from sitroom.nlp import parse

    return negated_main(parse([text])[0])


def _names_within(a: ClaimMention, b: ClaimMention) -> bool:
    """All the names of the claim naming fewer are named by the other (and there are some)."""
    small, big = sorted((_names(a), _names(b)), key=len)
    return bool(small) and small <= big


def _kind_of_date(key: str) -> str:
    if re.fullmatch(r"\d{4}", key):
        return "year"
    return "day" if "-" in key else "weekday"


def _date_conflict(a: ClaimMention, b: ClaimMention) -> bool:
    for kind in ("day", "weekday"):
        da = {d for d in a.dates if _kind_of_date(d) == kind}
        db = {d for d in b.dates if _kind_of_date(d) == kind}
        if da and db and not da & db:
            return True
    return False


def relate_confirmed(a: ClaimMention, b: ClaimMention, sim: float) -> Relation:
    """``relate`` on ``sim`` (the static vectors' cosine), a contradiction confirmed on
    MiniLM's cosine of the two sentences (``sitroom.claims.vectors``): it stands only if
    ``relate`` still finds it there."""
    r = relate(a, b, sim)
    if r.kind != "contradicts":
        return r
    from sitroom.claims.vectors import precise_similarity

    return relate(a, b, precise_similarity(a.text, b.text))


def relate(a: ClaimMention, b: ClaimMention, sim: float) -> Relation:
    """How claim ``b`` relates to claim ``a``; ``sim`` is their embeddings' cosine."""
    conflict = number_conflict(a, b, sim)
    if conflict:
        qa, qb = conflict
        return Relation("contradicts", sim, "number", f"{qa.text} vs {qb.text} ({qa.measure})")
    if (
        a.polarity != b.polarity
        and sim >= (POLARITY_SIM - ANCHOR_BONUS if _names_within(a, b) else POLARITY_SIM)
        and main_clause_negated(a) != main_clause_negated(b)
        and not contrasted(a.text)
        and not contrasted(b.text)
    ):
        neg = a if a.polarity == "negated" else b
        return Relation("contradicts", sim, "polarity", f"negated: {neg.text[:60]}")
    agree = quantities_agree(a, b)
    shared_dates = set(a.dates) & set(b.dates)
    shared_names = _names(a) & _names(b)
    if sim >= EVENT_SIM:
        if shared_names and _date_conflict(a, b):
            why = f"{', '.join(a.dates)} vs {', '.join(b.dates)}"
            return Relation("contradicts", sim, "date", why)
        if agree is not None or shared_dates:
            # countries are context ("the U.S.-backed government"), not where it happened
            pa, pb = set(a.places) - countries(), set(b.places) - countries()
            if pa and pb and not pa & pb:
                why = f"{', '.join(a.places)} vs {', '.join(b.places)}"
                return Relation("contradicts", sim, "place", why)
            if a.actors and b.actors and not set(a.actors) & set(b.actors) and shared_names:
                why = f"{', '.join(a.actors)} vs {', '.join(b.actors)}"
                return Relation("contradicts", sim, "actor", why)
    anchor = agree is not None or bool(shared_dates and shared_names)
    floor = SAME_SIM - ANCHOR_BONUS * ((agree is not None and bool(shared_names)) + anchor)
    if sim >= floor:
        why = f"agree on {agree.text}" if agree is not None else f"similar ({sim:.2f})"
        return Relation("same", min(1.0, sim + (ANCHOR_BONUS / 2 if anchor else 0.0)), None, why)
    if sim >= RELATED_SIM or anchor:
        return Relation("related", sim, None, f"similar ({sim:.2f})")
    return Relation("unrelated", sim, None, "")
