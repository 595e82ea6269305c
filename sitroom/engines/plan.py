"""The keyed steps every engine runs between reading the run's input and its language stages.

An engine first reads the run's whole input (ingest, clean, and each report's own date
evidence: metadata steps 1-6), keeping each article aside (a spool, a Ray dataset) with an
``Entry``. From the entries, and from the store as the run starts:

1. skip: an article the store holds goes no further, nor a second reading of one the run
   holds twice (one content id: the same text and fields); of those, the first by (path,
   locator) is kept;
2. dates: ``metadata.date_context`` over every report of the run, stored ones too, by folder
   or multi-article file: what dates the reports their own evidence leaves undated (step 7);
3. regions: the home regions of the run's outlets, from the store as the run starts (the
   places stage's priors);
4. order: the kept articles by (published, id), earliest first, undated last: the order in
   which the stages' keyed steps (copy matching, story assignment) see them.

Each depends on the set of the run's articles, never on the order or the batches they were
read in, so the same input gives the same store whatever the engine, the batch size or the
order of the inputs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sitroom.meta.outlets import OutletIndex, outlets
from sitroom.model import Article, Batch
from sitroom.options import Options
from sitroom.stages.base import ArchiveView, RunContext
from sitroom.stages.metadata import (
    Undated,
    by_step7,
    date_context,
    date_key,
    own_evidence,
    resolve_undated,
)

__all__ = ["Entry", "Plan", "evidence", "make_plan", "order_batch", "stored_entries"]

_LAST = "\uffff"  # sorts after every date: undated articles come last

StoredDates = Callable[[Sequence[str]], Mapping[str, tuple[str | None, str]]]
"""Article ids -> (published, date_source) of those the store holds."""


@dataclass
class Entry:
    """One article the run read, as the plan sees it."""

    id: str
    path: str
    locator: str
    published: str | None = None
    """Its date from its own evidence (metadata steps 1-6; a stored one's stored date)."""
    outlet: str | None = None
    undated: Undated | None = None
    """What step 7 needs, when its own evidence gives no date."""
    ref: Any = None
    """Where the engine keeps the article (None: the store holds it already)."""

    @property
    def key(self) -> str:
        return date_key(self.path, self.locator)


@dataclass
class Plan:
    """The run's order, its context and how many of its articles go no further."""

    order: list[Entry] = field(default_factory=list)
    context: RunContext = field(default_factory=lambda: RunContext(dt.date.max))
    skipped: int = 0


def evidence(a: Article, options: Options, dated: bool, index: OutletIndex | None = None
             ) -> Entry:  # fmt: skip
    """The entry of a read article; ``dated``: run metadata steps 1-6 on it (the pipeline
    has the metadata stage). A fault here is the metadata stage's, found and recorded
    when it runs: the entry just carries no date."""
    e = Entry(a.id, a.path, a.locator)
    if dated:
        try:
            e.undated = own_evidence(a, index or outlets(), options)
        except Exception:  # the metadata stage will name it
            e.undated = None
        else:
            e.published, e.outlet = a.published, a.outlet
    return e


def stored_entries(
    articles: Sequence[Article], stored: StoredDates
) -> tuple[list[Article], list[Entry]]:
    """Split read articles into those to go on and entries for those the store holds (their
    stored date counts as evidence unless step 7 gave it)."""
    held = stored([a.id for a in articles]) if articles else {}
    rest, entries = [], []
    for a in articles:
        if a.id not in held:
            rest.append(a)
            continue
        published, source = held[a.id]
        own = published if published and not by_step7(source) else None
        entries.append(Entry(a.id, a.path, a.locator, own, None, None, None))
    return rest, entries


def make_plan(
    entries: Iterable[Entry],
    options: Options,
    today: dt.date,
    regions: Callable[[str], Mapping[int, int]] | None = None,
) -> Plan:
    """Steps 1-4 of the module docstring over every entry of the run."""
    every = list(entries)
    first: dict[str, Entry] = {}
    for e in every:
        if e.ref is None:  # held by the store
            continue
        seen = first.get(e.id)
        if seen is None or (e.path, e.locator) < (seen.path, seen.locator):
            first[e.id] = e
    stored = {e.id for e in every if e.ref is None}
    kept = [e for i, e in first.items() if i not in stored]
    dates = date_context((e.key, e.published) for e in every)
    for e in kept:
        if e.published is None and e.undated is not None:
            e.published = resolve_undated(e.undated, dates.get(e.key), options, today)[0]
    outlet_regions = {}
    if regions is not None:
        outlet_regions = {o: dict(regions(o)) for o in sorted({e.outlet for e in kept if e.outlet})}
    kept.sort(key=lambda e: (e.published or _LAST, e.id))
    context = RunContext(today=today, dates=dates, regions=outlet_regions)
    return Plan(kept, context, len(every) - len(kept))


def order_batch(
    batch: Batch,
    archive: ArchiveView,
    options: Options,
    today: dt.date,
    dated: bool,
    with_regions: bool,
) -> tuple[Batch, RunContext]:
    """A batch taken as a whole run (``Pipeline.__call__``): its articles skipped, dated and
    ordered as ``make_plan`` would, and the run context made from them."""
    entries = []
    held = archive.known_ids(a.id for a in batch.articles) if batch.articles else set()
    for i, a in enumerate(batch.articles):
        e = evidence(a, options, dated)
        e.ref = None if a.id in held else i
        entries.append(e)
    plan = make_plan(entries, options, today, archive.outlet_regions if with_regions else None)
    batch.articles = [batch.articles[e.ref] for e in plan.order]
    batch.skipped += plan.skipped
    return batch, plan.context
