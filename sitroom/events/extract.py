"""Event mentions of one article: frames of its sentences, typed, placed, dated and named.

Which sentences: the body's and the headline's (never a caption, credit or byline: a place
named there is not where anything happened; a sentence that opens with the dateline or a
label is read after it), those containing a trigger word's beginning or a cue of an event
ACLED codes (``decide.cue``); they are parsed with spaCy's dependency parser in one batch and
read, each with the rest of its paragraph, by the ACLED sub-event model (``acled.py``).

Per frame (``frames.py``; the model adds one for the main verb of an eventful sentence whose
triggers gave nothing, ``decide.py``):
- **type**: the model's likeliest sub-event type among those the trigger allows; else the
  trigger's class and its actors (a takeover by a state's forces is "Government regains
  territory"; killing armed men is an armed clash, killing civilians violence against
  civilians; a weapon fired from afar decides: a roadside bomb, an air force, a shell);
- **place**: the frame's own places, the most specific first, leaving out places that only
  anchor another ("80 miles southwest of Kabul", "the Kabul-Kandahar highway") and places in
  the dateline; one event per town for territory events (the object's towns); forces sent go
  where they are sent; then an anaphor ("the city", "there"); then the sentence's most
  specific place (a town named with its region in brackets is read inside it); each read in
  its context (``where.py``: never a namesake abroad), precision 2 when only "near" it;
- **date**: a time expression inside the trigger's phrase, else anywhere in the sentence,
  else the article's date with ``time_precision`` 2; never a date after the article's;
- **actors**: ``actors.name_actor`` over the doer's and patient's phrases, then ACLED's
  conventions (demonstrators are "Protesters (Country)" / "Rioters (Country)", forces that
  step in actor2; an unnamed armed side is generic: the story names it, else "Unidentified
  Armed Group (Country)" of the event's own country);
- **fatalities**: ACLED's counting rules over the sentence and the rest of its paragraph
  (``counts.py``), for violent events and demonstrations;
- **salience**: the headline and the lead first, then the order of the text; happened events
  before reported plans; the type the model finds likeliest for the sentence first.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from sitroom.events import acled, decide
from sitroom.events import lexicon as lx
from sitroom.events.actors import (
    GANG,
    GANG_SAID,
    GENERIC,
    Actor,
    country_name,
    demonym_in,
    name_actor,
    resolve_generic,
    said_unknown,
)
from sitroom.events.counts import fatalities
from sitroom.events.frames import ControlFrame, Frame, control_frames, frames, prefilter_words
from sitroom.events.rules import (
    by_doer,
    by_target,
    disrupted,
    on_protesters,
    stepped_in,
    without_violence,
)
from sitroom.events.spots import TOWN_FEATURES as _TOWN_FEATURES
from sitroom.events.spots import Spots
from sitroom.model import ControlMention, EventMention
from sitroom.reading import LABEL, Sentence, role_at
from sitroom.reading import sentences as sentences_of

__all__ = ["EVENT_ROLES", "classify", "extract_mentions", "fatalities"]

EVENT_ROLES = frozenset({"body", "title", "standfirst", "dateline"})
_PLACE_ROLES = EVENT_ROLES - {"dateline"}
_INTERVENTION = re.compile(r"tear ?gas|water cannon|batons?|dispers|rubber bullets", re.I)
_EXCESSIVE = re.compile(r"\b(?:killed|shot dead|opened fire|live (?:ammunition|fire))\b", re.I)
_SUICIDE = re.compile(r"\bsuicide\b", re.I)
_AIR = re.compile(r"\b(?:air ?strikes?|drones?|warplanes?|jets?|aircraft|helicopters?)\b", re.I)
_NUM_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozen": 12, "a dozen": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
    "a hundred": 100, "dozens": 24, "scores": 40, "hundreds": 200,
}  # fmt: skip
_NUM = r"(\d[\d,]*|" + "|".join(sorted(map(re.escape, _NUM_WORDS), key=len, reverse=True)) + r")"
_FATAL = [
    re.compile(rf"\bkill(?:ing|ed)\s+(?:at\s+least\s+|about\s+|some\s+|nearly\s+)?{_NUM}\b", re.I),
    re.compile(
        rf"\b(?:at\s+least\s+|about\s+|some\s+|nearly\s+)?{_NUM}\s+(?:\w+\s+){{0,3}}?"
        r"(?:were|was|have been|had been|are)?\s*(?:killed|dead|died|slain)\b",
        re.I,
    ),
    re.compile(rf"\bdeath toll\s+(?:\w+\s+){{0,3}}?(?:to|of|at)\s+{_NUM}\b", re.I),
]
_VIOLENT = frozenset({"clash", "attack", "air", "shelling", "ied", "suicide", "grenade",
                      "explosion", "kill", "riot", "protest", "abduct", "sexual",
                      "arrest"})  # fmt: skip
_PREFILTER = prefilter_words()
_WORD = re.compile(r"[a-z]+")


def _wanted(text: str) -> bool:
    for w in _WORD.findall(text.lower()):
        for n in (4, 5, 6, 7, 8, 9, 10):
            if w[:n] in _PREFILTER:
                return True
    return False


def classify(cls: str, doer: Actor | None, patient: Actor | None, text: str) -> tuple[str, str]:
    """ACLED event type and sub-type of a frame."""
    state_doer = doer is not None and doer.kind == "state"
    civ = patient is not None and patient.kind == "civilian"
    if cls == "takeover":
        return lx.BATTLES, (
            "Government regains territory" if state_doer else "Non-state actor overtakes territory"
        )
    if cls == "transfer":
        return lx.STRATEGIC, "Non-violent transfer of territory"
    if cls == "clash":
        return lx.BATTLES, "Armed clash"
    if cls in ("attack", "kill"):
        if _SUICIDE.search(text):
            return lx.REMOTE, "Suicide bomb"
        return (lx.VAC, "Attack") if civ or (cls == "kill" and patient is None) else (
            lx.BATTLES, "Armed clash")  # fmt: skip
    if cls in ("air", "shelling", "ied", "suicide", "grenade", "explosion"):
        if cls == "suicide" or _SUICIDE.search(text):
            return lx.REMOTE, "Suicide bomb"
        if cls == "grenade":
            return lx.REMOTE, "Grenade"
        if cls == "air" or (cls == "explosion" and _AIR.search(text)):
            return lx.REMOTE, "Air/drone strike"
        if cls == "shelling":
            return lx.REMOTE, "Shelling/artillery/missile attack"
        return lx.REMOTE, "Remote explosive/landmine/IED"
    if cls == "abduct":
        return lx.VAC, "Abduction/forced disappearance"
    if cls == "sexual":
        return lx.VAC, "Sexual violence"
    if cls == "protest":
        if _EXCESSIVE.search(text):
            return lx.PROTESTS, "Excessive force against protesters"
        if _INTERVENTION.search(text):
            return lx.PROTESTS, "Protest with intervention"
        return lx.PROTESTS, "Peaceful protest"
    if cls == "riot":
        return lx.RIOTS, "Violent demonstration"
    sub = {
        "arrest": "Arrests",
        "agreement": "Agreement",
        "loot": "Looting/property destruction",
        "base": "Headquarters or base established",
        "change": "Change to group/activity",
    }
    return lx.STRATEGIC, sub.get(cls, "Other")


def _date_of(value: str) -> tuple[dt.date, int] | None:
    """A TimeML value's day and ACLED precision: 2021-08-12(T..) 1, 2021-W32 2, 2021-08 3."""
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        return dt.date(int(m[1]), int(m[2]), int(m[3])), 1
    m = re.match(r"^(\d{4})-W(\d{2})", value)
    if m:
        return dt.date.fromisocalendar(int(m[1]), int(m[2]), 1), 2
    m = re.match(r"^(\d{4})-(\d{2})$", value)
    if m:
        return dt.date(int(m[1]), int(m[2]), 1), 3
    m = re.match(r"^(\d{4})(?:-[A-Z]{2}\d?)?$", value)  # a year, a season or quarter of one
    if m and 1000 < int(m[1]) < 3000:
        return dt.date(int(m[1]), 1, 1), 3
    return None


