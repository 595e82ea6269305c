"""Event frames from one parsed sentence: trigger, doer, patient, places, time and modality.

Decisions, in order (each a plain rule over spaCy's dependency parse):

- **Trigger**: a verb whose lemma is in ``VERB_TRIGGERS`` or a noun in ``NOUN_TRIGGERS``, with
  the checks that keep common words honest: "take" needs "control"/"over" or a place as its
  object, "fall" a place as its subject or "to X", "send"/"fly" need troops as their object,
  "sign"/"agree" need an agreement word, "hand" needs "over", a noun trigger needs a place of
  its own (``the capture of Kandahar``).
- **Doer (actor1)**: the active subject; the ``by`` agent of a passive; for "fall"/"loss", the
  ``to`` object; for a noun, its possessor, its compound/adjective modifier (``Taliban
  attacks``) or ``by`` object; a pronoun or a missing doer of a reported clause takes the
  reporting verb's subject ("Britain said it would deploy ...").
- **Patient (actor2 / target)**: the direct object or passive subject (unless it is the place);
  "with"/"against" objects for clashes; "on" objects for attacks.
- **Places**: the places inside the trigger's own phrase (its subtree without the doer's and
  without nested clauses), the patient first; one event per town for territory events ("the
  towns of Lashkar Gah ... and Qala-e-Naw"). ``extract.py`` falls back to the sentence and to
  an anaphor ("the city") when the phrase names none.
- **Modality**: negation -> "denied"; could/may/might -> "hedged"; will/would/going to ->
  "predicted" ("announced" for deployments and agreements, which are decisions); a governing
  verb of denial, fear, threat, plan or attempt, or a conditional "if"/"unless" ->
  "denied"/"predicted"/"hypothetical"; only "asserted" and "announced" events happened.
- **Control statements**: "still held/controlled by X", "X still holds Y": who holds a place
  (or a part of it: the airport, the base) now, kept apart from events.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sitroom.events.lexicon import ARMED_WORDS, NOUN_TRIGGERS, SITE_WORDS, VERB_TRIGGERS

__all__ = ["ControlFrame", "Frame", "control_frames", "frames", "prefilter_words"]

_REPORT_VERBS = frozenset(
    "say tell confirm report announce state add claim insist write note explain declare "
    "acknowledge admit accord".split()
)
_DENY = frozenset("deny refute reject dismiss".split())
_PREDICT = frozenset(
    "threaten plan intend aim expect fear warn vow pledge promise prepare want seek hope "
    "predict forecast estimate try attempt".split()
)
_HEDGE_AUX = frozenset("could may might can".split())
_FUTURE_AUX = frozenset("will would shall 'll wo".split())
_COND = frozenset("if unless whether".split())
_AGREEMENT_NOUNS = frozenset("agreement deal ceasefire truce accord treaty pact".split())
_PRONOUNS = frozenset("it they he she we i you them this".split())
_CLAUSE_DEPS = frozenset("ccomp advcl relcl acl xcomp parataxis csubj".split())
_ANNOUNCED_OK = frozenset({"deploy", "agreement", "arrest", "transfer"})
_IRREGULAR = (
    "took taken fell fallen fought shot struck sent flew flown blew blown beaten seized "
    "retook overran overrun held hold holds holding controlled controls raised raise "
    "hoisted clinging"
)


# forms the small model's lemmatizer leaves alone
_LEMMA_FIX = {
    "retook": "retake",
    "retaken": "retake",
    "overran": "overrun",
    "seized": "seize",
    "recaptured": "recapture",
    "overtook": "overtake",
    "shelled": "shell",
}


def _lemma(tok: Any) -> str:
    low = str(tok.lemma_).lower()
    return _LEMMA_FIX.get(low, _LEMMA_FIX.get(tok.lower_, low))


def prefilter_words() -> frozenset[str]:
    """Word beginnings a sentence must contain to be worth parsing."""
    stems = {w[: max(4, len(w) - 2)] for w in (*VERB_TRIGGERS, *NOUN_TRIGGERS)}
    return frozenset(stems | set(_IRREGULAR.split()))


@dataclass
class Frame:
    """One event a sentence reports (offsets relative to the parsed text)."""

    cls: str
    trigger: tuple[int, int]
    trigger_text: str
    noun: bool
    doer: tuple[int, int] | None = None
    patient: tuple[int, int] | None = None
    place_spans: list[tuple[int, int]] = field(default_factory=list)  # preferred first
    scope: tuple[int, int] = (0, 0)  # the trigger's own phrase
    modality: str = "asserted"
    without_fight: bool = False
    reported_by: tuple[int, int] | None = None
    plural: bool = False  # a plural noun trigger ("airstrikes"): often habitual
    sub_event_type: str | None = None  # the sub-event model's type for it (decide.py)
    from_model: bool = False  # the model's event where no trigger matched (decide.py)
    confident: bool = False  # the model is sure enough to keep it with no place or doer
    agrees: bool = False  # its type is the one the model finds likeliest for the sentence


@dataclass
class ControlFrame:
    """A statement of who holds a place now ("still controlled by government forces")."""

    holder: tuple[int, int]
    held: list[tuple[int, int]]  # the held things' phrases (places or sites)
    sites: list[str]  # site words among them ("airport", "base")
    trigger: tuple[int, int]


def _span(tokens: list[Any]) -> tuple[int, int]:
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _subtree_span(tok: Any) -> tuple[int, int]:
    sub = list(tok.subtree)
    return _span(sub)


_DASHES = frozenset({"—", "–", "--", "-", ":"})


def _phrase(tok: Any) -> tuple[int, int]:
    """A noun phrase's core: its words up to the head (no relative clauses, no tail), and
    nothing before a dash ("KABUL, Afghanistan — The Taliban" is "The Taliban")."""
    left = [t for t in tok.subtree if t.i <= tok.i]
    cut = max(
        (
            k
            for k, t in enumerate(left)
            if t.text in _DASHES
            and t.i < tok.i
            and (t.text in ("—", "–", "--") or (k and left[k - 1].whitespace_))
        ),
        default=-1,
    )
    left = left[cut + 1 :]
    # a comma before the head ends an apposition or a fronted phrase: keep the last stretch
    # unless it lists conjuncts ("British, U.S. and other forces")
    if not any(t.dep_ == "conj" for t in left):
        cut = max((k for k, t in enumerate(left) if t.text == "," and t.i < tok.i), default=-1)
        left = left[cut + 1 :]
    of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is not None and tok.lemma_.lower() in _PARTITIVE:
        left += [t for t in of.subtree]  # "members of the Shining Path": the group too
    return _span(left or [tok])


# heads whose "of" phrase names the group: "members of", "a unit of", "fighters of"
_PARTITIVE = frozenset("member members militant fighter guerrilla commando cell unit leader "
                       "squad group column detachment".split())  # fmt: skip


def _object_span(tok: Any) -> tuple[int, int]:
    """An object's subtree without its relative clauses ("Ghazni, which sits along ...")."""
    skip = {t.i for c in tok.subtree if c.dep_ in ("relcl", "acl", "advcl") and c.i != tok.i
            for t in c.subtree}  # fmt: skip
    keep = [t for t in tok.subtree if t.i not in skip]
    return _span(keep or [tok])


