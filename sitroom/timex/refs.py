"""Times said without a calendar: now, currently, recently, soon, the past, the future."""

from __future__ import annotations

import re

from sitroom.timex.grammar import (
    Doc,
    Norm,
    Rule,
    compile_rule,
)

_REFS = {
    "now": "PRESENT_REF", "right now": "PRESENT_REF", "just now": "PRESENT_REF",
    "currently": "PRESENT_REF", "current": "PRESENT_REF", "nowadays": "PRESENT_REF",
    "these days": "PRESENT_REF", "present": "PRESENT_REF", "presently": "PRESENT_REF",
    "the moment": "PRESENT_REF", "to date": "PRESENT_REF",
    "recently": "PAST_REF", "recent": "PAST_REF", "lately": "PAST_REF", "the past": "PAST_REF",
    "more recently": "PAST_REF", "most recently": "PAST_REF", "formerly": "PAST_REF",
    "the distant past": "PAST_REF", "the recent past": "PAST_REF",
    "the future": "FUTURE_REF", "soon": "FUTURE_REF", "the near future": "FUTURE_REF",
    "the foreseeable future": "FUTURE_REF", "the distant future": "FUTURE_REF",
    "the near term": "FUTURE_REF", "the short term": "FUTURE_REF",
    "the long term": "FUTURE_REF", "the medium term": "FUTURE_REF",
    "as soon as possible": "FUTURE_REF", "one day": "FUTURE_REF",
}  # fmt: skip


def _n_ref(m: re.Match[str], doc: Doc) -> Norm | None:
    words = " ".join(m["w"].lower().split())
    value = _REFS.get(words)
    if value is None:
        if words.startswith(("recent", "past", "the past")):
            value = "PAST_REF"
        elif words.startswith(("coming", "future", "the coming", "upcoming")):
            value = "FUTURE_REF"
        else:
            return None
    return Norm("DATE", value, anchor=doc.ref_value)


_COUNTS_AFTER = re.compile(
    r"\s+(?:\d|few|several|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|decade"
    r"|century|year|month|week)"
)
_NOT_CURRENT = re.compile(
    r"[^\S\n]+(?:account|affairs|events|carrying|flows?|sea|speed|strength|density|source"
    r"|draw|limit|meter|transformer)\b",
    re.IGNORECASE,
)


def _accept_ref(m: re.Match[str], text: str) -> bool:
    word = " ".join(m["w"].lower().split())
    after = text[m.end() : m.end() + 24].lower()
    before = text[max(0, m.start() - 12) : m.start()].lower()
    if word == "current":
        return not _NOT_CURRENT.match(text, m.end())
    if word == "soon":
        # "as soon as", "soon after": part of a conjunction, not a time
        return not re.match(r"\s+(?:as|after|before|afterwards|enough)\b", after)
    if word == "one day":
        return bool(re.search(r"\b(?:will|would|could|might|may|hope|hopes)\W+(?:\w+\W+)?$",
                              text[max(0, m.start() - 30) : m.start()]))  # fmt: skip
    if word == "the past":
        # "the past three summers" is someone else's expression
        return not _COUNTS_AFTER.match(after)
    if word in ("the future", "the moment"):
        return not re.match(r"\s+of\b", after) or (word == "the moment" and "at" in before)
    if word == "present":
        return before.endswith("at ")
    return True


_REF_TRIGGERS = frozenset({
    "now", "currently", "nowadays", "days", "present", "presently", "recently", "lately",
    "recent", "past", "future", "term", "soon", "moment", "date", "current", "day",
    "weeks", "months", "years", "decades", "quarters", "possible",
})  # fmt: skip


RULES: list[Rule] = [
    Rule(
        "ref",
        compile_rule(
            r"(?<![\w-])(?P<w>right%(_)snow|just%(_)snow|now|currently|nowadays|these%(_)sdays"
            r"|(?<=at )present|presently|(?:more|most)%(_)srecently|recently|lately"
            r"|(?:(?:recent|past|coming|future|upcoming)%(_)s(?:days|weeks|months|years|decades"
            r"|quarters))|recent|the%(_)s(?:near|distant|foreseeable|recent)%(_)s(?:past|future)"
            r"|the%(_)s(?:past|future)|as%(_)ssoon%(_)sas%(_)spossible"
            r"|the%(_)s(?:near|short|long|medium)%(_)sterm|soon|(?<=at )the%(_)smoment"
            r"|to%(_)sdate|current|one%(_)sday)(?![\w-])"
        ),
        _n_ref,
        _accept_ref,
        triggers=_REF_TRIGGERS,
        reach=(25, 20),
    ),
]
