"""Toponym resolution: which GeoNames place each mention names, decided from its context.

Each candidate place of a mention gets a prior from its own standing and the words around
the mention, then support from the document's other place names:

    prior      log population; countries and first-level regions are famous; continents,
               seas and named regions are famous without a population; capitals; the
               primary spelling beats an alternate, an abbreviation or a fuzzy match;
               "Kandahar province" wants a region, "Kandahar city" a city, "Hall County" a
               county; "Gainesville, Va." / "Herat, Afghanistan" want a place inside Va. /
               Afghanistan; a bare name shared by a city and the region around it ("Herat")
               is the city; the dateline's place is a city
    support    for every other place name of the document, how well its likely places agree
               with this candidate: a county or state that contains it, a city near it, the
               same country (weighted by how likely that other reading is). "Gainesville"
               next to "Hall County" and "Georgia" is Gainesville, Georgia.
    focus      countries the caller knows the document is about (demonyms, the story)

Names are resolved jointly: support is computed from the other names' prior probabilities,
then once more from their updated ones. A mention that no gazetteer entry matches falls back
to the document's main place ("Royal Street" in a New Orleans story -> New Orleans), flagged.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

import numpy as np

from sitroom.geo.build import (
    KIND_ADMIN1,
    KIND_ADMIN2,
    KIND_CITY,
    KIND_COUNTRY,
    KIND_LANDMARK,
    KIND_REGION,
)
from sitroom.geo.gazetteer import (
    NAME_ABBREV,
    NAME_ALIAS,
    NAME_DEMONYM,
    NAME_FUZZY,
    NAME_PRIMARY,
    Candidate,
    Gazetteer,
)
from sitroom.geo.names import normalize

__all__ = ["Mention", "Resolved", "Weights", "resolve"]

_REGION_AFTER = re.compile(
    r"^\s*(?:province|provinces|state|region|governorate|oblast|prefecture|department|"
    r"territory|emirate|wilayat|voivodeship|canton)\b",
    re.IGNORECASE,
)
_DISTRICT_AFTER = re.compile(
    r"^\s*(?:county|counties|district|parish|borough|municipality|shire)\b", re.IGNORECASE
)
_CITY_AFTER = re.compile(r"^\s*(?:city|town|village)\b", re.IGNORECASE)
_REGION_BEFORE = re.compile(r"\b(?:province|state|region|governorate) of\s+$", re.IGNORECASE)
_CITY_BEFORE = re.compile(r"\b(?:city|town|village|capital) of\s+$", re.IGNORECASE)
_TYPE_SUFFIX = re.compile(
    r"\s+(?:province|district|city|state|region|governorate|oblast|prefecture|municipality)$",
    re.IGNORECASE,
)
# "Al Jawf border governorate in northern Yemen", "Kherson region in southern Ukraine"
_IN_COUNTRY = re.compile(
    r"^(?:\s+[a-z]+){0,3}\s+in\s+(?:the\s+)?(?:(?:north|south|east|west|central|"
    r"north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+)?"
    r"([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2})"
)
_QUALIFIER = re.compile(r"^\s*[,(]\s*((?:[A-Z][\w.'’-]*\.?)(?:\s+[A-Z][\w.'’-]*\.?){0,3})")


_APOSTROPHES = re.compile(r"[\'’‘`ʻʼʿʾ]")


def _spelled(name: str) -> str:
    """``name`` without case or accents but with its apostrophes: "Dar'a" and "Dar‘ā" agree,
    "Dara" does not."""
    return normalize(_APOSTROPHES.sub("q", name))


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str


@dataclass
class Resolved:
    mention: Mention
    candidate: Candidate | None
    score: float  # the chosen reading's probability among the mention's readings
    candidates: int = 0
    fallback: bool = False  # no gazetteer entry: the document's main place stands in
    # the next likeliest readings, best first, with their probabilities
    alternatives: list[tuple[Candidate, float]] = field(default_factory=list)


@dataclass(frozen=True)
class Weights:
    """How much each signal counts (see the module docstring)."""

    population: float = 0.5
    country: float = 1.5
    admin1: float = 1.0
    admin2: float = -0.5
    feature: float = 4.0
    capital: float = 1.5
    alias: float = -0.6
    abbrev: float = -1.0
    fuzzy: float = -2.5
    spelling: float = 6.0
    spelled: float = 0.7
    cue: float = 3.0
    qualifier: float = 5.0
    nesting: float = 1.5
    dateline: float = 1.0
    support: float = 2.0
    focus: float = 2.0
    temperature: float = 1.0


@dataclass
class _Name:
    """All mentions of one surface name, and its candidates' probabilities."""

    norm: str
    mentions: list[int] = field(default_factory=list)
    cands: list[Candidate] = field(default_factory=list)
    prior: list[float] = field(default_factory=list)
    prob: list[float] = field(default_factory=list)


