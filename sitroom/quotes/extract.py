"""Quote mentions of one article: direct and reported speech, attributed to their speakers.

Which sentences: the body's and the headline's (never a caption or credit); only those with a
quotation mark, a speech verb or "according to" are parsed, with spaCy's dependency parser,
in one batch. Then:

1. **cues** (``cues.py``): each speech verb's speaker phrase, addressee, place and content;
2. **direct quotes** (``marks.py``): each quotation is attached, in this order, to
   a. the cue whose content it is (most of the content is quoted: direct; a quote inside a
      larger reported clause: "mixed", the clause being the quote);
   b. a cue right after it in the sentence where it closes ("'...,' he said");
   c. a cue right before it, ending in a colon or comma ("told Reuters: '...'");
   d. the quote before it, when it opens its sentence within two sentences of that one
      (the second half of a split quote, a quote's next paragraph);
   quotations attached to nothing (titles, scare quotes, names) are not speech;
   a direct quote of one to three words is "mixed" (a term the speaker used);
3. **reported speech**: every cue with a content clause and no quotation;
4. **speakers**, in text order: a surname is the full name written earlier ("Hashimo" ->
   "Ghulam Habib Hashimo"); "he"/"she" is the latest person speaking or acting as subject in
   the four sentences before whose gender, when the text showed it ("Kamin ... his city"), is
   the pronoun's; "they" the latest anonymous, plural or organisation speaker, "it" the latest
   organisation; "the spokesman", "the official" the latest speaker with that office; "the
   group" the organisation the text names most.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sitroom.quotes.cues import Cue, find_cues, speech_words
from sitroom.quotes.marks import QuoteSpan, quote_spans
from sitroom.quotes.speakers import Speaker, describe, same_person
from sitroom.reading import Sentence, dateline_as_body, role_at
from sitroom.reading import sentences as sentences_of

__all__ = ["QUOTE_ROLES", "QuoteMention", "extract_quotes", "speech_sentences"]

QUOTE_ROLES = frozenset({"body", "title", "standfirst"})
_SPEECH = speech_words()
_MARKS = re.compile(r"[\"“”„«»‘]|(?:^|\s)'")
_WINDOW = 4  # sentences a pronoun looks back
_WORDS = re.compile(r"\w+")
_SPOKES = {"spokesman", "spokeswoman", "spokesperson", "spokespeople", "spokesmen"}


@dataclass(frozen=True)
class QuoteMention:
    """One quotation or piece of reported speech, and who said it (offsets: see ``to_out``)."""

    quote: str
    kind: str  # "direct" | "reported" | "mixed"
    quote_start: int
    quote_end: int
    sentence_start: int
    sentence_end: int
    speaker: str | None
    speaker_text: str
    speaker_start: int
    speaker_end: int
    role: str | None
    affiliation: str | None
    anonymous: str | None
    cue: str
    addressee: str | None
    place: str | None
    resolved_from: str | None
    role_in_text: str = "body"


@dataclass
class _Found:
    """A mention before its speaker is resolved; offsets into the reading."""

    quote: str
    kind: str
    span: tuple[int, int]
    sents: tuple[int, int]  # first and last sentence index
    cue: Cue
    base: int  # the cue sentence's start in the reading
    bounds: tuple[int, int]  # start of the first sentence, end of the last
    role: str
    follows: _Found | None = None  # the quote this one continues


def speech_sentences(
    reading: str, analysis: Any, roles: Sequence[tuple[int, int, str]]
) -> tuple[list[Sentence], list[Sentence]]:
    """All sentences, and those that may carry speech (what ``extract_quotes`` parses)."""
    sentences = sentences_of(analysis, roles, reading, dateline_as_body)
    lines = _datelines(reading, roles)
    for k, s in enumerate(sentences):  # parse "The Pentagon said", not "WASHINGTON - The ..."
        cut = next((e for a, e in lines if a <= s.start < e < s.end), None)
        if cut is not None:
            sentences[k] = replace(s, start=cut + len(reading[cut : s.end]) - len(
                reading[cut : s.end].lstrip(" -—–:")))  # fmt: skip
    todo = [s for s in sentences if s.role in QUOTE_ROLES and _may_speak(reading[s.start : s.end])]
    return sentences, todo


def _may_speak(text: str) -> bool:
    return bool(_SPEECH.search(text) or _MARKS.search(text))


def _datelines(reading: str, roles: Sequence[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """The dateline stretches: marked in ``roles``, or found at the text's start."""
    from sitroom.meta.dateline import find_dateline

    out = [(s, e) for s, e, r in roles if r == "dateline"]
    dl = find_dateline(reading)
    if dl is not None and role_at(roles, dl.start) in QUOTE_ROLES | {"dateline"}:
        out.append((dl.start, dl.end))
    return out


