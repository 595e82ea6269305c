"""Write the static report: an index of stories and articles, and a page per article.

Every value that comes from an article is untrusted and goes through Jinja2's autoescaping;
the pages load nothing from the network and work from ``file://``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from sitroom.store import Store

__all__ = ["segments", "write_report"]


def _env() -> Environment:
    return Environment(
        loader=PackageLoader("sitroom.site", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


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


def write_report(store: Store, out: Path) -> Path:
    env = _env()
    (out / "articles").mkdir(parents=True, exist_ok=True)
    rows = list(store.articles(with_text=True))
    groups = Counter(r.get("copy_group") for r in rows)
    for r in rows:
        r["segments"] = segments(r["text"], r["removed"])
        r["reasons"] = Counter(x["reason"] for x in r["removed"])
        r["group_size"] = groups.get(r.get("copy_group"), 1)
        page = env.get_template("article.html").render(a=r)
        (out / "articles" / f"{r['id']}.html").write_text(page, encoding="utf-8")
    titles = {r["id"]: r for r in rows}
    stories = store.stories()
    members: dict[str, list[dict[str, Any]]] = {}
    for p in store.story_articles():
        if p["article_id"] in titles:
            members.setdefault(p["story_id"], []).append(titles[p["article_id"]])
    topics: dict[str, list[dict[str, Any]]] = {}
    for st in stories:
        st["members"] = members.get(st["story_id"], [])
        topics.setdefault(st["topic_id"], []).append(st)
    index = env.get_template("index.html").render(
        articles=rows,
        topics=list(topics.items()),
        n_stories=len(stories),
        outlets=Counter(r.get("outlet") or "unknown" for r in rows),
        groups=sum(1 for n in groups.values() if n > 1),
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        db=store.path.name,
    )
    path = out / "index.html"
    path.write_text(index, encoding="utf-8")
    return path
