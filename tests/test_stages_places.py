"""Stages nlp, places and times inside a run: roles, offsets into the original, the store."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import sitroom
from sitroom import nlp

REPORT = """\
Insurgents seize Qala-e-Naw as Herat falls

By Lena Ortiz | Valley Herald

HERAT, Afghanistan, March 4 (Valley Herald) - Insurgents took Herat on Friday after a week of
fighting, officials said, and also seized Qala-e-Naw in the northwest.

Fighters patrol a road near Kandahar, Thursday, March 3, 2022. Jane Roe / AP

Officials said about 600 troops would reach Kabul within 48 hours.

Jane Roe reported from Kandahar.
"""


def test_stages_places_and_times_in_a_run(tmp_path: Path, db: Path) -> None:
    f = tmp_path / "report.txt"
    f.write_text(REPORT, encoding="utf-8")
    rep = sitroom.run([f], db=db)
    assert rep.ok and rep.added == 1
    assert {"nlp", "places", "times"} <= set(rep.stage_seconds)
    with sitroom.open_store(db) as store:
        places = store.place_mentions()
        times = store.time_mentions()
    for m in places + times:
        assert REPORT[m["start"] : m["end"]] == m["text"]  # offsets into the input's own text
    by_role: dict[str, set[str]] = {}
    for p in places:
        by_role.setdefault(p["role"], set()).add(p["name"])
    assert "Herāt" in by_role["dateline"]
    assert {"Herāt", "Qala i Naw", "Kabul"} <= by_role["body"]
    assert "Kandahār" in by_role["caption"] and "Kandahār" in by_role["credit"]
    assert "Kandahār" not in by_role["body"]  # only caption and credit name it
    assert "Qala i Naw" in by_role["title"]
    values = {(t["text"], t["value"], t["role"]) for t in times}
    assert ("Friday", "2022-03-04", "body") in values
    assert ("Thursday, March 3, 2022", "2022-03-03", "caption") in values
    assert any(t["type"] == "DURATION" and t["value"] == "PT48H" for t in times)


def test_stages_places_exports(tmp_path: Path, db: Path) -> None:
    f = tmp_path / "report.txt"
    f.write_text(REPORT, encoding="utf-8")
    sitroom.run([f], db=db)
    out = tmp_path / "places.geojson"
    with out.open("w", encoding="utf-8") as fh:
        n = sitroom.export_mentions(db, fh, "places", "geojson")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert n == len(data["features"]) > 3
    herat = next(f for f in data["features"] if f["properties"]["name"] == "Herāt")
    lon, lat = herat["geometry"]["coordinates"]
    assert 61.5 < lon < 62.5 and 34 < lat < 35
    assert herat["properties"]["outlet"] == "Valley Herald"


def test_stages_one_model_load_for_many_files(tmp_path: Path) -> None:
    files = []
    for i in range(4):
        f = tmp_path / f"r{i}.txt"
        f.write_text(REPORT.replace("600", str(600 + i)), encoding="utf-8")
        files.append(f)
    before = nlp.LOADS[0]
    got = list(sitroom.extract(files, ("ingest", "clean", "metadata", "nlp", "places"), workers=1))
    assert len(got) == 4
    assert nlp.LOADS[0] - before <= 1


def _cli(*args: str | Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sitroom", *map(str, args)], input=stdin,
                          capture_output=True, text=True, timeout=300)  # fmt: skip


def test_stages_places_and_times_cli(tmp_path: Path) -> None:
    art = tmp_path / "a.json"
    art.write_text(
        json.dumps({"text": "Talks opened in Herat on Monday.", "published": "2023-05-10"})
    )
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    r = _cli("places", art, empty)
    assert r.returncode == 1 and f"error: {empty}: empty" in r.stderr
    (row,) = [json.loads(x) for x in r.stdout.splitlines()]
    assert row["file"] == str(art) and row["text"] == "Herat" and row["admin1"] == "Herāt"
    assert {"geonameid", "latitude", "longitude", "country_code", "admin2", "feature",
            "geo_precision", "score", "start", "end"} <= set(row)  # fmt: skip
    r = _cli("times", art)
    (t,) = [json.loads(x) for x in r.stdout.splitlines()]
    assert (t["value"], t["type"], t["time_precision"]) == ("2023-05-08", "DATE", 1)
    r = _cli("times", "-", "--date", "2021-08-13", stdin="Officials met on Thursday.")
    assert json.loads(r.stdout)["value"] == "2021-08-12"
    r = _cli("times", "-", stdin="Officials met on Thursday.")
    assert r.returncode == 0 and json.loads(r.stdout)["value"].startswith("XXXX")
    r = _cli("places", "-", "--format", "table", stdin="Talks opened in Herat on Monday.")
    assert r.returncode == 0 and "Herāt" in r.stdout
