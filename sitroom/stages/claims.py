"""Stage ``claims`` (map) and the topic stage that aligns claims across outlets (reduce).

The map stage breaks each article into checkable claims (``sitroom.claims.extract``). After
each batch, the topics of the stories the batch touched are re-aligned: every claim of the
topic's articles is grouped with the claims that state the same thing, and each group gets
its status (corroborated, single-source, contested) counted in independent sources (a copy
group counts once). Topics, not stories: a disagreement on a number often spans two stories
of one offensive. The claims' embeddings are computed once and kept in the store.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sitroom.claims import extract_claims  # loaded now: ``sitroom.claims`` is the API's function
from sitroom.model import Article, Batch
from sitroom.options import Options
from sitroom.stages.base import Resources, stage, unit_stage

__all__ = ["MAX_TOPIC_CLAIMS", "claims", "reduce_topics", "topic_claims"]

MAX_TOPIC_CLAIMS = 4000  # beyond this many claim mentions a topic is aligned story by story


@stage("claims", requires=("reading", "reading_map", "reading_roles", "nlp"), assigns=("claims",))
def claims(batch: Batch, resources: Resources, options: Options) -> Batch:
    """Break each article into checkable claims."""
    found = resources.map(_claims, batch.articles, options) if batch.articles else []
    for a, cs in zip(batch.articles, found, strict=True):
        a.claims = cs
    return batch


def _claims(a: Article) -> list[Any]:
    if a.nlp is None or not a.reading:
        return []
    return extract_claims(a.reading, a.nlp, a.reading_roles, a.reading_map.to_original)


def reduce_topics(store: Any, writer: Any, topic_ids: list[str]) -> int:
    """Re-align the claims of these topics; the number of claim groups written."""
    written = 0
    for topic_id in topic_ids:
        result = topic_claims(topic_id, store, Options())
        _write_topic(writer, topic_id, result)
        written += len(result[0])
    return written


def _write_topic(writer: Any, topic_id: str, result: _TopicClaims) -> None:
    groups, mention_of, vectors = result
    if vectors:
        writer.save_claim_vectors(vectors)
    writer.write_topic_claims(topic_id, groups, mention_of)


_TopicClaims = tuple[list[tuple[Any, str]], dict[int, int], dict[int, bytes]]


@unit_stage("topic_claims", "topic", write=_write_topic, requires=("claims",), after="run")
def topic_claims(topic_id: str, view: Any, options: Options) -> _TopicClaims:
    """Align one topic's claims across outlets: groups with status, sides and sources."""
    from sitroom.claims import align

    rows, vecs, new_vectors = _topic_claims(view, topic_id)
    parts: list[list[int]] = [list(range(len(rows)))]
    if len(rows) > MAX_TOPIC_CLAIMS:
        by_story: dict[str, list[int]] = {}
        for i, r in enumerate(rows):
            by_story.setdefault(r["story_id"], []).append(i)
        parts = list(by_story.values())
    groups: list[tuple[Any, str]] = []
    for part in parts:
        items = [(rows[i]["article_id"], rows[i]["outlet"] or "?", rows[i]["source_key"],
                  rows[i]["claim"]) for i in part]  # fmt: skip
        story_of = {rows[i]["article_id"]: rows[i]["story_id"] for i in part}
        for g in align(items, story=topic_id, vectors=vecs[part] if len(part) else None):
            story = Counter(story_of[m.article_id] for m in g.members).most_common(1)[0][0]
            groups.append((g, story))
    mention_of = {id(r["claim"]): r["mention_id"] for r in rows}
    return groups, mention_of, new_vectors


def _topic_claims(store: Any, topic_id: str) -> tuple[list[dict[str, Any]], Any, dict[int, bytes]]:
    """The topic's claim mentions (claim, article, outlet, source key, story), their
    embeddings, and those of them not yet in the store (mention id -> bytes, to keep)."""
    import numpy as np

    from sitroom.claims.serial import from_json
    from sitroom.embed import DIM, embedder

    rows = store.topic_claims(topic_id)
    vecs = np.zeros((len(rows), DIM), dtype=np.float32)
    todo = []
    for i, r in enumerate(rows):
        r["claim"] = from_json(r.pop("data"))
        if r["vec"] is not None:
            vecs[i] = np.frombuffer(r["vec"], dtype=np.float32)
        else:
            todo.append(i)
    if todo:
        vecs[todo] = embedder()([rows[i]["claim"].text for i in todo])
    return rows, vecs, {rows[i]["mention_id"]: vecs[i].tobytes() for i in todo}
