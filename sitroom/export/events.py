"""``sitroom export events`` and ``sitroom export control``.

Events carry ACLED's column names (event_id_cnty, event_date, year, time_precision,
event_type, sub_event_type, actor1, assoc_actor_1, actor2, assoc_actor_2, iso, country,
admin1, admin2, location, latitude, longitude, geo_precision, source, source_scale, notes,
fatalities) plus story_id, outlets, independent_sources and sources (article id, outlet,
sentence, start, end: offsets into the article's original text). Formats: csv (lists as
JSON in their cell, text cells made formula-safe), json (one array), jsonl (one record a
line, the same fields), geojson (a FeatureCollection of the located events).

Control rows (story_id, place, site, latitude, longitude, admin1, country, controller, since,
until, as_of, kind, partial, sources) go out as csv, json, jsonl or geojson: one Point
feature per row at its place's coordinates, the row's other fields its properties; rows
without coordinates are left out and handed back to the caller to report.

GeoJSON is written HTML-safe: every ``<``, ``>`` and ``&`` of the (untrusted) article text is
a JSON escape (``\u003c``...), so the file holds no markup even when pasted into a page; the
parsed values are unchanged (a map that shows them still has to escape them).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable
from typing import IO, Any

from sitroom.errors import OptionsError
from sitroom.export.articles import csv_safe
from sitroom.store import Store

__all__ = [
    "ACLED_COLUMNS",
    "CONTROL_COLUMNS",
    "CONTROL_FORMATS",
    "EVENT_FORMATS",
    "acled_names",
    "event_records",
    "feature_collection",
    "html_safe_json",
    "located",
    "write_control",
    "write_events",
]

EVENT_FORMATS = ("csv", "json", "jsonl", "geojson")
CONTROL_FORMATS = ("csv", "json", "jsonl", "geojson")

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "iso", "country", "admin1",
    "admin2", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities",
)  # fmt: skip
EXTRA_COLUMNS = ("story_id", "outlets", "independent_sources", "sources")
CONTROL_COLUMNS = (
    "story_id", "place", "site", "latitude", "longitude", "admin1", "country", "controller",
    "since", "until", "as_of", "kind", "partial", "sources",
)  # fmt: skip


def located(row: dict[str, Any]) -> bool:
    """The row has both coordinates (a GeoJSON point can be drawn for it)."""
    return row.get("latitude") is not None and row.get("longitude") is not None


def feature_collection(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the located rows (their other fields as properties)."""
    feats = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [r["longitude"], r["latitude"]]},
            "properties": {k: v for k, v in r.items() if k not in ("latitude", "longitude")},
        }
        for r in rows
        if located(r)
    ]
    return {"type": "FeatureCollection", "features": feats}


_HTML_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def html_safe_json(value: Any) -> str:
    """``value`` as JSON text with no ``<``, ``>`` or ``&`` in it (they are JSON escapes, which
    parse back to the same characters): nothing in it reads as markup. Outside strings JSON
    has none of the three, so escaping the whole text only touches string contents."""
    return json.dumps(value, ensure_ascii=False).translate(_HTML_ESCAPES)


def _write_jsonl(rows: Iterable[dict[str, Any]], out: IO[str]) -> None:
    for r in rows:
        out.write(json.dumps(r, ensure_ascii=False))
        out.write("\n")


def event_records(
    store: Store,
    *,
    type: str | None = None,
    actor: str | None = None,
    place: str | None = None,
    since: str | None = None,
    until: str | None = None,
    story: str | None = None,
) -> list[dict[str, Any]]:
    """Merged events in ACLED columns, filtered (case-insensitive substrings for type, actor
    and place; ISO dates for since/until, inclusive)."""
    for name, value in (("since", since), ("until", until)):
        if value:
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                raise OptionsError(f"--{name} must be a date (YYYY-MM-DD), not {value!r}") from None
    out = []
    for e in store.events(story):
        if type and type.lower() not in f"{e['event_type']} {e['sub_event_type']}".lower():
            continue
        if actor and actor.lower() not in f"{e['actor1']} {e['actor2']}".lower():
            continue
        if (
            place
            and place.lower()
            not in " ".join(
                str(e[k] or "") for k in ("location", "admin1", "admin2", "country")
            ).lower()
        ):
            continue
        if since and (e["event_date"] or "") < since:
            continue
        if until and (e["event_date"] or "9999") > until:
            continue
        rec = {c: e.get(c) for c in ACLED_COLUMNS if c != "event_id_cnty"}
        rec = {"event_id_cnty": e["event_id"], **rec}
        rec["story_id"] = e["story_id"]
        rec["outlets"] = e["outlets"]
        rec["independent_sources"] = e["independent_sources"]
        rec["sources"] = e["sources"]
        out.append(rec)
    return out


