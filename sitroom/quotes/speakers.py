"""Who a speaker phrase names: a person, an organisation, an anonymous source or a pronoun.

``describe`` reads the phrase written at a speech cue ("British Defence Secretary Ben Wallace",
"Ned Price, the State Department's spokesman", "a U.S. defense official", "he") with the
entities spaCy found in it, and splits it into a name, a role, an affiliation and, for
unnamed people, a type of anonymous source. Resolution across sentences is ``extract``'s job.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["ANONYMOUS_TYPES", "Speaker", "country_of", "describe", "same_person"]

ANONYMOUS_TYPES = ("official", "spokesperson", "witness", "local official", "resident", "source",
                   "diplomat", "military official", "expert")  # fmt: skip

# head noun -> anonymous type (singular and plural forms)
_ANON_HEADS = {
    **dict.fromkeys("official officials authority authorities lawmaker lawmakers legislator "
                    "legislators mp mps officer officers".split(), "official"),
    **dict.fromkeys("spokesman spokeswoman spokesperson spokespeople spokesmen spokeswomen "
                    "representative representatives".split(), "spokesperson"),
    **dict.fromkeys("witness witnesses eyewitness eyewitnesses".split(), "witness"),
    **dict.fromkeys("resident residents villager villagers local locals".split(), "resident"),
    **dict.fromkeys("source sources insider insiders".split(), "source"),
    **dict.fromkeys("diplomat diplomats envoy envoys ambassador".split(), "diplomat"),
    **dict.fromkeys("commander commanders soldier soldiers".split(), "military official"),
    **dict.fromkeys("expert experts analyst analysts".split(), "expert"),
}  # fmt: skip
_LOCAL = {"local", "provincial", "district", "municipal", "city", "village", "tribal", "regional"}
_MILITARY = {"military", "army", "security", "police"}
# Words that are offices, not names: stripped from the front of a name ("President Joe Biden").
TITLE_WORDS = set("""
president vice prime minister ministers secretary defence defense state foreign interior home
spokesman spokeswoman spokesperson senator sen. rep. representative gov. governor general gen.
lt. col. colonel commander chief leader mayor ambassador envoy member lawmaker mp official
senate republican democratic democrat house speaker department ministry council provincial
deputy acting former vice chairman chairwoman head director king queen prince sheikh mr. mrs.
ms. dr. mr mrs ms dr lord sir judge justice attorney admiral major captain sgt. sergeant
majority minority whip police army military parliament parliamentary local district regional
national security intelligence adviser advisor aide officer top senior new then
""".split())  # fmt: skip
_PRONOUNS = {"he": "m", "she": "f", "they": "p", "it": "n", "we": "p", "i": "", "you": ""}
_DETERMINERS = {"a", "an", "the", "one", "two", "three", "four", "five", "several", "some",
                "many", "other", "another", "both", "few", "a few", "most", "all"}  # fmt: skip
_PLURAL_DET = {"two", "three", "four", "five", "several", "some", "many", "both", "few", "all"}
_ORG_HEADS = set("""
administration government ministry department office embassy army military police group
militants insurgents movement taliban council parliament senate agency agencies committee
commission court party company organisation organization pentagon kremlin white house
coalition alliance forces command authorities spokesman's
""".split())  # fmt: skip
_GENERIC_ORG = {"group", "militants", "insurgents", "movement", "militant group", "insurgent group"}
_DEMONYMS = {
    "british": "Britain", "american": "U.S.", "us": "U.S.", "u.s.": "U.S.", "pakistani":
    "Pakistan", "afghan": "Afghanistan", "iranian": "Iran", "russian": "Russia", "chinese":
    "China", "indian": "India", "french": "France", "german": "Germany", "turkish": "Turkey",
    "qatari": "Qatar", "ukrainian": "Ukraine", "israeli": "Israel", "palestinian": "Palestine",
    "syrian": "Syria", "iraqi": "Iraq", "saudi": "Saudi Arabia", "canadian": "Canada",
    "australian": "Australia", "japanese": "Japan", "italian": "Italy", "spanish": "Spain",
    "egyptian": "Egypt", "lebanese": "Lebanon", "yemeni": "Yemen", "uzbek": "Uzbekistan",
    "tajik": "Tajikistan", "turkmen": "Turkmenistan", "european": "EU", "nato": "NATO",
    "u.n.": "U.N.", "un": "U.N.", "uk": "Britain", "u.k.": "Britain",
}  # fmt: skip
_WORD = re.compile(r"[\w.'’-]+")


@dataclass(frozen=True)
class Speaker:
    """What a speaker phrase says about who spoke."""

    text: str  # the phrase as written, determiners kept
    kind: str  # "person" | "org" | "anonymous" | "pronoun" | "definite" | "generic"
    name: str | None = None
    role: str | None = None
    affiliation: str | None = None
    anonymous: str | None = None
    pronoun: str = ""  # "m" | "f" | "p" (they) | "n" (it), for kind "pronoun"
    plural: bool = False
    head: str = ""  # the head noun, lower case ("spokesman", "official")


def country_of(word: str) -> str | None:
    """The country a demonym or country abbreviation stands for ("British" -> "Britain")."""
    low = word.lower().strip(",")
    return _DEMONYMS.get(low) or _DEMONYMS.get(low.strip("."))


def _clean(s: str) -> str:
    return " ".join(s.replace("’", "'").split()).strip(" ,;:-—–")


def _strip_det(words: list[str]) -> tuple[list[str], bool]:
    """Words without leading determiners, and whether a determiner made the phrase plural."""
    plural = False
    while words and words[0].lower() in _DETERMINERS:
        plural = plural or words[0].lower() in _PLURAL_DET
        words = words[1:]
    return words, plural


def _name_words(words: list[str]) -> tuple[list[str], list[str]]:
    """Split "British Defence Secretary Ben Wallace" into titles and the name."""
    i = 0
    while i < len(words) - 1 and (words[i].lower() in TITLE_WORDS or country_of(words[i])
                                  or not words[i][:1].isupper()
                                  or words[i].endswith(("'s", "’s"))):  # fmt: skip
        i += 1
    return words[:i], words[i:]


def _trailing_capitals(words: list[str]) -> int:
    """How many of the last words are capitalised and not office words."""
    n = 0
    for w in reversed(words):
        possessive = w.endswith(("'s", "’s"))  # "the State Department's Ned Price": an owner
        if (
            w[:1].isupper()
            and w.lower() not in TITLE_WORDS
            and not country_of(w)
            and not possessive
        ):
            n += 1
        else:
            break
    return n


def _affiliation(words: list[str]) -> tuple[str | None, list[str]]:
    """The affiliation a role phrase names, and the role words left ("Britain's defence
    secretary" -> "Britain", [defence, secretary]; "a spokesperson for the group")."""
    text = " ".join(words)
    m = re.match(r"^(.+?)\s+(for|of|from|with|at|in)\s+(?:the\s+)?(.+)$", text)
    if m and not m.group(1)[:1].isupper():
        head_words, owner = m.group(1).split(), re.sub(r"'s\b", "", m.group(3))
        if owner.lower().split()[0] == "parliament":
            return None, [*head_words, "of", *owner.split()]
        if m.group(2) == "of" and head_words and head_words[-1].lower() in ("member", "members"):
            return owner, [*head_words[:-1], owner.split()[-1], "member"]
        return owner, head_words
    m = re.match(r"^(.+?)'s\s+(.+)$", text)
    if m:
        owner, rest = m.group(1), m.group(2).split()
        if owner[:1].isupper() and not _is_country(owner):
            # an organisation's office: "the State Department's spokesman"
            return owner, [*owner.split(), *rest]
        return country_of(owner) or owner, rest
    if words and country_of(words[0]):
        return country_of(words[0]), words[1:]
    caps = [w for w in words[:-1] if w[:1].isupper() and w.lower() not in TITLE_WORDS]
    if caps:
        return " ".join(caps), words
    return None, words


def _is_country(word: str) -> bool:
    return (
        country_of(word) is not None
        or word in {v for v in _DEMONYMS.values()}
        or word in {"Afghanistan", "Pakistan", "Britain", "America", "Herat", "Kandahar", "Kabul"}
    )


def describe(phrase: str, entities: Sequence[tuple[int, int, str]] = ()) -> Speaker:
    """Read a speaker phrase; ``entities``: (start, end, label) relative to ``phrase``."""
    text = _clean(re.split(r",\s*(?:who|which|whose|whom)\b", phrase)[0])
    low = text.lower()
    if low in _PRONOUNS:
        return Speaker(text, "pronoun", pronoun=_PRONOUNS[low], plural=low in ("they", "we"),
                       head=low)  # fmt: skip
    persons = [(s, e) for s, e, lab in entities if lab == "PERSON" and e <= len(phrase)]
    orgs = [phrase[s:e] for s, e, lab in entities if lab in ("ORG", "GPE", "NORP")]
    parts = [p.strip() for p in re.split(r"\s*,\s*", text) if p.strip()]
    name_part, role_parts = None, []
    for p in parts:
        pw = _WORD.findall(p)
        has_person = any(phrase[s:e].strip() and phrase[s:e] in p for s, e in persons)
        named = has_person or _looks_named(pw, orgs)
        if name_part is None and pw and pw[-1][:1].isupper() and named:
            name_part = p
        else:
            role_parts.append(p)
    words = _strip_det(_WORD.findall(name_part))[0] if name_part is not None else []
    if name_part is not None and words:  # only a determiner ("THE", in capitals): no name
        n = max(1, _trailing_capitals(words))
        titles, name = words[:-n], words[-n:]
        ent = next((phrase[s:e] for s, e in persons if phrase[s:e] in name_part), None)
        if ent:  # a name with a lower-case particle ("Gulbuddin al Hekmatyar")
            ent_words = _name_words(_WORD.findall(ent))[1]
            if len(ent_words) > len(name) and ent_words[-n:] == name:
                name = ent_words
                titles = words[: max(0, len(words) - len(name))]
        if titles and titles[-1].endswith(("'s", "’s")):  # "the State Department's Ned Price"
            owner = " ".join(titles)[:-2]
            return Speaker(text, "person", name=" ".join(name), affiliation=owner,
                           head=name[-1].lower())  # fmt: skip
        role_words = titles
        if role_parts and not titles:
            role_words, _ = _strip_det(_WORD.findall(role_parts[0]))
        aff, rw = _affiliation(role_words) if role_words else (None, [])
        role = _clean(" ".join(rw)) or None
        if aff is None and titles and role_parts:
            aff, _ = _affiliation(_strip_det(_WORD.findall(role_parts[0]))[0])
        return Speaker(text, "person", name=" ".join(name).rstrip("'s"), role=role,
                       affiliation=_clean(aff) if aff else None, head=name[-1].lower())  # fmt: skip
    words, plural = _strip_det(_WORD.findall(text))
    if not words:
        return Speaker(text, "generic")
    head_words = re.split(r"\s+(?:for|of|from|in|at|with)\s+", " ".join(words), maxsplit=1)[0]
    head = head_words.split()[-1].lower() if head_words.split() else ""
    plural = plural or (head.endswith("s") and head not in ("spokeswoman",) and head[-2:] != "ss")
    definite = low.startswith(("the ", "this ", "that "))
    if head in _ANON_HEADS:
        anon = _ANON_HEADS[head]
        mods = {w.lower() for w in head_words.split()[:-1]}
        if anon == "official" and mods & _LOCAL:
            anon = "local official"
        elif anon == "official" and mods & _MILITARY:
            anon = "military official"
        aff, rw = _affiliation(words)
        if aff and (aff.lower() in _LOCAL | _MILITARY or not aff[:1].isupper()):
            aff = aff if aff.lower() in ("government", "group") else None
        if aff is None:
            caps = [
                w
                for w in head_words.split()[:-1]
                if w.lower() not in _LOCAL | _MILITARY
                and (w[:1].isupper() or w.lower() == "government")
            ]
            aff = " ".join(caps) or None
            if caps and country_of(caps[0]) and len(caps) == 1:
                aff = country_of(caps[0])
        kind = "definite" if definite and not plural else "anonymous"
        return Speaker(text, kind, role=_clean(" ".join(rw)) or None, affiliation=aff,
                       anonymous=anon, plural=plural, head=head)  # fmt: skip
    joined = " ".join(words)
    if joined.lower() in _GENERIC_ORG or (
        joined.lower().split()[-1] in _GENERIC_ORG and not any(w[:1].isupper() for w in words)
    ):
        return Speaker(text, "generic", plural=True, head=head)
    if any(w[:1].isupper() for w in words) or head in _ORG_HEADS or orgs:
        org = joined
        ent = next((o for o in orgs if o in text), None)
        if ent and len(_strip_det(ent.split())[0]) >= len(words) - 1:
            org = " ".join(_strip_det(ent.split())[0])
        if country_of(org) and org.lower() not in ("us", "u.s.", "un", "u.n.", "nato"):
            org = country_of(org) or org
        return Speaker(text, "org", name=org, head=head, plural=plural)
    return Speaker(text, "generic", plural=plural, head=head)


def _looks_named(words: list[str], orgs: Sequence[str]) -> bool:
    """A phrase ending in two or more capitalised words that are not offices or organisations
    ("provincial council member Ghulam Habib Hashimo") names a person spaCy did not tag."""
    n = _trailing_capitals(words)
    tail = " ".join(words[-n:]) if n else ""
    return n >= 2 and not any(tail == o or (tail in o and o.istitle()) for o in orgs)


def same_person(short: str, full: str) -> bool:
    """Whether ``short`` ("Hashimo", "Biden") is a shortening of ``full`` ("Ghulam Habib
    Hashimo", "Joe Biden")."""
    s, f = short.lower().split(), full.lower().split()
    return bool(s) and len(s) < len(f) and f[-len(s) :] == s