def extract_quotes(
    reading: str,
    analysis: Any,
    roles: Sequence[tuple[int, int, str]],
    to_out: Callable[[int], int] = lambda i: i,
) -> list[QuoteMention]:
    """The quote mentions of one analysed text, in text order.

    ``analysis``: ``sitroom.nlp.Analysis`` of ``reading``; ``roles``: the reading's stretches
    and their roles; ``to_out`` maps a reading offset to the offset reported.
    """
    sentences, todo = speech_sentences(reading, analysis, roles)
    if not todo:
        return []
    docs = analysis.sentence_docs(reading, [(s.start, s.end) for s in todo])
    cues: list[tuple[Sentence, Cue]] = []
    for sent, doc in zip(todo, docs, strict=True):
        cues += [(sent, c) for c in find_cues(doc) if _fits_role(sent, c, reading)]
    starts = [s.start for s in sentences]

    def sent_at(pos: int) -> int:
        return max(0, bisect_right(starts, pos) - 1)

    spans = [q for q in quote_spans(reading) if role_at(roles, q.start) in QUOTE_ROLES]
    found = _attach(reading, spans, cues, sentences, sent_at, _datelines(reading, roles))
    found.sort(key=lambda f: f.span[0])
    return [_finish(m, to_out) for m in _Resolver(reading, analysis, sentences, sent_at).run(found)]


def _fits_role(sent: Sentence, cue: Cue, reading: str) -> bool:
    """In a headline only "X says ..." with a named subject (not "Taliban claim Kandahar")."""
    if sent.role != "title":
        return True
    if cue.speaker is None or not cue.content:
        return False
    sp = reading[sent.start + cue.speaker[0] : sent.start + cue.speaker[1]]
    return cue.lemma == "say" and sp[:1].isupper()


def _attach(
    reading: str,
    spans: list[QuoteSpan],
    cues: list[tuple[Sentence, Cue]],
    sentences: list[Sentence],
    sent_at: Callable[[int], int],
    skip: Sequence[tuple[int, int]] = (),
) -> list[_Found]:
    """Direct, mixed and reported mentions (steps 2 and 3 of the module docstring)."""
    out: list[_Found] = []
    used_cues: set[int] = set()
    mixed_cues: dict[int, list[QuoteSpan]] = {}
    loose: list[QuoteSpan] = []
    for q in spans:
        got = _by_content(reading, q, cues, used_cues)
        if got is not None:
            k, direct = got
            sent, cue = cues[k]
            if direct:
                used_cues.add(k)
                out.append(_direct(reading, q, sent, cue, sentences, sent_at))
            else:
                mixed_cues.setdefault(k, []).append(q)
            continue
        k2 = _adjacent(reading, q, cues, sent_at)
        if k2 is not None:
            used_cues.add(k2)
            sent, cue = cues[k2]
            out.append(_direct(reading, q, sent, cue, sentences, sent_at))
            continue
        loose.append(q)
    for k, (sent, cue) in enumerate(cues):
        if k in used_cues or not cue.content:
            continue
        runs = _clip([(a + sent.start, b + sent.start) for a, b in cue.content], skip)
        if not runs:
            continue
        s, e = runs[0][0], runs[-1][1]
        text = " ".join(" ".join(reading[a:b].split()) for a, b in runs).strip(" ,;:—–-")
        if len(text.split()) < 2 or (cue.lemma == "according to" and len(text.split()) < 3):
            continue
        kind = "mixed" if k in mixed_cues else "reported"
        out.append(_Found(text, kind, (s, e), (sent.index, sent.index), cue, sent.start,
                          (sent.start, sent.end), sent.role))  # fmt: skip
    for q in loose:  # step 2d, in text order so that a continuation can continue in turn
        prev = max((f for f in out if f.span[1] <= q.mark_start), key=lambda f: f.span[1],
                   default=None)  # fmt: skip
        first = sent_at(q.mark_start)
        starts_sentence = not reading[sentences[first].start : q.mark_start].strip()
        if (prev is not None and prev.kind != "reported" and starts_sentence
                and 0 < first - prev.sents[1] <= 2):  # fmt: skip
            f = _direct(reading, q, None, prev.cue, sentences, sent_at, base=prev.base)
            f.follows = prev
            out.append(f)
    return out


