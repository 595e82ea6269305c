"""Accuracy gates: real evaluation data, floors a little under the measured figures.

They read ../shared/data and skip with a clear message where it is absent.
"""

from __future__ import annotations

import json

import pytest

from .conftest import ROOT, need_shared

FLOORS = json.loads((ROOT / "benchmarks" / "eval_baseline.json").read_text(encoding="utf-8"))


@pytest.mark.gate
def test_gate_boilerplate_scrapinghub() -> None:
    need_shared("data", "article-extraction-scrapinghub", "ground-truth.json")
    from benchmarks.boilerplate import evaluate

    precision, recall, f1, n = evaluate("sitroom clean")
    floor = FLOORS["boilerplate"]
    assert n == 181
    assert f1 >= floor["f1"], f"boilerplate F1 {f1:.3f} fell under the floor {floor['f1']}"
    assert precision >= floor["precision"]
    assert recall >= floor["recall"]


@pytest.mark.gate
def test_gate_geoparsing_resolution() -> None:
    need_shared("data", "geoparsing", "data", "GWN.xml")
    from benchmarks.geoparsing import gwn, lgl, resolution

    floor = FLOORS["geoparsing"]
    assert resolution(lgl())["acc161"] >= floor["lgl_acc161"]
    assert resolution(lgl(), outlet_context=True)["acc161"] >= floor["lgl_acc161_outlet"]
    assert resolution(gwn())["acc161"] >= floor["gwn_acc161"]


@pytest.mark.gate
def test_gate_geoparsing_end_to_end_sample() -> None:
    need_shared("data", "geoparsing", "data", "GWN.xml")
    from benchmarks.geoparsing import end_to_end, gwn, lgl

    floor = FLOORS["geoparsing"]
    assert end_to_end(lgl(40))["f1"] >= floor["lgl40_e2e_f1"]
    assert end_to_end(gwn(30))["f1"] >= floor["gwn30_e2e_f1"]


@pytest.mark.gate
@pytest.mark.parametrize("corpus", ["timebank", "aquaint", "meantime"])
def test_gate_times(corpus: str) -> None:
    if corpus == "meantime":
        need_shared("data", "meantime-newsreader", "data", "meantime_newsreader_english_oct15")
    else:
        need_shared("data", "tempeval3", "data", "TempEval3", "Training", "TBAQ-cleaned")
    from benchmarks.times import evaluate

    figures = evaluate(corpus)
    floor = FLOORS["times"][corpus]
    assert figures["n_gold"] > 400
    assert figures["span_f1_relaxed"] >= floor["span_f1_relaxed"], figures
    assert figures["value_accuracy"] >= floor["value_accuracy"], figures


@pytest.mark.gate
def test_gate_stories() -> None:
    need_shared("data", "news-cluster-5w1h", "Giveme5W1H", "examples", "datasets")
    need_shared("data", "meantime-newsreader", "data", "meantime_newsreader_english_oct15")
    from benchmarks.stories import evaluate

    floor = FLOORS["stories"]
    news = evaluate("news_cluster")
    assert news["F1"] >= floor["news_cluster_f1"], f"news_cluster B-cubed F1 {news['F1']:.3f}"
    assert news["P"] >= floor["news_cluster_precision"]
    topics = evaluate("meantime")
    assert topics["F1"] >= floor["meantime_topic_f1"], f"MEANTIME topic F1 {topics['F1']:.3f}"


@pytest.mark.gate
def test_gate_event_classifier() -> None:
    need_shared("data", "conflibert-eval", "data", "IndiaPoliceEvents_sents")
    pytest.importorskip("sklearn", reason="the TF-IDF+LR baseline needs scikit-learn ([dev])")
    from benchmarks.events_classify import evaluate_ipe_sents

    floor = FLOORS["events"]
    got = evaluate_ipe_sents()
    assert got["macro_f1"] >= floor["ipe_sents_macro_f1"], f"IPE macro-F1 {got['macro_f1']:.3f}"
    gain = got["macro_f1"] - got["baseline_macro_f1"]
    assert gain >= floor["ipe_sents_gain_over_baseline"], f"gain {gain:.3f}"


@pytest.mark.gate
def test_gate_event_roles() -> None:
    need_shared("data", "news-cluster-5w1h", "Giveme5W1H", "examples", "datasets")
    need_shared("data", "conflibert-eval", "data", "muc4")
    from benchmarks.events_roles import evaluate_5w1h, evaluate_muc4

    floor = FLOORS["events"]
    w5 = evaluate_5w1h()
    assert w5["sitroom_mean"] >= floor["5w1h_half_mean"], f"5W1H mean {w5['sitroom_mean']:.3f}"
    muc = evaluate_muc4()
    assert muc["sitroom_micro_f1"] >= floor["muc4_half_micro_f1"], muc
