"""Stage ``nlp``: the one spaCy parse of each article's readable text.

The readable text (``Article.reading``, made by the clean stage) is the clean body plus the
article's own headline, captions and credits, each stretch with its role. Its analysis
(``sitroom.nlp.Analysis``: sentences, entities, tokens, and the parse itself) serves every
later stage: places and times read the offsets, events, quotes and claims each sentence's
dependencies, and none parses again.
"""

from __future__ import annotations

from sitroom.model import Batch
from sitroom.nlp import Analysis
from sitroom.options import Options
from sitroom.reading import analyse_readings
from sitroom.stages.base import Resources, stage

__all__ = ["nlp"]


@stage("nlp", requires=("reading",), assigns=("nlp",))
def nlp(batch: Batch, resources: Resources, options: Options) -> Batch:
    """Parse every article's readable text once (spaCy: tags, dependencies, entities)."""
    analyses = resources.map_chunked(_analyse, [a.reading for a in batch.articles], options)
    for a, an in zip(batch.articles, analyses, strict=True):
        a.nlp = an
    return batch


def _analyse(texts: list[str]) -> list[Analysis]:
    return analyse_readings(texts)
