"""Docs that cannot drift: the README's two commands, and every CLI command documented."""

from __future__ import annotations

import re
import subprocess
import sys

from .conftest import ROOT


def _commands() -> list[str]:
    out = subprocess.run(
        [sys.executable, "-m", "sitroom", "--help"], capture_output=True, text=True, check=True
    ).stdout
    names = re.findall(r"^\s{2}(\w[\w-]*)\s", out.split("Commands")[1], flags=re.M)
    exp = subprocess.run(
        [sys.executable, "-m", "sitroom", "export", "--help"], capture_output=True, text=True
    ).stdout
    subs = re.findall(r"^\s{2}(\w[\w-]*)\s", exp.split("Commands")[1], flags=re.M)
    return [n for n in names if n != "export"] + [f"export {s}" for s in subs]


def test_docs_readme_opens_with_the_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", readme, flags=re.S)
    assert blocks[0].strip().startswith("pip install")
    assert "sitroom run examples/kabul-aug-2021" in blocks[0]
    assert blocks[1].strip().startswith("pip install") and "pytest" in blocks[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1].strip() in ci


def test_docs_every_command_in_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for cmd in _commands():
        assert f"sitroom {cmd}" in readme, f"`sitroom {cmd}` is not documented in README.md"


def test_docs_changelog_has_unreleased() -> None:
    assert "## Unreleased" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