def write_events(
    store: Store,
    out: IO[str],
    format: str = "csv",
    *,
    unlocated: list[dict[str, Any]] | None = None,
    **filters: Any,
) -> int:
    """Write the events as csv, json, jsonl or geojson; the number written. As geojson, the
    events without coordinates are left out and appended to ``unlocated`` when given."""
    if format not in EVENT_FORMATS:
        raise OptionsError(f"unknown format {format!r} (csv, json, jsonl or geojson)")
    rows = [acled_names(r) for r in event_records(store, **filters)]
    if format != "csv":
        return _write_json_kind(rows, out, format, unlocated)
    w = csv.DictWriter(out, fieldnames=[*ACLED_COLUMNS, *EXTRA_COLUMNS])
    w.writeheader()
    for r in rows:
        w.writerow({k: _cell(v) for k, v in r.items()})
    return len(rows)


_ASCII_COLUMNS = ("country", "admin1", "admin2", "location")


def _alpha2(isonumeric: Any) -> str:
    """ISO 3166-1 alpha-2 of a numeric country code (the ``iso`` column), "" when unknown."""
    from sitroom.events.merge import alpha2

    return alpha2(isonumeric)


def acled_names(row: dict[str, Any]) -> dict[str, Any]:
    """A row with ACLED's place names: regions in English where GeoNames has their local
    form ("Ḩalab" -> "Aleppo"), everything in plain ASCII ("Herāt" -> "Herat"); listings and
    pages keep GeoNames' spelling."""
    from sitroom.events.acled import ascii_name, english_region

    out = dict(row)
    cc = _alpha2(out.get("iso"))
    for col in ("admin1", "admin2"):
        if cc and isinstance(out.get(col), str):
            out[col] = english_region(out[col], cc)
    for col in _ASCII_COLUMNS:
        if isinstance(out.get(col), str):
            out[col] = ascii_name(out[col])
    return out


def write_control(
    store: Store,
    out: IO[str],
    format: str = "csv",
    *,
    unlocated: list[dict[str, Any]] | None = None,
) -> int:
    """Write who controls each place since when; the number written. As geojson, the rows
    without coordinates are left out (no point to draw) and appended to ``unlocated`` when
    given, so the caller can say which."""
    if format not in CONTROL_FORMATS:
        raise OptionsError(f"unknown format {format!r} (csv, json, jsonl or geojson)")
    rows = [{c: r[c] for c in CONTROL_COLUMNS} for r in store.control()]
    if format != "csv":
        return _write_json_kind(rows, out, format, unlocated)
    w = csv.DictWriter(out, fieldnames=list(CONTROL_COLUMNS))
    w.writeheader()
    for r in rows:
        w.writerow({k: _cell(v) for k, v in r.items()})
    return len(rows)


def _write_json_kind(
    rows: list[dict[str, Any]], out: IO[str], format: str,
    unlocated: list[dict[str, Any]] | None,
) -> int:  # fmt: skip
    """``rows`` as a JSON list, JSON lines or GeoJSON (the rows with coordinates; the others
    appended to ``unlocated`` when given); the number written."""
    if format == "json":
        json.dump(rows, out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif format == "jsonl":
        _write_jsonl(rows, out)
    else:
        fc = feature_collection(rows)
        if unlocated is not None:
            unlocated.extend(r for r in rows if not located(r))
        out.write(html_safe_json(fc))
        out.write("\n")
        return len(fc["features"])
    return len(rows)


def _cell(v: Any) -> Any:
    if isinstance(v, list | dict):
        return csv_safe(json.dumps(v, ensure_ascii=False))
    if isinstance(v, str):
        return csv_safe(v)
    return v
