"""Lengths of time and repetitions: two decades, 48 hours, a week, weeklong, the past three
months, several days; daily, every week, each Thursday, twice a year."""

from __future__ import annotations

import re

from sitroom.timex import calendar, lexicon
from sitroom.timex.grammar import (
    MONTH_WORDS,
    UNIT_PLURALS,
    UNIT_WORDS,
    WEEKDAY_WORDS,
    Doc,
    Norm,
    Rule,
    compile_rule,
    quant_mod,
)

_ADVERBS = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "biweekly": "P2W",
            "fortnightly": "P2W", "monthly": "P1M", "quarterly": "P1Q", "yearly": "P1Y",
            "annually": "P1Y", "hourly": "PT1H", "biannually": "P6M", "semiannually": "P6M",
            "semi-annually": "P6M", "every day": "P1D", "everyday": "P1D"}  # fmt: skip
_ADJ_UNITS = {"week": "week", "year": "year", "month": "month", "day": "day", "hour": "hour",
              "decade": "decade", "night": "night", "season": "season"}  # fmt: skip
# "for years", "within weeks", "after months of talks": bare plurals that are durations
_PLURAL_LEAD = frozenset({"for", "within", "after", "over", "lasted", "last", "lasting", "take",
                          "takes", "took", "taken", "in", "spent", "spend", "waited", "wait",
                          "during", "throughout", "through"})  # fmt: skip


def _word_before(text: str, start: int) -> str:
    found = re.search(r"([A-Za-z]+)[^\S\n]*$", text[max(0, start - 16) : start])
    return found.group(1).lower() if found else ""


def _begin(doc: Doc, rel: str, n: float | None, unit: str) -> str | None:
    """Where "the past three months" begins, when the reference says."""
    if doc.ref is None or n is None or n != int(n) or unit in ("hour", "minute", "second"):
        return None
    if rel in ("past", "last", "previous", "preceding"):
        gran = "day" if unit == "night" else unit
        start = calendar.shift(doc.ref, -int(n), unit)
        return calendar.fmt(start, gran) if start else None
    if rel in ("next", "coming", "following") and rel != "following":
        return doc.ref.isoformat()
    return None


def _in_future(m: re.Match[str], doc: Doc) -> bool:
    """ "in five years" in a clause about the future (not "within", not "in the past")."""
    groups = m.groupdict()
    if any(groups.get(g) for g in ("rel", "q", "adj", "noun")):
        return False
    if m["u"].lower().rstrip("s") in ("hour", "minute", "second"):
        return False
    if not re.search(r"(?<![\w-])in[^\S\n]+$", doc.text[max(0, m.start() - 4) : m.start()]):
        return False
    # "in five years." and "in five years' time", not "in a quarter that produced a loss"
    if not re.match(
        r"['’]?(?:[^\S\n]+time)?(?:\s*[.,;:!?)\"”]|\s*$)", doc.text[m.end() : m.end() + 8]
    ):
        return False
    return doc.direction(m.start(), m.end()) > 0


def _n_duration(m: re.Match[str], doc: Doc) -> Norm | None:
    unit = lexicon.unit_of(m["u"])
    if unit is None:
        return None
    n = lexicon.parse_number(m["n"]) if m["n"] else None
    if m["n"] is None and not m["u"].lower().endswith("s"):
        n = 1.0
    if n is not None and m["half"]:
        n += 0.5
    if n is not None and n <= 0:
        return None
    mod = quant_mod(m["q"]) or ("APPROX" if m["approx"] or "couple" in (m["n"] or "") else None)
    rel = (m["rel"] or "").lower()
    if _in_future(m, doc) and n is not None and n == int(n) and doc.ref is not None:
        # "will be repaid in five years": TimeML reads a point in time, not a length
        moved = calendar.shift(doc.ref, int(n), unit)
        if moved is None:
            return None  # off the calendar
        return Norm("DATE", calendar.fmt(moved, "day" if unit == "night" else unit), mod,
                    doc.ref_value)  # fmt: skip
    begin = _begin(doc, rel, n, unit)
    return Norm("DURATION", calendar.duration(n, unit), mod, doc.ref_value if begin else None,
                begin)  # fmt: skip


