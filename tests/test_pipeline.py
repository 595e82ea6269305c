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


def test_pipeline_map_sends_each_part_through_every_map_in_one_worker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import datetime as dt

    import sitroom.stages.base as base
    from sitroom.inputs import Discovery
    from sitroom.options import Options
    from sitroom.session import batches
    from sitroom.stages.base import NoArchive, Resources, RunContext

    from .conftest import SAMPLE

    monkeypatch.setattr(base, "_MIN_PARALLEL", 4)
    opts = Options(workers=2)
    pipe = Pipeline()
    resources = Resources(archive=NoArchive(), context=RunContext(dt.date(2026, 1, 1)))
    try:
        (batch,) = list(batches(Discovery([str(SAMPLE / "batch.jsonl")], opts), 200))
        batch = pipe.read(batch, resources, opts)
        n = len(batch.articles)
        assert n >= 4
        timings: dict[str, float] = {}
        out = pipe.map(batch, resources, opts, timings)
        assert len(out.articles) == n and not out.stage_errors
        # mapped in workers, each part whole: the parse stayed there, and no map asked this
        # process for anything (its archive would have raised)
        assert all(a.nlp is None and a.places is not None for a in out.articles)
        assert set(out.stories.items) == {a.id for a in out.articles}
        assert {"nlp", "places", "stories", "claims"} <= set(timings)
        # below the pool's threshold the maps run here, and the parse is kept
        monkeypatch.setattr(base, "_MIN_PARALLEL", 10_000)
        again = pipe.map(pipe.read(next(iter(batches(Discovery([str(SAMPLE / "batch.jsonl")], opts),
                                                     200))), resources, opts),
                         resources, opts)  # fmt: skip
        assert all(a.nlp is not None for a in again.articles)
        assert [a.events for a in again.articles] == [a.events for a in out.articles]
        assert [a.claims for a in again.articles] == [a.claims for a in out.articles]
    finally:
        resources.close()


def test_pipeline_extract_keeps_the_parse_of_pooled_maps(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """``api.extract`` hands its caller whole articles, their parse included, also when the
    maps ran in workers (a run's engine leaves the parse there)."""
    from sitroom import api
    from sitroom.model import Article
    from sitroom.stages import base

    from .conftest import SAMPLE

    monkeypatch.setattr(base, "_MIN_PARALLEL", 4)
    arts = [a for a in api.extract([str(SAMPLE / "batch.jsonl")],
                                   ["ingest", "clean", "metadata", "nlp"], workers=2)
            if isinstance(a, Article)]  # fmt: skip
    assert len(arts) >= 4
    assert all(a.nlp is not None and a.nlp.sentences and a.nlp.doc() is not None for a in arts)


def worker_threads(_: object) -> tuple[str | None, int]:
    """In a pool worker: whether it knows it is one, and its BLAS's threads."""
    import os

    import numpy  # noqa: F401
    from threadpoolctl import threadpool_info

    from sitroom.embed import WORKER_VAR, spare_threads

    blas = max((i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"),
               default=1)  # fmt: skip
    assert spare_threads() == 1
    return os.environ.get(WORKER_VAR), blas


def test_pipeline_pool_workers_compute_on_one_core_each() -> None:
    from sitroom.options import Options
    from sitroom.stages.base import NoArchive, Resources

    resources = Resources(archive=NoArchive())
    try:
        got = resources.map_parts(worker_threads, [0, 1], Options(workers=2))
    finally:
        resources.close()
    # a worker per core, each on one thread: MiniLM's and BLAS's threads never fight
    assert got == [("1", 1), ("1", 1)]
