"""``sitroom export stories``: where every article went, and the stories and topics themselves.

Levels:
    article  one row per article: article_id, story_id, story_label, topic_id, topic_label,
             outlet, published, title, copy_group, how it was placed and its score
    story    one row per story: ids, label, first and last dates, articles, independent
             sources (copy groups count once), outlets, and its articles' ids
    topic    one row per topic: ids, label, span, stories, articles, sources, outlets
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from typing import IO, Any

from sitroom.errors import OptionsError
from sitroom.export.articles import csv_safe
from sitroom.store import Store

__all__ = ["LEVELS", "story_records", "write_stories"]

LEVELS = ("article", "story", "topic")


def story_records(store: Store, level: str = "article") -> list[dict[str, Any]]:
    """The export records of one level."""
    if level == "article":
        return [
            {k: r[k] for k in ("article_id", "story_id", "story_label", "topic_id",
                               "topic_label", "outlet", "published", "title", "copy_group",
                               "how", "score")}
            for r in store.story_articles()
        ]  # fmt: skip
    if level == "story":
        members: dict[str, list[str]] = defaultdict(list)
        for aid, sid in store.db.execute(
            "SELECT sa.article_id, sa.story_id FROM story_articles sa JOIN articles a ON "
            "a.id = sa.article_id ORDER BY a.published, a.rowid"
        ):
            members[sid].append(aid)
        return [
            {"story_id": s["story_id"], "topic_id": s["topic_id"], "label": s["label"],
             "topic_label": s["topic_label"], "first": s["first"], "last": s["last"],
             "articles": s["articles"], "sources": s["sources"], "outlets": s["outlets"],
             "article_ids": members.get(s["story_id"], [])}
            for s in store.stories()
        ]  # fmt: skip
    if level == "topic":
        return [
            {"topic_id": t["topic_id"], "label": t["label"], "first": t["first"],
             "last": t["last"], "stories": t["stories"], "articles": t["articles"],
             "sources": t["sources"], "outlets": t["outlets"]}
            for t in store.topics()
        ]  # fmt: skip
    raise OptionsError(f"unknown level {level!r} (choose {', '.join(LEVELS)})")


def write_stories(store: Store, out: IO[str], format: str = "jsonl", level: str = "article") -> int:
    """Write one level's records as JSON lines or CSV; the number written."""
    if format not in ("jsonl", "csv"):
        raise OptionsError(f"unknown format {format!r} (choose jsonl or csv)")
    rows = story_records(store, level)
    if format == "jsonl":
        for r in rows:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
        return len(rows)
    if rows:
        w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: csv_safe(_cell(v)) for k, v in r.items()})
    return len(rows)


def _cell(value: Any) -> Any:
    if isinstance(value, dict):
        return "; ".join(f"{k} ({v})" for k, v in value.items())
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return value
