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
    story_events,
    times,
)
from sitroom.stages.base import REGISTRY, UNITS, Resources, Stage, UnitStage, stage, unit_stage

__all__ = [
    "REGISTRY",
    "UNITS",
    "Resources",
    "Stage",
    "UnitStage",
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
    "story_events",
    "times",
    "unit_stage",
]
