"""Where an event happened, as ACLED codes it: the most specific place, inside its context.

ACLED places an event at the most specific place its account names (a village before its
district, a district before its province), read in the context the account gives ("the
village of Fakkeh ... in Al-Hasakeh" is in Syria; Valencia in a note about Carabobo is
Venezuela's), and says how precise that is (``geo_precision``: 1 the town itself, 2 near a
town or somewhere in a district, 3 only the province or region is known).

``in_context`` checks a town the places stage resolved against the regions and countries the
same sentence and paragraph name (else the article's main country):

1. it fits (same country; inside a named region when one is named): kept;
2. another place of the same name fits: that one (GeoNames through ``gazetteer().lookup``);
3. none does: the most specific region the context names, at precision 2 (the town lies
   somewhere in it), else a town it names in that country, else the country itself -
   never a namesake in another country.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

__all__ = [
    "ascii_key", "at_seat", "in_context", "named_with_region", "specificity", "toward",
]  # fmt: skip


def _gazetteer() -> Any:
    """The gazetteer (read once per process by ``geo.gazetteer.gazetteer``)."""
    from sitroom.geo.gazetteer import gazetteer

    return gazetteer()


_ORDER = {"city": 0, "landmark": 0, "admin region": 1, "region": 2, "country": 3}


def specificity(place: Any) -> int:
    """0 a town or site, 1 an administrative region, 2 a named region, 3 a country."""
    return _ORDER.get(place.feature, 2)


def at_seat(place: Any) -> Any:
    """A place known only as its first-level region (geo_precision 3) pinned where ACLED pins
    it: at the region's seat, its town of the region's own name ("Zhytomyr oblast": Zhytomyr;
    "Kerman province": Kerman), else its most populous town. Name, region and precision stay
    the region's; anything else is returned as it is."""
    if place is None or place.geo_precision != 3 or place.feature != "admin region":
        return place
    seat = _seat(int(place.geonameid))
    if seat is None:
        return place
    return replace(place, latitude=seat[0], longitude=seat[1])


@lru_cache(maxsize=4096)
def _seat(geonameid: int) -> tuple[float, float] | None:
    import numpy as np

    from sitroom.geo.build import KIND_ADMIN1, KIND_CITY

    gaz = _gazetteer()
    rows = [int(r) for r in np.flatnonzero(gaz.geonameid == geonameid)
            if int(gaz.kind[r]) == KIND_ADMIN1]  # fmt: skip
    if not rows:
        return None
    towns = np.flatnonzero((gaz.admin1 == rows[0]) & (gaz.kind == KIND_CITY))
    if not len(towns):
        return None
    own = _SEAT_SUFFIX.sub("", ascii_key(gaz.names[rows[0]]))
    named = [int(t) for t in towns if own and ascii_key(gaz.names[int(t)]) == own]
    pool = named or [int(t) for t in towns]
    best = max(pool, key=lambda t: int(gaz.population[t]))
    return float(gaz.lat[best]), float(gaz.lon[best])


# a region's type as its name may carry it ("zhytomyrskaoblast", "kermanprovince")
_SEAT_SUFFIX = re.compile(
    r"(?:ska|skaya)?(?:oblast|province|governorate|region|state|prefecture|"
    r"department|district|voivodeship|county)$"
)


def _regions(context: Sequence[Any]) -> list[Any]:
    return [p for p in context if p.feature in ("admin region", "region", "country")]


