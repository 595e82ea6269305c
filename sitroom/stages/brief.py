"""Story stage ``brief``: the cited brief of a story whose events or claims changed.

Queued (by the writer, in the same transaction) whenever a story's events are merged again
or its topic's claims are aligned again, and run once per run after those; each brief is
rebuilt from the stored claims and events (``sitroom.brief.story_brief``) and stored as
JSON, so that pages and ``sitroom brief`` read it without rebuilding. A story merged into
another loses its brief.
"""

from __future__ import annotations

from typing import Any

from sitroom.brief import story_brief  # loaded now: ``sitroom.brief`` is the API's function
from sitroom.options import Options
from sitroom.stages.base import unit_stage

__all__ = ["brief", "reduce_briefs"]

_Brief = tuple[str, dict[str, Any]] | None  # (topic id, brief) of a live story, else None


def _write(writer: Any, story_id: str, result: _Brief) -> None:
    if result is None:
        writer.drop_briefs([story_id])
    else:
        writer.write_briefs([(story_id, result[0], result[1])])


@unit_stage("brief", "story", write=_write, requires=("events", "claims"), after="run")
def brief(story_id: str, view: Any, options: Options) -> _Brief:
    """Write the cited brief of one story (none for a story merged into another)."""
    topic_id = view.story_topic(story_id)
    if topic_id is None:
        return None
    return topic_id, story_brief(view, story_id).to_dict()


def reduce_briefs(store: Any, writer: Any, topic_ids: list[str]) -> int:
    """Rebuild and store the briefs of these topics' stories; how many were written."""
    rows = []
    for story_id, topic_id in store.topic_stories(topic_ids):
        rows.append((story_id, topic_id, story_brief(store, story_id).to_dict()))
    if rows:
        writer.write_briefs(rows)
    return len(rows)
