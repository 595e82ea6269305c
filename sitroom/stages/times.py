"""Stage ``times``: time expressions normalised to TimeML against the article's date.

The reference date is the article's published date (``metadata``), else ``--date``; with
neither, relative expressions keep only what they say by themselves (see ``timex/``).
"""

from __future__ import annotations

import datetime as dt

from sitroom.model import Article, Batch, TimeMention
from sitroom.options import Options
from sitroom.stages.base import Resources, stage
from sitroom.timex import find_times

__all__ = ["time_mentions", "times"]


@stage(
    "times", requires=("reading", "reading_map", "reading_roles", "published"), assigns=("times",)
)
def times(batch: Batch, resources: Resources, options: Options) -> Batch:
    """Find and normalise every time expression of each article."""
    for a in batch.articles:
        a.times = time_mentions(a, options.date)
    return batch


def time_mentions(a: Article, default: dt.date | None = None) -> list[TimeMention]:
    """The time expressions of one article, offsets into its original text."""
    ref = dt.date.fromisoformat(a.published) if a.published else default
    out = []
    for t in find_times(a.reading, ref):
        s, e = a.reading_map.span(t.start, t.end)
        role = next((r for rs, re_, r in a.reading_roles if rs <= t.start < re_), "body")
        out.append(TimeMention(s, e, a.text[s:e], t.type, t.value, t.time_precision, role,
                               t.mod, t.anchor))  # fmt: skip
    return out