def extract_mentions(
    reading: str,
    analysis: Any,
    places: Sequence[tuple[int, int, Any]],
    times: Sequence[tuple[int, int, Any]],
    roles: Sequence[tuple[int, int, str]],
    published: dt.date | None,
    to_out: Callable[[int], int] = lambda i: i,
) -> tuple[list[EventMention], list[ControlMention]]:
    """Event and control mentions of one analysed text.

    ``places`` and ``times``: (start, end, mention) in ``reading``; ``roles``: the reading's
    stretches and their roles; ``to_out`` maps a reading offset to the offset reported.
    """
    sentences = _after_dateline(sentences_of(analysis, roles, reading), roles, reading)
    todo = [s for s in sentences if s.role in EVENT_ROLES
            and (_wanted(text := reading[s.start : s.end]) or decide.cue(text))]  # fmt: skip
    if not todo:
        return [], []
    docs = analysis.sentence_docs(reading, [(s.start, s.end) for s in todo])
    spans = decide.paragraph_spans(reading, sentences, todo)
    paragraphs = [" ".join(reading[a:b].split()) for a, b in spans]
    # a note's label before its first sentence ("Movement of forces: On 2 May ..."): the line
    # the sentence opens, read from its start
    lines = [reading[reading.rfind("\n", 0, s.start) + 1 : s.end] for s in todo]
    probs = [decide.labelled(line, pr)
             for line, pr in zip(lines, acled.classify_texts(paragraphs), strict=True)]  # fmt: skip
    body_places = [(s, e, p) for s, e, p in places if role_at(roles, s) in _PLACE_ROLES]
    main_cc = _main_country(body_places)
    found: list[tuple[Frame, Sentence, Any]] = []
    controls: list[tuple[ControlFrame, Sentence, Any]] = []
    parsed: list[tuple[Sentence, Any, list[tuple[int, int]], dict[str, float]]] = []
    for sent, doc, pr in zip(todo, docs, probs, strict=True):
        local = [(s - sent.start, e - sent.start) for s, e, _ in body_places
                 if sent.start <= s and e <= sent.end]  # fmt: skip
        fs = list(frames(doc, local))
        for f in fs:
            f.sub_event_type = decide.frame_type(f.cls, pr)
        sub = decide.wants_root_frame(fs, pr)
        sure = 1.0 - pr.get(acled.NONE, 0.0) >= decide.SURE
        if sub is not None and (rf := decide.root_frame(doc, local, sub, sure)) is not None:
            fs.append(rf)
        top = decide.top_event(pr)[0]
        for f in fs:
            f.agrees = f.sub_event_type == top
            f.confident = f.confident or (sure and f.sub_event_type is not None)
        if sum(f.cls == "deploy" for f in fs) > 1:  # "send troops to evacuate staff": one
            first = next(f for f in fs if f.cls == "deploy")
            fs = [f for f in fs if f.cls != "deploy" or f is first]
        if any(f.cls in ("air", "shelling", "ied", "suicide", "explosion", "grenade") for f in fs):
            fs = [f for f in fs if f.cls != "kill"]  # "killed in an airstrike": one event
        found += [(f, sent, doc) for f in fs]
        controls += [(c, sent, doc) for c in control_frames(doc, local)]
        parsed.append((sent, doc, local, pr))
    ctx = _Context(reading, analysis, body_places, times, sentences, published, main_cc)
    ctx.paragraph = {s.index: p for s, p in zip(todo, paragraphs, strict=True)}
    ctx.paragraph_end = {s.index: b for s, (_a, b) in zip(todo, spans, strict=True)}
    mentions: list[EventMention] = []
    for f, sent, _doc in found:
        mentions += ctx.mentions(f, sent)
    told = {m.sentence_start for m in mentions}
    for sent, doc, local, pr in parsed:
        # the model says the sentence reports an event, but no trigger frame gave one (its
        # frame lacked a place, a doer or a fit): the sentence's main verb does
        sub = decide.top_event(pr)[0]
        if sent.start in told or 1.0 - pr.get(acled.NONE, 0.0) < decide.EVENT_MIN:
            continue
        sure = 1.0 - pr.get(acled.NONE, 0.0) >= decide.SURE
        rf = decide.root_frame(doc, local, sub, sure)
        if rf is not None and not any(f.from_model for f, s, _ in found if s is sent):
            rf.agrees = True
            mentions += ctx.mentions(rf, sent)
    named = resolve_generic(a for m in mentions if (a := ctx.doers.get(id(m))) is not None)
    # nobody named, and the text speaks of gangs or organised crime: ACLED's "Unidentified Gang"
    unnamed = (GANG_SAID if _GANG_WORD.search(reading) else GANG if _CRIME.search(reading)
               else GENERIC)  # fmt: skip
    out = []
    for m in mentions:
        if m.actor1 == GENERIC:
            # "unidentified armed men" stay unidentified, whoever else the text names
            unknown = said_unknown(m.actor1_text, m.sentence)
            operator = None if unknown else ctx.operator(m.sentence_start, m.trigger_start)
            m = replace(m, actor1=unnamed if unknown else operator or named or unnamed)
        out.append(replace(
            m,
            trigger_start=to_out(m.trigger_start), trigger_end=to_out(m.trigger_end),
            sentence_start=to_out(m.sentence_start), sentence_end=to_out(m.sentence_end),
        ))  # fmt: skip
    out.sort(key=lambda m: -m.salience)
    ctrl = [replace(c, sentence_start=to_out(c.sentence_start), sentence_end=to_out(c.sentence_end))
            for c in ctx.controls(controls)]  # fmt: skip
    return out, ctrl


