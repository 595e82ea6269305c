"""Story stage ``story_events``: a story's event mentions merged into events, and who holds
each place since when (``sitroom.events.merge``).

Queued for every story a batch touches (by the writer, in the batch's transaction); run
after each batch, so events are fresh for whatever reads the store next.
"""

from __future__ import annotations

from typing import Any

from sitroom.events.merge import StoryEvents, control_of, merge_story
from sitroom.options import Options
from sitroom.stages.base import unit_stage

__all__ = ["story_events"]


def _write(writer: Any, story_id: str, result: StoryEvents) -> None:
    writer.write_story_events({story_id: result})


@unit_stage("story_events", "story", write=_write, requires=("events",), after="batch")
def story_events(story_id: str, view: Any, options: Options) -> StoryEvents:
    """Merge the event mentions of one story's articles into events, and its control."""
    mentions, controls = view.story_mentions(story_id)
    result = merge_story(story_id, mentions)
    result.control = control_of(story_id, result.events, controls)
    return result
