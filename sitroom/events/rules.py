"""ACLED's rules between neighbouring event types, read from what the parse found.

The sub-event model reads the words of a paragraph; these rules check its choice between
neighbours against who did what to whom, as ACLED's codebook defines them:

- attack or armed clash (``by_target``): one-sided violence against people nobody arms is
  an attack, unless they fought back; violence against a state's forces or armed men is an
  armed clash;
- mob violence or attack (``by_doer``): a crowd with no armed organisation riots; forces
  or armed men who beat, shoot or torture someone attack;
- no riot without violence (``without_violence``): a violent demonstration or mob violence
  whose account names no violence is a peaceful protest, or a protest with intervention
  when the protest was dispersed or stopped;
- a weapon that never went off as its users meant (``disrupted``): a bomb defused, found,
  seized or set off by the police, a missile intercepted, is a disrupted weapons use (a
  strategic development), not an explosion.
"""

from __future__ import annotations

import re

from sitroom.events.actors import GENERIC, Actor

__all__ = [
    "INTERVENED",
    "VIOLENCE",
    "by_doer",
    "by_target",
    "disrupted",
    "on_protesters",
    "stepped_in",
    "without_violence",
]


# the target fought back: two armed sides, whoever the target was
_FOUGHT = re.compile(
    r"\b(?:clash\w*|exchange[sd]? (?:of )?fire|firefight|gun ?battle|"
    r"shoot-?outs?|returned fire|fought|fighting|repelled|repulsed)\b",
    re.I,
)


# people who are nobody's armed side, as a target's head noun ("a Koranic school teacher",
# "5 merchants", "two persons", "a man")
_PERSONS = frozenset(
    "man men woman women person persons people child children boy boys girl girls civilian "
    "civilians resident residents villager villagers merchant merchants trader traders driver "
    "drivers shopkeeper shopkeepers farmer farmers herder herders teacher teachers student "
    "students youth youths activist activists businessman businessmen worker workers "
    "journalist journalists elder elders passenger passengers worshippers pilgrims".split()
)
_ARMED_WORDS = re.compile(
    r"\b(?:soldiers?|troops?|police\w*|officers?|militants?|fighters?|rebels?|forces?|"
    r"guards?|militia\w*|gunm[ae]n|insurgents?|combatants?|commanders?|members?)\b",
    re.IGNORECASE,
)


# where a target's head ends and what is said of it begins ("three civilians accused of
# spying for the army", "a commander of the militia")
_HEAD_END = re.compile(r"\s+(?:accused|suspected|who|whom|that|which|of|for|from|belonging|"
                       r"linked|affiliated|allegedly|said|in|at|near|on|with)\b", re.I)  # fmt: skip
# the head of a target who is someone's armed side: a fighter, a gangster, a soldier
_ARMED_HEAD = frozenset(
    "fighter fighters militant militants militiaman militiamen militia rebel rebels insurgent "
    "insurgents combatant combatants gunman gunmen soldier soldiers troops policeman "
    "policemen guard guards bandit bandits gangster gangsters traffickers trafficker "
    "commander commanders jihadist jihadists".split()
)
_FORMER = re.compile(r"\b(?:former|retired|ex-|off-duty|unarmed)", re.I)


def _head(phrase: str) -> list[str]:
    """The words of a target's head, before anything said of it."""
    return re.findall(r"[a-z]+", _HEAD_END.split(phrase.lower(), maxsplit=1)[0])


def _civilian_target(patient: Actor | None, phrase: str) -> bool:
    if patient is not None and patient.kind == "civilian":
        return True
    words = _head(phrase)
    return bool(words) and words[-1] in _PERSONS and not _ARMED_WORDS.search(" ".join(words))


def _armed_target(patient: Actor | None, phrase: str, text: str) -> bool:
    """The target is someone's armed side: a state's forces, "the militants", or a fighter,
    gangster or soldier of any side (not a former or off-duty one; a group's "member" may be
    a party's)."""
    words = _head(phrase)
    if words and words[-1] in _PERSONS:
        return False  # "three civilians accused of spying for the army"
    if patient is not None and (patient.kind == "state" or patient.name == GENERIC):
        return True
    if _FORMER.search(phrase) or _FORMER.search(text):
        return False
    return bool(words) and words[-1] in _ARMED_HEAD