def _after_dateline(
    sentences: list[Sentence], roles: Sequence[tuple[int, int, str]], reading: str
) -> list[Sentence]:
    """Sentences that open with the dateline ("KABUL, Aug. 13 (Test) - The Taliban
    captured Herat") start after it: the parser reads the report, not the byline's place."""
    lines = [(a, b) for a, b, role in roles if role == "dateline"]
    out = []
    for s in sentences:
        cut = next((b for a, b in lines if s.start <= a < b < s.end), None)
        label = LABEL.match(reading, s.start, s.end)
        if cut is None and label is not None:
            cut = label.end()  # "Movement of forces: On 3 May, ...", "UPDATE: ..."
        if cut is not None:
            m = re.match(r"[\s\-–—:]*", reading[cut : s.end])
            cut += m.end() if m else 0
            if reading[cut : s.end].strip():
                s = Sentence(cut, s.end, role_at(roles, cut), s.index)
        out.append(s)
    return out


# "in Yemen", "Nis, Serbia", "(Kenya)", "in northwestern Yemen", "in the south of Yemen"


# the agent of a weapon or an operation: "fired by presumed LNA forces", "by police forces"
_BY_FORCES = re.compile(
    r"\bby\s+((?:the\s+)?(?:presumed|suspected|alleged)?\s*(?:[\w'’-]+\s+){0,4}?"
    r"(?:forces|troops|army|police|military|gendarmes|soldiers|air\s+force|navy)"
    r"(?!\s+(?:forces|troops|officers)))\b",
    re.I,
)
# "2 civilians were wounded when Afghan forces fired mortars": the forces a clause of the
# sentence says did it
_WHEN_FORCES = re.compile(
    r"\b(?:when|as|after)\s+((?:the\s+)?(?:[\w'’-]+\s+){0,4}?(?:forces|troops|army|police|"
    r"military|soldiers|air\s+force|navy))\s+(?:reportedly\s+|allegedly\s+)?(?:fired|shelled|"
    r"opened\s+fire|attacked|bombed|launched|raided|stormed|struck|targeted|shot)\b",
    re.I,
)
# what stands between a sentence's opening places and its verb when it is the doer: ", the
# Myanmar military and AA " (a few words, no clause of their own)
_LEAD_GAP = re.compile(r",\s*((?:[\w'’()-]+\s+){0,5}?[\w'’()-]+)\s+(?:reportedly\s+)?",
                       re.I)  # fmt: skip
