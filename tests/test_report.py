"""The static report: debris struck through, and article text never executed."""

from __future__ import annotations

import json
from pathlib import Path

import sitroom

PAYLOADS = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
]


def test_report_escapes_untrusted_fields(tmp_path: Path, db: Path) -> None:
    art = {
        "title": "Talks " + PAYLOADS[0],
        "outlet": "Evil " + PAYLOADS[1],
        "url": "javascript:alert(1)",
        "published": "2024-05-06",
        "text": "Talks resumed on Monday in the capital, officials said. "
        + " ".join(PAYLOADS)
        + "\n\nPhoto: "
        + PAYLOADS[1]
        + " / AP\n\nThe talks will go on.",
    }
    p = tmp_path / "evil.json"
    p.write_text(json.dumps(art), encoding="utf-8")
    assert sitroom.run([p], db=db).added == 1
    index = sitroom.report(db, tmp_path / "site")
    pages = [index.read_text(encoding="utf-8")]
    pages += [f.read_text(encoding="utf-8") for f in (tmp_path / "site" / "articles").glob("*")]
    for page in pages:
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert 'href="javascript:' not in page
        assert "&lt;script&gt;" in page
    article_page = pages[1]
    assert "<del data-reason=" in article_page  # the caption is shown struck through
    assert "Content-Security-Policy" in article_page
