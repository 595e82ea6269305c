"""Years and longer: 2001, fiscal 1989, nineteen ninety-six, the 1990s, the 20th century."""

from __future__ import annotations

import re

from sitroom.timex import lexicon
from sitroom.timex.grammar import (
    DECADES,
    YEARS,
    Doc,
    Norm,
    Rule,
    compile_rule,
    point_mod,
)

# nouns a number counts, so "1500 troops" is not a year
_COUNTED = re.compile(
    r"[ ]*(?:%|percent|per[ ]cent|troops|people|soldiers|men|women|children|residents|civilians"
    r"|fighters|police|officers|workers|jobs|employees|members|votes|voters|seats|pounds"
    r"|kilograms|kg|km|kilometers|kilometres|miles|feet|foot|meters|metres|tons|tonnes|acres"
    r"|barrels|shares|points|units|cars|vehicles|homes|houses|families|students|patients"
    r"|cases|deaths|dead|killed|wounded|injured|refugees|rounds|rockets|missiles|flights"
    r"|passengers|pages|words|calories|mg|ml|cc|hp|yards|dollars|euros|yen|rupees|times"
    r"|others|more|of[ ]the|of[ ]them|degrees|rpm|mph|kph|mw|gw|kw|sq|square|cubic)\b",
    re.IGNORECASE,
)


_MONEY_BEFORE = re.compile(r"(?:[$€£¥#]|\b(?:No|no|Nos|nos|number|No\.|flight|Flight|route|Route|"
                           r"room|Room|page|Page|Highway|highway|model|Model|vol|Vol|pp|p)"
                           r"\.?)[ ]*$")  # fmt: skip


def _n_year(m: re.Match[str], doc: Doc) -> Norm | None:
    if m["sy"]:
        year = lexicon.spoken_year(m["sy"])
        if year is None:
            return None
    else:
        year = int(m["y"])
    mod = point_mod(m["pre"])
    if m["open"]:
        mod = "ON_OR_BEFORE" if re.search(r"earlier|before", m["open"], re.I) else "ON_OR_AFTER"
    half = (m["half"] or "").lower()
    if half:
        return Norm("DATE", f"{year:04d}-H{1 if half.startswith('first') else 2}")
    return Norm("DATE", f"{year:04d}", mod)


def _n_fiscal(m: re.Match[str], doc: Doc) -> Norm | None:
    y = m["y"]
    year = int(y) if len(y) == 4 else 2000 + int(y) if int(y) < 50 else 1900 + int(y)
    return Norm("DATE", f"{year:04d}", point_mod(m["pre"]))


_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
                 "seventies": 7, "eighties": 8, "nineties": 9}  # fmt: skip


def _n_decade(m: re.Match[str], doc: Doc) -> Norm | None:
    mod = point_mod(m["pre"] or m["pre2"])
    if m["dw"]:
        # "the nineties" in a 20th- or 21st-century text is the 1990s
        century = 19 if doc.ref is None or doc.ref.year < 2030 else 20
        return Norm("DATE", f"{century}{_DECADE_WORDS[m['dw'].lower()]}X", mod)
    digits = m["dec"].lstrip("'’")
    if len(digits) == 2:
        ref_year = doc.ref.year if doc.ref else 2000
        full = 1900 + int(digits)
        if full + 100 <= ref_year:
            full += 100
        digits = str(full)
    return Norm("DATE", f"{digits[:3]}X", mod)


def _n_century(m: re.Match[str], doc: Doc) -> Norm | None:
    text = m["c"].lower()
    n = int(re.sub(r"\D", "", text)) if text[0].isdigit() else lexicon.ORDINALS.get(text)
    if not n or n < 1:
        return None
    return Norm("DATE", f"{n - 1:02d}XX", point_mod(m["pre"]))


def _accept_year(m: re.Match[str], text: str) -> bool:
    """A lone four-digit number is a year unless it counts something or follows money."""
    if m["sy"]:
        return True
    if m["pre"] or m["half"]:
        return not _COUNTED.match(text, m.end())
    start, end = m.start("y"), m.end()
    if _MONEY_BEFORE.search(text[max(0, start - 12) : start]):
        return False
    if _COUNTED.match(text, end):
        return False
    # "Boeing 1900", "Windows 2000": a capitalised word straight before makes it a name
    prev = re.search(r"([A-Za-z]+)[^\S\n]*$", text[max(0, start - 24) : start])
    if prev and prev.group(1)[0].isupper():
        word = prev.group(1).lower()
        if word not in lexicon.LEAD_IN and word not in lexicon.DETERMINERS:
            return False
    # a range of counts ("2000-3000 people") is no year; a range of years is
    after = text[end : end + 8]
    return not re.match(r"[-–][^\S\n]*\d{3,}", after) or bool(
        re.match(r"[-–](?:19|20)\d\d\b", after)
    )


RULES: list[Rule] = [
    Rule(
        "year",
        compile_rule(
            r"(?:(?P<half>(?:the%(_)s)?(?:first|second|latter|last)%(_)shalf%(_)sof)%(_)s)?"
            r"%(PRE)s(?:the%(_)syear%(_)s)?(?:(?P<y>%(YEAR)s)(?!['’]?s\b|-\d)"
            r"|(?P<sy>(?:nineteen|eighteen)[ -](?:(?:twenty|thirty|forty|fifty|sixty|seventy"
            r"|eighty|ninety)(?:[ -](?:one|two|three|four|five|six|seven|eight|nine))?|ten"
            r"|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
            r"|hundred)|(?<=year )two%(_)sthousand(?:%(_)s(?:and%(_)s)?(?:one|two|three|four"
            r"|five|six|seven|eight|nine|ten))?))"
            r"(?P<open>%(_)s(?:or%(_)s(?:later|after|earlier|before)|and%(_)s(?:beyond|later"
            r"|after)|onwards?)(?!\w))?"
        ),
        _n_year,
        _accept_year,
        triggers=frozenset(YEARS | {"nineteen", "eighteen", "thousand"}),
        reach=(60, 30),
    ),
    Rule(
        "fiscal",
        compile_rule(r"%(PRE)s(?:fiscal(?:%(_)syear)?%(_)s|FY%(_)s?)(?P<y>%(YEAR)s|\d\d(?!\d))"),
        _n_fiscal,
        priority=1,
        triggers=frozenset({"fiscal", "fy"}),
        reach=(40, 10),
    ),
    Rule(
        "decade",
        compile_rule(
            r"%(PRE)s(?:the%(_)s)?(?:(?P<pre2>early|mid|late)(?:-|%(_)s))?(?:(?P<dec>(?:1[0-9]"
            r"|20)\d0|['’]\d0)['’]?s(?!\w)|(?<=the )(?P<dw>twenties|thirties|forties|fifties"
            r"|sixties|seventies|eighties|nineties)\b)"
        ),
        _n_decade,
        priority=1,
        triggers=frozenset(DECADES | set(_DECADE_WORDS)),
        reach=(40, 8),
    ),
    Rule(
        "century",
        compile_rule(
            r"%(PRE)s(?:the%(_)s)?(?P<c>\d{1,2}(?:st|nd|rd|th)|%(ORD)s)[-\s]century(?!\w)"
        ),
        _n_century,
        priority=1,
        triggers=frozenset({"century"}),
        reach=(40, 5),
    ),
]