# a group that claims an attack: "Boko Haram/IS claimed to have killed", "X claimed
# responsibility for"
_CLAIMED = re.compile(
    r"((?:[A-Z][\w'’/-]*\s+){0,3}[A-Z][\w'’/-]*)\s*(?:,[^,]{0,40},\s*)?(?:has\s+|have\s+)?"
    r"(?:reportedly\s+)?claimed\s+(?:to\s+have\b|responsibility\b|(?:the|an|a)\s+attack)"
)
# state forces that carried out an operation: those who fire in it
_OPERATION = re.compile(
    r"\b((?:the\s+)?(?:[\w'’-]+\s+){0,3}?(?:police|forces|troops|army|military|soldiers|"
    r"gendarmes|gendarmerie|officers))\s+(?:reportedly\s+)?(?:carried\s+out|conducted|"
    r"launched|mounted|led|began)\s+(?:an?|the|their)\s+(?:[\w-]+\s+){0,2}?(?:operations?|"
    r"raids?|offensive|crackdown|sweep)\b",
    re.I,
)
# ... a stretch that is a clause or a passive verb's subject is none
_NOT_A_DOER = re.compile(r"\b(?:was|were|is|are|been|being|be|has|have|had|who|which|that)\b", re.I)
# a fight between two sides: the first is the doer ACLED puts first
_BETWEEN = re.compile(
    r"\b(?:clash(?:es)?|fighting|fights?|firefights?|fire\s?fights?|gunfights?|gun\s?battles?|"
    r"exchanges?\s+of\s+fire|battles?|skirmish(?:es)?|shoot-?outs?|confrontations?)\s+"
    r"between\s+((?:the\s+)?(?:[\w'’-]+\s+){0,4}?[\w'’-]+)\s+and\s+",
    re.I,
)
_FOR_SPAN = re.compile(
    r"\b(?:for|over|during|throughout|in)\s+(?:the\s+)?(?:past\s+|last\s+)?$", re.IGNORECASE
)
_AGE = re.compile(r"\byears?[\s-]*old\b", re.I)  # "a 16 year-old": an age, no duration


