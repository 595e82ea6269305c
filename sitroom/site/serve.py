"""``sitroom serve``: the situation-room pages served live over a store opened read-only.

Routes (the static report's paths, plus exports of the current filter)::

    /, /index.html                       the story list
    /stories/ID.html, /events/ID.html, /articles/ID.html[?s=START-END]
    /assets/site.css, /assets/site.js
    /api/stories.{csv,json}?q=&since=&until=&place=&actor=&type=&outlet=&status=
    /api/events.{csv,json,geojson}?story=ID[&type=&actor=&place=&since=&until=]
    /api/claims.{csv,json}?story=ID[&status=]
    /api/control.{csv,json,geojson}?story=ID

GET and HEAD are served; other methods get 405 (501 for verbs HTTP does not know). Every
response, errors included, carries ``SECURITY_HEADERS``: a Content-Security-Policy (scripts
only from /assets, no inline handlers, no framing), nosniff, no referrer.

Under load and abuse (a fixed budget, whatever the clients do):

1. a listen backlog of ``BACKLOG`` connections, so a burst waits in the kernel rather than
   being refused and retried a second later;
2. a fixed pool of ``WORKERS`` threads, each with its own read-only SQLite connection, fed
   by a queue of at most ``PENDING`` accepted connections; beyond that a connection gets a
   503 at once;
3. a client has ``client_timeout`` seconds from its connection to send its request line and
   headers in all (a slow or idle one is closed, however it trickles, waiting in the queue
   or not), and any later read or write that stalls that long ends the connection;
4. at most ``MAKERS`` threads make answers at once (a story page, the story list), the
   interpreter switching threads every millisecond, so that answers already made are not
   held up behind them.

Every answer (pages, assets, exports) is cached by its URL, and the story rows the list and
its exports share, until the store file (or its WAL) changes: a writer such as ``sitroom
watch`` may be adding articles while the server runs. The cache keeps the most recently used
answers within ``CACHE_BYTES``, and a missing one is made once however many requests wait
for it (the story list of a big store takes most of a second).
"""

from __future__ import annotations

import contextlib
import gzip
import queue
import re
import socket
import sys
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, NamedTuple
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

__all__ = ["SECURITY_HEADERS", "SiteServer", "make_server", "serve"]

MODE = "serve"
_PAGE = re.compile(r"^/(stories|events|articles)/([A-Za-z0-9_-]{1,64})\.html$")
_API = re.compile(r"^/api/(stories|events|claims|control)\.(csv|json|geojson)$")
_ASSETS = {"/assets/site.css": "text/css; charset=utf-8",
           "/assets/site.js": "text/javascript; charset=utf-8"}  # fmt: skip
Response = tuple[int, str, bytes]
GZIP_MIN = 1024  # smaller answers go as they are
Cache = Callable[[str, Callable[[], Any]], Any]
CACHE_BYTES = 256 << 20
BACKLOG = 256  # listen() backlog (Python's default of 5 made bursts wait for SYN retries)
WORKERS = 32  # handler threads: the most requests in progress at once
PENDING = 1024  # accepted connections waiting for a worker; beyond that, 503
CLIENT_TIMEOUT = 15.0  # seconds to send the request head, and for any stalled read or write
MAKERS = 2  # answers made at once: more would only share one interpreter lock, slowing all
SWITCH_INTERVAL = 0.001  # s: a thread making a page lets the others send theirs this often
DRAIN_LIMIT = 1 << 20  # an unwanted request body up to this size is read before answering
ALLOW = "GET, HEAD"
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP + "; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "no-store",
}
_BUSY = (
    "HTTP/1.0 503 Service Unavailable\r\nServer: sitroom\r\nRetry-After: 1\r\n"
    "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\nConnection: close\r\n"
    + "".join(f"{k}: {v}\r\n" for k, v in SECURITY_HEADERS.items())
    + "\r\nbusy\n"
).encode("latin-1")


def _no_cache(key: str, make: Callable[[], Any]) -> Any:
    return make()