def in_context(
    place: Any,
    context: Sequence[Any],
    main_cc: str = "",
    reading: str = "",
    span: tuple[int, int] | None = None,
) -> Any:
    """``place`` (a town), or the place of that name inside the context, or the context's
    region (see the module docstring). ``context``: other places of its sentence/paragraph;
    ``reading``: the text the context's offsets and ``span`` (the place's own) point into."""
    if place is None or place.feature not in ("city", "landmark"):
        return place
    regions = [r for r in _regions(context) if r.geonameid != place.geonameid]
    countries = {r.country_code for r in regions if r.country_code}
    if not countries and main_cc:
        countries = {main_cc}
    if not countries:
        return place
    admin_ids = {r.geonameid for r in regions if r.feature == "admin region"}
    admin_ids |= {r.admin1_id for r in regions if r.feature == "admin region" and r.admin1_id}
    fits_country = place.country_code in countries
    if fits_country and (not admin_ids or place.admin1_id in admin_ids or _near(place, regions)):
        return place
    alt = _namesake(place, countries, admin_ids)
    if alt is not None:
        return alt
    if fits_country:
        # "in Benito Juarez, Nuevo Leon": the region written right after the town says which
        # (a namesake the gazetteer lacks): the region, unless the town is a city of its own
        after = [r for r in regions if r.feature == "admin region" and span is not None
                 and r.start >= span[1] and _QUALIFIES.fullmatch(reading[span[1] : r.start])
                 and r.country_code == place.country_code]  # fmt: skip
        if not after and not _big(place):
            # "Lalpur village of Bhagabanpur area (East Midnapore district, West Bengal)":
            # a village far from every region its sentence names is another village of
            # that name: the nearest of those regions, at precision 2
            own = [r for r in regions if r.feature == "admin region"
                   and r.country_code == place.country_code]  # fmt: skip
            if own and all(_km(place, r) > _FAR_KM for r in own):
                after = [min(own, key=lambda r: _km(place, r))]
        if not after or (_big(place) and _listed(reading, after[0].end)):
            # a city of its own in a list of places ("in Kabul, Logar and Wardak"); not
            # one the region written after it qualifies ("in Benito Juarez, Nuevo Leon, a
            # man was shot": Nuevo Leon's Benito Juarez, which the gazetteer lacks)
            return place
        return replace(after[0], start=place.start, end=place.end, text=place.text,
                       geo_precision=2, source="context")  # fmt: skip
    inside = [r for r in regions if r.country_code in countries and r.feature != "country"]
    if inside:
        best = min(inside, key=specificity)
    else:
        # no region: a town the context names in that country ("Bala Duri I area of
        # Pul-e Khumri district": the district's town), the first after the place; else the
        # country itself - never a namesake abroad
        if _big(place):
            return place  # a city of 100,000 or more is itself, not a village's namesake
        towns = [p for p in context if p.feature in ("city", "landmark")
                 and p.country_code in countries and p.geonameid != place.geonameid
                 and span is not None and p.start >= span[1]
                 and _QUALIFIES.fullmatch(reading[span[1] : p.start])]  # fmt: skip
        named = [r for r in regions if r.feature == "country" and r.country_code in countries]
        if not towns and not named:
            return place
        best = towns[0] if towns else named[0]
    return replace(best, start=place.start, end=place.end, text=place.text,
                   geo_precision=max(2, best.geo_precision), source="context")  # fmt: skip


# what stands between a place and the town that says where it is: "Bala Duri I area of
# Pul-e Khumri", "Adu village in Kwal", "Sawar, near Razih" (never "X and Y")
_QUALIFIES = re.compile(
    r"[\w'’-]*(?:\s+[\w'’-]+){0,3}?\s*(?:,\s*|\(\s*|\s+(?:of|in|near|outside)\s+(?:the\s+)?"
    r"(?:(?:town|city|village|district|area|municipality)\s+of\s+)?)$"
)


# what follows a region that ends a list of places: "and Wardak", ", Wardak and ..."
_LIST_GOES_ON = re.compile(
    r"\s*(?:,\s*)?(?:and|or|&)\s+[A-Z]|,\s*[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?\s*(?:,|and\b|or\b)"
)


def _listed(reading: str, end: int) -> bool:
    return bool(_LIST_GOES_ON.match(reading, end))


def _big(place: Any) -> bool:
    gaz = _gazetteer()
    return any(
        c.geonameid == place.geonameid and c.population >= 100_000 for c in gaz.lookup(place.name)
    )


def ascii_key(name: str) -> str:
    """A name folded for comparing spellings ("Ḩamāh" and "Hamah")."""
    from sitroom.events.acled import ascii_name

    return "".join(ch for ch in ascii_name(name).lower() if ch.isalnum())


_FAR_KM = 300.0


def _km(a: Any, b: Any) -> float:
    from sitroom.geo.gazetteer import distance_km

    return float(distance_km(a.latitude, a.longitude, b.latitude, b.longitude))


