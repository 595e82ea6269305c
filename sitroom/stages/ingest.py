"""Stage ``ingest``: decode and parse input items into articles with a stable content id.

Whatever one input holds, it never stops the batch: each bad file, JSONL line, JSON array item
or feed item becomes its own failure (path, locator, one-line reason) and the rest land. Texts
longer than ``Options.max_chars`` are refused here, before any costly stage; mojibake is undone
and unusable characters replaced (inputs/repair.py), each repair said in ``fields["repaired"]``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sitroom.errors import InputError, ParseError, TooLargeError
from sitroom.inputs.decode import decode_bytes, sniff_kind
from sitroom.inputs.repair import TooDeep, repair_text, repair_value
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


@stage(
    "ingest",
    requires=(),
    assigns=("id", "raw", "raw_format", "fields", "url"),
    isolation="self",
    essential=True,
)
def ingest(batch: Batch, resources: Resources, options: Options) -> Batch:
    """Each input item becomes one article (a JSON array, several); bad ones become failures.

    A bad item of a JSON array or JSONL line fails alone, the others land. Decoding only: which
    articles the store already holds, or the run read twice (one content id), is the
    engine's keyed step (``sitroom.engines.plan.skip``), so re-running the same input adds
    nothing and a killed run resumes where its last batch landed.
    """
    for item in batch.items:
        for got in read_item(item, options):
            if isinstance(got, InputError):
                batch.failures.append(got)
            else:
                batch.articles.append(got)
    batch.items = []
    return batch


def read_item(item: InputItem, options: Options) -> list[Article | InputError]:
    """The articles in one input item, and a failure for each part of it that is not one.

    Whatever goes wrong with one input is that input's failure, never the batch's.
    """
    try:
        return _read_item(item, options)
    except InputError as exc:
        return [exc]
    except RecursionError:
        return [ParseError(item.path, "nested too deep to read", item.locator)]
    except MemoryError:
        raise
    except Exception as exc:  # a bug on odd input must not stop the batch
        why = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        return [InputError(item.path, f"could not be read ({why})", item.locator)]


def _read_item(item: InputItem, options: Options) -> list[Article | InputError]:
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
        out: list[Article | InputError] = []
        for got in _json_articles(text, item.path, item.locator):
            if isinstance(got, InputError):
                out.append(got)
                continue
            obj, loc = got
            try:
                out.append(_from_fields(item, obj, loc, options))
            except InputError as exc:
                out.append(exc)
        return out
    fields = dict(item.fields)
    if encoding not in ("utf-8", "utf-8-sig", "ascii"):
        fields["encoding"] = encoding
    fmt = "html" if kind in ("html", "feed") else "text"
    return [_article(item, item.locator, text, fmt, fields, options)]


def _json_articles(
    text: str, path: str, locator: str
) -> list[tuple[dict[str, Any], str] | InputError]:
    """Each article object in a JSON document with its locator, or the failure of an item
    that is not one; raises ParseError when the document itself cannot be read."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(
            path, f"malformed JSON ({exc.msg} at line {exc.lineno} column {exc.colno})", locator
        ) from None
    except RecursionError:
        raise ParseError(path, "JSON nested too deep", locator) from None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        why = " ".join(str(exc).split(";", 1)[0].split())
        raise ParseError(path, f"malformed JSON ({why})", locator) from None
    if isinstance(data, dict):
        for key in ("articles", "items", "data", "results"):
            if isinstance(data.get(key), list) and not _has_body(data):
                data = data[key]
                break
    if isinstance(data, dict):
        return [(data, locator)]
    if isinstance(data, list):
        if data and not any(isinstance(obj, dict) for obj in data):
            what = type(data[0]).__name__ if data[0] is not None else "null"
            raise ParseError(path, f"JSON array of {what} items, not article objects", locator)
        out: list[tuple[dict[str, Any], str] | InputError] = []
        for i, obj in enumerate(data, 1):
            loc = f"{locator + ', ' if locator else ''}item {i}"
            if isinstance(obj, dict):
                out.append((obj, loc))
            else:
                what = type(obj).__name__ if obj is not None else "null"
                out.append(ParseError(path, f"JSON array item is a {what}, not an object", loc))
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


def _from_fields(item: InputItem, obj: dict[str, Any], locator: str, options: Options) -> Article:
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
    return _article(item, locator, raw, fmt, fields, options)


def _article(
    item: InputItem, locator: str, raw: str, fmt: str, fields: dict[str, Any], options: Options
) -> Article:
    _check_length(raw, fmt, item.path, locator, options.max_chars)
    # The id is the input's, as read: a later, better repair must not make it a new article.
    basis = fields.get("id_basis")  # a fetched page changes with every fetch; its feed item not
    aid = article_id(basis if isinstance(basis, str) else raw, fields)
    raw, fields = _repaired(raw, fields, item.path, locator)
    url = fields.get("url") if isinstance(fields.get("url"), str) else None
    return Article(
        path=item.path,
        locator=locator,
        input_kind=item.kind,
        id=aid,
        raw=raw,
        raw_format="html" if fmt == "html" else "text",
        fields=fields,
        url=url,
    )


def _repaired(
    raw: str, fields: dict[str, Any], path: str, locator: str
) -> tuple[str, dict[str, Any]]:
    """``raw`` and ``fields`` with mojibake undone and unusable characters replaced; what was
    repaired, per field, goes to ``fields["repaired"]`` (``raw`` for the article's text)."""
    raw, notes = repair_text(raw)
    repaired: dict[str, list[str]] = {"raw": notes} if notes else {}
    out: dict[str, Any] = {}
    for key, val in fields.items():
        if key == "id_basis":  # identity, never shown
            out[key] = val
            continue
        found: list[str] = []
        try:
            out[key] = repair_value(val, found)
        except TooDeep as exc:
            raise ParseError(path, f"field {key!r} {exc}", locator) from None
        if found:
            repaired[key] = found
    if repaired:
        out["repaired"] = repaired
    return raw, out


# An HTML page's text, roughly: what is left without comments, scripts, styles and tags. Each
# pattern consumes what it scans, so a page of unclosed tags costs one pass, not a quadratic one.
_MARKUP = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style|noscript|template|svg)\b.*?(?:</\1\s*>|\Z)|<[^<>]*>?",
    re.DOTALL | re.IGNORECASE,
)
_SPACE = re.compile(r"\s+")


def _check_length(raw: str, fmt: str, path: str, locator: str, max_chars: int) -> None:
    """TooLargeError for text longer than ``max_chars`` (of a page: its text, not its markup)."""
    if len(raw) <= max_chars:
        return
    if fmt != "html":
        raise TooLargeError(
            path,
            f"{len(raw):,} characters of text, over the {max_chars:,} limit (max_chars)",
            locator,
        )
    n = len(_SPACE.sub(" ", _MARKUP.sub(" ", raw)))
    if n > max_chars:
        raise TooLargeError(
            path,
            f"about {n:,} characters of text in its HTML, over the {max_chars:,} limit (max_chars)",
            locator,
        )
