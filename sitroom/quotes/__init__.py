"""Quotes: who said what in a news text, directly or in reported speech.

``find_quotes`` reads any text; ``extract_quotes`` reads an article the pipeline has analysed
(its readable text, spaCy analysis and reading roles), which is what a quotes stage calls.
"""

from __future__ import annotations

from sitroom.quotes.extract import QuoteMention, extract_quotes

__all__ = ["QuoteMention", "extract_quotes", "find_quotes"]


def find_quotes(text: str, title: str | None = None) -> list[QuoteMention]:
    """The quote mentions of ``text`` (offsets into ``text``; the headline's, when ``title`` is
    given, carry role "title" and offsets into ``title``)."""
    from sitroom.reading import read

    r = read(text, title)
    return extract_quotes(r.text, r.analysis, r.roles, r.to_out)
