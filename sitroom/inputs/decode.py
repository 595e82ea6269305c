"""Bytes to text, with a clear error for whatever is not text."""

from __future__ import annotations

import codecs
import re

from sitroom.errors import DecodeError, EmptyInputError

__all__ = ["decode_bytes", "sniff_kind"]

_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or Office document)"),
    (b"\x1f\x8b", "gzip data"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "an executable"),
    (b"SQLite format 3", "an SQLite database"),
    (b"RIFF", "a media file"),
    (b"OggS", "a media file"),
    (b"ID3", "an MP3 file"),
)
_COMMON = frozenset({"cp1252", "latin_1", "iso8859_15", "cp1251", "cp1256", "gb18030", "shift_jis"})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


def decode_bytes(data: bytes, path: str, locator: str = "") -> tuple[str, str]:
    """``(text, encoding)`` of ``data``; raises DecodeError or EmptyInputError naming ``path``.

    Order: byte-order mark, an HTML ``<meta charset>``, strict UTF-8, then charset detection
    (charset-normalizer), which must explain the bytes as readable text.
    """
    if not data.strip():
        raise EmptyInputError(path, "empty (no text)", locator)
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _checked(data.decode(enc), path, locator), enc
            except UnicodeDecodeError:
                raise DecodeError(path, f"bytes do not match their {enc} mark", locator) from None
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise DecodeError(path, f"binary content ({what}), not text", locator)
    if b"\x00" in data[:8192]:
        raise DecodeError(path, "binary content (NUL bytes), not text", locator)
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        enc = declared.group(1).decode("ascii", "replace").lower()
        try:
            return _checked(data.decode(enc), path, locator), enc
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; fall through to detection
    try:
        return _checked(data.decode("utf-8"), path, locator), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data[:2_000_000]))
    if not matches or min(m.chaos for m in matches) > 0.3:
        raise DecodeError(path, "undecodable bytes: no text encoding explains them", locator)
    # Among near-equally clean readings, the one that reads most like a language wins; ties
    # go to the encodings most web text uses.
    floor = min(m.chaos for m in matches)
    close = [m for m in matches if m.chaos <= floor + 0.1]
    best = max(close, key=lambda m: (round(m.coherence, 2), m.encoding in _COMMON))
    enc = best.encoding
    try:
        return _checked(data.decode(enc), path, locator), enc
    except (LookupError, UnicodeDecodeError):
        raise DecodeError(path, f"undecodable bytes (best guess {enc} fails)", locator) from None


def _checked(text: str, path: str, locator: str) -> str:
    if not text.strip():
        raise EmptyInputError(path, "empty (no text)", locator)
    sample = text[:20000]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\r\f")
    if controls > max(8, len(sample) // 100):
        raise DecodeError(path, "binary content (control characters), not text", locator)
    return text


def sniff_kind(text: str) -> str:
    """``feed``, ``html``, ``json`` or ``text``: what a decoded file of unknown type holds."""
    head = text.lstrip()[:1000].lower()
    if head.startswith(("<?xml", "<rss", "<feed")) and (
        "<rss" in head or "<feed" in head or "<rdf:rdf" in head
    ):
        return "feed"
    if head.startswith(("<!doctype html", "<html")) or "<body" in head:
        return "html"
    if head.startswith(("{", "[")):
        return "json"
    return "text"
