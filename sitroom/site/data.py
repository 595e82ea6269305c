"""What the situation-room pages show, read from the store one story at a time.

The store's own list queries (``Store.events``, ``Store.claims``) read every source row of the
whole store; a page needs one story's, so the queries here are scoped to a story and use the
store's indexes (``events_story``, ``claims_story``, ``event_sources_event``, ...). Everything
here only reads: the server opens the file read-only (:class:`ReadOnlyStore`).
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from typing import Any

from sitroom.export.events import ACLED_COLUMNS
from sitroom.store import Store
from sitroom.store.readonly import ReadOnlyStore

__all__ = [
    "STATUSES",
    "ReadOnlyStore",
    "article_source",
    "coverage",
    "event_detail",
    "filter_stories",
    "fold",
    "story_detail",
    "story_rows",
]

STATUSES = ("corroborated", "single-source", "contested")
FILTERS = ("q", "since", "until", "place", "actor", "type", "outlet", "status")


def _rows(store: Store, sql: str, args: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    return [dict(r) for r in store.db.execute(sql, args)]


# -- the story list --------------------------------------------------------------------------


def story_rows(store: Store) -> list[dict[str, Any]]:
    """Every live story with its counts and the facets the list filters on (places, actors,
    event types, outlets, claim statuses), latest first."""
    stories = store.stories()
    n_events: Counter[str] = Counter()
    facets: dict[str, dict[str, set[str]]] = {}
    for r in store.db.execute(
        "SELECT story_id, location, admin1, country, actor1, actor2, event_type, "
        "sub_event_type, count(*) FROM events GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"
    ):
        sid = r[0]
        n_events[sid] += r[8]
        f = facets.setdefault(sid, {"places": set(), "actors": set(), "types": set()})
        f["places"].update(x for x in (r[1], r[2], r[3]) if x)
        f["actors"].update(x for x in (r[4], r[5]) if x)
        f["types"].update(x for x in (r[6], r[7]) if x)
    claims: dict[str, Counter[str]] = {}
    for sid, status, n in store.db.execute(
        "SELECT story_id, status, count(*) FROM claims GROUP BY 1, 2"
    ):
        claims.setdefault(sid, Counter())[status] = n
    out = []
    for s in stories:
        sid = s["story_id"]
        f = facets.get(sid, {})
        counts = claims.get(sid, Counter())
        out.append({
            "story_id": sid,
            "label": s["label"],
            "topic_id": s["topic_id"],
            "first": s["first"],
            "last": s["last"],
            "articles": s["articles"],
            "sources": s["sources"],
            "outlets": sorted(s["outlets"]),
            "events": n_events.get(sid, 0),
            "claims": {k: counts.get(k, 0) for k in STATUSES},
            "places": sorted(f.get("places", ())),
            "actors": sorted(f.get("actors", ())),
            "types": sorted(f.get("types", ())),
        })  # fmt: skip
    return out


def fold(text: str) -> str:
    """Lower case without accents: "Herat" finds "Herāt" (as ``fold`` in ``site.js``)."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _has(values: list[str], needle: str) -> bool:
    n = fold(needle)
    return any(n in fold(v) for v in values)


def filter_stories(rows: list[dict[str, Any]], params: dict[str, str]) -> list[dict[str, Any]]:
    """The stories that pass the list's filters (the same rules as ``site.js``): ``q`` in the
    label, a story overlapping [since, until], a place, actor, event type or outlet containing
    the text given, a claim of the status given."""
    p = {k: (params.get(k) or "").strip() for k in FILTERS}
    out = []
    for r in rows:
        if p["q"] and fold(p["q"]) not in fold(r["label"] or ""):
            continue
        if p["since"] and (r["last"] or "9999") < p["since"]:
            continue
        if p["until"] and (r["first"] or "") > p["until"]:
            continue
        if p["place"] and not _has(r["places"], p["place"]):
            continue
        if p["actor"] and not _has(r["actors"], p["actor"]):
            continue
        if p["type"] and not _has(r["types"], p["type"]):
            continue
        if p["outlet"] and not _has(r["outlets"], p["outlet"]):
            continue
        if p["status"] and not r["claims"].get(p["status"]):
            continue
        out.append(r)
    return out


# -- one story -------------------------------------------------------------------------------


def _story_quotes(store: Store, story_id: str) -> list[dict[str, Any]]:
    return _rows(
        store,
        "SELECT q.*, a.outlet, a.title, a.published FROM story_articles sa "
        "JOIN quotes q ON q.article_id = sa.article_id JOIN articles a ON a.id = sa.article_id "
        "WHERE sa.story_id = ? ORDER BY a.published, q.article_id, q.idx",
        (story_id,),
    )


