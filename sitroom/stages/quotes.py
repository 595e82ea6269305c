"""Stage ``quotes`` (map): direct and reported speech in each article, with its speaker.

The speaker is named, typed when anonymous ("a U.S. defense official"), and resolved across
sentences ("he said" -> the last compatible named speaker); see ``sitroom.quotes``.
"""

from __future__ import annotations

from typing import Any

from sitroom.model import Article, Batch
from sitroom.options import Options
from sitroom.quotes import extract_quotes  # loaded now: ``sitroom.quotes`` is the API's function
from sitroom.stages.base import Resources, stage

__all__ = ["quotes"]


@stage("quotes", requires=("reading", "reading_map", "reading_roles", "nlp"), assigns=("quotes",))
def quotes(batch: Batch, resources: Resources, options: Options) -> Batch:
    """Find each article's quotes and their speakers."""
    found = resources.map(_quotes, batch.articles, options) if batch.articles else []
    for a, qs in zip(batch.articles, found, strict=True):
        a.quotes = qs
    return batch


def _quotes(a: Article) -> list[Any]:
    if a.nlp is None or not a.reading:
        return []
    return extract_quotes(a.reading, a.nlp, a.reading_roles, a.reading_map.to_original)
