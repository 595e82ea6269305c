"""Claims of many articles grouped into cross-checked claims: corroborated, single-source or
contested.

``align(items)`` takes (article id, outlet, source key, claim) rows, the source key being the
article's copy group (copies of one wire story share it). Steps, in order:

0. **Copies**: sentences printed word for word by several articles (a wire story and its
   reprints) are one unit in every step below; each copy is a member of the unit's group.
   Only each claim's ``NEIGHBOURS`` nearest claims are compared in step 1.
1. **Embed** each distinct claim text once (``vectors.embed``) and relate every pair above
   ``RELATED_SIM`` with ``compare.relate_confirmed`` (a contradiction confirmed on MiniLM).
2. **Link**: the affinity of two claims is their cosine similarity, raised to the relation's
   score when they state the same fact (an agreeing quantity or shared date lifts it) and to
   at least ``LINK + 0.05`` when they contradict each other (a contradiction is about the
   same thing, so its two sides belong together).
3. **Cluster**: average-linkage agglomeration over the affinities, stopping at ``LINK``.
   ``LINK`` was chosen on the NeuS/AllSides validation split (``benchmarks/claims.py
   --tune``, 100 clusters), never on the sample corpus' answer key: 0.62 is the sweep's most
   precise point (P 0.93, R 0.61 against the neutral roundups). Lower values score a higher
   F1 there (0.78 at 0.50) because that proxy never penalises merging two facts, and they
   do merge distinct facts that share a measure (two countries' troop numbers).
   3b. **Numbers apart**: when fewer than half of a group's members give a quantity of its
   measure (and the representative does not), those members leave as a group of their own:
   "seized 14 of the 34 provincial capitals" is a fact of its own next to "seized
   provincial capitals".
4. **Pull numbers across sentences**: a claim outside a group joins it as an extra member
   when it gives a quantity of the group's measure ("people", "km") and names one of the
   group's core places or actors (named by at least half its members), names no agent
   (actor or country) disjoint from the group's core ones, and has similarity >= ``PULL_SIM``
   to the group's representative (a loose floor: the measure and names carry the match):
   "the city of about 600,000 people had turned into a ghost town" also speaks to Herat's
   population.
5. **Sides**: when members contradict each other, the commonest dimension of their conflicts
   splits the members into sides: by interval-compatible values for numbers, by polarity, or
   by the date, place or actor keys; the group is contested only when some side holds a
   source another side lacks (one outlet saying both is not a dispute between sources).
   One contested group holds all sides (``conflicts_with``
   lists only other groups whose representatives contradict this one's without having been
   grouped with it).
6. **Sources**: a member counts for its source key, except that a claim attributed to an
   outlet ("told Al Jazeera") counts for that outlet, unless that outlet is one of the
   source key's own outlets (a wire's reprints citing the wire). ``independent_sources`` is
   the number of distinct keys; >= 2 is "corroborated", unless the group is "contested".
   When the representative, or half the members, state a quantity, the number is the fact:
   only members giving a
   quantity of the group's measure count ("seized provincial capitals" does not corroborate
   "seized 14 of the 34 provincial capitals").
7. **One dispute, one contested claim**: groups are built largest first; when a group is
   contested only through sentences pulled in by rule 4 and at least half of the sentences
   on its sides already make up a larger group's dispute, it is rebuilt without the pulled
   sentences (its own status then) and linked to that group in ``conflicts_with``: the
   council member's "the city of about 600,000" sentence is not a second population dispute.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from sitroom.claims.compare import (
    NUMBER_SIM,
    RELATED_SIM,
    Relation,
    main_clause_negated,
    relate_confirmed,
)
from sitroom.claims.extract import ClaimMention, Quantity, agents, is_outlet
from sitroom.claims.linkage import (
    NEIGHBOURS,
    Affinity,
    Similarity,
    cluster,
    cluster_affinity,
)

__all__ = ["LINK", "NEIGHBOURS", "ClaimGroup", "Member", "Side", "align", "cluster"]

LINK = 0.62
PULL_SIM = 0.3


@dataclass
class Member:
    article_id: str
    outlet: str
    source: str  # the independent source it counts for
    claim: ClaimMention
    extra: bool = False  # joined by rule 4 (its sentence's main group is another)


@dataclass
class Side:
    value: str
    outlets: list[str]
    articles: list[str]
    independent_sources: int
    members: list[int]  # indices into the group's members


@dataclass
class ClaimGroup:
    claim_id: str
    text: str  # the representative member's sentence
    kind: str
    status: str  # "corroborated" | "single-source" | "contested"
    outlets: list[str]
    independent_sources: int
    members: list[Member]
    sides: list[Side] = field(default_factory=list)
    dimension: str | None = None  # what the sides disagree on
    conflicts_with: list[str] = field(default_factory=list)

    @property
    def articles(self) -> list[str]:
        return list(dict.fromkeys(m.article_id for m in self.members))

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        d = asdict(self)
        d["articles"] = self.articles
        return d


def _source(source_key: str, claim: ClaimMention, key_outlets: dict[str, set[str]]) -> str:
    """Rule 6: the independent source a claim counts for."""
    who = claim.attributed_to
    if who and is_outlet(who):
        own = {o.lower() for o in key_outlets.get(source_key, set())}
        if who.lower() not in own:
            return f"outlet:{who}"
    return source_key


def _main_measure(claims: Sequence[ClaimMention]) -> str | None:
    counts = Counter(q.measure for c in claims for q in c.numbers if q.measure)
    return counts.most_common(1)[0][0] if counts else None


def align(
    items: Sequence[tuple[str, str, str, ClaimMention]],
    story: str = "",
    vectors: np.ndarray | None = None,
    link: float = LINK,
) -> list[ClaimGroup]:
    """Group the claims of many articles (article id, outlet, source key, claim) into
    cross-checked claims, most independently sourced first. ``vectors``: the claims'
    embeddings when the caller has them; ``story`` goes into the claim ids."""
    if not items:
        return []
    # rule 0: a sentence printed word for word by several articles (a wire copy) is one
    # unit: compared, clustered and split once, and each of its copies a member
    first: dict[str, int] = {}
    copies: list[list[int]] = []
    for i, it in enumerate(items):
        u = first.setdefault(it[3].text, len(copies))
        if u == len(copies):
            copies.append([])
        copies[u].append(i)
    heads = [c[0] for c in copies]
    claims = [items[i][3] for i in heads]
    texts = [c.text for c in claims]
    sim = Similarity(vectors[heads] if vectors is not None else _embed(texts), texts)
    rel: dict[tuple[int, int], Relation] = {}
    raised = Affinity(sim)
    pairs = sim.neighbours(min(RELATED_SIM, NUMBER_SIM) - 0.1)
    for i, j in pairs:
        r = relate_confirmed(claims[i], claims[j], sim.pair(i, j))
        rel[(i, j)] = r
        if r.kind == "same":
            raised.raise_to(i, j, r.score)
        elif r.kind == "contradicts":
            raised.raise_to(i, j, link + 0.05)
    if sim.full is not None:
        full = sim.full.astype(np.float64)
        for i, row in raised.raised.items():
            for j, value in row.items():
                full[i, j] = value
        groups = cluster(full, link)

        def aff(g: list[int]) -> np.ndarray:
            return full[np.ix_(g, g)]
    else:  # thousands of units: no n x n matrix (``linkage``)
        groups = cluster_affinity(raised, pairs, link)

        def aff(g: list[int]) -> np.ndarray:
            return raised.sub(g)

    key_outlets: dict[str, set[str]] = {}
    for _, outlet, key, _ in items:
        key_outlets.setdefault(key, set()).add(outlet)
    sources = [_source(key, c, key_outlets) for _, _, key, c in items]

    def members(idx: list[int], extra: list[int]) -> tuple[list[Member], list[list[int]]]:
        """The members of units ``idx`` (every copy), and each unit's member positions."""
        mem: list[Member] = []
        spans: list[list[int]] = []
        for u in idx:
            spans.append(list(range(len(mem), len(mem) + len(copies[u]))))
            mem += [Member(items[i][0], items[i][1], sources[i], items[i][3], extra=u in extra)
                    for i in copies[u]]  # fmt: skip
        return mem, spans

    groups = _split_numbers(groups, claims, aff)
    reps = [_representative(g, aff(g)) if len(g) > 1 else g[0] for g in groups]
    extras = _pull_numbers(groups, reps, claims, sim)
    order = sorted(range(len(groups)), key=lambda k: -len(groups[k]))

    def build(k: int, pulled: bool) -> tuple[ClaimGroup, set[int]]:
        idx = groups[k] + extras[k] if pulled else groups[k]
        mem, spans = members(idx, extras[k])
        dimension, unit_sides = _sides(idx, claims, sim, rel)
        sides = [(v, [m for p in pos for m in spans[p]]) for v, pos in unit_sides]
        grp = _group(story, claims[reps[k]], mem, dimension, sides)
        return grp, {idx[p] for _, pos in unit_sides for p in pos}

    # rule 7: one dispute, one contested claim. The disputes groups hold by their own
    # members come first; then, largest first, those held through pulled sentences
    own = {k: build(k, False) for k in order}
    disputes = [(held, grp.claim_id) for k in order
                if (grp := own[k][0]).status == "contested" for held in [own[k][1]]]  # fmt: skip
    built: dict[int, ClaimGroup] = {}
    for k in order:
        grp, held = build(k, True) if extras[k] else own[k]
        if grp.status == "contested" and own[k][0].status != "contested":
            # contested only by the sentences pulled in for a dispute another group holds
            same = next((cid for d, cid in disputes if len(held & d) * 2 >= len(held)), None)
            if same is not None:
                grp = own[k][0]
                grp.conflicts_with.append(same)
            else:
                disputes.append((held, grp.claim_id))
        built[k] = grp
    out = [built[k] for k in range(len(groups))]
    _mark_conflicts(out, reps, claims, sim)
    out.sort(key=lambda grp: (-grp.independent_sources, -len(grp.members), grp.text))
    return out


