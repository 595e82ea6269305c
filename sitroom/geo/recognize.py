"""Finding place mentions: spaCy's entities, checked and completed by the gazetteer.

spaCy's small English model misses or mislabels many non-Western places ("Lashkar Gah" as a
person, "Herat" as an organisation). Mentions therefore come from three sources, then merge
(the longer span wins an overlap):

Place names inside organisations' names ("the Ohio Department of Transportation") are kept
with the source "embedded": they are places, but not where the news happened.

1. entities labelled GPE, LOC or FAC, less a leading "the" and a trailing "'s";
   NORP entities that are demonyms ("Afghan", "Pakistani") as mentions of their country;
2. runs of proper nouns that the gazetteer knows, when any of these holds: the name is a
   country, a first-level region or a named region; the words around it are locative ("in",
   "near", "outside", "the city of", "X province", "X, Afghanistan"); or the name is a place
   in one of the document's countries (as its entities and demonyms show) and not part of a
   longer person or organisation name;
3. "X province", "province of X", "X district": the place-type word marks X as a place.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from sitroom.geo.build import (
    AP_STATES,
    CA_PROVINCES,
    KIND_ADMIN1,
    KIND_ADMIN2,
    KIND_CITY,
    KIND_COUNTRY,
    KIND_LANDMARK,
    KIND_REGION,
)
from sitroom.geo.gazetteer import Gazetteer, abbreviation_form
from sitroom.geo.names import normalize
from sitroom.nlp import Analysis, Token

__all__ = ["Found", "abbreviates", "find_mentions"]

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
LOCATIVE = re.compile(
    r"(?:\b(?:in|near|at|from|to|into|outside|inside|across|around|toward|towards|through|"
    r"throughout|via|across|between|of the city of|the town of|the city of|the village of|"
    r"the province of|the district of|capital of|provinces of|cities of|towns of|villages of|"
    r"based in|north of|south of|east of|west of|northeast of|northwest of|southeast of|"
    r"southwest of|(?:\w+ern\s+)?(?:countryside|outskirts|suburbs|vicinity|environs) of|"
    # a place's own parts and people: "the port of Hodeidah", "residents of Aleppo"
    r"(?:streets|centre|center|heart|port|hospitals?|university|prison|airport|residents|"
    r"inhabitants|mayor|governor|municipality) of)"
    r"\s+(?:the\s+)?)$",
    re.IGNORECASE,
)
_TYPE_AFTER = re.compile(
    r"^\s+(?:province|provinces|district|city|county|state|region|governorate|town|village|"
    r"valley|airport|border|area)\b",
    re.IGNORECASE,
)
# Words after a name that make it a place whatever its spelling.
_PLACE_AFTER = re.compile(
    r"^(?:\s+in\s+the\s+(?:north|south|east|west|northeast|northwest|southeast|southwest|"
    r"centre|center)\b|\s*,\s*(?:the\s+)?(?:capital|provincial capital|a town|a city|a village|"
    r"a district)\s+(?:of|in)\b|\s+(?:province|district|city|town|village)\b)",
    re.IGNORECASE,
)
_COMMA_NAME = re.compile(
    r"^\s*,\s+([A-Z][\w.'’-]*(?:\s+(?:(?:de|del|da|do|dos|das|la|el|al)\s+)?[A-Z][\w.'’-]*){0,2})"
)
# Capitalised words that GeoNames has as some hamlet's name or alias but news uses otherwise.
BLOCK = frozenset(
    """january february march april may june july august september october november december jan
    feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday president secretary minister ministry general governor senator senate
    congress parliament king queen prince princess sheikh mullah imam pope chief commander
    embassy army police government council court university hospital airport church mosque god
    allah islam islamic christmas ramadan eid easter taliban reuters mr mrs ms dr sir lord north
    south east west central western eastern northern southern sen rep gov lt gen col sgt capt
    maj adm supt det rev hon day city hall region province district county state capital
    municipality metro tour""".split()
)
_TYPE_SUFFIX = re.compile(
    r"\s+(?:[Pp]rovince|[Dd]istrict|[Cc]ity|County|[Ss]tate|[Rr]egion|[Gg]overnorate)$"
)
_PROVINCE_OF = re.compile(r"\b(?:[Pp]rovince|[Dd]istrict|[Gg]overnorate) of\s+$")
_MAX_WORDS = 5
_NUMBERED = re.compile(r"\s+(?:No\.?|Number|#)\s*\d")
# a person's full name as news writes it: two to four capitalised words on one line
_FULL_NAME = re.compile(r"^[A-Z][\w.'’-]*(?:[ ]+[A-Z][\w.'’-]*){1,3}$")
# the last of two or more capitalised words ending a person's name: a first name (or an
# initial) and a surname, whatever titles come before them
_SURNAME = re.compile(r"\b[A-Z][\w'’-]*\.?[ ]+(?:[A-Z]\.[ ]+)?([A-Z][a-z][\w'’-]+)$")
# the last of a chain of names after a locative word: "in Barangay Camudlas, Bindoy, "
# before "Negros Oriental" (the chain narrows from village to province)
_IN_CHAIN = re.compile(
    r"\b(?:in|near|at|outside|from)\s+(?:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3},\s+){1,3}$"
)
# a capitalised name, then "," or "(": what follows may be its region ("Goma, Nord-Kivu")
# a name and its comma or bracket, or a place-type word's: "Herat, ", "Goma (", "in Nad Ali
# district, " (a region follows: "... district, Helmand")
_AFTER_NAME = re.compile(
    r"[A-Z][\w'’-]+(?:\s*\(\s*[A-Z][\w'’-]+)?"
    r"(?:\s+(?:district|province|county|sub-?district|area|village|town|commune|municipality))?"
    r"\s*[,(]\s*$"
)


@dataclass(frozen=True)
class Found:
    """A place mention: ``text[start:end]``, how it was found, and spaCy's label if any."""

    start: int
    end: int
    text: str
    # "entity", "gazetteer", "pattern", "demonym", "variant", or "embedded": a place name
    # inside an organisation's name ("Ohio Department of Transportation"), not a place of
    # the news itself
    source: str
    label: str = ""


