"""Stages that fail on purpose, for the isolation tests: each raises (or kills its worker) on
the articles whose text holds its marker. Importing this module registers them."""

from __future__ import annotations

import os

from sitroom.model import Article, Batch
from sitroom.options import Options
from sitroom.stages.base import Resources, stage

MAP_MARK = "BOOM-IN-MAP"
LOOP_MARK = "BOOM-IN-LOOP"
DIE_MARK = "DIE-IN-WORKER"
ESSENTIAL_MARK = "BOOM-ESSENTIAL"


def _upper(a: Article) -> str:
    if MAP_MARK in a.clean_text:
        raise ValueError(f"could not convert string to float: '20:40' ({a.id})")
    if DIE_MARK in a.clean_text:
        os._exit(13)  # a crash in native code, as far as the pool can tell
    return a.clean_text.upper()


@stage("faulty_map", requires=("clean_text",), assigns=("language",))
def faulty_map(batch: Batch, resources: Resources, options: Options) -> Batch:
    """Upper-cases each article's text in a worker; raises on MAP_MARK, dies on DIE_MARK."""
    found = resources.map(_upper, batch.articles, options)
    for a, up in zip(batch.articles, found, strict=True):
        a.language = "xx" if up.isupper() else "yy"
    return batch


@stage("faulty_loop", requires=("clean_text",), assigns=("origin",))
def faulty_loop(batch: Batch, resources: Resources, options: Options) -> Batch:
    """Sets ``origin`` article by article in this process; raises on LOOP_MARK."""
    for a in batch.articles:
        a.origin = "half-done"
        if LOOP_MARK in a.clean_text:
            raise ZeroDivisionError("division by zero")
        a.origin = "looped"
    return batch


@stage("faulty_essential", requires=("clean_text",), assigns=(), essential=True)
def faulty_essential(batch: Batch, resources: Resources, options: Options) -> Batch:
    """An essential stage that raises on ESSENTIAL_MARK: those articles cannot be stored."""
    for a in batch.articles:
        if ESSENTIAL_MARK in a.clean_text:
            raise RecursionError("maximum recursion depth exceeded")
    return batch


@stage("faulty_reader", requires=(), assigns=("id",), isolation="self", essential=True)
def faulty_reader(batch: Batch, resources: Resources, options: Options) -> Batch:
    """A reading stage that guards its items itself, and still raises as a whole."""
    raise MemoryError("out of memory while reading")
