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
       the other reports of its folder or file (step 7)
    4. a dated byline or timestamp line ("Updated Aug. 13, 2021")
    5. a date in the URL path (/2021/08/13/)
    6. the lede's weekday ("on Friday") within two days after a news photo's caption dated in
       the wire form "Thursday, Aug. 12, 2021" (the first such weekday on or after it)
    7. the other reports of its folder (or of its file, for a JSONL, JSON array or feed):
       when at least 30% of them are dated by steps 1-6 and most of those fall within three
       days of each other, their median date (else ``--date``) gives a dateline its year
       (as does the latest date the text writes, up to the run's reference date), else the
       lede's weekday nearest it. This context is the run's (``RunContext.dates``, built
       once by the engine from every report of the run: ``date_context``), never the batch's,
       so a report is dated the same whatever batch or order it is read in.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable
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

__all__ = [
    "CONTEXT_SOURCE",
    "Undated",
    "article_metadata",
    "by_step7",
    "date_context",
    "date_key",
    "metadata",
    "own_evidence",
    "resolve_undated",
]

_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-]?([01]\d)[/-]?([0-3]\d)(?:/|[^\d]|$)")
_CREDIT_REASONS = ("byline", "credit", "timestamp")
_DATED_REASONS = ("byline", "timestamp")  # a credit's date is often a photo's
_CAPTION_REASONS = ("caption", "shortcode")


CONTEXT_SOURCE = "the other reports of its"
"""Every date step 7 gives from the run's context says so in its ``date_source``."""
_STEP7 = ("other reports", "nearest", "a date in the text")  # older stores: "the batch's ..."


def by_step7(date_source: str) -> bool:
    """Whether a stored ``date_source`` is step 7's (the context's), not the report's own."""
    return any(m in date_source for m in _STEP7)


@dataclass(frozen=True)
class Undated:
    """What step 7 needs of a report its own evidence (steps 1-6) did not date."""

    dateline: tuple[int, int] | None
    """Month and day of its dateline, which has no year."""
    weekday: tuple[int, str] | None
    """The lede's weekday (number, as written)."""
    written: tuple[dt.date, ...] = ()
    """Every full date the text writes: the latest up to the run's reference date (history
    too, so it comes after the report's own) can give a dateline its year."""


@stage(
    "metadata",
    requires=("text", "clean_text", "removed", "fields", "html_meta", "url"),
    assigns=("title", "outlet", "published", "language", "origin"),
)
def metadata(batch: Batch, resources: Resources, options: Options) -> Batch:
    """Decide title, outlet, published date and language from the evidence, in order."""
    index = resources.get("outlets", outlets)
    hints = [(a, _one(a, index, options)) for a in batch.articles]
    context = resources.context
    if context is not None:
        dates, today = context.dates, context.today
    else:  # called on a batch outside an engine run: the batch is the run
        dates = date_context((date_key(a.path, a.locator), a.published) for a, _ in hints)
        today = None
    for a, hint in hints:
        if hint is not None:
            anchor = dates.get(date_key(a.path, a.locator))
            a.published, a.date_source = resolve_undated(hint, anchor, options, today)
    return batch


def article_metadata(
    a: Article, index: OutletIndex | None = None, options: Options | None = None
) -> bool:
    """The stage's work on one article alone: title, outlet and language, and the published
    date where the article itself gives it (steps 1-6); False when only the other reports
    of its folder or file could still date it. ``a`` needs its ``clean`` stage fields."""
    return _one(a, index or outlets(), options or Options()) is None


def own_evidence(a: Article, index: OutletIndex, options: Options) -> Undated | None:
    """Steps 1-6 on ``a`` (title, outlet, language, and the date the report itself gives):
    None when it is dated, else what step 7 needs to date it."""
    return _one(a, index, options)


def _one(a: Article, index: OutletIndex, options: Options) -> Undated | None:
    """Everything but step 7 for one article; what step 7 needs when it stays undated."""
    dateline = find_dateline(a.text)
    _title(a)
    _outlet(a, index, dateline)
    _language(a)
    weekday = lede_weekday(_lede(a.clean_text))
    if _date(a, dateline, weekday, options):
        return None
    return _undated(a, dateline, weekday)


def _undated(a: Article, dl: Dateline | None, weekday: tuple[int, str] | None) -> Undated:
    dates = tuple(sorted({f.date for f in find_full_dates(a.text) if f.weekday_ok is not False}))
    return Undated(
        dateline=(dl.month, dl.day) if dl and dl.month and dl.day else None,
        weekday=weekday,
        written=dates,
    )


def date_key(path: str, locator: str) -> str:
    """The date context a report shares with others: its file's, when the file holds several
    reports (a JSONL line, a JSON array item, a feed item: ``locator`` set), else its
    folder's (a web page: the URL up to its last slash)."""
    if locator:
        return f"file:{path}"
    folder = path.rsplit("/", 1)[0] if "/" in path else ""
    return f"folder:{folder}"


def date_context(
    reports: Iterable[tuple[str, str | None]],
) -> dict[str, tuple[dt.date, str]]:
    """Step 7's context from every report of a run: (``date_key``, date from steps 1-6 or
    None) -> for each key whose reports mostly carry dates clustered within days, their
    median date and what it is. Only such a group says when its undated reports appeared."""
    known: dict[str, list[dt.date]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for key, published in reports:
        counts[key] += 1
        if published:
            known[key].append(dt.date.fromisoformat(published[:10]))
    out: dict[str, tuple[dt.date, str]] = {}
    for key, dates in known.items():
        dates.sort()
        mid = dt.date.fromordinal(int(statistics.median_low(d.toordinal() for d in dates)))
        near = sum(1 for d in dates if abs((d - mid).days) <= 3)
        if near >= max(1, 0.6 * len(dates)) and len(dates) >= 0.3 * counts[key]:
            what = "file" if key.startswith("file:") else "folder"
            out[key] = (mid, f"{CONTEXT_SOURCE} {what}")
    return out


def resolve_undated(
    hint: Undated,
    anchor: tuple[dt.date, str] | None,
    options: Options,
    today: dt.date | None,
) -> tuple[str | None, str]:
    """Step 7 for one report: (published date or None, how it was found), from what the
    report gives (``hint``) and its group's ``anchor`` (``date_context``), else ``--date``.
    ``today``: the run's reference date (no later date the text writes anchors a year)."""
    group = anchor or ((options.date, "--date") if options.date else None)
    written = [d for d in hint.written if today is None or d <= today]
    anchors = [x for x in (group, (written[-1], "a date in the text") if written else None) if x]
    if hint.dateline:
        month, day = hint.dateline
        wd = hint.weekday[0] if hint.weekday else None
        for when, what in anchors:
            y = year_for(month, day, when, wd)
            d = make_date(y, month, day) if y else None
            if d:
                return d.isoformat(), f"dateline, year from {what}"
    if hint.weekday and group:
        d = weekday_near(group[0], hint.weekday[0])
        if d:
            return d.isoformat(), f"weekday '{hint.weekday[1]}' nearest {group[1]} ({group[0]})"
    if hint.dateline:
        month, day = hint.dateline
        return None, f"unknown (dateline gives {month:02d}-{day:02d}, no year: use --year)"
    return None, "unknown"


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
