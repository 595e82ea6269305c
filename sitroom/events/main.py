"""The main event of an article: who did what, when and where, as its headline and lead say.

Any news article has one, conflict or not ("Trump meets Obama at the White House", "Tram
derails in Croydon, killing seven"). How it is found:

1. *An ACLED event in the headline or lead.* When the events extractor found an event that
   happened in the headline or in the first two sentences of the body, it is the main
   event: its trigger, doer, target, date and place (``source = "event"``).
2. *Otherwise the headline's clause.* The headline is parsed in sentence case (a Title Case
   headline is lowered word by word, except words the body writes capitalised mid-sentence:
   spaCy's small model reads "Tram Derails In Croydon" as one name). Its root verb is the
   action, with its object; its subject (the agent of a passive) is who. When the root is a
   reporting verb ("X says Y did Z") the reported clause is used when it has a subject of its
   own. A verbless headline ("Croydon tram derailment: several dead") keeps its first noun
   phrase as the action. When the headline gives no subject, the body's first sentence is
   parsed the same way (``source = "lead"``).
3. *When*: the event's own date; else the first dated expression of the headline or lead
   sentence that falls within a week before (or a day after) publication; else the
   publication date (precision 2 when it stands in).
4. *Where*: the first place of the headline, else of the lead sentence(s), else the
   dateline, else the place the body names most often.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sitroom.model import EventMention

__all__ = ["MainEvent", "main_event"]

_REPORTING = {"say", "tell", "claim", "report", "announce", "confirm", "reveal", "insist",
              "warn", "admit", "deny", "describe", "suggest", "believe"}  # fmt: skip
_PRONOUNS = {"i", "we", "you", "he", "she", "it", "they", "this", "that", "these", "those",
             "there", "who", "what", "one"}  # fmt: skip
_CLAUSE = ("acl", "relcl", "ccomp", "advcl", "conj")
_SUBJ = ("nsubj", "nsubjpass", "csubj")
_OBJ = ("dobj", "attr", "pobj", "dative", "oprd", "xcomp", "acomp")
_MINOR = {"a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "and",
          "or", "as", "after", "over", "into", "is", "are", "was", "be"}  # fmt: skip


_CODED = ("Protesters", "Rioters", "Civilians", "Unidentified")


@dataclass(frozen=True)
class MainEvent:
    """An article's main event; ``where`` is a resolved place (``geo.Place``) or None."""

    who: str | None
    what: str | None  # the action: the trigger or root verb, as written
    what_object: str | None
    when: str | None  # YYYY-MM-DD
    time_precision: int
    where: Any
    where_text: str | None  # as written: a place's text, or a venue no gazetteer holds
    sentence: str
    source: str  # "event" | "title" | "lead"
    event: EventMention | None = None


def main_event(
    text: str,
    published: str | dt.date | None = None,
    title: str | None = None,
    lead: str | None = None,
    events: list[EventMention] | None = None,
) -> MainEvent | None:
    """The main event of an article (``lead``: a standfirst, read before the body)."""
    from sitroom.events import extract
    from sitroom.nlp import analyse
    from sitroom.timex import find_times

    day = dt.date.fromisoformat(published[:10]) if isinstance(published, str) else published
    body = f"{lead.strip()}\n\n{text}" if lead and lead.strip() else text
    if events is None:
        events = extract(body, day, title)
    title = (title or "").strip()
    analysis = analyse(body[:3000])
    first = [body[s:e] for s, e in analysis.sentences[:2]]
    lead_end = analysis.sentences[1][1] if len(analysis.sentences) > 1 else len(body[:3000])
    ev = _headline_event(events, lead_end)
    if ev is not None:
        return _from_event(ev, title, body, day, lead_end)
    parsed = _clause(title, body, "title") if title else None
    if parsed is None or parsed[0] is None:
        from_lead = _clause(first[0], body, "lead") if first else None
        if from_lead is not None and (parsed is None or from_lead[0] is not None):
            parsed = from_lead
    if parsed is None:
        return None
    who, what, obj, sentence, source = parsed
    if who is None:  # the first name the headline (else the lead) gives
        for s in (title, *first):
            who = next((s[a:b] for a, b, lab in analyse(s).entities
                        if lab in ("PERSON", "ORG", "NORP")), None)  # fmt: skip
            if who:
                break
    when, prec = _when(sentence, first, day, find_times)
    where, where_text = _where(title, body, lead_end)
    return MainEvent(who, what, obj, when, prec, where, where_text, sentence, source)


