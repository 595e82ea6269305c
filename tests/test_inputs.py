"""Bad input gets one clear line naming the file and the reason; the rest of the batch lands."""

from __future__ import annotations

import gzip
import json
import os
import random
from pathlib import Path

import pytest

import sitroom
from sitroom.errors import DecodeError, EmptyInputError, ParseError, TooLargeError

GOOD = (
    "HARARE, May 2 (Zambezi Wire) - Talks on the new dam resumed on Thursday, "
    "officials said, after a week of protests by farmers along the river.\n\n"
    "The farmers say the reservoir would flood 40 villages."
)


def _good(folder: Path, name: str = "good.txt") -> Path:
    p = folder / name
    p.write_text(GOOD, encoding="utf-8")
    return p


def _reasons(rep: sitroom.RunReport) -> dict[str, tuple[str, str]]:
    return {
        Path(e.path).name + (f" {e.locator}" if e.locator else ""): (e.kind, e.line())
        for e in rep.failures
    }


def test_inputs_bad_files_fail_alone(tmp_path: Path, db: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    _good(src)
    (src / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (src / "nul.txt").write_bytes(b"text\x00\x00\x01with nul bytes" * 50)
    (src / "junk.txt").write_bytes(bytes(range(128, 256)) * 40)
    (src / "empty.txt").write_bytes(b"")
    (src / "blank.html").write_text("   \n\n  ", encoding="utf-8")
    (src / "broken.json").write_text('{"title": "x", "text": "unterminated', encoding="utf-8")
    (src / "notext.json").write_text('{"title": "only a title"}', encoding="utf-8")
    (src / "cp1252.txt").write_bytes(
        ("Le café a rouvert à Paris, où la grève a cessé. " * 8).encode("cp1252")
    )
    rep = sitroom.run([str(src)], db=db, quiet=True)
    got = _reasons(rep)
    assert set(got) == {
        "binary.txt",
        "nul.txt",
        "junk.txt",
        "empty.txt",
        "blank.html",
        "broken.json",
        "notext.json",
    }
    assert got["binary.txt"][0] == DecodeError.kind
    assert "PNG" in got["binary.txt"][1]
    assert got["nul.txt"][0] == DecodeError.kind
    assert got["junk.txt"][0] == DecodeError.kind
    assert got["empty.txt"][0] == EmptyInputError.kind
    assert got["blank.html"][0] == EmptyInputError.kind
    assert got["broken.json"][0] == ParseError.kind
    assert "malformed JSON" in got["broken.json"][1]
    assert "no article text" in got["notext.json"][1]
    for _kind, line in got.values():
        assert "\n" not in line and str(src) in line
    assert rep.added == 2  # good.txt and the cp1252 file
    texts = [a["title"] for a in sitroom.articles(db)]
    assert any("café" in (t or "") for t in texts)
    with sitroom.open_store(db) as store:
        assert len(store.errors(rep.run_id)) == 7


def test_inputs_giant_file_is_refused_without_stopping(tmp_path: Path, db: Path) -> None:
    big = tmp_path / "giant.txt"
    with big.open("wb") as fh:
        fh.write(b"The river rose again. " * (50 * 1024 * 1024 // 22))  # ~50 MB
    good = _good(tmp_path)
    rep = sitroom.run([str(big), str(good)], db=db)
    (err,) = rep.failures
    assert err.kind == TooLargeError.kind and "giant.txt" in err.line() and "MB" in err.reason
    assert rep.added == 1


def test_inputs_jsonl_bad_lines_fail_alone(tmp_path: Path, db: Path) -> None:
    lines = [
        json.dumps({"title": "One", "outlet": "Zambezi Wire", "text": GOOD}),
        '{"title": "Two", "text": ',
        "",
        json.dumps(
            {
                "title": "Three",
                "outlet": "Delta Post",
                "published": "2024-05-03",
                "text": GOOD.replace("Thursday", "Friday"),
            }
        ),
        json.dumps(["not", "an", "object"]),
        json.dumps({"title": "Five", "html": "<p>" + GOOD + "</p>", "url": "https://x.example/5"}),
    ]
    p = tmp_path / "batch.jsonl"
    p.write_bytes("\n".join(lines).encode() + b"\n\xff\xfe bad utf8 line\n")
    rep = sitroom.run([str(p)], db=db)
    got = _reasons(rep)
    assert set(got) == {"batch.jsonl line 2", "batch.jsonl line 5", "batch.jsonl line 7"}
    assert rep.added == 3
    rows = {r["title"]: r for r in sitroom.articles(db)}
    assert rows["Three"]["published"] == "2024-05-03"
    assert rows["Three"]["locator"] == "line 4"


def test_inputs_malformed_html_still_lands_or_fails_clearly(tmp_path: Path, db: Path) -> None:
    (tmp_path / "tags.html").write_text(
        "<html><body><div><p>" + GOOD + "<p><b>unclosed <i>tags</div></span>", encoding="utf-8"
    )
    (tmp_path / "noise.html").write_text("<html><body><<<>>>&&&</body></html>", encoding="utf-8")
    rep = sitroom.run([str(tmp_path)], db=db)
    assert rep.added == 1
    (err,) = rep.failures
    assert "noise.html" in err.line()


def test_inputs_globs_gzip_and_unknown_types(tmp_path: Path, db: Path) -> None:
    sub = tmp_path / "deep" / "er"
    sub.mkdir(parents=True)
    _good(sub, "a.txt")
    with gzip.open(sub / "b.html.gz", "wt", encoding="utf-8") as fh:
        fh.write(
            "<html><body><article><p>" + GOOD.replace("dam", "bridge") + "</p></article>"
            "</body></html>"
        )
    (sub / "notes.md").write_text("# not an article", encoding="utf-8")
    (sub / ".hidden.txt").write_text(GOOD + " hidden", encoding="utf-8")
    rep = sitroom.run([str(tmp_path / "**" / "*.txt"), str(tmp_path / "deep")], db=db)
    assert rep.ok
    assert rep.added == 2  # a.txt (found twice, stored once) and b.html.gz
    assert any(f.endswith("notes.md") for f in rep.skipped_files)
    missing = sitroom.run([str(tmp_path / "nope" / "*.txt"), str(tmp_path / "absent.txt")], db=db)
    assert [e.reason for e in missing.failures] == [
        "no file matches this pattern",
        "no such file or folder",
    ]


@pytest.mark.parametrize("fmt", ["json-array", "json-wrapped"])
def test_inputs_json_with_many_articles(tmp_path: Path, db: Path, fmt: str) -> None:
    items = [{"title": f"T{i}", "body": GOOD + f" Item {i}."} for i in range(3)]
    data = items if fmt == "json-array" else {"articles": items}
    p = tmp_path / "many.json"
    p.write_text(json.dumps(data), encoding="utf-8")
    rep = sitroom.run([str(p)], db=db)
    assert rep.added == 3  # stored in the run's order (published, then id), not the file's
    assert sorted(r["locator"] for r in sitroom.articles(db)) == ["item 1", "item 2", "item 3"]


def _gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def test_inputs_corrupt_gzip_of_every_kind_fails_alone(tmp_path: Path, db: Path) -> None:
    good_gz = _gz(GOOD.encode())
    garbage = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + bytes(range(256)) * 4
    (tmp_path / "truncated.txt.gz").write_bytes(good_gz[: len(good_gz) // 2])
    (tmp_path / "garbage.html.gz").write_bytes(garbage)  # zlib.error, not an OSError
    (tmp_path / "plain.json.gz").write_bytes(b'{"text": "not gzip at all"}')
    (tmp_path / "garbage.xml.gz").write_bytes(garbage)
    lines = b"".join(
        json.dumps({"title": f"L{i}", "text": GOOD + f" Line {i}."}).encode() + b"\n"
        for i in range(3)
    )
    rng = random.Random(1)
    lost = bytes(rng.choice(b"abcdefghij klmnopqrstuvwxyz") for _ in range(40_000))
    whole = _gz(lines + b'{"title": "cut", "text": "' + lost + b'"}\n')
    (tmp_path / "cut.jsonl.gz").write_bytes(whole[: len(whole) - 5000])
    (tmp_path / "garbage.jsonl.gz").write_bytes(garbage)
    _good(tmp_path)
    rep = sitroom.run([str(tmp_path)], db=db, stages=["ingest"], quiet=True)
    got = {Path(e.path).name: e for e in rep.failures}
    assert set(got) == {
        "truncated.txt.gz",
        "garbage.html.gz",
        "plain.json.gz",
        "garbage.xml.gz",
        "cut.jsonl.gz",
        "garbage.jsonl.gz",
    }
    for name, err in got.items():
        assert err.kind == DecodeError.kind, name
        assert "bad gzip data" in err.reason and str(tmp_path / name) in err.line()
        assert "\n" not in err.line()
    assert got["cut.jsonl.gz"].locator == "line 4"
    assert rep.added == 1 + 3  # good.txt and the three lines before the cut


def test_inputs_gzip_bombs_are_refused(tmp_path: Path, db: Path) -> None:
    (tmp_path / "bomb.txt.gz").write_bytes(_gz(b" " * 30_000_000))
    (tmp_path / "bomb.jsonl.gz").write_bytes(_gz(b"a" * 30_000_000))
    (tmp_path / "blank.jsonl.gz").write_bytes(_gz(b"\n" * 20_000_000))
    _good(tmp_path)
    rep = sitroom.run([str(tmp_path)], db=db, stages=["ingest"], max_bytes=1_000_000, quiet=True)
    got = {Path(e.path).name: e for e in rep.failures}
    assert set(got) == {"bomb.txt.gz", "bomb.jsonl.gz", "blank.jsonl.gz"}
    assert all(e.kind == TooLargeError.kind for e in got.values())
    assert "unpacks to more than 1,000,000 bytes" in got["bomb.txt.gz"].reason
    assert got["bomb.jsonl.gz"].locator == "line 1"
    assert "times its size" in got["blank.jsonl.gz"].reason
    assert rep.added == 1


def test_inputs_file_names_that_are_not_utf8(tmp_path: Path, db: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    folder = os.fsencode(src)
    with open(folder + b"/caf\xe9.txt", "wb") as fh:  # a Latin-1 file name
        fh.write(GOOD.encode())
    with open(folder + b"/bad\xff.json", "wb") as fh:
        fh.write(b'{"title": "no text"}')
    with open(folder + b"/notes\xe9.md", "wb") as fh:
        fh.write(b"# skipped")
    rep = sitroom.run([str(src)], db=db, stages=["ingest"], quiet=True)
    assert rep.added == 1
    (err,) = rep.failures
    assert err.path == f"{src}/bad\\xff.json"
    assert rep.skipped_files == [f"{src}/notes\\xe9.md"]
    assert [a["path"] for a in sitroom.articles(db)] == [f"{src}/caf\\xe9.txt"]


def test_inputs_parquet_rows_are_articles_and_a_bad_row_fails_alone(
    tmp_path: Path, db: Path
) -> None:
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({
        "body": [GOOD, None, GOOD.replace("dam", "bridge"), "x" * 3000],
        "headline": ["Dam talks", "No text", "Bridge talks", "Too long"],
        "source": ["Zambezi Wire", None, "Lusaka Post", "Somebody"],
        "published": [dt.datetime(2024, 5, 2, 9, 30), None, dt.datetime(2024, 5, 3), None],
        "link": ["https://example.org/a", None, None, None],
    })  # fmt: skip
    pq.write_table(table, tmp_path / "news.parquet", row_group_size=2)
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 not really parquet")
    rep = sitroom.run([str(tmp_path)], db=db, stages=["ingest", "clean", "metadata"],
                      max_bytes=2000, quiet=True)  # fmt: skip
    got = _reasons(rep)
    assert set(got) == {"news.parquet row 2", "news.parquet row 4", "broken.parquet"}
    assert got["news.parquet row 2"][0] == ParseError.kind  # no text in that row
    assert got["news.parquet row 4"][0] == TooLargeError.kind
    assert "not a readable Parquet file" in got["broken.parquet"][1]
    rows = {a["locator"]: a for a in sitroom.articles(db)}
    assert set(rows) == {"row 1", "row 3"}
    assert (rows["row 1"]["title"], rows["row 1"]["outlet"], rows["row 1"]["published"]) == (
        "Dam talks", "Zambezi Wire", "2024-05-02")  # fmt: skip
    assert rows["row 3"]["outlet"] == "Lusaka Post"
    again = sitroom.run([str(tmp_path / "news.parquet")], db=db, quiet=True, max_bytes=2000,
                        stages=["ingest", "clean", "metadata"])  # fmt: skip
    assert (again.added, again.skipped) == (0, 2)
