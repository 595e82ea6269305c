"""Inputs that never stop a run: each bad file, line or item fails alone with one clear line
naming it, and every other article lands."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

import sitroom
from sitroom.errors import InputError, OptionsError, ParseError, TooLargeError
from sitroom.model import Article, InputItem
from sitroom.options import Options
from sitroom.stages.ingest import read_item

GOOD = (
    "HARARE, May 2 (Zambezi Wire) - Talks on the new dam resumed on Thursday, "
    "officials said, after a week of protests by farmers along the river.\n\n"
    "The farmers say the reservoir would flood 40 villages."
)
_INGEST = ["ingest"]


def _read(
    payload: bytes | str, kind: str = "json", name: str = "in.json", **opts: object
) -> list[Article | InputError]:
    return read_item(
        InputItem(name, "", kind, payload),  # type: ignore[arg-type]
        Options().replace(**opts),
    )


def _articles(got: list[Article | InputError]) -> list[Article]:
    return [a for a in got if isinstance(a, Article)]


def _failures(got: list[Article | InputError]) -> list[InputError]:
    return [e for e in got if isinstance(e, InputError)]


# 1. nesting


@pytest.mark.parametrize(
    "doc",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 100_000 + "1" + "}" * 100_000,
        '{"text": "x", "title": ' + "[" * 50_000 + "]" * 50_000 + "}",
    ],
    ids=["arrays", "objects", "in-a-field"],
)
def test_deeply_nested_json_is_a_parse_error(doc: str) -> None:
    (err,) = _read(doc.encode())
    assert isinstance(err, ParseError)
    assert err.line() == "in.json: JSON nested too deep"


def test_deep_field_value_fails_its_item_alone() -> None:
    deep: object = "x"
    for _ in range(40):
        deep = [deep]
    doc = json.dumps([{"text": GOOD, "title": "A"}, {"text": GOOD + " B", "published": deep}])
    got = _read(doc.encode())
    assert [a.fields["title"] for a in _articles(got)] == ["A"]
    (err,) = _failures(got)
    assert isinstance(err, ParseError) and err.locator == "item 2"
    assert "nested deeper" in err.reason


def test_json_number_python_cannot_convert_is_a_parse_error() -> None:
    (err,) = _read(('{"text": "x", "published": ' + "9" * 5000 + "}").encode())
    assert isinstance(err, ParseError) and "malformed JSON" in err.reason
    assert "\n" not in err.line()


def test_deep_json_in_a_run_does_not_stop_it(tmp_path: Path, db: Path) -> None:
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (tmp_path / "deep.jsonl").write_text(
        json.dumps({"title": "One", "text": GOOD}) + "\n" + '{"a":' * 100_000 + "\n",
        encoding="utf-8",
    )
    rep = sitroom.run([str(tmp_path)], db=db, stages=_INGEST, quiet=True)
    assert rep.added == 1
    assert sorted((Path(e.path).name, e.locator, e.kind, e.reason) for e in rep.failures) == [
        ("deep.json", "", "parse", "JSON nested too deep"),
        ("deep.jsonl", "line 2", "parse", "JSON nested too deep"),
    ]


# 3. one bad item of many


def test_json_array_bad_items_fail_alone() -> None:
    items = [
        {"title": "One", "text": GOOD + " One."},
        {"title": "no text at all"},
        "a string, not an object",
        {"title": "Four", "text": GOOD + " Four."},
        None,
        {"title": "Six", "html": "<p>" + GOOD + " Six.</p>"},
    ]
    got = _read(json.dumps(items).encode())
    assert [(a.locator, a.fields["title"]) for a in _articles(got)] == [
        ("item 1", "One"),
        ("item 4", "Four"),
        ("item 6", "Six"),
    ]
    errs = _failures(got)
    assert [(e.locator, e.kind) for e in errs] == [
        ("item 2", "parse"),
        ("item 3", "parse"),
        ("item 5", "parse"),
    ]
    assert "no article text" in errs[0].reason
    assert errs[1].line() == "in.json (item 3): JSON array item is a str, not an object"


def test_bad_items_fail_alone_in_a_run(tmp_path: Path, db: Path) -> None:
    arr = [{"title": f"T{i}", "text": GOOD + f" Item {i}."} for i in range(5)]
    arr[2] = {"title": "T2 without text"}
    (tmp_path / "many.json").write_text(json.dumps({"articles": arr}), encoding="utf-8")
    lines = [
        json.dumps({"title": "L1", "text": GOOD + " L1."}),
        json.dumps([{"title": "L2a", "text": GOOD + " L2a."}, {"title": "L2b"}]),
        json.dumps({"title": "L3", "text": GOOD + " L3."}),
    ]
    (tmp_path / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rep = sitroom.run([str(tmp_path)], db=db, stages=_INGEST, quiet=True)
    assert sorted((Path(e.path).name, e.locator) for e in rep.failures) == [
        ("batch.jsonl", "line 2, item 2"),
        ("many.json", "item 3"),
    ]
    assert rep.added == 4 + 3
    assert all(e.kind == "parse" and "no article text" in e.reason for e in rep.failures)


def test_feed_bad_item_fails_alone(tmp_path: Path, db: Path) -> None:
    body = "<p>" + (GOOD + " ") * 4 + "</p>"
    items = "".join(
        f"<item><title>Item {i}</title><guid>g{i}</guid>"
        f"<description><![CDATA[{body if i != 2 else ''}]]></description></item>"
        for i in range(1, 4)
    )
    feed = tmp_path / "feed.xml"
    feed.write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Zambezi Wire</title>'
        f"{items}</channel></rss>",
        encoding="utf-8",
    )
    rep = sitroom.run([str(feed)], db=db, stages=_INGEST, quiet=True)
    (err,) = rep.failures
    assert err.locator == "item 2" and "feed.xml" in err.line()
    assert rep.added == 2


# 4. characters nothing downstream can take


def test_lone_surrogates_and_controls_are_replaced_one_for_one() -> None:
    text = "abc \udfff def \x00 ghi \x07 jkl \ud800 " + GOOD
    doc = json.dumps({"title": "Dam \udfff talks\x01", "text": text, "outlet": "Wire\x00"})
    assert "\\udfff" in doc  # as a JSON file holds it
    (art,) = _read(doc.encode())
    assert isinstance(art, Article)
    assert len(art.raw) == len(text)  # one for one: no offset moves
    assert art.raw == text.translate(
        {0xDFFF: "\ufffd", 0xD800: "\ufffd", 0x00: "\ufffd", 0x07: "\ufffd"}
    )
    assert art.raw[4] == "\ufffd" and art.raw[art.raw.index("HARARE") :] == GOOD
    art.raw.encode("utf-8")  # strict: encodable everywhere
    assert art.fields["title"] == "Dam \ufffd talks\ufffd"
    assert art.fields["outlet"] == "Wire\ufffd"
    repaired = art.fields["repaired"]
    assert set(repaired) == {"raw", "title", "outlet"}
    assert "4 unusable characters" in repaired["raw"][0]
    json.dumps(art.fields, ensure_ascii=False).encode("utf-8")


def test_form_feed_and_vertical_tab_become_line_breaks() -> None:
    (art,) = _read(("Page one.\fPage two.\vEnd. " + GOOD).encode(), kind="text", name="a.txt")
    assert isinstance(art, Article)
    assert art.raw == "Page one.\nPage two.\nEnd. " + GOOD


def test_sound_text_is_not_marked_repaired() -> None:
    (art,) = _read(
        json.dumps({"title": "Caf\u00e9", "text": GOOD + " \u2014 \u201cok\u201d"}).encode()
    )
    assert isinstance(art, Article) and "repaired" not in art.fields


def test_lone_surrogate_survives_the_whole_pipeline(tmp_path: Path, db: Path) -> None:
    p = tmp_path / "surrogate.json"
    p.write_text(
        json.dumps({"title": "Dam talks \udfff resume", "text": "abc \udfff def. " + GOOD}),
        encoding="utf-8",
    )
    good = tmp_path / "good.txt"
    good.write_text(GOOD.replace("dam", "bridge"), encoding="utf-8")
    rep = sitroom.run([str(p), str(good)], db=db, workers=1, quiet=True)
    assert rep.ok and rep.added == 2


# 5. text too long to be an article


def test_text_over_max_chars_is_refused_fast(tmp_path: Path, db: Path) -> None:
    big = tmp_path / "giant.txt"
    with big.open("wb") as fh:
        fh.write(b"The river rose again. " * (50 * 1024 * 1024 // 22))  # ~50 MB of text
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    t0 = time.perf_counter()
    rep = sitroom.run([str(big), str(good)], db=db, stages=_INGEST, max_bytes=60_000_000)
    assert time.perf_counter() - t0 < 30
    (err,) = rep.failures
    assert isinstance(err, TooLargeError)
    assert err.line() == (
        f"{big}: 52,428,794 characters of text, over the 300,000 limit (max_chars)"
    )
    assert rep.added == 1


def test_spacy_sized_text_is_refused_at_ingest() -> None:
    text = "The river rose again. " * (5_100_000 // 22)
    (err,) = _read(text.encode(), kind="text", name="long.txt", max_bytes=10_000_000)
    assert isinstance(err, TooLargeError) and "max_chars" in err.reason


def test_max_chars_counts_an_html_pages_text_not_its_markup() -> None:
    markup = "<div class='x'><script>var a = 1;</script></div>\n" * 3000  # ~150k chars
    page = f"<html><body>{markup}<article><p>{GOOD}</p></article>{markup}</body></html>"
    (art,) = _read(page.encode(), kind="html", name="page.html", max_chars=20_000)
    assert isinstance(art, Article)
    text_page = "<html><body>" + f"<p>{GOOD}</p>" * 200 + "</body></html>"
    (err,) = _read(text_page.encode(), kind="html", name="long.html", max_chars=20_000)
    assert isinstance(err, TooLargeError) and "characters of text in its HTML" in err.reason


def test_html_of_unclosed_tags_is_measured_in_linear_time() -> None:
    page = "<html><body>" + "<script " * 200_000 + "<!--" * 100_000
    t0 = time.perf_counter()
    _read(page.encode(), kind="html", name="tags.html", max_chars=1_000)
    assert time.perf_counter() - t0 < 10


def test_json_item_over_max_chars_fails_alone() -> None:
    items = [{"title": "Short", "text": GOOD}, {"title": "Long", "text": GOOD * 100}]
    got = _read(json.dumps(items).encode(), max_chars=5_000)
    assert [a.fields["title"] for a in _articles(got)] == ["Short"]
    (err,) = _failures(got)
    assert isinstance(err, TooLargeError) and err.locator == "item 2"


def test_a_long_read_is_still_an_article() -> None:
    text = (GOOD + "\n\n") * (250_000 // (len(GOOD) + 2))  # a long read, 250k characters
    (art,) = _read(text.encode(), kind="text", name="long-read.txt")
    assert isinstance(art, Article) and art.raw == text


def test_max_chars_option_is_checked() -> None:
    assert Options().max_chars == 300_000
    assert Options().replace(max_chars=2_000_000).max_chars == 2_000_000
    with pytest.raises(OptionsError, match="max_chars"):
        Options().replace(max_chars=0)


# anything else odd still fails alone


def test_an_unexpected_error_on_one_item_is_that_items_failure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sitroom.stages.ingest as ingest

    def boom(*args: object, **kw: object) -> None:
        raise KeyError("surprise")

    monkeypatch.setattr(ingest, "sniff_kind", boom)
    (err,) = _read(GOOD.encode(), kind="text", name="odd.txt")
    assert isinstance(err, InputError)
    assert err.line() == "odd.txt: could not be read (KeyError: 'surprise')"
