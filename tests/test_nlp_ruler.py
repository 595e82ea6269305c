"""The array attribute ruler does exactly what spaCy's own ``attribute_ruler`` does: the same
part of speech, morphology, lemma, tag and dependency on every token, whatever the text."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from sitroom.nlp import MODELS, load
from sitroom.nlp_ruler import ArrayRuler, RulerUnsupported

from .hostile import hostile_documents, hostile_texts

TRICKY = [
    "",
    "   ",
    "\n\n\n",
    "I ain't gonna go, y'all. Let's go, c'mon, we gotta leave. Nothin' doing.",
    "There is a man. There were two. It was him, but I did not see it.",
    "Who did it? I did. You did. They gave it to me and to you.",
    "That is what that man said: these are the ones which were taken.",
    "  leading spaces\n\n  and a line\n\t\tof tabs  ",
    "KABUL, Aug. 13 (Reuters) - The Taliban captured Herat, officials said.",
]


@lru_cache(maxsize=1)
def _plain() -> Any:
    """spaCy's own pipeline, as the model ships it (its own attribute_ruler)."""
    import spacy

    for name in MODELS:
        try:
            return spacy.load(name)
        except OSError:
            continue
    pytest.skip("no English spaCy model")


def _columns(doc: Any) -> list[tuple[str, ...]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]


def _both(text: str) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """The text through spaCy's pipeline, and through the same components with the array
    ruler instead of spaCy's (sitroom's own line-break rule left out of both)."""
    plain = _plain()
    fast = ArrayRuler(plain.get_pipe("attribute_ruler"))
    a, b = plain.make_doc(text), plain.make_doc(text)
    for name, pipe in plain.pipeline:
        a = pipe(a)
        b = fast(b) if name == "attribute_ruler" else pipe(b)
    return _columns(a), _columns(b)


def test_nlp_ruler_is_in_the_loaded_pipeline() -> None:
    names = load().pipe_names
    assert "sitroom_array_ruler" in names and "attribute_ruler" not in names
    assert names.index("parser") < names.index("sitroom_array_ruler") < names.index("lemmatizer")


@pytest.mark.parametrize("text", TRICKY)
def test_nlp_ruler_same_tokens_as_spacy_on_tricky_text(text: str) -> None:
    ours, spacys = _both(text)
    assert ours == spacys


def test_nlp_ruler_same_tokens_as_spacy_on_hostile_documents() -> None:
    changed = 0
    for text in hostile_documents(40, seed=7, surrogates=False):
        ours, spacys = _both(text)
        assert ours == spacys
        changed += len(ours)
    assert changed > 1000  # the documents were not empty


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_texts(4, surrogates=False))
def test_nlp_ruler_same_tokens_as_spacy_property(text: str) -> None:
    ours, spacys = _both(text)
    assert ours == spacys


def test_nlp_ruler_refuses_a_pattern_it_cannot_match() -> None:
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"ORTH": "x", "OP": "+"}]], {"POS": "X"})
    with pytest.raises(RulerUnsupported):
        ArrayRuler(ruler)
    ok = spacy.blank("en").add_pipe("attribute_ruler")
    ok.add([[{"LOWER": {"IN": ["us", "them"]}}]], {"LEMMA": "they"})
    doc = ArrayRuler(ok)(spacy.blank("en")("Them and us and you"))
    assert [t.lemma_ for t in doc] == ["they", "", "they", "", ""]