class SiteServer(HTTPServer):
    """The pages of one store over HTTP: a fixed pool of worker threads, bounded queues and
    timeouts (see the module docstring)."""

    request_queue_size = BACKLOG

    def __init__(
        self,
        address: tuple[str, int],
        db: Path,
        *,
        workers: int = WORKERS,
        pending: int = PENDING,
        client_timeout: float = CLIENT_TIMEOUT,
    ) -> None:
        self.db = db
        self.client_timeout = client_timeout
        self._local = threading.local()
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, tuple[Any, int]] = OrderedDict()
        self._cache_token: tuple[int, ...] = ()
        self._cache_bytes = 0
        self._making: dict[str, threading.Lock] = {}
        self._makers = threading.BoundedSemaphore(MAKERS)
        self._deadlines: dict[socket.socket, float] = {}
        self._queue: queue.Queue[tuple[socket.socket, Any] | None] = queue.Queue(pending)
        self._workers: list[threading.Thread] = []  # none yet if binding fails
        ReadOnlyStore(db).close()  # fail now, not on the first request
        super().__init__(address, _Handler)
        self._workers += [
            threading.Thread(target=self._work, name=f"sitroom-serve-{i}", daemon=True)
            for i in range(workers)
        ]
        for t in self._workers:
            t.start()

    # -- connections: a bounded queue, a fixed pool, a deadline for each request head ---------

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        # a ready answer should not wait 5 ms (Python's default) behind a page being made
        sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL))
        super().serve_forever(poll_interval)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Queue the connection for a worker, or answer 503 at once when the queue is full.
        Its deadline runs from now: a client idle in the queue is closed there too."""
        with self._lock:
            self._deadlines[request] = time.monotonic() + self.client_timeout
        try:
            self._queue.put_nowait((request, client_address))
        except queue.Full:
            self.release(request)
            with contextlib.suppress(OSError):
                request.settimeout(1.0)
                request.sendall(_BUSY)
            self.shutdown_request(request)

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            request, address = item
            try:
                self.finish_request(request, address)
            except Exception:
                self.handle_error(request, address)
            finally:
                self.release(request)
                self.shutdown_request(request)

    def release(self, conn: socket.socket) -> bool:
        """The request head has arrived: no deadline any more. False if it had passed."""
        with self._lock:
            return self._deadlines.pop(conn, None) is not None

    def service_actions(self) -> None:
        """Between polls of ``serve_forever``: close the connections whose head is late."""
        now = time.monotonic()
        with self._lock:
            late = [c for c, t in self._deadlines.items() if t <= now]
            for c in late:
                del self._deadlines[c]
        for c in late:
            with contextlib.suppress(OSError):
                c.shutdown(socket.SHUT_RDWR)  # the worker's read returns at once

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], OSError):  # a client that went away is no news
            super().handle_error(request, client_address)

    def server_close(self) -> None:
        """Stop listening, drop waiting and stalled connections, and stop the workers."""
        super().server_close()
        with contextlib.suppress(queue.Empty):
            while (item := self._queue.get_nowait()) is not None:
                self.shutdown_request(item[0])
        with self._lock:
            stalled, self._deadlines = list(self._deadlines), {}
        for c in stalled:
            with contextlib.suppress(OSError):
                c.shutdown(socket.SHUT_RDWR)
        for _ in self._workers:
            self._queue.put(None)

    # -- the store and the page cache ----------------------------------------------------------

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

    def cached(
        self, key: str, make: Callable[[], Any], keep: Callable[[Any], bool] = lambda v: True
    ) -> Any:
        """``make()``, reused until the store changes (if ``keep(value)``); one thread makes
        it while the others wait, and at most ``MAKERS`` threads make answers at once."""
        hit = self._lookup(key)
        if hit is not None:
            return hit
        with self._lock:
            making = self._making.setdefault(key, threading.Lock())
        with making:
            hit = self._lookup(key)  # made while this thread waited
            if hit is not None:
                return hit
            token = self._token()
            nested = getattr(self._local, "making", False)  # inside another making: its slot
            if not nested:
                self._makers.acquire()
                self._local.making = True
            try:
                value = make()
            finally:
                if not nested:
                    self._local.making = False
                    self._makers.release()
                with self._lock:
                    self._making.pop(key, None)
            with self._lock:
                if token == self._cache_token and keep(value):
                    self._keep(key, value)
        return value

    def _lookup(self, key: str) -> Any:
        token = self._token()
        with self._lock:
            if token != self._cache_token:  # the store changed: nothing kept is current
                self._cache.clear()
                self._cache_bytes = 0
                self._cache_token = token
                return None
            hit = self._cache.get(key)
            if hit is None:
                return None
            self._cache.move_to_end(key)
            return hit[0]

    def _keep(self, key: str, value: Any) -> None:
        """Keep ``value`` (under the lock), the least recently used going beyond the budget."""
        size = _size(value) + len(key)
        if size > CACHE_BYTES // 4:
            return
        old = self._cache.pop(key, None)
        self._cache_bytes += size - (old[1] if old else 0)
        self._cache[key] = (value, size)
        while self._cache_bytes > CACHE_BYTES:
            _, (_, gone) = self._cache.popitem(last=False)
            self._cache_bytes -= gone

    def store(self) -> ReadOnlyStore:
        """This thread's read-only connection."""
        store: ReadOnlyStore | None = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = ReadOnlyStore(self.db)
        return store


class Answer(NamedTuple):
    """A response as cached: the body, and the same gzipped for clients that accept it (when
    it is text worth compressing)."""

    status: int
    content_type: str
    body: bytes
    gzipped: bytes | None

    @classmethod
    def of(cls, response: Response) -> Answer:
        status, ctype, body = response
        texty = ctype.startswith("text/") or "json" in ctype or "javascript" in ctype
        zipped = gzip.compress(body, 6, mtime=0) if texty and len(body) >= GZIP_MIN else None
        return cls(status, ctype, body, zipped)


