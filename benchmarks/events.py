"""Events, in one run: classification, role filling, main events, and the stage's speed.

(a) Event classification on ConfliBERT's evaluation sets (test splits; trained on train,
    thresholds on dev): sitroom's classifiers against TF-IDF + logistic regression, with
    ConfliBERT's re-run as the anchor. Target: +0.10 macro-F1 on IndiaPoliceEvents
    sentences. Details in ``benchmarks/events_classify.py``.
(b) MUC-4 role filling (perpetrator organisation, target, victim), P/R/F1 against a
    trigger + entity baseline. Details in ``benchmarks/events_roles.py``.
(c) Giveme5W1H gold standard: the share of articles whose main event's who, what, when and
    where match the coders'; lead-entity baseline; anchor Giveme5W1H 0.82, target 0.85.
(d) Throughput and peak memory of the ``events`` stage (articles/s, sentences/s) over real
    articles prepared by the earlier stages (the Giveme5W1H articles, the sample corpus and
    the seeds), next to spaCy's parser alone over the same sentences.

    python benchmarks/events.py [--sets ipe,ipe_docs,satp,insight,cameo] [--skip a,b,c,d]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import events_classify, events_roles
from benchmarks._common import ROOT, SHARED, measure, table

PREP_STAGES = ["ingest", "clean", "metadata", "dedup", "nlp", "places", "times"]


def _corpus_inputs(tmp: Path) -> list[str]:
    """The articles of (d): 5W1H articles as JSONL, the sample corpus, the seeds."""
    lines = []
    for a in events_roles.gold_standard():
        lines.append(json.dumps({"title": a.title, "text": f"{a.lead}\n\n{a.text}".strip(),
                                 "published": a.published, "outlet": "5w1h"}))  # fmt: skip
    path = tmp / "5w1h.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    inputs = [str(path), str(ROOT / "examples" / "kabul-aug-2021")]
    if (SHARED / "seeds").is_dir():
        inputs.append(str(SHARED / "seeds"))
    return inputs


def _prepared(inputs: list[str]) -> list[Any]:
    import sitroom.api as api
    from sitroom.model import Article

    return [a for a in api.extract(inputs, PREP_STAGES) if isinstance(a, Article)]


def _run_stage(arts: list[Any]) -> tuple[int, int]:
    from sitroom.stages.events import _events

    mentions = sentences = 0
    for a in arts:
        evs, _ = _events(a)
        mentions += len(evs)
        sentences += len(a.nlp.sentences) if a.nlp else 0
    return mentions, sentences


def _run_parser(arts: list[Any]) -> tuple[int, int]:
    from sitroom.nlp import load

    nlp = load("parse")
    texts = [a.reading[s:e] for a in arts if a.nlp for s, e in a.nlp.sentences]
    n = sum(1 for _ in nlp.pipe(texts, disable=["ner"], batch_size=32))
    return 0, n


def throughput() -> list[list[Any]]:
    with tempfile.TemporaryDirectory() as d:
        arts = _prepared(_corpus_inputs(Path(d)))
    rows = []
    for name, fn in (("sitroom events stage", _run_stage),
                     ("spaCy parser alone, every sentence", _run_parser)):  # fmt: skip
        (res, sentences), secs, peak = measure(lambda fn=fn: fn(arts))  # type: ignore[misc]
        rows.append([name, len(arts), sentences, res if name.startswith("sitroom") else "",
                     len(arts) / secs, sentences / secs, peak])  # fmt: skip
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default=",".join(events_classify.SETS))
    ap.add_argument("--skip", default="", help="parts to leave out: a,b,c,d")
    args = ap.parse_args(argv)
    skip = set(args.skip.split(","))
    if "a" not in skip:
        print("(a) event classification, test splits: macro-F1")
        events_classify.main(["--sets", args.sets])
        print()
    if "b" not in skip:
        events_roles.main(["--no-5w1h"])
    if "c" not in skip:
        events_roles.main(["--no-muc4"])
        print()
    if "d" not in skip:
        print("(d) the events stage over real articles (5W1H gold, sample corpus, seeds)")
        print(table(throughput(), ["system", "articles", "sentences", "mentions", "articles/s",
                                   "sentences/s", "peak MiB"]))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