def _story_articles(store: Store, story_id: str) -> list[dict[str, Any]]:
    return _rows(
        store,
        "SELECT a.id, a.title, a.outlet, a.published, a.url, g.copy_group, g.kind AS copy_kind "
        "FROM story_articles sa JOIN articles a ON a.id = sa.article_id "
        "LEFT JOIN copy_groups g ON g.article_id = sa.article_id WHERE sa.story_id = ? "
        "ORDER BY a.published, a.rowid",
        (story_id,),
    )


def _story(store: Store, story_id: str) -> dict[str, Any] | None:
    row = store.db.execute(
        "SELECT s.id AS story_id, s.label, s.topic_id, t.label AS topic_label, s.n AS articles, "
        "s.sources, s.first, s.last, s.outlets, s.merged_into FROM stories s "
        "LEFT JOIN topics t ON t.id = s.topic_id WHERE s.id = ?",
        (story_id,),
    ).fetchone()
    if row is None:
        return None
    d = dict(row)
    d["outlets"] = sorted(json.loads(d["outlets"]))
    return d


def _brief(store: Store, story_id: str) -> Any:
    """The story's cited brief: the one the last run stored, else built now."""
    from sitroom.brief import Brief, story_brief

    stored = store.brief(story_id)
    return Brief.from_dict(stored) if stored is not None else story_brief(store, story_id)


def coverage(claims: list[dict[str, Any]], outlets: list[str]) -> list[dict[str, Any]]:
    """Claims x outlets: for each claim, each outlet "states" it, "contradicts" it (reports
    another side of it, or a claim it conflicts with) or is "silent"."""
    by_id = {c["claim_id"]: c for c in claims}
    out = []
    for c in claims:
        own = _claim_side(c)
        states: set[str] = set()
        contra: set[str] = set()
        for s in c["sources"]:
            if own is None or s["side"] is None or s["side"] == own:
                states.add(s["outlet"])
            else:
                contra.add(s["outlet"])
        for other in c["conflicts_with"]:
            if other in by_id:
                contra.update(by_id[other]["outlets"])
        contra -= states
        cells = [
            "states" if o in states else "contradicts" if o in contra else "silent" for o in outlets
        ]
        out.append({"claim": c, "cells": cells})
    return out


def _claim_side(claim: dict[str, Any]) -> int | None:
    """The side of a contested claim its own text stands on (None: no sides)."""
    if not claim["sides"]:
        return None
    for s in claim["sources"]:
        if s["sentence"] == claim["text"] and s["side"] is not None:
            return int(s["side"])
    sizes = [len(side.get("sources", [])) for side in claim["sides"]]
    return sizes.index(max(sizes))


def story_detail(store: Store, story_id: str) -> dict[str, Any] | None:
    """Everything the story page shows, or None for an unknown story."""
    story = _story(store, story_id)
    if story is None:
        return None
    events = store.events(story_id)
    claims = store.claims(story_id=story_id)
    outlets = sorted(set(story["outlets"]) | {o for c in claims for o in c["outlets"]})
    return {
        "story": story,
        "events": events,
        "control": store.control(story_id),
        "claims": claims,
        "coverage": coverage(claims, outlets),
        "outlets": outlets,
        "quotes": _story_quotes(store, story_id),
        "articles": _story_articles(store, story_id),
        "brief": _brief(store, story_id),
        "counts": Counter(c["status"] for c in claims),
    }


def event_detail(store: Store, event_id: str) -> dict[str, Any] | None:
    """One event with its sources and story, or None."""
    row = store.db.execute("SELECT * FROM events WHERE event_id = ?", (event_id,)).fetchone()
    if row is None:
        return None
    e = dict(row)
    e["outlets"] = json.loads(e["outlets"])
    e["sources"] = _rows(
        store,
        'SELECT article_id, outlet, sentence, start, "end" FROM event_sources '
        "WHERE event_id = ? ORDER BY outlet, start",
        (event_id,),
    )
    e["event_id_cnty"] = e["event_id"]
    return {"event": e, "story": _story(store, e["story_id"]), "columns": ACLED_COLUMNS}


def article_source(store: Store, article_id: str) -> dict[str, Any] | None:
    """An article with its text, removed spans and the passages other pages cite in it."""
    a = store.article(article_id)
    if a is None:
        return None
    cited = _rows(
        store,
        "SELECT 'event' AS what, event_id AS ref, sentence, start, \"end\" FROM event_sources "
        "WHERE article_id = ? UNION ALL SELECT 'claim', claim_id, sentence, start, \"end\" "
        "FROM claim_sources WHERE article_id = ? ORDER BY 4, 5",
        (article_id, article_id),
    )
    return {"article": a, "cited": cited}
