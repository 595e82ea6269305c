"""``sitroom export TABLE --format parquet`` and ``sitroom run --out-parquet DIR``.

Every table the store exports has an Arrow schema here (``SCHEMAS``): its records (the
ones the JSON lines and CSV exports write) as typed columns, lists and nested records kept
as Arrow lists and structs, not JSON in a cell:

    articles   one row per article (``export.articles``): ids, input, outlet, title, date,
               copy group, story, clean text and its removed spans
    places     every place mention (GeoNames id, coordinates, role...) with its article's
               outlet, date and title; ``times`` every time expression, likewise
    stories    one row per article, story or topic (``level``), as ``export.stories``
    events     merged events in ACLED columns with story, outlets and source sentences
    control    who controls each place since when
    claims     aligned claims with status, sides and their sources
    quotes     quotes with speaker, role, affiliation and offsets

Large tables are written in row groups of ``ROWS`` records, never held whole. A file is
Zstandard-compressed Parquet; ``write_dataset`` writes every table into a Parquet dataset
directory (``DIR/TABLE/part-0.parquet``), which Ray Data, Spark, DuckDB and pandas read as a
dataset.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from sitroom.errors import OptionsError
from sitroom.store import Store

__all__ = ["ROWS", "SCHEMAS", "TABLES", "records", "write_dataset", "write_parquet"]

ROWS = 2_000
TABLES = ("articles", "places", "times", "stories", "events", "control", "claims", "quotes")

_str, _int, _float = pa.string(), pa.int64(), pa.float64()
_REMOVED = pa.struct([("start", _int), ("end", _int), ("reason", _str), ("text", _str)])
_COUNT = pa.struct([("outlet", _str), ("articles", _int)])
_EVENT_SOURCE = pa.struct([("article_id", _str), ("outlet", _str), ("sentence", _str),
                           ("start", _int), ("end", _int)])  # fmt: skip
_CLAIM_SOURCE = pa.struct([("article_id", _str), ("outlet", _str), ("source", _str),
                           ("side", _int), ("sentence", _str), ("start", _int),
                           ("end", _int)])  # fmt: skip
_SIDE = pa.struct([("value", _str), ("outlets", pa.list_(_str)),
                   ("articles", pa.list_(_str)), ("independent_sources", _int),
                   ("sources", pa.list_(_CLAIM_SOURCE))])  # fmt: skip


def _schema(*fields: tuple[str, Any]) -> Any:
    return pa.schema([pa.field(name, typ) for name, typ in fields])


_MENTION = (("article_id", _str), ("start", _int), ("end", _int), ("text", _str))
_OF_ARTICLE = (("outlet", _str), ("published", _str), ("title", _str))

SCHEMAS: dict[str, Any] = {
    "articles": _schema(
        ("id", _str), ("path", _str), ("locator", _str), ("outlet", _str),
        ("outlet_source", _str), ("origin", _str), ("title", _str), ("url", _str),
        ("published", _str), ("date_source", _str), ("language", _str), ("copy_group", _str),
        ("copy_kind", _str), ("copy_of", _str), ("copies", _int), ("story_id", _str),
        ("topic_id", _str), ("extractor", _str), ("text", _str),
        ("removed", pa.list_(_REMOVED)),
    ),
    "places": _schema(
        *_MENTION, ("geonameid", _int), ("name", _str), ("latitude", _float),
        ("longitude", _float), ("country_code", _str), ("admin1", _str), ("admin2", _str),
        ("admin1_id", _int), ("feature", _str), ("geo_precision", _int), ("score", _float),
        ("role", _str), ("source", _str), ("fallback", pa.bool_()), *_OF_ARTICLE,
    ),
    "times": _schema(
        *_MENTION, ("type", _str), ("value", _str), ("time_precision", _int), ("role", _str),
        ("mod", _str), ("anchor", _str), *_OF_ARTICLE,
    ),
    "stories": _schema(
        ("article_id", _str), ("story_id", _str), ("story_label", _str), ("topic_id", _str),
        ("topic_label", _str), ("outlet", _str), ("published", _str), ("title", _str),
        ("copy_group", _str), ("how", _str), ("score", _float),
    ),
    "stories.story": _schema(
        ("story_id", _str), ("topic_id", _str), ("label", _str), ("topic_label", _str),
        ("first", _str), ("last", _str), ("articles", _int), ("sources", _int),
        ("outlets", pa.list_(_COUNT)), ("article_ids", pa.list_(_str)),
    ),
    "stories.topic": _schema(
        ("topic_id", _str), ("label", _str), ("first", _str), ("last", _str),
        ("stories", _int), ("articles", _int), ("sources", _int),
        ("outlets", pa.list_(_COUNT)),
    ),
    "events": _schema(
        ("event_id_cnty", _str), ("event_date", _str), ("year", _int),
        ("time_precision", _int), ("event_type", _str), ("sub_event_type", _str),
        ("actor1", _str), ("assoc_actor_1", _str), ("actor2", _str), ("assoc_actor_2", _str),
        ("iso", _int), ("country", _str), ("admin1", _str), ("admin2", _str),
        ("location", _str), ("latitude", _float), ("longitude", _float),
        ("geo_precision", _int), ("source", _str), ("source_scale", _str), ("notes", _str),
        ("fatalities", _int), ("story_id", _str), ("outlets", pa.list_(_str)),
        ("independent_sources", _int), ("sources", pa.list_(_EVENT_SOURCE)),
    ),
    "control": _schema(
        ("story_id", _str), ("place", _str), ("site", _str), ("latitude", _float),
        ("longitude", _float), ("admin1", _str), ("country", _str), ("controller", _str),
        ("since", _str), ("until", _str), ("as_of", _str), ("kind", _str),
        ("partial", pa.bool_()), ("sources", _str),
    ),
    "claims": _schema(
        ("claim_id", _str), ("story_id", _str), ("topic_id", _str), ("text", _str),
        ("kind", _str), ("status", _str), ("dimension", _str), ("outlets", pa.list_(_str)),
        ("independent_sources", _int), ("sides", pa.list_(_SIDE)),
        ("conflicts_with", pa.list_(_str)), ("sources", pa.list_(_CLAIM_SOURCE)),
    ),
    "quotes": _schema(
        ("speaker", _str), ("role", _str), ("affiliation", _str), ("anonymous", _str),
        ("quote", _str), ("kind", _str), ("cue", _str), ("addressee", _str), ("place", _str),
        ("outlet", _str), ("article_id", _str), ("story_id", _str), ("published", _str),
        ("speaker_text", _str), ("resolved_from", _str), ("quote_start", _int),
        ("quote_end", _int), ("sentence_start", _int), ("sentence_end", _int),
    ),
}  # fmt: skip


def _counts(outlets: dict[str, int]) -> list[dict[str, Any]]:
    return [{"outlet": k, "articles": int(v)} for k, v in outlets.items()]


def records(store: Store, table: str, level: str = "article") -> Iterator[dict[str, Any]]:
    """The records of ``table`` (those the JSON lines export writes), one at a time where
    the store gives them so."""
    if table == "articles":
        from sitroom.export.articles import article_record

        yield from (article_record(r) for r in store.articles(with_text=True))
    elif table in ("places", "times"):
        name = "place_mentions" if table == "places" else "time_mentions"
        for r in store.db.execute(
            f"SELECT m.*, a.outlet, a.published, a.title FROM {name} m "
            "JOIN articles a ON a.id = m.article_id ORDER BY a.rowid, m.start"
        ):
            yield dict(r)
    elif table == "stories":
        from sitroom.export.stories import story_records

        for r in story_records(store, level):
            if "outlets" in r:
                r = {**r, "outlets": _counts(r["outlets"])}
            yield r
    elif table == "events":
        from sitroom.export.events import acled_names, event_records

        yield from (acled_names(r) for r in event_records(store))
    elif table == "control":
        from sitroom.export.events import CONTROL_COLUMNS

        for r in store.control():
            rec = {c: r.get(c) for c in CONTROL_COLUMNS}
            rec["partial"] = None if rec["partial"] is None else bool(rec["partial"])
            yield rec
    elif table == "claims":
        from sitroom.export.claims import claim_records

        yield from claim_records(store)
    elif table == "quotes":
        from sitroom.export.claims import quote_records

        yield from quote_records(store)
    else:
        raise OptionsError(f"unknown table {table!r} (choose {', '.join(TABLES)})")


def _schema_of(table: str, level: str) -> Any:
    if table == "stories" and level != "article":
        key = f"stories.{level}"
        if key not in SCHEMAS:
            raise OptionsError(f"unknown level {level!r} (choose article, story, topic)")
        return SCHEMAS[key]
    if table not in SCHEMAS:
        raise OptionsError(f"unknown table {table!r} (choose {', '.join(TABLES)})")
    return SCHEMAS[table]


def write_parquet(store: Store, table: str, path: str | Path, level: str = "article") -> int:
    """Write ``table`` (``stories`` at ``level``) to the Parquet file ``path``; the number
    of rows. The file is written beside ``path`` and renamed into place only when whole."""
    schema = _schema_of(table, level)
    with _replacing(Path(path)) as tmp:
        return _write(records(store, table, level), schema, tmp)


def _write(rows: Iterable[dict[str, Any]], schema: Any, path: Path) -> int:
    n = 0
    it = iter(rows)
    with pq.ParquetWriter(str(path), schema, compression="zstd") as w:
        while chunk := list(islice(it, ROWS)):
            w.write_table(pa.Table.from_pylist([_fit(r, schema) for r in chunk], schema=schema))
            n += len(chunk)
        if not n:  # an empty table still has its columns
            w.write_table(schema.empty_table())
    return n


def _fit(row: dict[str, Any], schema: Any) -> dict[str, Any]:
    """The row's values as the schema types them (flags as booleans)."""
    out = {}
    for f in schema:
        v = row.get(f.name)
        if v is not None and pa.types.is_boolean(f.type):
            v = bool(v)
        out[f.name] = v
    return out


def write_dataset(
    db: str | Path, out: str | Path, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Every table of the store ``db`` as a Parquet dataset directory ``out``
    (``out/TABLE/part-0.parquet``, stories one row per article); rows per table. A table
    directory is replaced only once its file is whole."""
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    done: dict[str, int] = {}
    with Store.open_existing(db) as store:
        for table in TABLES:
            folder = root / table
            tmp = root / f".{table}.{secrets.token_hex(4)}.tmp"
            tmp.mkdir()
            try:
                done[table] = _write(records(store, table), SCHEMAS[table], tmp / "part-0.parquet")
                if folder.exists():
                    shutil.rmtree(folder)
                os.replace(tmp, folder)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            if progress:
                progress(table, done[table])
    return done


@contextlib.contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` that becomes ``path`` if the block succeeds."""
    target = Path(os.path.realpath(path))
    if target.is_dir():
        raise IsADirectoryError(21, "Is a directory", str(path))
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