def _embed(texts: list[str]) -> np.ndarray:
    from sitroom.claims.vectors import embed

    return embed(texts)


def _split_numbers(
    groups: list[list[int]],
    claims: list[ClaimMention],
    aff: Callable[[list[int]], np.ndarray],
) -> list[list[int]]:
    """Rule 3b: members stating a quantity of a measure that fewer than half the group
    states, the representative not among them, leave as a group of their own."""
    out: list[list[int]] = []
    for g in groups:
        measure = _main_measure([claims[i] for i in g])
        stating = [i for i in g if any(q.measure == measure for q in claims[i].numbers)]
        rep = _representative(g, aff(g)) if len(g) > 1 else g[0]
        if measure is None or 2 * len(stating) >= len(g) or rep in stating:
            out.append(g)
            continue
        out.append([i for i in g if i not in stating])
        out.append(stating)
    return out


def _representative(g: list[int], sub: np.ndarray) -> int:
    """The member of highest total affinity to the rest (``sub``: the group's matrix)."""
    if len(g) == 1:
        return g[0]
    return g[int(np.argmax(sub.sum(axis=1)))]


def _pull_numbers(
    groups: list[list[int]], reps: list[int], claims: list[ClaimMention], sim: Similarity
) -> list[list[int]]:
    """Rule 4: claims from other groups that give a quantity of a group's main measure."""
    stating: dict[str, list[int]] = {}
    for j, c in enumerate(claims):
        for m in dict.fromkeys(q.measure for q in c.numbers if q.measure):
            stating.setdefault(m, []).append(j)
    out: list[list[int]] = []
    for g, rep in zip(groups, reps, strict=True):
        measure = _main_measure([claims[i] for i in g])
        extra: list[int] = []
        if measure is not None:
            counts = Counter(k for i in g for k in {*claims[i].places, *claims[i].actors})
            names = {k for k, n in counts.items() if 2 * n >= len(g)}
            core_agents = names & set().union(*(agents(claims[i]) for i in g))
            inside = set(g)
            cands = np.array([j for j in stating[measure] if j not in inside], dtype=np.int64)
            near = cands[sim.row(rep, cands) >= PULL_SIM] if len(cands) else cands
            for j in near.tolist():
                c = claims[j]
                theirs = agents(c)
                if core_agents and theirs and not core_agents & theirs:
                    continue
                if names & {*c.places, *c.actors}:
                    extra.append(j)
        out.append(extra)
    return out


