"""Outlets: the packaged list of news organisations, and the ways a text names its own.

The list (``data/outlets.tsv``: name, aliases, domains, kind) normalises what the text or the
metadata says ("AP" -> "Associated Press", "nbcnews.com" -> "NBC News"). An outlet that is not
on it is still found by the textual rules; its name is then kept as written.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

__all__ = ["Outlet", "OutletIndex", "credit_outlet", "outlets", "self_reference"]


@dataclass(frozen=True)
class Outlet:
    name: str
    aliases: tuple[str, ...]
    domains: tuple[str, ...]
    kind: str


class OutletIndex:
    """Look outlets up by name, alias or web domain."""

    def __init__(self, items: list[Outlet]) -> None:
        self.items = items
        self._by_name: dict[str, Outlet] = {}
        self._by_domain: dict[str, Outlet] = {}
        for o in items:
            for key in (o.name, *o.aliases):
                self._by_name.setdefault(_key(key), o)
            for d in o.domains:
                self._by_domain[d.lower()] = o

    def find(self, name: str) -> Outlet | None:
        """The listed outlet called ``name`` (any alias, with or without "the")."""
        return self._by_name.get(_key(name))

    def canonical(self, name: str) -> str:
        """The listed name for ``name``, else ``name`` tidied; a section suffix ("BBC News -
        World", "Northbridge Radio | Latest") is dropped when the head names an outlet."""
        o = self.find(name) or self._by_prefix(name)
        if o:
            return o.name
        tidy = " ".join(name.split()).strip(" .,;:-–—|")
        head = re.split(r"\s+[-–—|:»]\s+", tidy, maxsplit=1)[0]
        if head != tidy and self.is_outlet_name(head):
            o = self.find(head)
            return o.name if o else head
        return tidy

    def _by_prefix(self, name: str) -> Outlet | None:
        """A listed outlet that ``name`` starts with: "ABC News Internet Ventures", "NBC News
        MACH" (a company suffix or a section after the outlet's name)."""
        words = name.split()
        for n in range(len(words) - 1, 1, -1):
            o = self.find(" ".join(words[:n]))
            if o:
                return o
        return None

    def by_url(self, url: str) -> tuple[str | None, str | None]:
        """(listed outlet name or None, the URL's host without "www.") for ``url``."""
        try:
            host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower()
        except ValueError:
            return None, None
        if not host:
            return None, None
        host = host.removeprefix("www.")
        parts = host.split(".")
        for i in range(len(parts) - 1):
            o = self._by_domain.get(".".join(parts[i:]))
            if o:
                return o.name, host
        return None, host

    def is_outlet_name(self, name: str) -> bool:
        """``name`` is a listed outlet, or reads like a news organisation's name."""
        return self.find(name) is not None or bool(_MEDIA_WORD.search(name))


def _key(name: str) -> str:
    k = " ".join(name.lower().replace("’", "'").split())
    return k.removeprefix("the ")


_MEDIA_WORD = re.compile(
    r"\b(?:News|Times|Post|Radio|TV|Television|Herald|Journal|Wire|Press|Courier|Ledger|"
    r"Tribune|Gazette|Daily|Sentinel|Agency|Network|Channel|Broadcasting|Chronicle|Observer|"
    r"Telegraph|Guardian|Independent|Mail|Express|Star|Today|Magazine|Review|Monitor|Globe|"
    r"Dispatch|Bulletin|Standard|Record|Examiner|Inquirer|Register|Week|Weekly|Media|Report|"
    r"Reporter|Post-Dispatch|Insider|Digest)\b"
)


@lru_cache(maxsize=1)
def outlets() -> OutletIndex:
    """The packaged outlet list, loaded once."""
    text = resources.files("sitroom.data").joinpath("outlets.tsv").read_text("utf-8")
    items = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = [*line.split("\t"), "", "", "", ""][:4]
        name, aliases, domains, kind = (c.strip() for c in cols)
        items.append(
            Outlet(
                name,
                tuple(a for a in aliases.split(";") if a),
                tuple(d for d in domains.split(";") if d),
                kind or "outlet",
            )
        )
    return OutletIndex(items)


# Where a report names the outlet that a source spoke to: its own reporting.
_NAME = r"(?:the[ ]+)?(?P<name>[A-Z][\w.&'’-]*(?:[ ]+(?:[A-Z][\w.&'’-]*|of|and|de|al))*)"
_SPOKE_TO = re.compile(
    r"\b(?:told|confirmed\s+to|said\s+to|speaking\s+to|spoke\s+to|"
    r"(?:in\s+an?\s+)?(?:interview|statement|call)\s+with|(?:seen|reviewed|obtained|verified)\s+by"
    r")\s+" + _NAME
)
_HAS_LEARNED = re.compile(_NAME + r"\s+(?:has\s+learned|has\s+confirmed|was\s+told)\b")
_NOT_OUTLETS = frozenset(
    [
        "reporters",
        "journalists",
        "parliament",
        "congress",
        "lawmakers",
        "the",
        "senate",
        "the",
        "house",
        "police",
        "a",
        "court",
        "the",
        "court",
    ]
)


def self_reference(text: str, index: OutletIndex) -> tuple[str, int] | None:
    """The outlet a text keeps naming as the one sources spoke to ("told NBC News"), and how
    often. It wins only if named at least twice and more often than any other outlet."""
    counts: Counter[str] = Counter()
    for rx in (_SPOKE_TO, _HAS_LEARNED):
        for m in rx.finditer(text):
            name = _trim_name(m.group("name"))
            if name and name.lower() not in _NOT_OUTLETS and index.is_outlet_name(name):
                counts[index.canonical(name)] += 1
    if not counts:
        return None
    (top, n), *rest = [*counts.most_common(2), ("", 0)]
    if n >= 2 and n > rest[0][1]:
        return top, n
    return None


def _trim_name(name: str) -> str:
    # "NBC News early Friday" -> "NBC News"; "Reuters: ..." -> "Reuters"
    words = []
    for w in name.split():
        words.append(w)
        if w.endswith(".") and len(w) > 3 and w.count(".") == 1:
            break  # the sentence ends here ("told the Valley Herald. Trucks ...")
    while words and (words[-1][0].islower() or words[-1] in {"On", "In", "That"}):
        words.pop()
    return " ".join(words).rstrip(".,:;")


_CREDIT_OUTLET = re.compile(
    r"(?:^|\n)\s*(?:©|\(c\)|Copyright(?:\s+©)?)\s*(?:\d{4}\s*[-–]?\s*(?:\d{4}\s*)?)?"
    r"(?P<name>[A-Z][\w&'’ -]{1,60}?)(?:,?\s+(?:Inc|Ltd|LLC|plc|GmbH)\b\.?)?"
    r"\s*(?:[.,;|]|\s+All\s+rights|\n|$)",
    re.IGNORECASE,
)
_BYLINE_OUTLET = re.compile(
    r"(?:^|\n)\s*By\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}"
    r"(?:\s*(?:,|and|&)\s*[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})*"
    r"\s*(?:\||,|–|—|-|\bfor\b|\()\s*(?:the\s+)?(?P<name>[A-Z][\w.&'’ -]{1,50}?)\)?\s*(?:\n|$)"
)


def credit_outlet(lines: list[str], index: OutletIndex) -> tuple[str, str] | None:
    """An outlet named by a byline ("By Sara Malik | Kabul Ledger") or a copyright line
    ("© 2021 Daily Sentinel"): (name, which)."""
    for line in lines:
        m = _BYLINE_OUTLET.search(line)
        if m:
            name = _strip_staff(m.group("name"))
            plausible = index.is_outlet_name(name) or len(name.split()) <= 4
            if name and plausible and not _looks_like_role(name):
                return index.canonical(name), "byline"
    for line in lines:  # "Farid Noori | Kabul Ledger | 12 August 2021"
        if "|" in line and not line.lstrip().lower().startswith("by "):
            for part in line.split("|"):
                name = _strip_staff(part.strip())
                if name and index.is_outlet_name(name) and len(name.split()) <= 5:
                    return index.canonical(name), "byline"
    for line in lines:
        m = _CREDIT_OUTLET.search(line)
        if m:
            name = _strip_staff(m.group("name"))
            if name and index.is_outlet_name(name):
                return index.canonical(name), "copyright line"
    return None


def _strip_staff(name: str) -> str:
    name = re.sub(
        r"\s+(?:staff(?:\s+writer)?|correspondent|reporter|contributor|bureau)\b.*$",
        "",
        name,
        flags=re.I,
    )
    return name.strip(" .,;:|-–—")


def _looks_like_role(name: str) -> bool:
    return bool(re.match(r"(?i)(?:senior|chief|staff|special|associate|political|foreign)\b", name))
