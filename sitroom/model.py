"""The domain types that flow through the pipeline.

An :class:`Article` starts as an :class:`InputItem` (what discovery found) and gains fields stage
by stage; each stage assigns only the fields it declares (see ``pipeline.py``). Offsets always
refer to ``Article.text``, the article's original text: the raw text for text inputs, the
page's visible text for HTML. ``Article.offsets`` maps the clean text back onto it.
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "ID_FIELDS",
    "Article",
    "Batch",
    "ControlMention",
    "DedupInfo",
    "EventMention",
    "InputItem",
    "OffsetMap",
    "PlaceMention",
    "RemovedSpan",
    "Source",
    "StoryAssignment",
    "TimeMention",
    "article_id",
]

ID_FIELDS = ("title", "outlet", "url", "published")


def article_id(body: str, fields: dict[str, Any]) -> str:
    """A stable content hash: the body, plus the explicit fields that tell two copies apart."""
    h = hashlib.sha256(body.encode("utf-8", "surrogatepass"))
    for key in ID_FIELDS:
        val = fields.get(key)
        if val is not None:
            h.update(f"\x1f{key}={val}".encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:16]


RawFormat = Literal["text", "html"]


@dataclass(frozen=True)
class Source:
    """Provenance of a fact: characters ``start:end`` of an article's original text."""

    article_id: str
    outlet: str
    start: int
    end: int


@dataclass(frozen=True)
class RemovedSpan:
    """Debris the clean stage removed: offsets into ``Article.text``, and why."""

    start: int
    end: int
    reason: str
    text: str


@dataclass(frozen=True)
class InputItem:
    """One article-to-be as discovery found it, before decoding or parsing.

    ``payload`` is the undecoded bytes of a file, or the text of a JSONL line or feed item;
    ``fields`` carries explicit metadata (title, outlet, url, published, text, html, ...).
    """

    path: str
    locator: str
    kind: Literal["text", "html", "json", "feed"]
    payload: bytes | str
    fields: dict[str, Any] = field(default_factory=dict)