def _child(tok: Any, *deps: str) -> Any | None:
    return next((c for c in tok.children if c.dep_ in deps), None)


def _children(tok: Any, *deps: str) -> list[Any]:
    return [c for c in tok.children if c.dep_ in deps]


def _prep_obj(tok: Any, *preps: str) -> Any | None:
    for c in tok.children:
        if c.dep_ in ("prep", "agent", "dative") and c.lower_ in preps:
            obj = _child(c, "pobj")
            if obj is not None:
                return obj
    return None


def _subject(tok: Any) -> Any | None:
    subj = _child(tok, "nsubj", "csubj")
    cur = tok
    # "captured and held": a conjoined verb shares the first verb's subject; "to take";
    # "Russian forces shelled the town, killing 3": the participle's doer is the clause's
    while (
        subj is None
        and cur.head.i != cur.i
        and (cur.dep_ in ("conj", "xcomp") or (cur.dep_ == "advcl" and cur.tag_ == "VBG"))
    ):
        cur = cur.head
        subj = _child(cur, "nsubj")
    return subj


def _reporter(tok: Any) -> Any | None:
    """The subject of the reporting verb governing ``tok``'s clause ("Britain said ...")."""
    cur = tok
    while cur.head.i != cur.i:
        if cur.head.lemma_ in _REPORT_VERBS and cur.dep_ != "nsubj":
            return _child(cur.head, "nsubj")
        cur = cur.head
    return None


