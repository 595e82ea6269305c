"""`sitroom serve` under load and abuse, on a real loopback socket: a burst of connections all
answered, slow and idle clients closed after the timeout, a bounded number of threads, and the
security headers on every response (every method, every error)."""

from __future__ import annotations

import contextlib
import gzip
import http.client
import os
import select
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitroom.site import serve
from sitroom.site.serve import SECURITY_HEADERS, SiteServer, make_server
from sitroom.store import Store


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("serve") / "empty.db"
    Store(db).close()  # a migrated store with nothing in it: the pages still render
    return db


class Servers:
    """Servers over the empty store, each shut down and closed after the test."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.made: list[tuple[SiteServer, list[bool]]] = []

    def __call__(self, serving: bool = True, **limits: Any) -> SiteServer:
        server = make_server(self.db, "127.0.0.1", 0, **limits)
        self.made.append((server, []))
        if serving:
            self.serve(server)
        return server

    def serve(self, server: SiteServer) -> None:
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        next(started for s, started in self.made if s is server).append(True)

    def close(self) -> None:
        for server, started in self.made:
            if started:
                server.shutdown()
            server.server_close()


@pytest.fixture
def start(empty_db: Path) -> Iterator[Servers]:
    servers = Servers(empty_db)
    yield servers
    servers.close()


def raw(port: int, data: bytes, timeout: float = 10.0) -> tuple[bytes, dict[str, str], bytes]:
    """Send ``data`` on a fresh connection; the status line, headers and body read back."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        got = b""
        while chunk := s.recv(65536):
            got += chunk
    head, _, body = got.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines if ": " in line)
    return status.encode(), headers, body


def assert_secured(headers: dict[str, str], what: str) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, f"{what}: {name} missing or wrong"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


def test_serve_hardening_every_method_carries_security_headers(start: Servers) -> None:
    server = start()
    expect = {"GET": 200, "HEAD": 200, "POST": 405, "PUT": 405, "DELETE": 405, "PATCH": 405,
              "OPTIONS": 405, "TRACE": 405, "BREW": 501}  # fmt: skip
    for method, status in expect.items():
        conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
        body = b'{"x": 1}' if method in ("POST", "PUT", "PATCH") else None
        conn.request(method, "/", body=body)
        r = conn.getresponse()
        content = r.read()
        conn.close()
        assert r.status == status, method
        assert_secured(dict(r.getheaders()), method)
        if status == 405:
            assert r.getheader("Allow") == "GET, HEAD"
        if method == "HEAD":
            assert content == b"" and int(r.getheader("Content-Length") or 0) > 0


