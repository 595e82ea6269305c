"""Claim mentions to and from JSON, as the store keeps them between the map and topic stages."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from sitroom.claims.extract import ClaimMention, Quantity

__all__ = ["from_json", "to_json"]


def to_json(c: ClaimMention) -> str:
    return json.dumps(dataclasses.asdict(c), ensure_ascii=False)


def from_json(data: str | dict[str, Any]) -> ClaimMention:
    d = json.loads(data) if isinstance(data, str) else dict(data)
    d["numbers"] = tuple(Quantity(**q) for q in d.get("numbers", ()))
    for key in ("dates", "places", "actors"):
        d[key] = tuple(d.get(key, ()))
    return ClaimMention(**d)
