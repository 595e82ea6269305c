"""Stage ``ingest``: decode and parse input items into articles with a stable content id."""

from __future__ import annotations

import json
from typing import Any

from sitroom.errors import InputError, ParseError
from sitroom.inputs.decode import decode_bytes, sniff_kind
from sitroom.model import Article, Batch, InputItem, article_id
from sitroom.options import Options
from sitroom.stages.base import Resources, stage

__all__ = ["FIELD_ALIASES", "ingest"]

# Explicit fields, under the names news datasets and scrapers use for them.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "articleBody", "article_body", "maintext",
             "full_text", "fulltext", "story"),
    "html": ("html", "raw_html", "content_html", "html_content", "page", "page_html"),
    "title": ("title", "headline", "name"),
    "outlet": ("outlet", "source", "publisher", "site_name", "sitename", "source_name",
               "media", "outlet_name", "source_domain", "domain_name", "domain"),
    "url": ("url", "link", "canonical_url", "source_url", "article_url", "uri"),
    "published": ("published", "published_at", "publishedAt", "date", "pubDate", "pub_date",
                  "date_publish", "datePublished", "publish_date", "published_date",
                  "created_at", "datetime", "time", "timestamp", "dateline_date"),
    "language": ("language", "lang", "lang_code"),
}  # fmt: skip


@stage("ingest", requires=(), assigns=("id", "raw", "raw_format", "fields", "url"))
def ingest(batch: Batch, resources: Resources, options: Options) -> Batch:
    """Each input item becomes one article (a JSON array, several); bad ones become failures.

    Articles already in the store, or already read in this run, are dropped here: re-running
    the same input adds nothing, and a killed run resumes where its last batch landed.
    """
    read: list[Article] = []
    for item in batch.items:
        try:
            read.extend(read_item(item, options))
        except InputError as exc:
            batch.failures.append(exc)
    stored = resources.archive.known_ids(a.id for a in read)
    for a in read:
        if a.id in stored or a.id in resources.seen_ids:
            batch.skipped += 1
            continue
        resources.seen_ids.add(a.id)
        batch.articles.append(a)
    batch.items = []
    return batch


def read_item(item: InputItem, options: Options) -> list[Article]:
    """The articles in one input item."""
    if isinstance(item.payload, bytes):
        text, encoding = decode_bytes(item.payload, item.path, item.locator)
    else:
        text, encoding = item.payload, "utf-8"
        if not text.strip():
            raise InputError(item.path, "empty (no text)", item.locator)
    kind = item.kind
    if kind == "text" and sniff_kind(text) == "html":
        kind = "html"
    if kind == "json":
        return [
            _from_fields(item, fields, loc)
            for fields, loc in _json_articles(text, item.path, item.locator)
        ]
    fields = dict(item.fields)
    if encoding not in ("utf-8", "utf-8-sig", "ascii"):
        fields["encoding"] = encoding
    fmt = "html" if kind in ("html", "feed") else "text"
    return [_article(item, item.locator, text, fmt, fields)]


def _json_articles(text: str, path: str, locator: str) -> list[tuple[dict[str, Any], str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(
            path, f"malformed JSON ({exc.msg} at line {exc.lineno} column {exc.colno})", locator
        ) from None
    if isinstance(data, dict):
        for key in ("articles", "items", "data", "results"):
            if isinstance(data.get(key), list) and not _has_body(data):
                data = data[key]
                break
    if isinstance(data, dict):
        return [(data, locator)]
    if isinstance(data, list):
        out = []
        for i, obj in enumerate(data, 1):
            if not isinstance(obj, dict):
                raise ParseError(path, f"JSON array item {i} is not an object", locator)
            out.append((obj, f"{locator + ', ' if locator else ''}item {i}"))
        if not out:
            raise ParseError(path, "empty JSON array", locator)
        return out
    raise ParseError(path, f"JSON holds a {type(data).__name__}, not an article object", locator)


def _has_body(obj: dict[str, Any]) -> bool:
    return any(isinstance(obj.get(k), str) for k in FIELD_ALIASES["text"] + FIELD_ALIASES["html"])


def _pick(obj: dict[str, Any], name: str) -> Any:
    for key in FIELD_ALIASES[name]:
        val = obj.get(key)
        if isinstance(val, dict):  # {"source": {"name": "Reuters"}}
            val = val.get("name") or val.get("title")
        if val not in (None, "", []):
            return val
    return None


def _from_fields(item: InputItem, obj: dict[str, Any], locator: str) -> Article:
    fields = {name: _pick(obj, name) for name in FIELD_ALIASES}
    fields = {k: v for k, v in fields.items() if v is not None}
    body_text, body_html = fields.pop("text", None), fields.pop("html", None)
    if isinstance(body_html, str) and body_html.strip():
        raw, fmt = body_html, "html"
    elif isinstance(body_text, str) and body_text.strip():
        raw, fmt = body_text, "text"
        if sniff_kind(raw) == "html" or raw.lstrip().startswith("<p"):
            fmt = "html"
    else:
        raise ParseError(item.path, "no article text (expected a 'text' or 'html' field)", locator)
    for key in ("title", "outlet", "url", "language"):
        if key in fields and not isinstance(fields[key], str):
            fields[key] = str(fields[key])
    return _article(item, locator, raw, fmt, fields)


def _article(item: InputItem, locator: str, raw: str, fmt: str, fields: dict[str, Any]) -> Article:
    url = fields.get("url") if isinstance(fields.get("url"), str) else None
    # A fetched page changes with every fetch (ads, tokens); its feed item's identity does not.
    basis = fields.get("id_basis")
    return Article(
        path=item.path,
        locator=locator,
        input_kind=item.kind,
        id=article_id(basis if isinstance(basis, str) else raw, fields),
        raw=raw,
        raw_format="html" if fmt == "html" else "text",
        fields=fields,
        url=url,
    )
