"""The founding reports: outlets and dates from the text alone, every news paragraph kept."""

from __future__ import annotations

from pathlib import Path

import sitroom

from .conftest import need_shared


def test_seeds_outlets_dates_and_debris(db: Path) -> None:
    seeds = need_shared("seeds")
    rep = sitroom.run([seeds], db=db)
    assert rep.ok and rep.added == 2
    rows = sorted(sitroom.articles(db, with_text=True), key=lambda r: r["outlet"])
    assert [(r["outlet"], r["published"]) for r in rows] == [
        ("NBC News", "2021-08-13"),
        ("Reuters", "2021-08-13"),
    ]
    for r in rows:
        original = Path(r["path"]).read_text(encoding="utf-8")
        removed = {x["text"] for x in r["removed"]}
        # every line is either kept whole or removed whole as debris, never cut
        for line in (ln.strip() for ln in original.splitlines()):
            if line:
                assert (line in removed) != (line in r["clean_text"]), line
        for x in r["removed"]:
            assert x["reason"] in {
                "caption",
                "credit",
                "comment-prompt",
                "shortcode",
                "inserted-headline",
            }, x
    nbc, reuters = rows
    assert sorted(x["reason"] for x in nbc["removed"]) == [
        "caption",
        "comment-prompt",
        "comment-prompt",
        "credit",
    ]
    assert sorted(x["reason"] for x in reuters["removed"]) == [
        "caption",
        "credit",
        "inserted-headline",
        "inserted-headline",
        "shortcode",
    ]
    assert "told NBC News" in nbc["clean_text"] and "Please enter" not in nbc["clean_text"]
    assert "aesop_image" not in reuters["clean_text"]