def _clip(runs: list[tuple[int, int]], skip: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """``runs`` without the stretches in ``skip`` (a dateline is not what anyone said)."""
    out = []
    for a, b in runs:
        for s, e in skip:
            if s <= a < e:
                a = e
            if s < b <= e:
                b = s
        if b > a:
            out.append((a, b))
    return out


def _by_content(
    reading: str, q: QuoteSpan, cues: list[tuple[Sentence, Cue]], used: set[int]
) -> tuple[int, bool] | None:
    """The cue whose content holds the quote, and whether the content is mostly the quote."""
    best: tuple[int, int, bool] | None = None
    for k, (sent, cue) in enumerate(cues):
        if k in used or not cue.content:
            continue
        inside = outside = 0
        for a, b in cue.content:
            a, b = a + sent.start, b + sent.start
            inside += max(0, min(b, q.end) - max(a, q.start))
            outside += len(_WORDS.findall(reading[a : max(a, min(b, q.mark_start))]))
            outside += len(_WORDS.findall(reading[max(a, q.mark_end) : b]))
        if inside <= 0:
            continue
        direct = outside <= 1
        if not direct and not (sent.start + cue.content[0][0] <= q.start):
            continue
        if best is None or inside > best[1]:
            best = (k, inside, direct)
    return (best[0], best[2]) if best else None


def _adjacent(
    reading: str, q: QuoteSpan, cues: list[tuple[Sentence, Cue]], sent_at: Callable[[int], int]
) -> int | None:
    """A cue right after the quote ("..., he said") or right before it ("told X: ...")."""
    for k, (sent, cue) in enumerate(cues):
        if cue.content and not _overlaps(cue, sent, q):
            continue
        left = sent.start + min(cue.verb[0], cue.speaker[0] if cue.speaker else cue.verb[0])
        if left >= q.mark_end and sent.start <= q.mark_end <= sent.end + 1:
            between = reading[q.mark_end : left]
            if not re.search(r"[\w.!?]", between) or re.fullmatch(r"[\s,]*", between):
                return k
        if (left >= q.mark_end and sent_at(q.mark_end) == sent.index
                and not re.search(r"\w", reading[q.mark_end : left])):  # fmt: skip
            return k
        right = sent.start + max(cue.verb[1], cue.speaker[1] if cue.speaker else 0)
        if right <= q.mark_start and sent_at(q.mark_start) == sent.index:
            between = reading[right : q.mark_start]
            if len(between) < 40 and re.search(r"[:,]\s*$", between) and not re.search(
                    r"[.!?]", between):  # fmt: skip
                return k
    return None


def _overlaps(cue: Cue, sent: Sentence, q: QuoteSpan) -> bool:
    return any(a + sent.start < q.end and q.start < b + sent.start for a, b in cue.content)


def _direct(
    reading: str,
    q: QuoteSpan,
    sent: Sentence | None,
    cue: Cue,
    sentences: list[Sentence],
    sent_at: Callable[[int], int],
    base: int | None = None,
) -> _Found:
    text = q.text(reading)
    kind = "mixed" if len(text.split()) <= 3 else "direct"
    b = sent.start if sent is not None else (base or 0)
    cue_pos = b + cue.verb[0] if sent is not None else q.start
    first, last = sent_at(min(q.mark_start, cue_pos)), sent_at(max(q.mark_end - 1, cue_pos))
    bounds = (sentences[first].start, sentences[last].end)
    return _Found(text, kind, (q.start, q.end), (first, last), cue, b, bounds,
                  sentences[first].role)  # fmt: skip


@dataclass
class _Said:
    """A resolved speaker, remembered for the sentences after."""

    sentence: int
    pos: int
    kind: str
    name: str | None
    role: str | None
    affiliation: str | None
    anonymous: str | None
    plural: bool
    head: str


class _Resolver:
    """Who each mention's speaker is (step 4 of the module docstring)."""

    def __init__(
        self, reading: str, analysis: Any, sentences: list[Sentence], sent_at: Callable[[int], int]
    ) -> None:
        self.reading = reading
        self.entities = analysis.entities
        self.sent_at = sent_at
        self.history: list[_Said] = []
        self.genders: dict[str, str] = {}
        self.full_names = [reading[s:e] for s, e, lab in analysis.entities if lab == "PERSON"]
        self.orgs = Counter(
            re.sub(r"^(?:the|The)\s+", "", reading[s:e])
            for s, e, lab in analysis.entities
            if lab in ("ORG", "NORP")
        )
        self.subjects = self._subject_persons(analysis, sentences)
        self._learn_genders(sentences)

    # -- names -------------------------------------------------------------------------

    def _full(self, name: str) -> str:
        """The longest name in the text that ``name`` shortens, else ``name``."""
        known = [h.name for h in self.history if h.kind == "person" and h.name]
        fulls = [f for f in [*self.full_names, *known] if same_person(name, f) and f[:1].isupper()]
        fulls = [describe(f).name or f for f in fulls]
        fulls = [f for f in fulls if same_person(name, f)]
        return max(fulls, key=len) if fulls else name

    def _subject_persons(self, analysis: Any, sentences: list[Sentence]) -> list[tuple[int, str]]:
        """PERSON entities written before any verb of their sentence: (offset, full name)."""
        verbs = sorted(t.start for t in analysis.tokens if t.pos in ("VERB", "AUX"))
        out = []
        for s, e, lab in analysis.entities:
            if lab != "PERSON":
                continue
            sent = sentences[self.sent_at(s)] if sentences else None
            lo = sent.start if sent else 0
            i = bisect_right(verbs, lo - 1)
            if i < len(verbs) and verbs[i] < s:
                continue
            out.append((s, self._full(describe(self.reading[s:e]).name or self.reading[s:e])))
        return out

    def _learn_genders(self, sentences: list[Sentence]) -> None:
        for sent in sentences:
            text = self.reading[sent.start : sent.end].lower()
            names = {n for s, n in self.subjects if sent.start <= s < sent.end}
            he = bool(re.search(r"\b(?:he|his|him)\b", text))
            she = bool(re.search(r"\b(?:she|her|hers)\b", text))
            if len(names) == 1 and he != she:
                self.genders.setdefault(names.pop(), "m" if he else "f")

    # -- resolution --------------------------------------------------------------------

    def run(self, found: list[_Found]) -> list[tuple[_Found, Speaker, _Said | None, str | None]]:
        out = []
        done: dict[int, tuple[Speaker, _Said | None, str | None]] = {}
        for f in found:
            if f.follows is not None and id(f.follows) in done:
                sp, said, res = done[id(f.follows)]
            else:
                sp, said, res = self._resolve(f)
            done[id(f)] = (sp, said, res)
            out.append((f, sp, said, res))
            if said is not None:
                self.history.append(replace(said, sentence=f.sents[1], pos=f.span[1]))
        return out

    def _resolve(self, f: _Found) -> tuple[Speaker, _Said | None, str | None]:
        cue = f.cue
        if cue.speaker is None:
            return Speaker("", "generic"), None, None
        s, e = cue.speaker[0] + f.base, cue.speaker[1] + f.base
        ents = [(a - s, b - s, lab) for a, b, lab in self.entities if s <= a and b <= e]
        sp = describe(self.reading[s:e], ents)
        here = self.sent_at(s)
        said = _Said(here, s, sp.kind, sp.name, sp.role, sp.affiliation, sp.anonymous, sp.plural,
                     sp.head)  # fmt: skip
        if sp.kind == "org" and sp.name and self._full(sp.name) != sp.name:
            said.kind = "person"  # "Price said": a surname spaCy did not tag, of a known name
        if said.kind == "person" and sp.name:
            said.name = self._full(sp.name)
            prior = next((h for h in reversed(self.history) if h.name == said.name), None)
            if prior is not None and not (said.role or said.affiliation):
                said.role, said.affiliation = prior.role, prior.affiliation
            return sp, said, None
        if sp.kind == "org":
            return sp, said, None
        if sp.kind == "generic" and sp.head in ("group", "movement", "militants", "insurgents"):
            org = self._main_org()
            if org:
                said.kind, said.name = "org", org
                return sp, said, sp.text
            return sp, said, None
        if said.affiliation in ("group", "the group"):
            said.affiliation = self._main_org()
        if sp.kind == "pronoun":
            got = self._pronoun(sp, here, s)
            return sp, got, sp.text if got is not None else None
        if sp.kind == "definite":
            got = self._definite(sp, here)
            if got is not None:
                return sp, got, sp.text
        return sp, said, None

    def _main_org(self) -> str | None:
        return self.orgs.most_common(1)[0][0] if self.orgs else None

    def _pronoun(self, sp: Speaker, here: int, pos: int) -> _Said | None:
        recent = [h for h in self.history if here - h.sentence <= _WINDOW]
        if sp.pronoun in ("m", "f"):
            cands: list[tuple[int, str]] = [(h.pos, h.name) for h in recent
                                            if h.kind == "person" and h.name]  # fmt: skip
            cands += [(p, n) for p, n in self.subjects
                      if p < pos and here - self.sent_at(p) <= _WINDOW - 1]  # fmt: skip
            cands.sort(reverse=True)
            name = next((n for _, n in cands if self.genders.get(n, sp.pronoun) == sp.pronoun),
                        None)  # fmt: skip
            if name is None:
                return None
            self.genders[name] = sp.pronoun
            prior = next((h for h in reversed(self.history) if h.name == name), None)
            if prior is not None:
                return replace(prior)
            return _Said(here, pos, "person", name, None, None, None, False, name.split()[-1])
        if sp.pronoun == "p":
            for h in reversed(recent):
                if h.kind in ("anonymous", "org", "definite") or h.plural:
                    return replace(h)
            return None
        if sp.pronoun == "n":
            return next((replace(h) for h in reversed(recent) if h.kind == "org"), None)
        return None

    def _definite(self, sp: Speaker, here: int) -> _Said | None:
        """ "the spokesman": the latest speaker with that office (named or not)."""
        for h in reversed(self.history):
            if here - h.sentence > _WINDOW + 2:
                break
            office = f"{h.role or ''} {h.head}".lower()
            same = sp.head in office or (sp.head in _SPOKES and any(w in office for w in _SPOKES))
            if h.kind == "person" and same:
                return replace(h)
            if h.kind in ("anonymous", "definite") and h.anonymous == sp.anonymous:
                return replace(h, affiliation=h.affiliation or sp.affiliation)
        return None


def _finish(
    item: tuple[_Found, Speaker, _Said | None, str | None], to_out: Callable[[int], int]
) -> QuoteMention:
    f, sp, said, resolved = item
    cue = f.cue
    if cue.speaker is not None:
        s0, s1 = cue.speaker[0] + f.base, cue.speaker[1] + f.base
        spk_start, spk_end = to_out(s0), to_out(s1)
    else:
        spk_start = spk_end = -1
    named = said is not None and said.kind in ("person", "org") and said.name
    anonymous = None
    if said is not None and not named:
        anonymous = said.anonymous
    elif said is None and sp.anonymous:
        anonymous = sp.anonymous
    return QuoteMention(
        quote=f.quote,
        kind=f.kind,
        quote_start=to_out(f.span[0]),
        quote_end=to_out(f.span[1]),
        sentence_start=to_out(f.bounds[0]),
        sentence_end=to_out(f.bounds[1]),
        speaker=said.name if named and said is not None else None,
        speaker_text=sp.text,
        speaker_start=spk_start,
        speaker_end=spk_end,
        role=said.role if said is not None else sp.role,
        affiliation=said.affiliation if said is not None else sp.affiliation,
        anonymous=anonymous,
        cue=cue.lemma,
        addressee=cue.addressee,
        place=cue.place,
        resolved_from=resolved,
        role_in_text=f.role,
    )
