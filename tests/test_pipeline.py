"""The stage registry and the checks a pipeline makes before it runs."""

from __future__ import annotations

import pytest

from sitroom.errors import PipelineError
from sitroom.pipeline import DEFAULT_PIPELINE, Pipeline
from sitroom.stages import REGISTRY


def test_pipeline_default_journey() -> None:
    assert Pipeline().names == list(DEFAULT_PIPELINE)
    assert DEFAULT_PIPELINE[:4] == ("ingest", "clean", "metadata", "dedup")
    for name in DEFAULT_PIPELINE:
        assert REGISTRY[name].doc, f"stage {name} has no docstring"


def test_pipeline_refuses_missing_prerequisites() -> None:
    with pytest.raises(PipelineError, match="requires clean_text"):
        Pipeline(["ingest", "dedup"])
    with pytest.raises(PipelineError, match="unknown stage 'nope'"):
        Pipeline(["ingest", "nope"])
