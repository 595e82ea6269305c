"""Bytes to text, with a clear error for whatever is not text.

The order: a byte-order mark; UTF-16/32 without one (text whose every other byte is NUL);
strict UTF-8 (valid UTF-8 beyond ASCII is never an accident, so it beats a ``<meta charset>``
that says otherwise); a declared charset, when what it reads is plausible text; then charset
detection (charset-normalizer, limited to the encodings the web uses), where the candidates that
read as Latin-script text are ranked by how well their accented letters fit one language's
alphabet, Windows-1252 first among equals (the legacy encoding most news text was written in).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from sitroom.errors import DecodeError, EmptyInputError

__all__ = ["decode_bytes", "plausibility", "sniff_kind"]

_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or Office document)"),
    (b"\x1f\x8b", "gzip data"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3", "an SQLite database"),
    (b"RIFF", "a media file"),
    (b"OggS", "a media file"),
    (b"ID3", "an MP3 file"),
)
_COMMON = frozenset({"cp1252", "latin_1", "iso8859_15", "cp1251", "cp1256", "gb18030", "shift_jis"})
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""",
    re.IGNORECASE,
)

# The encodings the web uses (the WHATWG Encoding Standard's, as Python names them). DOS code
# pages (437, 850, 852, 775, ...) are left out: they read Windows-1252 text about as cleanly,
# so a detector that weighs them picks them often, and news text is never written in them.
_WEB = [
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_5", "iso8859_6", "iso8859_7", "iso8859_8",
    "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16", "koi8_r", "koi8_u",
    "cp866", "cp874", "mac_roman", "mac_cyrillic", "gb18030", "big5", "euc_jp", "shift_jis",
    "cp932", "iso2022_jp", "euc_kr", "cp949",
]  # fmt: skip
# Among Latin-script readings that fit equally well, the more common encoding wins.
_LATIN_ORDER = [
    "cp1252", "cp1250", "iso8859_2", "cp1254", "cp1257", "iso8859_15", "iso8859_13",
    "iso8859_16", "iso8859_4", "iso8859_10", "iso8859_3", "iso8859_14", "cp1258", "mac_roman",
]  # fmt: skip
# What a declaration names, as a browser reads it (WHATWG): Latin-1 and ASCII labels mean
# Windows-1252, and a page that declares UTF-16 in ASCII-compatible bytes is not UTF-16.
_LABELS = {
    "latin1": "cp1252", "latin-1": "cp1252", "iso-8859-1": "cp1252", "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252", "l1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252",
    "windows-1252": "cp1252", "x-cp1252": "cp1252", "cp819": "cp1252", "ibm819": "cp1252",
    "utf-16": "utf-8", "utf-16le": "utf-8", "utf-16be": "utf-8", "unicode": "utf-8",
}  # fmt: skip
# The accented letters of the languages written in Latin-script legacy encodings: a reading
# whose accented letters all belong to one of these is likelier than one mixing "č" and "ø".
_ALPHABETS = [
    frozenset(s)
    for s in (
        "àâæçéèêëîïôœùûüÿ",  # French
        "äöüß",  # German
        "áéíñóúüï",  # Spanish, Catalan
        "àáâãçéêíóôõúü",  # Portuguese
        "àèéìíîòóùú",  # Italian
        "áéëèïíóöüú",  # Dutch
        "åäöéæø",  # Swedish, Finnish, Danish, Norwegian
        "áðéíóúýþæö",  # Icelandic
        "ąćęłńóśźż",  # Polish
        "áčďéěíňóřšťúůýž",  # Czech
        "áäčďéíĺľňóôŕšťúýž",  # Slovak
        "čćđšž",  # Croatian, Slovene, Bosnian, Serbian
        "áéíóöőúüű",  # Hungarian
        "ăâîșțşţ",  # Romanian
        "çğıöşüâîû",  # Turkish
        "äöõüšž",  # Estonian
        "āčēģīķļņšūž",  # Latvian
        "ąčęėįšųūž",  # Lithuanian
        "çë",  # Albanian
    )
]
# Words: letters, joined by non-ASCII symbols ("Rz¹d", "mo¿e"); markup is left out.
_WORDS = re.compile(r"[^\W\d_]+(?:[^\s\w\x00-\x7f]+[^\W\d_]+)*")
_TAG = re.compile(r"<[^<>]*>")
# Symbols that sit inside a misread word, and those at home there.
_ODD_IN_WORD = frozenset({"No", "Po", "Sc", "Sk", "Sm", "So"})
_IN_WORD = frozenset("·…")
_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK", "ARABIC", "HEBREW", "CJK", "THAI"})
_SCRIPT_GROUPS = {
    "HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK", "IDEOGRAPHIC": "CJK",
    "FULLWIDTH": "CJK", "HALFWIDTH": "CJK",
}  # fmt: skip


