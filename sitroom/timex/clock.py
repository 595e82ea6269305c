"""Times of day: 9 a.m., 10:30 p.m. ET, 0900 GMT, noon, midnight.

A clock time alone only says "T09:00"; the engine puts it on its day (the day written next to
it, else the nearest day in its sentence, else the reference day).
"""

from __future__ import annotations

import re

from sitroom.timex.grammar import CLOCKS, Doc, Norm, Rule, compile_rule, quant_mod

_ZONES = (
    r"(?-i:ET|EST|EDT|CT|CST|CDT|MT|MST|MDT|PT|PST|PDT|GMT|UTC|BST|CET|CEST|EET|EEST|IST|PKT"
    r"|AFT|AEST|AEDT|JST|MSK|HKT|SGT|WIB|Z)(?![\w])|local%(_)stime|(?-i:[A-Z][a-z]+)%(_)stime"
)
_PARTS = {"morning": "am", "afternoon": "pm", "evening": "pm", "night": "pm"}


def clock_value(m: re.Match[str]) -> str | None:
    """ "T22:30" for the clock time matched, or None if it is no time."""
    word = (m["word"] or "").lower()
    if word in ("noon", "midday"):
        return "T12:00"
    if word == "midnight":
        return "T24:00"
    if m["mil"]:
        hour, minute = int(m["mil"]), int(m["milm"])
    else:
        hour = int(m["h"] or m["h24"])
        minute = int(m["mi"] or m["mi24"] or 0)
    ampm = (m["ap"] or "").lower().replace(".", "").replace(" ", "")
    if not ampm and m["pod"]:
        ampm = _PARTS.get(m["pod"].split()[-1].lower(), "")
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    if ampm and not 1 <= int(m["h"] or m["h24"] or 12) <= 12:
        return None
    if hour > 24 or minute > 59:
        return None
    return f"T{hour:02d}:{minute:02d}"


def _n_clock(m: re.Match[str], doc: Doc) -> Norm | None:
    value = clock_value(m)
    if value is None:
        return None
    return Norm("TIME", value, quant_mod(m["q"]))


RULES: list[Rule] = [
    Rule(
        "clock",
        compile_rule(
            r"(?:(?P<q>around|about|approximately|roughly|nearly|almost)%(_)s)?(?<![\w:.,])(?:"
            r"(?P<h>1[0-2]|0?\d)(?:[:.](?P<mi>[0-5]\d))?%(_)s?(?P<ap>[ap]\.[ ]?m\.?|[ap]m\b"
            r"|o['’]clock)"
            r"|(?P<h24>[01]?\d|2[0-3]):(?P<mi24>[0-5]\d)(?![\d:])(?=%(_)s?(?:" + _ZONES + r"|h\b"
            r"|hrs\b|hours\b))"
            r"|(?P<mil>[01]\d|2[0-3])(?P<milm>[0-5]\d)%(_)s?(?=" + _ZONES + r"|hrs\b|hours\b)"
            r"|(?P<word>noon|midday|midnight))"
            r"(?:%(_)s?(?:\(?(?:" + _ZONES + r")\)?))?"
            r"(?:%(_)s(?P<pod>(?:in%(_)s)?the%(_)s(?:morning|afternoon|evening)|at%(_)snight))?"
        ),
        _n_clock,
        kind="clock",
        triggers=frozenset(CLOCKS | {"noon", "midday", "midnight"}),
        reach=(25, 45),
    ),
]