class OffsetMap:
    """Maps offsets in the clean text to offsets in the original text.

    The clean text is made of segments copied verbatim from the original, joined by
    separators; each segment is ``(clean_start, original_start, length)``.
    """

    __slots__ = ("_clean_starts", "segments")

    def __init__(self, segments: list[tuple[int, int, int]] | None = None) -> None:
        self.segments: list[tuple[int, int, int]] = list(segments or [])
        self._clean_starts = [s[0] for s in self.segments]

    def to_original(self, offset: int) -> int:
        """The original offset of clean offset ``offset`` (separators map to the next segment)."""
        if not self.segments:
            return offset
        i = bisect.bisect_right(self._clean_starts, offset) - 1
        if i < 0:
            return self.segments[0][1]
        clean_start, orig_start, length = self.segments[i]
        if offset - clean_start <= length:
            return orig_start + offset - clean_start
        # inside a separator: snap to the start of the next segment
        if i + 1 < len(self.segments):
            return self.segments[i + 1][1]
        return orig_start + length

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of clean span ``start:end``."""
        if end <= start:
            o = self.to_original(start)
            return o, o
        return self.to_original(start), self.to_original(end - 1) + 1

    def to_list(self) -> list[list[int]]:
        return [list(s) for s in self.segments]

    def __len__(self) -> int:
        return len(self.segments)

    def __repr__(self) -> str:
        return f"OffsetMap({len(self.segments)} segments)"


@dataclass(frozen=True)
class PlaceMention:
    """A place named in an article, resolved to GeoNames; offsets into ``Article.text``.

    ``role`` says where in the article it stands: "body", "dateline" (the report was filed
    from there), "title", or the reason the clean stage removed its line ("caption",
    "credit", "byline", "standfirst"): a place in a photo caption or a reporter's credit is
    not where the news happened.
    """

    start: int
    end: int
    text: str
    geonameid: int
    name: str
    latitude: float
    longitude: float
    country_code: str
    admin1: str
    admin2: str
    feature: str
    geo_precision: int
    score: float
    role: str
    source: str = ""
    fallback: bool = False
    admin1_id: int = 0


@dataclass(frozen=True)
class TimeMention:
    """A time expression in an article, normalised to TimeML; offsets into ``Article.text``."""

    start: int
    end: int
    text: str
    type: str
    value: str
    time_precision: int
    role: str
    mod: str | None = None
    anchor: str | None = None


@dataclass(frozen=True)
class EventMention:
    """One event as one sentence of one article reports it (``sitroom.events``).

    Offsets are into ``Article.text`` (or the text given to ``sitroom.extract_events``);
    ``location`` is the resolved place (a ``PlaceMention`` or ``geo.Place``) or None;
    ``modality`` says whether it happened ("asserted", "announced") or not ("hedged",
    "denied", "predicted", "hypothetical": kept for the claims stage).
    """

    event_type: str
    sub_event_type: str
    event_class: str
    trigger: str
    trigger_start: int
    trigger_end: int
    sentence_start: int
    sentence_end: int
    sentence: str
    actor1: str | None
    actor1_text: str | None
    actor2: str | None
    actor2_text: str | None
    target_text: str | None
    location: Any
    place_text: str | None
    event_date: str | None
    time_precision: int
    date_text: str | None
    fatalities: int | None
    modality: str
    salience: float
    role: str
    actor1_kind: str = ""

    @property
    def happened(self) -> bool:
        return self.modality in ("asserted", "announced")


@dataclass(frozen=True)
class ControlMention:
    """A statement of who holds a place (or a site in it: "the airport") as of ``date``."""

    place_text: str
    location: Any
    site: str | None
    holder: str
    holder_text: str
    sentence_start: int
    sentence_end: int
    sentence: str
    date: str | None


@dataclass
class DedupInfo:
    """What the dedup stage learnt about one article."""

    copy_group: str
    kind: Literal["first", "exact", "near"]
    of: str | None = None
    score: float = 1.0
    text_hash: str = ""
    n_shingles: int = 0
    signature: bytes = b""
    band_keys: list[int] = field(default_factory=list)


@dataclass
class Article:
    """A news report and everything the article stages learnt about it."""

    # from discovery
    path: str
    locator: str = ""
    input_kind: str = "text"
    # ingest
    id: str = ""
    raw: str = ""
    raw_format: RawFormat = "text"
    fields: dict[str, Any] = field(default_factory=dict)
    html_meta: dict[str, str] = field(default_factory=dict)
    url: str | None = None
    # clean
    text: str = ""
    clean_text: str = ""
    removed: list[RemovedSpan] = field(default_factory=list)
    offsets: OffsetMap = field(default_factory=OffsetMap)
    extractor: str = ""
    # metadata
    title: str | None = None
    title_source: str = "unknown"
    outlet: str | None = None
    outlet_source: str = "unknown"
    published: str | None = None
    date_source: str = "unknown"
    language: str | None = None
    origin: str | None = None  # the agency whose copy this is, when another outlet published it
    # dedup
    dedup: DedupInfo | None = None
    # clean, for the language stages: the readable text (body, headline, captions, credits),
    # its map back to ``text`` and each stretch's role
    reading: str = ""
    reading_map: OffsetMap = field(default_factory=OffsetMap)
    reading_roles: list[tuple[int, int, str]] = field(default_factory=list)
    # nlp: spaCy's sentences, entities and tokens of ``reading`` (not stored)
    nlp: Any = None
    # places, times
    places: list[PlaceMention] = field(default_factory=list)
    times: list[TimeMention] = field(default_factory=list)
    # stories: the story and topic the article joined, how ("new", "joined", "copy") and the
    # score it joined with
    story: StoryAssignment | None = None
    # events: what its sentences report happened (or may happen), and who holds what
    events: list[EventMention] = field(default_factory=list)
    controls: list[ControlMention] = field(default_factory=list)
    # quotes: who said what (sitroom.quotes.QuoteMention); claims: checkable sentences
    # (sitroom.claims.ClaimMention), aligned across a topic's articles by the story stages
    quotes: list[Any] = field(default_factory=list)
    claims: list[Any] = field(default_factory=list)
    claim_vectors: list[bytes] = field(default_factory=list)
    """Each claim's sentence embedding (float32 bytes), made beside the claims in the map
    stage so that aligning them reads instead of computes."""

    def source(self, start: int, end: int) -> Source:
        """Provenance for clean-text span ``start:end``."""
        s, e = self.offsets.span(start, end)
        return Source(self.id, self.outlet or "unknown", s, e)


@dataclass(frozen=True)
class StoryAssignment:
    """Where the stories stage put an article (ids as assigned; a later merge may redirect)."""

    story_id: str
    topic_id: str
    how: Literal["new", "joined", "copy"]
    score: float


@dataclass
class Batch:
    """What flows from stage to stage: items not yet read, articles, and inputs that failed."""

    items: list[InputItem] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    failures: list[Any] = field(default_factory=list)  # list[errors.InputError]
    stage_errors: list[Any] = field(default_factory=list)  # list[errors.StageFailure]
    skipped: int = 0  # articles already in the store
    stories: Any = None  # the stories stage's changes to write (stories.state.Changes)
