"""``sitroom serve``: the situation-room pages served live over a store opened read-only.

Routes (the static report's paths, plus exports of the current filter)::

    /, /index.html                       the story list
    /stories/ID.html, /events/ID.html, /articles/ID.html[?s=START-END]
    /assets/site.css, /assets/site.js
    /api/stories.{csv,json}?q=&since=&until=&place=&actor=&type=&outlet=&status=
    /api/events.{csv,json,geojson}?story=ID[&type=&actor=&place=&since=&until=]
    /api/claims.{csv,json}?story=ID[&status=]
    /api/control.{csv,json}?story=ID

Each request thread has its own read-only SQLite connection; every response carries a
Content-Security-Policy (scripts only from /assets, no inline handlers) and nosniff. Pages
and the story list are cached until the store file (or its WAL) changes: a writer such as
``sitroom watch`` may be adding articles while the server runs.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sitroom.errors import SitroomError
from sitroom.site.data import (
    ReadOnlyStore,
    article_source,
    event_detail,
    filter_stories,
    story_detail,
    story_rows,
)
from sitroom.site.exports import CONTENT_TYPES, FORMATS, export
from sitroom.site.pages import CSP, asset, render_article, render_event, render_index, render_story

__all__ = ["make_server", "serve"]

MODE = "serve"
_PAGE = re.compile(r"^/(stories|events|articles)/([A-Za-z0-9_-]{1,64})\.html$")
_API = re.compile(r"^/api/(stories|events|claims|control)\.(csv|json|geojson)$")
_ASSETS = {"/assets/site.css": "text/css; charset=utf-8",
           "/assets/site.js": "text/javascript; charset=utf-8"}  # fmt: skip
Response = tuple[int, str, bytes]
Cache = Callable[[str, Callable[[], Any]], Any]
CACHE_SIZE = 512


def _no_cache(key: str, make: Callable[[], Any]) -> Any:
    return make()


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], db: Path) -> None:
        self.db = db
        self._local = threading.local()
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[tuple[int, ...], Any]] = {}
        ReadOnlyStore(db).close()  # fail now, not on the first request
        super().__init__(address, _Handler)

    def _token(self) -> tuple[int, ...]:
        """Changes whenever the store is written (the file or its write-ahead log)."""
        out: list[int] = []
        for p in (self.db, self.db.with_name(self.db.name + "-wal")):
            try:
                st = p.stat()
                out += [st.st_mtime_ns, st.st_size]
            except FileNotFoundError:
                out += [0, 0]
        return tuple(out)

    def cached(self, key: str, make: Callable[[], Any]) -> Any:
        """``make()``, reused until the store changes."""
        token = self._token()
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None and hit[0] == token:
            return hit[1]
        value = make()
        with self._lock:
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            self._cache[key] = (token, value)
        return value

    def store(self) -> ReadOnlyStore:
        """This thread's read-only connection."""
        store: ReadOnlyStore | None = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = ReadOnlyStore(self.db)
        return store


def _html(body: str) -> Response:
    return HTTPStatus.OK, "text/html; charset=utf-8", body.encode("utf-8")


def _not_found(what: str) -> Response:
    return HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", f"no such {what}\n".encode()


def route(
    store: ReadOnlyStore, path: str, query: dict[str, str], cache: Cache = _no_cache
) -> Response:
    """The response to ``GET path?query``; ``cache(key, make)`` may reuse earlier work."""
    if path in ("/", "/index.html"):
        rows = cache("rows", lambda: story_rows(store))
        return _html(cache("index", lambda: render_index(rows, MODE, store.path.name)))
    if path in _ASSETS:
        return HTTPStatus.OK, _ASSETS[path], asset(path.rsplit("/", 1)[1])
    m = _PAGE.match(path)
    if m:
        kind, id_ = m.groups()
        pages: dict[str, tuple[Callable[[Any, str], Any], Callable[[Any, str], str]]] = {
            "stories": (story_detail, render_story),
            "events": (event_detail, render_event),
            "articles": (article_source, render_article),
        }
        load, render = pages[kind]

        def make() -> str | None:
            detail = load(store, id_)
            return None if detail is None else render(detail, MODE)

        page = cache(path, make)
        return _not_found(kind[:-1]) if page is None else _html(page)
    m = _API.match(path)
    if m:
        what, fmt = m.groups()
        if fmt not in FORMATS[what]:
            return _not_found("format")
        rows = _export_rows(store, what, query, cache)
        if rows is None:
            return _not_found("story")
        return HTTPStatus.OK, CONTENT_TYPES[fmt], export(what, rows, fmt).encode("utf-8")
    return _not_found("page")


def _export_rows(
    store: ReadOnlyStore, what: str, q: dict[str, str], cache: Cache
) -> list[Any] | None:
    if what == "stories":
        return filter_stories(cache("rows", lambda: story_rows(store)), q)
    detail = story_detail(store, q.get("story", ""))
    if detail is None:
        return None
    rows: list[dict[str, Any]] = detail[what]
    if what == "claims" and q.get("status"):
        rows = [r for r in rows if r["status"] == q["status"]]
    if what == "events":
        rows = [r for r in rows if _event_passes(r, q)]
    return rows


def _event_passes(e: dict[str, Any], q: dict[str, str]) -> bool:
    """The filters of ``sitroom events`` (substrings, inclusive ISO dates)."""
    checks = {
        "type": f"{e['event_type']} {e['sub_event_type']}",
        "actor": f"{e['actor1'] or ''} {e['actor2'] or ''}",
        "place": " ".join(str(e[k] or "") for k in ("location", "admin1", "admin2", "country")),
    }
    for key, hay in checks.items():
        if q.get(key) and q[key].casefold() not in hay.casefold():
            return False
    if q.get("since") and (e["event_date"] or "") < q["since"]:
        return False
    return not (q.get("until") and (e["event_date"] or "9999") > q["until"])


class _Handler(BaseHTTPRequestHandler):
    server: SiteServer
    server_version = "sitroom"
    sys_version = ""

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        try:
            status, ctype, body = route(self.server.store(), url.path, query, self.server.cached)
        except SitroomError as exc:
            status, ctype, body = 400, "text/plain; charset=utf-8", f"{exc}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", CSP + "; frame-ancestors 'none'")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-store")
        if url.path.startswith("/api/"):
            name = url.path.rsplit("/", 1)[1]
            self.send_header("Content-Disposition", f'attachment; filename="{name}"')
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)


def make_server(db: str | Path, host: str = "127.0.0.1", port: int = 8000) -> SiteServer:
    """A server over ``db`` (opened read-only), bound but not yet serving; port 0 picks one."""
    return SiteServer((host, port), Path(db))


def serve(db: str | Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the pages of ``db`` until interrupted."""
    with make_server(db, host, port) as server:
        server.serve_forever()
