"""The cited brief: per story, its most important facts, every sentence a source sentence
cited to the outlets that state it; corroborated facts first, contested ones with each side
and its outlets, single-source ones marked; and "what changed since" a time or a previous
brief.

``facts`` turns stored claims and events (or freshly aligned claim groups) into candidate
facts and picks the sentence each shows; ``build`` ranks, dedupes and assembles the
``Brief``; ``model`` holds the dataclasses and their renderers.
"""

from __future__ import annotations

from sitroom.brief.build import brief_texts, changed_since, story_brief
from sitroom.brief.model import Brief, BriefSentence, Citation

__all__ = ["Brief", "BriefSentence", "Citation", "brief_texts", "changed_since", "story_brief"]
