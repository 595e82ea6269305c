"""Story stage ``brief``: the cited brief of every live story of the topics a run touched.

Runs after the topics' claims are aligned (``stages/claims.reduce_topics``), once per run;
each brief is rebuilt from the stored claims and events (``sitroom.brief.story_brief``) and
stored as JSON, so that pages and ``sitroom brief`` read it without rebuilding.
"""

from __future__ import annotations

from typing import Any

from sitroom.brief import story_brief  # loaded now: ``sitroom.brief`` is the API's function

__all__ = ["reduce_briefs"]


def reduce_briefs(store: Any, writer: Any, topic_ids: list[str]) -> int:
    """Rebuild and store the briefs of these topics' stories; how many were written."""
    rows = []
    for story_id, topic_id in store.topic_stories(topic_ids):
        rows.append((story_id, topic_id, story_brief(store, story_id).to_dict()))
    if rows:
        writer.write_briefs(rows)
    return len(rows)
