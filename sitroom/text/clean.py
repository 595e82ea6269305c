"""Clean text out of an original: keep spans, drop debris, map offsets back."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sitroom.model import OffsetMap, RemovedSpan
from sitroom.text.debris import find_debris
from sitroom.text.html import extract_html
from sitroom.text.lines import Line, split_lines

__all__ = ["Cleaned", "clean_html", "clean_plain"]


@dataclass
class Cleaned:
    text: str
    clean_text: str
    removed: list[RemovedSpan]
    offsets: OffsetMap
    extractor: str
    meta: dict[str, str] = field(default_factory=dict)


def _subtract(spans: list[tuple[int, int]], holes: list[RemovedSpan]) -> list[tuple[int, int]]:
    """``spans`` (sorted, disjoint) minus ``holes``, in one pass over both."""
    out: list[tuple[int, int]] = []
    hs = sorted((h.start, h.end) for h in holes)
    i = 0
    for s, e in spans:
        while i < len(hs) and hs[i][1] <= s:
            i += 1
        cur, j = s, i
        while j < len(hs) and hs[j][0] < e:
            if hs[j][0] > cur:
                out.append((cur, hs[j][0]))
            cur = max(cur, hs[j][1])
            j += 1
        if cur < e:
            out.append((cur, e))
    return out


def _assemble(text: str, spans: list[tuple[int, int]]) -> tuple[str, OffsetMap]:
    parts: list[str] = []
    segments: list[tuple[int, int, int]] = []
    pos = 0
    prev_end: int | None = None
    for s, e in spans:
        chunk = text[s:e]
        lead = len(chunk) - len(chunk.lstrip())
        chunk = chunk.strip()
        if not chunk:
            continue
        s += lead
        if prev_end is not None:
            gap = text[prev_end:s]
            if "\n" not in gap:  # same line (an inline shortcode may have gone between)
                sep = " " if gap else ""
            elif gap.count("\n") == 1 and gap.strip() == "":
                sep = "\n"
            else:
                sep = "\n\n"
            parts.append(sep)
            pos += len(sep)
        parts.append(chunk)
        segments.append((pos, s, len(chunk)))
        pos += len(chunk)
        prev_end = s + len(chunk)
    return "".join(parts), OffsetMap(segments)


def _gaps(text: str, kept: list[tuple[int, int]]) -> list[RemovedSpan]:
    """What the extractor left out of the page, as removed spans."""
    out: list[RemovedSpan] = []
    cur = 0
    for s, e in [*kept, (len(text), len(text))]:
        gap = text[cur:s]
        if gap.strip():
            lead = len(gap) - len(gap.lstrip())
            g0, g1 = cur + lead, cur + len(gap.rstrip())
            out.append(RemovedSpan(g0, g1, "page-boilerplate", text[g0:g1]))
        cur = max(cur, e)
    return out


def clean_plain(text: str, title: str | None = None) -> Cleaned:
    """Clean a plain-text article (a scrape, a JSON ``text`` field)."""
    lines = split_lines(text)
    debris = find_debris(text, lines, title=title, headline_first=title is None)
    spans = [(ln.start, ln.end) for ln in lines]
    debris, how = _rescue(text, spans, debris, "text-rules")
    clean, offsets = _assemble(text, _subtract(spans, debris))
    return Cleaned(text, clean, debris, offsets, how)


def clean_html(html: str, url: str | None = None, title: str | None = None) -> Cleaned:
    """Clean an HTML page or fragment: extraction cascade, then the text debris rules."""
    ex = extract_html(html, url)
    title = title or ex.meta.get("title")
    body_lines = [
        Line(s, e, ex.text[s:e], i, True, True) for i, (s, e) in enumerate(_split(ex.text, ex.kept))
    ]
    debris = find_debris(
        ex.text,
        body_lines,
        title=title,
        headline_first=title is None,
        html=True,
        standfirst=ex.meta.get("description"),
    )
    spans = [(ln.start, ln.end) for ln in body_lines]
    debris, how = _rescue(ex.text, spans, debris, ex.method)
    removed = sorted(_gaps(ex.text, ex.kept) + debris, key=lambda r: r.start)
    clean, offsets = _assemble(ex.text, _subtract(spans, debris))
    return Cleaned(ex.text, clean, removed, offsets, how, ex.meta)


# Debris that is still the article's words: when nothing else is left (a photo gallery is
# all captions), these are kept rather than returning an empty article.
_SOFT = frozenset({"caption", "inserted-headline", "related", "title", "standfirst", "byline"})
_WORD = re.compile(r"[^\W\d_]{2,}")


def _rescue(
    text: str, spans: list[tuple[int, int]], debris: list[RemovedSpan], how: str
) -> tuple[list[RemovedSpan], str]:
    kept = _subtract(spans, debris)
    if any(_WORD.search(text[s:e]) for s, e in kept):
        return debris, how
    hard = [r for r in debris if r.reason not in _SOFT]
    if len(hard) == len(debris):
        return debris, how
    return hard, f"{how}+rescue"


def _split(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Kept spans cut at line breaks, so each debris rule sees one block at a time."""
    out = []
    for s, e in spans:
        for m in re.finditer(r"[^\n]+", text[s:e]):
            if m.group().strip():
                out.append((s + m.start(), s + m.end()))
    return out


# What the language stages read besides the body: lines that are the article's own words about
# itself (its headline, photo captions, credits). Places and dates found there keep the line's
# reason as their role.
READABLE = frozenset({"title", "standfirst", "caption", "credit", "byline"})


def reading_text(
    text: str, body: OffsetMap, removed: list[RemovedSpan]
) -> tuple[str, OffsetMap, list[tuple[int, int, str]]]:
    """The text the language stages read, its map back to ``text``, and the role of each of
    its stretches ("body", or the removal reason of a readable line)."""
    spans: list[tuple[int, int, str]] = [
        (orig, orig + length, "body") for _, orig, length in body.segments
    ]
    spans += [(r.start, r.end, r.reason) for r in removed if r.reason in READABLE]
    spans.sort()
    merged: list[tuple[int, int, str]] = []
    for s, e, role in spans:
        if merged and s < merged[-1][1]:
            continue  # overlaps what is already in (body wins over the line around it)
        merged.append((s, e, role))
    reading, offsets = _assemble(text, [(s, e) for s, e, _ in merged])
    roles = []
    for clean_start, orig_start, length in offsets.segments:
        role = next((r for s, e, r in merged if s <= orig_start < e), "body")
        roles.append((clean_start, clean_start + length, role))
    return reading, offsets, roles
