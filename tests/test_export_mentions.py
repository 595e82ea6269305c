"""Place mentions exported: every mention in JSON lines, only real places as map pins."""

from __future__ import annotations

import io
import json
from pathlib import Path

import sitroom


def test_export_mentions_geojson_pins_no_demonym(sample_store: Path) -> None:
    lines = io.StringIO()
    sitroom.export_mentions(sample_store, lines, "places", "jsonl")
    rows = [json.loads(x) for x in lines.getvalue().splitlines()]
    assert any(r["source"] == "demonym" for r in rows)  # "Afghan" is a mention...
    pins = io.StringIO()
    n = sitroom.export_mentions(sample_store, pins, "places", "geojson")
    feats = json.loads(pins.getvalue())["features"]
    assert n == len(feats) == sum(r["source"] != "demonym" for r in rows)  # ...not a pin
    assert all(f["properties"]["source"] != "demonym" for f in feats)
