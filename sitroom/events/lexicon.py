"""ACLED's event taxonomy and the trigger words that open each kind of event.

A trigger is a verb or a noun whose lemma names what happened ("captured", "the fall of",
"airstrike"). Each maps to a *class* of event; the class and what the parse finds around the
trigger (who did it, to whom, where) decide the ACLED type and sub-type in ``frames.py``:

- ``takeover``: a place changes hands by force: non-state actor overtakes territory, or
  government regains territory when the actor is a state's forces;
- ``transfer``: it changes hands without a fight (handed over, surrendered, withdrew from);
- ``clash``: armed clash; ``attack`` is an armed clash between armed groups and violence
  against civilians when the victims are civilians;
- ``air``, ``shelling``, ``ied``, ``suicide``, ``grenade``, ``explosion``: remote violence;
- ``kill``, ``abduct``, ``sexual``: violence against civilians unless the victims are armed;
- ``protest``, ``riot``; ``arrest``, ``agreement``, ``deploy`` (troop deployments and
  evacuations: Strategic developments / Other), ``loot``, ``base``, ``change``.

Lexicons are general conflict-reporting vocabulary (ACLED's codebook and the CAMEO verb
dictionary's families), not words from any one corpus.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "ACLED",
    "ARMED_WORDS",
    "CIVILIAN_WORDS",
    "NOUN_TRIGGERS",
    "SITE_WORDS",
    "VERB_TRIGGERS",
]

BATTLES = "Battles"
REMOTE = "Explosions/Remote violence"
VAC = "Violence against civilians"
PROTESTS = "Protests"
RIOTS = "Riots"
STRATEGIC = "Strategic developments"

# event type -> its sub-event types (ACLED codebook)
ACLED: Final[dict[str, tuple[str, ...]]] = {
    BATTLES: (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    REMOTE: (
        "Air/drone strike",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Suicide bomb",
        "Grenade",
        "Chemical weapon",
    ),
    VAC: ("Attack", "Abduction/forced disappearance", "Sexual violence"),
    PROTESTS: (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    RIOTS: ("Violent demonstration", "Mob violence"),
    STRATEGIC: (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}

# verb lemma -> event class. Particles and objects refine some in frames.py ("take" needs a
# place or "control" as object; "send" and "fly" need troops).
VERB_TRIGGERS: Final[dict[str, str]] = {
    # territory
    "capture": "takeover", "seize": "takeover", "overrun": "takeover", "conquer": "takeover",
    "take": "takeover", "fall": "takeover", "retake": "takeover", "recapture": "takeover",
    "reclaim": "takeover", "liberate": "takeover", "storm": "takeover", "occupy": "takeover",
    "control": "takeover", "enter": "takeover", "overtake": "takeover", "regain": "takeover",
    "surrender": "transfer", "cede": "transfer", "hand": "transfer", "abandon": "transfer",
    "withdraw": "transfer", "evacuate": "deploy",
    # fighting
    "clash": "clash", "fight": "clash", "battle": "clash", "ambush": "clash",
    "attack": "attack", "assault": "attack", "raid": "attack", "strike": "attack",
    "bomb": "air", "airstrike": "air", "shell": "shelling", "bombard": "shelling",
    "explode": "explosion", "detonate": "explosion", "blow": "explosion",
    "kill": "kill", "shoot": "kill", "execute": "kill", "massacre": "kill", "behead": "kill",
    "murder": "kill", "slaughter": "kill", "lynch": "kill", "torture": "kill", "beat": "kill",
    "injure": "kill", "wound": "kill", "stab": "kill", "assassinate": "kill",
    "machinegun": "kill", "dynamite": "explosion", "burn": "loot", "sabotage": "loot",
    "abduct": "abduct", "kidnap": "abduct",
    "rape": "sexual",
    # unrest
    "protest": "protest", "demonstrate": "protest", "rally": "protest", "march": "protest",
    "riot": "riot", "torch": "riot", "vandalize": "riot",
    # strategic
    "arrest": "arrest", "detain": "arrest", "apprehend": "arrest", "jail": "arrest",
    "sign": "agreement", "agree": "agreement",
    "deploy": "deploy", "send": "deploy", "dispatch": "deploy", "fly": "deploy",
    "airlift": "deploy", "station": "deploy", "reinforce": "deploy",
    "loot": "loot", "plunder": "loot", "ransack": "loot",
    "establish": "base",
}  # fmt: skip

# noun lemma -> event class ("the capture of Kandahar", "an airstrike on ...")
NOUN_TRIGGERS: Final[dict[str, str]] = {
    "capture": "takeover", "seizure": "takeover", "fall": "takeover", "loss": "takeover",
    "takeover": "takeover", "recapture": "takeover", "liberation": "takeover",
    "handover": "transfer", "surrender": "transfer",
    "clash": "clash", "fighting": "clash", "battle": "clash", "firefight": "clash",
    "gunfight": "clash", "skirmish": "clash", "ambush": "clash", "offensive": "clash",
    "attack": "attack", "assault": "attack", "raid": "attack",
    "airstrike": "air", "strike": "air", "bombing": "explosion", "bombardment": "shelling",
    "shelling": "shelling", "artillery": "shelling", "mortar": "shelling", "rocket": "shelling",
    "missile": "shelling",
    "ied": "ied", "landmine": "ied", "mine": "ied",
    "explosion": "explosion", "blast": "explosion", "bomb": "explosion",
    "grenade": "grenade",
    "massacre": "kill", "killing": "kill", "execution": "kill", "shooting": "kill",
    "assassination": "kill", "murder": "kill", "arson": "loot", "sabotage": "loot",
    "abduction": "abduct", "kidnapping": "abduct",
    "protest": "protest", "demonstration": "protest", "rally": "protest", "march": "protest",
    "sit-in": "protest", "strike_action": "protest",
    "riot": "riot", "unrest": "riot",
    "arrest": "arrest", "detention": "arrest",
    "agreement": "agreement", "ceasefire": "agreement", "truce": "agreement",
    "deal": "agreement", "accord": "agreement",
    "deployment": "deploy", "evacuation": "deploy", "airlift": "deploy",
    "looting": "loot",
}  # fmt: skip

# Armed actors: who they are decides Battles vs Violence against civilians
ARMED_WORDS: Final[frozenset[str]] = frozenset(
    "forces force troops troop soldiers soldier army military militants militant insurgents "
    "insurgent rebels rebel fighters fighter gunmen gunman police policemen officers guards "
    "militia militias militiamen commandos paramilitaries jihadists jihadist extremists "
    "terrorists terrorist operators personnel marines security defenders guerrillas guerrilla "
    "subversives paramilitary hitmen assailants attackers".split()
)

CIVILIAN_WORDS: Final[frozenset[str]] = frozenset(
    "civilians civilian people villagers residents women children men girls boys students "
    "worshippers journalists journalist reporters farmers workers passengers pilgrims "
    "protesters protestors demonstrators family families teacher teachers doctors nurses "
    "shoppers refugees mourners patients".split()
)

# Parts of a town that can be held apart from it ("the airport", "the military base")
SITE_WORDS: Final[frozenset[str]] = frozenset(
    "airport airbase base barracks garrison headquarters compound prison jail palace "
    "citadel fort outpost checkpoint border crossing bridge dam highway road".split()
)
