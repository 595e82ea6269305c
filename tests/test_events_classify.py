"""The shipped conflict-event sentence classifiers ("ipe", "acled"): load once, fire on violence
only, read the embedding they were trained on."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sitroom.errors import PipelineError
from sitroom.events import classify
from sitroom.events.classify import Tfidf, lexicon_features, load_classifier, ngrams

KILLING = "Police opened fire on the crowd, killing three protesters."
ARREST = "Police arrested 40 rioters and detained six others under the Arms Act."
CALM = "The minister inaugurated a new school on Monday."


def test_events_classify_ipe_loads_once_per_process() -> None:
    first = load_classifier("ipe")
    loads = classify.LOADS[0]
    assert load_classifier("ipe") is first
    assert classify.LOADS[0] == loads
    assert first.labels == ["KILL", "ARREST", "ANY_ACTION", "FAIL", "FORCE"]
    assert first.thresholds.shape == (5,)
    assert first.w_emb.shape == (384, 5)


def test_events_classify_ipe_fires_on_violence_only() -> None:
    clf = load_classifier("ipe")
    killing, arrest, calm = clf.predict([KILLING, ARREST, CALM])
    assert {"KILL", "ANY_ACTION"} <= killing
    assert {"ARREST", "ANY_ACTION"} <= arrest
    assert calm == set()


def test_events_classify_ipe_probabilities_in_unit_interval() -> None:
    clf = load_classifier("ipe")
    texts = [KILLING, CALM, "", "!!!", "x " * 500]
    p = clf.predict_proba(texts)
    assert p.shape == (len(texts), len(clf.labels))
    assert np.all((p >= 0.0) & (p <= 1.0))
    assert clf.predict_proba([]).shape == (0, 5)


def test_events_classify_precomputed_vectors_give_the_same_answer() -> None:
    clf = load_classifier("ipe")
    vecs = classify.embed_texts([KILLING, CALM], clf.embedding)
    assert np.allclose(clf.predict_proba([KILLING, CALM], vecs), clf.predict_proba([KILLING, CALM]))


def test_events_classify_unknown_model_is_a_pipeline_error() -> None:
    with pytest.raises(PipelineError, match="no event classifier"):
        load_classifier("no-such-model")


def test_events_classify_tfidf_rows_are_unit_length() -> None:
    tf = Tfidf(["fire", "opened", "opened fire", "police"], np.array([1.0, 2.0, 3.0, 1.5]))
    (idx, val), (idx2, _) = tf.rows(["Police opened fire, police said.", "nothing here"])
    assert sorted(idx.tolist()) == [0, 1, 2, 3]
    assert np.isclose(float(val @ val), 1.0)
    assert len(idx2) == 0
    grams = ["police", "opened", "fire", "police opened", "opened fire"]
    assert ngrams("Police opened fire") == grams


def test_events_classify_lexicon_marks_trigger_families() -> None:
    row = lexicon_features(["Three were killed when police lathicharged the mob."])[0]
    families = dict(zip(classify.LEXICON, row, strict=True))
    assert families["kill"] == 1.0 and families["force"] == 1.0 and families["police"] == 1.0
    assert families["arrest"] == 0.0


def test_events_classify_acled_reads_static_vectors_ipe_minilm() -> None:
    # the events stage's model reads the static embedding (well under 1 ms a text); "ipe",
    # whose file names no embedding, was trained on MiniLM's and still reads it
    acled = load_classifier("acled")
    assert acled.embedding == "static" and acled.w_emb.shape == (256, len(acled.labels))
    assert load_classifier("ipe").embedding == "minilm"


def test_events_classify_vectors_do_not_depend_on_the_batch() -> None:
    long = "The minister inaugurated a new school on Monday. " * 30  # several windows
    together = classify.embed_texts([KILLING, long, ""])
    assert together.shape == (3, 256)
    assert np.array_equal(together[0], classify.embed_texts([KILLING])[0])
    assert np.array_equal(together[1], classify.embed_texts([long, CALM, KILLING])[0])
    assert not together[2].any()  # no token: the zero vector
    assert np.isclose(float(together[1] @ together[1]), 1.0, atol=1e-5)


def test_events_classify_vectors_of_another_embedding_are_refused() -> None:
    clf = load_classifier("acled")
    with pytest.raises(PipelineError, match="reads static vectors"):
        clf.logits([KILLING], np.zeros((1, 384), dtype=np.float32))
    with pytest.raises(PipelineError, match="unknown embedding"):
        classify.embed_texts([KILLING], "glove")


def test_events_classify_model_files_round_trip(tmp_path: Path) -> None:
    clf = load_classifier("acled")
    assert clf.fallback == "acled_minilm" and 0.0 < clf.fallback_below < 1.0
    clf.save(tmp_path)
    load_classifier("acled_minilm").save(tmp_path)  # the fallback lives next to it
    again = load_classifier("acled", tmp_path)
    assert again is not clf and again.embedding == "static"
    assert (again.fallback, again.fallback_below) == (clf.fallback, clf.fallback_below)
    texts = [KILLING, ARREST, CALM]
    assert np.allclose(again.predict_proba(texts), clf.predict_proba(texts), atol=1e-3)


def test_events_classify_acled_scores_do_not_depend_on_the_batch() -> None:
    # a text the static model is unsure of is scored by acled_minilm, alone: each text's
    # scores are the same in any batch, whether or not it or its neighbours fall back
    clf = load_classifier("acled")
    unsure = "Warplanes bombed rebel positions near Maarat al-Numan on Monday, killing 4 fighters."
    texts = [KILLING, unsure, CALM, ARREST]
    together = clf.logits(texts)
    for i, text in enumerate(texts):
        assert np.array_equal(together[i], clf.logits([text])[0])
    assert np.array_equal(together[::-1], clf.logits(texts[::-1]))
    second = load_classifier("acled_minilm")
    assert np.array_equal(together[1], second.logits([unsure])[0])  # it fell back
    assert not np.array_equal(together[2], second.logits([CALM])[0])  # the static model's own
