"""Finding candidate matches fast: each rule runs only around the words it needs.

A text is read once for trigger words (a set intersection over its words, then the few words
present located) and numbers (classified as years, decades, clock times, numeric dates); each
rule's pattern then runs only in the merged stretches around its own triggers. Of all the
matches, the longest win and the rest fill the gaps.
"""

from __future__ import annotations

import bisect
import re
import string
from collections.abc import Sequence
from dataclasses import dataclass

from sitroom.timex.grammar import Rule


@dataclass
class Found:
    """One chosen match, with the clock time joined to it if any ("10 p.m. Wednesday")."""

    start: int
    end: int
    rule: Rule
    match: re.Match[str]
    clock: re.Match[str] | None = None


_WORD = re.compile(r"[a-z]+")
_NUMBER = re.compile(r"\d+[A-Za-z]*")
_YEAR_TOKEN = re.compile(r"(?:1\d|20)\d\d$")
_DECADE_TOKEN = re.compile(r"(?:1\d|20)?\d0s$")
_CLOCK_AFTER = re.compile(
    r"[:.]\d\d|[^\S\n]?(?:[ap]\.?m\b|o['’]clock|GMT|UTC|[ECMP][SD]?T\b|hrs\b|h\b|local)",
    re.IGNORECASE,
)
_DATE_AFTER = re.compile(r"[-/.]\d")
# str.lower() may change a text's length ("İ"); offsets must stay those of the text
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


class Scanner:
    """The rules, indexed by trigger."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = list(rules)
        self._by_trigger: dict[str, list[int]] = {}
        for i, rule in enumerate(self.rules):
            for word in rule.triggers:
                self._by_trigger.setdefault(word, []).append(i)
        self._words = frozenset(w for w in self._by_trigger if not w.startswith("#"))
        # a literal first lets the regex engine jump from one occurrence to the next
        self._finders = {w: re.compile(rf"{w}(?![a-z])") for w in self._words}

    def candidates(self, text: str) -> list[Found]:
        """Every accepted match of every rule."""
        found: list[Found] = []
        for rule, stretches in zip(self.rules, self._windows(text), strict=True):
            accept = rule.accept
            for lo, hi in stretches:
                for m in rule.pattern.finditer(text, lo, hi):
                    if m.end() > m.start() and (accept is None or accept(m, text)):
                        found.append(Found(m.start(), m.end(), rule, m))
        return found

    def _hits(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, trigger key) of every trigger word and number, in order."""
        lower = text.translate(_ASCII_LOWER)
        hits: list[tuple[int, int, str]] = []
        for word in self._words.intersection(_WORD.findall(lower)):
            for m in self._finders[word].finditer(lower):
                if not m.start() or not lower[m.start() - 1].isalpha():
                    hits.append((m.start(), m.end(), word))
        for m in _NUMBER.finditer(text):
            hits.extend((m.start(), m.end(), key) for key in _number_keys(text, m))
        hits.sort()
        return hits

    def _windows(self, text: str) -> list[list[tuple[int, int]]]:
        """Per rule, the merged stretches of text around its triggers."""
        windows: list[list[tuple[int, int]]] = [
            [(0, len(text))] if not rule.triggers else [] for rule in self.rules
        ]
        for start, end, key in self._hits(text):
            for i in self._by_trigger.get(key, ()):
                before, after = self.rules[i].reach
                lo, hi = max(0, start - before), min(len(text), end + after)
                stretches = windows[i]
                if stretches and lo <= stretches[-1][1]:
                    stretches[-1] = (stretches[-1][0], hi)
                else:
                    stretches.append((lo, hi))
        return windows


def _number_keys(text: str, m: re.Match[str]) -> list[str]:
    """Trigger keys of a number: "#", and "#y" year, "#s" decade, "#t" clock, "#/" date."""
    word, keys = m.group(), ["#"]
    if _YEAR_TOKEN.match(word):
        keys.append("#y")
    elif _DECADE_TOKEN.match(word):
        keys.append("#s")
    if _CLOCK_AFTER.match(text, m.end()) or word[-2:].lower() in ("am", "pm"):
        keys.append("#t")
    if _DATE_AFTER.match(text, m.end()):
        keys.append("#/")
    return keys


def select(found: list[Found]) -> list[Found]:
    """The longest matches first (then the higher priority), the rest where they fit; in
    reading order."""
    found.sort(key=lambda f: (f.start - f.end, -f.rule.priority, f.start))
    starts: list[int] = []  # the chosen spans by start; they never overlap
    ends: list[int] = []
    chosen: list[Found] = []
    for f in found:
        i = bisect.bisect_left(starts, f.start)
        if (i < len(starts) and starts[i] < f.end) or (i > 0 and ends[i - 1] > f.start):
            continue
        starts.insert(i, f.start)
        ends.insert(i, f.end)
        chosen.append(f)
    chosen.sort(key=lambda f: f.start)
    return chosen
