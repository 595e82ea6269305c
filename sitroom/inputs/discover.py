"""Turn the user's inputs (files, folders, globs, feed URLs) into InputItems, lazily.

``Discovery.listing`` lists them without reading (the files, URLs and ``-`` an engine hands
out to its workers, each read there by a ``Discovery`` of its own). A Parquet file is a table
of articles: a text column (or html) and optionally title, outlet, published, url, under any
name ingest knows (``stages.ingest.FIELD_ALIASES``); each row is one article, located as
"row N", and a bad row fails alone.
"""

from __future__ import annotations

import datetime as dt
import glob
import gzip
import json
import os
import sys
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from sitroom.errors import DecodeError, InputError, TooLargeError
from sitroom.inputs.decode import decode_bytes, sniff_kind
from sitroom.inputs.feeds import Known, feed_items, fetch, is_url
from sitroom.model import InputItem
from sitroom.options import Options

__all__ = ["GZIP_RATIO", "KINDS", "PARQUET_ROWS", "Discovery", "shown"]

GZIP_RATIO = 100
"""A gzipped JSONL file may unpack to this many times its size (news text packs 3 to 10 times)."""

KINDS = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".parquet": "parquet",
}
PARQUET_ROWS = 256
"""Rows of a Parquet file read at a time (a file is never read whole)."""


def _kind_of(path: Path) -> str | None:
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return KINDS.get(suffixes[-1]) if suffixes else None


