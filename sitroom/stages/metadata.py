"""Stage ``metadata``: title, outlet, published date and language, each with how it was found.

Evidence is taken in this order, the first that answers wins (nothing is invented; where none
answers the field stays unknown):

outlet
    1. an explicit field (JSON ``outlet``/``source``/..., a feed's channel title)
    2. HTML metadata (``og:site_name`` and kin)
    3. the text's credits: a wire dateline "(Reuters)" (a copyright line naming another
       outlet marks a licensed reprint: the copyright holder is the outlet, the dateline's
       agency its ``origin``); else a byline or copyright line
    4. the URL's domain; when (3) named a news agency and the URL another outlet, the story
       is the agency's copy on that outlet's site: the URL's outlet, with the agency as origin
    5. with no URL, the outlet the text keeps naming as the one its sources spoke to
       ("told NBC News", twice or more and more than any other)
published
    1. an explicit field (JSON ``published``, a feed's ``pubDate``)
    2. HTML metadata (``article:published_time`` and kin)
    3. the dateline's date; a missing year comes from the text's own full dates (dated photo
       captions first), checked against the lede's weekday, else ``--year``/``--date``, else
       the batch's other reports
    4. a dated byline or timestamp line ("Updated Aug. 13, 2021")
    5. a date in the URL path (/2021/08/13/)
    6. the lede's weekday ("on Friday") within two days after a news photo's caption dated in
       the wire form "Thursday, Aug. 12, 2021" (the first such weekday on or after it)
    7. the lede's weekday nearest the dates of the batch's other reports (when at least 30%
       of them are dated and most of those fall within three days of each other), or
       ``--date``
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from dataclasses import dataclass

from sitroom.meta.dateline import Dateline, find_dateline
from sitroom.meta.dates import (
    FullDate,
    find_full_dates,
    lede_weekday,
    make_date,
    parse_date_value,
    weekday_after,
    weekday_near,
    year_for,
)
from sitroom.meta.outlets import OutletIndex, credit_outlet, outlets, self_reference
from sitroom.model import Article, Batch
from sitroom.options import Options
from sitroom.stages.base import Resources, stage

__all__ = ["article_metadata", "metadata"]

_EPOCH = dt.date(2000, 1, 1)
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-]?([01]\d)[/-]?([0-3]\d)(?:/|[^\d]|$)")
_CREDIT_REASONS = ("byline", "credit", "timestamp")
_DATED_REASONS = ("byline", "timestamp")  # a credit's date is often a photo's
_CAPTION_REASONS = ("caption", "shortcode")


@dataclass
class _Pending:
    article: Article
    dateline: Dateline | None
    weekday: tuple[int, str] | None


@stage(
    "metadata",
    requires=("text", "clean_text", "removed", "fields", "html_meta", "url"),
    assigns=("title", "outlet", "published", "language", "origin"),
)
def metadata(batch: Batch, resources: Resources, options: Options) -> Batch:
    """Decide title, outlet, published date and language from the evidence, in order."""
    index = resources.get("outlets", outlets)
    undated = [p for a in batch.articles if (p := _one(a, index, options)) is not None]
    if undated:
        _dates_from_batch(batch, undated, options)
    return batch


def article_metadata(
    a: Article, index: OutletIndex | None = None, options: Options | None = None
) -> bool:
    """The stage's work on one article alone: title, outlet and language, and the published
    date where the article itself gives it (steps 1-6); False when only the other reports
    of a batch could still date it. ``a`` needs its ``clean`` stage fields."""
    return _one(a, index or outlets(), options or Options()) is None


def _one(a: Article, index: OutletIndex, options: Options) -> _Pending | None:
    """Everything but step 7 for one article; what step 7 needs when it stays undated."""
    dateline = find_dateline(a.text)
    _title(a)
    _outlet(a, index, dateline)
    _language(a)
    weekday = lede_weekday(_lede(a.clean_text))
    if _date(a, dateline, weekday, options):
        return None
    return _Pending(a, dateline, weekday)


def _title(a: Article) -> None:
    explicit = a.fields.get("title")
    if isinstance(explicit, str) and explicit.strip():
        a.title, a.title_source = " ".join(explicit.split()), "field:title"
        return
    if a.html_meta.get("title"):
        a.title, a.title_source = a.html_meta["title"], "html:title"
        return
    for r in a.removed:
        if r.reason == "title":
            a.title, a.title_source = r.text.strip(), "headline line"
            return
    lede = a.clean_text.strip()
    dl = find_dateline(lede)
    if dl:  # "KABUL, Aug 13 (Reuters) - The Taliban ..." -> "The Taliban ..."
        lede = lede[dl.end :]
    first = re.split(r"(?<=[.!?])\s+", lede, maxsplit=1)[0]
    if len(first) > 120:
        first = first[:117].rsplit(" ", 1)[0] + "…"
    a.title, a.title_source = (first or None), "lede"


def _outlet(a: Article, index: OutletIndex, dateline: Dateline | None) -> None:
    wire = index.canonical(dateline.outlet) if dateline and dateline.outlet else None
    explicit = a.fields.get("outlet")
    if isinstance(explicit, str) and explicit.strip():
        src = str(a.fields.get("outlet_source") or "field:outlet")
        a.outlet, a.outlet_source = _named(explicit, index), src
    elif a.html_meta.get("sitename"):
        a.outlet, a.outlet_source = _named(a.html_meta["sitename"], index), "html:site_name"
    else:
        _outlet_from_text(a, index, wire)
    if wire and a.outlet and wire != a.outlet:
        a.origin = wire


def _named(name: str, index: OutletIndex) -> str:
    """An outlet name as given, or the outlet a bare domain ("www.npr.org") belongs to."""
    name = name.strip()
    if " " not in name and "." in name:
        listed, host = index.by_url(name)
        return listed or host or name
    return index.canonical(name)


def _outlet_from_text(a: Article, index: OutletIndex, wire: str | None) -> None:
    """Steps 3-4: credits in the text, then the URL; the text's self-reference last."""
    credit_lines = [r.text for r in a.removed if r.reason in _CREDIT_REASONS]
    credited = credit_outlet(credit_lines, index)
    found: tuple[str, str] | None = None
    if wire:
        if credited and credited[1] == "copyright line" and credited[0] != wire:
            found = (credited[0], "copyright line (reprint)")
        else:
            found = (wire, "dateline")
    elif credited:
        found = credited
    listed, host = index.by_url(a.url) if a.url else (None, None)
    site = (listed, "url-domain") if listed else (host, "url-domain (unlisted)")
    if found and site[0] and found[0] != site[0] and _is_agency(found, index):
        # a wire story on another outlet's site: the site published it, the agency wrote it
        a.outlet, a.outlet_source, a.origin = site[0], f"{site[1]} (reprint)", found[0]
        return
    if found:
        a.outlet, a.outlet_source = found
    elif site[0]:
        a.outlet, a.outlet_source = site[0], site[1]
    else:
        spoken = self_reference(a.clean_text, index)
        if spoken:
            a.outlet = spoken[0]
            a.outlet_source = f"self-reference (sources told it, {spoken[1]}x)"


