"""Fatalities as ACLED counts them, from the text of an event's sentence and its paragraph.

Rules, in order:

1. a count a coder already gives ("fatalities coded as 3") stands;
2. a report that nobody died ("no fatalities reported", "no casualties", "neither injuries
   nor fatalities", "no one was killed") is 0;
3. otherwise the deaths stated: "killing 12", "12 people were killed", "1 fatality",
   "3 dead", "the death toll rose to 12", "a man was shot dead" (one); several groups joined
   by "and" ("killed 2 soldiers and 3 civilians") add up; different figures for the same
   deaths keep the lowest (ACLED's conservative rule);
4. a year is never a toll ("in 2020", "May 2020"), nor a number that is part of a date, a
   time, an age or a unit; vague plurals take ACLED's floor ("dozens" 12, "hundreds" 100);
5. nothing stated: None (the merged event then says 0).
"""

from __future__ import annotations

import itertools
import re

__all__ = ["fatalities"]

NUM_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozen": 12,
    "a dozen": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "hundred": 100, "a hundred": 100, "dozens": 12,
    "scores": 20, "hundreds": 100, "several": 3,
}  # fmt: skip
_WORDS = "|".join(sorted((re.escape(w) for w in NUM_WORDS if w not in ("a", "an")), key=len,
                         reverse=True))  # fmt: skip
