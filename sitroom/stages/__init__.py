"""One module per pipeline stage; importing this package registers them all."""

from sitroom.stages import (
    brief,
    claims,
    clean,
    dedup,
    events,
    ingest,
    metadata,
    nlp,
    places,
    quotes,
    stories,
    times,
)
from sitroom.stages.base import REGISTRY, Resources, Stage, stage

__all__ = [
    "REGISTRY",
    "Resources",
    "Stage",
    "brief",
    "claims",
    "clean",
    "dedup",
    "events",
    "ingest",
    "metadata",
    "nlp",
    "places",
    "quotes",
    "stage",
    "stories",
    "times",
]