def _main_country(places: Iterable[tuple[int, int, Any]]) -> str:
    """The country the article's body places are in: a country named outright counts twice,
    a demonym ("Saudi-led") half, any other place once; ties go to the first named."""
    counts: dict[str, float] = {}
    for _, _, p in places:
        if p.country_code:
            weight = 0.5 if p.source == "demonym" else 2.0 if p.feature == "country" else 1.0
            counts[p.country_code] = counts.get(p.country_code, 0.0) + weight
    return max(counts, key=lambda c: counts[c]) if counts else ""


# a criminal motive or perpetrator, as ACLED's coders read one into "Unidentified Gang"
# (never "gang-raped")
_CRIME = re.compile(
    r"\b(?:gangs?(?!-)|gang members?|gangsters?|cartels?|drug[- ](?:trafficking|traffickers?|"
    r"dealing|dealers?|gangs?)|narco\w*|organi[sz]ed crime|criminal (?:groups?|gangs?|"
    r"organi[sz]ations?|factions?)|drive-by)\b",
    re.I,
)
# ... the account's own word for them: a gang, not a country's other name for the unnamed
_GANG_WORD = re.compile(r"\b(?:gangs?(?!-)|gangsters?|pandilleros?)\b", re.I)
_OF_NAME = re.compile(r"\s+of\s+(?:the\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2}")
_STATE_FORCES = re.compile(r"\b(?:military|police)\s+forces$", re.I)


