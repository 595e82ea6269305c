"""Event roles: MUC-4 role fillers, and the main event's who/what/when/where (Giveme5W1H).

(a) MUC-4, GRIT's document-level version (Du, Rush and Cardie 2021; 1300/200/200 reports of
    Latin American terrorism, as redistributed with ConfliBERT's evaluation data). Each report
    has, per role, a list of gold entities, each a list of coreferent mention strings. Scored on
    the test split: PerpOrg, Target, Victim (and PerpInd, for free). A predicted filler is a
    string; it is right if it matches any mention of a gold entity of its role, each gold entity
    matched at most once (a maximum one-to-one matching: GRIT's CEAF-REE with one-mention
    predictions). Two matching rules, both after GRIT's normalisation (lower case, no
    punctuation, no articles): *exact*, GRIT's own, and *head*: the same head noun (the last
    word before any preposition, comma, bracket or relative clause), MUC's relaxed rule.
    "micro" pools PerpOrg, Target and Victim. No published figure is printed: GRIT's are for
    trained models and were not checked against this copy of the data.

    sitroom's events map onto roles thus (only events that are asserted or hedged, of types
    Battles, Explosions/Remote violence, Violence against civilians and Riots: MUC-4's
    templates are attacks, bombings, kidnappings, arson, not arrests or agreements):
    - PerpOrg: organisations named inside ``actor1_text`` (spaCy ORG entities); ``actor1_text``
      itself when its head is an organisation word ("the armed forces"); ``actor1``, the
      normalised name, when the report writes it as such ("FMLN" for "FMLN rebels");
      placeholders such as "?armed" are not names and are left out;
    - PerpInd: ``actor1_text`` otherwise ("urban guerrillas");
    - Target: ``target_text`` when it is a thing: not people (no PERSON/NORP entity, no person
      noun), not a group ("the enemy", "a rebel column"), not a pronoun;
    - Victim: PERSON entities inside ``target_text`` or ``actor2_text`` (MUC-4's HUM TGT NAME
      holds names only).
    MUC-4 is all upper case. The reports are truecased with a small unigram+bigram case model
    counted from mixed-case news bodies in the same shared folder (InsightCrime's training
    articles, Latin American crime news, and AllSides' training articles): each word takes
    its commonest form after the same previous word, else its commonest form, else (unknown)
    Title case, or upper case when short or without vowels (acronyms). On the dev split
    (micro F1, sitroom / baseline) upper case as distributed gave 0.030 / 0.035, lower case
    with capitalised sentences 0.043 / 0.077, this truecasing 0.069 / 0.101 (``--case``).
    Baseline: in each sentence holding an attack word (attack, bomb, kill, kidnap, ...), every
    ORG entity is a PerpOrg, every PERSON a Victim, every object of the attack word that is a
    thing (the same test as above) a Target.

(b) Giveme5W1H's gold standard (96 English news articles on 13 events, 13 UK and US outlets;
    three coders' 5W1H phrases). The main event is the first of ``extract(...)`` that is
    asserted (else the first at all); who = ``actor1_text`` or ``actor1``; what = ``trigger``
    (+ ``target_text``); when = ``event_date``; where = ``location``. An answer counts if it
    matches any annotated phrase:
    - who: the head (last content word) of one is among the content words of the other;
    - what: the trigger's stem is among the phrase's stems, or the target's head is in it;
    - when: within one day of a gold date: the coders' parsed value, or the phrase read by
      dateparser against the publication date;
    - where: the place's surface text or gazetteer name (accents dropped) holds the phrase's
      words or is held in them, or it lies within 25 km of a place sitroom's geoparser finds
      inside the phrase's first occurrence in the article (read with 400 characters around).
    Each W is scored over the articles with such a phrase (who/what 96, when 81, where 72); the
    headline is the mean over the four; "answered" is the share of articles given any answer.
    Giveme5W1H's published 0.82 is precision graded by three assessors (0/1/2 -> 0, 0.5, 1)
    on 120 articles: the anchor, not the same measure.
    Baseline: who = the first PERSON/ORG/NORP entity of title+lead, what = the root verb of
    the lead's first sentence (+ its object), when = the publication date, where = the first
    GPE/LOC/FAC entity (title and lead, else body).

    python benchmarks/events_roles.py [--split test] [--limit N] [--case] [--no-muc4] [--no-5w1h]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import json
import re
import string
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import DATA, measure, need, table

MUC4 = DATA / "conflibert-eval" / "data" / "muc4"
CASES = DATA / "conflibert-eval" / "data" / "insightCrime" / "train.tsv"
ALLSIDES = DATA / "neus-allsides-mds" / "data" / "naacl2022_lrc_roundup_random_order_probe"
ALLSIDES = ALLSIDES / "train.source"
GOLD_5W = (DATA / "news-cluster-5w1h" / "Giveme5W1H" / "examples" / "datasets" / "gold_standard"
           / "data")  # fmt: skip
ROLES = {"PerpOrg": "perp_organization_id", "Target": "phys_tgt_id", "Victim": "hum_tgt_name",
         "PerpInd": "perp_individual_id"}  # fmt: skip
WS = ("who", "what", "when", "where")
ANCHOR_5W = 0.82  # Giveme5W1H (Hamborg et al. 2019), who/what/when/where, assessors' precision
TARGET_5W = 0.85

Extract = Callable[..., list[Any]]  # sitroom.events.extract, or a stand-in


def _sitroom_extract() -> Extract:
    from sitroom.events import extract

    return extract


# ---------------------------------------------------------------- shared text helpers


def normalise(s: str) -> str:
    """GRIT's mention normalisation: lower case, no punctuation, no articles, single spaces."""
    s = "".join(ch for ch in s.lower() if ch not in string.punctuation)
    return " ".join(re.sub(r"\b(a|an|the)\b", " ", s).split())


