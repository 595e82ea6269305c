"""One place name resolved inside the context a text gives it: its country and first-level
region ("Fakkeh", Syria, "Al-Hasakeh"), as an event's coder or the events stage knows them.

    resolve_in_context("Fakkeh", "SY", "Al-Hasakeh")   # -> Place, or None

The name is looked up exactly, then as a spelling variant (transliterations: "Al-Hasakeh" for
Al-Hasakah), among the places inside the given region, else inside the given country; of
those the most specific kind wins (a town before its district, a district before the
region), then the most populous. A name the gazetteer has nowhere in that context gives the
region itself (else the country), flagged ``fallback`` with ACLED's geo_precision 2: the
event is somewhere in it. Never a namesake in another country: "Valencia" in Venezuela is
Valencia, Carabobo, not Valencia, Spain.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from sitroom.geo.build import (
    KIND_ADMIN1,
    KIND_ADMIN2,
    KIND_CITY,
    KIND_COUNTRY,
    KIND_LANDMARK,
    KIND_REGION,
)
from sitroom.geo.gazetteer import (
    NAME_FUZZY,
    Candidate,
    Gazetteer,
    distance_km,
    gazetteer,
)
from sitroom.geo.names import normalize
from sitroom.geo.places import Place, candidate_fields, geo_precision

__all__ = ["region_named", "resolve_in_context"]

_SPECIFIC = {KIND_CITY: 0, KIND_LANDMARK: 1, KIND_ADMIN2: 2, KIND_ADMIN1: 3, KIND_COUNTRY: 4}
_SIMILAR = 0.7


def resolve_in_context(
    name: str,
    country_code: str | None = None,
    admin1: str | None = None,
    *,
    gaz: Gazetteer | None = None,
) -> Place | None:
    """The place ``name`` names inside ``country_code`` (ISO 3166-1 alpha-2) and ``admin1``
    (the first-level region's name as the text writes it); None when neither the name nor
    the context can be placed. Offsets are those of ``name`` itself (0, len(name))."""
    gaz = gaz or gazetteer()
    cc = (country_code or "").upper()
    country = _country(gaz, admin1) if admin1 else None
    if country is not None and (not cc or cc == country):
        cc, admin1 = country, None  # "Tripoli, Lebanon": the country, no region
    region = _region(gaz, admin1, cc) if admin1 else None
    if region is not None and not cc:
        cc = region.country_code
    cands = _named(gaz, name, cc)
    if not cc:  # no country to read a spelling variant in: "Garabulli" is no Garoua Boulaï
        cands = [c for c in cands if c.how != NAME_FUZZY]
    inside = [c for c in cands if region is not None and _within(gaz, c, region)]
    pool = inside or [c for c in cands if (not cc or c.country_code == cc)
                      and (region is None or _near(c, region))]  # fmt: skip
    if pool:
        best = min(pool, key=lambda c: (c.how == NAME_FUZZY, _SPECIFIC.get(c.kind, 5),
                                        -c.population))  # fmt: skip
        return _place(gaz, name, best, fallback=False)
    if region is not None:
        return _place(gaz, name, region, fallback=True)
    if cc and cc in gaz.country_place:
        return _place(gaz, name, gaz.candidate(gaz.country_place[cc]), fallback=True)
    return None


def _named(gaz: Gazetteer, name: str, cc: str) -> list[Candidate]:
    """Exact spellings first; spelling variants only when no place has the name exactly
    (inside the country, when one is given)."""
    exact = gaz.lookup(name)
    if any(not cc or c.country_code == cc for c in exact):
        return exact
    norm = normalize(name)
    return [c for c in gaz.lookup_fuzzy(name) if _similar(norm, normalize(c.name))]


def region_named(admin1: str, cc: str = "", gaz: Gazetteer | None = None) -> Candidate | None:
    """The first- or second-level region ``admin1`` names, in country ``cc`` when given
    (see ``_region``)."""
    return _region(gaz or gazetteer(), admin1, cc.upper())


def _region(gaz: Gazetteer, admin1: str, cc: str) -> Candidate | None:
    """The region ``admin1`` names in country ``cc``: a first- or second-level one under any
    spelling ("Al-Hasakeh" for Al Ḩasakah); failing that, the region of the town of that
    name (a governorate named after its capital)."""
    norm = normalize(admin1)
    cands = [c for c in gaz.lookup(admin1) + gaz.lookup_fuzzy(admin1)
             if (not cc or c.country_code == cc)
             and (c.how != NAME_FUZZY or _similar(norm, normalize(c.name)))]  # fmt: skip
    if any(c.how != NAME_FUZZY and c.kind == KIND_REGION for c in cands):
        return None  # "West Africa", "the Sahel": bigger than a country's region
    # the name as written before a spelling variant: "Sanaa" is Yemen's capital's region,
    # not Sežana, Slovenia
    for fuzzy in (False, True):
        regions = [c for c in cands if c.kind in (KIND_ADMIN1, KIND_ADMIN2)
                   and (c.how == NAME_FUZZY) == fuzzy]  # fmt: skip
        if regions:
            return min(regions, key=lambda c: (c.kind, -c.population))
        towns = [c for c in cands if c.kind == KIND_CITY and c.admin1_place >= 0
                 and (c.how == NAME_FUZZY) == fuzzy]  # fmt: skip
        if towns:
            return gaz.candidate(max(towns, key=lambda c: c.population).admin1_place)
    return None


def _country(gaz: Gazetteer, name: str) -> str | None:
    """The iso2 code of the country ``name`` names ("Lebanon"), if it names one."""
    for c in gaz.lookup(name):
        if c.kind == KIND_COUNTRY and c.how != NAME_FUZZY:
            return c.country_code
    return None


# a namesake outside the region the text gives is taken only this near it (a town on the
# border); farther, it is another place of the same name ("Sokilnyky" in Kharkiv oblast is
# not Sokilnyky near Lviv): the region stands in
_NEAR_KM = 50.0


def _near(c: Candidate, region: Candidate) -> bool:
    return distance_km(c.lat, c.lon, region.lat, region.lon) <= _NEAR_KM + _radius(region)


def _radius(region: Candidate) -> float:
    return 150.0 if region.kind == KIND_ADMIN1 else 40.0


def _similar(a: str, b: str) -> bool:
    return a[:1] == b[:1] and SequenceMatcher(None, a, b).ratio() >= _SIMILAR


def _within(gaz: Gazetteer, c: Candidate, region: Candidate) -> bool:
    if region.kind == KIND_ADMIN1:
        return c.admin1_place == region.place
    return int(gaz.admin2[c.place]) == region.place or c.place == region.place


def _place(gaz: Gazetteer, text: str, c: Candidate, fallback: bool) -> Place:
    return Place(
        start=0,
        end=len(text),
        text=text,
        **candidate_fields(gaz, c),
        geo_precision=geo_precision(c.kind, fallback),
        score=1.0 if not fallback else 0.2,
        source="context",
        fallback=fallback,
    )