def _headline_event(events: list[EventMention], lead_end: int) -> EventMention | None:
    happened = [e for e in events if e.happened]
    for e in happened:
        if e.role == "title":
            return e
    near = [e for e in happened if e.role in ("body", "dateline") and e.sentence_start < lead_end]
    return near[0] if near else None


def _from_event(
    ev: EventMention, title: str, body: str, day: dt.date | None, lead_end: int
) -> MainEvent:
    who = ev.actor1_text or (
        ev.actor1 if ev.actor1 and not ev.actor1.startswith(("?", *_CODED)) else None
    )  # a coder's category ("Protesters (United States)") names nobody the text names
    if who is None and title:
        parsed = _clause(title, body, "title")
        who = parsed[0] if parsed else None
    if who is None:
        parsed = _clause(ev.sentence, body, "lead")
        who = parsed[0] if parsed else None
    when, prec = ev.event_date, ev.time_precision
    if when is None and day is not None:
        when, prec = day.isoformat(), 2
    where, where_text = ev.location, ev.place_text
    if where is None or ev.role != "title":
        # a headline's place over a body sentence's: the headline names the main one
        got, got_text = _where(title, body, lead_end)
        headline = got is not None and _in_title(got, title)
        if where is None or headline or (got is None and got_text):
            where, where_text = got, got_text
    return MainEvent(who, ev.trigger, ev.target_text, when, prec, where, where_text, ev.sentence,
                     "event", ev)  # fmt: skip


def _in_title(place: Any, title: str) -> bool:
    return bool(title) and place.text in title


def sentence_case(headline: str, body: str) -> str:
    """A Title Case headline lowered, except words the body writes capitalised mid-sentence
    (names); other headlines are returned as they are."""
    words = re.findall(r"[A-Za-z][\w'’-]*", headline)
    caps = [w for w in words if w.lower() not in _MINOR]
    if len(caps) < 3 or sum(w[0].isupper() for w in caps) < 0.8 * len(caps):
        return headline
    names = {m.group(1) for m in re.finditer(r"[a-z,;] ([A-Z][\w'’-]*)", body)}
    upper = {m.group(0) for m in re.finditer(r"\b[A-Z]{2,}\b", body)}

    def fix(m: re.Match[str]) -> str:
        w = m.group(0)
        if m.start() == 0 or w in names or w in upper:
            return w
        return w.lower()

    return re.sub(r"[A-Za-z][\w'’-]*", fix, headline)


Clause = tuple[str | None, str | None, str | None, str, str]


