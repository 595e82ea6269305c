"""The brief's data: cited sentences, and how they render (JSON-ready dict, Markdown, text).

Every sentence carries the source sentences that state it (``Citation``: the article, its
outlet, the sentence and its offsets into the article's original text). Markdown output
escapes ``< > &`` so that text taken from articles cannot inject markup into a page that
renders the Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Brief", "BriefSentence", "Citation", "escape_markdown", "says", "single_mark"]

SINGLE_MARK = "(single source)"


@dataclass(frozen=True)
class Citation:
    """One source sentence: ``sentence == article text[start:end]``."""

    article_id: str
    outlet: str
    sentence: str
    start: int
    end: int


@dataclass
class BriefSentence:
    text: str  # a source sentence (dateline and a trailing attribution maybe trimmed), or
    # for a contested fact the sides' sentences joined: "X says A; Y says B"
    status: str  # "corroborated" | "single-source" | "contested"
    outlets: list[str]
    citations: list[Citation]  # every source sentence that states it
    claim_id: str | None = None
    event_id: str | None = None
    # contested only: [{"value", "text", "outlets", "citations": [Citation, ...]}]
    sides: list[dict[str, Any]] = field(default_factory=list)
    first_seen: str | None = None  # earliest published of its sources (contested: of the
    # side that appeared last, when the fact became contested)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        d = asdict(self)
        return d


@dataclass
class Brief:
    story_id: str
    title: str
    sentences: list[BriefSentence]
    since: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "story_id": self.story_id,
            "title": self.title,
            "since": self.since,
            "sentences": [s.to_dict() for s in self.sentences],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Brief:
        """The brief ``to_dict`` gave (as the store keeps it)."""

        def cites(rows: list[dict[str, Any]]) -> list[Citation]:
            return [Citation(**c) for c in rows]

        sentences = [
            BriefSentence(**{
                **s, "citations": cites(s["citations"]),
                "sides": [{**side, "citations": cites(side.get("citations", []))}
                          for side in s.get("sides", [])],
            })
            for s in d["sentences"]
        ]  # fmt: skip
        return cls(d["story_id"], d["title"], sentences, d.get("since"))

    def to_markdown(self) -> str:
        """A Markdown list, each sentence followed by its outlets as ``[Outlet]`` markers; the
        source sentences follow as footnote-style quotes. Article text is escaped."""
        head = f"## {escape_markdown(self.title)}"
        if self.since:
            head += f"\n\n*What changed since {escape_markdown(self.since)}*"
        lines = [head, ""]
        if not self.sentences:
            lines.append("*Nothing new.*" if self.since else "*No facts found.*")
        for s in self.sentences:
            lines.append(f"- {_markdown_line(s)}")
            # one line per distinct source sentence (a wire story's reprints share one)
            by_sentence: dict[str, list[str]] = {}
            for c in s.citations:
                by_sentence.setdefault(c.sentence, []).append(c.outlet)
            for sentence, outlets in by_sentence.items():
                cites = "".join(_cite(o) for o in dict.fromkeys(outlets))
                lines.append(f"    - {cites} {escape_markdown(sentence)}")
        return "\n".join(lines) + "\n"

    def to_text(self) -> str:
        """Plain text, one numbered sentence a line with its outlets in brackets."""
        lines = [self.title]
        if self.since:
            lines.append(f"What changed since {self.since}")
        for i, s in enumerate(self.sentences, 1):
            lines.append(f"{i}. {_text_line(s)}")
        return "\n".join(lines) + "\n"


_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def escape_markdown(text: str) -> str:
    """``text`` with ``& < >`` as HTML entities and Markdown's link and emphasis characters
    backslash-escaped, so article text shows as written and never as markup."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch in "[]*_`\\":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


_LOWER_FIRST = frozenset(
    "a an the by in on at of for from with as after before while when since during some "
    "many most all two three several both its their his her this these those it they".split()
)


def says(outlets: list[str], sentence: str) -> str:
    """``"X and Y say <sentence>"``: a contested side attributed to its outlets (the
    sentence's first word lower-cased when it is a common word, not a name)."""
    names = list(dict.fromkeys(outlets))
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    verb = "says" if len(names) == 1 else "say"
    first, _, rest = sentence.partition(" ")
    if first.lower() in _LOWER_FIRST:
        sentence = first.lower() + (" " + rest if rest else "")
    return f"{who} {verb} {sentence.rstrip('.')}"


def _cite(outlet: str) -> str:
    return f"\\[{escape_markdown(outlet)}\\]"


def _markdown_line(s: BriefSentence) -> str:
    if s.status == "contested" and s.sides:
        parts = [
            f"{escape_markdown(says(side['outlets'], side['text']))} "
            + "".join(_cite(o) for o in side["outlets"])
            for side in s.sides
        ]
        return "**Contested:** " + "; ".join(parts) + "."
    line = f"{escape_markdown(s.text)} {''.join(_cite(o) for o in s.outlets)}"
    return line + (f" *{single_mark(s.outlets)}*" if s.status == "single-source" else "")


def _text_line(s: BriefSentence) -> str:
    if s.status == "contested" and s.sides:
        parts = [
            f"{says(side['outlets'], side['text'])} " + "".join(f"[{o}]" for o in side["outlets"])
            for side in s.sides
        ]
        return "Contested: " + "; ".join(parts) + "."
    line = f"{s.text} {''.join(f'[{o}]' for o in s.outlets)}"
    return line + (f" {single_mark(s.outlets)}" if s.status == "single-source" else "")


def single_mark(outlets: Sequence[str]) -> str:
    """ "(single source)", saying so when several outlets carry that one report (a reprint
    is not a second source)."""
    n = len(set(outlets))
    return SINGLE_MARK if n <= 1 else f"(single source, carried by {n} outlets)"
