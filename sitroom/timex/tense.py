"""Which way a bare "Friday" or "in April" points: simple tense cues from the words around it.

The nearest cue to the left wins (a date usually follows its verb), else the nearest to the
right, within the clause: "will", "is to", "next", "scheduled to" point forward; "said", a
"-ed" form, "fell" point back; a plan seen from the past ("had been due to expire Friday")
points back; a present-tense auxiliary ("is payable Jan. 2") ends the search undecided; a
participle after "be" defers to the auxiliary ("will be paid Dec. 14").
"""

from __future__ import annotations

import re

_FUTURE = frozenset({"will", "ll", "shall", "wo", "would", "next", "upcoming", "tomorrow",
                     "coming", "effective"})  # fmt: skip
# future only as "set to", "due to", "expected to", "scheduled for": a plan, not a report
_PLAN = frozenset({"going", "set", "due", "expected", "expects", "plans", "plan", "planning",
                   "intends", "intend", "aims", "hopes", "scheduled", "slated",
                   "supposed"})  # fmt: skip
_PLAN_AFTER = frozenset({"to", "for", "on"})
# a plan under these is one seen from the past: "had been due to", "was expected to"
_PERFECT = frozenset({"had", "was", "were", "been"})
_PRESENT = frozenset({"is", "are", "am", "has", "have", "does", "do", "says", "say"})
# past forms that do not end in -ed, and words that place a clause in the past
_PAST = frozenset({
    "said", "told", "was", "were", "had", "did", "ago", "last", "yesterday", "earlier",
    "since", "became", "began", "came", "went", "met", "left", "held", "took", "gave", "made",
    "saw", "fell", "rose", "won", "lost", "struck", "hit", "sent", "spoke", "wrote", "bought",
    "sold", "paid", "built", "brought", "caught", "fought", "thought", "sought", "found",
    "kept", "meant", "ran", "shot", "spent", "stood", "stole", "swore", "threw", "tore",
    "understood", "woke", "wore", "broke", "chose", "drew", "drove", "flew", "forgot", "froze",
    "got", "grew", "hid", "knew", "laid", "rang", "shook", "sank", "sat", "slept", "fled",
    "led", "overthrew", "withdrew", "according",
})  # fmt: skip
_NOT_PAST = frozenset({"need", "speed", "feed", "seed", "bed", "red", "hundred", "proceed",
                       "succeed", "exceed", "indeed", "bleed", "breed", "greed", "shed",
                       "wed", "led", "fled", "ed", "ted", "fred", "ned", "united"})  # fmt: skip
# words that end a clause: cues beyond them belong to another verb
_STOP = frozenset({".", "!", "?", ";", ":", "\n", '"', "“", "”", "(", ")"})
_TOKEN = re.compile(r"[A-Za-z]+|[.!?;:\n\"“”()]")


def _cue(words: list[str], i: int) -> int | None:
    """+1 future, -1 past, 0 undecided (stop looking), None no cue, for ``words[i]``."""
    word = words[i]
    after = words[i + 1] if i + 1 < len(words) else ""
    if word in ("is", "are") and after == "to":
        return 1  # "is to meet"
    if word in ("was", "were") and after == "to":
        return -1  # "was to resume": a plan seen from the past
    if word in _PRESENT:
        return 0
    if word in _PLAN:
        if after not in _PLAN_AFTER and word not in ("scheduled", "slated"):
            return None
        return -1 if _PERFECT.intersection(words[max(0, i - 2) : i]) else 1
    if word in _FUTURE:
        return 1
    if word in _PAST or (len(word) > 4 and word.endswith("ed") and word not in _NOT_PAST):
        # a participle after "be" ("would be paid", "had been held") leaves the tense to the
        # auxiliary before it
        before = words[i - 1] if i > 0 else ""
        return None if before in ("be", "been", "being") else -1
    return None


def direction(text: str, start: int, end: int, window: int = 60) -> int:
    """+1 if the clause around text[start:end] speaks of the future, -1 of the past, 0 unknown."""
    left = _TOKEN.findall(text[max(0, start - window) : start])
    lowered = [w.lower() for w in left]
    for i in range(len(left) - 1, -1, -1):
        if left[i] in _STOP:
            # the period of an abbreviation ("Aug.", "Gen.") does not end the clause
            if left[i] == "." and i > 0 and len(left[i - 1]) <= 4 and left[i - 1][:1].isupper():
                continue
            break
        cue = _cue(lowered, i)
        if cue is not None:
            return cue
    right = [w.lower() for w in _TOKEN.findall(text[end : end + window // 2])][:8]
    for i, word in enumerate(right):
        if word in _STOP:
            break
        cue = _cue(right, i)
        if cue is not None:
            return cue
    return 0