def by_target(sub: str, patient: Actor | None, text: str, phrase: str = "") -> str:
    """ACLED's rule between an attack and an armed clash, when the model's choice of the two
    contradicts whom the violence was done to (``phrase``: the target as written): one-sided
    violence against civilians is an attack; against a state's forces or armed men an armed
    clash."""
    if sub not in ("Attack", "Armed clash") or (patient is None and not phrase):
        return sub
    if sub == "Armed clash" and _civilian_target(patient, phrase) and not _FOUGHT.search(text):
        return "Attack"
    if sub == "Attack" and _armed_target(patient, phrase, text):
        return "Armed clash"  # soldiers, police, "the militants", "a QSD fighter"
    return sub


# a crowd of no organised group, as a doer's head noun ("a mob of locals", "residents")
_CROWD = frozenset(
    "mob mobs crowd crowds locals residents villagers youths inhabitants neighbours "
    "neighbors vigilantes".split()
)


def by_doer(sub: str, doer: Actor | None, phrase: str, trigger: str = "") -> str:
    """ACLED's rule between mob violence and an attack: who did it. A crowd with no armed
    organisation (locals, residents, a mob) riots; a state's forces or armed men who beat,
    shoot or torture someone attack (not when they only step into a crowd's fight)."""
    words = re.findall(r"[a-z]+", phrase.lower())
    head = re.findall(r"[a-z]+", re.split(r"\bof\b", phrase.lower())[0])  # "residents of X"
    crowd = bool(head) and bool(set(words) & {"mob", "crowd"} or head[-1] in _CROWD)
    if (
        sub == "Attack"
        and crowd
        and not _ARMED_WORDS.search(phrase)
        and not re.search(r"\b(?:armed|gun)", phrase, re.I)
    ):
        return "Mob violence"
    if (
        sub == "Mob violence"
        and doer is not None
        and (doer.kind == "state" or doer.name == GENERIC)
        and _HARMED.match(trigger)
    ):
        return "Attack"
    return sub


_HARMED = re.compile(r"(?:beat|tortur|attack|shot|shoot|kill|assault|stabb|rap|abduct)", re.I)


# ACLED's riots need violence (by demonstrators or a crowd): a word of it in the account
VIOLENCE = re.compile(
    r"\b(?:riot\w*|clash\w*|violen\w*|threw|throw\w*|hurl\w*|ston(?:e|es|ed|ing)|rocks?|"
    r"burn\w*|burnt|torch\w*|set (?:on )?fire|fire to|arson|vandal\w*|loot\w*|damag\w*|"
    r"destroy\w*|smash\w*|attack\w*|assault\w*|beat\w*|lynch\w*|molotov|petrol bombs?|"
    r"fight\w*|fought|scuffl\w*|injur\w*|wound\w*|kill\w*|storm\w*|forced|"
    r"sticks?|machetes?|knives|stabb\w*|ransack\w*)\b",
    re.IGNORECASE,
)
INTERVENED = re.compile(
    r"\b(?:dispers\w*|tear ?gas|arrest\w*|detain\w*|broke up|water cannon|rubber bullets|"
    r"prevented|stopped)\b",
    re.IGNORECASE,
)


def without_violence(sub: str, paragraph: str, sentence: str) -> str:
    """``sub``, or the demonstration it is when ACLED's riot has no violence in the account
    (``paragraph``; ``sentence`` says whether the protest was stopped)."""
    if sub not in ("Violent demonstration", "Mob violence") or VIOLENCE.search(paragraph):
        return sub
    return "Protest with intervention" if INTERVENED.search(sentence) else "Peaceful protest"