_ASIDE = frozenset("as while since after".split())


def _modality(tok: Any, cls: str) -> str:
    if _child(tok, "neg") is not None:
        return "denied"
    if (
        cls in ("takeover", "transfer")
        and tok.dep_ == "advcl"
        and any(c.dep_ == "mark" and c.lower_ in _ASIDE for c in tok.children)
    ):
        return "background"  # "... leave, as the Taliban took Kandahar": told in passing
    auxes = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
    if auxes & _HEDGE_AUX:
        return "hedged"
    going = any(c.lower_ == "going" for c in tok.children) or (
        tok.dep_ == "xcomp" and tok.head.lower_ == "going"
    )
    if auxes & _FUTURE_AUX or going:
        return "announced" if cls in _ANNOUNCED_OK else "predicted"
    if any(c.dep_ == "mark" and c.lower_ in _COND for c in tok.children):
        return "hypothetical"
    cur = tok
    while cur.head.i != cur.i:
        head = cur.head
        if cur.dep_ in ("xcomp", "ccomp", "dobj", "pobj", "advcl", "conj", "prep", "nsubj"):
            if head.lemma_ in _DENY:
                return "denied"
            if head.lemma_ in _PREDICT and cur.dep_ in ("xcomp", "ccomp", "dobj", "pobj", "prep"):
                return "announced" if cls in _ANNOUNCED_OK else "predicted"
            if _child(head, "neg") is not None and head.lemma_ not in _REPORT_VERBS:
                return "denied"
            if any(c.dep_ == "mark" and c.lower_ in _COND for c in head.children) and (
                cur.dep_ != "advcl"
            ):
                return "hypothetical"
        if head.lemma_ in _REPORT_VERBS or (head.dep_ == "ROOT" and cur.dep_ != "conj"):
            break
        cur = head
    if tok.pos_ == "NOUN":
        for c in tok.children:
            if c.dep_ == "amod" and c.lower_ in ("possible", "potential", "imminent", "feared",
                                                 "planned", "expected", "threatened"):  # fmt: skip
                return "predicted"
    return "asserted"


def _is_place_tok(tok: Any, places: list[tuple[int, int]]) -> bool:
    return any(s <= tok.idx < e for s, e in places)