def _split_qualified(text: str, s: int, e: int, gaz: Gazetteer) -> list[tuple[int, int]]:
    """An entity "Nis, Serbia" or "Adu, Plateau, Nigeria" as its places: split at its commas
    when every part after the first is a country or a first-level region."""
    if e <= s:
        return []
    if "," not in text[s:e]:
        return [(s, e)]
    spans = []
    at = s
    for part in text[s:e].split(","):
        lead = len(part) - len(part.lstrip())
        spans.append((at + lead, at + len(part.rstrip())))
        at += len(part) + 1
    if any(b <= a for a, b in spans):
        return [(s, e)]
    for a, b in spans[1:]:
        if not any(c.kind in (KIND_COUNTRY, KIND_ADMIN1) for c in gaz.lookup(text[a:b])):
            return [(s, e)]
    return spans


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    span = text[s:e]
    for lead in ("the ", "The "):
        if span.startswith(lead):
            s += len(lead)
            span = span[len(lead) :]
    for tail in ("'s", "’s", "'", "’"):
        if span.endswith(tail):
            e -= len(tail)
            span = span[: -len(tail)]
    return s, e


def find_mentions(text: str, nlp: Analysis, gaz: Gazetteer) -> list[Found]:
    """Every place mention of ``text``, in order, given its spaCy analysis."""
    found: list[Found] = []
    blockers: list[tuple[int, int, str]] = []
    countries: Counter[str] = Counter()
    for s, e, label in nlp.entities:
        if label in PLACE_LABELS:
            for s2, e2 in _split_qualified(text, *_trim(text, s, e), gaz):
                if normalize(text[s2:e2]) in BLOCK or not text[s2 : s2 + 1].isupper():
                    continue
                found.append(Found(s2, e2, text[s2:e2], "entity", label))
                for c in gaz.lookup(text[s2:e2]):
                    if c.kind == KIND_COUNTRY:
                        countries[c.country_code] += 1
        elif label == "NORP":
            place = gaz.demonym(text[s:e])
            if place is not None:
                found.append(Found(s, e, text[s:e], "demonym", label))
                countries[gaz.candidate(place).country_code] += 1
        elif label in ("PERSON", "ORG", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW"):
            blockers.append((s, e, label))
    # one sense per discourse: a name spaCy or the text marks as a place once is a place in
    # every other mention of the same document, whatever spaCy calls it there
    votes: Counter[str] = Counter()
    for s, e, label in nlp.entities:
        vote = 1 if label in ("GPE", "LOC") else -1 if label in ("PERSON", "ORG") else 0
        votes[normalize(text[s:e])] += vote
    known = {
        n for n in (normalize(f.text) for f in found if f.label in ("GPE", "LOC"))
        if votes[n] >= 0 or " " in n or _big(gaz, n)
    }  # fmt: skip
    # a big city's name spaCy took for a person is a city, unless a person of that name
    # appears in full ("Andrew Jackson")
    names_of_people = {
        w for s, e, label in nlp.entities
        if label == "PERSON" and " " in text[s:e].strip() and _FULL_NAME.match(text[s:e])
        for w in normalize(text[s:e]).split()
    }  # fmt: skip
    # and the surname of a full name that comes with its title ("County Clerk Dean Johnson")
    names_of_people |= {
        normalize(m.group(1)) for s, e, label in nlp.entities if label == "PERSON"
        for m in [_SURNAME.search(text[s:e].strip())] if m is not None
    }  # fmt: skip
    known |= {
        normalize(text[s:e]) for s, e, label in nlp.entities
        if label == "PERSON" and " " not in text[s:e].strip()
        and normalize(text[s:e]) not in names_of_people and _big(gaz, normalize(text[s:e]))
    }  # fmt: skip
    known -= names_of_people
    runs = _gazetteer_runs(text, nlp.tokens, gaz, blockers, set(countries), known,
                           _anchors(text, found, gaz))  # fmt: skip
    found.extend(runs)
    found.extend(_patterns(text))
    top = {c for c, _ in countries.most_common(2)}
    found.extend(_spelling_variants(text, nlp.tokens, gaz, top))
    repeats = _repeats(text, found, blockers)  # before the merge: a variant may lose its span
    merged = _merge(_merge(found) + repeats)  # to spaCy's entity but still vouches for the name
    sick = _diseases(text)
    acronyms = _acronyms(text, gaz)
    return [f for f in merged if normalize(f.text) not in sick
            and not _someones_name(text, f, gaz, names_of_people)
            and f.text not in acronyms
            and not _seat_of_power(text, f)
            and not _THING_AFTER.match(text, f.end)]  # fmt: skip


# A name right before one of these nouns names a thing, not a place: a currency ("the US
# dollar", "the Lebanese pound" is a demonym's), an eponym ("Molotov cocktails")
_THING_AFTER = re.compile(
    r"[\s-]+(?:dollars?|euros?|pounds? sterling|pesos?|rupees?|dinars?|rials?|riyals?|"
    r"yuan|yen|francs?|shillings?|cocktails?)\b",
    re.IGNORECASE,
)


_BRACKETED = re.compile(r"\(([A-Z]{2,6})\)")


def abbreviates(words: str, acronym: str) -> bool:
    """Whether ``acronym`` ("DC") is the initials of the capitalised words ending ``words``
    ("the Kahda District Commissioner")."""
    found = re.findall(r"[A-Za-z][\w'’-]*", words)
    return acronym.isupper() and "".join(w[0] for w in found if w[0].isupper()).endswith(acronym)


def _acronyms(text: str, gaz: Gazetteer) -> set[str]:
    """Short capitalised names a text defines in brackets right after the words they
    abbreviate ("the Kahda District Commissioner (DC)", "Islamic State (IS)"): no places,
    there or anywhere else in the text ("the DC's family")."""
    out = set()
    for m in _BRACKETED.finditer(text):
        if abbreviates(text[max(0, m.start() - 120) : m.start()], m.group(1)) and not any(
            c.kind == KIND_COUNTRY for c in gaz.lookup(m.group(1))
        ):  # a country's ("the Democratic Republic of Congo (DRC)") is the country still
            out.add(m.group(1))
    return out


# Buildings whose name stands for a government ("the White House said", "the Kremlin
# denied"): the government, no place of the news, unless the words before it place
# something there ("at the White House", "outside the Kremlin").
SEATS_OF_POWER = frozenset({"white house", "kremlin", "pentagon", "downing street", "capitol hill",
                            "elysee", "elysee palace", "zhongnanhai", "blue house"})  # fmt: skip
_AT = re.compile(
    r"\b(?:at|outside|inside|near|in front of|on|to|into|from|in|toward|towards|around|"
    r"across from|the grounds of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _seat_of_power(text: str, f: Found) -> bool:
    if normalize(f.text) not in SEATS_OF_POWER:
        return False
    return not _AT.search(text[max(0, f.start - 20) : f.start])


_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)(?:\s|$)")


def _someones_name(text: str, f: Found, gaz: Gazetteer, people: set[str]) -> bool:
    """A one-word name that is a word of a person's full name in the same document ("Farrin"
    after "Robert Farrin", "Polk" after "Trent Polk"): the person again, unless the words
    around it say it is a place ("in Polk", "Polk County") or it names a country; a
    possessive after it ("to Smith's head", "from Jones' car") is the person's whatever
    comes before it."""
    norm = normalize(f.text)
    if " " in norm or norm not in people or f.source in ("pattern", "variant", "demonym"):
        return False
    if _POSSESSIVE.match(text[f.end : f.end + 3]) and not _TYPE_AFTER.match(
        text[f.end : f.end + 25]
    ):
        return not any(c.kind == KIND_COUNTRY for c in gaz.lookup(f.text))  # "to Smith's head"
    if LOCATIVE.search(text[max(0, f.start - 30) : f.start]) or _TYPE_AFTER.match(
        text[f.end : f.end + 25]
    ):
        return False
    return not any(c.kind == KIND_COUNTRY for c in gaz.lookup(f.text))


# A name before one of these words is a disease's ("West Nile virus", "Lassa fever", "Lyme
# disease", "Spanish flu"), in every mention of the document; and these names are diseases
# whatever follows them in the news ("Ebola" is a river, "Zika" a forest).
_DISEASE_AFTER = re.compile(
    r"\s+(?:virus|viruses|viral|fever|disease|flu|influenza|outbreak|outbreaks|vaccine|"
    r"vaccines|strain|epidemic|pandemic|infection|infections|encephalitis|syndrome|cases)\b",
    re.IGNORECASE,
)
_DISEASE_NAME = re.compile(
    r"\b((?:[A-Z][\w'’-]*)(?:\s+[A-Z][\w'’-]*){0,2})(?=" + _DISEASE_AFTER.pattern + ")",
    re.IGNORECASE,
)
DISEASES = frozenset(
    {"ebola", "zika", "sars", "mers", "covid", "covid 19", "coronavirus", "h1n1", "h5n1",
     "swine flu", "bird flu", "west nile", "marburg", "chikungunya", "dengue", "hantavirus"}
)  # fmt: skip


def _diseases(text: str) -> set[str]:
    """Names the document uses for a disease: the fixed ones and every name it writes
    before "virus", "fever", "disease", "flu"... (and each tail of such a name: "Nile" of
    "West Nile")."""
    out = set(DISEASES)
    for m in _DISEASE_NAME.finditer(text):
        words = normalize(m.group(1)).split()
        if words and m.group(1)[:1].isupper():
            out.update(" ".join(words[i:]) for i in range(len(words)))
    return out


def _repeats(text: str, found: list[Found], blockers: list[tuple[int, int, str]]) -> list[Found]:
    """Every other occurrence of a name the text itself marks as a place (a place-type word,
    a locative spelling variant): the headline's "Qala-e-Naw" once the body has shown it is
    a place. Not inside a longer person's or organisation's name."""
    names = {f.text for f in found if len(f.text) > 3 and f.source in ("variant", "pattern")}
    out = []
    for name in names:
        for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            s, e = m.start(), m.end()
            if not any(b[0] <= s and e <= b[1] and b[1] - b[0] > e - s for b in blockers):
                out.append(Found(s, e, name, "repeat"))
    return out


_JOINED = re.compile(r"^[-‐][a-z]{1,3}[-‐ ][A-Z]")
_JOINED_BEFORE = re.compile(r"[A-Z][\w]*[-‐ ][a-z]{1,3}[-‐]$")


def _anchors(text: str, found: list[Found], gaz: Gazetteer) -> set[int]:
    """The first-level regions the document's place entities most likely lie in: each name's
    most populous reading (a region itself counts as its own)."""
    out: set[int] = set()
    for f in found:
        if f.label not in ("GPE", "LOC"):
            continue
        cands = [c for c in gaz.lookup(f.text) if c.kind in (KIND_CITY, KIND_ADMIN1, KIND_ADMIN2)]
        if cands:
            top = max(cands, key=lambda c: (c.kind == KIND_ADMIN1, c.population))
            out.add(top.place if top.kind == KIND_ADMIN1 else top.admin1_place)
    out.discard(-1)
    return out


def _hyphenated(text: str, s: int, e: int) -> bool:
    """Part of a joined name: "Qala" of "Qala-e-Naw", "Sharif" of "Mazar-i-Sharif"."""
    return bool(_JOINED.match(text[e : e + 6]) or _JOINED_BEFORE.search(text[max(0, s - 12) : s]))


def famous_name(gaz: Gazetteer, name: str) -> bool:
    """A country's, a first-level region's or a named region's name."""
    return any(
        c.kind in (KIND_COUNTRY, KIND_ADMIN1, KIND_REGION, KIND_LANDMARK) for c in gaz.lookup(name)
    )


def _big(gaz: Gazetteer, norm: str) -> bool:
    return any(c.population >= 100_000 for c in gaz.lookup_normalized(norm))


def _spelling_variants(
    text: str, tokens: list[Token], gaz: Gazetteer, countries: set[str]
) -> list[Found]:
    """Proper-noun runs the gazetteer knows only in another spelling ("Qala-e-Naw" for Qala i
    Naw), taken when the words around them say they are places and a place of that
    spelling lies in one of the document's countries."""
    out = []
    i = 0
    while i < len(tokens):
        if tokens[i].pos != "PROPN" or not text[tokens[i].start : tokens[i].start + 1].isupper():
            i += 1
            continue
        j = i
        while (
            j + 1 < len(tokens)
            and tokens[j + 1].pos in ("PROPN", "PUNCT")
            and (tokens[j + 1].start - tokens[j].end <= 1)
            and text[tokens[j + 1].start] not in ',.;:()"'
        ):
            j += 1
        s, e = tokens[i].start, tokens[j].end
        name = text[s:e]
        before, after = text[max(0, s - 30) : s], text[e : e + 40]
        cue = LOCATIVE.search(before) or _PLACE_AFTER.match(after)
        unknown = bool(cue) and normalize(name) not in BLOCK and not gaz.lookup(name)
        if unknown and any(c.country_code in countries for c in gaz.lookup_fuzzy(name)):
            out.append(Found(s, e, name, "variant"))
        i = j + 1
    return out


def _gazetteer_runs(
    text: str,
    tokens: list[Token],
    gaz: Gazetteer,
    blockers: list[tuple[int, int, str]],
    countries: set[str],
    known: set[str],
    anchors: set[int] = frozenset(),  # type: ignore[assignment]
) -> list[Found]:
    out: list[Found] = []
    i = 0
    n = len(tokens)
    while i < n:
        t = tokens[i]
        if t.pos != "PROPN" or not text[t.start : t.start + 1].isupper():
            i += 1
            continue
        match = None
        for k in range(min(_MAX_WORDS, n - i), 0, -1):
            span = tokens[i : i + k]
            if any(x.pos not in ("PROPN", "PUNCT") and not _connector(text, x) for x in span):
                continue
            if span[-1].pos == "PUNCT" or _connector(text, span[-1]):
                continue
            s, e = span[0].start, span[-1].end
            if _hyphenated(text, s, e):
                continue  # "Qala" of "Qala-e-Naw": part of a longer word
            norm = normalize(text[s:e])
            short = len(norm) < 3 and not abbreviation_form(text[s:e])
            if len(norm) < 2 or short or not gaz.has_name(norm):
                continue
            verdict = _accept(text, s, e, gaz, blockers, countries, norm in known, anchors)
            if verdict:
                match = (s, e, k, "embedded" if verdict == "embedded" else "gazetteer")
                break
        if match:
            s, e, k, how = match
            out.append(Found(s, e, text[s:e], how))
            i += k
        else:
            i += 1
    return out


_CONNECTORS = frozenset({"i", "e", "al", "el", "ul", "ud", "ye", "de", "da", "di", "du", "la",
                         "le", "of", "-", "do", "dos", "das", "del", "della", "des"})  # fmt: skip


_KNOWN_ABBREVIATIONS = frozenset({"us", "usa", "uk", "uae", "eu", "dc", "nyc", "drc", "prc",
                                  "dprk"})  # fmt: skip
_DOTTED_NAMES = frozenset(AP_STATES) | frozenset(CA_PROVINCES)


_JOINED_CONNECTORS = frozenset({"on", "upon", "am", "an", "der", "en", "sur", "les", "lès",
                                 "sous", "under", "by", "in", "the"})  # fmt: skip


def _connector(text: str, t: Token) -> bool:
    """A small word inside a place name: "Mazar-i-Sharif", "Dera Ismail Khan", "Bay of";
    and between hyphens, "on" of "Rostov-on-Don", "upon" of "Stratford-upon-Avon"."""
    word = text[t.start : t.end].lower()
    if word in _CONNECTORS:
        return True
    return (
        word in _JOINED_CONNECTORS
        and text[t.start - 1 : t.start] in ("-", "‐")
        and text[t.end : t.end + 1] in ("-", "‐")
    )


def _accept(
    text: str,
    s: int,
    e: int,
    gaz: Gazetteer,
    blockers: list[tuple[int, int, str]],
    countries: set[str],
    known: bool = False,
    anchors: set[int] = frozenset(),  # type: ignore[assignment]
) -> bool | str:
    """A gazetteer name outside spaCy's place entities is a place when the text says so."""
    name = text[s:e]
    norm = normalize(name)
    if norm in BLOCK:
        return False
    if _NUMBERED.match(text[e : e + 12]):
        return False  # "Ward No. 10", "Block No 3": a part of an address, numbered
    inside = [b for b in blockers if b[0] <= s and e <= b[1]]
    longer = [b for b in inside if b[1] - b[0] > e - s]
    if any(b[2] == "PERSON" for b in longer):
        return False  # part of a person's name: "Paris Hilton", "Jack London"
    if re.search(r"\b(?:[Bb]y|[Ff]or)\s+$", text[max(0, s - 5) : s]) and not famous_name(gaz, name):
        return False  # "Editing by Lincoln Feast": a person's name
    # "Va.", "N.Y.", not "Co." or "Inc.", nor initials and times ("B.J.", "A.M.")
    dotted = "." in name and abbreviation_form(name) and name.strip() in _DOTTED_NAMES
    if len(norm) <= 3 and norm not in _KNOWN_ABBREVIATIONS and not dotted:
        # two- and three-letter codes are organisations' and units' names far more often
        # than a country's or a state's ("ML", "TIF"): only the ones news uses for places
        return False
    if known:
        return True
    # an alternate spelling of a hamlet is too weak a reason ("Taliban" is one in GeoNames)
    cands = [
        c for c in gaz.lookup(name) if c.how == 0 or c.population >= 20_000 or c.kind != KIND_CITY
    ]
    if not cands:
        return False
    famous = any(c.kind in (KIND_COUNTRY, KIND_ADMIN1, KIND_REGION, KIND_LANDMARK) for c in cands)
    before = text[max(0, s - 30) : s]
    after = text[e : e + 25]
    locative = bool(LOCATIVE.search(before) or _TYPE_AFTER.match(after)) or _qualified(after, gaz)
    # a town of the document's own region(s) ("Grantville" in a story from Lebanon, Pa.);
    # without such regions, of its countries: a surname is some town's name in every
    # country, so the nearer the better
    local = any(
        (c.admin1_place in anchors if anchors else c.country_code in countries)
        and c.kind != KIND_COUNTRY and (c.population >= 1000 or " " in name) for c in cands
    )  # fmt: skip
    big = any(c.kind == KIND_CITY and c.population >= 100_000 for c in cands)
    # a subdivision by its own name closing a chain of places ("in Camudlas, Bindoy, Negros
    # Oriental"), even where spaCy reads the chain as an organisation's name
    chained = any(c.kind in (KIND_ADMIN1, KIND_ADMIN2) and c.how == 0 for c in cands) and bool(
        _IN_CHAIN.search(text[max(0, s - 80) : s])
    )
    if longer and locative and all(b[2] not in ("PERSON", "ORG") for b in longer):
        return True  # "in Goma (Goma, Nord-Kivu)" read as a title: the place comes first
    if longer:  # inside an organisation's name ("Ohio Department of Transportation")
        return "embedded" if (famous or big or local) else False
    if inside:  # spaCy calls exactly this span a person or an organisation
        if inside[0][2] == "PERSON":  # "Lashkar Gah", not "Clinton" or "Baker"
            after_place = famous and bool(_AFTER_NAME.search(text[max(0, s - 40) : s]))
            return locative or (local and " " in name) or (famous and big) or after_place
        sizeable = any(c.population >= 20_000 or c.kind != KIND_CITY for c in cands)
        qualifier = famous and bool(_AFTER_NAME.search(text[max(0, s - 40) : s]))
        return locative or (local and sizeable) or (famous and big) or qualifier or chained
    return famous or locative or local or big or chained


def _qualified(after: str, gaz: Gazetteer) -> bool:
    """Followed by ", <country or state>": "Herat, Afghanistan", "Gainesville, Va."."""
    m = _COMMA_NAME.match(after)
    if m is None:
        return False
    return any(c.kind in (KIND_COUNTRY, KIND_ADMIN1) for c in gaz.lookup(m.group(1)))


def _patterns(text: str) -> list[Found]:
    """Capitalised names marked as places by a place-type word."""
    out = []
    for m in re.finditer(
        r"\b((?:[A-Z][\w'’-]+)(?:[ -][A-Z][\w'’-]+){0,3})\s+(?:[Pp]rovince|[Dd]istrict|"
        r"[Gg]overnorate)\b",
        text,
    ):
        out.append(Found(m.start(1), m.end(1), m.group(1), "pattern"))
    for m in re.finditer(
        r"\b(?:[Pp]rovince|[Dd]istrict|[Gg]overnorate) of\s+"
        r"((?:[A-Z][\w'’-]+)(?:[ -][A-Z][\w'’-]+){0,3})",
        text,
    ):
        out.append(Found(m.start(1), m.end(1), m.group(1), "pattern"))
    return out


def _merge(found: list[Found]) -> list[Found]:
    """One mention per stretch of text: the longest; entities win ties."""
    rank = {"entity": 0, "demonym": 1, "pattern": 2, "gazetteer": 3, "embedded": 4, "variant": 5,
            "repeat": 6}  # fmt: skip
    found.sort(key=lambda f: (f.start, -(f.end - f.start), rank[f.source]))
    out: list[Found] = []
    for f in found:
        if out and f.start < out[-1].end:
            continue
        out.append(f)
    return out