@dataclass
class _Reading:
    encoding: str
    sample: str


def decode_bytes(data: bytes, path: str, locator: str = "") -> tuple[str, str]:
    """``(text, encoding)`` of ``data``; raises DecodeError or EmptyInputError naming ``path``."""
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
    if data.startswith(b"MZ") and b"\x00" in data[:64]:  # not "MZUZU, Malawi (Reuters) -"
        raise DecodeError(path, "binary content (an executable), not text", locator)
    wide = _wide_unicode(data)
    if wide is not None:
        return _checked(data.decode(wide), path, locator), wide
    if b"\x00" in data[:8192]:
        raise DecodeError(path, "binary content (NUL bytes), not text", locator)
    try:
        return _checked(data.decode("utf-8"), path, locator), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _declared(data)
    if declared is not None:
        # A declaration is a strong hint, not the truth: pages are re-saved, proxied and
        # templated in another encoding than their <meta> says. What it reads must be text,
        # and no detected reading clearly more plausible.
        try:
            text = _decode(data, declared)
        except (LookupError, UnicodeError):  # also a "charset" that is no text encoding
            text = None
        if text is not None:
            ours = plausibility(text[:200_000])
            if ours < 0.9:
                try:
                    enc = _detect(data, path, locator)
                    if plausibility(_decode(data[:200_000], enc, "replace")) > ours + 0.2:
                        text = None
                except (DecodeError, UnicodeDecodeError):
                    pass
            if text is not None:
                return _checked(text, path, locator), declared
    enc = _detect(data, path, locator)
    try:
        return _checked(_decode(data, enc), path, locator), enc
    except UnicodeDecodeError:
        raise DecodeError(path, f"undecodable bytes (best guess {enc} fails)", locator) from None


