"""Stage ``places``: place mentions resolved to GeoNames (see ``geo/`` for how).

Each mention keeps its role in the article: a place named in the dateline is where the report
was filed, one in a photo caption or a reporter's credit line is not where the news happened.
A local outlet's home region, learnt from its stored reports' confident places, helps read
its ambiguous names ("Paris" in the Paris, Illinois paper). Those priors are the run's
(``RunContext.regions``: read from the store once, as the run starts, for the run's outlets),
so an article's places never depend on the batch or order it is read in; a run's own reports
teach the next runs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from sitroom.geo.gazetteer import Gazetteer, gazetteer
from sitroom.geo.places import Place, find_places
from sitroom.meta.dateline import find_dateline
from sitroom.model import Article, Batch, PlaceMention
from sitroom.options import Options
from sitroom.stages.base import Resources, stage

__all__ = ["place_mentions", "places"]

# an outlet's regions count once it has this many confident places on record
_MIN_VOTES = 5


@stage(
    "places",
    requires=("reading", "reading_map", "reading_roles", "nlp", "outlet"),
    assigns=("places",),
)
def places(batch: Batch, resources: Resources, options: Options) -> Batch:
    """Find and resolve every place mention of each article."""
    gaz: Gazetteer = resources.get("gazetteer", gazetteer)
    admin1_rows: dict[int, int] = resources.get("admin1-rows", lambda: _admin1_rows(gaz))
    context = resources.context
    for a in batch.articles:
        if not a.outlet:
            stored: Mapping[int, int] = {}
        elif context is not None:
            stored = context.regions.get(a.outlet, {})
        else:  # outside an engine run: the archive as it stands
            stored = resources.archive.outlet_regions(a.outlet)
        votes = Counter({admin1_rows[g]: n for g, n in stored.items() if g in admin1_rows})
        a.places = place_mentions(a, gaz, _regions(votes))
    return batch


def place_mentions(
    a: Article, gaz: Gazetteer, regions: dict[int, float] | None = None
) -> list[PlaceMention]:
    """The resolved places of one analysed article, offsets into its original text."""
    dl = find_dateline(a.reading)
    found = find_places(
        a.reading,
        gaz=gaz,
        analysis=a.nlp,
        regions=regions,
        dateline=(dl.start, dl.end) if dl else None,
    )
    out = []
    for p in found:
        s, e = a.reading_map.span(p.start, p.end)
        role = _role(a, p, (dl.start, dl.end) if dl else (-1, -1))
        out.append(_mention(p, s, e, a.text[s:e], role))
    return out


def _role(a: Article, p: Place, dateline: tuple[int, int]) -> str:
    if dateline[0] <= p.start < dateline[1]:
        return "dateline"
    for s, e, role in a.reading_roles:
        if s <= p.start < e:
            return role
    return "body"


def _mention(p: Place, start: int, end: int, text: str, role: str) -> PlaceMention:
    return PlaceMention(
        start=start,
        end=end,
        text=text,
        geonameid=p.geonameid,
        name=p.name,
        latitude=p.latitude,
        longitude=p.longitude,
        country_code=p.country_code,
        admin1=p.admin1,
        admin2=p.admin2,
        feature=p.feature,
        geo_precision=p.geo_precision,
        score=p.score,
        role=role,
        source=p.source,
        fallback=p.fallback,
        admin1_id=p.admin1_id,
    )


def _admin1_rows(gaz: Gazetteer) -> dict[int, int]:
    """GeoNames id -> gazetteer row of every first-level region."""
    import numpy as np

    rows = np.flatnonzero(gaz.kind == 1)
    return {int(gaz.geonameid[r]): int(r) for r in rows if int(gaz.geonameid[r])}


def _regions(votes: Counter[int]) -> dict[int, float] | None:
    total = sum(votes.values())
    if total < _MIN_VOTES:
        return None
    return {row: n / total for row, n in votes.most_common(3)}
