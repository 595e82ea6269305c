"""Feeds and pages fetched over real HTTP from a server on loopback."""

from __future__ import annotations

from pathlib import Path

import sitroom
from sitroom.options import Options

from .conftest import Loopback

PAGE = """<!doctype html><html><head><title>{title}</title>
<meta property="og:site_name" content="Lakeside Radio">
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>{title}</h1>
<p>{lede} The regional governor said on Monday that repairs would start within a week and
that families moved to the school gym would be able to return home before the end of the month.</p>
<p>Engineers counted more than forty damaged houses along the north shore, and the fire service
said two boats were still being used to reach farms cut off by the water on Sunday night.</p>
<p>The national weather office warned that more rain was expected later this week.</p>
</article><footer>© 2024 Lakeside Radio</footer></body></html>"""

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Lakeside Radio - Local</title>
<link>{base}/</link><description>Local news</description>
{items}
</channel></rss>"""

ITEM = """<item><title>{title}</title><link>{link}</link><guid>{link}</guid>
<pubDate>{date}</pubDate><description>{summary}</description></item>"""


def _feed(lb: Loopback, entries: list[tuple[str, str, str]]) -> str:
    items = []
    for i, (title, path, date) in enumerate(entries):
        items.append(ITEM.format(title=title, link=lb.url(path), date=date, summary=f"S{i}"))
    return RSS.format(base=lb.url(""), items="\n".join(items))


def test_feed_url_fetches_linked_pages(loopback: Loopback, db: Path) -> None:
    lb = loopback
    lb.add("/a", PAGE.format(title="Lake floods north shore", lede="The lake burst its banks."))
    lb.add("/b", PAGE.format(title="Boats reach cut-off farms", lede="Boats reached farms."))
    lb.add("/slow", PAGE.format(title="Slow", lede="Slow page."), delay=2)
    feed = _feed(
        lb,
        [
            ("Lake floods north shore", "/a", "Mon, 06 May 2024 08:00:00 +0000"),
            ("Boats reach cut-off farms", "/b", "Mon, 06 May 2024 12:30:00 +0000"),
            ("Gone", "/missing", "Mon, 06 May 2024 13:00:00 +0000"),
            ("Slow", "/slow", "Mon, 06 May 2024 14:00:00 +0000"),
        ],
    )
    url = lb.add("/feed.xml", feed, content_type="application/rss+xml")
    rep = sitroom.run([url], db=db, options=Options(fetch_timeout=1.0))
    assert rep.added == 2
    lines = sorted(e.line() for e in rep.failures)
    assert len(lines) == 2
    assert "item 3" in lines[0] and "HTTP 404" in lines[0] and "/missing" in lines[0]
    assert "item 4" in lines[1] and "timed out" in lines[1]
    rows = {r["title"]: r for r in sitroom.articles(db)}
    a = rows["Lake floods north shore"]
    assert (a["outlet"], a["outlet_source"]) == ("Lakeside Radio", "feed:channel")
    assert (a["published"], a["date_source"]) == ("2024-05-06", "feed:pubDate")
    assert a["url"] == lb.url("/a") and a["locator"] == "item 1"
    assert {"/feed.xml", "/a", "/b", "/missing", "/slow"} <= set(lb.hits)

    # polling the feed again fetches only the pages not stored yet
    lb.hits.clear()
    again = sitroom.run([url], db=db, options=Options(fetch_timeout=1.0))
    assert again.added == 0
    assert "/a" not in lb.hits and "/b" not in lb.hits
    assert "/missing" in lb.hits


def test_feed_url_that_fails(loopback: Loopback, db: Path, tmp_path: Path) -> None:
    lb = loopback
    slow = lb.add("/slow.xml", "<rss></rss>", delay=2)
    good = tmp_path / "good.txt"
    good.write_text("OSLO, Feb 7, 2024 (Nordic Wire) - Talks opened.\n\nMore.", encoding="utf-8")
    rep = sitroom.run(
        [lb.url("/nothing.xml"), slow, str(good)], db=db, options=Options(fetch_timeout=0.5)
    )
    assert rep.added == 1
    msgs = [e.line() for e in rep.failures]
    assert msgs[0].startswith(lb.url("/nothing.xml")) and "HTTP 404" in msgs[0]
    assert msgs[1].startswith(slow) and "timed out after 0.5 s" in msgs[1]


def test_feed_file_atom_with_full_content(tmp_path: Path, db: Path) -> None:
    body = "<p>" + "The ferry resumed service on Tuesday after the storm. " * 12 + "</p>"
    atom = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour Gazette</title>
<id>urn:x</id><updated>2024-05-07T10:00:00Z</updated>
<entry><title>Ferry resumes</title><id>urn:1</id><link href="https://harbour.example/ferry"/>
<updated>2024-05-07T09:00:00Z</updated><content type="html"><![CDATA[{body}]]></content></entry>
</feed>"""
    p = tmp_path / "news.atom"
    p.write_text(atom, encoding="utf-8")
    bad = tmp_path / "bad.rss"
    bad.write_text("this is not xml at all", encoding="utf-8")
    rep = sitroom.run([str(p), str(bad)], db=db)
    assert rep.added == 1
    assert "not an RSS/Atom feed" in rep.failures[0].reason
    (row,) = sitroom.articles(db, with_text=True)
    assert row["outlet"] == "Harbour Gazette" and row["published"] == "2024-05-07"
    assert row["extractor"] == "fragment" and row["clean_text"].startswith("The ferry resumed")
