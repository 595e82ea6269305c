"""An offline SVG map: country outlines from the ``countryinfo`` package's bundled GeoJSON,
drawn in an equirectangular projection fitted to the points shown (with a margin).

Nothing is fetched: no tile server, no script library; the page gets plain SVG elements.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache
from typing import Any

__all__ = ["EVENT_COLOURS", "MapView", "event_colour", "map_view"]

EVENT_COLOURS = {
    "Battles": "#c0392b",
    "Explosions/Remote violence": "#e67e22",
    "Violence against civilians": "#8e44ad",
    "Protests": "#2980b9",
    "Riots": "#d35400",
    "Strategic developments": "#16a085",
}
OTHER_COLOUR = "#566573"
WIDTH = 720.0
MIN_SPAN = 3.0  # degrees: one point still shows its surroundings
MARGIN = 0.15  # of the span, on each side

Ring = list[tuple[float, float]]


def event_colour(event_type: str | None) -> str:
    return EVENT_COLOURS.get(event_type or "", OTHER_COLOUR)


@cache
def _countries() -> tuple[tuple[str, tuple[float, float, float, float], tuple[Ring, ...]], ...]:
    """(name, bbox, rings) of every country outline ``countryinfo`` ships."""
    from countryinfo import CountryInfo

    out = []
    for info in CountryInfo.all().values():
        gj = info.get("geoJSON") or {}
        rings: list[Ring] = []
        for feat in gj.get("features", []):
            geom = feat.get("geometry") or {}
            polys = geom.get("coordinates", [])
            if geom.get("type") == "Polygon":
                polys = [polys]
            elif geom.get("type") != "MultiPolygon":
                continue
            for poly in polys:
                rings.extend([(float(x), float(y)) for x, y, *_ in ring] for ring in poly[:1])
        if not rings:
            continue
        xs = [x for r in rings for x, _ in r]
        ys = [y for r in rings for _, y in r]
        out.append((str(info.get("name", "")), (min(xs), min(ys), max(xs), max(ys)), tuple(rings)))
    return tuple(out)


@dataclass
class Marker:
    x: float
    y: float
    colour: str
    title: str
    href: str


@dataclass
class Label:
    x: float
    y: float
    text: str


@dataclass
class MapView:
    """What the map template draws: viewBox size, country paths, markers and labels."""

    width: float
    height: float
    countries: list[tuple[str, str]] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)


def _located(d: dict[str, Any]) -> bool:
    return d.get("latitude") is not None and d.get("longitude") is not None


def _bounds(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    w, e, s, n = min(lons), max(lons), min(lats), max(lats)
    span = max(e - w, n - s, MIN_SPAN)
    cx, cy = (w + e) / 2, (s + n) / 2
    half = span * (0.5 + MARGIN)
    return cx - half, max(cy - half, -85.0), cx + half, min(cy + half, 85.0)


def map_view(
    events: list[dict[str, Any]], places: list[dict[str, Any]], href: str = "{id}"
) -> MapView | None:
    """The map of ``events`` (markers linking to ``href`` with the event id filled in) and
    labelled ``places`` (dicts with name, latitude, longitude); None when nothing is located."""
    located = [e for e in events if _located(e)]
    named = [p for p in places if _located(p)]
    pts = [(float(e["longitude"]), float(e["latitude"])) for e in located]
    pts += [(float(p["longitude"]), float(p["latitude"])) for p in named]
    if not pts:
        return None
    w, s, e_, n = _bounds(pts)
    kx = math.cos(math.radians((s + n) / 2))  # keep shapes true near the centre latitude
    scale = WIDTH / ((e_ - w) * kx)
    height = (n - s) * scale

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (lon - w) * kx * scale, (n - lat) * scale

    view = MapView(WIDTH, round(height, 1))
    for name, (bw, bs, be, bn), rings in _countries():
        if be < w or bw > e_ or bn < s or bs > n:
            continue
        d = []
        for ring in rings:
            pts_xy = [xy(x, y) for x, y in ring]
            d.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts_xy) + "Z")
        view.countries.append((name, "".join(d)))
    # several events at one place: fan them out a little so each marker can be hovered
    seen: dict[tuple[int, int], int] = {}
    for ev in located:
        x, y = xy(float(ev["longitude"]), float(ev["latitude"]))
        k = (round(x), round(y))
        i = seen.get(k, 0)
        seen[k] = i + 1
        if i:
            ang = i * 2.4
            x, y = x + 7 * math.cos(ang) * math.sqrt(i), y + 7 * math.sin(ang) * math.sqrt(i)
        keys = ("event_date", "sub_event_type", "actor1", "location")
        title = " · ".join(str(ev[k]) for k in keys if ev.get(k))
        view.markers.append(Marker(round(x, 1), round(y, 1), event_colour(ev.get("event_type")),
                                   title, href.format(id=ev["event_id"])))  # fmt: skip
    done: set[str] = set()
    for p in [*named, *({"name": e.get("location"), **e} for e in located)]:
        name = str(p.get("name") or "")
        if not name or name in done:
            continue
        done.add(name)
        x, y = xy(float(p["longitude"]), float(p["latitude"]))
        view.labels.append(Label(round(x + 6, 1), round(y - 6, 1), name))
    return view
