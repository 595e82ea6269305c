"""``sitroom watch``: a feed served on loopback and a folder, polled; stories assigned live."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import sitroom
from sitroom.api import RunReport
from sitroom.store import Store

from .conftest import Loopback

PAGE = """<!doctype html><html><head><title>{title}</title>
<meta property="og:site_name" content="Lakeside Radio">
<meta property="article:published_time" content="{date}">
</head><body><article><h1>{title}</h1>
{paras}
</article><footer>© 2024 Lakeside Radio</footer></body></html>"""

FLOOD = [
    "<p>The lake burst its banks at Millbrook on Sunday night, flooding more than forty houses "
    "along the north shore, the regional governor said on Monday.</p>",
    "<p>Families moved to the school gym in Millbrook would be able to return home before the "
    "end of the month, the governor said, as engineers began pumping water from the streets.</p>",
    "<p>The fire service said two boats were still being used to reach farms cut off by the "
    "flood water near Millbrook, and more rain was expected later in the week.</p>",
]
FLOOD_B = [
    "<p>Dozens of Millbrook families who fled the flood on Sunday night will be back in their "
    "homes within weeks, Governor Ana Ruiz told reporters at the town hall on Monday.</p>",
    "<p>Pumps brought in from the city were draining the worst-hit streets of Millbrook, and "
    "the power company said electricity would be restored to the north shore by Wednesday.</p>",
]
FLOOD_C = [
    "<p>Rescue boats reached farms on the edge of Millbrook that were cut off when the lake "
    "overflowed, the fire service said, bringing food and fodder to stranded families.</p>",
    "<p>Farmers said the flood had drowned spring crops across the north shore of the lake, "
    "and forecasters warned that more rain would fall on Millbrook later in the week.</p>",
]
ELECTION = [
    "<p>Voters in the capital chose a new mayor on Sunday, electing the former transport "
    "minister with 54 percent of the vote after a campaign dominated by housing costs.</p>",
    "<p>The new mayor promised to build ten thousand flats within four years and to freeze "
    "public transport fares, her campaign office said in a statement.</p>",
    "<p>Turnout was 61 percent, the electoral commission said, up from 48 percent at the last "
    "municipal election four years ago.</p>",
]

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Lakeside Radio</title><link>{base}/</link>
<description>Local news</description>{items}</channel></rss>"""
ITEM = """<item><title>{title}</title><link>{link}</link><guid>{link}</guid>
<pubDate>{date}</pubDate><description>{title}</description></item>"""


def _page(lb: Loopback, path: str, title: str, paras: list[str], order: list[int]) -> None:
    body = "\n".join(paras[i] for i in order)
    lb.add(path, PAGE.format(title=title, date="2024-05-06T09:00:00Z", paras=body))


def _publish(lb: Loopback, items: list[tuple[str, str]]) -> str:
    xml = RSS.format(base=lb.url(""), items="".join(
        ITEM.format(title=t, link=lb.url(p), date="Mon, 06 May 2024 09:00:00 +0000")
        for t, p in items))  # fmt: skip
    return lb.add("/feed.xml", xml, content_type="application/rss+xml")


def test_watch_a_feed_places_new_items_in_stories_as_they_appear(
    loopback: Loopback, db: Path
) -> None:
    lb = loopback
    _page(lb, "/a", "Lake floods Millbrook's north shore", FLOOD, [0, 1, 2])
    _page(lb, "/b", "Millbrook families to return home after flood", FLOOD_B, [0, 1])
    _page(lb, "/c", "Boats reach farms cut off by Millbrook flood", FLOOD_C, [0, 1])
    _page(lb, "/d", "Capital elects former transport minister as mayor", ELECTION, [0, 1, 2])
    feed = _publish(lb, [("Lake floods Millbrook's north shore", "/a"),
                         ("Millbrook families to return home after flood", "/b")])  # fmt: skip
    polls: list[RunReport] = []

    def on_poll(n: int, rep: RunReport) -> None:
        polls.append(rep)
        if n == 1:  # the newsroom publishes two more items
            _publish(lb, [("Lake floods Millbrook's north shore", "/a"),
                          ("Millbrook families to return home after flood", "/b"),
                          ("Boats reach farms cut off by Millbrook flood", "/c"),
                          ("Capital elects former transport minister as mayor", "/d")])  # fmt: skip

    n = sitroom.watch([feed], db, interval=0, max_polls=3, on_poll=on_poll)
    assert n == 3
    assert [p.added for p in polls] == [2, 2, 0]
    assert polls[0].stories == {"new": 1, "joined": 1}
    assert polls[1].stories == {"new": 1, "joined": 1}
    assert lb.hits.count("/a") == 1 and lb.hits.count("/c") == 1  # stored items: not refetched
    assert lb.hits.count("/feed.xml") == 3
    rows = {r["title"]: r["story_id"] for r in sitroom.stories(db, "article")}
    flood = {rows[t] for t in rows if "Millbrook" in t}
    assert len(flood) == 1 and rows["Capital elects former transport minister as mayor"] not in flood
    assert db.with_name(db.name + ".story-index.usearch").is_file()  # saved on the way out


def test_watch_a_folder_reads_only_new_files_once_they_are_written(
    tmp_path: Path, db: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()

    def drop(name: str, title: str, paras: list[str]) -> None:
        text = " ".join(p.removeprefix("<p>").removesuffix("</p>") for p in paras)
        rec = {"title": title, "text": text, "outlet": "Lakeside Radio", "published": "2024-05-06"}
        (inbox / name).write_text(json.dumps(rec), encoding="utf-8")

    drop("1.json", "Lake floods Millbrook's north shore", FLOOD)
    polls: list[RunReport] = []

    def on_poll(n: int, rep: RunReport) -> None:
        polls.append(rep)
        if n == 1:
            drop("2.json", "Millbrook families to return home after flood", FLOOD_B)
            (inbox / "3.json.part").write_text("{half a fi")  # still downloading: not read

    sitroom.watch([inbox], db, interval=0, max_polls=3, settle=0, on_poll=on_poll)
    assert [p.added for p in polls] == [1, 1, 0]
    assert not any(p.failures for p in polls)
    assert polls[1].stories == {"joined": 1}
    with Store(db) as store:
        assert len(store.runs()) == 2  # a poll that found nothing new records no run


def test_watch_stops_when_asked(tmp_path: Path, db: Path) -> None:
    inbox = tmp_path / "empty"
    inbox.mkdir()
    stop = threading.Event()
    timer = threading.Timer(0.5, stop.set)
    timer.start()
    n = sitroom.watch([inbox], db, interval=0.1, stop=stop)
    timer.join()
    assert n >= 1


def test_watch_refuses_a_missing_folder(tmp_path: Path, db: Path) -> None:
    import pytest

    with pytest.raises(sitroom.OptionsError, match="no such file or folder"):
        sitroom.watch([tmp_path / "nope"], db, max_polls=1)