def _places_in(span: tuple[int, int], places: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [p for p in places if span[0] <= p[0] and p[1] <= span[1]]


def _scope(tok: Any, doer: Any | None) -> tuple[int, int]:
    """The trigger's own phrase: its subtree without the doer and nested clauses."""
    skip: set[int] = set()
    if doer is not None:
        skip |= {t.i for t in doer.subtree}
    for c in tok.children:
        if c.dep_ in _CLAUSE_DEPS and c.pos_ in ("VERB", "AUX"):
            skip |= {t.i for t in c.subtree}
    keep = [t for t in tok.subtree if t.i not in skip]
    return _span(keep or [tok])


def _scope_places(tok: Any, doer: Any | None, places: list[tuple[int, int]]) -> list[
    tuple[int, int]
]:  # fmt: skip
    """The places on the words of the trigger's own phrase (``_scope`` less the nested
    clauses and the doer, word by word: a clause in the middle does not count)."""
    skip: set[int] = set()
    if doer is not None:
        skip |= {t.i for t in doer.subtree}
    for c in tok.children:
        if c.dep_ in _CLAUSE_DEPS and c.pos_ in ("VERB", "AUX"):
            skip |= {t.i for t in c.subtree}
    starts = {t.idx for t in tok.subtree if t.i not in skip}
    return [p for p in places if p[0] in starts]


def frames(doc: Any, places: list[tuple[int, int]]) -> Iterator[Frame]:
    """The event frames of one parsed sentence; ``places`` are place spans in ``doc``."""
    for tok in doc:
        cls: str | None = None
        if tok.lemma_.lower() in ("raise", "hoist", "plant") and tok.pos_ == "VERB":
            frame = _flag_frame(tok, places)
            if frame is not None:
                yield frame
            continue
        if tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "NOUN" and tok.dep_ == "ROOT"):
            cls = VERB_TRIGGERS.get(_lemma(tok))
            if cls is not None:
                frame = _verb_frame(tok, cls, places)
                if frame is not None:
                    yield frame
                continue
        if (tok.pos_ in ("NOUN", "PROPN") and tok.text[:1].islower()) or tok.lower_ == "ied":
            cls = NOUN_TRIGGERS.get(tok.lemma_.lower())
            if cls is not None:
                frame = _noun_frame(tok, cls, places)
                if frame is not None:
                    yield frame


