"""Claims aligned as articles arrive: a topic's claim groups persist, and a batch's new
claims change only the groups they touch.

What persists per topic (the store's ``claim_units``): every distinct claim sentence (a
unit: copies of one sentence are one, as in ``align`` rule 0) with its embedding and the
claim it is in. A topic's new claim mentions are aligned thus (``extend``):

1. **Copies**: a new mention whose sentence is already a unit joins it; that unit's claim is
   touched (its sources, and so its status, may change).
2. **Neighbours**: each new unit is compared (``compare.relate``) with its ``NEIGHBOURS``
   nearest units of the topic (``TopicIndex``); the claims of those it would link with
   (affinity >= ``LINK``, as ``align`` links), or could be pulled into as a number (rule 4),
   are touched.
3. **Regroup**: the touched claims' units and the new units are aligned again together
   (``align``: clustering, numbers apart, pulled numbers, sides, sources, one dispute), and
   nothing else is read or written.
4. **Ids**: a group keeps the id of the old claim most of its mentions were in (the larger
   group first); an old claim none keeps is recorded as merged into the group holding most
   of its mentions (``claim_merges``); a new group gets a new id. Ids never change.
5. **Topic merges**: when a topic joins another, the units of the smaller of the two
   (``claims_rejoin``) are treated as new ones of the merged topic (their claims and their
   neighbours' touched), so a merge costs what the smaller topic holds.

``realign`` does a topic from scratch (``sitroom realign``; a store made before units
existed), keeping ids the same way. What ``extend`` cannot see: two old
claims that a new sentence would bring under one average-linkage cluster only through
claims it is not near, and rule 4 pulls from claims not near the new ones; the claims
benchmark measures how far the two end up apart.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from sitroom.claims.align import LINK, NEIGHBOURS, PULL_SIM, ClaimGroup, align
from sitroom.claims.compare import NUMBER_SIM, RELATED_SIM, relate_confirmed
from sitroom.claims.extract import ClaimMention
from sitroom.claims.index import ClaimIndex
from sitroom.claims.serial import from_json, to_json
from sitroom.claims.vectors import BAND, precise_similarity, precise_vectors

__all__ = ["ClaimsView", "TopicUpdate", "Unit", "extend", "realign", "unit_hash"]

FLOOR = min(RELATED_SIM, NUMBER_SIM, PULL_SIM) - 0.05


class ClaimsView(Protocol):
    """The store's reads the topic_claims stage makes (``sitroom.store.Store``)."""

    def pending_claims(self, topic_id: str) -> list[dict[str, Any]]: ...
    def unit_mentions(self, unit_ids: Iterable[int]) -> list[dict[str, Any]]: ...
    def claim_units_by_hash(self, topic_id: str, hashes: Iterable[str]
                            ) -> list[dict[str, Any]]: ...  # fmt: skip
    def claim_units_of(self, claim_ids: Iterable[str]) -> list[dict[str, Any]]: ...
    def rejoin_units(self, topic_id: str) -> list[dict[str, Any]]: ...
    def claim_units_by_id(self, unit_ids: Iterable[int]) -> list[dict[str, Any]]: ...
    def topic_unit_vectors(self, topic_id: str, after: int = 0) -> tuple[list[int], bytes]: ...
    def count_claim_units(self, topic_id: str, upto: int) -> int: ...
    def claims_by_id(self, claim_ids: Iterable[str]) -> list[dict[str, Any]]: ...
    def topic_claim_mentions(self, topic_id: str) -> list[dict[str, Any]]: ...
    def topic_claim_ids(self, topic_id: str) -> list[str]: ...


