"""What the story clusterer knows of an article: a text to embed, keys, a date, a copy group.

- text: the headline and the lead (the first sentences of the clean body), which say what the
  story is; the embedding model reads its first ``embed.MAX_TOKENS`` tokens.
- keys: the places (GeoNames ids, and the region each lies in) and the names of people,
  organisations, groups and events the article's headline and lead name, plus those its body
  names more than once. A name is keyed by its last word for people ("Ashraf Ghani" and
  "Ghani" are one key) and by its normalised words otherwise.
  Names in photo captions, credits and bylines are left out, and so are news organisations
  (an outlet quoting the BBC is not telling a BBC story).
- focus: where the story happens: the towns, districts and sites the headline and lead name
  most (with the first-level region each lies in, so a city and its province agree);
  national capitals are left out, being as often a government as a place. Two
  reports of the same kind of event in different places (Ghazni falls; Kandahar falls) are
  different stories; the clusterer uses this to keep them apart.
- when: the publication date; unknown dates carry no time penalty.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from functools import lru_cache

import numpy as np

from sitroom.meta.outlets import outlets
from sitroom.model import Article

__all__ = ["article_date", "article_focus", "article_keys", "article_text", "name_key"]

LEAD_CHARS = 700
_LEAD_SENTENCES = 4
_MAX_KEYS = 24
_ENTITY_LABELS = frozenset({"PERSON", "ORG", "NORP", "EVENT", "FAC", "PRODUCT", "LAW"})
_PLACE_ROLES = frozenset({"body", "title", "dateline", "standfirst"})
_NAME_ROLES = frozenset({"body", "title", "standfirst"})
_FOCUS_ROLES = {"title": 3.0, "standfirst": 2.0, "body": 1.0}  # a dateline is where it was filed
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
_DROP = frozenset({"the", "a", "an", "of", "'s", "’s", "s", "mr", "mrs", "ms", "dr", "u.s", "us"})


def article_text(a: Article) -> str:
    """Headline and lead: what the embedding reads."""
    body = a.clean_text.strip()
    lead = body[:LEAD_CHARS]
    if len(body) > LEAD_CHARS:
        cut = lead.rfind(" ")
        lead = lead[:cut] if cut > LEAD_CHARS // 2 else lead
    title = (a.title or "").strip()
    if title and body.startswith(title):
        return lead
    return f"{title}.\n{lead}" if title else lead


def name_key(text: str, label: str) -> str | None:
    """The key of an entity name (None for a name too short or generic to tell stories apart)."""
    t = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    t = re.sub(r"'s\b", "", t)
    words = [w for w in _WORD.findall(t) if w not in _DROP]
    if not words:
        return None
    key = words[-1] if label == "PERSON" else " ".join(words)
    if len(key) < 3 or key.isdigit():
        return None
    return "e:" + key


def article_keys(a: Article) -> frozenset[str]:
    """Places and names that say which story an article tells (at most ``_MAX_KEYS``)."""
    counts: Counter[str] = Counter()
    lead: set[str] = set()
    lead_end = _lead_end(a)
    an = a.nlp
    index = outlets()
    own = {name_key(n, "ORG") for n in (a.outlet, a.origin) if n}
    if an is not None:
        for start, end, label in an.entities:
            if label not in _ENTITY_LABELS or _role_at(a, start) not in _NAME_ROLES:
                continue
            name = a.reading[start:end]
            key = name_key(name, label)
            if key is None or key in own or (label != "PERSON" and index.is_outlet_name(name)):
                continue
            counts[key] += 1
            if start < lead_end or _role_at(a, start) in ("title", "standfirst"):
                lead.add(key)
    for p in a.places:
        if p.fallback or p.role not in _PLACE_ROLES or p.score < 0.5:
            continue
        keys = [f"g:{p.geonameid}"]
        if p.admin1_id and p.admin1_id != p.geonameid and p.feature != "country":
            keys.append(f"g:{p.admin1_id}")
        for k in keys:
            counts[k] += 1
            if p.role != "body" or _reading_offset(a, p.start) < lead_end:
                lead.add(k)
    chosen = [k for k, n in counts.most_common() if k in lead or n >= 2]
    return frozenset(chosen[:_MAX_KEYS])


def article_focus(a: Article) -> tuple[frozenset[str], float]:
    """Where the story happens: the leading towns and sites (and their regions), and how
    sure that is: 1.0 when the headline names one of them, 0.5 when only the text does."""
    weights: dict[tuple[int, int], float] = {}
    in_title: set[int] = set()
    title = a.title or ""
    lead_end = _lead_end(a)
    capitals = _capitals()
    for p in a.places:
        role_weight = _FOCUS_ROLES.get(p.role)
        if (
            role_weight is None
            or p.fallback
            or p.geo_precision > 2  # a whole region or country: too wide to tell stories apart
            or not p.geonameid
            or p.score < 0.5
            or p.geonameid in capitals
        ):
            continue
        if p.role == "body" and _reading_offset(a, p.start) < lead_end:
            role_weight = 2.0
        if p.role == "title" or (title and _names(title, p.text)):
            in_title.add(p.geonameid)
        weights[(p.geonameid, p.admin1_id)] = (
            weights.get((p.geonameid, p.admin1_id), 0.0) + role_weight
        )
    if not weights:
        return frozenset(), 0.0
    ranked = sorted(weights.items(), key=lambda kv: -kv[1])
    top = ranked[0][1]
    out: set[str] = set()
    sure = 0.5
    for (place, region), w in ranked[:3]:
        if w >= 0.6 * top and w >= 2.0:
            out.add(f"g:{place}")
            if region:
                out.add(f"g:{region}")
            if place in in_title:
                sure = 1.0
    return frozenset(out), (sure if out else 0.0)


def _names(title: str, name: str) -> bool:
    """Whether ``title`` names ``name`` (as whole words)."""
    return bool(name) and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", title) is not None


@lru_cache(maxsize=1)
def _capitals() -> frozenset[int]:
    """GeoNames ids of national capitals: "Washington", "Beijing" and "Kabul" stand for
    governments as often as for places, so they never set a story's place."""
    from sitroom.geo.gazetteer import gazetteer

    gaz = gazetteer()
    return frozenset(int(g) for g in np.asarray(gaz.geonameid)[np.asarray(gaz.capital, dtype=bool)])


def _lead_end(a: Article) -> int:
    """Offset in ``a.reading`` where the lead (the first sentences of the body) ends."""
    an = a.nlp
    if an is None or not an.sentences:
        return min(len(a.reading), LEAD_CHARS)
    seen = 0
    for start, end in an.sentences:
        if _role_at(a, start) == "body":
            seen += 1
            if seen >= _LEAD_SENTENCES:
                return int(end)
    return len(a.reading)


def _role_at(a: Article, offset: int) -> str:
    for s, e, role in a.reading_roles:
        if s <= offset < e:
            return role
    return "body"


def _reading_offset(a: Article, original: int) -> int:
    """The offset in ``a.reading`` of original-text offset ``original`` (approximate)."""
    for clean_start, orig_start, length in a.reading_map.segments:
        if orig_start <= original < orig_start + length:
            return clean_start + original - orig_start
    return len(a.reading)


def article_date(a: Article) -> dt.date | None:
    """The publication date, when known."""
    if not a.published:
        return None
    try:
        return dt.date.fromisoformat(a.published[:10])
    except ValueError:
        return None
