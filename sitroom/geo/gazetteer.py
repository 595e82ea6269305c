"""The gazetteer: GeoNames places by name, loaded in a fraction of a second.

Built once (``geo/build.py``) into ``<cache>/gazetteer-<version>.npz`` and then memory-loaded
as flat arrays: no per-place Python objects until a name is looked up. The cache folder is
``$SITROOM_CACHE``, else ``$XDG_CACHE_HOME/sitroom``, else ``~/.cache/sitroom``.
"""

from __future__ import annotations

import math
import os
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from sitroom.geo.build import (
    AP_STATES,
    CA_PROVINCES,
    KIND_ADMIN1,
    KIND_ADMIN2,
    KIND_CITY,
    KIND_COUNTRY,
    KIND_LANDMARK,
    KIND_REGION,
    NAME_ABBREV,
    NAME_ALIAS,
    NAME_DEMONYM,
    NAME_FUZZY,
    NAME_PRIMARY,
    build,
)
from sitroom.geo.names import name_key, normalize, skeleton

__all__ = [
    "FEATURES",
    "Candidate",
    "Gazetteer",
    "abbreviation_form",
    "cache_dir",
    "distance_km",
    "gazetteer",
]

VERSION = 16
FEATURES = {
    KIND_COUNTRY: "country",
    KIND_ADMIN1: "admin region",
    KIND_ADMIN2: "admin region",
    KIND_CITY: "city",
    KIND_REGION: "region",
    KIND_LANDMARK: "landmark",
}
_LOCK = threading.Lock()
_DOTTED = frozenset(AP_STATES) | frozenset(CA_PROVINCES)


def cache_dir() -> Path:
    env = os.environ.get("SITROOM_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sitroom"


@dataclass(frozen=True)
class Candidate:
    """One GeoNames place a name may refer to."""

    place: int  # row in the gazetteer
    geonameid: int
    name: str
    kind: int
    lat: float
    lon: float
    population: int
    country_code: str
    admin1: str
    admin2: str
    admin1_place: int
    how: int  # NAME_PRIMARY, NAME_ALIAS, NAME_ABBREV or NAME_FUZZY
    capital: bool = False

    @property
    def feature(self) -> str:
        return FEATURES[self.kind]


class Gazetteer:
    """Name lookups over the flat arrays of a built gazetteer file."""

    def __init__(self, path: Path) -> None:
        data = np.load(path)
        self.geonameid = data["geonameid"]
        self.kind = data["kind"]
        self.lat = data["lat"]
        self.lon = data["lon"]
        self.population = data["population"]
        self.country = data["country"]
        self.admin1 = data["admin1"]
        self.admin2 = data["admin2"]
        self.capital = data["capital"]
        self._name_blob = bytes(data["name_blob"])
        self._code_blob = bytes(data["code_blob"])
        self.name_keys = data["name_keys"]
        self.name_places = data["name_places"]
        self.name_how = data["name_how"]
        self.skeleton_keys = data["skeleton_keys"]
        self.skeleton_places = data["skeleton_places"]
        self.iso = [str(x) for x in data["iso"]]
        self._demonym_keys = data["demonym_keys"]
        self._demonym_places = data["demonym_places"]

    @cached_property
    def names(self) -> list[str]:
        return self._name_blob.decode("utf-8").split("\x00")

    @cached_property
    def codes(self) -> list[str]:
        return self._code_blob.decode("utf-8").split("\x00")

    @cached_property
    def country_place(self) -> dict[str, int]:
        """iso2 -> the country's row."""
        rows = np.flatnonzero(self.kind == KIND_COUNTRY)
        return {self.iso[int(self.country[r])]: int(r) for r in rows}

    def __len__(self) -> int:
        return len(self.geonameid)

    def lookup(self, name: str) -> list[Candidate]:
        """Every place called ``name`` (any spelling the gazetteer knows); abbreviations
        ("US", "Va.", "ACT") only where the text writes them as one."""
        cands = self.lookup_normalized(normalize(name))
        if not abbreviation_form(name):
            cands = [c for c in cands if c.how != NAME_ABBREV]
        return cands

    def lookup_normalized(self, norm: str) -> list[Candidate]:
        if not norm:
            return []
        key = name_key(norm)
        lo = int(np.searchsorted(self.name_keys, key, "left"))
        hi = int(np.searchsorted(self.name_keys, key, "right"))
        best: dict[int, int] = {}
        for i in range(lo, hi):
            p, how = int(self.name_places[i]), int(self.name_how[i])
            if p not in best or how < best[p]:
                best[p] = how
        return [self.candidate(p, how) for p, how in best.items()]

    def lookup_fuzzy(self, name: str) -> list[Candidate]:
        """Places whose name has the same consonant skeleton (transliteration variants)."""
        norm = normalize(name)
        if len(norm) < 4:
            return []
        key = name_key(skeleton(norm))
        lo = int(np.searchsorted(self.skeleton_keys, key, "left"))
        hi = int(np.searchsorted(self.skeleton_keys, key, "right"))
        places = sorted({int(self.skeleton_places[i]) for i in range(lo, hi)})
        return [self.candidate(p, NAME_FUZZY) for p in places]

    def has_name(self, norm: str) -> bool:
        key = name_key(norm)
        i = int(np.searchsorted(self.name_keys, key, "left"))
        return i < len(self.name_keys) and int(self.name_keys[i]) == key

    def candidate(self, p: int, how: int = NAME_PRIMARY) -> Candidate:
        a1 = int(self.admin1[p])
        a2 = int(self.admin2[p])
        c = int(self.country[p])
        return Candidate(
            place=p,
            geonameid=int(self.geonameid[p]),
            name=self.names[p],
            kind=int(self.kind[p]),
            lat=float(self.lat[p]),
            lon=float(self.lon[p]),
            population=int(self.population[p]),
            country_code=self.iso[c] if c >= 0 else "",
            admin1=self.names[a1] if a1 >= 0 else "",
            admin2=self.names[a2] if a2 >= 0 else "",
            admin1_place=a1,
            how=how,
            capital=bool(self.capital[p]),
        )

    def demonym(self, word: str) -> int | None:
        """The country or region whose people ``word`` names ("Afghan", "Pakistanis",
        "European"): its row."""
        for form in (word, word[:-1] if word.endswith("s") else ""):
            norm = normalize(form)
            if not norm:
                continue
            key = name_key(norm)
            i = int(np.searchsorted(self._demonym_keys, key, "left"))
            if i < len(self._demonym_keys) and int(self._demonym_keys[i]) == key:
                return int(self._demonym_places[i])
        return None


def abbreviation_form(name: str) -> bool:
    """Written as an abbreviation: capitals ("US", "ACT", "U.S.") or one of the dotted
    abbreviations news gives states and provinces ("Va.", "Calif.", "Ont."); "Co." and "Inc."
    are companies, not Colombia and Yinchuan."""
    letters = [c for c in name if c.isalpha()]
    if not letters:
        return False
    return all(c.isupper() for c in letters) or name.strip() in _DOTTED


def gazetteer(path: Path | None = None) -> Gazetteer:
    """The gazetteer: built on first use and cached on disk for every later process, read
    once per process."""
    target = path or cache_dir() / f"gazetteer-{VERSION}.npz"
    with _LOCK:
        if target not in _OPEN:
            if not target.exists():
                build(target)
            _OPEN[target] = Gazetteer(target)
        return _OPEN[target]


_OPEN: dict[Path, Gazetteer] = {}


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


__all__ += ["NAME_ABBREV", "NAME_ALIAS", "NAME_DEMONYM", "NAME_FUZZY", "NAME_PRIMARY"]