def _accept_duration(m: re.Match[str], text: str) -> bool:
    n = (m["n"] or "").lower()
    unit = m["u"].lower()
    before = text[max(0, m.start() - 16) : m.start()].lower()
    after = text[m.end() : m.end() + 16].lower()
    if n in ("a", "an", "one") and re.search(
        r"(?:\b(?:per|each|every|times|twice|once|thrice)|\d|\bdollars?|\bcents?|%)\s+$", before
    ):
        return False  # "twice a week", "$5 a day" are rates
    if unit.startswith("quarter") and after.startswith(" of"):
        return False  # "three-quarters of its food" is a fraction
    if unit.startswith("year") and (m["adj"] == "old" or re.match(r"\s+old\b", after)):
        return False  # "52 years old", "a 23-year-old": ages, not times
    if (
        unit == "second"
        and n in ("a", "one")
        and not re.match(
            r"\s*(?:[,.;:)]|later|earlier|ago|or|and|of|longer|more|before|after|$)", after
        )
    ):
        return False  # "a second group"
    if n[:1].isdigit() and len(n) == 4 and not unit.endswith("s"):
        return False  # "the 1988 quarter" is a year
    if n in ("some", "many") and not m["q"]:
        return bool(re.match(r"\s+(?:ago|later|earlier)", after)) or bool(
            re.search(r"\b(?:for|in|within|over|after)\s+$", before)
        )
    return True


def _n_adjective(m: re.Match[str], doc: Doc) -> Norm | None:
    """weeklong, year-long, decades-long, centuries-old."""
    word = m["u"].lower()
    unit = lexicon.unit_of(word) or _ADJ_UNITS.get(word)
    if unit is None or unit == "season":
        return Norm("DURATION", "PXY" if unit is None else "P3M")
    n = None if word.endswith("s") else 1.0
    return Norm("DURATION", calendar.duration(n, unit))


def _n_bare_plural(m: re.Match[str], doc: Doc) -> Norm | None:
    unit = lexicon.unit_of(m["u"])
    if unit is None:
        return None
    mod = "APPROX" if m["u2"] else None
    return Norm("DURATION", calendar.duration(None, unit), mod)


def _accept_bare_plural(m: re.Match[str], text: str) -> bool:
    """ "for years", "after months of talks"; not "the days when"."""
    if _word_before(text, m.start()) in _PLURAL_LEAD:
        return True
    return bool(re.match(r"[^\S\n]+of[^\S\n]+[a-z]", text[m.end() : m.end() + 6]))


def _n_weekdays(m: re.Match[str], doc: Doc) -> Norm | None:
    """ "Fridays": every Friday."""
    return Norm("SET", f"XXXX-WXX-{lexicon.WEEKDAYS[m['wd'].lower().rstrip('s')]}")


def _n_set(m: re.Match[str], doc: Doc) -> Norm | None:
    """each day, every Thursday, every July, each morning, twice a week, every other day."""
    if m["wd"]:
        return Norm("SET", f"XXXX-WXX-{lexicon.WEEKDAYS[m['wd'].lower()]}")
    if m["mon"]:
        month = lexicon.month_of(m["mon"])
        return Norm("SET", f"XXXX-{month:02d}") if month else None
    if m["pod"]:
        return Norm("SET", "XXXX-XX-XXT" + lexicon.PARTS_OF_DAY[m["pod"].lower()])
    unit = lexicon.unit_of(m["u"])
    if unit is None:
        return None
    n: float | None = 1.0
    if m["n"]:
        n = 2.0 if m["n"].lower() == "other" else lexicon.parse_number(m["n"])
    return Norm("SET", calendar.duration(n, unit))


def _accept_set(m: re.Match[str], text: str) -> bool:
    every = m["every"].lower()
    if every not in ("a", "an"):
        return True
    if m["freq"]:
        return True
    # "a year" is a rate only after an amount: "$1 billion a year", "four flights a week"
    before = text[max(0, m.start() - 40) : m.start()]
    words = re.findall(r"[\w$%€£]+", before)[-4:]
    return any(
        w[0].isdigit() or w[0] in "$€£" or lexicon.parse_number(w) not in (None, 1.0) for w in words
    )


def _n_adverb(m: re.Match[str], doc: Doc) -> Norm | None:
    return Norm("SET", _ADVERBS[" ".join(m["w"].lower().split())])


def _accept_adverb(m: re.Match[str], text: str) -> bool:
    word = m["w"]
    if word[0].isupper():
        # "China Daily", "the Weekly Standard": a name, unless it starts a sentence
        prev = text[max(0, m.start() - 3) : m.start()]
        if re.search(r"[A-Za-z][^\S\n]*$", prev) and not re.search(r"[.!?]\s*$", prev):
            return False
    # "paid quarterly" repeats; a "quarterly dividend" is a kind of dividend (TimeBank
    # leaves such adjectives untagged)
    nxt = re.match(r"[^\S\n]+([a-z]+)", text[m.end() : m.end() + 20])
    return not nxt or nxt.group(1) in lexicon.FUNCTION_WORDS


_ADJECTIVE_TRIGGERS = frozenset({"long", "old", "weeklong", "yearlong", "monthlong", "daylong",
                                 "hourlong", "nightlong", "decadelong"})  # fmt: skip