def _clause(sentence: str, body: str, source: str) -> Clause | None:
    """(who, action, object, sentence, source) of a headline or sentence, from its parse."""
    from sitroom.nlp import load

    if not sentence.strip():
        return None
    readable = sentence_case(sentence, body) if source == "title" else sentence
    doc = load("parse")(readable)
    sent = next(iter(doc.sents))
    label, colon, tail = sentence.partition(": ")
    if source == "title" and colon and len(tail.split()) >= 3 and len(label.split()) <= 6:
        sent = doc.char_span(len(label) + 2, len(doc.text), alignment_mode="expand") or sent
    root = sent.root
    if root.lemma_ in _REPORTING:
        inner = next((c for c in root.children if c.dep_ in ("ccomp", "xcomp")), None)
        if inner is not None and any(c.dep_ in _SUBJ for c in inner.children):
            root = inner
    if root.pos_ not in ("VERB", "AUX"):
        verb = next((t for t in sent if t.pos_ == "VERB" and t.dep_ in _CLAUSE), None)
        if verb is None:  # "Croydon tram derailment: several dead": the noun phrase
            chunk = next(iter(sent.noun_chunks), None)
            what = chunk.root.text if chunk is not None else root.text
            ent = next((e.text for e in doc.ents if e.label_ in ("PERSON", "ORG", "NORP")), None)
            return ent, what, chunk.text if chunk is not None else None, sentence, source
        root = verb
    subj = next((c for c in root.children if c.dep_ in _SUBJ), None)
    agent = next((c for c in root.children if c.dep_ == "agent"), None)
    if agent is not None and subj is not None and subj.dep_ == "nsubjpass":
        pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
        subj = pobj or subj
    if subj is None and root.dep_ in ("acl", "relcl"):
        subj = root.head
    who = _span(doc, subj) if subj is not None else None
    if who is not None and (who.lower() in _PRONOUNS or ":" in who):
        who = None  # "I blame Comey", "Croydon tram crash: police ..." (a label, not a doer)
    obj = next((c for c in root.children if c.dep_ in _OBJ), None)
    if obj is None:
        prep = next((c for c in root.children if c.dep_ == "prep"), None)
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep else None
    what = root.text
    if root.dep_ == "ROOT" and root.pos_ == "AUX" and obj is not None:
        what = obj.text
    return who, what, _span(doc, obj) if obj is not None else None, sentence, source


def _span(doc: Any, tok: Any) -> str:
    """The token's phrase, cut before a relative clause or apposition."""
    end = tok.right_edge.i
    for c in tok.children:
        if c.dep_ in ("relcl", "acl", "appos") and c.i > tok.i:
            end = min(end, c.left_edge.i - 1)
    return str(doc[tok.left_edge.i : end + 1].text).strip(" ,:;'\"‘’“”")


def _when(
    sentence: str, first: list[str], day: dt.date | None, find_times: Any
) -> tuple[str | None, int]:
    for s in (sentence, *first):
        for t in find_times(s, day):
            if t.type != "DATE" or not re.match(r"\d{4}-\d\d-\d\d$", t.value):
                continue
            d = dt.date.fromisoformat(t.value)
            if day is None or -7 <= (d - day).days <= 1:
                return t.value, 1
    return (day.isoformat(), 2) if day is not None else (None, 0)


def _where(title: str, body: str, lead_end: int) -> tuple[Any, str | None]:
    """(place, text): the headline's first place, else the dateline's, else the lead's, else
    the body's commonest;
    names of places (a town, a region) before demonyms ("Swiss", "British") in each; a venue
    the headline names that no gazetteer holds ("Trump Tower") by its text alone."""
    from sitroom.geo.places import find_places
    from sitroom.nlp import analyse

    def best(found: list[Any]) -> Any:
        named = [p for p in found if p.source != "demonym"]
        return (named or found)[0] if found else None

    from sitroom.meta.dateline import find_dateline

    head = body[: min(len(body), 6000)]
    dl = find_dateline(head)
    places = find_places(head, dateline=(dl.start, dl.end) if dl is not None else None)
    if title:
        got = best(find_places(title))
        if got is not None and got.source != "demonym":
            return got, got.text
        venue = next((title[s:e] for s, e, lab in analyse(title).entities if lab == "FAC"), None)
        if venue:
            return None, venue
        if got is not None and not [p for p in places if p.start < lead_end]:
            return got, got.text
    dated = best([p for p in places if dl is not None and dl.start <= p.start < dl.end])
    if dated is not None:  # "WASHINGTON -": where the report was filed, and mostly where
        return dated, dated.text
    lead = best([p for p in places if p.start < lead_end])
    if lead is not None:
        return lead, lead.text
    if not places:
        return None, None
    counts = Counter(p.geonameid for p in places if p.source != "demonym") or Counter(
        p.geonameid for p in places
    )
    top = counts.most_common(1)[0][0]
    p = next(p for p in places if p.geonameid == top)
    return p, p.text