def resolve(
    gaz: Gazetteer,
    text: str,
    mentions: Sequence[Mention],
    *,
    focus: Sequence[str] = (),
    regions: Mapping[int, float] | None = None,
    dateline: Mention | None = None,
    weights: Weights = Weights(),
    fuzzy: bool = True,
    fallback: bool = True,
) -> list[Resolved]:
    """Resolve every mention of ``text`` to its most likely GeoNames place (or None).

    ``focus``: iso2 codes the document is known to be about (the story's countries).
    ``regions``: first-level regions (gazetteer rows) the document's context is about, with
    weights in 0..1: the story's regions, or the outlet's home region learnt from its reports.
    ``dateline``: the mention in the dateline, if any; the report was filed from there.
    """
    w = weights
    names: dict[str, _Name] = {}
    for i, m in enumerate(mentions):
        key = normalize(m.text)
        if key not in names:
            names[key] = _Name(key, cands=_candidates(gaz, m, fuzzy))
        names[key].mentions.append(i)
    focus_set = set(focus)
    for nm in names.values():
        nm.prior = [
            max(_prior(gaz, text, mentions[i], c, nm.cands, w, dateline) for i in nm.mentions)
            for c in nm.cands
        ]
        nm.prob = _softmax(nm.prior, w.temperature)
    _nest(gaz, names, w)
    # spelling variants only count inside the countries the document's other names are in
    doc_countries = set(focus_set)
    for nm in names.values():
        if nm.cands and nm.cands[0].how != NAME_FUZZY:
            best = max(range(len(nm.cands)), key=lambda j: nm.prior[j])
            doc_countries.add(nm.cands[best].country_code)
    typed = {k: _typed_variant(text, mentions, nm) for k, nm in names.items()}
    for k, nm in names.items():
        if nm.cands and all(c.how == NAME_FUZZY for c in nm.cands):
            keep = [j for j, c in enumerate(nm.cands)
                    if c.country_code in doc_countries or c.place in typed[k]]  # fmt: skip
            nm.cands = [nm.cands[j] for j in keep]
            nm.prior = [nm.prior[j] for j in keep]
            nm.prob = _softmax(nm.prior, w.temperature)
        _prune(nm)
    arrays = {k: _Arrays.of(gaz, nm.cands, focus_set, regions or {}, w) for k, nm in names.items()}
    support = _Support(names, arrays)
    for _ in range(2):
        scores = support.scores(names, w)
        for k, nm in names.items():
            nm.prob = _softmax(scores[k], w.temperature)
    final_scores = support.scores(names, w)
    out: list[Resolved] = [Resolved(m, None, 0.0, 0) for m in mentions]
    countries = _country_votes(names)
    for k, nm in names.items():
        final = final_scores[k]
        # a spelling variant counts only inside the countries the document's other names
        # point to
        allowed = [
            j for j, c in enumerate(nm.cands)
            if c.how != NAME_FUZZY or c.country_code in focus_set
            or countries.get(c.country_code, 0.0) >= 0.5 or c.place in typed[k]
        ]  # fmt: skip
        if not allowed:
            for i in nm.mentions:
                out[i] = Resolved(mentions[i], None, 0.0, len(nm.cands))
            continue
        probs = _softmax([final[a] for a in allowed], w.temperature)
        order = sorted(range(len(allowed)), key=lambda k: -probs[k])
        j = allowed[order[0]]
        conf = probs[order[0]]
        alts = [(nm.cands[allowed[k]], probs[k]) for k in order[1 : 1 + _ALTERNATIVES]]
        for i in nm.mentions:
            out[i] = Resolved(mentions[i], nm.cands[j], conf, len(nm.cands), alternatives=alts)
    if fallback:
        _fallbacks(out, names)
    return out