def _side_key(c: ClaimMention, dimension: str, q: Quantity | None) -> str:
    if dimension == "polarity":
        return "negated" if main_clause_negated(c) else "positive"
    if dimension == "date":
        return ", ".join(d for d in c.dates if not re.fullmatch(r"\d{4}", d))
    if dimension == "place":
        return ", ".join(c.places)
    if dimension == "actor":
        return ", ".join(c.actors)
    return q.text if q is not None else ""


def _sides(
    idx: list[int],
    claims: list[ClaimMention],
    sim: Similarity,
    rel: dict[tuple[int, int], Relation],
) -> tuple[str | None, list[tuple[str, list[int]]]]:
    """Rule 5: (dimension, [(value, member positions)]) of a group whose members conflict."""
    dims: Counter[str] = Counter()
    measure: str | None = None
    for a in range(len(idx)):
        for b in range(a + 1, len(idx)):
            i, j = sorted((idx[a], idx[b]))
            r = rel.get((i, j))
            if r is None:
                r = relate_confirmed(claims[i], claims[j], sim.pair(i, j))
                rel[(i, j)] = r
            if r.kind == "contradicts" and r.dimension:
                dims[r.dimension] += 1
                if r.dimension == "number" and measure is None:
                    measure = r.why.rsplit("(", 1)[-1].rstrip(")")
    if not dims:
        return None, []
    dimension = dims.most_common(1)[0][0]
    sides: list[tuple[str, Quantity | None, list[int]]] = []
    for pos, i in enumerate(idx):
        c = claims[i]
        q = None
        if dimension == "number":
            qs = [x for x in c.numbers if x.measure == measure]
            if not qs:
                continue
            q = qs[0]
            home = next(
                (s for s in sides if s[1] is not None and _agree(s[1], qs)), None
            )  # fmt: skip
            if home is None:
                sides.append((q.text, q, [pos]))
            else:
                home[2].append(pos)
            continue
        key = _side_key(c, dimension, None)
        if not key:
            continue
        home = next((s for s in sides if s[0] == key), None)
        if home is None:
            sides.append((key, None, [pos]))
        else:
            home[2].append(pos)
    return dimension, [(v, m) for v, _, m in sides]