class _Context(Spots):
    """What a frame needs from its article to become mentions."""

    def __init__(
        self,
        reading: str,
        analysis: Any,
        places: list[tuple[int, int, Any]],
        times: Sequence[tuple[int, int, Any]],
        sentences: list[Sentence],
        published: dt.date | None,
        main_cc: str,
    ) -> None:
        self.reading = reading
        self.entities = analysis.entities
        self.places = places
        self.times = times
        self.sentences = sentences
        self.published = published
        self.main_cc = main_cc
        self.doers: dict[int, Actor] = {}
        self.paragraph: dict[int, str] = {}  # sentence index -> it and the rest of its paragraph
        self.paragraph_end: dict[int, int] = {}  # sentence index -> where that paragraph ends
        self._base = 0

    # -- pieces -------------------------------------------------------------------------

    def _actor(self, span: tuple[int, int] | None, cc: str, cls: str) -> Actor | None:
        if span is None:
            return None
        s, e = span
        named = _OF_NAME.match(self.reading, e)
        if named and _STATE_FORCES.search(self.reading[s:e]):
            e = named.end()  # "military forces" + " of Artsakh": whose forces
        ents = [(self.reading[a:b], lab) for a, b, lab in self.entities if s <= a and b <= e]
        countries = [
            (self.reading[a:b], p.country_code)
            for a, b, p in self.places
            if s <= a and b <= e and (p.feature == "country" or p.source == "demonym")
        ]
        return name_actor(self.reading[s:e], ents, countries, cc or self.main_cc, cls)

    def operator(self, sentence_start: int, trigger: int | None) -> str | None:
        """The state's forces the paragraph says carried out an operation, before this
        sentence's event ("the Military Police carried out an operation against drug
        trafficking in Morro do Palacio. A shoot-out broke out and a suspect was shot"):
        whoever fired in it, where the sentence names nobody."""
        start = self.reading.rfind("\n", 0, sentence_start) + 1
        end = trigger if trigger is not None and trigger > sentence_start else sentence_start
        found = list(_OPERATION.finditer(self.reading, start, end))
        if not found:
            return None
        m = found[-1]
        got = self._actor((m.start(1), m.end(1)), self.main_cc, "attack")
        return got.name if got is not None and got.kind == "state" else None

    def _after_places(self, f: Frame, base: int, cc: str) -> Actor | None:
        """The doer between the places a sentence opens with and its verb, where the parse
        took a place of the chain for the subject ("near Nat Taug village, Ponnagyun
        township, Rakhine State, Myanmar military and AA fought"): a state's or a group's
        forces only."""
        trigger = base + f.trigger[0]
        comma = self.reading.rfind(",", base, trigger)
        if (
            comma < 0
            or (f.doer is not None and base + f.doer[1] > comma)
            or not any(base <= a < comma for a, _b, _p in self.places)
        ):
            return None  # the parse's subject, if any, must lie in an opening chain of places
        m = _LEAD_GAP.fullmatch(self.reading[comma:trigger])
        if m is None or _NOT_A_DOER.search(m.group(1)):
            return None  # "a police officer from Huitzuco was attacked": whom, not who
        return self._side(comma + m.start(1), comma + m.end(1), cc, f.cls)

    def _between(self, text: str, base: int, cc: str, cls: str) -> Actor | None:
        m = _BETWEEN.search(text)
        if m is None:
            return None
        return self._side(base + m.start(1), base + m.end(1), cc, cls)

    def _side(self, s: int, e: int, cc: str, cls: str) -> Actor | None:
        """A state's or a group's forces named in ``s:e``, a side of the fight: an acronym
        there is a group's ("the NPA") even where the entity recogniser missed it."""
        got = self._actor((s, e), cc, cls)
        if got is None:
            text = self.reading[s:e]
            acronyms = [(w, "ORG") for w in re.findall(r"\b[A-Z][A-Z-]{1,9}\b", text)]
            got = name_actor(text, acronyms, (), cc or self.main_cc, cls) if acronyms else None
        if got is None or got.kind not in ("state", "nonstate"):
            return None
        places = {self.reading[a:b] for a, b, _p in self.places if s <= a and b <= e}
        return None if got.name in places else got  # a town is no side

    def _date(self, f: Frame, sent: Sentence) -> tuple[str | None, int, str | None]:
        base = sent.start
        in_sent = [(s, e, t) for s, e, t in self.times if sent.start <= s < sent.end
                   and t.type in ("DATE", "TIME")]  # fmt: skip
        scoped = [x for x in in_sent if f.scope[0] + base <= x[0] < f.scope[1] + base]
        for s, e, t in scoped + [x for x in in_sent if x not in scoped]:
            got = _date_of(t.value)
            if got is None:
                continue
            day, prec = got
            if self.published and day > self.published:
                continue
            return day.isoformat(), max(prec, t.time_precision or prec), self.reading[s:e]
        # no date in the sentence: the date an earlier sentence of its paragraph gives ("On 3
        # May, residents blocked a road. Police dispersed the crowd.")
        para = self.reading.rfind("\n", 0, sent.start) + 1
        for s, _e, t in sorted(self.times, key=lambda x: -x[0]):
            if not (para <= s < sent.start) or t.type not in ("DATE", "TIME"):
                continue
            got = _date_of(t.value)
            if got is None or (self.published and got[0] > self.published):
                continue
            # no date text of its own: the sentence itself does not date the event (an old
            # date above makes no background of it, and merging treats it as less sure)
            return got[0].isoformat(), max(got[1], t.time_precision or got[1]), None
        if self.published:
            return self.published.isoformat(), 2, None
        return None, 3, None

    # -- mentions -----------------------------------------------------------------------

    def mentions(self, f: Frame, sent: Sentence) -> list[EventMention]:
        base = self._base = sent.start
        text = self.reading[sent.start : sent.end]
        spots = [self._placed(spot, sent) for spot in self._event_places(f, sent)]
        if f.cls in ("takeover", "transfer") and not spots:
            return []
        if not spots and f.doer is None and not f.confident:
            return []  # nothing to say where or by whom
        out = []
        none: list[tuple[Any, Any, Any]] = [(None, None, None)]
        for s, e, place in spots or none:
            cc = place.country_code if place is not None else self.main_cc
            doer = self._actor(_shift(f.doer, base), cc, f.cls)
            if doer is None:
                doer = self._after_places(f, base, cc)
            patient = self._actor(_shift(f.patient, base), cc, f.cls)
            if f.patient and any(f.patient[0] + base <= x[0] < f.patient[1] + base
                                 for x in self.places):  # fmt: skip
                patient = None  # the patient is the place itself ("Firuz Koh was handed over")
            if doer is None and f.cls in ("takeover", "transfer"):
                doer = Actor(GENERIC, "generic", "")
            if (
                doer is None
                and not f.from_model
                and (f.noun or f.cls in ("deploy", "agreement", "arrest"))
            ):
                continue  # a deployment, a deal or a noun event with no one doing it
            cls = f.cls
            if cls in ("kill", "attack", "clash") and f.doer:
                weapon = _weapon_class(self.reading[f.doer[0] + base : f.doer[1] + base])
                if weapon:
                    cls = weapon  # "a roadside bomb killed 12": the bomb is the event
                    if doer is not None and doer.kind not in ("state", "nonstate"):
                        doer = None  # the bomb itself; "Taliban rockets": the Taliban
            if (doer is None or doer.name == GENERIC) and cls in ("clash", "kill"):
                # "killed during a firefight between the NPA and the military": the first
                # side the fight names
                doer = self._between(text, base, cc, cls) or doer
            if doer is None or doer.name == GENERIC:
                # "Boko Haram/IS claimed to have killed", "ISWAP claimed responsibility":
                # who claims it did it (the parse reads "IS" as a verb)
                claimed = _CLAIMED.search(text)
                if claimed is not None:
                    span = (base + claimed.start(1), base + claimed.end(1))
                    doer = self._side(*span, cc, cls) or doer
            by = _BY_FORCES.search(text) or _WHEN_FORCES.search(text)
            if (doer is None or doer.name == GENERIC) and by:
                # "shells fired by presumed LNA forces", "an operation by police forces":
                # the forces the sentence names as the agent
                alt = self._actor((base + by.start(1), base + by.end(1)), cc, cls)
                if alt is not None and alt.kind in ("state", "nonstate"):
                    doer = alt
            etype, sub = classify(cls, doer, patient, text)
            if f.sub_event_type and cls == f.cls:
                etype, sub = acled.EVENT_TYPE_OF[f.sub_event_type], f.sub_event_type
            if sub in acled.EVENT_TYPE_OF:  # ACLED's rules, whichever way the type was found
                target = (
                    self.reading[f.patient[0] + base : f.patient[1] + base] if f.patient else ""
                )
                sub = by_target(sub, patient, text, target)
                who = self.reading[f.doer[0] + base : f.doer[1] + base] if f.doer else ""
                sub = by_doer(sub, doer, who, f.trigger_text)
                sub = on_protesters(sub, doer, target, text)
                etype = acled.EVENT_TYPE_OF[sub]
            account = self.paragraph.get(sent.index, text)
            quiet = stepped_in(disrupted(without_violence(sub, account, text), text), account)
            if quiet != sub:  # no one did violence: a demonstration, and how it went
                etype, sub = acled.EVENT_TYPE_OF[quiet], quiet
            doer, patient = _coded_actors(sub, doer, patient, cc, text)
            day, prec, date_text = self._date(f, sent)
            modality = f.modality
            if modality == "asserted" and self._background(f, place, day, date_text):
                modality = "background"
            m = EventMention(
                event_type=etype,
                sub_event_type=sub,
                event_class=f.cls,
                trigger=f.trigger_text,
                trigger_start=f.trigger[0] + base,
                trigger_end=f.trigger[1] + base,
                sentence_start=sent.start,
                sentence_end=sent.end,
                sentence=" ".join(text.split()),
                actor1=doer.name if doer is not None else None,
                actor1_text=doer.text if doer and doer.text else None,
                actor2=patient.name if patient is not None else None,
                actor2_text=patient.text if patient else None,
                target_text=self.reading[f.patient[0] + base : f.patient[1] + base]
                if f.patient
                else None,
                location=place,
                place_text=self.reading[s:e] if s is not None else None,
                event_date=day,
                time_precision=prec,
                date_text=date_text,
                fatalities=fatalities(self.paragraph.get(sent.index, text))
                if f.cls in _VIOLENT and sub not in _PEACEFUL
                else None,
                modality=modality,
                salience=_salience(sent, f),
                role=sent.role,
                actor1_kind=doer.kind if doer is not None else "",
            )
            if doer is not None and doer.kind == "nonstate":
                self.doers[id(m)] = doer
            out.append(m)
        return out

    def _background(self, f: Frame, place: Any, day: str | None, date_text: str | None) -> bool:
        """An old event recalled as context ("the fall of Saigon", "in 1994"), not news: dated
        two months or more before the report, or a noun trigger abroad with no date."""
        if (
            day
            and self.published
            and date_text
            and ((self.published - dt.date.fromisoformat(day)).days > 60)
        ):
            return True
        base = self._base
        for s, e, t in self.times:
            if (f.scope[0] + base <= s < f.scope[1] + base and t.type == "DURATION"
                    and re.search(r"\d+(?:Y|DE|CE)$|^P(?:X|\d+)(?:Y|DE)", t.value)
                    and not _AGE.search(self.reading[s : e + 8])
                    and _FOR_SPAN.search(self.reading[max(0, s - 25) : s])):  # fmt: skip
                # "battled the Taliban for years" (not "a 16 year-old", nor "marking one
                # year since the cyclone")
                return True
        foreign = place is not None and self.main_cc and place.country_code != self.main_cc
        return bool(f.noun and (foreign or f.plural) and date_text is None)

    def controls(self, found: list[tuple[ControlFrame, Sentence, Any]]) -> list[ControlMention]:
        out = []
        for c, sent, _ in found:
            base = sent.start
            holder = self._actor(_shift(c.holder, base), self.main_cc, "takeover")
            if holder is None:
                continue
            for hs, he in c.held:
                span = (hs + base, he + base)
                inside = [x for x in self.places if span[0] <= x[0] < span[1]
                          and x[2].feature != "country"]  # fmt: skip
                phrase = self.reading[span[0] : span[1]]
                site = next((w for w in c.sites if w in phrase.lower()), None)
                if inside and site is None:
                    place = inside[0]
                else:
                    prior = [
                        x
                        for x in self.places
                        if x[0] < span[0]
                        and x[2].feature in _TOWN_FEATURES
                        and x[0] >= self._sentence_start(sent.index - 3)
                    ]
                    if not prior or site is None:
                        continue
                    place = prior[-1]
                out.append(ControlMention(
                    place_text=self.reading[place[0]:place[1]],
                    location=place[2],
                    site=site,
                    holder=holder.name,
                    holder_text=holder.text,
                    sentence_start=sent.start,
                    sentence_end=sent.end,
                    sentence=" ".join(self.reading[sent.start:sent.end].split()),
                    date=self.published.isoformat() if self.published else None,
                ))  # fmt: skip
        return out


