"""Engines: what runs a session's pipeline over a run's inputs.

Both engines run the same stages and the same plan, and write through the same writer, so
the same input gives the same store:

    local   this process and its worker pool (``Session``'s default)
    ray     Ray Data: maps as ``map_batches`` over actors that hold the models, keyed
            steps in the run's order in this process, story and topic stages on actors
            grouped by story and topic (``pip install 'sitroom[ray]'``)
"""

from __future__ import annotations

from sitroom.engines.local import Engine, LocalEngine
from sitroom.errors import OptionsError

__all__ = ["ENGINES", "Engine", "LocalEngine", "make_engine"]

ENGINES = ("local", "ray")


def make_engine(name: str, ray_address: str | None = None) -> Engine:
    """The engine called ``name``; ``ray_address``: a Ray cluster to join (ray only)."""
    if name == "local":
        if ray_address:
            raise OptionsError("--ray-address needs --engine ray")
        return LocalEngine()
    if name == "ray":
        from sitroom.engines.ray import RayEngine

        return RayEngine(ray_address)
    raise OptionsError(f"unknown engine {name!r} (choose {', '.join(ENGINES)})")
