"""RSS and Atom feeds: items with their full text, or their linked pages fetched with httpx."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from sitroom.errors import FetchError, InputError, ParseError
from sitroom.model import InputItem, article_id
from sitroom.options import Options

__all__ = ["feed_items", "fetch", "is_url"]

# Below this many characters of text an item's own content is a summary, not the article.
MIN_FULL_TEXT = 400
_TAGS = re.compile(r"<[^>]+>")


def is_url(s: str) -> bool:
    return s.startswith(("http://", "https://"))


def fetch(url: str, options: Options, client: httpx.Client | None = None) -> bytes:
    """The body of ``url``; FetchError (naming it) on a bad status, timeout or refusal."""
    own = client is None
    c = client or _client(options)
    try:
        with c.stream("GET", url) as resp:
            if resp.status_code >= 400:
                raise FetchError(url, f"HTTP {resp.status_code} {resp.reason_phrase}".strip())
            chunks: list[bytes] = []
            size = 0
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > options.max_bytes:
                    raise FetchError(url, f"larger than {options.max_bytes:,} bytes")
                chunks.append(chunk)
            return b"".join(chunks)
    except httpx.TimeoutException:
        raise FetchError(url, f"timed out after {options.fetch_timeout:g} s") from None
    except httpx.HTTPError as exc:
        raise FetchError(url, f"fetch failed ({type(exc).__name__}: {exc})") from None
    finally:
        if own:
            c.close()


def _client(options: Options) -> httpx.Client:
    return httpx.Client(
        timeout=options.fetch_timeout,
        follow_redirects=True,
        headers={"User-Agent": options.user_agent},
    )


Known = Callable[[set[str]], set[str]]


def feed_items(
    data: bytes,
    path: str,
    options: Options,
    client: httpx.Client | None = None,
    known: Known | None = None,
) -> Iterator[InputItem | InputError]:
    """One InputItem per feed entry; linked pages are fetched when the entry has no full text.

    ``known`` says which article ids the store already holds: their pages are not fetched
    again (a feed polled every minute costs one request per new item).
    """
    import feedparser

    try:
        parsed = feedparser.parse(data)
    except Exception as exc:  # feedparser is lenient; whatever still breaks it is this feed's
        why = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        yield ParseError(path, f"not a valid RSS/Atom feed ({why})")
        return
    entries = list(parsed.get("entries") or [])
    if not entries:
        why = parsed.get("bozo_exception")
        reason = f"not a valid RSS/Atom feed ({why})" if why else "feed has no items"
        yield ParseError(path, reason)
        return
    channel = parsed.get("feed", {})
    outlet = (channel.get("title") or "").strip() or None
    pending: list[tuple[int, dict[str, Any]]] = []
    for n, entry in enumerate(entries, 1):
        try:
            fields = _entry_fields(entry, outlet)
        except Exception as exc:  # one odd entry fails alone
            why = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
            yield ParseError(path, f"feed item could not be read ({why})", _loc(n, entry))
            continue
        html = fields.get("html") or ""
        if len(_TAGS.sub("", html)) >= MIN_FULL_TEXT or not fields.get("url"):
            if not html:
                yield ParseError(path, "feed item has neither text nor a link", _loc(n, entry))
                continue
            yield InputItem(path, _loc(n, entry), "feed", html, fields)
        else:
            basis = "\x1f".join(str(fields.get(k) or "") for k in ("guid", "url", "html"))
            fields["id_basis"] = basis
            pending.append((n, fields))
    if known is not None and pending:
        stored = known({article_id(f["id_basis"], f) for _, f in pending})
        pending = [(n, f) for n, f in pending if article_id(f["id_basis"], f) not in stored]
    if not pending:
        return
    own = client is None
    c = client or _client(options)
    try:
        with ThreadPoolExecutor(max_workers=max(1, options.fetch_workers)) as pool:
            results = pool.map(lambda nf: _fetch_page(nf, path, options, c), pending)
            yield from results
    finally:
        if own:
            c.close()


def _fetch_page(
    nf: tuple[int, dict[str, Any]], path: str, options: Options, client: httpx.Client
) -> InputItem | InputError:
    n, fields = nf
    loc = f"item {n}"
    try:
        body = fetch(fields["url"], options, client)
    except FetchError as exc:
        return FetchError(path, f"item page {exc.path}: {exc.reason}", loc)
    from sitroom.inputs.decode import decode_bytes

    try:
        html, _ = decode_bytes(body, path, loc)
    except InputError as exc:
        return exc
    fields = dict(fields)
    fields["feed_summary"] = fields.pop("html", None)
    return InputItem(path, loc, "feed", html, fields)


def _loc(n: int, entry: Any) -> str:
    return f"item {n}"


def _entry_fields(entry: Any, outlet: str | None) -> dict[str, Any]:
    content = ""
    for c in entry.get("content") or []:
        if len(c.get("value") or "") > len(content):
            content = c.get("value") or ""
    summary = entry.get("summary") or ""
    html = content if len(content) >= len(summary) else summary
    return {
        "title": (entry.get("title") or "").strip() or None,
        "url": entry.get("link") or None,
        "published": entry.get("published") or entry.get("updated") or None,
        "outlet": outlet,
        "author": entry.get("author") or None,
        "guid": entry.get("id") or None,
        "html": html,
        "outlet_source": "feed:channel",
        "date_source": "feed:pubDate",
    }
