"""Events and control as JSON lines and GeoJSON: the same records as the json export, every
point at the coordinates the store holds, rows without coordinates left out and named, and
no markup from the (untrusted) article text in the GeoJSON."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import sitroom
from sitroom.cli.main import app
from sitroom.export.events import ACLED_COLUMNS, CONTROL_COLUMNS, EXTRA_COLUMNS
from sitroom.store import Store

HOSTILE = '</script><img src=x onerror="alert(1)">&amp; Taliban'


def _export(db: Path, what: str, fmt: str) -> tuple[int, str]:
    out = io.StringIO()
    with Store.open_existing(db) as store:
        from sitroom.export.events import write_control, write_events

        write = write_events if what == "events" else write_control
        n = write(store, out, fmt)
    return n, out.getvalue()


def _cli(*args: str) -> Any:
    res = CliRunner().invoke(app, list(args))
    assert res.exit_code == 0, (res.output, res.stderr)
    return res


def _sql(db: Path, query: str) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("what", ["events", "control"])
def test_jsonl_is_the_json_export_one_record_a_line(sample_store: Path, what: str) -> None:
    n, text = _export(sample_store, what, "jsonl")
    lines = text.splitlines()
    assert text.endswith("\n") and len(lines) == n > 0
    rows = [json.loads(line) for line in lines]
    _, whole = _export(sample_store, what, "json")
    assert rows == json.loads(whole)
    columns = [*ACLED_COLUMNS, *EXTRA_COLUMNS] if what == "events" else list(CONTROL_COLUMNS)
    assert all(list(r) == columns for r in rows)
    # the store's records, one each
    table = "events" if what == "events" else "control"
    assert n == _sql(sample_store, f"SELECT count(*) FROM {table}")[0][0]
    if what == "events":
        ids = {r["event_id_cnty"] for r in rows}
        assert ids == {r[0] for r in _sql(sample_store, "SELECT event_id FROM events")}
        assert all(r["sources"] and {"article_id", "outlet", "start", "end"} <= set(
            r["sources"][0]) for r in rows)  # fmt: skip
    # the CLI writes the same lines
    res = _cli("export", what, "--db", str(sample_store), "--format", "jsonl")
    assert [json.loads(line) for line in res.stdout.splitlines()] == rows


def test_events_geojson_points_at_the_stored_coordinates(sample_store: Path) -> None:
    n, text = _export(sample_store, "events", "geojson")
    fc = json.loads(text)
    stored = {
        eid: (lat, lon)
        for eid, lat, lon in _sql(sample_store, "SELECT event_id, latitude, longitude FROM events")
    }
    located = {k: v for k, v in stored.items() if v[0] is not None and v[1] is not None}
    assert fc["type"] == "FeatureCollection" and n == len(fc["features"]) == len(located) > 0
    for f in fc["features"]:
        props = f["properties"]
        lat, lon = located[props["event_id_cnty"]]
        assert f["type"] == "Feature" and f["geometry"] == {
            "type": "Point", "coordinates": [lon, lat]}  # fmt: skip
        assert set(props) == set(ACLED_COLUMNS + EXTRA_COLUMNS) - {"latitude", "longitude"}
    assert not set("<>&") & set(text)  # every one a JSON escape


def test_control_geojson_points_at_the_stored_coordinates(sample_store: Path) -> None:
    n, text = _export(sample_store, "control", "geojson")
    fc = json.loads(text)
    _, whole = _export(sample_store, "control", "json")
    rows = json.loads(whole)
    with_coords = [r for r in rows if r["latitude"] is not None and r["longitude"] is not None]
    assert fc["type"] == "FeatureCollection" and n == len(fc["features"]) == len(with_coords) > 0
    stored = {
        (place, site, since, as_of, controller): (lat, lon)
        for place, site, since, as_of, controller, lat, lon in _sql(
            sample_store,
            "SELECT place, site, since, as_of, controller, latitude, longitude FROM control",
        )
    }
    for f, row in zip(fc["features"], with_coords, strict=True):
        props = f["properties"]
        key = (props["place"], props["site"], props["since"], props["as_of"], props["controller"])
        lat, lon = stored[key]
        assert f["geometry"] == {"type": "Point", "coordinates": [lon, lat]}
        assert props == {k: v for k, v in row.items() if k not in ("latitude", "longitude")}
        assert set(props) == set(CONTROL_COLUMNS) - {"latitude", "longitude"}
    kandahar = [f for f in fc["features"] if f["properties"]["place"] == "Kandahār"]
    lon, lat = kandahar[0]["geometry"]["coordinates"]
    assert abs(lat - 31.61) < 0.3 and abs(lon - 65.71) < 0.3
    assert not set("<>&") & set(text)


def test_control_geojson_leaves_out_unlocated_rows_and_escapes_markup(
    sample_store: Path, tmp_path: Path
) -> None:
    db = tmp_path / "copy.db"
    src = sqlite3.connect(f"file:{sample_store}?mode=ro", uri=True)
    dst = sqlite3.connect(db)
    src.backup(dst)
    src.close()
    cols = ", ".join(c for c in CONTROL_COLUMNS)
    row = dict(
        zip(
            CONTROL_COLUMNS,
            dst.execute(f"SELECT {cols} FROM control WHERE latitude IS NOT NULL").fetchone(),
            strict=True,
        )
    )
    for place, lat, lon, controller in (
        ("Nowhere Known", None, None, "Taliban"),  # no coordinates: left out, named
        ("Nowhere Half", 31.0, None, "Taliban"),
        (HOSTILE, 10.5, 20.25, HOSTILE),  # markup from the text: kept as data, escaped
    ):
        rec = {**row, "place": place, "latitude": lat, "longitude": lon, "controller": controller}
        dst.execute(
            f"INSERT INTO control ({cols}) VALUES ({', '.join('?' * len(CONTROL_COLUMNS))})",
            [rec[c] for c in CONTROL_COLUMNS],
        )
    dst.commit()
    dst.close()
    out = tmp_path / "control.geojson"
    res = _cli("export", "control", "--db", str(db), "--format", "geojson", "--out", str(out))
    text = out.read_text(encoding="utf-8")
    fc = json.loads(text)
    places = [f["properties"]["place"] for f in fc["features"]]
    assert "Nowhere Known" not in places and "Nowhere Half" not in places
    assert (
        "2 rows without coordinates left out of the GeoJSON (the other formats keep them): "
        "Nowhere Half, Nowhere Known" in res.stderr
    )
    assert f"{len(fc['features'])} located rows written to {out}" in res.stderr
    hostile = [f for f in fc["features"] if f["properties"]["place"] == HOSTILE]
    assert len(hostile) == 1 and hostile[0]["properties"]["controller"] == HOSTILE
    assert hostile[0]["geometry"]["coordinates"] == [20.25, 10.5]
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\\u003c/script\\u003e" in text
    # the other formats keep every row
    res = _cli("export", "control", "--db", str(db), "--format", "jsonl")
    assert {"Nowhere Known", "Nowhere Half", HOSTILE} <= {
        json.loads(line)["place"] for line in res.stdout.splitlines()
    }


def test_unknown_formats_refused(sample_store: Path) -> None:
    with pytest.raises(sitroom.OptionsError):
        _export(sample_store, "control", "xml")
    with pytest.raises(sitroom.OptionsError):
        _export(sample_store, "events", "parquet")  # a file format: through write_parquet
    res = CliRunner().invoke(
        app, ["export", "control", "--db", str(sample_store), "--format", "kml"]
    )
    assert res.exit_code == 2
