"""Stage ``clean``: the article body, with every removed span and an offset map kept.

HTML goes through the extraction cascade of ``text/html.py`` (trafilatura first), then the
text rules; plain text goes through the text rules of ``text/debris.py`` alone. The original
text is never changed: ``Article.text`` keeps it, ``Article.removed`` says what was dropped
and why, and ``Article.offsets`` maps the clean text back onto it.
"""

from __future__ import annotations

import re

from lxml import etree

from sitroom.errors import ParseError
from sitroom.model import Article, Batch
from sitroom.options import Options
from sitroom.stages.base import Resources, stage
from sitroom.text.clean import Cleaned, clean_html, clean_plain, reading_text

__all__ = ["clean", "clean_article"]

_WORD = re.compile(r"[^\W\d_]{2,}")


@stage(
    "clean",
    requires=("raw", "raw_format", "fields"),
    assigns=(
        "text",
        "clean_text",
        "removed",
        "offsets",
        "extractor",
        "html_meta",
        "reading",
        "reading_map",
        "reading_roles",
    ),
    essential=True,
)
def clean(batch: Batch, resources: Resources, options: Options) -> Batch:
    """Strip boilerplate and debris from each article, recording what went and why."""
    jobs = [_job(a) for a in batch.articles]
    kept = []
    for article, result in zip(batch.articles, resources.map(_clean, jobs, options), strict=True):
        if isinstance(result, ParseError):
            batch.failures.append(result)
            continue
        _assign(article, result)
        kept.append(article)
    batch.articles = kept
    return batch


_Job = tuple[str, str, str | None, str | None, str, str]


def _job(a: Article) -> _Job:
    title = a.fields.get("title")
    return (a.raw, a.raw_format, a.url, title if isinstance(title, str) else None, a.path,
            a.locator)  # fmt: skip


def _clean(job: _Job) -> Cleaned | ParseError:
    """The pure per-article work (runs in a worker process on big batches)."""
    raw, fmt, url, title, path, locator = job
    try:
        result = clean_html(raw, url, title) if fmt == "html" else clean_plain(raw, title)
    except (ValueError, TypeError, etree.LxmlError) as exc:  # lxml on hopeless markup
        return ParseError(path, f"malformed HTML ({exc})", locator)
    if not _WORD.search(result.clean_text):
        return ParseError(path, "no article text left after cleaning", locator)
    return result


def clean_article(article: Article) -> Article:
    """Fill the clean stage's fields of ``article`` in place (raises ParseError)."""
    result = _clean(_job(article))
    if isinstance(result, ParseError):
        raise result
    return _assign(article, result)


def _assign(article: Article, result: Cleaned) -> Article:
    article.text = result.text
    article.clean_text = result.clean_text
    article.removed = result.removed
    article.offsets = result.offsets
    article.extractor = result.extractor
    article.html_meta = result.meta
    article.reading, article.reading_map, article.reading_roles = reading_text(
        result.text, result.offsets, result.removed
    )
    return article
