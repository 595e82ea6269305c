"""Stage ``metadata``: outlet and date from the text by general rules, in the stated order."""

from __future__ import annotations

from pathlib import Path

from sitroom.model import Article, Batch
from sitroom.options import Options
from sitroom.stages import Resources
from sitroom.stages.clean import clean_article
from sitroom.stages.metadata import metadata
from sitroom.store import Store


def _run(texts: list[str], tmp_path: Path, **opts: object) -> list[Article]:
    arts = []
    for i, t in enumerate(texts):
        a = Article(path=f"a{i}.txt", id=f"id{i}", raw=t, raw_format="text")
        clean_article(a)
        arts.append(a)
    with Store(tmp_path / "m.db") as store:
        batch = metadata(Batch(articles=arts), Resources(archive=store), Options().replace(**opts))
    return batch.articles


def test_metadata_wire_dateline_with_year_from_caption(tmp_path: Path) -> None:
    text = (
        "Aid convoys stopped at the border, Tuesday, March 8, 2022. Ana Cruz / AP\n\n"
        "BEIRUT, March 9 (Reuters) - Aid convoys resumed on Wednesday, officials said.\n\n"
        "More trucks are expected."
    )
    (a,) = _run([text], tmp_path)
    assert (a.outlet, a.outlet_source) == ("Reuters", "dateline")
    assert a.published == "2022-03-09"
    assert a.date_source == "dateline, year from dated caption"
    assert a.title == "Aid convoys resumed on Wednesday, officials said."


def test_metadata_weekday_after_dated_caption_and_self_reference(tmp_path: Path) -> None:
    text = (
        "QUITO, Ecuador — Protesters blocked the main highway on Friday, a police official "
        "told the Valley Herald.\n\n"
        "Trucks queue near the toll gate, Thursday, June 13, 2024. Ana Cruz / AP\n\n"
        "Farmers confirmed to the Valley Herald that they would stay until Monday."
    )
    (a,) = _run([text], tmp_path)
    assert a.outlet == "Valley Herald"
    assert a.outlet_source.startswith("self-reference")
    assert a.published == "2024-06-14"
    assert a.date_source.startswith("weekday 'Friday' after dated caption 2024-06-13")


def test_metadata_reprint_keeps_publisher_and_origin(tmp_path: Path) -> None:
    text = (
        "LIMA, May 2 (Andes Wire) - Congress voted on Thursday to delay the elections.\n\n"
        "Opponents said they would appeal.\n\n"
        "© 2024 Coastal Daily. This Andes Wire report is republished under licence."
    )
    (a,) = _run([text], tmp_path, year=2024)
    assert (a.outlet, a.origin) == ("Coastal Daily", "Andes Wire")
    assert a.published == "2024-05-02"
    assert a.date_source == "dateline, year from --year"


def test_metadata_batch_context_dates_an_undated_report(tmp_path: Path) -> None:
    dated = "OSLO, Feb 7, 2024 (Nordic Wire) - Talks opened on Wednesday.\n\nMore later."
    undated = "Talks opened in Oslo on Wednesday, delegates said.\n\nBy Per Lund | Fjord Post"
    a, b = _run([dated, undated], tmp_path)
    assert a.published == "2024-02-07"
    assert (b.outlet, b.outlet_source) == ("Fjord Post", "byline")
    assert b.published == "2024-02-07"
    assert b.date_source.startswith("weekday 'Wednesday' nearest the other reports of its folder")


def test_metadata_context_is_the_runs_by_folder_or_file_never_the_batchs(tmp_path: Path) -> None:
    import datetime as dt

    from sitroom.stages.base import RunContext
    from sitroom.stages.metadata import date_context, date_key

    assert date_key("in/a.txt", "") == date_key("in/b.html", "") == "folder:in"
    assert date_key("in/feed.jsonl", "line 3") == "file:in/feed.jsonl"
    dates = date_context([("folder:in", "2024-02-07"), ("folder:in", None),
                          ("folder:out", None), ("file:x.jsonl", "2020-01-01"),
                          ("file:x.jsonl", "2024-01-01"), ("file:x.jsonl", None)])  # fmt: skip
    assert dates == {"folder:in": (dt.date(2024, 2, 7), "the other reports of its folder")}
    # a report alone in its batch is dated by the run's context for its folder
    undated = "Talks opened in Oslo on Wednesday, delegates said.\n\nBy Per Lund | Fjord Post"
    a = Article(path="in/b.txt", id="b", raw=undated, raw_format="text")
    clean_article(a)
    ctx = RunContext(dt.date(2024, 3, 1), dates)
    metadata(Batch(articles=[a]), Resources(archive=None, context=ctx), Options())  # type: ignore[arg-type]
    assert a.published == "2024-02-07"
    # in another folder it is not; nor does a date its text writes after the run's day count
    b = Article(path="out/b.txt", id="c", raw="KABUL, Aug 13 (Kabul Ledger) - Talks opened."
                "\n\nThe talks of Aug. 13, 2025 and Aug. 13, 2021 were noted.", raw_format="text")
    clean_article(b)
    metadata(Batch(articles=[b]), Resources(archive=None, context=ctx), Options())  # type: ignore[arg-type]
    assert (b.published, b.date_source) == ("2021-08-13", "dateline, year from a date in the text")


def test_metadata_wire_copy_on_a_newspaper_site(tmp_path: Path) -> None:
    a = Article(
        path="x.json",
        id="x",
        raw="LIMA, Peru (AP) — Congress voted on Thursday to delay the elections.\n\nMore.",
        url="https://www.washingtonpost.com/world/2024/05/02/peru-vote/",
    )
    clean_article(a)
    b = Article(path="y.json", id="y", raw="Talks resumed.", fields={"outlet": "www.npr.org"})
    clean_article(b)
    with Store(tmp_path / "m.db") as store:
        metadata(Batch(articles=[a, b]), Resources(archive=store), Options())
    assert (a.outlet, a.origin) == ("The Washington Post", "Associated Press")
    assert a.outlet_source == "url-domain (reprint)"
    assert a.published == "2024-05-02" and a.date_source == "url path"
    assert (b.outlet, b.outlet_source) == ("NPR", "field:outlet")


def test_metadata_unknown_stays_unknown(tmp_path: Path) -> None:
    (a,) = _run(["Talks went on.\n\nNobody said when."], tmp_path)
    assert (a.outlet, a.outlet_source) == (None, "unknown")
    assert (a.published, a.date_source) == (None, "unknown")


def test_metadata_dateline_without_year_says_what_is_missing(tmp_path: Path) -> None:
    (a,) = _run(["ROME, June 3 (Tiber Wire) - The vote was held.\n\nMore later."], tmp_path)
    assert a.outlet == "Tiber Wire"
    assert a.published is None
    assert "no year" in a.date_source


def test_metadata_explicit_fields_win(tmp_path: Path) -> None:
    a = Article(
        path="x.json",
        id="x",
        raw="ROME, June 3 (Tiber Wire) - The vote was held.",
        fields={"outlet": "Lazio Daily", "published": "2023-06-04", "title": "Vote held"},
    )
    clean_article(a)
    with Store(tmp_path / "m.db") as store:
        metadata(Batch(articles=[a]), Resources(archive=store), Options())
    assert (a.outlet, a.outlet_source, a.origin) == ("Lazio Daily", "field:outlet", "Tiber Wire")
    assert (a.published, a.date_source) == ("2023-06-04", "field:published")
    assert (a.title, a.title_source) == ("Vote held", "field:title")
    assert a.language == "en"