_CUT = re.compile(r",|\[|\(|--|\b(?:of|in|on|at|from|near|with|for|who|which|that|whose)\b", re.I)


def head(s: str) -> str:
    """The head noun of a noun phrase, roughly: its last word before any modifier that follows."""
    words = normalise(_CUT.split(s, maxsplit=1)[0]).split() or normalise(s).split()
    return words[-1] if words else ""


def _plain(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


# ---------------------------------------------------------------- (a) MUC-4


@dataclass(frozen=True)
class MucDoc:
    id: str
    raw: str  # as distributed: upper case, hard-wrapped at 72 columns
    roles: dict[str, list[list[str]]]  # role -> gold entities -> their mentions


def muc4(split: str = "test", limit: int | None = None) -> list[MucDoc]:
    data = json.loads(need(MUC4 / f"{split}.json").read_text(encoding="utf-8"))
    docs = [MucDoc(k, v["doc"], {r: v["roles"][key] for r, key in ROLES.items()})
            for k, v in sorted(data.items())]  # fmt: skip
    return docs[:limit]


def unwrap(raw: str) -> str:
    """Join hard-wrapped lines; keep paragraph breaks."""
    paras = re.split(r"\n\s*\n", raw)
    return "\n\n".join(" ".join(p.split()) for p in paras if p.strip())


_TOKEN = re.compile(r"[A-Za-z]+")
_VOWEL = re.compile(r"[aeiouy]")


def _starts_sentence(text: str, i: int) -> bool:
    """Whether the word at ``i`` opens a sentence (or a paragraph, or a quotation)."""
    j = i
    while j > 0 and text[j - 1] in " \t\"'([":
        j -= 1
    return j == 0 or text[j - 1] in ".!?:\n" or "\n" in text[j:i]


def _mixed_case_texts() -> Iterable[str]:
    """Mixed-case news bodies (titles left out: their capitals are house style, not names)."""
    csv.field_size_limit(1 << 30)
    with need(CASES).open(encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t"):
            yield row[0].split(". ", 1)[-1]  # "Title. Body"
    if ALLSIDES.exists():
        with ALLSIDES.open(encoding="utf-8") as f:
            for line in f:
                yield re.sub(r"TITLE=>.*?ARTICLE=>", " ", line)


@functools.lru_cache(maxsize=1)
def _case_model() -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """Commonest written form of each word, and of each word after a given word."""
    uni: dict[str, Counter[str]] = defaultdict(Counter)
    bi: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for body in _mixed_case_texts():
        text = _plain(body)
        prev = ""
        for m in _TOKEN.finditer(text):
            w = m.group()
            if _starts_sentence(text, m.start()):
                prev = w.lower()
                continue  # sentence-initial capitals say nothing about the word
            uni[w.lower()][w] += 1
            if prev:
                bi[(prev, w.lower())][w] += 1
            prev = w.lower()
    return (
        {k: c.most_common(1)[0][0] for k, c in uni.items()},
        {k: c.most_common(1)[0][0] for k, c in bi.items()},
    )


def truecase(text: str) -> str:
    """Mixed case for an all-capitals text (see the module docstring)."""
    uni, bi = _case_model()
    out: list[str] = []
    last = 0
    prev = ""
    for m in _TOKEN.finditer(text):
        w = m.group()
        low = w.lower()
        before = text[max(0, m.start() - 4) : m.start()]
        if before.endswith("'") and low in ("s", "t", "ll", "re", "ve", "d", "m"):
            form = low
        elif (prev, low) in bi:
            form = bi[(prev, low)]
        elif low in uni:
            form = uni[low]
        elif len(low) <= 3 or not _VOWEL.search(low):
            form = w.upper()
        else:
            form = low.capitalize()
        if _starts_sentence(text, m.start()):
            form = form[0].upper() + form[1:]
        out.append(text[last : m.start()])
        out.append(form)
        last = m.end()
        prev = low
    out.append(text[last:])
    return "".join(out)


def sentence_case(text: str) -> str:
    """Lower case, each sentence capitalised: the naive alternative."""
    return re.sub(r"(^|[.!?]\s+|\n\s*)([a-z])", lambda m: m.group(1) + m.group(2).upper(),
                  text.lower())  # fmt: skip


def prepare(doc: MucDoc, case: str = "truecase") -> str:
    text = unwrap(doc.raw)
    if case == "truecase":
        return truecase(text)
    if case == "sentence":
        return sentence_case(text)
    return text  # "upper": as distributed


# Person nouns: what makes a victim or perpetrator people rather than a building or a group.
PERSON_WORDS = set("""
people person persons civilian civilians peasant peasants man men woman women child children
boy boys girl girls student students worker workers priest priests jesuit jesuits nun nuns
soldier soldiers troops policeman policemen officer officers agent agents guard guards
journalist journalists reporter reporters leader leaders official officials mayor mayors
judge judges minister ministers president candidate senator deputy member members family
families resident residents villager villagers farmer farmers citizen citizens victim victims
individual individuals bodyguard bodyguards driver drivers passenger passengers employee
employees teacher teachers doctor doctors son sons daughter daughters wife husband brother
guerrilla guerrillas terrorist terrorists rebel rebels gunman gunmen assailant assailants
attacker attackers suspect suspects commando commandos militant militants hostage hostages
""".split())  # fmt: skip
# Organisation heads: an actor span naming a group, not its members.
ORG_WORDS = set("""
front army forces force cartel movement party police command battalion brigade group groups
organization organisation government guard union federation alliance squad squads mafia
directorate ministry junta council regime navy
""".split())  # fmt: skip
GROUP_WORDS = set("column patrol patrols unit units enemy positions troops other".split())
PRONOUNS = set("i me we us you he him she her it they them who whom which what this that".split())
ATTACK_WORDS = set("""
attack assault ambush bomb bombing blow burn destroy dynamite explode explosion kidnap
kidnapping abduct abduction kill killing murder assassinate assassination massacre shoot
shooting wound injure raid detonate sabotage set
""".split())  # fmt: skip
VIOLENT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"}


def _ents_within(doc: Any, start: int, end: int, labels: set[str]) -> list[str]:
    return [e.text for e in doc.ents if e.label_ in labels
            and start <= e.start_char and e.end_char <= end]  # fmt: skip


def _is_people(doc: Any, start: int, end: int, span: str) -> bool:
    return bool(_ents_within(doc, start, end, {"PERSON", "NORP"})) or head(span) in PERSON_WORDS


def _is_thing(doc: Any, start: int, end: int, span: str) -> bool:
    """A physical target: not people, not an armed group, not a pronoun."""
    h = head(span)
    return (
        bool(h)
        and h not in PRONOUNS | ORG_WORDS | GROUP_WORDS
        and not _is_people(doc, start, end, span)
    )


def _locate(text: str, span: str, start: int, end: int) -> tuple[int, int]:
    """Where ``span`` is in ``text``: in the sentence [start, end) if it is there."""
    i = text.find(span, start, end)
    if i < 0:
        i = text.find(span)
    return (i, i + len(span)) if i >= 0 else (0, 0)


Fillers = dict[str, list[str]]


def _dedup(fillers: dict[str, list[str]]) -> Fillers:
    out: Fillers = {}
    for role in ROLES:
        seen: dict[str, str] = {}
        for s in fillers.get(role, []):
            if normalise(s):
                seen.setdefault(normalise(s), s)
        out[role] = list(seen.values())
    return out


def sitroom_fillers(text: str, extract: Extract | None = None) -> Fillers:
    """sitroom's role fillers for one report (the mapping in the module docstring)."""
    from sitroom.nlp import load

    extract = extract or _sitroom_extract()
    doc = load("ner")(text)
    out: dict[str, list[str]] = defaultdict(list)
    for ev in extract(text):
        if ev.modality not in ("asserted", "hedged") or ev.event_type not in VIOLENT_TYPES:
            continue
        s0, s1 = ev.sentence_start, ev.sentence_end
        # a normalised name written as such in the report ("FMLN" for "FMLN rebels") is the
        # organisation the extractor recognised; "?armed" and the like are placeholders
        name = ev.actor1 if ev.actor1 and not ev.actor1.startswith("?") else None
        if name and name != ev.actor1_text and name.lower() in text.lower():
            out["PerpOrg"].append(name)
        if actor := ev.actor1_text or name:
            a0, a1 = _locate(text, actor, s0, s1)
            orgs = _ents_within(doc, a0, a1, {"ORG"}) if a1 else []
            out["PerpOrg"] += orgs
            if head(actor) in ORG_WORDS:
                out["PerpOrg"].append(actor)
            elif actor not in orgs:
                out["PerpInd"].append(actor)
        for span in (ev.target_text, ev.actor2_text):
            if not span:
                continue
            t0, t1 = _locate(text, span, s0, s1)
            out["Victim"] += _ents_within(doc, t0, t1, {"PERSON"}) if t1 else []
            if span == ev.target_text and _is_thing(doc, t0, t1, span):
                out["Target"].append(span)
    return _dedup(out)


def baseline_fillers(text: str) -> Fillers:
    """The baseline: entities and trigger objects in sentences with an attack word."""
    from sitroom.nlp import load

    doc = load("parse")(text)
    out: dict[str, list[str]] = defaultdict(list)
    for sent in doc.sents:
        triggers = [t for t in sent if t.lemma_.lower() in ATTACK_WORDS]
        if not triggers:
            continue
        out["PerpOrg"].extend(e.text for e in sent.ents if e.label_ == "ORG")
        out["Victim"].extend(e.text for e in sent.ents if e.label_ == "PERSON")
        for t in triggers:
            objects = [c for c in t.children if c.dep_ in ("dobj", "nsubjpass")]
            objects += [g for c in t.children if c.dep_ == "prep" and c.lower_ in ("on", "against")
                        for g in c.children if g.dep_ == "pobj"]  # fmt: skip
            for o in objects:
                span = doc[o.left_edge.i : o.right_edge.i + 1]
                if _is_thing(doc, span.start_char, span.end_char, span.text):
                    out["Target"].append(span.text)
    return _dedup(out)


def _matching(edges: list[list[int]], n_right: int) -> int:
    """Size of a maximum one-to-one matching (Kuhn's augmenting paths)."""
    owner = [-1] * n_right

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j not in seen:
                seen.add(j)
                if owner[j] < 0 or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    return sum(augment(i, set()) for i in range(len(edges)))


def match_fillers(pred: Sequence[str], gold: Sequence[Sequence[str]], rule: str = "exact") -> int:
    """How many predicted fillers match a distinct gold entity (``rule``: exact | head)."""
    key = normalise if rule == "exact" else head
    golds = [{key(m) for m in entity} - {""} for entity in gold]
    edges = [[j for j, g in enumerate(golds) if key(p) in g] for p in pred]
    return _matching(edges, len(golds))


def score_muc4(docs: Sequence[MucDoc], preds: Sequence[Fillers]) -> dict[str, dict[str, float]]:
    """Per role (and micro-averaged over PerpOrg, Target, Victim): P, R, F1, exact and head."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for d, p in zip(docs, preds, strict=True):
        for role in ROLES:
            c = counts[role]
            c["pred"] += len(p[role])
            c["gold"] += len(d.roles[role])
            c["exact"] += match_fillers(p[role], d.roles[role], "exact")
            c["head"] += match_fillers(p[role], d.roles[role], "head")
    counts["micro"] = sum((counts[r] for r in ("PerpOrg", "Target", "Victim")), Counter())
    out: dict[str, dict[str, float]] = {}
    for role, c in counts.items():
        row: dict[str, float] = {"pred": c["pred"], "gold": c["gold"]}
        for rule in ("exact", "head"):
            p_ = c[rule] / max(c["pred"], 1)
            r_ = c[rule] / max(c["gold"], 1)
            row |= {f"{rule}_p": p_, f"{rule}_r": r_,
                    f"{rule}_f1": 2 * p_ * r_ / (p_ + r_) if p_ + r_ else 0.0}  # fmt: skip
        out[role] = row
    return out


def _muc4_run(system: str, docs: list[MucDoc], case: str,
              extract: Extract | None = None) -> dict[str, dict[str, float]]:  # fmt: skip
    texts = [prepare(d, case) for d in docs]
    if system == "sitroom":
        preds = [sitroom_fillers(t, extract) for t in texts]
    else:
        preds = [baseline_fillers(t) for t in texts]
    return score_muc4(docs, preds)


def run_muc4(split: str = "test", limit: int | None = None, case: str = "truecase",
             extract: Extract | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """Table rows: per system and role, P/R/F1 (exact and head), articles/s, peak MiB."""
    docs = muc4(split, limit)
    _case_model()  # counted once, before the timed children fork
    rows = []
    for system in ("sitroom", "baseline"):
        res, secs, peak = measure(functools.partial(_muc4_run, system, docs, case, extract))
        # the baseline has no rule for individual perpetrators: no PerpInd row for it
        roles = ("PerpOrg", "Target", "Victim", "micro") + (("PerpInd",) if system == "sitroom"
                                                            else ())  # fmt: skip
        for role in roles:
            r = res[role]
            rows.append({"system": system, "role": role, "gold": int(r["gold"]),
                         "pred": int(r["pred"]), "P": r["exact_p"], "R": r["exact_r"],
                         "F1": r["exact_f1"], "head P": r["head_p"], "head R": r["head_r"],
                         "head F1": r["head_f1"], "articles/s": len(docs) / secs,
                         "peak MiB": peak})  # fmt: skip
    return rows


def evaluate_muc4(baseline: bool = False, extract: Extract | None = None) -> dict[str, float]:
    """Gate figures on every other test report (100): F1 per role (and the baseline's)."""
    docs = muc4("test")[::2]
    out: dict[str, float] = {"docs": len(docs)}
    for system in ("sitroom", "baseline") if baseline else ("sitroom",):
        res = _muc4_run(system, docs, "truecase", extract)
        for role in ("PerpOrg", "Target", "Victim", "micro"):
            out[f"{system}_{role.lower()}_f1"] = res[role]["exact_f1"]
            out[f"{system}_{role.lower()}_head_f1"] = res[role]["head_f1"]
    return out


# ---------------------------------------------------------------- (b) who/what/when/where


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    lead: str
    text: str
    published: str | None  # YYYY-MM-DD
    gold: dict[str, list[str]]  # W -> annotated phrases (those with text)
    gold_dates: list[dt.date] = field(default_factory=list)


def gold_standard(limit: int | None = None) -> list[Article]:
    out = []
    for path in sorted(need(GOLD_5W).glob("*.json"))[:limit]:
        d = json.loads(path.read_text(encoding="utf-8"))
        published = d["date_publish"][:10] if (d["date_publish"] or "")[:1].isdigit() else None
        phrases = {w: [a["text"].strip() for a in d["fiveWoneH"][w]["annotated"]
                       if (a.get("text") or "").strip()] for w in WS}  # fmt: skip
        dates = [_gold_date(a, published) for a in d["fiveWoneH"]["when"]["annotated"]
                 if (a.get("text") or "").strip()]  # fmt: skip
        days = sorted({x for ds in dates for x in ds})
        lead = d.get("description") or ""
        out.append(Article(d["dId"], d["title"], lead, d["text"], published, phrases, days))
    return out


def _gold_date(a: dict[str, Any], published: str | None) -> list[dt.date]:
    """A when-annotation's dates: the coders' parsed value and dateparser's reading."""
    import dateparser

    out = []
    if a.get("parsed"):
        out.append(dt.date.fromisoformat(a["parsed"][:10]))
    if published is None:  # one article has no date: only the coders' reading then
        return out
    base = dt.datetime.fromisoformat(published)
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
    got = dateparser.parse(a["text"], languages=["en"], settings=settings)
    if got is not None:
        # "Thursday" in a Thursday's paper is that day, not the week before
        same_weekday = (base.date() - got.date()).days == 7 and a["text"].strip().istitle()
        out.append(base.date() if same_weekday else got.date())
    return out


@dataclass
class Answer:
    who: str | None = None
    what: str | None = None  # the trigger, or the root verb
    what_object: str | None = None  # the target, or the verb's object
    when: str | None = None  # YYYY-MM-DD
    where: list[str] = field(default_factory=list)  # surface text and gazetteer name
    where_point: tuple[float, float] | None = None


_STOP = set("""
a an the of in on at to for from by with and or but as is are was were be been has have had
he she it they them his her its their this that these those who which after before over
into than then there here not no up out about said says say more most some any all
""".split())  # fmt: skip


def _words(s: str) -> list[str]:
    """Content words, lower case, accents dropped ("Mazar-i-Sharif" -> mazar i sharif)."""
    return [w for w in re.findall(r"[a-z0-9]+", _plain(s).lower()) if w not in _STOP]


def _head_word(s: str) -> str:
    """The last content word before any comma, preposition or relative clause."""
    words = _words(_CUT.split(s, maxsplit=1)[0]) or _words(s)
    return words[-1] if words else ""


def _stem(w: str) -> str:
    for suffix in ("ments", "ment", "ings", "ing", "ions", "ion", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)]
    return w


def match_who(pred: str | None, gold: Iterable[str]) -> bool:
    """The head of one is among the content words of the other."""
    p, pw = _head_word(pred or ""), _words(pred or "")
    return bool(p) and any(p in _words(g) or _head_word(g) in pw for g in gold)


def match_what(trigger: str | None, obj: str | None, gold: Iterable[str]) -> bool:
    """The trigger's stem is among the phrase's stems, or the object's head is in it."""
    stems = {_stem(w) for w in _words(trigger or "")}
    target = _head_word(obj or "")
    for g in gold:
        gw = _words(g)
        if stems & {_stem(w) for w in gw} or (target and target in gw):
            return True
    return False


def match_when(pred: str | None, gold: Sequence[dt.date]) -> bool:
    if not pred:
        return False
    try:
        d = dt.date.fromisoformat(pred[:10])
    except ValueError:
        return False
    return any(abs((d - g).days) <= 1 for g in gold)


def match_where(names: Sequence[str], point: tuple[float, float] | None, gold: Sequence[str],
                gold_points: Sequence[tuple[float, float]]) -> bool:  # fmt: skip
    """A name's words occur in the phrase or the phrase's in the name, or it is within 25 km."""
    from sitroom.geo.gazetteer import distance_km

    for g in gold:
        gw = f" {' '.join(_words(g))} "
        for n in names:
            nw = f" {' '.join(_words(n))} "
            if nw.strip() and gw.strip() and (nw in gw or gw in nw):
                return True
    return point is not None and any(distance_km(point[0], point[1], la, lo) <= 25
                                      for la, lo in gold_points)  # fmt: skip


def _article_text(a: Article) -> str:
    return a.text


def sitroom_answer(a: Article, extract: Extract | None = None) -> Answer:
    """The main event of ``a`` as sitroom has it (``sitroom.events.main.main_event``)."""
    from sitroom.events.main import main_event

    extract = extract or _sitroom_extract()
    events = extract(_article_text(a), published=a.published, title=a.title)
    ev = main_event(_article_text(a), a.published, a.title, a.lead, events=events)
    if ev is None:
        return Answer()
    loc = ev.where
    return Answer(
        who=ev.who,
        what=ev.what,
        what_object=ev.what_object,
        when=ev.when,
        where=[s for s in ((ev.where_text, *((loc.name,) if loc else ()))) if s],
        where_point=(loc.latitude, loc.longitude) if loc else None,
    )


def baseline_answer(a: Article) -> Answer:
    """The baseline: first entities of title and lead, the lead's root verb, publication day."""
    from sitroom.nlp import load

    nlp = load("parse")
    head_doc = nlp(a.title + "\n\n" + (a.lead or a.text[:400]))
    body = nlp(a.lead or a.text[:600])
    who = next((e.text for e in head_doc.ents if e.label_ in ("PERSON", "ORG", "NORP")), None)
    first = next(iter(body.sents), None)
    verb = obj = None
    if first is not None:
        root = first.root
        verb = root.text
        o = next((c for c in root.children if c.dep_ in ("dobj", "attr", "nsubjpass")), None)
        obj = body[o.left_edge.i : o.right_edge.i + 1].text if o is not None else None
    where = next((e.text for e in head_doc.ents if e.label_ in ("GPE", "LOC", "FAC")), None)
    if where is None:
        where = next((e.text for e in nlp(a.text[:3000]).ents
                      if e.label_ in ("GPE", "LOC", "FAC")), None)  # fmt: skip
    point = None
    if where:
        from sitroom import find_places

        places = find_places(where)
        point = (places[0].latitude, places[0].longitude) if places else None
    return Answer(who, verb, obj, a.published, [where] if where else [], point)


def _gold_points(a: Article) -> list[tuple[float, float]]:
    """Places sitroom's geoparser finds inside the gold where-phrases, read in their context
    (the phrase's first occurrence in the article with 400 characters either side)."""
    from sitroom import find_places

    text = _article_text(a)
    out = []
    for g in a.gold["where"]:
        i = text.find(g)
        if i < 0:
            continue
        lo = max(0, i - 400)
        window = text[lo : i + len(g) + 400]
        out += [(p.latitude, p.longitude) for p in find_places(window)
                if i - lo <= p.start and p.end <= i - lo + len(g)]  # fmt: skip
    return out


def grade(a: Article, ans: Answer, gold_points: Sequence[tuple[float, float]]) -> dict[str, bool]:
    """Which Ws of ``ans`` match ``a``'s annotation (only the Ws the coders annotated)."""
    out = {"who": match_who(ans.who, a.gold["who"]),
           "what": match_what(ans.what, ans.what_object, a.gold["what"])}  # fmt: skip
    if a.gold_dates:
        out["when"] = match_when(ans.when, a.gold_dates)
    if a.gold["where"]:
        out["where"] = match_where(ans.where, ans.where_point, a.gold["where"], gold_points)
    return out


def score_5w1h(grades: Sequence[dict[str, bool]]) -> dict[str, float]:
    out: dict[str, float] = {}
    for w in WS:
        marks = [g[w] for g in grades if w in g]
        out[w] = sum(marks) / max(len(marks), 1)
        out[f"n_{w}"] = len(marks)
    out["mean"] = sum(out[w] for w in WS) / len(WS)
    return out


Points = dict[str, list[tuple[float, float]]]


Graded = tuple[dict[str, float], list[dict[str, Any]]]


def _5w1h_run(system: str, arts: list[Article], points: Points,
              extract: Extract | None = None) -> Graded:  # fmt: skip
    grades, details, answered = [], [], 0
    for a in arts:
        ans = sitroom_answer(a, extract) if system == "sitroom" else baseline_answer(a)
        g = grade(a, ans, points[a.id])
        grades.append(g)
        details.append({"id": a.id, "title": a.title, "answer": ans, "grade": g})
        answered += bool(ans.what or ans.who)
    return score_5w1h(grades) | {"answered": answered / max(len(arts), 1)}, details


def gold_points(arts: Sequence[Article]) -> Points:
    """Each article's gold where-points (computed once, outside the timed runs)."""
    return {a.id: _gold_points(a) if a.gold["where"] else [] for a in arts}


def run_5w1h(limit: int | None = None, extract: Extract | None = None) -> list[dict[str, Any]]:
    """Table rows: per system, the share right for each W and their mean; articles/s, MiB."""
    arts = gold_standard(limit)
    points = gold_points(arts)
    rows: list[dict[str, Any]] = []
    for system in ("sitroom", "baseline"):
        run = functools.partial(_5w1h_run, system, arts, points, extract)
        (res, _), secs, peak = measure(run)
        rows.append({"system": system, "articles": len(arts), "answered": res["answered"],
                     **{w: res[w] for w in WS},
                     "mean": res["mean"], "articles/s": len(arts) / secs,
                     "peak MiB": peak})  # fmt: skip
    rows.append({"system": "Giveme5W1H (published)", "mean": ANCHOR_5W})
    rows.append({"system": "target", "mean": TARGET_5W})
    return rows


def evaluate_5w1h(baseline: bool = False, extract: Extract | None = None) -> dict[str, float]:
    """Gate figures on every other article (48): each W's share, their mean (and baseline's)."""
    arts = gold_standard()[::2]
    points = gold_points(arts)
    out: dict[str, float] = {"articles": len(arts)}
    for system in ("sitroom", "baseline") if baseline else ("sitroom",):
        res, _ = _5w1h_run(system, arts, points, extract)
        out |= {f"{system}_{k}": v for k, v in res.items() if not k.startswith("n_")}
    return out


# ---------------------------------------------------------------- report


def _print(rows: list[dict[str, Any]], header: list[str]) -> None:
    print(table([[r.get(h, "") for h in header] for r in rows], header))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="test", help="MUC-4 split (train, dev, test)")
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents")
    ap.add_argument("--case", action="store_true",
                    help="compare truecasings of MUC-4 on the dev split first")  # fmt: skip
    ap.add_argument("--no-muc4", action="store_true")
    ap.add_argument("--no-5w1h", action="store_true")
    args = ap.parse_args(argv)
    if args.case:
        docs = muc4("dev", args.limit)
        rows = []
        for case in ("upper", "sentence", "truecase"):
            for system in ("sitroom", "baseline"):
                r = _muc4_run(system, docs, case)["micro"]
                rows.append([case, system, r["exact_f1"], r["head_f1"]])
        print(table(rows, ["MUC-4 dev casing", "system", "micro F1", "micro head F1"]) + "\n")
    if not args.no_muc4:
        print(
            f"(a) MUC-4 {args.split}: role fillers, document level (GRIT's CEAF-REE, "
            "one-mention predictions); P/R/F1 exact, then head-noun match"
        )
        _print(run_muc4(args.split, args.limit),
               ["system", "role", "gold", "pred", "P", "R", "F1", "head P", "head R", "head F1",
                "articles/s", "peak MiB"])  # fmt: skip
        print()
    if not args.no_5w1h:
        print(
            "(b) Giveme5W1H gold standard: main event's who/what/when/where, share of "
            "articles right (over those the coders annotated)"
        )
        header = ["system", "articles", "answered", *WS, "mean", "articles/s", "peak MiB"]
        _print(run_5w1h(args.limit), header)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