def _verb_frame(tok: Any, cls: str, places: list[tuple[int, int]]) -> Frame | None:
    lemma = _lemma(tok)
    passive = _child(tok, "nsubjpass") is not None or any(c.dep_ == "auxpass" for c in tok.children)
    obj = _child(tok, "dobj")
    subj = _child(tok, "nsubjpass") if passive else _subject(tok)
    if _perfect_misparse(tok):
        # "fighters have overrun Kandahar" parsed as have(fighters, [overrun] Kandahar)
        passive, obj, subj = False, tok.head, _subject(tok.head.head)
    elif (left := _clause_misparse(tok)) is not None:
        # "The Taliban captured Herat, ..., an official said" parsed as one noun phrase
        # [The Taliban] [captured] Herat under "said"
        passive, obj, subj = False, tok.head, left
    if (
        not passive
        and tok.dep_ == "conj"
        and _child(tok, "nsubj", "csubj") is None
        and (held := _child(tok.head, "nsubjpass")) is not None
    ):
        passive, subj = True, held  # "was shot and injured": both passive, one subject
    if obj is None and not passive:
        # "shot and killed a fighter": the first verb shares the object of the one joined to it
        obj = next((o for c in tok.children if c.dep_ == "conj" and c.pos_ == "VERB"
                    and (o := _child(c, "dobj")) is not None), None)  # fmt: skip
    doer = _prep_obj(tok, "by") if passive else subj
    if doer is None and passive:
        # "was shot and wounded by gunmen": the agent of the verb joined to it
        doer = next((a for c in tok.children if c.dep_ == "conj"
                     and (a := _prep_obj(c, "by")) is not None), None)  # fmt: skip
    patient = subj if passive else obj
    if doer is None and passive:
        # "2 civilians were wounded when Afghan forces fired mortars": the when-clause's doer
        when = next((c for c in tok.children if c.dep_ == "advcl" and any(
            m.dep_ == "mark" and m.lower_ in ("when", "as") for m in c.children)),
            None)  # fmt: skip
        if when is not None and (agent := _child(when, "nsubj")) is not None and _armed(agent):
            doer = agent
    if doer is not None and not passive and doer.lemma_.lower() in _WEAPONS:
        # "a car bomb planted by drug traffickers exploded": who planted it did it
        planter = next((a for c in doer.children if c.dep_ == "acl"
                        if (a := _prep_obj(c, "by")) is not None), None)  # fmt: skip
        doer = planter or doer
    prt = {c.lower_ for c in tok.children if c.dep_ == "prt"}
    place_obj: Any | None = None
    if lemma == "take":
        if obj is not None and obj.lemma_ == "control":
            place_obj = _prep_obj(obj, "of")
            patient = place_obj
        elif "over" in prt or (obj is not None and _is_place_tok(obj, places)):
            place_obj = obj
        elif passive and patient is not None and _is_place_tok(patient, places):
            place_obj = patient
        else:
            return None
    elif lemma in ("fall",):
        if subj is None or not (_is_place_tok(subj, places) or subj.lemma_ in
                                ("city", "town", "capital", "district", "village")):  # fmt: skip
            return None
        doer = _prep_obj(tok, "to")
        patient = subj
        place_obj = subj
    elif lemma in ("control", "hold", "occupy") and (
        any(c.lower_ == "still" for c in tok.children) or tok.tag_ in ("VBZ", "VBP")
    ):
        return None  # a statement of control, not an event: see control_frames
    elif lemma in ("send", "fly", "dispatch", "station", "reinforce"):
        target = obj or (patient if passive else None)
        if target is None or not _armed(target):
            return None
    elif lemma == "deploy" and cls == "deploy":
        pass
    elif lemma in ("sign", "agree"):
        objs = [obj] if obj is not None else []
        objs += [o for c in tok.children if c.dep_ == "prep" for o in _children(c, "pobj")]
        objs += [c for c in tok.children if c.dep_ == "xcomp"]
        if not any(o.lemma_ in _AGREEMENT_NOUNS or o.lemma_ == "cease" for o in objs):
            return None
    elif lemma == "hand":
        if "over" not in prt:
            return None
        cls = "transfer"
    elif lemma in (
        "withdraw",
        "abandon",
        "enter",
        "storm",
        "liberate",
        "retake",
        "recapture",
        "reclaim",
        "regain",
        "overrun",
        "capture",
        "seize",
        "conquer",
        "overtake",
    ):
        src = _prep_obj(tok, "from") if lemma == "withdraw" else (obj or patient)
        if src is None:
            return None
        if lemma in ("seize", "capture", "take") and not _territory(src, places):
            return None  # "seized 1.4 million packs of cigarettes", "captured a commander"
        place_obj = src
    elif lemma in ("march", "rally", "demonstrate", "protest"):
        if subj is not None and _armed(subj):
            return None
    elif lemma in ("beat", "strike", "shoot", "execute", "blow"):
        if lemma == "blow" and "up" not in prt:
            return None
        if lemma == "strike" and obj is None and not passive:
            return None
    elif lemma == "establish":
        if obj is None or obj.lemma_ not in ("base", "headquarters", "outpost", "camp"):
            return None
    elif lemma in ("evacuate",):
        pass
    if cls == "deploy":
        patient = None
    if cls == "clash":
        patient = _prep_obj(tok, "with", "against") or obj
    if cls == "attack" and patient is None:
        patient = _prep_obj(tok, "on", "against")
    if (doer is not None and doer.lower_ in _PRONOUNS) or (doer is None and cls in _ANNOUNCED_OK):
        rep = _reporter(tok)
        if rep is not None and rep.lower_ not in _PRONOUNS:
            doer = rep
    if doer is None and patient is None and place_obj is None:
        return None  # "after weeks of fighting": nobody does anything to anyone
    scope = _scope(tok, doer)
    spans = []
    if place_obj is not None:
        spans += _places_in(_object_span(place_obj), places)
    if not (spans and cls in ("takeover", "transfer")):
        # the object's places are what changed hands; else those of the trigger's own phrase
        spans += [p for p in _scope_places(tok, doer, places) if p not in spans]
    without = any(
        c.lower_ == "without"
        and any(o.lemma_ in ("fight", "resistance", "shot") for o in c.subtree)
        for c in tok.children
    )
    return Frame(
        cls="transfer" if without and cls == "takeover" else cls,
        trigger=(tok.idx, tok.idx + len(tok.text)),
        trigger_text=tok.text,
        noun=False,
        doer=_phrase(doer) if doer is not None else None,
        patient=_phrase(patient)
        if patient is not None and (place_obj is None or patient.i != place_obj.i)
        else None,
        place_spans=spans,
        scope=scope,
        modality=_modality(tok, cls),
        without_fight=without,
        reported_by=_phrase(r) if (r := _reporter(tok)) is not None else None,
    )