_N = rf"(\d[\d,]*|{_WORDS})"
_MOD = (
    r"(?:at\s+least\s+|about\s+|some\s+|nearly\s+|around\s+|approximately\s+|over\s+|"
    r"up\s+to\s+|another\s+|a\s+total\s+of\s+)?"
)
_DEATH = (
    r"(?:killed|dead|died|slain|shot\s+dead|murdered|executed|beheaded|lynched|"
    r"lost\s+their\s+lives|perished|succumbed|(?:shot|stabbed|beaten|burned|burnt|hacked)\s+"
    r"to\s+death|fatally\s+(?:shot|stabbed|wounded|injured)|found\s+dead)"
)
# who died, between the figure and the verb: words, not another figure or verb ("5 civilians
# (2 men, 3 women) including a commander were killed")
_WHO = (
    rf"(?:\([^()]{{0,60}}\)\s+|(?!(?:were|was|are|is|have|had|been|and\s+(?:\d|(?:{_WORDS})\b))\b)(?!\d)"
    r"[\w/'’.-]+,?\s+){0,6}?"
)
_CODED = re.compile(rf"\bfatalit(?:y|ies)\s+(?:were\s+)?coded\s+as\s+{_N}", re.I)
_CODED_UNKNOWN = re.compile(r"\bunknown\s+number\s+of\s+fatalities\s+coded\s+as\s+(\d+)", re.I)
_ZERO = re.compile(
    r"\b(?:no\s+(?:\w+\s+){0,2}(?:fatalities|casualties|deaths|one\s+(?:was|were)\s+"
    r"(?:killed|hurt|injured|harmed)|injuries\s+or\s+fatalities|reports?\s+(?:of|on)\s+"
    r"(?:\w+\s+){0,3}(?:fatalities|casualties|deaths))|neither\s+(?:injuries|casualties)\s+"
    r"nor\s+(?:fatalities|deaths)|without\s+(?:any\s+)?(?:casualties|fatalities|deaths)|"
    r"(?:nobody|no-one)\s+was\s+(?:killed|hurt|injured)|no\s+fatalities|0\s+fatalities)",
    re.I,
)
_PATTERNS = [
    # killing 12 / killed 2 soldiers and 3 civilians / shot dead 2
    re.compile(rf"\b(?:kill(?:ing|ed|s)?|shot\s+dead|shooting\s+dead|beheaded|executed|"
               rf"murdered|lynched)\s+{_MOD}{_N}\b(?!\s*(?:%|per\s*cent|years?|km|kilomet|"
               rf"miles|hours?|days?|am|pm|o'clock))", re.I),
    # 12 people were killed / 3 soldiers died / 2 dead
    re.compile(rf"\b{_MOD}{_N}\s+{_WHO}(?:were|was|have\s+been|had\s+been|are|is)?\s*"
               rf"(?:reportedly\s+|later\s+|also\s+)?(?:(?:shot|abducted|kidnapped|captured|"
               rf"tortured|attacked|stabbed|beaten)\s+and\s+)?{_DEATH}\b", re.I),
    # 1 fatality / 3 fatalities / 4 deaths
    re.compile(rf"\b{_MOD}{_N}\s+(?:[a-z][\w-]*\s+)?(?:fatalit(?:y|ies)|deaths|casualties\s+"
               rf"\(dead\))\b", re.I),  # "6 rebel fatalities"
    # death toll rose to 12
    re.compile(rf"\bdeath\s+toll\s+(?:\w+\s+){{0,3}}?(?:to|of|at|reached|is|was)\s+{_MOD}{_N}\b",
               re.I),
]  # fmt: skip
# "a man was shot dead", "killed a soldier", "an IDP civilian died"
_ONE = re.compile(
    rf"\b(?:(?:a|an|one|the)\s+(?:[\w/'’.-]+\s+){{0,5}}?[\w/'’.-]*[^s\s]\s+(?:was\s+|has\s+been\s+|"
    rf"had\s+been\s+)?(?:reportedly\s+|later\s+|subsequently\s+|(?:shot|stabbed|abducted|"
    rf"kidnapped|attacked|beaten|tortured|found)\s+and\s+|found\s+)?{_DEATH}|"
    rf"(?:a|an|the)\s+(?:[\w'’-]+\s+){{0,3}}?[\w'’-]+(?:'s|’s)\s+(?:dead\s+)?body\s+(?:was\s+)?found|"
    rf"\bresult(?:ing|ed)\s+in\s+(?:his|her)\s+death|"
    rf"(?:tortured|beat|beaten|stabbed|hacked)\s+(?:a|an|one)\s+(?:[\w'’-]+\s+){{0,3}}?to\s+death|"
    rf"(?:killed|killing|shot\s+dead|murdered|lynched|beheaded|executed|fatally\s+shot|"
    rf"fatally\s+stabbed)\s+(?:and\s+\w+\s+(?:the\s+body\s+of\s+)?)?(?:a|an|one)\s+"
    rf"(?!number\b|unknown\b|unspecified\b|total\b))",
    re.I,
)
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_DATE_NUM = re.compile(rf"(?:\b{_MONTHS}\.?\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{_MONTHS}\b)", re.I)
_MORE = re.compile(r"\b(?:also|another|other|more|further|additional)\b", re.I)
_YEAR = re.compile(r"(?<![\d,.])(?:19|20)\d\d(?!\d|[,.]\d)")
_AND_MORE = re.compile(
    rf"\s*(?:[\w-]+\s*){{0,3}}?(?:,\s*(?:and\s+)?|\band\s+){_MOD}{_N}\b(?!\s+(?:were|was)?\s*(?:injur|wound|hurt|arrest))",
    re.I,
)
_AND_ONE = re.compile(r"\band\s+(?:a|an|one)\s+(?!other\b|number\b|total\b)", re.I)
_SPLIT = re.compile(r"[;]|\.\s+(?=[A-Z0-9])")


def _value(raw: str) -> int | None:
    raw = raw.lower().replace(",", "").strip()
    if raw.isdigit():
        n = int(raw)
        if 1900 <= n <= 2100 and len(raw) == 4:
            return None  # a year
        return n if n < 100_000 else None
    return NUM_WORDS.get(raw)


# who the dead included, told inside the count ("5 personnel, including one policeman and
# four soldiers, were killed"): the same dead again, never more
_INCLUDING = re.compile(
    r",?\s*\(?\bincluding\b[^.;()]*?\)?,?(?=\s+(?:were|was|have|had|are)\b)", re.IGNORECASE
)


# deaths one of several fates ("were killed, injured or captured", "killed or wounded"):
# how many died is not said
_OR_FATE = re.compile(
    r"\b(?:killed|dead)\s*(?:,\s*(?:injured|wounded|captured)\s*)*,?\s*(?:or|and/or)\s+"
    r"(?:injured|wounded|captured|arrested|abducted)\b",
    re.IGNORECASE,
)


