"""The situation room: `sitroom serve` and the static report, driven in real headless Chromium
over the sample store (filters, map, citation to source view, exports), plus the server's
read-only store, routes and headers."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import sitroom
from sitroom.errors import StoreError
from sitroom.site.data import ReadOnlyStore, filter_stories, story_rows
from sitroom.site.pages import safe_json
from sitroom.site.serve import SiteServer, make_server

from .conftest import ROOT, SAMPLE

SHOTS = ROOT / "test-output"


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("site") / "sample.db"
    assert sitroom.run([SAMPLE], db=db, quiet=True).ok
    return db


def start_server(db: Path) -> tuple[SiteServer, str]:
    server = make_server(db, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


@pytest.fixture(scope="module")
def served(sample_db: Path) -> Iterator[str]:
    server, url = start_server(sample_db)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def static_site(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sitroom.report(sample_db, tmp_path_factory.mktemp("report") / "site")


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield pg
    ctx.close()
    assert errors == [], errors  # no script error, no CSP violation


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


# -- without a browser -----------------------------------------------------------------------


def test_site_safe_json_cannot_close_a_script() -> None:
    evil = "</script><script>alert(1)</script>&\u2028\u2029"
    out = str(safe_json({"x": evil}))
    assert "<" not in out and ">" not in out and "&" not in out
    assert "\u2028" not in out and "\u2029" not in out
    assert json.loads(out) == {"x": evil}


def test_site_store_is_read_only(sample_db: Path) -> None:
    store = ReadOnlyStore(sample_db)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        store.db.execute("DELETE FROM events")
    store.close()
    with pytest.raises(StoreError):
        ReadOnlyStore(sample_db.with_name("absent.db"))


def test_site_filter_stories_by_place_status_and_dates(sample_db: Path) -> None:
    with ReadOnlyStore(sample_db) as store:
        rows = story_rows(store)
    assert len(rows) == 4
    herat = filter_stories(rows, {"place": "Herat"})  # accents folded: GeoNames says Herāt
    assert 0 < len(herat) < len(rows)
    contested = filter_stories(rows, {"status": "contested"})
    assert contested and all(r["claims"]["contested"] for r in contested)
    assert filter_stories(rows, {"since": "2030-01-01"}) == []
    assert filter_stories(rows, {"q": "GHAZNI"})[0]["label"].startswith("Ghazni")


def test_site_serve_routes_headers_and_exports(served: str, sample_db: Path) -> None:
    status, headers, body = get(served)
    assert status == 200
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert b"<script src=" in body and b"onclick" not in body
    story = sitroom.stories(sample_db)[0]["story_id"]
    status, headers, body = get(f"{served}api/events.geojson?story={story}")
    assert status == 200 and headers["Content-Type"].startswith("application/geo+json")
    feats = json.loads(body)["features"]
    placed = [e for e in sitroom.events(sample_db, story=story) if e["latitude"] is not None]
    assert len(feats) == len(placed) > 0  # an event with no place has no point on a map
    status, headers, body = get(f"{served}api/control.geojson?story={story}")
    assert status == 200 and headers["Content-Type"].startswith("application/geo+json")
    held = [c for c in sitroom.control(sample_db) if c.get("latitude") is not None]
    feats = json.loads(body)["features"]
    assert all(f["geometry"]["type"] == "Point" for f in feats)
    assert {f["properties"]["place"] for f in feats} <= {c["place"] for c in held}
    status, _, body = get(f"{served}api/stories.csv?status=contested")
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert rows and all(json.loads(r["claims"])["contested"] > 0 for r in rows)
    assert get(f"{served}stories/nope.html")[0] == 404
    assert get(f"{served}stories/..%2f..%2fetc.html")[0] == 404
    assert get(f"{served}api/stories.geojson")[0] == 404


def test_site_serve_cli_binds_loopback_and_serves(sample_db: Path) -> None:
    cmd = [sys.executable, "-m", "sitroom", "serve", "--db", str(sample_db), "--port", "0"]
    with subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    ) as proc:
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            assert m, line
            status, _, body = get(m.group(0) + "index.html")
            assert status == 200 and b"Taliban" in body
        finally:
            proc.terminate()
            proc.wait(timeout=10)


# -- in the browser --------------------------------------------------------------------------


def _visible_stories(page: Any) -> int:
    return int(page.locator("#stories > li:visible").count())


def _check_filters_and_export(page: Any, tmp: Path) -> None:
    total = _visible_stories(page)
    assert total == 4 and page.locator("#shown").inner_text() == "4"
    page.fill("#f-place", "Herat")
    herat = _visible_stories(page)
    assert 0 < herat < total
    page.fill("#f-place", "")
    page.select_option("#f-status", "contested")
    contested = _visible_stories(page)
    assert 0 < contested < total
    with page.expect_download() as dl:
        page.click("#export-stories-csv")
    path = tmp / "stories.csv"
    dl.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    shown = page.locator("#stories > li:visible").evaluate_all("els => els.map(e => e.dataset.id)")
    assert [r["story_id"] for r in rows] == shown
    page.select_option("#f-status", "")
    assert _visible_stories(page) == total


def _check_story_and_citation(page: Any, db: Path, shot: str) -> None:
    page.locator("#stories > li a").first.click()
    page.wait_for_selector("svg.map")
    markers = page.locator("svg.map circle").count()
    assert markers > 0
    assert page.locator("#claims .claim").count() > 0
    assert page.locator("svg.timeline circle").count() > 0
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot}-story.png"), full_page=True)
    cite = page.locator("#brief a.cite, #claims a.cite").first
    href = cite.get_attribute("href")
    m = re.search(r"articles/(\w+)\.html#s-(\d+)-(\d+)$", href or "")
    assert m, href
    article_id, start, end = m.group(1), int(m.group(2)), int(m.group(3))
    cite.click()
    page.wait_for_selector("mark.hl")
    text = next(a["text"] for a in sitroom.articles(db, with_text=True) if a["id"] == article_id)
    cited = {s["sentence"] for c in sitroom.claims(db) for s in c["sources"]
             if (s["article_id"], s["start"], s["end"]) == (article_id, start, end)}  # fmt: skip
    marked = "".join(page.locator("mark.hl").all_inner_texts())
    assert marked == text[start:end]
    assert not cited or marked in cited
    in_view = page.locator("mark.hl").first.evaluate(
        "m => { const r = m.getBoundingClientRect(); return r.top >= -1 && r.bottom <= innerHeight + 1; }"
    )
    assert in_view
    page.screenshot(path=str(SHOTS / f"{shot}-source.png"))


def _check_story_export(page: Any, tmp: Path, what: str, fmt: str) -> Any:
    with page.expect_download() as dl:
        page.click(f"#export-{what}-{fmt}")
    path = tmp / f"{what}.{fmt}"
    dl.value.save_as(path)
    return path.read_text(encoding="utf-8")


def test_site_serve_in_chromium(page: Any, served: str, sample_db: Path, tmp_path: Path) -> None:
    page.goto(served)
    _check_filters_and_export(page, tmp_path)
    page.goto(served + "?status=contested")  # filters come from the address too
    assert 0 < _visible_stories(page) < 4
    page.goto(served)
    _check_story_and_citation(page, sample_db, "serve")
    page.go_back()
    page.wait_for_selector("svg.map")
    geo = json.loads(_check_story_export(page, tmp_path, "events", "geojson"))
    assert len(geo["features"]) > 0
    assert len(geo["features"]) == page.locator("svg.map a circle").count()


def test_site_static_report_in_chromium(page: Any, static_site: Path, sample_db: Path,
                                        tmp_path: Path) -> None:  # fmt: skip
    page.goto(static_site.as_uri())
    _check_filters_and_export(page, tmp_path)
    _check_story_and_citation(page, sample_db, "static")
    page.go_back()
    page.wait_for_selector("svg.map")
    rows = list(csv.DictReader(io.StringIO(_check_story_export(page, tmp_path, "events", "csv"))))
    assert rows and len(rows) == page.locator("#events tbody tr").count()
    assert {"event_id_cnty", "latitude", "longitude", "sub_event_type"} <= set(rows[0])


def test_seeds_report_shows_brief_map_timeline_control_and_statuses(tmp_path: Path) -> None:
    from tests.conftest import need_shared

    seeds = need_shared("seeds")
    db = tmp_path / "seeds.db"
    sitroom.run([seeds], db=db)
    sitroom.report(db, tmp_path / "site")
    (page,) = (tmp_path / "site" / "stories").glob("*.html")
    html = page.read_text(encoding="utf-8")
    for section in ("brief", "map", "timeline", "control", "events", "claims", "sources"):
        assert f'id="{section}"' in html, section
    brief = html.split('id="brief"', 1)[1].split('id="map"', 1)[0]
    assert "Reuters" in brief and "NBC News" in brief and "Kandahar" in brief
    map_svg = html.split('id="map"', 1)[1].split('id="timeline"', 1)[0]
    assert map_svg.count("<circle") >= 5
    control = html.split('id="control"', 1)[1].split('id="events"', 1)[0]
    assert "Taliban" in control and "Kandah" in control
    assert "st-corroborated" in html and "st-single-source" in html
