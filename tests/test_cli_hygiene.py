"""The command line's hygiene: exports written whole or not at all, bad paths and bad stores
as one line (never a traceback), enumerated options checked by the parser, exit codes that
say what happened, and `sitroom --version`."""

from __future__ import annotations

import importlib
import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

import pytest
from typer.testing import CliRunner

import sitroom
from sitroom import api
from sitroom.cli.main import app
from sitroom.errors import StoreError
from sitroom.site import render
from sitroom.site.serve import SiteServer
from sitroom.store import Store

runner = CliRunner()

EXPORTS = ["articles", "places", "times", "stories", "events", "control", "claims", "quotes"]
READERS: list[list[str]] = [
    ["articles"], ["stories"], ["events"], ["claims"], ["quotes"], ["brief"],
    ["check", "Talks opened"], ["serve", "--port", "0"], ["report"],
    *[["export", what] for what in EXPORTS],
]  # fmt: skip


def cli(*args: str | Path) -> Any:
    return runner.invoke(app, [str(a) for a in args])


def one_error_line(r: Any, *names: str | Path) -> str:
    """The run failed with exit 2 and one line on stderr naming each of ``names``."""
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert r.exit_code == 2, (r.exit_code, r.stdout, r.stderr)
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    for name in names:
        assert str(name) in lines[0], (name, lines[0])
    return str(lines[0])


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("hygiene") / "empty.db"
    Store(db).close()  # a migrated store with nothing in it: every export still runs
    return db


def test_cli_hygiene_version() -> None:
    r = subprocess.run([sys.executable, "-m", "sitroom", "--version"], capture_output=True,
                       text=True, timeout=120)  # fmt: skip
    assert (r.returncode, r.stdout, r.stderr) == (0, f"sitroom {sitroom.__version__}\n", "")


# -- exports: a temporary file renamed into place ---------------------------------------------


def test_cli_hygiene_failed_export_leaves_the_out_file_as_it_was(tmp_path: Path) -> None:
    for what in EXPORTS:
        out = tmp_path / f"{what}.csv"
        out.write_text("the good export\n", encoding="utf-8")
        r = cli("export", what, "--db", tmp_path / "absent.db", "--out", out)
        one_error_line(r, "absent.db")
        assert out.read_text(encoding="utf-8") == "the good export\n", what  # not truncated
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{w}.csv" for w in EXPORTS)


def test_cli_hygiene_export_failing_midway_keeps_the_old_file(
    tmp_path: Path, empty_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "articles.jsonl"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o640)

    def half(db: Any, fh: IO[str], format: str = "jsonl") -> int:
        fh.write('{"id": "a1"}\n')
        raise StoreError(f"{db}: database disk image is malformed")

    monkeypatch.setattr(api, "export_articles", half)
    one_error_line(cli("export", "articles", "--db", empty_db, "--out", out), "malformed")
    assert out.read_text(encoding="utf-8") == "old\n"

    def crash(db: Any, fh: IO[str], format: str = "jsonl") -> int:
        fh.write('{"id": "a1"}\n')
        raise RuntimeError("a bug")

    monkeypatch.setattr(api, "export_articles", crash)
    r = cli("export", "articles", "--db", empty_db, "--out", out)
    assert isinstance(r.exception, RuntimeError)  # a bug stays a bug, but the file is kept
    assert out.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["articles.jsonl"]  # no temporary left

    monkeypatch.undo()
    r = cli("export", "articles", "--db", empty_db, "--out", out)
    assert r.exit_code == 0 and "0 articles written to" in r.stderr
    assert out.read_text(encoding="utf-8") == "" and (out.stat().st_mode & 0o777) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["articles.jsonl"]


