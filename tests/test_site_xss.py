"""Untrusted article fields stay inert in the situation room: script, img onerror and
javascript: payloads through title, outlet, text and a quote show as text in real Chromium,
served and static, and never run."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

import sitroom
from sitroom.site.serve import make_server

PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)"]
SCRIPT, IMG, JS = PAYLOADS


def _articles() -> list[dict[str, str]]:
    return [
        {
            "title": f"Taliban seize Herat {SCRIPT} {JS}",
            "outlet": f"Evil Wire {IMG}",
            "url": JS,
            "published": "2021-08-13",
            "text": (
                f"HERAT, Aug 13 (Evil Wire) - Taliban fighters captured the city of Herat on "
                f"Friday {SCRIPT}, officials said.\n\n"
                f'"{IMG} we will hold the city," said Zabihullah Mujahid, a Taliban spokesman.'
                f"\n\nThe fighters also took Kandahar on Friday {JS} after days of fighting, "
                f"witnesses said."
            ),
        },
        {
            "title": f"Herat falls to Taliban {IMG}",
            "outlet": f"Other Post {SCRIPT}",
            "published": "2021-08-13",
            "text": (
                f"HERAT, Aug 13 (Other Post) - Taliban fighters captured the city of Herat on "
                f"Friday, officials said {IMG}.\n\n"
                f'"{SCRIPT} the city is ours," said Zabihullah Mujahid, a Taliban spokesman.\n\n'
                "The fighters also took Kandahar on Friday after days of fighting."
            ),
        },
    ]


@pytest.fixture(scope="module")
def evil_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("evil")
    src = folder / "in" / "evil.jsonl"
    src.parent.mkdir()
    src.write_text("".join(json.dumps(a) + "\n" for a in _articles()), encoding="utf-8")
    db = folder / "evil.db"
    assert sitroom.run([src], db=db, quiet=True).added == 2
    quotes = " ".join(q["quote"] for q in sitroom.quotes(db))
    assert SCRIPT in quotes and IMG in quotes  # the payloads reach a quote
    return db


INJECTED = """() => {
  const bad = [];
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) bad.push(el.tagName + " " + a.name);
      if (/^(href|src|action|formaction|xlink:href)$/i.test(a.name)
          && /^\\s*javascript:/i.test(a.value)) bad.push(el.tagName + " " + a.name);
    }
  }
  for (const s of document.querySelectorAll("script"))
    if (s.src === "" && s.type !== "application/json") bad.push("inline script");
  return bad;
}"""


def _pages_of(base: str, db: Path) -> list[str]:
    story = sitroom.stories(db)[0]["story_id"]
    event = sitroom.events(db, story=story)[0]["event_id_cnty"]
    article = sitroom.articles(db)[0]["id"]
    return [
        base + "index.html",
        f"{base}stories/{story}.html",
        f"{base}events/{event}.html",
        f"{base}articles/{article}.html#s-0-20",
    ]


def _check_inert(browser: Any, urls: list[str]) -> None:
    ctx = browser.new_context()
    page = ctx.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    seen = ""
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("load")
        assert page.evaluate(INJECTED) == [], url
        assert page.locator("img[src=x]").count() == 0, url
        seen += page.locator("body").inner_text()
        for a in page.locator("a").all()[:40]:
            a.hover(timeout=2000)  # a hover handler would fire here
    page.wait_for_timeout(300)
    ctx.close()
    assert dialogs == []
    for payload in PAYLOADS:  # shown literally, as text
        assert payload in seen, payload


def test_site_xss_payloads_stay_inert_when_served(browser: Any, evil_db: Path) -> None:
    server = make_server(evil_db, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        _check_inert(browser, _pages_of(f"http://127.0.0.1:{server.server_port}/", evil_db))
    finally:
        server.shutdown()
        server.server_close()


def test_site_xss_payloads_stay_inert_in_the_static_report(
    browser: Any, evil_db: Path, tmp_path: Path
) -> None:
    index = sitroom.report(evil_db, tmp_path / "site")
    for page in (tmp_path / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html, page
        assert 'href="javascript:' not in html, page
    _check_inert(browser, _pages_of(index.parent.as_uri() + "/", evil_db))
