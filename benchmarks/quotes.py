"""Quote attribution on the bundled sample corpus, against its answer key and two baselines.

Data: examples/kabul-aug-2021 (17 articles) and examples/answers/kabul-aug-2021.json, key
"quotes": each quote's speaker, a gist of what was said, the articles carrying it and the
outlets quoting it directly ("direct_in") or in reported speech ("reported_in"). Each article
is read by sitroom's ingest, clean and nlp stages (outside the timed runs); quotes come from
``sitroom.quotes.extract_quotes`` over its readable text.

Matching a found quote to a key entry of the same article:
- speaker: for a named key speaker ("Ned Price (U.S. State Department spokesman)"), the last
  word of the found speaker's name equals the last word of the key's name (case and accents
  aside); for an anonymous one ("Anonymous U.S. defense official", "Taliban spokesman (to Al
  Jazeera)"), the found quote has no speaker name and an anonymous type of the same family
  (spokesperson for spokesmen and spokespeople, any kind of official for officials);
- text: the gist and the quote share content words (lower case, stop words out, each word cut
  to its first five letters so "fallen"/"fall" meet): three, or at least a quarter of the
  smaller set (and one). Gists paraphrase, so this is loose on purpose; the speaker has to
  match as well. Some paraphrases share no word at all ("his city was lost" for "Kandahar has
  fallen to the Taliban"), hence also:
- speaker recall: share of (key quote, article) pairs whose speaker has some found quote in
  that article (the speaker was found, whatever the gist).

Figures:
- recall: share of (key quote, article) pairs with a matching found quote;
- attribution precision: of the found quotes clearly about a key gist of their article (the
  gist they overlap most, sharing two words and 40% of the smaller set), the share whose
  speaker is that gist's speaker: is the right person credited?
- all-quote precision: matching found quotes / all found quotes. The key lists the quotes the
  corpus planted, not every "Britain said" or "officials said", so this is a floor;
- kind accuracy: over matched pairs, "direct" or "mixed" (quoted words) right when the
  article's outlet is in ``direct_in``, "reported" right when it is in ``reported_in``.

Systems: sitroom; a regex baseline (in each sentence with "said"/"told"/"says"/"added"/
"warned": a run of capitalised words just before or after the verb is the speaker, or "a/the
... official/spokesman" before it, typed; the quoted words of the sentence are a direct quote,
else the sentence is reported speech; no pronouns); for speed, spaCy's parser alone over the
same sentences sitroom parses. Speed: articles and sentences (all of the articles' sentences)
per second over the corpus read ``--repeat`` times, in a fresh process with the model loaded;
peak memory is that process's peak RSS.

    python benchmarks/quotes.py [--repeat 5] [--show]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import ROOT, measure, need, table

CORPUS = ROOT / "examples" / "kabul-aug-2021"
ANSWERS = ROOT / "examples" / "answers" / "kabul-aug-2021.json"
_STOP = set("""
a an the of in on at to for from by with and or but as is are was were be been has have had
he she it they them his her its their this that these those who which not no nor will would
could may might can said says say told tell there here than then so also only just our we i
""".split())  # fmt: skip
_OFFICIAL = {"official", "local official", "military official"}
COLUMNS = ["found", "speaker recall", "recall", "attribution P", "all-quote P", "kind acc"]


@dataclass
class Doc:
    key: tuple[str, str]  # (file relative to the corpus, locator)
    outlet: str
    reading: str
    analysis: Any
    roles: list[tuple[int, int, str]]


@dataclass
class Found:
    quote: str
    kind: str
    speaker: str | None
    anonymous: str | None


def load_docs() -> list[Doc]:
    """Each sample article, read by the ingest, clean and nlp stages."""
    import sitroom.api as api

    need(CORPUS)
    key = json.loads(need(ANSWERS).read_text(encoding="utf-8"))
    outlets = {(a["file"], a["locator"]): a["outlet"] for a in key["articles"]}
    docs = []
    for a in api.extract([CORPUS], stages=["ingest", "clean", "nlp"], quiet=True):
        if not hasattr(a, "reading"):
            continue
        rel = str(Path(a.path).resolve().relative_to(CORPUS.resolve()))
        k = (rel, a.locator)
        docs.append(Doc(k, outlets.get(k, ""), a.reading, a.nlp, list(a.reading_roles)))
    return docs


def key_quotes() -> list[dict[str, Any]]:
    return list(json.loads(ANSWERS.read_text(encoding="utf-8"))["quotes"])


# ---------------------------------------------------------------- matching


def _plain(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _stems(s: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", _plain(re.sub(r"\(.*?\)", " ", s)).lower())
    return {w[:5] for w in words if w not in _STOP}


def overlap(quote: str, gist: str) -> tuple[int, float]:
    """Shared content words, and their share of the smaller set."""
    q, g = _stems(quote), _stems(gist)
    shared = len(q & g)
    return shared, shared / max(1, min(len(q), len(g)))


def text_match(quote: str, gist: str) -> bool:
    shared, share = overlap(quote, gist)
    return shared >= 3 or (shared >= 1 and share >= 0.25)


def about(quote: str, entries: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """The key entry a quote is clearly about: the best overlap, two words and 40% at least."""
    best = max(entries, key=lambda e: overlap(quote, e["quote_gist"])[1], default=None)
    if best is None:
        return None
    shared, share = overlap(quote, best["quote_gist"])
    return best if shared >= 2 and share >= 0.4 else None


def key_speaker(speaker: str) -> tuple[str | None, str | None]:
    """(last name, None) for a named key speaker; (None, anonymous family) otherwise."""
    low = speaker.lower()
    if "anonymous" in low or re.match(r"^(?:taliban|u\.s\.|afghan)\b", low):
        return None, "spokesperson" if "spokes" in low else "official"
    name = speaker.split(" (")[0].split()
    return _plain(name[-1]).lower(), None


def speaker_match(f: Found, speaker: str) -> bool:
    last, anon = key_speaker(speaker)
    if last is not None:
        return bool(f.speaker) and _plain(f.speaker or "").lower().split()[-1:] == [last]
    fam = "official" if f.anonymous in _OFFICIAL else f.anonymous
    return f.speaker is None and fam == anon


def kind_ok(kind: str, outlet: str, entry: dict[str, Any]) -> bool:
    if kind in ("direct", "mixed"):
        return outlet in entry["direct_in"]
    return outlet in entry["reported_in"]


def score(docs: Sequence[Doc], found: dict[tuple[str, str], list[Found]]) -> dict[str, float]:
    """Recall, the two precisions and kind accuracy (see the module docstring)."""
    keys = key_quotes()
    pairs = hits = kinds = speakers = 0
    on_gist = on_gist_right = 0
    all_found = all_right = 0
    for d in docs:
        entries = [e for e in keys if any((a["file"], a["locator"]) == d.key
                                          for a in e["articles"])]  # fmt: skip
        fs = found.get(d.key, [])
        for e in entries:
            pairs += 1
            speakers += any(speaker_match(f, e["speaker"]) for f in fs)
            m = next((f for f in fs if speaker_match(f, e["speaker"])
                      and text_match(f.quote, e["quote_gist"])), None)  # fmt: skip
            if m is not None:
                hits += 1
                kinds += kind_ok(m.kind, d.outlet, e)
        for f in fs:
            all_found += 1
            gists = [e for e in entries if text_match(f.quote, e["quote_gist"])]
            all_right += any(speaker_match(f, e["speaker"]) for e in gists)
            e = about(f.quote, entries)
            if e is not None:
                on_gist += 1
                on_gist_right += speaker_match(f, e["speaker"])
    return {
        "pairs": pairs,
        "found": all_found,
        "speaker recall": speakers / max(pairs, 1),
        "recall": hits / max(pairs, 1),
        "attribution P": on_gist_right / max(on_gist, 1),
        "all-quote P": all_right / max(all_found, 1),
        "kind acc": kinds / max(hits, 1),
    }


# ---------------------------------------------------------------- systems


def sitroom_quotes(d: Doc) -> list[Found]:
    from sitroom.quotes import extract_quotes

    return [Found(q.quote, q.kind, q.speaker, q.anonymous)
            for q in extract_quotes(d.reading, d.analysis, d.roles)]  # fmt: skip


_VERBS = r"(?:said|says|told|added|warned)"
_NAME = r"[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3}"
_BEFORE = re.compile(rf"({_NAME})\s+{_VERBS}\b")
_AFTER = re.compile(rf"\b{_VERBS}\s+({_NAME})")
_ANON = re.compile(
    rf"\b(?:an?|the|one|two|three)\s+(?:[\w.-]+\s+){{0,3}}?(officials?|spokes(?:man|woman|person))"
    rf"\s+{_VERBS}\b",
    re.I,
)
_QUOTED = re.compile(r"[\"“]([^\"”]+)[\"”]")


def baseline_quotes(d: Doc) -> list[Found]:
    """The regex baseline (see the module docstring)."""
    out = []
    for s, e in d.analysis.sentences:
        text = d.reading[s:e]
        if not re.search(rf"\b{_VERBS}\b", text):
            continue
        quoted = " ".join(_QUOTED.findall(text))
        kind = "direct" if quoted else "reported"
        words = quoted or text
        m = _ANON.search(text)
        if m:
            anon = "spokesperson" if m.group(1).lower().startswith("spokes") else "official"
            out.append(Found(words, kind, None, anon))
            continue
        m = _BEFORE.search(text) or _AFTER.search(text)
        if m and m.group(1).split()[0].lower() not in ("he", "she", "they", "it", "the"):
            out.append(Found(words, kind, m.group(1), None))
    return out


def run_system(system: Callable[[Doc], list[Found]], docs: Sequence[Doc]) -> dict[str, Any]:
    return {d.key: system(d) for d in docs}


def _repeat(fn: Callable[[Doc], Any], docs: Sequence[Doc], n: int) -> int:
    for _ in range(n):
        for d in docs:
            fn(d)
    return n


def _parse_only(d: Doc) -> int:
    from sitroom.nlp import load
    from sitroom.quotes.extract import speech_sentences

    _, todo = speech_sentences(d.reading, d.analysis, d.roles)
    docs = load("parse").pipe([d.reading[s.start : s.end] for s in todo], disable=["ner"])
    return sum(len(x) for x in docs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5, help="read the corpus N times for speed")
    ap.add_argument("--show", action="store_true", help="print each article's quotes")
    args = ap.parse_args(argv)
    docs = load_docs()
    from sitroom.nlp import load
    from sitroom.quotes.extract import speech_sentences

    load("parse")
    sitroom_quotes(docs[0])  # warm up in the parent, so that children share the model
    n_sent = sum(len(speech_sentences(d.reading, d.analysis, d.roles)[0]) for d in docs)
    n_parsed = sum(len(speech_sentences(d.reading, d.analysis, d.roles)[1]) for d in docs)
    rows = []
    systems: list[tuple[str, Callable[[Doc], Any], bool]] = [
        ("sitroom extract_quotes", sitroom_quotes, True),
        ("regex baseline", baseline_quotes, True),
        ("spaCy parse alone (same sentences)", _parse_only, False),
    ]
    for name, fn, scored in systems:
        found = run_system(fn, docs) if scored else {}
        _, secs, peak = measure(partial(_repeat, fn, docs, args.repeat))
        sc = score(docs, found) if scored else {}
        speed = [len(docs) * args.repeat / secs, n_sent * args.repeat / secs, peak]
        rows.append([name, *(sc.get(k, "") for k in COLUMNS), *speed])
        if args.show and scored and name.startswith("sitroom"):
            for d in docs:
                print(f"== {d.key} {d.outlet}")
                for f in found[d.key]:
                    print(f"   {f.kind:8} {f.speaker or f.anonymous}: {f.quote[:100]}")
    print(f"Quote attribution, sample corpus: {len(docs)} articles, {n_sent} sentences "
          f"({n_parsed} parsed), {score(docs, {})['pairs']:.0f} (key quote, article) pairs; "
          f"speed over {args.repeat} passes")  # fmt: skip
    print(table(rows, ["system", *COLUMNS, "articles/s", "sentences/s", "peak MiB"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