def _candidates(gaz: Gazetteer, m: Mention, fuzzy_ok: bool) -> list[Candidate]:
    place = gaz.demonym(m.text)
    if place is not None:  # "Afghan", "Pakistanis": the country; "European": Europe
        return [gaz.candidate(place, NAME_DEMONYM)]
    cands = gaz.lookup(m.text)
    # "Kandahar Province", "Herat City": the name without its type word too ("Musa Khel
    # district" is Mūsá Khēl, Afghanistan, as much as Pakistan's "Musa Khel District")
    bare = _TYPE_SUFFIX.sub("", m.text)
    if bare != m.text:
        seen = {c.place for c in cands}
        cands = cands + [c for c in gaz.lookup(bare) if c.place not in seen]
    # "AI", "IT", "TV": a two-letter country code is a place only where news writes states so
    if len(m.text) == 2 and m.text.isupper() and m.text not in _CODES_AS_PLACES:
        cands = [c for c in cands if not (c.kind == KIND_COUNTRY and c.how == NAME_ABBREV)]
    # "Ind.", "Ga.": a state as news abbreviates it, not a country's ISO code ("IND", "GA")
    if m.text.endswith(".") and any(c.kind == KIND_ADMIN1 and c.how == NAME_ABBREV for c in cands):
        other_names = (NAME_ABBREV, NAME_ALIAS)
        cands = [c for c in cands if not (c.kind == KIND_COUNTRY and c.how in other_names)]
    # "Wales", "Scotland": a state's first-level region by its own name, not the state by
    # one of its other names
    regions = {c.country_code for c in cands if c.kind == KIND_ADMIN1 and c.how == NAME_PRIMARY}
    if regions:
        cands = [c for c in cands
                 if not (c.kind == KIND_COUNTRY and c.how != NAME_PRIMARY
                         and c.country_code in regions)]  # fmt: skip
    if not cands and fuzzy_ok:
        bare = normalize(_TYPE_SUFFIX.sub("", m.text))
        # a transliteration variant keeps the first letter and most of the spelling
        # ("qala e naw" / "qala i naw", "firuz koh" / "fayroz koh"); "Farrin" is not
        # "Warren", nor "Modi" "Mundi": one word must agree more than a longer name
        least = ONE_WORD_FUZZY if " " not in bare else 0.7
        cands = [
            c
            for c in gaz.lookup_fuzzy(bare)
            if (n := normalize(c.name))
            and (
                (n[:1] == bare[:1] and _similar(bare, n) >= least)
                # Arabic names written with and without their article ("Atareb" and "Al
                # Atarib", "Nabatiye" and "An Nabatiyah"): alike once it is set aside
                or (
                    (_ARTICLE.match(n) is not None) != (_ARTICLE.match(bare) is not None)
                    and _bare(n)[:1] == _bare(bare)[:1]
                    and _similar(_bare(bare), _bare(n)) >= least
                )
            )
            and _distinct_similar(bare, n)
        ]
    return cands


# the Arabic article a transliterated name may or may not be written with
_ARTICLE = re.compile(r"(?:al|an|ar|as|ash|at|ad|az|adh|ath|el|en|er|es|ed|ez)[ -]")


def _bare(name: str) -> str:
    return _ARTICLE.sub("", name, count=1) if _ARTICLE.match(name) else name


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