_DUR_REL = (
    # a determiner belongs to "the past three months", not to "a five-year low"
    r"(?:(?:the|its|their|his|her)%(_)s(?=(?:past|last|next|first|final|previous|preceding"
    r"|coming|following|latest|remaining|initial|ensuing|subsequent|intervening"
    r"|succeeding)\b))?(?:(?P<rel>past|last|next|first|final|previous|preceding|coming"
    r"|following|latest|remaining|initial|ensuing|same|subsequent|intervening"
    r"|succeeding)%(_)s)?"
)
_EXTRA = (
    r"(?:(?:more|additional|full|straight|consecutive|long|short|trading|business|working"
    r"|calendar|extra|school|fiscal|record|successive)[-\s]+)?"
)

RULES: list[Rule] = [
    Rule(
        "duration",
        compile_rule(
            r"%(QMOD)s" + _DUR_REL + r"(?P<n>%(NUMBER)s|%(VAGUE)s|a|an|half%(_)sa|half%(_)san)"
            r"[-\s]+" + _EXTRA + r"(?P<u>%(UNITS)s|%(UNIT)s)(?:-(?P<adj>long|old)\b|(?!-\w))"
            r"(?P<half>%(_)sand%(_)sa%(_)shalf)?(?P<approx>%(_)sor%(_)s(?:so|more|longer|two))?"
            r"(?:%(_)s(?P<noun>period|span|stretch|term|stint|window|timeframe|time[ ]frame))?"
            r"(?!\w)"
        ),
        _n_duration,
        _accept_duration,
        triggers=frozenset(UNIT_WORDS | UNIT_PLURALS),
        reach=(55, 30),
    ),
    Rule(
        "duration-rel",
        compile_rule(
            r"%(QMOD)s(?:the|its|their)%(_)s(?P<rel>past|last|next|first|coming|following"
            r"|remaining|ensuing|preceding|previous|intervening|early|initial|closing|final)"
            r"%(_)s" + r"(?P<u>%(UNITS)s)(?!\w)(?P<n>)?(?P<half>)?(?P<approx>)?"
        ),
        _n_duration,
        triggers=UNIT_PLURALS,
        reach=(45, 5),
    ),
    Rule(
        "duration-adjective",
        compile_rule(
            r"(?<![\w-])(?P<u>week|year|month|day|hour|decade|night|season|weeks|years|months"
            r"|days|hours|decades|centuries)[-]?(?:long|old)(?![\w-])"
        ),
        _n_adjective,
        triggers=_ADJECTIVE_TRIGGERS,
        reach=(15, 10),
    ),
    Rule(
        "duration-plural",
        compile_rule(
            r"(?<![\w-])(?:the%(_)s)?"
            r"(?P<u>years|months|weeks|days|hours|decades|centuries|minutes)"
            r"(?P<u2>%(_)sor%(_)s(?:years|months|weeks|days|hours|decades))?(?![\w-])"
        ),
        _n_bare_plural,
        _accept_bare_plural,
        triggers=UNIT_PLURALS,
        reach=(5, 25),
    ),
    Rule(
        "set",
        compile_rule(
            r"(?:(?P<freq>once|twice|thrice|(?:%(NUMBER)s|several|many|a%(_)sfew)%(_)stimes)"
            r"%(_)s)?(?P<every>each|every|per|a|an)%(_)s(?:(?P<n>other|%(NUMBER)s)%(_)s)?"
            r"(?:(?P<wd>%(WEEKDAY)s)|(?P<mon>%(MONTH_FULL)s)|(?P<pod>morning|afternoon|evening"
            r"|night)|(?P<u>%(UNIT)s|%(UNITS)s))(?!\w)"
        ),
        _n_set,
        _accept_set,
        priority=1,
        triggers=frozenset(
            UNIT_WORDS
            | UNIT_PLURALS
            | MONTH_WORDS
            | WEEKDAY_WORDS
            | {"morning", "afternoon", "evening", "night"}
        ),
        reach=(35, 10),
    ),
    Rule(
        "set-weekdays",
        compile_rule(r"(?P<wd>%(WEEKDAYS)s)"),
        _n_weekdays,
        triggers=frozenset({w + "s" for w in WEEKDAY_WORDS}),
        reach=(2, 15),
    ),
    Rule(
        "set-adverb",
        compile_rule(
            r"(?<![\w-])(?P<w>daily|nightly|weekly|biweekly|fortnightly|monthly|quarterly"
            r"|yearly|annually|hourly|biannually|semi-?annually|every%(_)sday|everyday)(?![\w-])"
        ),
        _n_adverb,
        _accept_adverb,
        triggers=frozenset(set(_ADVERBS) | {"every", "semi"}),
        reach=(10, 20),
    ),
]