def _agree(q: Quantity, qs: list[Quantity]) -> bool:
    from sitroom.claims.compare import _overlap

    return any(_overlap(q, x) for x in qs)


def _group(
    story: str,
    rep: ClaimMention,
    members: list[Member],
    dimension: str | None,
    sides: list[tuple[str, list[int]]],
) -> ClaimGroup:
    norm = " ".join(re.findall(r"\w+", rep.text.lower()))
    claim_id = hashlib.sha1(f"{story}\n{norm}".encode()).hexdigest()[:16]
    outlets = list(dict.fromkeys(m.outlet for m in members))
    measure = _main_measure([m.claim for m in members])
    counted = members
    stating = [m for m in members if any(q.measure == measure for q in m.claim.numbers)]
    if measure is not None and (
        any(q.measure == measure for q in rep.numbers) or 2 * len(stating) >= len(members)
    ):
        counted = stating  # the number is the fact: only members stating it count
    n_sources = len({m.source for m in counted})
    side_objs = [
        Side(
            value=value,
            outlets=list(dict.fromkeys(members[p].outlet for p in pos)),
            articles=list(dict.fromkeys(members[p].article_id for p in pos)),
            independent_sources=len({members[p].source for p in pos}),
            members=pos,
        )
        for value, pos in sides
    ]
    # sources disagree only when some side has a source another side lacks: one outlet's
    # "it will" and "it won't" in two sentences is not a dispute between sources
    side_sources = [{members[p].source for p in pos} for _, pos in sides]
    disputed = any(a != b for a in side_sources for b in side_sources)
    if len(side_objs) >= 2 and disputed:
        status = "contested"
    else:
        status = "corroborated" if n_sources >= 2 else "single-source"
        side_objs, dimension = [], None
    return ClaimGroup(
        claim_id=claim_id,
        text=rep.text,
        kind=rep.kind,
        status=status,
        outlets=outlets,
        independent_sources=n_sources,
        members=members,
        sides=side_objs,
        dimension=dimension,
    )


def _mark_conflicts(
    groups: list[ClaimGroup],
    reps: list[int],
    claims: list[ClaimMention],
    sim: Similarity,
) -> None:
    """``conflicts_with``: groups whose representatives contradict each other (each
    representative against its ``NEIGHBOURS`` nearest above the lowest similarity any
    contradiction needs)."""
    for a, b in sim.neighbours(NUMBER_SIM - 0.1, among=reps):
        i, j = reps[a], reps[b]
        r = relate_confirmed(claims[i], claims[j], sim.pair(i, j))
        if r.kind == "contradicts":
            groups[a].conflicts_with.append(groups[b].claim_id)
            groups[b].conflicts_with.append(groups[a].claim_id)