def test_cli_hygiene_bad_out_paths_give_one_line(
    tmp_path: Path, empty_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_file = tmp_path / "a.csv"
    a_file.write_text("x", encoding="utf-8")
    cases = {
        tmp_path / "missing" / "x.csv": "does not exist",
        a_file / "x.csv": "is a file, not a folder",
        tmp_path: "is a folder",
    }
    for what in EXPORTS:
        for out, why in cases.items():
            r = cli("export", what, "--db", empty_db, "--out", out)
            assert why in one_error_line(r, out), what
    assert one_error_line(cli("export", "claims", "--db", empty_db, "--out", empty_db))
    assert a_file.read_text(encoding="utf-8") == "x"

    def denied(path: Any, *args: Any, **kw: Any) -> int:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(os, "open", denied)
    r = cli("export", "events", "--db", empty_db, "--out", tmp_path / "e.csv")
    assert "permission denied" in one_error_line(r, tmp_path / "e.csv")


def test_cli_hygiene_report_out_that_is_a_file_or_a_foreign_folder(
    tmp_path: Path, empty_db: Path
) -> None:
    a_file = tmp_path / "site"
    a_file.write_text("mine", encoding="utf-8")
    assert "is a file" in one_error_line(cli("report", "--db", empty_db, "--out", a_file), a_file)
    assert a_file.read_text(encoding="utf-8") == "mine"
    r = cli("report", "--db", empty_db, "--out", a_file / "sub")
    assert "is a file, not a folder" in one_error_line(r, a_file)
    foreign = tmp_path / "home"
    (foreign / "assets").mkdir(parents=True)
    (foreign / "assets" / "logo.png").write_bytes(b"png")
    one_error_line(cli("report", "--db", empty_db, "--out", foreign), foreign)
    assert (foreign / "assets" / "logo.png").read_bytes() == b"png"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_cli_hygiene_failed_report_leaves_the_old_site(
    tmp_path: Path, empty_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    r = cli("report", "--db", empty_db, "--out", site)
    assert r.exit_code == 0, r.stderr
    (site / "stories" / "gone.html").write_text("a story no longer in the store", "utf-8")
    (site / ".git").mkdir()
    (site / "CNAME").write_text("example.org", "utf-8")
    before = snapshot(site)

    monkeypatch.setattr(render, "asset", lambda name: b"/* new */")

    def broken(*args: Any, **kw: Any) -> str:
        raise ValueError("unexpected id 'a/b'")  # what a corrupt store gives, late in the build

    monkeypatch.setattr(render, "render_index", broken)
    r = cli("report", "--db", empty_db, "--out", site)
    assert r.exit_code == 3 and r.stderr.count("\n") == 1 and "left as it was" in r.stderr
    assert snapshot(site) == before  # not one page of the failed build
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".")) == [".git"]

    monkeypatch.undo()
    r = cli("report", "--db", empty_db, "--out", site)
    assert r.exit_code == 0, r.stderr
    after = snapshot(site)
    assert "stories/gone.html" not in after  # the new site replaced the old one whole
    assert after["CNAME"] == b"example.org"  # and nothing of the user's went
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".")) == [".git"]
    assert (site / "index.html").stat().st_mode & 0o777 == 0o666 & ~_umask()
    assert site.stat().st_mode & 0o777 == 0o777 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# -- bad stores: one line each -----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["missing", "zero-byte", "text", "folder"])
def test_cli_hygiene_bad_store_gives_one_line(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(SiteServer, "serve_forever", lambda self, *a: None)  # never hang
    for i, args in enumerate([*READERS, ["run", "x.txt"], ["watch", "x.txt"]]):
        db = tmp_path / f"{i}.db"
        if kind == "zero-byte":
            db.write_bytes(b"")
        elif kind == "text":
            db.write_text("not a database\n" * 100, encoding="utf-8")
        elif kind == "folder":
            db.mkdir()
        extra: list[str | Path] = ["--out", tmp_path / f"site{i}"] if args == ["report"] else []
        if args[0] in ("run", "watch"):
            if kind in ("missing", "zero-byte"):
                continue  # a new store: not an error
            extra = ["--max-polls", "1", "--interval", "0"] if args[0] == "watch" else []
        r = cli(*args, "--db", db, *extra)
        if kind == "zero-byte" and r.exit_code == 0:
            continue  # SQLite reads an empty file as an empty database
        one_error_line(r, db)


# -- exit codes of check ---------------------------------------------------------------------


def test_cli_hygiene_check_exits_1_when_an_input_fails(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "sitroom", "check", "X", tmp_path / "nope.txt"],
                       capture_output=True, text=True, timeout=300)  # fmt: skip
    assert r.returncode == 1, r.stderr
    assert r.stderr.splitlines() == [f"error: {tmp_path / 'nope.txt'}: no such file or folder"]


