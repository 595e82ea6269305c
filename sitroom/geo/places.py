"""Place mentions of a text, found and resolved: the ``places`` stage's work on one text."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sitroom.geo.build import KIND_ADMIN1, KIND_ADMIN2, KIND_CITY, KIND_LANDMARK
from sitroom.geo.gazetteer import FEATURES, Candidate, Gazetteer, gazetteer
from sitroom.geo.recognize import LOCATIVE, Found, find_mentions
from sitroom.geo.resolve import Mention, resolve
from sitroom.nlp import Analysis, analyse

__all__ = ["Alternative", "Place", "find_places", "geo_precision"]


@dataclass(frozen=True)
class Alternative:
    """Another GeoNames place a mention may name: a reading the resolver ranked lower."""

    geonameid: int
    name: str
    latitude: float
    longitude: float
    country_code: str
    admin1: str
    feature: str
    score: float  # its probability among the mention's readings


@dataclass(frozen=True)
class Place:
    """A place mention resolved to GeoNames; offsets into the text it was found in."""

    start: int
    end: int
    text: str
    geonameid: int
    name: str
    latitude: float
    longitude: float
    country_code: str
    admin1: str
    admin2: str
    feature: str  # country | admin region | city | region | landmark
    geo_precision: int  # ACLED: 1 the town itself, 2 near it or part of a region, 3 region
    score: float
    source: str  # how it was found: entity | gazetteer | pattern | demonym | variant
    fallback: bool = False  # no gazetteer entry: the document's main place stands in
    admin1_id: int = 0  # GeoNames id of the first-level region (0: none)
    alternatives: tuple[Alternative, ...] = ()  # the next likeliest readings, best first

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# Words that make an unknown name a place near the document's main one ("Royal Street").
_PLACE_WORD = re.compile(
    r"\b(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Boulevard|Blvd\.?|Highway|Hwy\.?|Lane|Drive|"
    r"Square|Bridge|River|Lake|Creek|Mountain|Mountains|Mount|Hill|Hills|Valley|Park|Forest|"
    r"Desert|Island|Islands|Bay|Beach|Canal|Dam|Port|Harbou?r|Airport|Air Base|Base|Camp|"
    r"Fort|Border|Crossing|Pass|Camp|District|Province|Village|Quarter|Neighbou?rhood|Market)\b"
)

_SAINT = re.compile(r"^(?:St\.?|Saint)\s+")

MIN_SCORE = 0.3


def _stands_in(text: str, f: Found) -> bool:
    """An unknown name may take the document's main place only if it names a place: it
    carries a place word ("Royal Street"), or spaCy calls a name of two words or more a GPE
    and a locative word precedes it ("in Deh Bala")."""
    if f.source != "entity":
        return False
    name = _SAINT.sub("", f.text)  # "St. Patrick's Day": a saint, not a street
    if _PLACE_WORD.search(name):
        # and something more than the place word: not "District", "Village of"
        return bool(_PLACE_WORD.sub("", name).replace(" of", "").strip(" .-'’"))
    # one word spaCy calls a GPE after "in" is a person or a thing as often as a place
    # ("in Xenophobia", "to Modi"): only a longer name ("in Deh Bala")
    return (
        f.label == "GPE"
        and " " in f.text.strip()
        and bool(LOCATIVE.search(text[max(0, f.start - 30) : f.start]))
    )


def _surely_place(f: Found) -> bool:
    """spaCy or the words around it say the name is a place: then an uncertain reading is
    still the best one, not a sign that the name is something else."""
    return f.label in ("GPE", "LOC") or f.source in ("pattern", "variant")


def geo_precision(kind: int, fallback: bool = False) -> int:
    """ACLED's geo_precision for a place of gazetteer kind ``kind``."""
    if fallback:
        return 2
    if kind == KIND_CITY:
        return 1
    if kind in (KIND_ADMIN2, KIND_LANDMARK):
        return 2
    return 3  # first-level regions, countries, named regions: the region as a whole


def find_places(
    text: str,
    *,
    gaz: Gazetteer | None = None,
    analysis: Analysis | None = None,
    focus: Sequence[str] = (),
    regions: Mapping[int, float] | None = None,
    dateline: tuple[int, int] | None = None,
    min_score: float = MIN_SCORE,
) -> list[Place]:
    """Every resolved place mention of ``text``, in order.

    ``min_score``: readings less likely than this are left out (most are not places at all:
    a surname that is also some village's name).
    """
    gaz = gaz or gazetteer()
    analysis = analysis if analysis is not None else analyse(text)
    found = find_mentions(text, analysis, gaz)
    mentions = [Mention(f.start, f.end, f.text) for f in found]
    dl = next((m for m in mentions if dateline and dateline[0] <= m.start < dateline[1]), None)
    out = []
    for f, r in zip(found, resolve(gaz, text, mentions, focus=focus, regions=regions,
                                   dateline=dl), strict=True):  # fmt: skip
        c = r.candidate
        if c is None or (r.fallback and not _stands_in(text, f)):
            continue
        if r.score < min_score and not r.fallback and not _surely_place(f):
            continue
        out.append(
            Place(
                start=f.start,
                end=f.end,
                text=f.text,
                **candidate_fields(gaz, c),
                geo_precision=geo_precision(c.kind, r.fallback),
                score=round(r.score, 3),
                source=f.source,
                fallback=r.fallback,
                alternatives=tuple(_alternative(gaz, a, p) for a, p in r.alternatives),
            )
        )
    return out


def candidate_fields(gaz: Gazetteer, c: Candidate) -> dict[str, Any]:
    """What a ``Place`` says of the GeoNames entry ``c`` names: id, name, coordinates,
    country, admin areas (an admin1 area is its own admin1), feature class."""
    return {
        "geonameid": c.geonameid,
        "name": c.name,
        "latitude": round(c.lat, 5),
        "longitude": round(c.lon, 5),
        "country_code": c.country_code,
        "admin1": c.admin1 if c.kind != KIND_ADMIN1 else c.name,
        "admin2": c.admin2,
        "feature": FEATURES[c.kind],
        "admin1_id": int(gaz.geonameid[c.admin1_place]) if c.admin1_place >= 0 else 0,
    }


def _alternative(gaz: Gazetteer, c: Candidate, p: float) -> Alternative:
    f = candidate_fields(gaz, c)
    return Alternative(**{k: f[k] for k in _ALTERNATIVE_FIELDS}, score=round(p, 3))


_ALTERNATIVE_FIELDS = ("geonameid", "name", "latitude", "longitude", "country_code", "admin1",
                       "feature")  # fmt: skip
