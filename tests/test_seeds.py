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


CAPTURED = {  # true location and province of each city the reports say was captured
    "Kandahar": (31.61, 65.71, "Kandahār"),
    "Herat": (34.35, 62.20, "Herāt"),
    "Lashkar Gah": (31.59, 64.37, "Helmand"),
    "Qala-e-Naw": (34.99, 63.13, "Bādghīs"),
    "Firuz Koh": (34.52, 65.25, "Ghōr"),
    "Ghazni": (33.55, 68.42, "Ghaznī"),
}


def test_seeds_captured_cities_located_and_credit_places_not_news(db: Path) -> None:
    from sitroom.geo.gazetteer import distance_km

    seeds = need_shared("seeds")
    sitroom.run([seeds], db=db)
    with sitroom.open_store(db) as store:
        places = store.place_mentions()
    body = [p for p in places if p["role"] in ("body", "dateline")]
    for name, (lat, lon, province) in CAPTURED.items():
        hits = [p for p in body if p["text"] == name]
        assert hits, name
        for p in hits:
            assert distance_km(lat, lon, p["latitude"], p["longitude"]) < 25, (name, p)
            assert p["admin1"] == province, (name, p)
    # the NBC credit line names Kabul and Peshawar: those places are not where news happened
    credit = {p["text"] for p in places if p["role"] == "credit"}
    assert "Peshawar" in credit
    assert not any(p["text"] == "Peshawar" for p in body)