def _is_agency(found: tuple[str, str], index: OutletIndex) -> bool:
    """The credit names a news agency: a dateline's outlet, or a listed wire service."""
    listed = index.find(found[0])
    return found[1] == "dateline" or (listed is not None and listed.kind == "wire")


def _language(a: Article) -> None:
    explicit = a.fields.get("language")
    if isinstance(explicit, str) and 2 <= len(explicit.strip()) <= 8:
        a.language = explicit.strip().lower().split("-")[0]
        return
    sample = a.clean_text[:400]  # plenty for a language id; the classifier is O(length)
    if len(sample.split()) < 3:
        a.language = None
        return
    import py3langid

    lang, _ = py3langid.classify(sample)
    a.language = lang


def _lede(clean: str) -> str:
    paras = [p for p in clean.split("\n") if p.strip()]
    return "\n".join(paras[:2])


def _dated_spans(a: Article, reasons: tuple[str, ...]) -> list[FullDate]:
    out: list[FullDate] = []
    for r in a.removed:
        if r.reason in reasons:
            out.extend(f for f in find_full_dates(r.text) if f.weekday_ok is not False)
    return out


def _caption_anchor(a: Article, with_weekday: bool = False) -> tuple[dt.date, str] | None:
    """The latest date of the article's own photo captions (file photos last).

    ``with_weekday``: only the wire caption form "Thursday, Aug. 12, 2021", whose weekday
    matches its date: a news photo of the day. A bare date may be an archive picture.
    """
    fresh: list[dt.date] = []
    old: list[dt.date] = []
    for r in a.removed:
        if r.reason not in _CAPTION_REASONS:
            continue
        found = find_full_dates(r.text)
        dates = [
            f.date for f in found if (f.weekday_ok if with_weekday else f.weekday_ok is not False)
        ]
        is_file = re.search(r"(?i)\bfile\b", r.text)
        if with_weekday and is_file:
            continue
        (old if is_file else fresh).extend(dates)
    for group, what in ((fresh, "dated caption"), (old, "dated file-photo caption")):
        if group:
            return max(group), what
    return None


