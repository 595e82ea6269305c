"""Claims: checkable sentences of articles, aligned across outlets, and a claim checker.

``extract`` finds the claim mentions of an article; ``compare.relate`` says whether two claims
state the same thing, contradict each other (and on what), or are merely related; ``align``
groups the claims of many articles into cross-checked claims (corroborated, single-source or
contested); ``check`` tells, for any claim text, whether each of a set of articles supports or
contradicts it.
"""

from __future__ import annotations

from sitroom.claims.align import ClaimGroup, Member, Side, align
from sitroom.claims.check import Evidence, Verdict, as_claim, check, check_pairs, decide
from sitroom.claims.compare import Relation, relate
from sitroom.claims.extract import ClaimMention, Quantity, extract_claims, find_claims

__all__ = [
    "ClaimGroup",
    "ClaimMention",
    "Evidence",
    "Member",
    "Quantity",
    "Relation",
    "Side",
    "Verdict",
    "align",
    "as_claim",
    "check",
    "check_pairs",
    "decide",
    "extract_claims",
    "find_claims",
    "relate",
]
