"""Check a claim against articles: does each support it, contradict it, only discuss it?

``check(claim, articles)``, for any claim text and any articles:

1. **The claim** is read like an article sentence (``find_claims``): its quantities, dates,
   places, actors and polarity. A claim that names nothing checkable is kept whole with
   empty structure (only its embedding and polarity can then decide).
2. **Candidates**: every claim sentence of each article (``find_claims``), embedded once;
   a candidate's retrieval score is its cosine similarity to the claim, plus ``NAME_BONUS``
   when it shares a place or actor and ``MEASURE_BONUS`` when it gives a quantity of the
   claim's measure. The best ``TOP_K`` with similarity >= ``RETRIEVE_SIM`` are the evidence.
3. **Verdict**, with ``compare.relate`` on each piece of evidence:
   - "contradicts": some evidence contradicts the claim (number, polarity, date, place or
     actor) with similarity no lower than the best supporting evidence's minus ``MARGIN``;
   - "supports": some evidence states the same fact; also when the claim and a piece of
     evidence (related, same polarity) report the same event: the events extractor finds
     in both an event that happened of the same ACLED sub-type at the same place (GeoNames
     id), with no different named doer ("Taliban fighters have overrun Kandahar" supports
     "The Taliban captured Kandahar");
   - "discusses": some evidence is related, or shares a place or actor and the claim's
     measure, but nothing settles it;
   - "unrelated": otherwise.
The score is the similarity of the evidence that decided (0 when unrelated).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from sitroom.claims.compare import RELATED_SIM, Relation, main_clause_negated, relate
from sitroom.claims.extract import ClaimMention, find_claims, find_dates

__all__ = ["Evidence", "Verdict", "check", "check_pairs"]

TOP_K = 3
RETRIEVE_SIM = 0.35
NAME_BONUS = 0.08
MEASURE_BONUS = 0.08
MARGIN = 0.05


@dataclass(frozen=True)
class Evidence:
    text: str
    start: int
    end: int
    relation: str
    score: float


@dataclass
class Verdict:
    article: str
    verdict: str  # "supports" | "contradicts" | "discusses" | "unrelated"
    evidence: list[Evidence] = field(default_factory=list)
    score: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def as_claim(text: str) -> ClaimMention:
    """The claim ``text`` says: its most structured sentence, else the text with no
    structure."""
    found = find_claims(text)
    if found:
        return max(found, key=lambda c: len(c.numbers) + len(c.places) + len(c.actors))
    from sitroom.claims.extract import _hedge, _polarity

    return ClaimMention(text.strip(), "event", 0, len(text), (), find_dates(text), (), (),
                        _polarity(text), _hedge(text), None)  # fmt: skip


@lru_cache(maxsize=256)
def _claims_of(text: str) -> tuple[ClaimMention, ...]:
    return tuple(find_claims(text))


def check(claim: str, articles: Sequence[tuple[str, str]]) -> list[Verdict]:
    """A verdict on ``claim`` for each (id or file, text) article, in the given order."""
    target = as_claim(claim)
    per_article = [list(_claims_of(text)) for _, text in articles]
    texts = [target.text] + [c.text for cs in per_article for c in cs]
    vecs = _vectors(texts)
    qvec, rest = vecs[0], vecs[1:]
    out = []
    pos = 0
    for (name, _), cands in zip(articles, per_article, strict=True):
        sims = rest[pos : pos + len(cands)] @ qvec if cands else np.zeros(0)
        pos += len(cands)
        out.append(decide(name, target, cands, sims))
    return out


_VECS: dict[str, np.ndarray] = {}
_VECS_MAX = 50_000


def _vectors(texts: list[str]) -> np.ndarray:
    """Embeddings of ``texts``; a sentence seen before (an article checked against many
    claims) is not embedded again."""
    from sitroom.embed import embedder

    new = [t for t in dict.fromkeys(texts) if t not in _VECS]
    if new:
        if len(_VECS) + len(new) > _VECS_MAX:
            _VECS.clear()
        for t, v in zip(new, embedder()(new), strict=True):
            _VECS[t] = v
    return np.stack([_VECS[t] for t in texts])


def _retrieval(target: ClaimMention, c: ClaimMention, sim: float) -> float:
    names = set(target.places) | set(target.actors)
    score = sim
    if names & (set(c.places) | set(c.actors)):
        score += NAME_BONUS
    measures = {q.measure for q in target.numbers}
    if any(q.measure in measures for q in c.numbers):
        score += MEASURE_BONUS
    return score


def decide(name: str, target: ClaimMention, cands: list[ClaimMention], sims: np.ndarray) -> Verdict:
    """The verdict on ``target`` for one article whose claims are ``cands`` (``sims``: their
    embedding similarity to the target)."""
    ranked = sorted(
        (i for i in range(len(cands)) if sims[i] >= RETRIEVE_SIM),
        key=lambda i: -_retrieval(target, cands[i], float(sims[i])),
    )[:TOP_K]
    if not ranked:
        return Verdict(name, "unrelated")
    rels: list[tuple[ClaimMention, Relation, float]] = [
        (cands[i], _same_event(target, cands[i], relate(target, cands[i], float(sims[i]))),
         float(sims[i])) for i in ranked
    ]  # fmt: skip
    evidence = [
        Evidence(c.text, c.sentence_start, c.sentence_end, r.kind, round(s, 3)) for c, r, s in rels
    ]
    same = [s for _, r, s in rels if r.kind == "same"]
    contra = [s for _, r, s in rels if r.kind == "contradicts"]
    if contra and (not same or max(contra) >= max(same) - MARGIN):
        evidence.sort(key=lambda e: e.relation != "contradicts")  # the deciding one first
        return Verdict(name, "contradicts", evidence, round(max(contra), 3))
    if same:
        evidence.sort(key=lambda e: e.relation != "same")
        return Verdict(name, "supports", evidence, round(max(same), 3))
    related = [
        s
        for c, r, s in rels
        if r.kind == "related" or (s >= RELATED_SIM - 0.1 and _retrieval(target, c, s) > s)
    ]
    if related:
        return Verdict(name, "discusses", evidence, round(max(related), 3))
    return Verdict(name, "unrelated", [], 0.0)


def _same_event(target: ClaimMention, c: ClaimMention, r: Relation) -> Relation:
    """``r``, or "same" when both sentences report the same event (see the module doc)."""
    if r.kind != "related":
        return r
    if target.polarity != c.polarity and (
        main_clause_negated(target) != main_clause_negated(c)
    ):  # the cue may sit in a subordinate clause ("... fears it may not survive")
        return r
    mine, theirs = _events_of(target.text), _events_of(c.text)
    for sub, place, doer in mine:
        for sub2, place2, doer2 in theirs:
            if sub == sub2 and place == place2 and (not doer or not doer2 or doer == doer2):
                return Relation("same", r.score, None, f"same event: {sub} at {place}")
    return r


@lru_cache(maxsize=4096)
def _events_of(text: str) -> tuple[tuple[str, int, str], ...]:
    """(sub-event type, GeoNames id, named doer) of the located events that happened."""
    from sitroom.events import extract

    out = []
    for e in extract(text):
        loc = e.location
        if e.happened and loc is not None and int(getattr(loc, "geonameid", 0) or 0):
            doer = e.actor1 if e.actor1 and not e.actor1.startswith("?") else ""
            out.append((e.sub_event_type, int(loc.geonameid), doer))
    return tuple(out)


def check_pairs(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Batch mode: each row {"id", "claim", "text" or "file"} -> {"id", "verdict",
    "evidence", "score"}. The models load once, on the first row."""
    for row in rows:
        text = row.get("text")
        if text is None:
            text = Path(row["file"]).read_text(encoding="utf-8")
        v = check(str(row["claim"]), [(str(row.get("id", "")), str(text))])[0]
        yield {
            "id": row.get("id"),
            "verdict": v.verdict,
            "evidence": [asdict(e) for e in v.evidence],
            "score": v.score,
        }
