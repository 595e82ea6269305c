"""Events: what happened, where, when and by whom, in ACLED's taxonomy, with provenance.

``extract`` finds the event mentions of any text (the ``events`` stage does it for each article
of a run); ``merge`` (story stage) joins the mentions of a story's articles into events and
derives who controls which place since when.
"""

from __future__ import annotations

import datetime as dt

from sitroom.events.extract import extract_mentions
from sitroom.events.main import MainEvent, main_event
from sitroom.model import ControlMention, EventMention

__all__ = [
    "ControlMention",
    "EventMention",
    "MainEvent",
    "extract",
    "extract_with_control",
    "main_event",
]


def extract_with_control(
    text: str, published: str | dt.date | None = None, title: str | None = None
) -> tuple[list[EventMention], list[ControlMention]]:
    """Event and control mentions of ``text`` (offsets into ``text``; the headline's events,
    when ``title`` is given, carry role "title" and offsets into ``title``)."""
    from sitroom.geo.places import find_places
    from sitroom.reading import read
    from sitroom.timex import find_times

    day = dt.date.fromisoformat(published[:10]) if isinstance(published, str) else published
    r = read(text, title)
    places = [(p.start, p.end, p) for p in find_places(r.text, analysis=r.analysis)]
    times = [(t.start, t.end, t) for t in find_times(r.text, day)]
    return extract_mentions(r.text, r.analysis, places, times, r.roles, day, r.to_out)


def extract(
    text: str, published: str | dt.date | None = None, title: str | None = None
) -> list[EventMention]:
    """The event mentions of ``text``, most salient first."""
    return extract_with_control(text, published, title)[0]
