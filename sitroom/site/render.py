"""Write the static report: the situation room as files that work from ``file://``.

Layout (the server serves the same paths)::

    index.html                  the story list, with its filters
    stories/STORY.html          brief, map, timeline, control, events, claims, coverage,
                                quotes, sources
    events/EVENT.html           one event with its sources
    articles/ARTICLE.html       the source view: original text, debris struck through, the
                                cited passage highlighted (``#s-START-END``)
    exports/...                 CSV/JSON/GeoJSON of each story's events, claims and control,
                                and of the stories
    assets/site.css, site.js

Every value that comes from an article is untrusted (see :mod:`sitroom.site.pages`).
"""

from __future__ import annotations

from pathlib import Path

from sitroom.site.data import article_source, event_detail, story_detail, story_rows
from sitroom.site.exports import FORMATS, export
from sitroom.site.pages import (
    asset,
    render_article,
    render_event,
    render_index,
    render_story,
    segments,
)
from sitroom.store import Store

__all__ = ["segments", "write_report"]

MODE = "static"


def _name(id_: str) -> str:
    """A file name from an id: ids are hex, but a path must never come from data."""
    safe = "".join(ch for ch in id_ if ch.isalnum() or ch in "-_")
    if safe != id_ or not safe:
        raise ValueError(f"unexpected id {id_!r}")
    return safe


def write_report(store: Store, out: Path) -> Path:
    """Write the site into ``out``; the path of its index page."""
    for sub in ("stories", "events", "articles", "exports", "assets"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    for name in ("site.css", "site.js"):
        (out / "assets" / name).write_bytes(asset(name))
    rows = story_rows(store)
    for fmt in FORMATS["stories"]:
        (out / "exports" / f"stories.{fmt}").write_text(export("stories", rows, fmt), "utf-8")
    for r in rows:
        sid = _name(r["story_id"])
        detail = story_detail(store, sid)
        if detail is None:
            continue
        (out / "stories" / f"{sid}.html").write_text(render_story(detail, MODE), "utf-8")
        for what, key in (("events", "events"), ("claims", "claims"), ("control", "control")):
            for fmt in FORMATS[what]:
                text = export(what, detail[key], fmt)
                (out / "exports" / f"{sid}.{what}.{fmt}").write_text(text, "utf-8")
        for e in detail["events"]:
            ev = event_detail(store, e["event_id"])
            if ev is not None:
                page = render_event(ev, MODE)
                (out / "events" / f"{_name(e['event_id'])}.html").write_text(page, "utf-8")
    for (aid,) in store.db.execute("SELECT id FROM articles ORDER BY rowid").fetchall():
        src = article_source(store, aid)
        if src is not None:
            page = render_article(src, MODE)
            (out / "articles" / f"{_name(aid)}.html").write_text(page, "utf-8")
    index = out / "index.html"
    index.write_text(render_index(rows, MODE, store.path.name), "utf-8")
    return index