def _set(a: Article, d: dt.date, source: str) -> bool:
    a.published, a.date_source = d.isoformat(), source
    return True


def _date(
    a: Article, dateline: Dateline | None, weekday: tuple[int, str] | None, options: Options
) -> bool:
    """Steps 1-6 of the module docstring; False when only the batch can still help."""
    explicit = a.fields.get("published")
    if explicit is not None:
        d = parse_date_value(explicit)
        if d:
            return _set(a, d, str(a.fields.get("date_source") or "field:published"))
    if a.html_meta.get("date"):
        d = parse_date_value(a.html_meta["date"])
        if d:
            return _set(a, d, "html:meta")
    caption = _caption_anchor(a)
    wd = weekday[0] if weekday else None
    if dateline and dateline.month and dateline.day:
        if dateline.year:
            day = make_date(dateline.year, dateline.month, dateline.day)
            if day:
                return _set(a, day, "dateline")
        elif _dateline_year(a, dateline, wd, _year_anchors(a, caption, options)):
            return True
    credited = _dated_spans(a, _DATED_REASONS)
    if credited:
        return _set(a, credited[0].date, "byline/timestamp line")
    if a.url:
        m = _URL_DATE.search(a.url)
        if m:
            day = make_date(*map(int, m.groups()))
            if day:
                return _set(a, day, "url path")
    news_photo = _caption_anchor(a, with_weekday=True)
    if weekday and news_photo:
        d = weekday_after(news_photo[0], weekday[0], max_days=2)
        if d:
            return _set(a, d, f"weekday '{weekday[1]}' after {news_photo[1]} {news_photo[0]}")
    return False


def _year_anchors(
    a: Article, caption: tuple[dt.date, str] | None, options: Options
) -> list[tuple[dt.date, str]]:
    out: list[tuple[dt.date, str]] = []
    if caption:
        out.append(caption)
    mid_year = make_date(options.year, 7, 1) if options.year else None
    if mid_year:
        out.append((mid_year, "--year"))
    if options.date:
        out.append((options.date, "--date"))
    return out


def _text_anchor(a: Article) -> tuple[dt.date, str] | None:
    """The latest full date the text writes (history too, so it comes after the batch)."""
    today = dt.date.today()
    dated = [f.date for f in find_full_dates(a.text) if f.weekday_ok is not False]
    dated = [d for d in dated if d <= today]
    return (max(dated), "a date in the text") if dated else None


def _dates_from_batch(batch: Batch, undated: list[_Pending], options: Options) -> None:
    """Step 7: anchor what is left on the dates of the batch's other reports, or --date."""
    known = sorted(dt.date.fromisoformat(a.published) for a in batch.articles if a.published)
    batch_anchor: tuple[dt.date, str] | None = None
    mid = dt.date.fromordinal(int(statistics.median_low(d.toordinal() for d in known or [_EPOCH])))
    near = sum(1 for d in known if abs((d - mid).days) <= 3)
    if known and near >= max(1, 0.6 * len(known)) and len(known) >= 0.3 * len(batch.articles):
        # only a batch whose reports mostly carry dates, clustered within days, says when an
        # undated one appeared
        batch_anchor = (mid, "the batch's other reports")
    elif options.date:
        batch_anchor = (options.date, "--date")
    for p in undated:
        a, dl = p.article, p.dateline
        wd = p.weekday[0] if p.weekday else None
        anchors = [x for x in (batch_anchor, _text_anchor(a)) if x]
        if dl and dl.month and dl.day and _dateline_year(a, dl, wd, anchors):
            continue
        if p.weekday and batch_anchor:
            d = weekday_near(batch_anchor[0], p.weekday[0])
            if d:
                _set(
                    a, d, f"weekday '{p.weekday[1]}' nearest {batch_anchor[1]} ({batch_anchor[0]})"
                )
                continue
        _unknown(a, dl)


def _dateline_year(
    a: Article, dl: Dateline, wd: int | None, anchors: list[tuple[dt.date, str]]
) -> bool:
    assert dl.month and dl.day
    for anchor, what in anchors:
        y = year_for(dl.month, dl.day, anchor, wd)
        if y:
            day = make_date(y, dl.month, dl.day)
            if day:
                return _set(a, day, f"dateline, year from {what}")
    return False


def _unknown(a: Article, dl: Dateline | None) -> None:
    a.published = None
    if dl and dl.month and dl.day:
        a.date_source = f"unknown (dateline gives {dl.month:02d}-{dl.day:02d}, no year: use --year)"
    else:
        a.date_source = "unknown"