def _flag_frame(tok: Any, places: list[tuple[int, int]]) -> Frame | None:
    """ "raised their flags over the city of Ghazni": a takeover."""
    if not any(t.lemma_.lower() == "flag" for t in tok.subtree):
        return None
    over = next((o for t in tok.subtree if t.dep_ == "prep" and t.lower_ in ("over", "above")
                 for o in _children(t, "pobj")), None)  # fmt: skip
    if over is None:
        return None
    spans = _places_in(_object_span(over), places)
    doer = _subject(tok)
    return Frame(
        cls="takeover", trigger=(tok.idx, tok.idx + len(tok.text)), trigger_text=tok.text,
        noun=False, doer=_phrase(doer) if doer is not None else None, patient=None,
        place_spans=spans, scope=_scope(tok, doer), modality=_modality(tok, "takeover"),
    )  # fmt: skip


def _noun_frame(tok: Any, cls: str, places: list[tuple[int, int]]) -> Frame | None:
    lemma = tok.lemma_.lower()
    if lemma == "strike" and not any(c.lower_ in ("air", "drone", "missile") for c in
                                     tok.children):  # fmt: skip
        return None
    if lemma == "deal" and not any(c.lower_ in ("peace", "ceasefire") for c in tok.children):
        return None
    of = _prep_obj(tok, "of")
    if cls in ("takeover", "transfer"):
        if of is None:
            return None
        place_spans = _places_in(_object_span(of), places)
        if not place_spans and not (
            of.lemma_ in ("city", "town", "capital", "district")
            and of.tag_ == "NN"
            and any(c.lower_ in ("the", "this", "that") for c in of.children)
        ):
            return None
    doer = _child(tok, "poss")
    if doer is None:
        doer = _prep_obj(tok, "by")
    claimed = doer is None and _claimer(tok)
    if claimed:
        doer = claimed
    if doer is None and cls in ("takeover", "transfer"):
        doer = _prep_obj(tok, "to")
    if doer is None:
        doer = next((c for c in tok.children if c.dep_ in ("compound", "amod") and
                     c.pos_ == "PROPN"), None)  # fmt: skip
    patient = _prep_obj(tok, "on", "against", "with")
    scope = _scope(tok, doer)
    spans = _places_in(_object_span(of), places) if of is not None else []
    if not (spans and cls in ("takeover", "transfer")):
        spans += [p for p in _scope_places(tok, doer, places) if p not in spans]
    if not spans and cls not in ("takeover", "transfer") and not claimed:
        return None  # a noun alone ("relentless attacks") is rarely one event: it needs a place
    if cls not in ("takeover", "transfer") and doer is None:
        return None  # "after weeks of fighting": no one to say did it
    return Frame(
        cls=cls,
        trigger=(tok.idx, tok.idx + len(tok.text)),
        trigger_text=tok.text,
        noun=True,
        doer=_phrase(doer) if doer is not None else None,
        patient=_phrase(patient) if patient is not None else None,
        place_spans=spans,
        scope=scope,
        modality=_modality(tok, cls),
        reported_by=_phrase(r) if (r := _reporter(tok)) is not None else None,
        plural=tok.tag_ == "NNS",
    )


_WEAPONS = frozenset("bomb carbomb car-bomb device explosive explosives mine grenade dynamite "
                     "charge rocket missile".split())  # fmt: skip


