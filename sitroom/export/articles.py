"""``sitroom export articles``: one record per article, as JSON lines or CSV."""

from __future__ import annotations

import csv
import json
from typing import IO, Any

from sitroom.errors import OptionsError
from sitroom.store import Store

__all__ = ["COLUMNS", "article_record", "csv_safe", "write_articles"]

COLUMNS = (
    "id", "path", "locator", "outlet", "outlet_source", "origin", "title", "url", "published",
    "date_source", "language", "copy_group", "copy_kind", "copy_of", "copies", "story_id",
    "topic_id", "extractor", "text", "removed",
)  # fmt: skip


def article_record(row: dict[str, Any]) -> dict[str, Any]:
    """The export record of a stored article row (clean text as ``text``)."""
    rec = {k: row.get(k) for k in COLUMNS if k not in ("text", "removed")}
    rec["text"] = row.get("clean_text", "")
    rec["removed"] = [
        {"start": r["start"], "end": r["end"], "reason": r["reason"], "text": r["text"]}
        for r in row.get("removed", [])
    ]
    return rec


def csv_safe(value: Any) -> Any:
    """Defuse spreadsheet formulas: a cell starting with = + - @ (or tab/CR) gets a quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_articles(store: Store, out: IO[str], format: str) -> int:
    if format not in ("jsonl", "csv"):
        raise OptionsError(f"unknown format {format!r} (choose jsonl or csv)")
    n = 0
    writer = None
    if format == "csv":
        writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
        writer.writeheader()
    for row in store.articles(with_text=True):
        rec = article_record(row)
        if writer is None:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        else:
            rec["removed"] = json.dumps(rec["removed"], ensure_ascii=False)
            writer.writerow({k: csv_safe(v) for k, v in rec.items()})
        n += 1
    return n