def _distinct_similar(a: str, b: str) -> bool:
    """Whether two names still look alike once the words they share are set aside (the
    rest must start alike and be half alike): "South Ossetia" is not "South Houston", nor
    "North Waziristan" "North Carolina"; a shared word says nothing of the rest."""
    wa, wb = a.split(), b.split()
    shared = set(wa) & set(wb)
    if not shared:
        return True
    ra = " ".join(w for w in wa if w not in shared)
    rb = " ".join(w for w in wb if w not in shared)
    if min(len(ra), len(rb)) < 4:  # particles: "Qala-e-Naw" and "Qala i Naw"
        return True
    return ra[:1] == rb[:1] and _similar(ra, rb) >= 0.5  # "Firuz Koh", "Fayroz Koh"


def _softmax(xs: list[float], t: float) -> list[float]:
    if not xs:
        return []
    top = max(xs)
    e = [math.exp((x - top) / t) for x in xs]
    s = sum(e)
    return [v / s for v in e]


# "the" right before a name, or with a direction or a qualifier between: "the Atlantic", "the
# western Pacific", "the tropical Atlantic"; a town's name hardly ever takes the article
_THE_BEFORE = re.compile(
    r"\b[Tt]he\s+(?:(?:north|south|east|west|central|upper|lower|tropical|wider|greater|"
    r"\w+ern)\s+)?$"
)


def _cue(text: str, m: Mention) -> int | None:
    """The kind of place the words around the mention ask for."""
    after = text[m.end : m.end + 20]
    before = text[max(0, m.start - 20) : m.start]
    low = m.text.lower()
    if low.endswith((" province", " state", " region", " governorate", " oblast")):
        return KIND_ADMIN1
    if low.endswith((" county", " district", " parish", " borough")):
        return KIND_ADMIN2
    if low.endswith(" city"):
        return KIND_CITY
    if _REGION_AFTER.match(after) or _REGION_BEFORE.search(before):
        return KIND_ADMIN1
    if _DISTRICT_AFTER.match(after):
        return KIND_ADMIN2
    if _CITY_AFTER.match(after) or _CITY_BEFORE.search(before):
        return KIND_CITY
    return None


def _qualifiers(gaz: Gazetteer, text: str, m: Mention) -> list[Candidate]:
    """The places of a qualifier right after the mention: "Gainesville, Va.", "Herat,
    Afghanistan", "Alexandria (Louisiana)"."""
    mt = _QUALIFIER.match(text[m.end : m.end + 40])
    if not mt:
        return []
    words = mt.group(1).rstrip(",").split()
    for k in range(len(words), 0, -1):
        q = [c for c in gaz.lookup(" ".join(words[:k])) if c.kind in (KIND_COUNTRY, KIND_ADMIN1)]
        if q:
            return q
    return []


def _nest(gaz: Gazetteer, names: dict[str, _Name], w: Weights) -> None:
    """A region of many namesakes ("Henry County") of which exactly one holds a reading of
    another name of the document ("Paris"): that region, and the readings it holds, are the
    ones meant ("Paris and Henry County": Paris, Tennessee, in Henry County, Tennessee)."""
    for rn in names.values():
        kinds = {c.kind for c in rn.cands}
        if len(rn.cands) < 2 or len(kinds) != 1 or not kinds <= {KIND_ADMIN1, KIND_ADMIN2}:
            continue  # many namesakes of one kind: "Henry County", not "Mississippi"
        # the readings by their own name, by the place they are and the state they are in
        inside: dict[int, list[int]] = defaultdict(list)
        within: dict[int, list[int]] = defaultdict(list)
        for k, r in enumerate(rn.cands):
            if r.how == NAME_PRIMARY:
                inside[r.place].append(k)
                within[r.admin1_place].append(k)
        for other in names.values():
            if other is rn or not other.cands:
                continue
            held = []
            for j, c in enumerate(other.cands):
                if c.how != NAME_PRIMARY:
                    continue
                container = int(gaz.admin2[c.place]) if kinds == {KIND_ADMIN2} else c.admin1_place
                ks = set(inside.get(container, ()))
                if c.kind == KIND_ADMIN1:  # or the other way round: "Orange County" in "Florida"
                    ks.update(within.get(c.place, ()))
                held += [(j, k) for k in sorted(ks) if rn.cands[k].place != c.place]
            if len({k for _, k in held}) != 1:
                continue
            k = held[0][1]
            rn.prior[k] += w.qualifier / 2
            for j, _ in held:
                other.prior[j] += w.qualifier / 2
            rn.prob = _softmax(rn.prior, w.temperature)
            other.prob = _softmax(other.prior, w.temperature)


