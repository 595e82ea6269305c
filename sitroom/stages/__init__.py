"""One module per pipeline stage; importing this package registers them all."""

from sitroom.stages import clean, dedup, events, ingest, metadata, nlp, places, stories, times
from sitroom.stages.base import REGISTRY, Resources, Stage, stage

__all__ = [
    "REGISTRY",
    "Resources",
    "Stage",
    "clean",
    "dedup",
    "events",
    "ingest",
    "metadata",
    "nlp",
    "places",
    "stage",
    "stories",
    "times",
]
