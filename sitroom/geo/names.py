"""Place-name normalisation and the name-to-key hash both the builder and the lookups use."""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["is_latin", "name_key", "normalize", "skeleton"]

_SPACE = re.compile(r"[\s\-‐-―_/]+")
_DROP = re.compile(r"[.'’`ʻʼ\"()\[\],]")


def normalize(name: str) -> str:
    """Lower case, no accents, no dots or quotes, hyphens as spaces: "Mazār-e Sharīf" ->
    "mazar e sharif", "St. Louis" -> "st louis"."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = _DROP.sub("", s.lower())
    return _SPACE.sub(" ", s).strip()


def name_key(normalized: str) -> int:
    """A stable signed 64-bit key for a normalised name."""
    return int.from_bytes(hashlib.blake2b(normalized.encode(), digest_size=8).digest(), "big",
                          signed=True)  # fmt: skip


def is_latin(name: str) -> bool:
    """Written in Latin letters (the names English news uses)."""
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(ord(c) < 0x250 or 0x1E00 <= ord(c) <= 0x1EFF for c in letters)


_VOWELLISH = re.compile(r"[aeiouyhw'` ]")
_LETTER_CLASS = str.maketrans({"q": "k", "c": "k", "v": "f", "z": "s", "j": "g", "x": "k"})


def skeleton(normalized: str) -> str:
    """The consonant skeleton of a transliterated name, so that spellings of one place agree:
    "qala e naw", "qalah ye now" and "kala i nau" all give "kln"."""
    s = normalized.translate(_LETTER_CLASS)
    s = s[:1] + _VOWELLISH.sub("", s[1:]) if s[:1] in "aeiou" else _VOWELLISH.sub("", s)
    out: list[str] = []
    for ch in s:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)
