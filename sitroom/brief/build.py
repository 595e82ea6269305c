"""A story's cited brief: its most important facts, each sentence a source sentence cited to
every outlet that states it.

Facts come only from what the pipeline stored: aligned claims (``claims``) and merged events
(``events``). Ranking, in order:

1. **Corroborated** facts (two or more independent sources): foreground before background
   (a sentence about past years, "two decades after", "has long"), then by independent
   sources, takeovers and events before numbers and assessments, then by outlets.
2. **Contested** facts, every side with its outlets: "X says A [X]; Y says B [Y]" (at most
   a third of the brief).
3. **Single-source** facts by salience (takeover, event, reprinted by several outlets, in an
   article's lead, not background), marked "(single source)" (a fifth of the brief is kept
   for them when the story has any).

Near-identical facts are shown once: a fact is dropped when it repeats a source sentence of
one already chosen, or its cosine to one is >= ``DUP`` (the claims' static vectors, MiniLM's
cosine where the static one is a close call: ``DUP_BAND``; contested facts are chosen
first, then corroborated, then single-source, so the better-supported version stays); at
>= ``MERGE`` the dropped fact's citations join the kept one.

"What changed since" keeps the facts first seen after a time (ISO date or datetime), or the
ones absent from a previous brief.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

import numpy as np

from sitroom.brief.facts import (
    Fact,
    facts_from_events,
    facts_from_groups,
    facts_from_store_claims,
    weak,
)
from sitroom.brief.model import Brief, BriefSentence, says
from sitroom.errors import OptionsError
from sitroom.store import Store

__all__ = ["DUP", "MERGE", "brief_texts", "changed_since", "rank", "select", "story_brief"]

DUP = 0.8
DUP_BAND = (0.65, 0.95)  # static cosines that MiniLM decides (sitroom.claims.vectors)
MERGE = 0.9
_KIND = {"event": 0, "number": 1, "assessment": 2, "statement": 3}


def rank(facts: Sequence[Fact]) -> tuple[list[Fact], list[Fact], list[Fact]]:
    """(corroborated, contested, single-source) facts, each list best first."""
    corr = sorted(
        (f for f in facts if f.status == "corroborated"),
        key=lambda f: (f.background, -f.independent_sources, not f.takeover,
                       _KIND.get(f.kind, 4), -len(f.outlets), len(f.text)),
    )  # fmt: skip
    cont = sorted(
        (f for f in facts if f.status == "contested"),
        key=lambda f: (-f.independent_sources, -len(f.outlets), f.background),
    )
    single = sorted(
        (f for f in facts if f.status == "single-source"),
        key=lambda f: (-_salience(f), len(f.text)),
    )
    return corr, cont, single


def _salience(f: Fact) -> float:
    return (
        3.0 * f.takeover
        + 1.0 * (f.kind == "event")
        + 0.5 * min(len(f.outlets), 3)
        + 1.0 * f.lead
        - 2.0 * f.background
        - 1.0 * (f.kind == "statement")
        - 1.0 * weak(f.text)
    )


def select(facts: Sequence[Fact], max_sentences: int) -> list[Fact]:
    """The brief's facts in reading order (the module docstring's ranking and dedupe)."""
    if max_sentences <= 0 or not facts:
        return []
    corr, cont, single = rank(facts)
    from sitroom.claims.vectors import embed, precise_similarity

    vecs = embed([f.text for f in facts])
    index = {id(f): i for i, f in enumerate(facts)}
    chosen: list[Fact] = []
    spans: set[tuple[str, int]] = set()

    def take(pool: list[Fact], quota: int) -> list[Fact]:
        got: list[Fact] = []
        for f in pool:
            if len(got) >= quota or len(chosen) >= max_sentences:
                break
            if any(f is c for c in chosen):
                continue
            if any((c.article_id, c.start) in spans for c in f.citations):
                continue
            if chosen:
                sims = vecs[[index[id(c)] for c in chosen]] @ vecs[index[id(f)]]
                for k in np.flatnonzero((sims >= DUP_BAND[0]) & (sims < DUP_BAND[1])):
                    sims[k] = precise_similarity(chosen[k].text, f.text)  # a close call
                j = int(np.argmax(sims))
                if sims[j] >= DUP:
                    kept = chosen[j]
                    if (
                        sims[j] >= MERGE
                        and not kept.sides
                        and kept.status in ("corroborated", f.status)
                    ):
                        _merge(kept, f)
                    continue
            chosen.append(f)
            got.append(f)
            spans.update((c.article_id, c.start) for c in f.citations)
        return got

    n_cont = take(cont, max(1, max_sentences // 3))
    # a figure the brief shows as disputed is never also stated as settled
    corr = [f for f in corr if not _restates_dispute(f, n_cont, vecs, index)]
    single = [f for f in single if not _restates_dispute(f, n_cont, vecs, index)]
    reserve = min(len(single), max_sentences // 5)
    n_corr = take(corr, max_sentences - len(n_cont) - reserve)
    n_single = take(single, max_sentences)
    # room left (a story with few facts of one status): the rest, in the same order
    n_corr += take(corr, max_sentences)
    late = take(cont, max_sentences)
    if late:
        n_corr = [f for f in n_corr if not _restates_dispute(f, late, vecs, index)]
        n_single = [f for f in n_single if not _restates_dispute(f, late, vecs, index)]
    n_cont += late
    return n_corr + n_cont + n_single


_FIGURE = re.compile(r"\d[\d,.]*\d|\d")


def _figures(text: str) -> set[str]:
    """The numbers a text states, as digits ("about 600,000" -> {"600000"}); small ones and
    years aside (they identify nothing)."""
    out = set()
    for m in _FIGURE.finditer(text):
        digits = m.group(0).replace(",", "")
        if (
            digits.replace(".", "").isdigit()
            and float(digits) >= 10
            and not (len(digits) == 4 and digits[:2] in ("19", "20"))
        ):
            out.add(digits)
    return out


def _restates_dispute(
    f: Fact, contested: Sequence[Fact], vecs: np.ndarray, index: dict[int, int]
) -> bool:
    """Does ``f`` state, as settled, a figure one of the ``contested`` facts disputes, about the
    same thing (a side's own sentence, or a sentence close to the dispute's with its figure)?"""
    if f.sides:
        return False
    own = {(c.article_id, c.start) for c in f.citations}
    for c in contested:
        sides = c.sides
        if any((x.article_id, x.start) in own for s in sides for x in s.citations):
            return True
        values = set().union(*(_figures(s.value) | _figures(s.text) for s in sides)) if sides \
            else set()  # fmt: skip
        if values & _figures(f.text):
            sim = float(vecs[index[id(f)]] @ vecs[index[id(c)]])
            if sim >= 0.5 or _names(f.text) & set().union(*(_names(s.text) for s in sides)):
                return True  # the same figure of the same thing ("Herat ... 600,000")
    return False


_NOT_NAMES = frozenset("The In On At By For But And It Its This That These Those Some He She "
                       "They We A An As After Before While When Since".split())  # fmt: skip


def _names(text: str) -> set[str]:
    """Capitalised words: the names of what a sentence is about."""
    return set(re.findall(r"\b[A-Z][\w'’-]{2,}", text)) - _NOT_NAMES


def _merge(kept: Fact, dup: Fact) -> None:
    have = set(kept.citations)
    kept.citations.extend(c for c in dup.citations if c not in have)
    kept.outlets = list(dict.fromkeys([*kept.outlets, *dup.outlets]))
    if dup.first_seen and (kept.first_seen is None or dup.first_seen < kept.first_seen):
        kept.first_seen = dup.first_seen


def _vectors(
    sentences: Iterable[str], known: dict[str, np.ndarray] | None = None
) -> dict[str, np.ndarray]:
    """Embeddings of the distinct ``sentences``; those in ``known`` (the claims stage kept
    them) are not embedded again."""
    from sitroom.claims.vectors import embed

    known = known or {}
    distinct = list(dict.fromkeys(sentences))
    out = {t: known[t] for t in distinct if t in known}
    todo = [t for t in distinct if t not in out]
    if todo:
        out.update(zip(todo, embed(todo), strict=True))
    return out


def _sentence(f: Fact) -> BriefSentence:
    sides = [
        {"value": s.value, "text": s.text, "outlets": s.outlets, "citations": s.citations}
        for s in f.sides
    ]
    text = "; ".join(says(s.outlets, s.text) for s in f.sides) + "." if f.sides else f.text
    return BriefSentence(
        text=text,
        status=f.status,
        outlets=f.outlets,
        citations=f.citations,
        claim_id=f.claim_id,
        event_id=f.event_id,
        sides=sides,
        first_seen=f.first_seen,
    )


def _instant(value: str) -> datetime:
    """An ISO date or datetime as an aware datetime (a date is its midnight, naive is UTC)."""
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise OptionsError(f"not an ISO date or datetime: {value!r}") from exc
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _is_new(f: Fact | BriefSentence, since: datetime | Brief) -> bool:
    if isinstance(since, Brief):
        old_cites = {(c.article_id, c.start) for s in since.sentences for c in s.citations}
        old_texts = {s.text for s in since.sentences}
        old_status = {s.claim_id or s.event_id: s.status for s in since.sentences}
        became_contested = f.status == "contested" and old_status.get(
            f.claim_id or f.event_id, "contested") != "contested"  # fmt: skip
        unseen = not any((c.article_id, c.start) in old_cites for c in f.citations)
        return became_contested or (unseen and f.text not in old_texts)
    return f.first_seen is not None and _instant(f.first_seen) > since


def changed_since(brief: Brief, since: str | Brief) -> Brief:
    """``brief`` with only the sentences new since a time (ISO) or a previous brief."""
    when = since if isinstance(since, Brief) else _instant(since)
    label = since if isinstance(since, str) else "the previous brief"
    kept = [s for s in brief.sentences if _is_new(s, when)]
    return Brief(brief.story_id, brief.title, kept, since=label)


def story_brief(
    store: Store, story_id: str, since: str | Brief | None = None, max_sentences: int = 10
) -> Brief:
    """The cited brief of one story; with ``since`` (an ISO date or datetime, or a previous
    ``Brief``), only the facts new since then."""
    story = next(iter(store.stories(story_id=story_id)), None)
    if story is None:
        raise OptionsError(f"no live story {story_id!r} in the store")
    rows = store.story_articles(story_id)  # queries scoped to the story: cost per story
    published = {r["article_id"]: r["published"] for r in rows if r["published"]}
    headlines = frozenset((r["article_id"], r["title"]) for r in rows if r["title"])
    years = [int(p[:4]) for p in published.values() if p[:4].isdigit()]
    year = max(years) if years else None
    claims, events = store.claims(story_id=story_id), store.events(story_id)
    known = store.claim_vectors(story_id) if hasattr(store, "claim_vectors") else {}
    vectors = _vectors((s["sentence"] for r in (*claims, *events) for s in r["sources"]), known)
    facts = facts_from_store_claims(claims, published, headlines, year, vectors)
    facts += facts_from_events(events, published, headlines, year, vectors)
    facts = [f for f in facts if f.text]
    label = None
    if since is not None:
        when = since if isinstance(since, Brief) else _instant(since)
        label = since if isinstance(since, str) else "the previous brief"
        facts = [f for f in facts if _is_new(f, when)]
    chosen = select(facts, max_sentences)
    return Brief(story_id, str(story["label"] or story_id), [_sentence(f) for f in chosen], label)


def brief_texts(articles: Sequence[tuple[str, str, str]], max_sentences: int = 5) -> list[str]:
    """Brief sentences for (outlet, title, lead) triples, without a store: their claims are
    found and aligned here, then ranked and chosen as in ``story_brief``."""
    from sitroom.claims import align, find_claims

    items = []
    for k, (outlet, title, lead) in enumerate(articles):
        for c in find_claims(lead, title=title or None):
            items.append((f"a{k}", outlet, f"a{k}", c))
    if not items:
        return []
    vectors = _vectors(it[3].text for it in items)
    facts = [f for f in facts_from_groups(align(items), vectors) if f.text]
    return [_sentence(f).text for f in select(facts, max_sentences)]
