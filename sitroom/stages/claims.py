"""Stage ``claims`` (map) and the topic stage that aligns claims across outlets (reduce).

The map stage breaks each article into checkable claims (``sitroom.claims.extract``). Once
per run, each topic whose stories the run touched has its new claims aligned with the
claims it already holds (``sitroom.claims.online``): a claim groups the sentences that
state the same thing, with its status (corroborated, single-source, contested) counted in
independent sources (a copy group counts once). Topics, not stories: a disagreement on a
number often spans two stories of one offensive. Embeddings are computed once and kept.
"""

from __future__ import annotations

from typing import Any

from sitroom.claims import extract_claims  # loaded now: ``sitroom.claims`` is the API's function
from sitroom.claims.index import ClaimIndex
from sitroom.claims.online import TopicUpdate, extend, realign
from sitroom.model import Article, Batch
from sitroom.options import Options
from sitroom.stages.base import Resources, stage, unit_stage

__all__ = ["claims", "topic_claims"]


@stage(
    "claims",
    requires=("reading", "reading_map", "reading_roles", "nlp"),
    assigns=("claims", "claim_vectors"),
)
def claims(batch: Batch, resources: Resources, options: Options) -> Batch:
    """Break each article into checkable claims, each with its sentence embedding."""
    found = resources.map(_claims, batch.articles, options) if batch.articles else []
    for a, (cs, vecs) in zip(batch.articles, found, strict=True):
        a.claims, a.claim_vectors = cs, vecs
    return batch


def _claims(a: Article) -> tuple[list[Any], list[bytes]]:
    """The pure per-article work (in a worker process on big batches): claims, and their
    embeddings (each distinct sentence once)."""
    if a.nlp is None or not a.reading:
        return [], []
    found = extract_claims(a.reading, a.nlp, a.reading_roles, a.reading_map.to_original)
    if not found:
        return [], []
    from sitroom.claims.vectors import embed

    texts = list(dict.fromkeys(c.text for c in found))
    vec = {t: v.astype("float32").tobytes() for t, v in zip(texts, embed(texts), strict=True)}
    return found, [vec[c.text] for c in found]


def _write_topic(writer: Any, topic_id: str, update: TopicUpdate) -> None:
    writer.write_topic_update(update)


@unit_stage("topic_claims", "topic", write=_write_topic, requires=("claims",), after="run")
def topic_claims(topic_id: str, view: Any, options: Options) -> TopicUpdate:
    """Align a topic's new claims with its claims across outlets (``claims.online``): only
    the claims they touch are regrouped and get their status, sides and sources again."""
    from sitroom.claims.vectors import kept_in

    with kept_in(view) as made:  # MiniLM's vectors of close calls, kept for later runs
        if view.needs_realign(topic_id):
            update = realign(topic_id, view)
        else:
            update = extend(topic_id, view, ClaimIndex(view.claim_index_dir()))
    update.minilm = made
    return update