def _near(place: Any, regions: Sequence[Any]) -> bool:
    return any(r.feature == "admin region" and _km(place, r) < 150 for r in regions)


def _namesake(place: Any, countries: set[str], admin_ids: set[int]) -> Any | None:
    """The place called like ``place`` inside the context's countries (and regions)."""
    from sitroom.geo.build import KIND_CITY, KIND_LANDMARK, NAME_PRIMARY
    from sitroom.geo.places import candidate_fields, geo_precision

    gaz = _gazetteer()
    spelled = ascii_key(place.text)
    cands = [
        c
        for c in gaz.lookup(place.text)
        if c.country_code in countries and (c.how == NAME_PRIMARY or ascii_key(c.name) == spelled)
    ]
    if not cands:
        return None

    def admin_id(c: Any) -> int:
        return int(gaz.geonameid[c.admin1_place]) if c.admin1_place >= 0 else 0

    def rank(c: Any) -> tuple[int, int, int]:
        inside = 0 if not admin_ids or admin_id(c) in admin_ids else 1
        town = 0 if c.kind in (KIND_CITY, KIND_LANDMARK) else 1
        return inside, town, -int(c.population)

    c = min(cands, key=rank)
    if admin_ids and admin_id(c) not in admin_ids and c.country_code == place.country_code:
        return None  # no better than what the places stage chose
    return replace(
        place, **candidate_fields(gaz, c), geo_precision=geo_precision(c.kind), source="context"
    )


# the lower-case particles of place names ("Mafraq ar Ruwayk", "Bani al Harith", "Cidade de
# Deus", "Kafr ad Dawwar")
_PARTICLES = r"(?:al|ar|as|ad|an|ash|at|az|el|ed|es|en|bin|ibn|de|del|da|do|dos|das|di|la|le|du)"
_WITH_REGION = re.compile(
    r"\b(?:in|at|near|around|outside|of|(?P<verb>attacked|raided|stormed|shelled|bombed|"
    r"struck|hit|targeted|invaded|entered|captured|seized|overran|besieged|burned|burnt|"
    r"looted))\s+"
    r"(?:the\s+)?(?:(?:village|town|city|area|district|"
    r"community|commune|locality|neighbou?rhood|camp)\s+of\s+)?"
    rf"(?P<name>[A-Z][\w'’-]+(?:[ -](?:{_PARTICLES}[ -])?[A-Z][\w'’-]+){{0,3}})"
    r"(?:\s+(?:village|town|city|district|area|camp|neighbou?rhood|locality|community|"
    r"sub-?district|county|sector)"
    r"(?:\s+area)?)?\s*\((?P<inside>[^()]{2,80})\)"
)


def named_with_region(text: str, main_cc: str = "") -> list[tuple[int, int, Any]]:
    """Places a text names with their region in brackets, as coders and many reports write
    them ("in Goma (Goma, Nord-Kivu)", "Adu in Kwal district (Bassa LGA, Plateau)"): each
    resolved inside that region (``geo.context.resolve_in_context``), as (start, end, place);
    a name the gazetteer lacks gives the region itself at precision 2."""
    from sitroom.geo.context import resolve_in_context
    from sitroom.geo.recognize import abbreviates

    out = []
    for m in _WITH_REGION.finditer(text):
        parts = [p.strip() for p in m.group("inside").split(",") if p.strip()]
        if not parts or not parts[-1][:1].isupper():
            continue
        if m.group("verb") and len(parts) < 2:
            continue  # "attacked Mabai (Kankara LGA, Katsina)", not "attacked Islamic State (X)"
        inner = m.group("inside").strip()
        if inner.isalpha() and abbreviates(m.group("name"), inner):
            continue  # "the Kahda District Commissioner (DC)": an acronym, no region
        gaz = _gazetteer()
        cc = main_cc or None
        if cc and _abroad(parts[-1], cc, gaz):
            cc = None  # the brackets name a region abroad: it says where, not the article
        place = resolve_in_context(m.group("name"), cc, parts[-1], gaz=gaz)
        if place is None and main_cc:
            place = resolve_in_context(m.group("name"), None, parts[-1], gaz=gaz)
        if place is None or place.feature == "country":
            continue
        if place.fallback and len(parts) >= 2:
            # the town is not in the gazetteer: the district the brackets name before the
            # region ("Udawa (Chikun LGA, Kaduna)": Chikun), nearer than the region's middle
            name = _DISTRICT_WORD.sub("", parts[-2]).strip()
            got = resolve_in_context(name, place.country_code or None, parts[-1], gaz=gaz)
            if (
                name
                and got is not None
                and not got.fallback
                and got.feature != "country"
                and got.admin1 == place.admin1  # inside the region, not a namesake near it
            ):
                place = replace(got, text=m.group("name"), geo_precision=2, fallback=True)
        s, e = m.start("name"), m.end("name")
        out.append((s, e, replace(place, start=s, end=e)))
    return out