def test_cli_hygiene_check_pairs_exit_codes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    claims = importlib.import_module("sitroom.claims")  # the package, not sitroom.claims()

    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text('not json\n{"id": 2, "claim": "x"}\n\n', encoding="utf-8")
    r = cli("check", "--pairs", pairs)
    assert r.exit_code == 1
    assert [json.loads(x)["verdict"] for x in r.stdout.splitlines()] == ["error", "error"]
    assert len(r.stderr.splitlines()) == 2

    def fake(rows: Any) -> Any:
        for row in rows:
            if row["id"] == 2:
                raise ZeroDivisionError("1/0 days")
            yield {"id": row["id"], "verdict": "supports", "evidence": [], "score": 0.9}

    monkeypatch.setattr(claims, "check_pairs", fake)
    pairs.write_text("".join(json.dumps({"id": i, "claim": "c", "text": "t"}) + "\n"
                             for i in (1, 2, 3)), encoding="utf-8")  # fmt: skip
    r = cli("check", "--pairs", pairs)
    assert r.exit_code == 3  # a fault inside checking: the other lines answered
    assert [json.loads(x)["verdict"] for x in r.stdout.splitlines()] == [
        "supports", "error", "supports"]  # fmt: skip
    assert "line 2: internal error (ZeroDivisionError" in r.stderr
    pairs.write_bytes(b'\xff\xfe broken\n{"id": 1, "claim": "c", "text": "t"}\n')
    r = cli("check", "--pairs", pairs)
    assert r.exit_code == 1 and "line 1: not UTF-8" in r.stderr  # the next line still answered
    assert [json.loads(x)["verdict"] for x in r.stdout.splitlines()] == ["error", "supports"]
    assert cli("check", "X", "--pairs", pairs).exit_code == 2


def test_cli_hygiene_places_and_times_exit_1_on_a_failed_input(tmp_path: Path) -> None:
    r = cli("times", tmp_path / "nope.txt")
    assert r.exit_code == 1 and r.stderr.startswith("error: ")


# -- enumerated options: checked by the parser -----------------------------------------------

BAD_CHOICES: list[list[str]] = [
    ["articles", "--format", "yaml"], ["stories", "--format", "yaml"],
    ["stories", "--level", "galaxy"], ["events", "--format", "yaml"],
    ["claims", "--format", "yaml"], ["claims", "--status", "true"],
    ["claims", "--kind", "rumour"], ["quotes", "--format", "yaml"],
    ["brief", "--format", "yaml"], ["check", "X", "f.txt", "--format", "yaml"],
    ["places", "f.txt", "--format", "yaml"], ["times", "f.txt", "--format", "yaml"],
    ["export", "stories", "--level", "galaxy"],
    *[["export", what, "--format", "yaml"] for what in EXPORTS],
]  # fmt: skip


@pytest.mark.parametrize("args", BAD_CHOICES, ids=" ".join)
def test_cli_hygiene_enumerated_options_are_choices(args: list[str]) -> None:
    r = cli(*args)
    assert r.exit_code == 2 and r.exception is not None and isinstance(r.exception, SystemExit)
    bad = args[-1]
    assert f"'{bad}' is not one of" in r.stderr, r.stderr
    assert f"--{args[-2].lstrip('-')}" in r.stderr


def test_cli_hygiene_good_choices_pass(empty_db: Path) -> None:
    r = cli("claims", "--db", empty_db, "--status", "single-source", "--kind", "number",
            "--format", "jsonl")  # fmt: skip
    assert (r.exit_code, r.stdout) == (0, ""), r.stderr
    r = cli("stories", "--db", empty_db, "--level", "topic")
    assert r.exit_code == 0 and r.stdout.strip() == "0 topics"


def test_cli_hygiene_serve_on_a_busy_or_bad_address(empty_db: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = cli("serve", "--db", empty_db, "--port", port)
        assert "Address already in use" in one_error_line(r, f"127.0.0.1:{port}")
    r = cli("serve", "--db", empty_db, "--host", "no-such-host.invalid", "--port", "0")
    one_error_line(r, "no-such-host.invalid")
    r = cli("serve", "--db", empty_db, "--port", "70000")
    assert r.exit_code == 2 and "--port" in r.stderr and r.exception is not None
    assert isinstance(r.exception, SystemExit)


@pytest.mark.parametrize(
    "args",
    [
        ["brief", "--sentences", "0"],
        ["watch", "x", "--interval", "-1"],
        ["watch", "x", "--settle", "-1"],
        ["watch", "x", "--max-polls", "0"],
        ["run", "x", "--wait", "-1"],
    ],
    ids=" ".join,
)
def test_cli_hygiene_numbers_out_of_range_are_usage_errors(args: list[str]) -> None:
    r = cli(*args)
    assert r.exit_code == 2 and isinstance(r.exception, SystemExit)
    assert f"Invalid value for '{args[-2]}'" in r.stderr
