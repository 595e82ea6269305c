"""Speech cues in a parsed sentence: the verb, who speaks, to whom, where, and what they say.

A cue is a speech verb ("say", "tell", "warn", ...) or "according to". Its speaker is the
verb's subject; a participle without one ("..., adding that", "cited X as saying") borrows
the subject of the verb it hangs on; when the parser found none (it often misreads "In Herat,
local member of parliament X said"), the noun phrase just before the verb stands in. Its
content is the clause it governs (``ccomp``; a gerund for "deny", "admit" ...), or, for a
cue set inside what it reports ("..., Hashimo said, but ..."), the rest of the clause it
interrupts. Passive "said to be", "is said" is not speech.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["SPEECH_LEMMAS", "Cue", "find_cues", "speech_words"]

SPEECH_LEMMAS = frozenset("""
say tell add warn note stress claim deny insist acknowledge confirm argue explain announce
state declare admit assert reiterate caution complain allege predict promise vow pledge
threaten write tweet suggest maintain contend emphasise emphasize concede recall respond
reply quote urge
""".split())  # fmt: skip
_GERUND_CONTENT = {"deny", "admit", "acknowledge", "claim", "confirm", "concede", "recall"}
_NO_CLAUSE_OK = {"say", "tell", "add", "warn", "note", "stress", "insist", "argue", "explain",
                 "claim", "write", "tweet", "reply", "respond", "confirm", "quote"}  # fmt: skip
_SUBJ = ("nsubj", "nsubjpass")
_PARTICIPLE_DEPS = ("advcl", "xcomp", "pcomp", "conj", "acl", "ccomp", "prep")
_NP_POS = {"DET", "ADJ", "NOUN", "PROPN", "NUM", "PART", "PRON"}
_PLACE_PREPS = {"in", "at", "from", "during", "before", "after"}
_TIME_WORDS = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|month|year|morning|"
    r"evening|night|afternoon|today|yesterday|weekend|january|february|march|april|may|june|"
    r"july|august|september|october|november|december|jan|feb|aug|sept?|oct|nov|dec|\d{4})\b",
    re.I,
)


def speech_words() -> re.Pattern[str]:
    """A regex finding the forms of the speech verbs and "according to" (the prefilter)."""
    forms = {"said", "says", "told", "tells", "wrote", "written", "according to", "denied",
             "denies", "replied", "replies"}  # fmt: skip
    for lemma in SPEECH_LEMMAS:
        stem = lemma[:-1] if lemma.endswith("e") else lemma
        forms |= {lemma, lemma + "s", stem + "ed", stem + "ing", lemma + "ed"}
    forms |= {"stressed", "stressing", "admitted", "admitting", "stated", "noted", "vowed"}
    alt = "|".join(sorted(map(re.escape, forms), key=len, reverse=True))
    return re.compile(rf"\b(?:{alt})\b", re.I)


@dataclass
class Cue:
    """A speech cue in a sentence; offsets are relative to the parsed sentence."""

    lemma: str
    verb: tuple[int, int]
    speaker: tuple[int, int] | None
    content: list[tuple[int, int]] = field(default_factory=list)  # runs of the reported clause
    addressee: str | None = None
    place: str | None = None
    parenthetical: bool = False  # "..., he added, ..." set inside its content

    @property
    def content_span(self) -> tuple[int, int] | None:
        return (self.content[0][0], self.content[-1][1]) if self.content else None


def _span(tokens: Iterable[Any]) -> tuple[int, int] | None:
    toks = sorted(tokens, key=lambda t: t.i)
    while toks and (toks[0].is_punct or toks[0].lower_ in ("that", "but", "and")):
        toks = toks[1:]
    while toks and toks[-1].is_punct and toks[-1].text not in "”’\"'":
        toks = toks[:-1]
    if not toks:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _runs(tokens: Iterable[Any]) -> list[tuple[int, int]]:
    """Contiguous runs of tokens, each trimmed of edge punctuation and conjunctions."""
    toks = sorted(tokens, key=lambda t: t.i)
    runs: list[list[Any]] = []
    for t in toks:
        if runs and runs[-1][-1].i == t.i - 1:
            runs[-1].append(t)
        else:
            runs.append([t])
    out = [s for r in runs if (s := _span(r)) is not None]
    if out and out[0][0] >= 0:
        return out
    return []


def _subtree(tok: Any, skip: tuple[str, ...] = ()) -> set[Any]:
    """``tok`` and its descendants, leaving out the branches whose relation is in ``skip``
    (walked with a stack: a run of a thousand tokens can nest a thousand deep)."""
    out = {tok}
    stack = [tok]
    while stack:
        for c in stack.pop().children:
            if c.dep_ not in skip and c not in out:
                out.add(c)
                stack.append(c)
    return out


def _subject(verb: Any) -> Any | None:
    t = verb
    for _ in range(4):
        subj = next((c for c in t.children if c.dep_ in _SUBJ), None)
        if subj is not None:
            return subj
        if t.dep_ not in _PARTICIPLE_DEPS or t.head.i == t.i:
            return None
        t = t.head
    return None


def _np_ending(doc: Any, end: int) -> list[Any]:
    """The noun phrase ending at token ``end`` ("a lawmaker for the province")."""
    i = end
    while i >= 0 and (doc[i].pos_ in _NP_POS or (doc[i].lower_ in ("of", "for") and i < end)):
        i -= 1
    toks = [doc[j] for j in range(i + 1, end + 1)]
    while toks and toks[0].pos_ == "ADP":
        toks = toks[1:]
    return toks if any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in toks) else []


def _np_before(doc: Any, verb: Any) -> tuple[int, int] | None:
    """The noun phrase right before ``verb`` (the parser's missed subject), with an
    apposition between commas ("In Herat, Masood Karokhai, a lawmaker for the province, said")."""
    i = verb.i - 1
    while i >= 0 and doc[i].pos_ in ("ADV", "AUX") and doc[i].dep_ in ("advmod", "aux", "neg"):
        i -= 1
    if i >= 0 and doc[i].text == ",":
        appos = _np_ending(doc, i - 1)
        j = appos[0].i - 1 if appos else -1
        if appos and j >= 0 and doc[j].text == ",":
            name = _np_ending(doc, j - 1)
            if name and name[-1].pos_ == "PROPN":
                return _span([*name, *appos])
        return None
    return _span(_np_ending(doc, i)) if i >= 0 else None


def _speaker_span(doc: Any, verb: Any, subj: Any | None) -> tuple[int, int] | None:
    if subj is None:
        return _np_before(doc, verb) if verb.i > 0 else None
    if subj.lower_ in ("who", "which", "that"):  # "X, who said ...": X
        if subj.head.dep_ != "relcl":
            return None
        subj = subj.head.head
    return _span(_subtree(subj, skip=("relcl", "acl", "advcl")))


def _addressee(verb: Any, lemma: str, subj: Any | None) -> str | None:
    """To whom: "told Al Jazeera", "confirmed to NBC News", "speaking to the BBC, X said"."""
    if lemma == "tell":
        obj = next((c for c in verb.children if c.dep_ in ("dobj", "dative", "iobj")), None)
        if obj is not None and obj.pos_ != "VERB":
            return _phrase(obj)
    got = _to_object(verb)
    if got:
        return got
    speaking = [c for c in verb.children if c.dep_ in ("advcl", "acl")]
    if subj is not None:
        speaking += [c for c in subj.children if c.dep_ == "acl"]
    for s in speaking:
        if s.lemma_ in ("speak", "talk") and (got := _to_object(s)):
            return got
    return None


def _to_object(tok: Any) -> str | None:
    for c in tok.children:
        if c.dep_ in ("prep", "dative") and c.lower_ == "to":
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                return _phrase(pobj)
    return None


def _phrase(tok: Any) -> str:
    words = " ".join(
        t.text for t in sorted(_subtree(tok, skip=("relcl", "acl")), key=lambda t: t.i)
    )
    words = re.sub(r"\s+([,.;:'’])", r"\1", words).replace(" 's", "'s").strip(" ,")
    return re.sub(r"^(?:the|a|an)\s+", "", words, flags=re.I)


def _place(verb: Any) -> str | None:
    for c in verb.children:
        cands = [c] + [g for p in c.children if p.dep_ == "pobj" for g in p.children
                       if g.dep_ == "prep"] if c.dep_ == "prep" else []  # fmt: skip
        for p in cands:
            if p.lower_ not in _PLACE_PREPS:
                continue
            kept = _subtree(p, skip=("appos", "relcl", "acl", "punct"))
            text = " ".join(t.text for t in sorted(kept, key=lambda t: t.i))
            if not _TIME_WORDS.search(text) and p.i > 0 and len(text.split()) <= 8:
                return text
    return None


def _content(verb: Any, lemma: str) -> tuple[set[Any], bool]:
    clause = [c for c in verb.children if c.dep_ == "ccomp"]
    if not clause and lemma in _GERUND_CONTENT:
        clause = [c for c in verb.children if c.dep_ in ("xcomp", "dobj") and c.tag_ == "VBG"]
    if clause:
        toks: set[Any] = set()
        for c in clause:
            toks |= _subtree(c)
        return toks, False
    if verb.dep_ in ("parataxis",) or (verb.dep_ == "advcl" and verb.i > verb.head.i
                                       and lemma in ("say", "add", "tell")):  # fmt: skip
        own = set(verb.subtree)
        root = verb.sent.root if verb.dep_ == "parataxis" else verb.head
        toks = {t for t in root.subtree if t not in own}
        for t in list(toks):  # "..., according to Al Jazeera": a source, not what was said
            if t.lower_ == "according" and t.head.i == root.i:
                toks -= set(t.subtree)
        return toks, True
    return set(), False


def find_cues(doc: Any) -> list[Cue]:
    """The speech cues of one parsed sentence."""
    out: list[Cue] = []
    for tok in doc:
        if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
            to = next(c for c in tok.children if c.lower_ == "to")
            pobj = next((g for g in to.children if g.dep_ == "pobj"), None)
            if pobj is None or tok.head.i == tok.i or tok.head.lemma_ in SPEECH_LEMMAS:
                continue
            speaker = _span(_subtree(pobj, skip=("cc", "conj", "relcl", "acl")))
            own = set(tok.subtree)
            content = {t for t in tok.head.subtree if t not in own}
            cue = Cue("according to", (tok.idx, to.idx + 2), speaker, _runs(content))
            out.append(cue)
            continue
        lemma = tok.lemma_.lower()
        if lemma not in SPEECH_LEMMAS or tok.pos_ not in ("VERB", "AUX"):
            continue
        kids = {c.dep_ for c in tok.children}
        if ("auxpass" in kids or "nsubjpass" in kids) and lemma != "quote":
            continue  # "said to be", "is said to have"
        content, parenthetical = _content(tok, lemma)
        if not content and lemma not in _NO_CLAUSE_OK:
            continue
        subj = _subject(tok)
        speaker = _speaker_span(doc, tok, subj)
        if parenthetical and speaker is not None:
            content = {t for t in content if not speaker[0] <= t.idx < speaker[1]}
        out.append(Cue(
            lemma, (tok.idx, tok.idx + len(tok.text)), speaker, _runs(content),
            addressee=_addressee(tok, lemma, subj), place=_place(tok), parenthetical=parenthetical,
        ))  # fmt: skip
    if any(c.lemma != "according to" and c.content for c in out):
        out = [c for c in out if c.lemma != "according to"]  # "X said, according to Y"
    return out
