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
    Candidate,
    Gazetteer,
    distance_km,
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
_QUALIFIER = re.compile(r"^\s*[,(]\s*((?:[A-Z][\w.'’-]*\.?)(?:\s+[A-Z][\w.'’-]*\.?){0,3})")


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
    for _ in range(2):
        scores = {k: _support_scores(gaz, k, names, focus_set, regions or {}, w) for k in names}
        for k, nm in names.items():
            nm.prob = _softmax(scores[k], w.temperature)
    out: list[Resolved] = [Resolved(m, None, 0.0, 0) for m in mentions]
    countries = _country_votes(names)
    for k, nm in names.items():
        final = _support_scores(gaz, k, names, focus_set, regions or {}, w)
        # a spelling variant counts only inside the countries the document's other names
        # point to
        allowed = [
            j for j, c in enumerate(nm.cands)
            if c.how != NAME_FUZZY or c.country_code in focus_set
            or countries.get(c.country_code, 0.0) >= 0.5
        ]  # fmt: skip
        if not allowed:
            for i in nm.mentions:
                out[i] = Resolved(mentions[i], None, 0.0, len(nm.cands))
            continue
        j = max(allowed, key=lambda j: final[j])
        conf = _softmax([final[a] for a in allowed], w.temperature)[allowed.index(j)]
        for i in nm.mentions:
            out[i] = Resolved(mentions[i], nm.cands[j], conf, len(nm.cands))
    if fallback:
        _fallbacks(out, names)
    return out


def _candidates(gaz: Gazetteer, m: Mention, fuzzy_ok: bool) -> list[Candidate]:
    place = gaz.demonym(m.text)
    if place is not None:  # "Afghan", "Pakistanis": the country; "European": Europe
        return [gaz.candidate(place, NAME_DEMONYM)]
    cands = gaz.lookup(m.text)
    if not cands:  # "Kandahar Province", "Herat City": the name without its type word
        bare = _TYPE_SUFFIX.sub("", m.text)
        if bare != m.text:
            cands = gaz.lookup(bare)
    if not cands and fuzzy_ok:
        cands = gaz.lookup_fuzzy(_TYPE_SUFFIX.sub("", m.text))
    return cands


def _softmax(xs: list[float], t: float) -> list[float]:
    if not xs:
        return []
    top = max(xs)
    e = [math.exp((x - top) / t) for x in xs]
    s = sum(e)
    return [v / s for v in e]


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
    s += {NAME_ALIAS: w.alias, NAME_ABBREV: w.abbrev, NAME_FUZZY: w.fuzzy}.get(c.how, 0.0)
    if c.how == NAME_DEMONYM:
        s += w.feature
    if c.capital:
        s += w.capital
    cue = _cue(text, m)
    if cue is not None:
        s += w.cue if c.kind == cue else -w.cue / 2
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


def _relation(gaz: Gazetteer, c: Candidate, o: Candidate) -> float:
    """How much place ``o`` elsewhere in the document supports reading ``c`` here."""
    if c.place == o.place:
        return 1.2  # another name for the same place: "Herat" and "Herat City"
    if o.kind == KIND_COUNTRY:
        return 0.5 if o.country_code == c.country_code else 0.0
    if o.kind == KIND_ADMIN1:
        return 1.0 if c.admin1_place == o.place else 0.0
    if o.kind == KIND_ADMIN2 and int(gaz.admin2[c.place]) == o.place:
        return 1.2
    if c.kind == KIND_ADMIN1 and o.admin1_place == c.place:
        return 0.8  # a city or county inside this state
    if c.kind == KIND_ADMIN2 and int(gaz.admin2[o.place]) == c.place:
        return 1.0
    if c.kind == KIND_COUNTRY:
        return 0.5 if o.country_code == c.country_code and o.kind != KIND_REGION else 0.0
    if c.kind in (KIND_CITY, KIND_ADMIN2) and o.kind in (KIND_CITY, KIND_ADMIN2):
        d = distance_km(c.lat, c.lon, o.lat, o.lon)
        near = math.exp(-d / 80.0)
        same = 0.3 if c.admin1_place >= 0 and c.admin1_place == o.admin1_place else 0.0
        return near + same + (0.1 if c.country_code == o.country_code else 0.0)
    return 0.0


def _support_scores(
    gaz: Gazetteer,
    key: str,
    names: dict[str, _Name],
    focus: set[str],
    regions: Mapping[int, float],
    w: Weights,
) -> list[float]:
    nm = names[key]
    out = []
    for j, c in enumerate(nm.cands):
        support = 0.0
        for k, other in names.items():
            if k == key or not other.cands:
                continue
            best = 0.0
            for o, p in zip(other.cands, other.prob, strict=True):
                if p < 0.02:
                    continue
                r = _relation(gaz, c, o) * p
                best = max(best, r)
            support += best
        s = nm.prior[j] + w.support * min(support, 3.0)
        if c.country_code in focus:
            s += w.focus
        if regions:
            s += w.focus * regions.get(c.admin1_place, 0.0)
        out.append(s)
    return out


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
