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
