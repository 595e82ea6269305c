"""``sitroom export places|times``: every stored mention with its article's outlet and date."""

from __future__ import annotations

import csv
import json
from typing import IO, Any

from sitroom.errors import OptionsError
from sitroom.export.articles import csv_safe
from sitroom.store import Store

__all__ = ["write_mentions"]

_TABLES = {"places": "place_mentions", "times": "time_mentions"}


def write_mentions(store: Store, out: IO[str], what: str, format: str) -> int:
    """Write the place or time mentions as JSON lines, CSV, or (places) GeoJSON."""
    if what not in _TABLES:
        raise OptionsError(f"unknown mentions {what!r}")
    formats = ("jsonl", "csv", "geojson") if what == "places" else ("jsonl", "csv")
    if format not in formats:
        raise OptionsError(f"unknown format {format!r} (choose {', '.join(formats)})")
    rows = [
        dict(r) for r in store.db.execute(
            f"SELECT m.*, a.outlet, a.published, a.title FROM {_TABLES[what]} m "
            "JOIN articles a ON a.id = m.article_id ORDER BY a.rowid, m.start"
        )
    ]  # fmt: skip
    if format == "geojson":  # map pins: a demonym ("Afghan") names people, not a place
        rows = [r for r in rows if r.get("source") != "demonym"]
        out.write(json.dumps(_geojson(rows), ensure_ascii=False) + "\n")
    elif format == "jsonl":
        for r in rows:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
    elif rows:
        w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: csv_safe(v) for k, v in r.items()})
    return len(rows)


def _geojson(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [r["longitude"], r["latitude"]]},
                "properties": {k: v for k, v in r.items() if k not in ("latitude", "longitude")},
            }
            for r in rows
        ],
    }
