"""Stage ``events`` (map) and the story stage that merges events by story (reduce).

The map stage finds each article's event and control mentions (``sitroom.events.extract``)
in its readable text, with offsets into the article's text. The writer stores them and marks
the articles' stories dirty in the same transaction; after each batch, ``reduce_stories``
merges every dirty story's mentions into events and control (``sitroom.events.merge``) and
clears the mark in one more transaction, so a run killed in between redoes only that.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sitroom.events.extract import extract_mentions
from sitroom.events.merge import StoryEvents, control_of, merge_story
from sitroom.model import Article, Batch, ControlMention, EventMention
from sitroom.options import Options
from sitroom.stages.base import Resources, stage

__all__ = ["events", "reduce_stories"]


@stage(
    "events",
    requires=("reading", "reading_map", "reading_roles", "nlp", "places", "times", "published"),
    assigns=("events",),
)
def events(batch: Batch, resources: Resources, options: Options) -> Batch:
    """Find what each article's sentences report happened, where, when and by whom."""
    found = resources.map(_events, batch.articles, options) if batch.articles else []
    for a, (evs, ctrl) in zip(batch.articles, found, strict=True):
        a.events, a.controls = evs, ctrl
    return batch


def _events(a: Article) -> tuple[list[EventMention], list[ControlMention]]:
    if a.nlp is None or not a.reading:
        return [], []
    inverse = _inverse(a)
    places = [(inverse[p.start], inverse[p.end - 1] + 1, p) for p in a.places
              if p.start in inverse and p.end - 1 in inverse]  # fmt: skip
    times = [(inverse[t.start], inverse[t.end - 1] + 1, t) for t in a.times
             if t.start in inverse and t.end - 1 in inverse]  # fmt: skip
    day = dt.date.fromisoformat(a.published[:10]) if a.published else None
    return extract_mentions(
        a.reading, a.nlp, places, times, a.reading_roles, day,
        to_out=a.reading_map.to_original,
    )  # fmt: skip


def _inverse(a: Article) -> dict[int, int]:
    """Article-text offset -> reading offset, for the offsets the mentions carry."""
    out: dict[int, int] = {}
    for i in range(len(a.reading)):
        out.setdefault(a.reading_map.to_original(i), i)
    return out


def reduce_stories(store: Any, writer: Any, limit: int | None = None) -> int:
    """Merge the events of every dirty story; the number of stories done."""
    dirty = store.dirty_stories()
    if limit is not None:
        dirty = dirty[:limit]
    results: dict[str, StoryEvents] = {}
    for story_id in dirty:
        mentions, controls = store.story_mentions(story_id)
        res = merge_story(story_id, mentions)
        res.control = control_of(story_id, res.events, controls)
        results[story_id] = res
    if results:
        writer.write_story_events(results)
    return len(results)
