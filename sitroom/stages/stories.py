"""Stage ``stories``: each article joins a story (or starts one) at once, and each story a topic.

The article is embedded (headline and lead, MiniLM int8 on onnxruntime, in the worker
processes), keyed by its places and names, dated and given its copy group; the online
clusterers in ``cluster/`` place it. Their state is loaded from the store when the run starts
and kept for the run; the batch carries what changed, which the writer stores with the
articles in one transaction. The index of story centroids is saved beside the store when the
run ends (see ``cluster/state.py``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from sitroom.cluster.assign import STORY, TOPIC, StoryAssigner
from sitroom.cluster.features import article_date, article_focus, article_keys, article_text
from sitroom.cluster.online import Item
from sitroom.cluster.state import Changes, cluster_row, load, save_index
from sitroom.errors import StageFailure
from sitroom.model import Article, Batch
from sitroom.options import Options
from sitroom.stages.base import ArchiveView, Failed, ItemsFailed, Resources, failed, stage

__all__ = ["LABEL_CHARS", "label_of", "stories"]

LABEL_CHARS = 90
_NO_DATE = dt.date.max


@stage(
    "stories",
    requires=("clean_text", "title", "published", "outlet", "dedup", "nlp", "places"),
    assigns=("story",),
    isolation="self",
)
def stories(batch: Batch, resources: Resources, options: Options) -> Batch:
    """Put each article in a story and each new story in a topic."""
    if not batch.articles:
        return batch
    assigner: StoryAssigner = resources.get("story-assigner", lambda: _load(resources.archive))
    # earliest first: a story starts with its first report, whatever order the files came in
    arts = sorted(batch.articles, key=lambda a: article_date(a) or _NO_DATE)
    try:
        vecs: list[Any] = resources.map_chunked(_embed, [article_text(a) for a in arts], options)
    except ItemsFailed as exc:  # those articles stay out of stories; the rest are placed
        vecs = [None] * len(arts)
        ok = [i for i in range(len(arts)) if i not in exc.failures]
        for i, v in zip(ok, resources.map_chunked(_embed, [article_text(arts[i]) for i in ok],
                                                  options), strict=True):  # fmt: skip
            vecs[i] = v
        for i, f in exc.failures.items():
            _failed(batch, arts[i], f)
    for a, vec in zip(arts, vecs, strict=True):
        if vec is None:
            continue
        try:
            a.story = assigner.assign(_item(a, vec))
        except Exception as exc:  # this article stays out of stories; the rest go on
            _failed(batch, a, failed(exc))
    changes = Changes()
    for kind, clusterer in (("story", assigner.stories), ("topic", assigner.topics)):
        changed, merges = clusterer.take_changes()
        for c in changed:
            if c.parent is not None:  # a story's topic, as it stands after topic merges
                c.parent = assigner.topics.resolve(c.parent)
        changes.clusters[kind] = [cluster_row(c) for c in changed]
        changes.merges += [(kind, small, big, sim) for small, big, sim in merges]
    batch.stories = changes
    resources.finishers["stories-index"] = lambda: _save(assigner, resources.archive)
    return batch


def _item(a: Article, vec: np.ndarray) -> Item:
    focus, focus_weight = article_focus(a)
    return Item(
        id=a.id,
        vec=vec,
        keys=article_keys(a),
        when=article_date(a),
        copy_group=a.dedup.copy_group if a.dedup else None,
        outlet=a.outlet,
        title=label_of(a),
        focus=focus,
        focus_weight=focus_weight,
    )


def _failed(batch: Batch, a: Article, f: Failed) -> None:
    a.story = None
    batch.stage_errors.append(StageFailure(
        "stories", f.error, f.message, f.trace, path=a.path, locator=a.locator,
        article_id=a.id,
    ))  # fmt: skip


def _embed(texts: list[str]) -> list[np.ndarray]:
    from sitroom.embed import embedder

    return list(embedder()(texts))


def label_of(a: Article) -> str:
    """A short label: the headline (or the first sentence), cut at a word."""
    text = " ".join((a.title or a.clean_text[:300]).split())
    if len(text) <= LABEL_CHARS:
        return text
    cut = text[:LABEL_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:-–—") + "…"


def _load(archive: ArchiveView) -> StoryAssigner:
    groups = archive.story_groups()
    loaded: dict[str, Any] = {}
    for kind, params in (("story", STORY), ("topic", TOPIC)):
        path, version, index_version = archive.cluster_index(kind)
        loaded[kind] = load(
            kind,
            params,
            archive.clusters(kind),
            groups if kind == "story" else {},
            path,
            version,
            index_version,
        )
    return StoryAssigner(loaded["story"], loaded["topic"])


def _save(assigner: StoryAssigner, archive: ArchiveView) -> None:
    for kind, clusterer in (("story", assigner.stories), ("topic", assigner.topics)):
        path, version, _ = archive.cluster_index(kind)
        if path is not None:
            save_index(clusterer, path, version)
