"""Stage ``stories``: each article joins a story (or starts one) at once, and each story a topic.

The map (``stories``) embeds each article (headline and lead, MiniLM int8 on onnxruntime, in
the worker processes) and reads its features: names and places (keys), where it happens
(focus), its date. The keyed step (``assign_stories``) gives it its copy group and places it
with the online clusterers of ``cluster/``: one sequential assigner, fed in the run's order
(earliest published first, then by id), so the same articles form the same stories whatever
batches they came in. The clusterers' state is loaded from the store when the run starts and
kept for the run; the batch carries what changed, which the writer stores with the articles in
one transaction. The index of story centroids is saved beside the store when the run ends
(see ``cluster/state.py``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sitroom.cluster.assign import STORY, TOPIC, StoryAssigner
from sitroom.cluster.features import article_date, article_focus, article_keys, article_text
from sitroom.cluster.online import Item
from sitroom.cluster.state import Changes, cluster_row, load, save_index
from sitroom.errors import StageFailure
from sitroom.model import Article, Batch
from sitroom.options import Options
from sitroom.stages.base import (
    ArchiveView,
    Failed,
    ItemsFailed,
    Resources,
    failed,
    keyed_step,
    stage,
)

__all__ = ["LABEL_CHARS", "StoryItems", "assign_stories", "label_of", "stories"]

LABEL_CHARS = 90
_NO_DATE = dt.date.max


@dataclass
class StoryItems:
    """What the map hands the keyed step in ``Batch.stories``: each article's features."""

    items: dict[str, Item] = field(default_factory=dict)


@stage(
    "stories",
    requires=("clean_text", "title", "published", "outlet", "dedup", "nlp", "places"),
    assigns=("story",),
    isolation="self",
)
def stories(batch: Batch, resources: Resources, options: Options) -> Batch:
    """Embed each article and read what places it in a story: names, places, date."""
    arts = batch.articles
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
    found = StoryItems()
    for a, vec in zip(arts, vecs, strict=True):
        if vec is None:
            continue
        try:
            found.items[a.id] = _item(a, vec)
        except Exception as exc:  # this article stays out of stories; the rest go on
            _failed(batch, a, failed(exc))
    batch.stories = found
    return batch


@keyed_step("stories")
def assign_stories(batch: Batch, resources: Resources, options: Options) -> Batch:
    """Put each article in a story and each new story in a topic, in the run's order."""
    found = batch.stories if isinstance(batch.stories, StoryItems) else StoryItems()
    if not batch.articles:
        batch.stories = None
        return batch
    assigner: StoryAssigner = resources.get("story-assigner", lambda: _load(resources.archive))
    # earliest first, then by id: a story starts with its first report (a batch an engine
    # hands over is in this order already)
    for a in sorted(batch.articles, key=lambda a: (article_date(a) or _NO_DATE, a.id)):
        item = found.items.get(a.id)
        if item is None:
            continue
        group = a.dedup.copy_group if a.dedup else None
        try:
            a.story = assigner.assign(dataclasses.replace(item, copy_group=group))
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
        copy_group=None,  # the keyed step's: copies are matched in the run's order
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