def _perfect_misparse(tok: Any) -> bool:
    """A past participle the small model hung on its object as a compound or modifier,
    under a bare "have" ("have overrun Kandahar")."""
    return (
        tok.tag_ in ("VBN", "VBD")
        and tok.dep_ in ("compound", "amod")
        and tok.head.dep_ == "dobj"
        and tok.head.head.lemma_ == "have"
        and tok.i < tok.head.i
    )


def _clause_misparse(tok: Any) -> Any | None:
    """The subject of a past-tense verb the small model hung on its object as a modifier,
    with the subject as another modifier to its left ("[The Taliban] captured Herat")."""
    if tok.tag_ != "VBD" or tok.dep_ not in ("amod", "compound") or tok.head.i <= tok.i:
        return None
    left = [c for c in tok.head.children if c.i < tok.i and c.dep_ in ("nmod", "compound")
            and c.pos_ in ("PROPN", "NOUN")]  # fmt: skip
    return left[0] if left else None


def _claimer(tok: Any) -> Any | None:
    """Who "claimed responsibility for" the attack ``tok`` (the claim's subject), if anyone."""
    prep = tok.head
    if tok.dep_ != "pobj" or prep.lower_ != "for" or prep.head.lemma_ != "responsibility":
        return None
    verb = prep.head.head
    if verb.lemma_ not in ("claim", "accept", "assume", "admit"):
        return None
    return _subject(verb)


_GROUND = frozenset("city town village capital district province region area territory "
                    "position positions control base airport airbase outpost checkpoint "
                    "headquarters barracks garrison post hill road highway border crossing "
                    "neighbourhood neighborhood county state".split())  # fmt: skip


def _territory(tok: Any, places: list[tuple[int, int]]) -> bool:
    """Does an object name ground (a place, "the town", "positions", "the airport")?"""
    if _places_in(_object_span(tok), places):
        return True
    return any(t.lemma_.lower() in _GROUND or t.lemma_.lower() in SITE_WORDS
               for t in tok.subtree)  # fmt: skip


def _armed(tok: Any) -> bool:
    words = {t.lower_ for t in tok.subtree} | {tok.lemma_.lower()}
    return bool(words & ARMED_WORDS) or tok.lemma_.lower() in ("troop", "soldier", "force")


def control_frames(doc: Any, places: list[tuple[int, int]]) -> Iterator[ControlFrame]:
    """Statements of who holds a place now: "X still holds Y", "Y is still held by X"."""
    for tok in doc:
        lemma = tok.lemma_.lower()
        if lemma not in ("control", "hold", "cling", "retain", "keep") or tok.pos_ != "VERB":
            continue
        still = any(c.lower_ in ("still", "remain") for c in tok.children) or tok.tag_ in (
            "VBZ", "VBP") or lemma in ("cling", "retain")  # fmt: skip
        if not still:
            continue
        passive = _child(tok, "nsubjpass") is not None
        if passive:
            holder = _prep_obj(tok, "by")
            held = _child(tok, "nsubjpass")
        else:
            holder = _subject(tok)
            held = _child(tok, "dobj")
            if lemma == "cling":
                held = _prep_obj(tok, "to", "on", "onto")
                if held is None:
                    held = next((_prep_obj(c, "to") for c in tok.children if c.lower_ == "on"
                                 and _prep_obj(c, "to") is not None), None)  # fmt: skip
        if holder is None or held is None:
            continue
        items = [held, *[c for c in held.subtree if c.dep_ == "conj"]]
        items += [o for t in list(items) for c in t.head.children if c.dep_ == "conj"
                  and c.lower_ in ("to", "on") for o in _children(c, "pobj")]  # fmt: skip
        sites = [t.lemma_.lower() for t in items if t.lemma_.lower() in SITE_WORDS]
        if not sites and not any(_is_place_tok(t, places) for t in held.subtree):
            continue
        held_spans = [_phrase(t) for t in items]
        yield ControlFrame(_phrase(holder), held_spans, sites, (tok.idx, tok.idx + len(tok.text)))