def _in_country(gaz: Gazetteer, text: str, m: Mention) -> frozenset[str]:
    """The country a region is said to be in, a few words on: "Al Jawf border governorate in
    northern Yemen" (Yemen's, not Saudi Arabia's)."""
    return _countries_in(gaz, text[m.end : m.end + 60])


@lru_cache(maxsize=4096)
def _countries_in(gaz: Gazetteer, after: str) -> frozenset[str]:
    mt = _IN_COUNTRY.match(after)
    if not mt:
        return frozenset()
    words = mt.group(1).split()
    for k in range(len(words), 0, -1):
        q = {c.country_code for c in gaz.lookup(" ".join(words[:k])) if c.kind == KIND_COUNTRY}
        if q:
            return frozenset(q)
    return frozenset()


def _prior(
    gaz: Gazetteer,
    text: str,
    m: Mention,
    c: Candidate,
    cands: list[Candidate],
    w: Weights,
    dateline: Mention | None,
) -> float:
    s = w.population * math.log10(c.population + 10)
    s += {KIND_COUNTRY: w.country, KIND_ADMIN1: w.admin1, KIND_ADMIN2: w.admin2}.get(c.kind, 0.0)
    if c.kind in (KIND_REGION, KIND_LANDMARK) and c.how != NAME_FUZZY:
        s += w.feature
    if c.how == NAME_FUZZY:  # the spelling closest to the text's is likeliest
        ratio = SequenceMatcher(None, normalize(m.text), normalize(c.name)).ratio()
        s += w.spelling * ratio
    s += {NAME_ALIAS: w.alias, NAME_ABBREV: w.abbrev, NAME_FUZZY: w.fuzzy}.get(c.how, 0.0)
    if c.how == NAME_DEMONYM:
        s += w.feature
    if c.capital:
        s += w.capital
    if c.how != NAME_FUZZY and _spelled(m.text) == _spelled(c.name):
        s += w.spelled  # "Dar'a": Dar'ā, Syria, more than Dara, Senegal
    cue = _cue(text, m)
    if cue is not None:
        s += w.cue if c.kind == cue else -w.cue / 2
    elif _THE_BEFORE.search(text[max(0, m.start - 30) : m.start]) and any(
        x.kind in (KIND_REGION, KIND_LANDMARK) for x in cands
    ):  # "the (tropical) Atlantic", "the Gulf": the sea or the region, not a town of the name
        s += w.cue if c.kind in (KIND_REGION, KIND_LANDMARK) else -w.cue / 2
    elif c.kind in (KIND_ADMIN1, KIND_ADMIN2) and _names_its_city(gaz, c, cands):
        s -= w.nesting
    quals = _qualifiers(gaz, text, m)
    if quals and c.kind not in (KIND_COUNTRY, KIND_ADMIN1):
        inside = any(
            (q.kind == KIND_COUNTRY and q.country_code == c.country_code)
            or (q.kind == KIND_ADMIN1 and q.place == c.admin1_place)
            for q in quals
        )
        s += w.qualifier if inside else -w.qualifier / 2
    within = _in_country(gaz, text, m) if c.kind != KIND_COUNTRY else frozenset()
    if within:
        s += w.qualifier if c.country_code in within else -w.qualifier / 2
    if dateline is not None and dateline.start == m.start and c.kind == KIND_CITY:
        s += w.dateline
    return s


def _names_its_city(gaz: Gazetteer, region: Candidate, cands: list[Candidate]) -> bool:
    """``region`` contains a city of the same name among the candidates ("Herat")."""
    for c in cands:
        if c.kind == KIND_CITY and (
            c.admin1_place == region.place or int(gaz.admin2[c.place]) == region.place
        ):
            return True
    return False