def test_serve_hardening_error_pages_carry_security_headers(
    start: Servers, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = start()
    port = server.server_port
    cases = {
        b"GET /stories/nope.html HTTP/1.1\r\nHost: x\r\n\r\n": b"404",
        b"GET /api/stories.geojson HTTP/1.1\r\nHost: x\r\n\r\n": b"404",
        b"GARBAGE\r\n\r\n": b"400",
        b"GET / HTTP/1.x\r\n\r\n": b"400",
        b"GET / HTTP/2.0\r\n\r\n": b"505",
        b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n": b"414",
        b"GET / HTTP/1.1\r\n" + b"X-A: b\r\n" * 120 + b"\r\n": b"431",
        b"BREW / HTTP/1.1\r\n\r\n": b"501",
    }
    for request, code in cases.items():
        status, headers, _ = raw(port, request)
        assert status.split()[1] == code, (request[:40], status)
        assert_secured(headers, status.decode())

    def broken(*args: Any, **kw: Any) -> Any:
        raise RuntimeError("a bug in a page")

    monkeypatch.setattr(serve, "route", broken)
    status, headers, body = raw(port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status.split()[1] == b"500" and b"a bug" not in body  # no internals to the client
    assert_secured(headers, "500")


def closed(s: socket.socket) -> bool:
    """Has the server closed this connection (without a word)?"""
    if not select.select([s], [], [], 0)[0]:
        return False
    try:
        return s.recv(65536) == b""
    except ConnectionResetError:
        return True


def test_serve_hardening_half_sent_requests_are_closed_after_the_timeout(start: Servers) -> None:
    server = start(client_timeout=1.0)
    port = server.server_port
    half = socket.create_connection(("127.0.0.1", port))
    half.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # never the blank line
    idle = socket.create_connection(("127.0.0.1", port))  # never a byte
    trickle = socket.create_connection(("127.0.0.1", port))
    t0 = time.monotonic()
    left = list(b"GET / HTTP/1.1\r\nX-Slow: " + b"a" * 1000)
    open_ = {"half": half, "idle": idle, "trickle": trickle}
    while open_ and time.monotonic() - t0 < 6:
        for name, s in list(open_.items()):
            if closed(s):
                assert time.monotonic() - t0 >= 0.9, name  # not before its time
                del open_[name]
        if "trickle" in open_:  # a byte every 50 ms: one deadline for the whole head
            with contextlib.suppress(OSError):
                trickle.send(bytes([left.pop(0)]))
        time.sleep(0.05)
    assert not open_, f"still open after {time.monotonic() - t0:.1f} s: {sorted(open_)}"
    assert time.monotonic() - t0 < 4.0
    for s in (half, idle, trickle):
        s.close()
    status, _, _ = raw(port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")  # still answering
    assert status.split()[1] == b"200"


def test_serve_hardening_slow_clients_cannot_take_every_thread(start: Servers) -> None:
    before = threading.active_count()
    server = start(workers=4, pending=8, client_timeout=1.0)
    assert threading.active_count() - before <= 4 + 1  # the pool and the accept loop
    port = server.server_port
    stalled = []
    t0 = time.monotonic()
    for _ in range(60):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(b"GET / HTTP/1.1\r\n")
        stalled.append(s)
    time.sleep(0.3)
    assert threading.active_count() - before <= 4 + 1  # 60 slow clients, still 4 workers
    busy = 0
    for s in stalled:
        got = s.recv(65536)
        if got.startswith(b"HTTP/1.0 503"):
            busy += 1
            head = got.partition(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")[1:]
            assert_secured(dict(line.split(": ", 1) for line in head), "503")
        else:
            assert got == b""  # closed after the timeout
        s.close()
    assert busy >= 60 - 4 - 8 - 4  # beyond the pool and its queue: refused at once
    assert time.monotonic() - t0 < 3.0  # the queued ones too: one deadline from connecting
    status, _, _ = raw(port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status.split()[1] == b"200"


def test_serve_hardening_a_burst_of_connections_is_all_answered(start: Servers) -> None:
    assert SiteServer.request_queue_size >= 128
    server = start(serving=False)  # listening, not yet accepting: only the backlog holds them
    port = server.server_port
    socks = []
    for _ in range(200):
        s = socket.socket()
        s.settimeout(0.9)
        s.connect(("127.0.0.1", port))  # with a backlog of 5 this times out after ~6
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        socks.append(s)
    start.serve(server)
    statuses = []
    for s in socks:
        s.settimeout(30)
        got = b""
        while chunk := s.recv(65536):
            got += chunk
        statuses.append(got.split(b" ", 2)[1])
        s.close()
    assert statuses == [b"200"] * 200


# -- the answer cache: one making per URL, kept until the store changes, gzip when asked -----


def test_serve_hardening_a_missing_page_is_made_once_for_many_waiting(
    start: Servers, empty_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    real = serve.route

    def slow(store: Any, path: str, *args: Any) -> Any:
        made.append(path)
        time.sleep(0.3)  # the story list of a big store takes most of a second
        return real(store, path, *args)

    monkeypatch.setattr(serve, "route", slow)
    server = start()
    port = server.server_port
    answers: list[bytes] = []

    def ask() -> None:
        answers.append(raw(port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")[0])

    threads = [threading.Thread(target=ask) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == [b"HTTP/1.0 200 OK"] * 20 and made == ["/"]
    raw(port, b"GET /stories/nope.html HTTP/1.1\r\n\r\n")
    raw(port, b"GET /stories/nope.html HTTP/1.1\r\n\r\n")
    assert made.count("/stories/nope.html") == 2  # a 404 is not kept
    os.utime(empty_db)  # the store changed: nothing kept is current
    raw(port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert made.count("/") == 2


def test_serve_hardening_gzip_only_when_asked(start: Servers) -> None:
    port = start().server_port
    _, plain_headers, plain = raw(port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert "Content-Encoding" not in plain_headers and plain_headers["Vary"] == "Accept-Encoding"
    ask = b"GET / HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip, deflate, br\r\n\r\n"
    _, headers, body = raw(port, ask)
    assert headers["Content-Encoding"] == "gzip" and int(headers["Content-Length"]) == len(body)
    assert gzip.decompress(body) == plain and len(body) < len(plain)
    assert_secured(headers, "gzip")
    _, headers, body = raw(port, ask.replace(b"gzip, deflate, br", b"gzip;q=0"))
    assert "Content-Encoding" not in headers and body == plain


def test_serve_hardening_few_answers_are_made_at_once(
    start: Servers, monkeypatch: pytest.MonkeyPatch
) -> None:
    real, lock = serve.route, threading.Lock()
    now, most = [0], [0]

    def counted(*args: Any) -> Any:
        with lock:
            now[0] += 1
            most[0] = max(most[0], now[0])
        time.sleep(0.1)
        with lock:
            now[0] -= 1
        return real(*args)

    monkeypatch.setattr(serve, "route", counted)
    port = start().server_port
    asks = [f"GET /stories/s{i}.html HTTP/1.1\r\n\r\n".encode() for i in range(12)]
    threads = [threading.Thread(target=raw, args=(port, a)) for a in asks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[0] == serve.MAKERS
    status, _, _ = raw(port, b"GET /assets/site.css HTTP/1.1\r\n\r\n")
    assert status.split()[1] == b"200"