def _wide_unicode(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` or ``utf-32-le``/``-be`` for such text without a byte-order mark:
    its NUL bytes (the high bytes of ASCII characters: spaces, digits, line breaks) fall in the
    same byte of each code unit, and the other byte is seldom NUL."""
    sample = data[:65536]
    if not sample.count(0):
        return None
    for size, name in ((4, "utf-32"), (2, "utf-16")):
        if len(data) % size:
            continue
        units = len(sample) // size
        by_pos = [sample[i::size].count(0) for i in range(size)]
        for order, hi, lo in (("le", size - 1, 0), ("be", 0, size - 1)):
            if size == 4:
                if by_pos[hi] < units:  # every UTF-32 unit's top byte is NUL
                    continue
            elif not by_pos[hi] or by_pos[lo] * 4 > by_pos[hi]:
                continue
            enc = f"{name}-{order}"
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            head = text[:20000]
            odd = sum(1 for c in head if unicodedata.category(c) in ("Cn", "Co", "Cs"))
            if _controls(head) + odd <= len(head) // 200 and plausibility(head) >= 0.75:
                return enc
    return None


def _declared(data: bytes) -> str | None:
    """The encoding an HTML ``<meta charset>`` or XML declaration names, if Python knows it."""
    m = _DECLARED.search(data[:4096])
    if not m:
        return None
    label = (m.group(1) or m.group(2)).decode("ascii", "replace").lower()
    label = _LABELS.get(label, label)
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):  # base64, zlib, rot13, ...
        return None
    return info.name.replace("-", "_").replace("windows_", "cp")


def _decode(data: bytes, enc: str, errors: str = "strict") -> str:
    if enc == "cp1252":
        # as browsers do: the five bytes Windows-1252 leaves undefined stand for themselves
        return data.decode("cp1252", "sitroom-latin1")
    return data.decode(enc, errors)


def _latin1_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


codecs.register_error("sitroom-latin1", _latin1_fallback)


def _detect(data: bytes, path: str, locator: str) -> str:
    """The encoding of bytes that are not UTF-8 and declare nothing believable."""
    from charset_normalizer import from_bytes

    try:
        matches = list(from_bytes(data[:2_000_000], cp_isolation=_WEB))
    except Exception:  # the detector's own failure is this input's, never the run's
        matches = []
    if not matches or min(m.chaos for m in matches) > 0.3:
        raise DecodeError(path, "undecodable bytes: no text encoding explains them", locator)
    # Among near-equally clean readings, the one that reads most like a language wins; ties
    # go to the encodings most web text uses.
    floor = min(m.chaos for m in matches)
    close = [m for m in matches if m.chaos <= floor + 0.1]
    close.sort(key=lambda m: (-round(m.coherence, 2), m.encoding not in _COMMON, m.chaos))
    sample = data[:200_000]
    readings: list[_Reading] = []
    seen: set[str] = set()
    for m in close:
        for enc in [m.encoding, *m.could_be_from_charset]:
            try:
                text = _decode(sample, enc, "replace")  # a cut sample may end mid-character
            except LookupError:
                continue
            if text not in seen:
                seen.add(text)
                readings.append(_Reading(enc, text))
    if not readings:
        raise DecodeError(path, "undecodable bytes: no text encoding explains them", locator)
    if _script(readings[0].sample) != "latin":
        return readings[0].encoding
    # Latin-script text: the code pages differ in which accented letters the high bytes are,
    # which a detector's letter frequencies tell apart badly; one language's alphabet does.
    latin = [r for r in readings if _script(r.sample) == "latin"]
    if all(r.encoding != "cp1252" for r in latin):
        latin.append(_Reading("cp1252", _decode(sample, "cp1252")))
    order = {enc: i for i, enc in enumerate(_LATIN_ORDER)}
    best = max(
        latin,
        key=lambda r: (round(plausibility(r.sample), 2), -order.get(r.encoding, len(order))),
    )
    return best.encoding


def _script(text: str) -> str:
    """``latin`` when most non-ASCII letters of ``text`` are Latin (or there are none)."""
    latin = other = 0
    for c in text:
        if ord(c) > 127 and c.isalpha():
            if unicodedata.name(c, "").startswith("LATIN"):
                latin += 1
            else:
                other += 1
    return "latin" if latin >= other else "other"


def plausibility(text: str) -> float:
    """How much ``text`` reads like a real language's letters, from 0 to 1.

    Misread text gives itself away: words mixing scripts ("prщsident"), symbols inside words
    ("Rz¹d"), more accented than plain Latin letters ("Ïðàâèòåëüñòâî"), or accented letters
    no one language uses together ("støedu" beside "schválila").
    """
    words = _WORDS.findall(_TAG.sub(" ", text) if "<" in text else text)
    if not words:
        return 1.0
    mixed = glued = plain = 0
    accented: dict[str, int] = {}
    for w in words:
        if w.isascii():
            plain += len(w)
            continue
        scripts: set[str] = set()
        last = len(w) - 1
        for i, c in enumerate(w):
            if c.isascii():
                if c.isalpha():
                    plain += 1
                    scripts.add("LATIN")
            elif c.isalpha():
                script = unicodedata.name(c, "").split(" ", 1)[0]
                script = _SCRIPT_GROUPS.get(script, script)
                if script in _SCRIPTS:
                    scripts.add(script)
                if script == "LATIN":
                    lc = c.lower()
                    accented[lc] = accented.get(lc, 0) + 1
            elif (
                0 < i < last
                and unicodedata.category(c) in _ODD_IN_WORD
                and c not in _IN_WORD
                and _is_latin(w[i - 1])
                and _is_latin(w[i + 1])
            ):
                glued += 1
        if len(scripts) > 1:
            mixed += 1
    score = 1.0 - min(1.0, 5 * (mixed + glued) / len(words))
    n_accented = sum(accented.values())
    if n_accented:
        if n_accented > plain:
            return 0.0
        fit = max(sum(n for c, n in accented.items() if c in a) for a in _ALPHABETS)
        score -= (n_accented - fit) / n_accented
    return max(0.0, score)


def _is_latin(c: str) -> bool:
    if c.isascii():
        return c.isalpha()
    return c.isalpha() and unicodedata.name(c, "").startswith("LATIN")


def _controls(text: str) -> int:
    return sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f")


def _checked(text: str, path: str, locator: str) -> str:
    if not text.strip():
        raise EmptyInputError(path, "empty (no text)", locator)
    sample = text[:20000]
    if _controls(sample) > max(8, len(sample) // 100):
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