@dataclass
class _Arrays:
    """A name's candidates as columns, for relating them to other names' in one go."""

    place: np.ndarray
    kind: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    admin1: np.ndarray
    admin2: np.ndarray
    country: np.ndarray
    focus: np.ndarray  # the caller's focus and regions, already weighted

    @classmethod
    def of(
        cls, gaz: Gazetteer, cands: list[Candidate], focus: set[str],
        regions: Mapping[int, float], w: Weights,
    ) -> _Arrays:  # fmt: skip
        place = np.array([c.place for c in cands], dtype=np.int64)
        bonus = np.array(
            [(w.focus if c.country_code in focus else 0.0)
             + w.focus * regions.get(c.admin1_place, 0.0) for c in cands]
        )  # fmt: skip
        return cls(
            place=place,
            kind=np.array([c.kind for c in cands], dtype=np.int64),
            lat=np.radians([c.lat for c in cands]),
            lon=np.radians([c.lon for c in cands]),
            admin1=np.array([c.admin1_place for c in cands], dtype=np.int64),
            admin2=gaz.admin2[place].astype(np.int64),
            country=np.array([hash(c.country_code) for c in cands], dtype=np.int64),
            focus=bonus,
        )


def _relations(c: _Arrays, o: _Arrays) -> np.ndarray:
    """How much each place of ``o`` (columns) supports each reading ``c`` (rows) of a name:

    the same place under another name 1.2; a county containing it 1.2; a state containing it
    1.0; for a county, a place inside it 1.0; for a state, a place inside it 0.8; the same
    country 0.5 (for a country, any place in it); two towns: closeness and the same state.
    The same country alone is no support between two towns: a dozen far-off US cities do not
    make "Peru" the town in Indiana.
    """
    same_country = c.country[:, None] == o.country[None, :]
    same_admin1 = (c.admin1[:, None] == o.admin1[None, :]) & (c.admin1[:, None] >= 0)
    okind, ckind = o.kind[None, :], c.kind[:, None]
    local = np.isin(ckind, (KIND_CITY, KIND_ADMIN2)) & np.isin(okind, (KIND_CITY, KIND_ADMIN2))
    dlat = o.lat[None, :] - c.lat[:, None]
    dlon = o.lon[None, :] - c.lon[:, None]
    h = (
        np.sin(dlat / 2) ** 2
        + np.cos(c.lat)[:, None] * np.cos(o.lat)[None, :] * np.sin(dlon / 2) ** 2
    )
    km = 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    near = np.exp(-km / 80.0) + 0.3 * same_admin1
    conditions = [
        c.place[:, None] == o.place[None, :],
        okind == KIND_COUNTRY,
        okind == KIND_ADMIN1,
        (okind == KIND_ADMIN2) & (c.admin2[:, None] == o.place[None, :]),
        (ckind == KIND_ADMIN1) & (o.admin1[None, :] == c.place[:, None]),
        (ckind == KIND_ADMIN2) & (o.admin2[None, :] == c.place[:, None]),
        ckind == KIND_COUNTRY,
        local,
    ]
    choices = [
        np.full(same_country.shape, 1.2),
        0.5 * same_country,
        1.0 * (c.admin1[:, None] == o.place[None, :]),
        np.full(same_country.shape, 1.2),
        np.full(same_country.shape, 0.8),
        np.full(same_country.shape, 1.0),
        0.5 * (same_country & (okind != KIND_REGION)),
        near,
    ]
    return np.select(conditions, choices, default=0.0)