@dataclass
class Discovery:
    """Walks inputs in a stable order; counts what it passes over."""

    inputs: Sequence[str]
    options: Options
    known: Known | None = None
    """Which article ids are stored already (feed pages already fetched are not refetched)."""
    skipped_files: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[InputItem | InputError]:
        client: httpx.Client | None = None
        try:
            for inp in self.inputs:
                if is_url(inp):
                    client = client or httpx.Client(
                        timeout=self.options.fetch_timeout,
                        follow_redirects=True,
                        headers={"User-Agent": self.options.user_agent},
                    )
                    yield from self._url(inp, client)
                    continue
                yield from self._local(inp)
        finally:
            if client is not None:
                client.close()

    def listing(self) -> Iterator[str | InputError]:
        """The inputs as the files, URLs and ``-`` (standard input) they stand for, in the
        order reading them gives; unknown file types are counted in ``skipped_files``."""
        for inp in self.inputs:
            if is_url(inp) or inp == "-":
                yield inp
                continue
            p = Path(inp)
            if p.is_dir():
                for f in _walk(p):
                    if _kind_of(f) is None:
                        self.skipped_files.append(shown(f))
                    else:
                        yield str(f)
            elif p.is_file():
                yield inp
            elif any(c in inp for c in "*?["):
                matches = sorted(glob.glob(inp, recursive=True))
                if not matches:
                    yield InputError(shown(inp), "no file matches this pattern")
                yield from Discovery(matches, self.options, self.known, self.skipped_files
                                     ).listing()  # fmt: skip
            else:
                yield InputError(shown(inp), "no such file or folder")

    def _url(self, url: str, client: httpx.Client) -> Iterator[InputItem | InputError]:
        try:
            data = fetch(url, self.options, client)
        except InputError as exc:
            yield exc
            return
        head = data[:2000].lower()
        if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
            yield from feed_items(data, url, self.options, client, self.known)
        else:  # a page URL: the article itself
            yield InputItem(url, "", "html", data, {"url": url})

    def _stdin(self) -> Iterator[InputItem | InputError]:
        """``-``: one article of any format on standard input, or JSON lines."""
        data = sys.stdin.buffer.read(self.options.max_bytes + 1)
        if len(data) > self.options.max_bytes:
            yield TooLargeError("<stdin>", f"larger than {self.options.max_bytes:,} bytes")
            return
        try:
            text, _ = decode_bytes(data, "<stdin>")
        except InputError as exc:
            yield exc
            return
        kind = sniff_kind(text)
        lines = [ln for ln in text.splitlines() if ln.strip()]
        if kind == "json" and len(lines) > 1 and all(ln.lstrip().startswith("{") for ln in lines):
            for n, line in enumerate(text.splitlines(), 1):
                if line.strip():
                    yield InputItem("<stdin>", f"line {n}", "json", line)
        elif kind == "feed":
            yield from feed_items(data, "<stdin>", self.options)
        else:
            yield InputItem("<stdin>", "", kind, data)  # type: ignore[arg-type]

    def _local(self, inp: str) -> Iterator[InputItem | InputError]:
        if inp == "-":
            yield from self._stdin()
            return
        p = Path(inp)
        if p.is_dir():
            for f in _walk(p):
                if _kind_of(f) is None:
                    self.skipped_files.append(shown(f))
                    continue
                yield from self._file(f)
        elif p.is_file():
            yield from self._file(p)
        elif any(c in inp for c in "*?["):
            matches = sorted(glob.glob(inp, recursive=True))
            if not matches:
                yield InputError(shown(inp), "no file matches this pattern")
            for m in matches:
                yield from self._local(m)
        else:
            yield InputError(shown(inp), "no such file or folder")

    def _file(self, path: Path) -> Iterator[InputItem | InputError]:
        kind = _kind_of(path)
        name = shown(path)
        if kind == "jsonl":
            yield from self._jsonl(path)
            return
        if kind == "parquet":
            yield from self._parquet(path)
            return
        try:
            data = _read(path, self.options.max_bytes)
        except InputError as exc:
            yield exc
            return
        except OSError as exc:
            yield InputError(name, f"cannot read ({exc.strerror or exc})")
            return
        if kind is None or kind == "feed":
            try:
                text, _ = decode_bytes(data, name)
            except InputError as exc:
                yield exc
                return
            found = sniff_kind(text)
            if found == "feed":
                yield from feed_items(data, name, self.options, known=self.known)
                return
            if kind == "feed":
                yield InputError(name, "not an RSS/Atom feed (no <rss> or <feed> element)")
                return
            kind = found
        yield InputItem(name, "", kind, data)  # type: ignore[arg-type]

    def _jsonl(self, path: Path) -> Iterator[InputItem | InputError]:
        name = shown(path)
        limit = self.options.max_bytes
        packed = path.suffix.lower() == ".gz"
        try:
            fh = gzip.open(path, "rb") if packed else path.open("rb")  # noqa: SIM115
            # A gzip bomb: no honest JSON lines unpack to GZIP_RATIO times their packed size.
            budget = max(limit, path.stat().st_size * GZIP_RATIO) if packed else 0
        except OSError as exc:
            yield InputError(name, f"cannot read ({exc.strerror or exc})")
            return
        unpacked = 0
        n = 0

        def readline(size: int) -> bytes:
            nonlocal unpacked
            line = fh.readline(size)
            unpacked += len(line)
            if budget and unpacked > budget:
                raise TooLargeError(
                    name,
                    f"gzip data unpacks to over {budget:,} bytes ({GZIP_RATIO} times its size)",
                    f"line {n + 1}",
                )
            return line

        with fh:
            any_line = False
            while True:
                try:
                    line = readline(limit + 1)
                    if len(line) > limit and not line.endswith(b"\n"):
                        yield TooLargeError(
                            name, f"line longer than {limit:,} bytes", f"line {n + 1}"
                        )
                        while line and not line.endswith(b"\n"):  # skip the rest of it
                            line = readline(1 << 20)
                        n += 1
                        continue
                except InputError as exc:
                    yield exc
                    return
                except (OSError, EOFError, zlib.error) as exc:
                    what = "bad gzip data" if packed else "cannot read"
                    yield DecodeError(name, f"{what} ({exc})", f"line {n + 1}")
                    return
                if not line:
                    break
                n += 1
                loc = f"line {n}"
                if not line.strip():
                    continue
                any_line = True
                try:
                    text = line.decode("utf-8-sig" if n == 1 else "utf-8")
                except UnicodeDecodeError:
                    yield DecodeError(name, "line is not UTF-8 (JSONL must be)", loc)
                    continue
                yield InputItem(name, loc, "json", text)
            if not any_line:
                yield InputError(name, "empty (no JSON lines)")

    def _parquet(self, path: Path) -> Iterator[InputItem | InputError]:
        """Each row of a Parquet file as one JSON article (``row N``); a row too large or
        not convertible fails alone, a file that is not Parquet fails whole."""
        import pyarrow.parquet as pq  # type: ignore[import-untyped]

        name = shown(path)
        try:
            pf = pq.ParquetFile(path)
        except (OSError, ValueError) as exc:  # ArrowInvalid is a ValueError
            yield DecodeError(name, f"not a readable Parquet file ({_one_line(exc)})")
            return
        if pf.metadata.num_rows == 0:
            yield InputError(name, "empty (no rows)")
            return
        n = 0
        try:
            for part in pf.iter_batches(batch_size=PARQUET_ROWS):
                for row in part.to_pylist():
                    n += 1
                    loc = f"row {n}"
                    try:
                        text = json.dumps(row, ensure_ascii=False, default=_json_value)
                    except (TypeError, ValueError) as exc:
                        yield DecodeError(name, f"row cannot be read ({_one_line(exc)})", loc)
                        continue
                    if len(text) > self.options.max_bytes:
                        yield TooLargeError(
                            name, f"row larger than {self.options.max_bytes:,} bytes", loc
                        )
                        continue
                    yield InputItem(name, loc, "json", text)
        except (OSError, ValueError) as exc:  # a damaged row group: the rows after it are lost
            yield DecodeError(name, f"unreadable from here on ({_one_line(exc)})", f"row {n + 1}")


def _json_value(value: Any) -> Any:
    """A Parquet cell JSON cannot hold as it is: dates and times as ISO text, bytes as UTF-8."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return str(value)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200]


def shown(path: Path | str) -> str:
    """``path`` as text that can be stored and printed: a file name that is not UTF-8 (say
    Latin-1 ``caf\\xe9.txt``) keeps its odd bytes as ``\\xe9`` rather than as lone surrogates."""
    name = str(path)
    if name.isascii():
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for f in sorted(filenames):
            if not f.startswith("."):
                yield Path(dirpath) / f


def _read(path: Path, max_bytes: int) -> bytes:
    name = shown(path)
    size = path.stat().st_size
    if path.suffix.lower() == ".gz":
        try:
            with gzip.open(path, "rb") as fh:
                data = fh.read(max_bytes + 1)
        except (OSError, EOFError, zlib.error) as exc:  # truncated, corrupt, or not gzip at all
            raise DecodeError(name, f"bad gzip data ({exc})") from None
        if len(data) > max_bytes:
            raise TooLargeError(
                name, f"unpacks to more than {max_bytes:,} bytes, over the limit (--max-bytes)"
            )
        return data
    if size > max_bytes:
        raise TooLargeError(
            name, f"{size / 1e6:.1f} MB is over the {max_bytes / 1e6:g} MB limit (--max-bytes)"
        )
    return path.read_bytes()
