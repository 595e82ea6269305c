"""The downloads of what a page shows: stories, events, claims and control as CSV, JSON or
GeoJSON (events, control: the rows with coordinates), with the same columns as ``sitroom
export``."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from sitroom.errors import OptionsError
from sitroom.export.articles import csv_safe
from sitroom.export.claims import CLAIM_COLUMNS
from sitroom.export.events import (
    ACLED_COLUMNS,
    CONTROL_COLUMNS,
    EXTRA_COLUMNS,
    feature_collection,
    html_safe_json,
)

__all__ = ["CONTENT_TYPES", "FORMATS", "export"]

STORY_COLUMNS = (
    "story_id", "label", "topic_id", "first", "last", "articles", "sources", "outlets",
    "events", "claims", "places", "actors", "types",
)  # fmt: skip
FORMATS = {
    "stories": ("csv", "json"),
    "events": ("csv", "json", "geojson"),
    "claims": ("csv", "json"),
    "control": ("csv", "json", "geojson"),
}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "geojson": "application/geo+json; charset=utf-8",
}


def _event_record(e: dict[str, Any]) -> dict[str, Any]:
    rec = {c: e.get(c) for c in ACLED_COLUMNS}
    rec["event_id_cnty"] = e["event_id"] if "event_id" in e else e.get("event_id_cnty")
    for c in EXTRA_COLUMNS:
        rec[c] = e.get(c)
    return rec


def _cell(v: Any) -> Any:
    if isinstance(v, list | dict):
        return csv_safe(json.dumps(v, ensure_ascii=False))
    return csv_safe(v)


def export(what: str, rows: list[dict[str, Any]], fmt: str) -> str:
    """``rows`` of ``what`` (stories, events, claims, control) as text in ``fmt``."""
    if fmt not in FORMATS.get(what, ()):
        raise OptionsError(f"cannot export {what} as {fmt!r}")
    if what == "events":
        rows = [_event_record(r) for r in rows]
        columns: tuple[str, ...] = (*ACLED_COLUMNS, *EXTRA_COLUMNS)
    elif what == "claims":
        columns = CLAIM_COLUMNS
    elif what == "control":
        columns = CONTROL_COLUMNS
    else:
        columns = STORY_COLUMNS
    rows = [{c: r.get(c) for c in columns} for r in rows]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    if fmt == "geojson":
        return html_safe_json(feature_collection(rows))
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: _cell(v) for k, v in r.items()})
    return buf.getvalue()