# a demonstration no one met with force kills no one: deaths its account tells of (the
# killings protested against) are another event's
_PEACEFUL = frozenset({"Peaceful protest", "Protest with intervention"})


def _coded_actors(sub: str, doer: Actor | None, patient: Actor | None, cc: str,
                  sentence: str = "") -> tuple[Actor | None, Actor | None]:  # fmt: skip
    """ACLED's actors for the sub-event type: demonstrators are "Protesters (Country)" or
    "Rioters (Country)" whoever leads them (of their own country where ``sentence`` says
    they are foreigners); an armed side nobody names is left generic (the story names it,
    else "Unidentified Armed Group (Country)")."""
    etype = acled.EVENT_TYPE_OF.get(sub, "")
    country = country_name(cc) if cc else ""
    text = doer.text if doer is not None else ""
    if etype in (lx.PROTESTS, lx.RIOTS):
        # demonstrators are actor1 whoever leads them; forces that step in are actor2
        crowd = "Protesters" if etype == lx.PROTESTS else "Rioters"
        said = _FOREIGN_CROWD.search(sentence)
        own = demonym_in(text) if text else None
        if own is None and said is not None:
            own = demonym_in(said.group(1))
        if own is not None and own[1] != cc:
            # "a group of 50 Peruvian citizens protested" in Chile: ACLED names foreigners
            # who demonstrate by their own country
            country = country_name(own[1])
        name = f"{crowd} ({country})" if country else crowd
        forces = doer if doer is not None and doer.kind == "state" else None
        if forces is not None and not forces.name.startswith("Government"):
            return Actor(name, "civilian", patient.text if patient is not None else ""), forces
        return Actor(name, "civilian", text), patient
    if etype in (lx.BATTLES, lx.REMOTE, lx.VAC) and (doer is None or doer.kind == "civilian"):
        # "a man was shot by three men": whoever shoots is an armed group, unnamed here
        return Actor(GENERIC, "generic", text), patient
    return doer, patient


