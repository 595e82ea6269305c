"""Repairs to decoded text before it becomes an article: what no later stage should trip on.

Two steps, each said in the article's fields (``fields["repaired"]``):

- **mojibake** undone (ftfy): UTF-8 that was read as Windows-1252, Latin-1 or Windows-1251
  somewhere upstream ("cafÃ©", "Hollandeâ€™s", "Ã¢â‚¬â„¢", "РџСЂРёРІРµС‚") and Windows-1252 read
  as Latin-1 (C1 controls where curly quotes were). This may change the text's length, so it
  runs before the text becomes the article's ``raw``, which every offset refers to.
- **unusable characters** replaced one for one, so no offset moves: lone surrogates (which
  cannot be encoded, and crash spaCy and SQLite), noncharacters, NULs and other control
  characters (but tab, line feed and carriage return) become U+FFFD; vertical tab and form
  feed become a line feed.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["MAX_DEPTH", "REPLACEMENT", "TooDeep", "repair_text", "repair_value"]

REPLACEMENT = "\ufffd"
MAX_DEPTH = 16
"""Deepest nesting of lists and objects kept in an article's fields."""

_UNUSABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)
_LINE_BREAKS = {"\x0b": "\n", "\x0c": "\n"}


class TooDeep(ValueError):
    """A field value nested deeper than MAX_DEPTH."""


def repair_text(text: str) -> tuple[str, list[str]]:
    """``(repaired text, what was repaired)``; the list is empty when nothing was."""
    notes: list[str] = []
    if not text.isascii():
        text, steps = _fix_mojibake(text)
        if steps:
            notes.append(f"mojibake undone ({steps})")
    replaced = 0

    def sub(m: re.Match[str]) -> str:
        nonlocal replaced
        replaced += 1
        return _LINE_BREAKS.get(m.group(), REPLACEMENT)

    text = _UNUSABLE.sub(sub, text)
    if replaced:
        what = "character" if replaced == 1 else "characters"
        notes.append(
            f"{replaced} unusable {what} (lone surrogates, noncharacters or control "
            "characters) replaced one for one"
        )
    return text, notes


def _fix_mojibake(text: str) -> tuple[str, str]:
    """Line by line (a page can hold one misread quotation in otherwise sound text)."""
    import ftfy

    config = ftfy.TextFixerConfig(unescape_html=False, explain=True)
    out: list[str] = []
    steps: list[str] = []
    for line in text.splitlines(keepends=True):
        if line.isascii():
            out.append(line)
            continue
        try:
            fixed = ftfy.fix_encoding_and_explain(line, config)
        except Exception:  # a repair that fails leaves the line as it was
            out.append(line)
            continue
        out.append(fixed.text)
        for step in fixed.explanation or ():
            desc = " ".join(str(p) for p in step)
            if desc not in steps:
                steps.append(desc)
    fixed_text = "".join(out)
    if fixed_text == text:
        return text, ""
    return fixed_text, ", ".join(steps) or "fixed"


def repair_value(value: Any, notes: list[str], depth: int = 0) -> Any:
    """``value`` (a field: string, number, list, object) with every string in it repaired;
    what was repaired is added to ``notes``. Raises TooDeep past MAX_DEPTH."""
    if isinstance(value, str):
        fixed, what = repair_text(value)
        for w in what:
            if w not in notes:
                notes.append(w)
        return fixed
    if depth >= MAX_DEPTH and isinstance(value, (list, tuple, dict)):
        raise TooDeep(f"nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, (list, tuple)):
        return [repair_value(v, notes, depth + 1) for v in value]
    if isinstance(value, dict):
        return {
            repair_value(k, notes, depth + 1) if isinstance(k, str) else k: repair_value(
                v, notes, depth + 1
            )
            for k, v in value.items()
        }
    return value