def _abroad(name: str, cc: str, gaz: Any) -> bool:
    """Does ``name`` (a bracket's region) name a region of one other country only, and
    nothing of country ``cc`` ("(Marib)" in a note the article's places put in Jordan)?"""
    from sitroom.geo.build import KIND_ADMIN1, KIND_ADMIN2
    from sitroom.geo.context import region_named

    if region_named(name, cc, gaz) is not None:
        return False
    exact = gaz.lookup(name)
    if any(c.country_code == cc for c in exact):
        return False
    return len({c.country_code for c in exact if c.kind in (KIND_ADMIN1, KIND_ADMIN2)}) == 1


_DISTRICT_WORD = re.compile(
    r"\b(?:LGA|district|sub-?district|sub-?county|county|municipality|commune|province|"
    r"territory|raion|rayon|woreda|tehsil|department)\b",
    re.I,
)


# "in the southern countryside of Idleb", "12 km north of Kabul": the event lies off the
# place named, in that direction
_BEARING = {"north": 0.0, "northeast": 45.0, "east": 90.0, "southeast": 135.0, "south": 180.0,
            "southwest": 225.0, "west": 270.0, "northwest": 315.0}  # fmt: skip
_DIRECTION = r"(?P<dir>(?:north|south)[- ]?(?:east|west)?|east|west)"
_COUNTRYSIDE = re.compile(
    _DIRECTION + r"(?:ern)?\s+(?:countryside|rural\s+areas?)\s+of\s+(?:the\s+)?$", re.I
)
_DISTANCE = re.compile(
    r"(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>km|kms|kilomet(?:er|re)s?|miles?|mi)\.?\s+(?:to\s+the\s+)?"
    + _DIRECTION
    + r"\s+of\s+(?:the\s+)?(?:(?:city|town|village)\s+of\s+)?$",
    re.I,
)
SECTOR_KM = 20.0
"""How far off the place named "the <direction> countryside of" puts an event: on the ACLED
train notes that name one, the coded village lies a median 34 km from the town (quartiles
27-40) and within 45 degrees of the direction for 19 of 24; a point 20 km that way is within
25 km of it for 19 of 24, the town itself for 5."""


def toward(place: Any, before: str) -> Any:
    """``place`` moved off as the words ``before`` it say ("the western countryside of",
    "12 km north of"), at precision 2; else ``place`` itself."""
    if place is None or place.latitude is None or place.longitude is None:
        return place
    m = _DISTANCE.search(before)
    if m is not None:
        km = float(m.group("n")) * (1.609 if m.group("unit").lower().startswith("mi") else 1.0)
    else:
        m = _COUNTRYSIDE.search(before)
        km = SECTOR_KM
    if m is None or not 0.0 < km <= 300.0:
        return place
    bearing = _BEARING[re.sub(r"[- ]", "", m.group("dir").lower())]
    lat, lon = _destination(place.latitude, place.longitude, bearing, km)
    return replace(place, latitude=lat, longitude=lon, geo_precision=max(2, place.geo_precision))


def _destination(lat: float, lon: float, bearing: float, km: float) -> tuple[float, float]:
    """The point ``km`` from (lat, lon) on an initial ``bearing`` (degrees from north)."""
    d = km / 6371.0
    p1, l1, b = math.radians(lat), math.radians(lon), math.radians(bearing)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1),
                         math.cos(d) - math.sin(p1) * math.sin(p2))  # fmt: skip
    return round(math.degrees(p2), 5), round((math.degrees(l2) + 540.0) % 360.0 - 180.0, 5)
