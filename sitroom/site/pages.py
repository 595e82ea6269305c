"""The situation-room pages, rendered the same way for the static report and the server.

Every value that comes from an article is untrusted: templates autoescape everything, JSON
goes into pages only through :func:`safe_json`, and links are built from ids alone. Pages load
one stylesheet and one script from ``assets/``; nothing comes from the network.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib.resources import files
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from sitroom.site.geo import EVENT_COLOURS, OTHER_COLOUR, event_colour, map_view

__all__ = [
    "CSP",
    "asset",
    "render_article",
    "render_event",
    "render_index",
    "render_story",
    "safe_json",
    "segments",
]

# the same policy as a header (server) and as a <meta> (static pages, file://)
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'"
)
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                 "\u2029": "\\u2029"}  # fmt: skip


def safe_json(value: Any) -> Markup:
    """JSON that cannot close a <script> element or break a JS string: ``<``, ``>``, ``&``,
    U+2028 and U+2029 escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return Markup("".join(_JSON_ESCAPES.get(ch, ch) for ch in text))


def _idpath(value: Any) -> str:
    """An id made safe as one path segment (ids are hex today; never trust that)."""
    return quote(str(value), safe="")


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("sitroom.site", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["idpath"] = _idpath
    env.filters["colour"] = event_colour
    env.globals["colours"] = EVENT_COLOURS
    env.globals["other_colour"] = OTHER_COLOUR
    return env


_ENV = _env()


def asset(name: str) -> bytes:
    """The bytes of ``assets/NAME`` (site.js, site.css)."""
    return files("sitroom.site").joinpath("assets", name).read_bytes()


def segments(text: str, removed: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    """``text`` cut into (piece, removal reason or None), in order."""
    out: list[tuple[str, str | None]] = []
    cur = 0
    for r in sorted(removed, key=lambda r: (r["start"], -r["end"])):
        s, e = max(r["start"], cur), r["end"]
        if e <= cur:
            continue
        if s > cur:
            out.append((text[cur:s], None))
        out.append((text[s:e], r["reason"]))
        cur = e
    if cur < len(text):
        out.append((text[cur:], None))
    return out


def _render(name: str, mode: str, root: str, **ctx: Any) -> str:
    return _ENV.get_template(name).render(mode=mode, root=root, csp=CSP, **ctx)


def render_index(rows: list[dict[str, Any]], mode: str, db: str) -> str:
    """The story list with its filters; ``rows`` from :func:`sitroom.site.data.story_rows`."""
    facets: dict[str, set[str]] = {"places": set(), "actors": set(), "types": set(),
                                   "outlets": set()}  # fmt: skip
    for r in rows:
        for k in facets:
            facets[k].update(r[k])
    return _render(
        "index.html", mode, "",
        stories=rows,
        facets={k: sorted(v) for k, v in facets.items()},
        data=safe_json(rows),
        db=db,
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )  # fmt: skip


def _dates(values: list[str | None]) -> list[dt.date]:
    out = []
    for v in values:
        try:
            out.append(dt.date.fromisoformat(str(v)[:10]))
        except ValueError:
            continue
    return out


def timeline(events: list[dict[str, Any]], control: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Positions for the SVG timeline: one column per day, events stacked in their day, and a
    bar per place for who held it from when to when (to the right edge while still held)."""
    days = _dates([e["event_date"] for e in events])
    days += _dates([c.get("since") or c.get("as_of") for c in control])
    days += _dates([c.get("until") for c in control])
    if not days:
        return None
    first, last = min(days), max(days)
    ndays = (last - first).days + 1
    width, left, right = 720.0, 150.0, 10.0
    col = (width - left - right) / ndays

    def x(d: dt.date) -> float:
        return round(left + (d - first).days * col, 1)

    stack: dict[dt.date, int] = {}
    dots = []
    for e in events:
        ds = _dates([e["event_date"]])
        if not ds:
            continue
        i = stack.get(ds[0], 0)
        stack[ds[0]] = i + 1
        dots.append({"x": round(x(ds[0]) + col / 2, 1), "y": 30 + i * 14, "e": e})
    top = 30 + max(stack.values(), default=1) * 14 + 10
    bars: list[dict[str, Any]] = []
    for c in control:
        start = _dates([c.get("since") or c.get("as_of")])
        if not start:
            continue
        end = _dates([c.get("until")]) if c.get("until") else [last]
        x0 = x(start[0])
        x1 = x(max(end[0], start[0])) + col
        bars.append({"x": x0, "w": round(max(x1 - x0, 4.0), 1), "y": top + 20 + len(bars) * 18,
                     "c": c})  # fmt: skip
    step = max(1, ndays // 7)
    ticks = []
    for i in range(0, ndays, step):
        d = first + dt.timedelta(days=i)
        ticks.append({"x": x(d), "mid": round(x(d) + col / 2, 1), "label": d.isoformat()})
    height = top + 20 + len(bars) * 18 + 10
    return {"dots": dots, "bars": bars, "ticks": ticks, "width": width, "height": height,
            "top": top, "left": left}  # fmt: skip


def render_story(detail: dict[str, Any], mode: str) -> str:
    sid = detail["story"]["story_id"]
    places = [{"name": c["place"], "latitude": c["latitude"], "longitude": c["longitude"]}
              for c in detail["control"]]  # fmt: skip
    return _render(
        "story.html", mode, "../",
        d=detail,
        s=detail["story"],
        sid=sid,
        map=map_view(detail["events"], places, href="../events/{id}.html"),
        timeline=timeline(detail["events"], detail["control"]),
        statuses=("corroborated", "single-source", "contested"),
    )  # fmt: skip


def render_event(detail: dict[str, Any], mode: str) -> str:
    e = detail["event"]
    return _render("event.html", mode, "../", e=e, story=detail["story"],
                   columns=detail["columns"], map=map_view([e], [], href="{id}.html"))  # fmt: skip


def render_article(detail: dict[str, Any], mode: str) -> str:
    a = detail["article"]
    return _render("article.html", mode, "../", a=a, segments=segments(a["text"], a["removed"]),
                   cited=detail["cited"])  # fmt: skip