def _masked(text: str) -> str:
    """Dates and years blanked ("3 May", "May 3", "2020"): never a toll; who the dead
    included ("including one policeman and four soldiers"): no more deaths; and deaths told
    as one fate of several ("killed, injured or captured"): no count."""
    text = _OR_FATE.sub(lambda m: " " * len(m.group(0)), text)
    text = _DATE_NUM.sub(lambda m: " " * len(m.group(0)), text)
    text = _INCLUDING.sub(lambda m: " " * len(m.group(0)), text)
    return _YEAR.sub(lambda m: " " * len(m.group(0)), text)


def fatalities(text: str) -> int | None:
    """The deaths ``text`` reports, by ACLED's rules (see the module docstring), or None."""
    m = _CODED_UNKNOWN.search(text) or _CODED.search(text)
    if m:
        return _value(m.group(1))
    unsaid = _ZERO.sub(lambda m: " " * len(m.group(0)), _masked(text))
    if _ZERO.search(text) and not any(p.search(unsaid) for p in (*_PATTERNS[:2], _ONE)):
        # "no further casualties" after "all 3 were killed" is no zero; nor is "the military
        # reported no casualties" after "a militant was killed" (its own side's)
        return 0
    total: int | None = None
    for clause in _SPLIT.split(_masked(text)):
        figures: list[tuple[int, int, int]] = []  # (start, end, value)
        for rx in _PATTERNS:
            for mm in rx.finditer(clause):
                v = _value(mm.group(1))
                if v is not None and not any(s <= mm.start(1) < e for s, e, _ in figures):
                    figures.append((mm.start(1), mm.end(1), v))
                    if rx is _PATTERNS[1]:
                        figures += _figures_before(clause, mm.start(1), figures)
                        # "two women and a man were killed": one more each
                        for one in _AND_ONE.finditer(clause, mm.end(1), mm.end()):
                            figures.append((one.start() + 3, one.end(), 1))
                    end = mm.end(1)
                    while rx is _PATTERNS[0] and (more := _AND_MORE.match(clause, end)):
                        w = _value(more.group(1))  # "killed 2 soldiers and 3 civilians"
                        if w is None:
                            break
                        figures.append((more.start(1), more.end(1), w))
                        end = more.end(1)
        if not figures and _ONE.search(clause):
            figures.append((0, 0, 1))
        if not figures:
            continue
        figures.sort()
        got = _combine(clause, figures)
        if total is None:
            total = got
        elif _MORE.search(clause):
            total += got  # "2 more civilians also died": other deaths
        else:
            total = min(total, got)  # the same deaths told again: the lowest figure
    return total


_BEFORE = re.compile(rf"{_N}(?:\s+(?!(?:were|was|are|is|have|had|been)\b)[\w/'’.-]+){{0,4}}?"
                     rf"(?:\s*,\s*(?:and\s+)?|\s+and\s+)$", re.I)  # fmt: skip


def _figures_before(
    clause: str, start: int, have: list[tuple[int, int, int]]
) -> list[tuple[int, int, int]]:
    """Figures listed before a death count ("12 militants and [3 soldiers were killed]")."""
    out: list[tuple[int, int, int]] = []
    while (m := _BEFORE.search(clause[max(0, start - 80) : start])) is not None:
        off = max(0, start - 80)
        v = _value(m.group(1))
        s = off + m.start(1)
        if v is None or any(a <= s < b for a, b, _ in have + out):
            break
        out.append((s, off + m.end(1), v))
        start = s
    return out


def _combine(clause: str, figures: list[tuple[int, int, int]]) -> int:
    """Figures joined by "and" add up (different victims); other figures are different
    counts of the same deaths: the lowest."""
    groups = [figures[0][2]]
    for (_, e0, _v0), (s1, _e1, v1) in itertools.pairwise(figures):
        between = clause[e0:s1]
        if re.search(r"\band\b|,", between) and not re.search(
            r"\bor\b|according|while|"
            r"other\s+sources",
            between,
        ):
            groups[-1] += v1
        else:
            groups.append(v1)
    return min(groups)
