"""``sitroom export claims`` and ``sitroom export quotes``; the store side of ``sitroom check``.

Claims: claim_id, story_id, topic_id, text, kind, status (corroborated, single-source,
contested), dimension (what a contested claim's sides disagree on), outlets,
independent_sources, sides (value, outlets, articles, independent sources of each side),
conflicts_with (ids of claims this one contradicts) and sources (article id, outlet,
independent source it counts for, side, sentence, start, end: offsets into the article's
original text). Quotes: speaker, role, affiliation, anonymous (the kind of an unnamed source),
quote, kind (direct, reported, mixed), cue, addressee, place, outlet, article_id, story_id and
offsets. Formats: jsonl, or csv (lists as JSON in their cell, text cells formula-safe).
"""

from __future__ import annotations

import csv
import json
from typing import IO, Any

import numpy as np

from sitroom.errors import OptionsError
from sitroom.export.articles import csv_safe
from sitroom.store import Store

__all__ = [
    "CLAIM_COLUMNS",
    "QUOTE_COLUMNS",
    "check_store",
    "claim_records",
    "quote_records",
    "write_claims",
    "write_quotes",
]

CLAIM_COLUMNS = (
    "claim_id", "story_id", "topic_id", "text", "kind", "status", "dimension", "outlets",
    "independent_sources", "sides", "conflicts_with", "sources",
)  # fmt: skip
QUOTE_COLUMNS = (
    "speaker", "role", "affiliation", "anonymous", "quote", "kind", "cue", "addressee",
    "place", "outlet", "article_id", "story_id", "published", "speaker_text", "resolved_from",
    "quote_start", "quote_end", "sentence_start", "sentence_end",
)  # fmt: skip
STATUSES = ("corroborated", "single-source", "contested")


def claim_records(
    store: Store,
    *,
    story: str | None = None,
    status: str | None = None,
    kind: str | None = None,
) -> list[dict[str, Any]]:
    """Aligned claims, most independently sourced first; each side of a contested claim
    lists its own sources."""
    if status is not None and status not in STATUSES:
        raise OptionsError(f"--status must be one of {', '.join(STATUSES)}, not {status!r}")
    out = []
    for c in store.claims(story_id=story, status=status):
        if kind and c["kind"] != kind:
            continue
        rec = {k: c.get(k) for k in CLAIM_COLUMNS}
        for i, side in enumerate(c["sides"]):
            side["sources"] = [s for s in c["sources"] if s["side"] == i]
        out.append(rec)
    return out


def quote_records(store: Store, speaker: str | None = None) -> list[dict[str, Any]]:
    return [{k: q.get(k) for k in QUOTE_COLUMNS} for q in store.quotes(speaker)]


def _write(rows: list[dict[str, Any]], columns: tuple[str, ...], out: IO[str], fmt: str) -> int:
    if fmt == "jsonl":
        for r in rows:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        w = csv.writer(out)
        w.writerow(columns)
        for r in rows:
            w.writerow([
                json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict)
                else csv_safe(v) if isinstance(v, str) else v
                for v in (r.get(c) for c in columns)
            ])  # fmt: skip
    else:
        raise OptionsError(f"--format must be jsonl or csv, not {fmt!r}")
    return len(rows)


def write_claims(store: Store, out: IO[str], fmt: str = "jsonl", **filters: Any) -> int:
    return _write(claim_records(store, **filters), CLAIM_COLUMNS, out, fmt)


def write_quotes(store: Store, out: IO[str], fmt: str = "jsonl", speaker: str | None = None) -> int:
    return _write(quote_records(store, speaker), QUOTE_COLUMNS, out, fmt)


def check_store(store: Store, claim: str, story: str | None = None) -> list[dict[str, Any]]:
    """A verdict on ``claim`` for each article of the store (or of one story), from the
    claims the run stored and their embeddings: supporting and contradicting articles
    first, then those that discuss the subject, then the unrelated ones."""
    from sitroom.claims import as_claim, decide
    from sitroom.claims.serial import from_json
    from sitroom.claims.vectors import embed, usable

    target = as_claim(claim)
    qvec = embed([target.text])[0]
    rows = store.claim_candidates(story)
    missing = [i for i, r in enumerate(rows) if not usable(r["vec"])]
    vecs = np.zeros((len(rows), qvec.shape[0]), dtype=np.float32)
    for i, r in enumerate(rows):
        if usable(r["vec"]):
            vecs[i] = np.frombuffer(r["vec"], dtype=np.float32)
    if missing:
        vecs[missing] = embed([rows[i]["text"] for i in missing])
    sims = vecs @ qvec if len(rows) else np.zeros(0, dtype=np.float32)
    by_article: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by_article.setdefault(r["article_id"], []).append(i)
    meta = {a["id"]: a for a in store.articles(with_text=False)}
    if story is not None:
        meta = {k: v for k, v in meta.items() if k in by_article or v.get("story_id") == story}
    order = {"supports": 0, "contradicts": 0, "discusses": 1, "unrelated": 2}
    out = []
    for article_id, a in meta.items():
        idx = by_article.get(article_id, [])
        cands = [from_json(rows[i]["data"]) for i in idx]
        v = decide(article_id, target, cands, sims[idx] if idx else np.zeros(0))
        out.append({
            "article": article_id, "outlet": a.get("outlet"), "title": a.get("title"),
            "verdict": v.verdict, "score": v.score,
            "evidence": [{"sentence": e.text, "start": e.start, "end": e.end,
                          "relation": e.relation, "score": e.score} for e in v.evidence],
        })  # fmt: skip
    out.sort(key=lambda r: (order[r["verdict"]], -r["score"]))
    return out
