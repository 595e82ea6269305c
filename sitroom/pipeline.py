"""The journey of an article, and the machinery that runs it batch by batch.

    input file / JSONL line / feed item              (inputs.Discovery)
      -> ingest    decode, parse, content id; skip what the store already holds
      -> clean     body text; removed debris with reasons; offsets back to the original
      -> metadata  title, outlet, published date, language: each with how it was found
      -> dedup     copy group: exact and near-duplicate reprints count once
      -> nlp       sentences, entities (spaCy) of body, headline, captions and credits
      -> places    place mentions resolved to GeoNames, each with its role
      -> times     time expressions normalised to TimeML against the article's date
      -> stories   the story (and topic) each article joins, or starts, at once
      -> events    what its sentences report happened: ACLED type, actors, place, date
      -> quotes    direct and reported speech, with the speaker, role and affiliation
      -> claims    checkable sentences: events, numbers, assessments, statements
      => store     one transaction per batch                (store.Writer)
      => story stages, per story the batch touched (reduce): events merged across the
         story's articles, control of places            (stages/events.reduce_stories)
         and per topic of those stories: claims aligned across outlets with their status
                                                        (stages/claims.reduce_topics)

Later stages (brief) register themselves the same way
and are appended to ``DEFAULT_PIPELINE``; a pipeline refuses to run a stage whose required
fields no earlier stage assigns.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from sitroom.errors import PipelineError
from sitroom.model import Batch
from sitroom.options import Options
from sitroom.stages import REGISTRY, Resources, Stage

__all__ = ["DEFAULT_PIPELINE", "Pipeline"]

DEFAULT_PIPELINE: tuple[str, ...] = (
    "ingest", "clean", "metadata", "dedup", "nlp", "places", "times", "stories", "events",
    "quotes", "claims",
)  # fmt: skip

# Fields an article has before any stage runs (set by discovery).
_GIVEN = frozenset({"path", "locator", "input_kind"})


class Pipeline:
    """An ordered list of registered stages, checked for prerequisites when built."""

    def __init__(self, names: Sequence[str] = DEFAULT_PIPELINE) -> None:
        self.stages: list[Stage] = []
        assigned = set(_GIVEN)
        for name in names:
            if name not in REGISTRY:
                known = ", ".join(sorted(REGISTRY))
                raise PipelineError(f"unknown stage {name!r} (known: {known})")
            st = REGISTRY[name]
            missing = [f for f in st.requires if f not in assigned]
            if missing:
                raise PipelineError(
                    f"stage {name!r} requires {', '.join(missing)}, which no earlier stage assigns"
                )
            assigned.update(st.assigns)
            self.stages.append(st)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def __call__(
        self,
        batch: Batch,
        resources: Resources,
        options: Options,
        timings: dict[str, float] | None = None,
    ) -> Batch:
        """Run every stage over ``batch`` in order (adding each one's seconds to ``timings``)."""
        for st in self.stages:
            t0 = time.perf_counter()
            batch = st.func(batch, resources, options)
            if timings is not None:
                timings[st.name] = timings.get(st.name, 0.0) + time.perf_counter() - t0
        return batch