class _Support:
    """Every pair of candidate readings of the document's names related once; then each
    reading's support is, over the other names, its best relation weighted by how likely
    that other reading is."""

    def __init__(self, names: dict[str, _Name], arrays: dict[str, _Arrays]) -> None:
        self.keys = [k for k, nm in names.items() if nm.cands]
        self.start: dict[str, int] = {}
        parts = []
        pos = 0
        for k in self.keys:
            self.start[k] = pos
            parts.append(arrays[k])
            pos += len(arrays[k].place)
        self.n = pos
        if pos:
            allc = _Arrays(*(np.concatenate([getattr(a, f) for a in parts]) for f in _FIELDS))
            self.rel = _relations(allc, allc)
            self.focus = allc.focus
        self.bounds = [self.start[k] for k in self.keys]

    def scores(self, names: dict[str, _Name], w: Weights) -> dict[str, list[float]]:
        out: dict[str, list[float]] = {k: [] for k in names}
        if not self.n:
            return out
        prob = np.concatenate([np.asarray(names[k].prob) for k in self.keys])
        prob = np.where(prob >= 0.02, prob, 0.0)
        weighted = self.rel * prob[None, :]
        # best supporting reading within each other name: a max over each name's columns
        best = np.maximum.reduceat(weighted, self.bounds, axis=1)
        for i, k in enumerate(self.keys):
            lo = self.start[k]
            hi = lo + len(names[k].cands)
            rows = best[lo:hi].copy()
            rows[:, i] = 0.0  # a name does not support itself
            support = np.minimum(rows.sum(axis=1), 3.0)
            total = np.asarray(names[k].prior) + w.support * support + self.focus[lo:hi]
            out[k] = [float(x) for x in total]
        return out


_FIELDS = ("place", "kind", "lat", "lon", "admin1", "admin2", "country", "focus")


_MAX_READINGS = 40
_CODES_AS_PLACES = frozenset({"US", "UK", "NZ"})  # ISO codes news uses as names
_ALTERNATIVES = 3
ONE_WORD_FUZZY = 0.87  # one word must agree more than a longer name


def _typed_variant(text: str, mentions: Sequence[Mention], nm: _Name) -> set[int]:
    """The one spelling variant of the kind a type word asks for ("Wassit province": Wāsiţ,
    the only province spelled nearly so), taken without other names to confirm its country;
    none when several regions are spelled alike."""
    if not nm.cands or any(c.how != NAME_FUZZY for c in nm.cands):
        return set()
    cues = {_cue(text, mentions[i]) for i in nm.mentions} - {None}
    if not cues & {KIND_ADMIN1, KIND_ADMIN2}:
        return set()
    bare = normalize(_TYPE_SUFFIX.sub("", mentions[nm.mentions[0]].text))
    fits = [c for c in nm.cands if c.kind in cues
            and _similar(bare, normalize(c.name)) >= _TYPED_SIMILAR]  # fmt: skip
    return {fits[0].place} if len(fits) == 1 else set()


_TYPED_SIMILAR = 0.85


def _prune(nm: _Name) -> None:
    """Keep a name's likeliest readings only (some names have hundreds of namesakes)."""
    if len(nm.cands) <= _MAX_READINGS:
        return
    order = sorted(range(len(nm.cands)), key=lambda j: -nm.prior[j])[:_MAX_READINGS]
    nm.cands = [nm.cands[j] for j in order]
    nm.prior = [nm.prior[j] for j in order]
    nm.prob = _softmax(nm.prior, 1.0)


def _country_votes(names: dict[str, _Name]) -> dict[str, float]:
    votes: dict[str, float] = defaultdict(float)
    for nm in names.values():
        for c, p in zip(nm.cands, nm.prob, strict=True):
            if c.how != NAME_FUZZY and c.country_code:
                votes[c.country_code] += p
    return votes


def _fallbacks(out: list[Resolved], names: dict[str, _Name]) -> None:
    """Unmatched mentions take the document's main place, most mentioned city first."""
    found = [r for r in out if r.candidate is not None]
    if not found:
        return
    counts: dict[int, int] = defaultdict(int)
    by_place: dict[int, Candidate] = {}
    for r in found:
        assert r.candidate is not None
        counts[r.candidate.place] += 1
        by_place[r.candidate.place] = r.candidate
    order = {KIND_CITY: 0, KIND_ADMIN2: 1, KIND_ADMIN1: 2, KIND_COUNTRY: 3}
    main = min(by_place.values(), key=lambda c: (order.get(c.kind, 4), -counts[c.place]))
    for i, r in enumerate(out):
        if r.candidate is None and r.candidates == 0:
            out[i] = Resolved(r.mention, main, 0.2, 0, fallback=True)