def unit_hash(text: str) -> str:
    """A claim sentence's unit key within its topic (its exact text)."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass
class Unit:
    """A distinct claim sentence of a topic."""

    hash: str
    text: str
    vec: np.ndarray
    claim: ClaimMention
    id: int | None = None  # None: not stored yet
    claim_id: str | None = None  # the claim it is in (before this update, then after)
    data: str = ""


@dataclass
class TopicUpdate:
    """What one alignment of a topic writes (``Writer.write_topic_update``)."""

    topic_id: str
    units: list[Unit] = field(default_factory=list)
    """Every unit whose claim is written (new units included), with its claim now."""
    mention_units: list[tuple[int, str]] = field(default_factory=list)
    """(mention id, unit hash) of the mentions aligned now."""
    groups: list[tuple[ClaimGroup, str, str, list[int]]] = field(default_factory=list)
    """(claim, story id, representative unit hash, each member's mention id)."""
    removed: list[str] = field(default_factory=list)
    """Claims that no longer exist (merged into others, or of a topic merged away)."""
    merges: list[tuple[str, str]] = field(default_factory=list)
    vectors: dict[int, bytes] = field(default_factory=dict)
    """Embeddings of mentions computed now, to keep."""
    stories: set[str] = field(default_factory=set)
    """Stories whose claims changed (their briefs are rebuilt)."""
    realigned: bool = False
    minilm: dict[str, bytes] = field(default_factory=dict)
    """MiniLM vectors made for close calls (``vectors.text_hash`` -> float32 bytes), to keep."""


def extend(topic_id: str, view: ClaimsView, index: ClaimIndex | None = None) -> TopicUpdate:
    """Align a topic's new claim mentions with its claims (see the module's steps)."""
    pending = view.pending_claims(topic_id)
    rejoin = [_unit(r) for r in view.rejoin_units(topic_id)]
    up = TopicUpdate(topic_id)
    if not pending and not rejoin:
        return up
    vecs = _vectors(pending, up)
    by_hash: dict[str, list[int]] = {}
    for i, r in enumerate(pending):
        by_hash.setdefault(unit_hash(r["text"]), []).append(i)
    old = {u["hash"]: u for u in view.claim_units_by_hash(topic_id, by_hash)}
    touched: set[str] = set()
    new_units: list[Unit] = []
    for h, at in by_hash.items():
        if h in old:  # step 1: a copy of a known sentence
            if old[h]["claim_id"]:
                touched.add(old[h]["claim_id"])
            continue
        first = pending[at[0]]
        new_units.append(Unit(h, first["text"], vecs[at[0]], from_json(first["data"]),
                              data=first["data"]))  # fmt: skip
    # step 5: the units of a topic merged into this one, compared with the rest of it
    touched |= {u.claim_id for u in rejoin if u.claim_id}
    touched |= _neighbour_claims(topic_id, new_units + rejoin, view, index)
    units = {u["hash"]: _unit(u) for u in view.claim_units_of(touched)}
    units |= {u.hash: u for u in rejoin if u.hash not in units}
    units |= {h: _unit(u) for h, u in old.items()}
    units |= {u.hash: u for u in new_units}
    rows = view.unit_mentions(u.id for u in units.values() if u.id is not None) + pending
    return _regroup(up, units, rows, touched, view)


def realign(topic_id: str, view: ClaimsView) -> TopicUpdate:
    """Align a topic's claims from scratch, keeping the ids of the claims they were in."""
    rows = view.topic_claim_mentions(topic_id)
    up = TopicUpdate(topic_id, realigned=True)
    vecs = _vectors(rows, up)
    units: dict[str, Unit] = {}
    for i, r in enumerate(rows):
        h = unit_hash(r["text"])
        if h not in units:
            units[h] = Unit(h, r["text"], vecs[i], from_json(r["data"]), data=r["data"])
        prev = r.get("unit_claim") or r.get("source_claim")
        if prev and units[h].claim_id is None:
            units[h].claim_id = prev
    old = set(view.topic_claim_ids(topic_id))
    return _regroup(up, units, rows, old, view)


def _unit(row: dict[str, Any]) -> Unit:
    from sitroom.claims.vectors import embed, usable

    vec = (np.frombuffer(row["vec"], dtype=np.float32) if usable(row["vec"])
           else embed([row["text"]])[0])  # fmt: skip
    return Unit(row["hash"], row["text"], vec, from_json(row["data"]), row["id"],
                row["claim_id"], row["data"])  # fmt: skip


def _vectors(rows: list[dict[str, Any]], up: TopicUpdate) -> np.ndarray:
    """The mentions' embeddings: kept ones read, the rest computed (and given to keep)."""
    from sitroom.claims.vectors import dim, embed, usable

    out = np.zeros((len(rows), dim()), dtype=np.float32)
    todo = []
    for i, r in enumerate(rows):
        if usable(r.get("vec")):
            out[i] = np.frombuffer(r["vec"], dtype=np.float32)
        else:
            todo.append(i)
    if todo:
        texts = list(dict.fromkeys(rows[i]["text"] for i in todo))
        got = dict(zip(texts, embed(texts), strict=True))
        for i in todo:
            out[i] = got[rows[i]["text"]]
            up.vectors[rows[i]["mention_id"]] = out[i].tobytes()
    return out


def _neighbour_claims(topic_id: str, new: list[Unit], view: ClaimsView, index: Any) -> set[str]:
    """Step 2: the claims new units would link with, or be pulled into as a number."""
    if not new:
        return set()
    if index is None:
        index = ClaimIndex(None)
    found = index.search(view, topic_id, np.stack([u.vec for u in new]), NEIGHBOURS, FLOOR)
    wanted = {uid for hits in found for uid, _ in hits}
    near = {r["id"]: r for r in view.claim_units_by_id(wanted)}
    # close calls: MiniLM decides, as align does (every sentence they need embedded at once)
    close = [(u.text, near[uid]["text"]) for u, hits in zip(new, found, strict=True)
             for uid, sim in hits if uid in near and BAND[0] <= sim < BAND[1]]  # fmt: skip
    precise_vectors([t for pair in close for t in pair])
    out: set[str] = set()
    for u, hits in zip(new, found, strict=True):
        for uid, sim in hits:
            row = near.get(uid)
            if row is None or not row["claim_id"] or row["claim_id"] in out:
                continue
            other = from_json(row["data"])
            if BAND[0] <= sim < BAND[1]:
                sim = precise_similarity(u.text, row["text"])
            if sim >= PULL_SIM and _could_pull(u.claim, other):
                out.add(row["claim_id"])
                continue
            if sim < min(RELATED_SIM, NUMBER_SIM) - 0.1:
                continue
            r = relate_confirmed(u.claim, other, sim)
            aff = r.score if r.kind == "same" else LINK + 0.05 if r.kind == "contradicts" else sim
            if max(aff, sim) >= LINK:
                out.add(row["claim_id"])
    return out


def _could_pull(a: ClaimMention, b: ClaimMention) -> bool:
    """Rule 4's test, loosely: one states a quantity of a measure the other states, and they
    share a place or an actor."""
    ma = {q.measure for q in a.numbers if q.measure}
    mb = {q.measure for q in b.numbers if q.measure}
    names = {*a.places, *a.actors} & {*b.places, *b.actors}
    return bool(ma & mb) and bool(names)


def _regroup(
    up: TopicUpdate,
    units: dict[str, Unit],
    rows: Sequence[dict[str, Any]],
    touched: set[str],
    view: ClaimsView,
) -> TopicUpdate:
    """Step 3 and 4 over ``units`` and their mentions ``rows``."""
    rows = list({r["mention_id"]: r for r in rows}.values())  # a mention once
    claims = [from_json(r["data"]) for r in rows]
    items = [(r["article_id"], r["outlet"] or "?", r["source_key"], c)
             for r, c in zip(rows, claims, strict=True)]  # fmt: skip
    hashes = [unit_hash(r["text"]) for r in rows]
    vectors = np.stack([units[h].vec for h in hashes]) if rows else None
    groups = align(items, story=up.topic_id, vectors=vectors) if rows else []
    mention_of = {id(c): r["mention_id"] for r, c in zip(rows, claims, strict=True)}
    hash_of = {r["mention_id"]: h for r, h in zip(rows, hashes, strict=True)}
    story_of = {r["article_id"]: r["story_id"] for r in rows}
    prev_of = {r["mention_id"]: units[h].claim_id for r, h in zip(rows, hashes, strict=True)}
    up.mention_units = [(r["mention_id"], h) for r, h in zip(rows, hashes, strict=True)
                        if r.get("unit_id") is None or up.realigned]  # fmt: skip
    ids, merges, gone = _ids(up.topic_id, groups, mention_of, prev_of, touched, view)
    for g, cid in zip(groups, ids, strict=True):
        g.claim_id = cid
        members = [mention_of[id(m.claim)] for m in g.members if not m.extra]
        for mid in members:
            units[hash_of[mid]].claim_id = cid
        rep = next((hash_of[mention_of[id(m.claim)]] for m in g.members
                    if m.claim.text == g.text), hash_of[members[0]] if members else "")  # fmt: skip
        story = Counter(story_of[m.article_id] for m in g.members).most_common(1)[0][0]
        up.groups.append((g, story, rep, [mention_of[id(m.claim)] for m in g.members]))
        up.stories.update(story_of[m.article_id] for m in g.members)
    for g in groups:  # conflicts with claims merged away now point at their new home
        g.conflicts_with = list(dict.fromkeys(dict(merges).get(c, c) for c in g.conflicts_with))
    up.units = list(units.values())
    up.merges, up.removed = merges, gone
    for u in up.units:
        if not u.data:
            u.data = to_json(u.claim)
    return up


def _ids(
    topic_id: str,
    groups: list[ClaimGroup],
    mention_of: dict[int, int],
    prev_of: dict[int, str | None],
    touched: set[str],
    view: ClaimsView,
) -> tuple[list[str], list[tuple[str, str]], list[str]]:
    """Step 4: each group's id, the (old, new) merges and the old ids gone."""
    counts = [Counter(p for m in g.members if not m.extra
                      if (p := prev_of.get(mention_of[id(m.claim)])))
              for g in groups]  # fmt: skip
    ids: list[str | None] = [None] * len(groups)
    kept: set[str] = set()
    for k in sorted(range(len(groups)), key=lambda k: -len(groups[k].members)):
        for cid, _ in counts[k].most_common():
            if cid not in kept:
                ids[k] = cid
                kept.add(cid)
                break
    fresh = [k for k in range(len(groups)) if ids[k] is None]
    candidates = {k: _new_id(topic_id, groups[k].text) for k in fresh}
    taken = {r["claim_id"] for r in view.claims_by_id(candidates.values())} | kept
    for k in fresh:
        cid, n = candidates[k], 1
        while cid in taken:
            n += 1
            cid = _new_id(topic_id, f"{groups[k].text}#{n}")
        ids[k] = cid
        taken.add(cid)
    final = [c for c in ids if c is not None]
    gone = sorted((touched | {p for c in counts for p in c}) - set(final))
    merges = []
    for old in gone:
        home = max(range(len(groups)), key=lambda k: counts[k][old], default=None)
        if home is not None and counts[home][old]:
            merges.append((old, final[home]))
    return final, merges, gone


def _new_id(topic_id: str, text: str) -> str:
    norm = " ".join(re.findall(r"\w+", text.lower()))
    return hashlib.sha1(f"{topic_id}\n{norm}".encode("utf-8", "surrogatepass")).hexdigest()[:16]