# a crowd named by its nationality: "50 Peruvian citizens", "Venezuelan migrants"
_FOREIGN_CROWD = re.compile(
    r"\b([A-Z][a-z]{3,})\s+(?:citizens|nationals|migrants|refugees|immigrants|expatriates|"
    r"expats|asylum\s+seekers|workers|labou?rers|students|returnees|pilgrims)\b"
)


_WEAPONS = {
    "ied": ("roadside bomb", "ied", "landmine", "mine", "explosive", "car bomb", "bomb"),
    "suicide": ("suicide bomber", "suicide attacker"),
    "air": (
        "airstrike",
        "air strike",
        "drone",
        "warplane",
        "jet",
        "aircraft",
        "helicopter",
        "air force",
        "airforce",
    ),
    "shelling": ("shell", "rocket", "mortar", "missile", "artillery"),
    "grenade": ("grenade",),
}


def _weapon_class(phrase: str) -> str | None:
    low = phrase.lower()
    for cls in ("suicide", "air", "shelling", "grenade", "ied"):
        if any(re.search(rf"\b{re.escape(w)}", low) for w in _WEAPONS[cls]):
            return cls
    return None


def _shift(span: tuple[int, int] | None, base: int) -> tuple[int, int] | None:
    return (span[0] + base, span[1] + base) if span else None


def _salience(sent: Sentence, f: Frame) -> float:
    score = 1.0 / (1.0 + sent.index)
    if sent.role == "title":
        score += 1.0
    if f.modality in ("asserted", "announced"):
        score += 0.5
    if f.agrees:
        score += 0.3  # what the sentence, read whole, reports
    if f.cls in ("takeover", "clash", "attack", "kill", "air", "shelling", "ied", "suicide",
                 "explosion"):  # fmt: skip
        score += 0.2
    return round(score, 4)