# forces that stepped in, told anywhere in the protest's account ("Police reached the spot
# and controlled the situation", "Police intervened ... and dispersed", "Some protesters were
# arrested")
_STEPPED_IN = re.compile(
    r"\b(?:police|policemen|officers|forces|troops|soldiers|security|authorities|gendarm\w*|"
    r"military)\b[^.;]{0,80}?\b(?:interven\w*|dispers\w*|arrest\w*|detain\w*|stopp?\w*|"
    r"prevent\w*|broke\s+up|controlled\s+the\s+situation|tear ?gas|water\s+cannons?|"
    r"rubber\s+bullets)|\b(?:protesters|demonstrators|participants|activists|some|several|"
    r"they)\s+(?:\w+\s+)?(?:were|was)\s+(?:\w+\s+)?(?:arrested|detained|dispersed)\b",
    re.IGNORECASE,
)


_PROTESTING = re.compile(r"\b(?:protesters|protestors|demonstrators|marchers|protesting)\b", re.I)
# lethal force, or force that could kill: firing, shooting, killing, wounding
_LETHAL = re.compile(
    r"\b(?:fir(?:e|ed|ing)\s+(?:on|at|into)|open(?:ed)?\s+fire|shot|shoot\w*|kill\w*|wound\w*|"
    r"live\s+(?:ammunition|rounds|bullets))\b",
    re.I,
)
# violence by the demonstrators themselves: then it is a riot the forces answered
_RIOTING = re.compile(
    r"\b(?:protesters|protestors|demonstrators|rioters|crowd|mob)\s+(?:\w+\s+){0,2}?"
    r"(?:threw|hurled|pelted|torched|burned|burnt|set\s+fire|attacked|stormed|looted|"
    r"vandali[sz]ed|clashed)\b|\brioters\b",
    re.I,
)


def on_protesters(sub: str, doer: Actor | None, target: str, text: str) -> str:
    """ACLED's excessive force against protesters: a state's forces that fire on, shoot,
    kill or wound demonstrators (``target``) whom the account does not show rioting."""
    if (
        sub in ("Attack", "Armed clash", "Violent demonstration", "Mob violence",
                "Protest with intervention")
        and doer is not None
        and doer.kind == "state"
        and _PROTESTING.search(target)
        and _LETHAL.search(text)
        and not _RIOTING.search(text)
    ):  # fmt: skip
        return "Excessive force against protesters"
    return sub


def stepped_in(sub: str, paragraph: str) -> str:
    """``sub``, or a protest with intervention when it is a peaceful protest whose account
    tells of forces stepping in (ACLED codes the whole event, not its first sentence)."""
    if sub == "Peaceful protest" and _STEPPED_IN.search(paragraph):
        return "Protest with intervention"
    return sub


_REMOTE = frozenset({"Remote explosive/landmine/IED", "Shelling/artillery/missile attack",
                     "Air/drone strike", "Grenade", "Suicide bomb"})  # fmt: skip
_DISRUPTED = re.compile(
    r"\b(?:intercept\w*|defus\w*|dismantl\w*|neutrali[sz]\w*|recover\w*|seiz\w*|"
    r"confiscat\w*|controlled (?:explosion|detonation)|"
    r"(?:police|bomb squad|bomb disposal|sappers|army|troops|forces)\s+(?:(?!by\b)\w+\s+){0,2}?"
    r"(?:detonat|exploded|destroyed)\w*)",
    re.IGNORECASE,
)


def disrupted(sub: str, sentence: str) -> str:
    """``sub``, or a disrupted weapons use when the sentence tells of an explosive or a
    missile that was intercepted, defused, found or seized, or set off by the forces."""
    told = _UNHURT.sub(" ", sentence)  # "no casualties reported" tells of no one hurt
    if sub in _REMOTE and _DISRUPTED.search(sentence) and not _HURT.search(told):
        return "Disrupted weapons use"  # (a weapon stopped hurt no one)
    return sub


_HURT = re.compile(r"\b(?:kill\w*|dead|died|injur\w*|wound\w*|casualt\w*)", re.IGNORECASE)
_UNHURT = re.compile(
    r"\b(?:no|without|neither|nor|not)\s+(?:\w+\s+){0,2}?(?:kill|dead|died|injur|wound|"
    r"casualt|fatalit|death|one)\w*",
    re.IGNORECASE,
)