def _accepts_gzip(accept_encoding: str) -> bool:
    """Does an Accept-Encoding header take gzip (not with q=0)?"""
    for part in accept_encoding.lower().split(","):
        name, _, param = part.partition(";")
        if name.strip() in ("gzip", "x-gzip"):
            q = param.strip().removeprefix("q=") if param.strip().startswith("q=") else "1"
            try:
                return float(q) > 0
            except ValueError:
                return False
    return False


def _size(value: Any) -> int:
    """Roughly the bytes a cached value holds."""
    if isinstance(value, Answer):
        return len(value.body) + len(value.gzipped or b"") + 200
    if isinstance(value, list):  # story rows: a dict of some thirty fields each
        return 4096 * len(value) + 100
    return 1024


def _found(answer: Answer) -> bool:
    """Only answers worth keeping: a flood of made-up URLs must not push out the pages."""
    return answer.status == HTTPStatus.OK


def _html(body: str) -> Response:
    return HTTPStatus.OK, "text/html; charset=utf-8", body.encode("utf-8")


def _not_found(what: str) -> Response:
    return HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", f"no such {what}\n".encode()


def route(
    store: ReadOnlyStore, path: str, query: dict[str, str], cache: Cache = _no_cache
) -> Response:
    """The response to ``GET path?query``; ``cache(key, make)`` may reuse the story rows."""
    if path in ("/", "/index.html"):
        rows = cache("rows", lambda: story_rows(store))
        return _html(render_index(rows, MODE, store.path.name))
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

        detail = load(store, id_)
        return _not_found(kind[:-1]) if detail is None else _html(render(detail, MODE))
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
    # a malformed request line is answered as HTTP/1.0 (status line and headers), not 0.9
    default_request_version = "HTTP/1.0"

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.client_timeout)  # each read or write
        self._extra_headers: dict[str, str] = {}

    def parse_request(self) -> bool:
        ok = super().parse_request()
        if not self.server.release(self.connection):  # too late: the connection is closed
            self.close_connection = True
            return False
        return ok

    def end_headers(self) -> None:
        """Every response, errors included, carries the security headers."""
        for name, value in {**SECURITY_HEADERS, **self._extra_headers}.items():
            self.send_header(name, value)
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        self._drain()
        super().send_error(code, message, explain)

    def _drain(self) -> None:
        """Read a small unwanted request body, so that closing does not reset the connection
        before the client has read the answer."""
        headers = getattr(self, "headers", None)
        length = headers.get("Content-Length", "") if headers is not None else ""
        if length.isdigit() and 0 < int(length) <= DRAIN_LIMIT:
            with contextlib.suppress(OSError):
                self.rfile.read(int(length))

    def do_GET(self) -> None:
        self._respond(with_body=True)

    def do_HEAD(self) -> None:
        self._respond(with_body=False)

    def _not_allowed(self) -> None:
        self._extra_headers = {"Allow": ALLOW}
        self.send_error(HTTPStatus.METHOD_NOT_ALLOWED)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _not_allowed

    def _respond(self, with_body: bool) -> None:
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        server = self.server

        def answer() -> Answer:
            return Answer.of(route(server.store(), url.path, query, server.cached))

        try:
            status, ctype, body, gzipped = server.cached(f"GET {self.path}", answer, _found)
        except SitroomError as exc:
            status, ctype, body, gzipped = (
                400,
                "text/plain; charset=utf-8",
                f"{exc}\n".encode(),
                None,
            )
        except Exception:
            sys.stderr.write(f"sitroom serve: error on {self.path!r}\n{traceback.format_exc()}")
            self.send_error(HTTPStatus.INTERNAL_SERVER_ERROR)
            return
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if gzipped is not None:
            self.send_header("Vary", "Accept-Encoding")
            if _accepts_gzip(self.headers.get("Accept-Encoding", "")):
                self.send_header("Content-Encoding", "gzip")
                body = gzipped
        self.send_header("Content-Length", str(len(body)))
        if url.path.startswith("/api/") and status == HTTPStatus.OK:
            name = url.path.rsplit("/", 1)[1]
            self.send_header("Content-Disposition", f'attachment; filename="{name}"')
        self.end_headers()
        if with_body:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)


def make_server(
    db: str | Path, host: str = "127.0.0.1", port: int = 8000, **limits: Any
) -> SiteServer:
    """A server over ``db`` (opened read-only), bound but not yet serving; port 0 picks one.
    ``limits``: ``workers``, ``pending``, ``client_timeout`` (see :class:`SiteServer`)."""
    return SiteServer((host, port), Path(db), **limits)


def serve(db: str | Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the pages of ``db`` until interrupted."""
    with make_server(db, host, port) as server:
        server.serve_forever()
