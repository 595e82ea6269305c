"""sitroom.static_embed: the shipped static model loads and embeds sensibly (speed is
measured by benchmarks/static_embed.py, not asserted here)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

import numpy as np
import pytest

if TYPE_CHECKING:
    from sitroom.static_embed import StaticEmbedder

# imported when the tests run, not at collection: a submodule imported at collection shows
# up in dir(sitroom), which tests/test_exported_members.py checks against its own list

SENTENCES = [
    "Taliban fighters seized the Afghan capital Kabul on Sunday.",
    "The Taliban took control of Kabul, Afghanistan's capital, on Sunday.",
    "Shares rose on Wall Street after strong quarterly earnings from technology companies.",
    "At least 12 people were killed when a bomb exploded near a market in Mogadishu.",
    "A bomb blast at a Mogadishu market killed at least 12 people, police said.",
    "The central bank left interest rates unchanged for the third month in a row.",
]


@pytest.fixture(scope="module")
def emb() -> StaticEmbedder:
    mod = importlib.import_module("sitroom.static_embed")
    e: StaticEmbedder = mod.static_embedder()
    return e


def test_loaded_once(emb: StaticEmbedder) -> None:
    assert importlib.import_module("sitroom.static_embed").static_embedder() is emb
    assert emb.table.shape == (emb.tokenizer.get_vocab_size(), emb.dim)
    assert emb.dim in (128, 256, 384)
    assert emb.meta["vocab"] == emb.table.shape[0]


def test_shapes_and_unit_length(emb: StaticEmbedder) -> None:
    v = emb(SENTENCES)
    assert v.shape == (len(SENTENCES), emb.dim)
    assert v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert emb([]).shape == (0, emb.dim)


def test_no_token_is_the_zero_vector(emb: StaticEmbedder) -> None:
    v = emb(["", "   ", SENTENCES[0]])
    assert not v[:2].any()
    assert np.isclose(np.linalg.norm(v[2]), 1.0, atol=1e-5)


def test_deterministic_and_batch_independent(emb: StaticEmbedder) -> None:
    whole = emb(SENTENCES)
    assert np.array_equal(whole, emb(SENTENCES))
    one_by_one = np.vstack([emb([s]) for s in SENTENCES])
    assert np.allclose(whole, one_by_one, atol=1e-6)
    assert np.allclose(emb(SENTENCES, batch_size=2), whole, atol=1e-6)


def test_paraphrases_closer_than_unrelated(emb: StaticEmbedder) -> None:
    v = emb(SENTENCES)
    sim = v @ v.T
    assert sim[0, 1] > max(sim[0, 2], sim[0, 3], sim[0, 5]) + 0.1
    assert sim[3, 4] > max(sim[3, 0], sim[3, 2], sim[3, 5]) + 0.1
    assert sim[1, 0] > sim[1, 4]


def test_long_text_is_cut_like_minilm(emb: StaticEmbedder) -> None:
    """Only the first MAX_TOKENS tokens count, as MiniLM reads only its first 96."""
    head = "Rebels shelled the town overnight, residents said. " * 20
    v = emb([head + "Markets rallied on Friday.", head + "Football results follow."])
    assert np.array_equal(v[0], v[1])
    assert not np.array_equal(emb(["Markets rallied."])[0], emb(["Football results."])[0])
