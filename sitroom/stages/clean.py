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
from sitroom.text.clean import Cleaned, clean_html, clean_plain

__all__ = ["clean", "clean_article"]

_WORD = re.compile(r"[^\W\d_]{2,}")


@stage(
    "clean",
    requires=("raw", "raw_format", "fields"),
    assigns=("text", "clean_text", "removed", "offsets", "extractor", "html_meta"),
)
def clean(batch: Batch, resources: Resources, options: Options) -> Batch:
    """Strip boilerplate and debris from each article, recording what went and why."""
    kept = []
    for article in batch.articles:
        try:
            clean_article(article)
        except ParseError as exc:
            batch.failures.append(exc)
            continue
        kept.append(article)
    batch.articles = kept
    return batch


def clean_article(article: Article) -> Article:
    """Fill the clean stage's fields of ``article`` in place."""
    title = article.fields.get("title")
    title = title if isinstance(title, str) else None
    try:
        if article.raw_format == "html":
            result: Cleaned = clean_html(article.raw, article.url, title)
        else:
            result = clean_plain(article.raw, title)
    except (ValueError, TypeError, etree.LxmlError) as exc:  # lxml on hopeless markup
        raise ParseError(article.path, f"malformed HTML ({exc})", article.locator) from None
    if not _WORD.search(result.clean_text):
        raise ParseError(article.path, "no article text left after cleaning", article.locator)
    article.text = result.text
    article.clean_text = result.clean_text
    article.removed = result.removed
    article.offsets = result.offsets
    article.extractor = result.extractor
    article.html_meta = result.meta
    return article
