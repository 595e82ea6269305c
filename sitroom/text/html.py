"""Article bodies out of HTML pages, aligned to the page's visible text.

The page's visible text (block elements on their own lines) is the article's original text;
the extracted body is a set of spans of it, so every later offset points into the page.

Extraction cascade (the first that yields a body wins):

1. trafilatura, precision mode, comments off;
2. trafilatura, recall mode, when (1) found nothing or kept far less than a recall run finds;
3. readability-lxml's summary;
4. baseline: every paragraph element of a page with enough words;
5. rescue: the whole visible text (the text debris rules still run on it).

HTML fragments (a feed item's ``<p>`` paragraphs, no page around them) skip the cascade: their
visible text is the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from lxml import etree

__all__ = ["Extraction", "extract_html", "is_fragment", "visible_text"]

_SKIP = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "head",
        "iframe",
        "object",
        "embed",
        "canvas",
        "select",
        "option",
        "button",
        "input",
        "textarea",
        "math",
    ]
)
_BLOCK = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "td",
        "th",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "aside",
        "blockquote",
        "pre",
        "figure",
        "figcaption",
        "form",
        "dl",
        "dt",
        "dd",
        "hr",
        "main",
        "address",
        "details",
        "summary",
        "caption",
        "center",
        "fieldset",
        "legend",
        "menu",
        "body",
        "html",
        "title",
    ]
)
_WS = re.compile(r"\s+")
_PAGE_MARKERS = re.compile(r"<\s*(?:html|body|head)\b", re.IGNORECASE)


@dataclass
class Extraction:
    """``text`` is the page's visible text; ``kept`` the body's spans of it."""

    text: str
    kept: list[tuple[int, int]]
    method: str
    meta: dict[str, str] = field(default_factory=dict)
    unaligned: int = 0


def is_fragment(html: str) -> bool:
    """An HTML snippet (no html/head/body element), as feeds carry in their items."""
    return not _PAGE_MARKERS.search(html[:5000])


def _parse(html: str) -> Any:
    # lxml refuses str input that declares an encoding; encode it ourselves.
    data = html.encode("utf-8", "surrogatepass")
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    root = lxml.html.document_fromstring(data, parser=parser)
    return root


def visible_text(root: Any) -> str:
    """Visible text of an element tree: one line per block, whitespace collapsed inside lines."""
    blocks: list[str] = []
    cur: list[str] = []

    def flush() -> None:
        line = _WS.sub(" ", "".join(cur)).strip()
        if line:
            blocks.append(line)
        cur.clear()

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if tag in _SKIP or not isinstance(el.tag, str):
            if el.tail:
                cur.append(el.tail)
            return
        block = tag in _BLOCK
        if block:
            flush()
        if el.text:
            cur.append(el.text)
        for child in el:
            walk(child)
        if block:
            flush()
        if el.tail:
            cur.append(el.tail)

    walk(root)
    flush()
    return "\n\n".join(blocks)


def _norm_line(s: str) -> str:
    s = _WS.sub(" ", s).strip()
    return re.sub(r"^(?:[-*•]\s+)", "", s)


def align(text: str, lines: list[str]) -> tuple[list[tuple[int, int]], int]:
    """Spans of ``text`` holding each extracted line, in order; count of lines not found."""
    kept: list[tuple[int, int]] = []
    missed = 0
    cursor = 0
    for line in lines:
        pieces = [p for p in (_norm_line(x) for x in line.strip("|").split(" | ")) if p]
        for piece in pieces:
            i = text.find(piece, cursor)
            if i < 0:
                i = text.find(piece)
            if i < 0:
                span = _fuzzy_find(text, piece, cursor)
                if span is None:
                    missed += 1
                    continue
                i, j = span
            else:
                j = i + len(piece)
            kept.append((i, j))
            cursor = max(cursor, j)
    kept.sort()
    merged: list[tuple[int, int]] = []
    for s, e in kept:
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged, missed


def _fuzzy_find(text: str, piece: str, cursor: int) -> tuple[int, int] | None:
    """Where ``piece`` lies in ``text`` though the extractor re-spaced or dropped words of it.

    Anchors on its first and last words; the span between them must be about as long as
    the piece (an extractor drops link text, or merges a table's cells into one line).
    """
    toks = re.findall(r"\w+", piece)
    if len(toks) < 3:
        return None
    if len(toks) <= 12:
        pat = re.compile(r"\W+".join(re.escape(t) for t in toks))
        m = pat.search(text, cursor) or pat.search(text)
        return (m.start(), m.end()) if m else None
    head = re.compile(r"\W+".join(re.escape(t) for t in toks[:6]))
    tail = re.compile(r"\W+".join(re.escape(t) for t in toks[-6:]))
    for start in (cursor, 0):
        for h in head.finditer(text, start):
            limit = h.start() + 2 * len(piece) + 200
            t = tail.search(text, h.end(), limit)
            if t and 0.7 * len(piece) <= t.end() - h.start() <= 1.6 * len(piece) + 100:
                return h.start(), t.end()
    return None


def _lines(text: str | None) -> list[str]:
    return [ln for ln in (text or "").split("\n") if ln.strip()]


def _meta(doc: Any) -> dict[str, str]:
    if doc is None:
        return {}
    out: dict[str, str] = {}
    for key in ("title", "sitename", "date", "url", "author", "hostname", "description"):
        val = getattr(doc, key, None)
        if isinstance(val, str) and val.strip():
            out[key] = val.strip()
    return out


_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def extract_html(html: str, url: str | None = None) -> Extraction:
    """The article body of ``html`` by the numbered cascade in this module's docstring."""
    import trafilatura  # heavy import, only when HTML arrives

    root = _parse(html)
    if is_fragment(html):
        text = visible_text(root)
        spans = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
        return Extraction(text, spans, "fragment")

    page = visible_text(root)
    common: dict[str, Any] = {
        "url": url,
        "include_comments": False,
        "with_metadata": True,
        "date_extraction_params": _DATE_PARAMS,
    }
    precise = trafilatura.bare_extraction(html, favor_precision=True, **common)
    meta = _meta(precise)
    lines = _lines(getattr(precise, "text", None))
    method = "trafilatura-precision"
    size = sum(len(x) for x in lines)
    if size < 1500:
        # Precision mode sometimes keeps only a fragment of a short or unusual page.
        recall = trafilatura.bare_extraction(html, favor_recall=True, **common)
        r_lines = _lines(getattr(recall, "text", None))
        if sum(len(x) for x in r_lines) > 2 * max(size, 1):
            lines, method = r_lines, "trafilatura-recall"
            meta = meta or _meta(recall)
    if not lines:
        lines, method = _readability(html), "readability"
    if not lines:
        lines, method = _paragraphs(root), "paragraphs"
    if not meta:
        meta = _fallback_meta(html, url)
    if not lines:
        spans = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", page)]
        return Extraction(page, spans, "visible-text", meta)
    kept, missed = align(page, lines)
    return Extraction(page, kept, method, meta, missed)


def _readability(html: str) -> list[str]:
    try:
        from readability import Document

        summary = Document(html).summary(html_partial=True)
    except Exception:  # readability raises bare Exceptions on odd pages; the cascade goes on
        return []
    text = visible_text(_parse(f"<html><body>{summary}</body></html>"))
    return _lines(text) if len(text) > 200 else []


def _paragraphs(root: Any) -> list[str]:
    out = []
    for p in root.iter("p"):
        line = _WS.sub(" ", p.text_content()).strip()
        if len(line.split()) >= 8:
            out.append(line)
    return out


def _fallback_meta(html: str, url: str | None) -> dict[str, str]:
    try:
        from trafilatura.metadata import extract_metadata

        return _meta(extract_metadata(html, default_url=url, date_config=_DATE_PARAMS))
    except (ValueError, TypeError, etree.LxmlError):
        return {}
