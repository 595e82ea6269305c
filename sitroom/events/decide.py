"""What the sub-event model decides for an article's sentences, next to the trigger frames.

1. **Which sentences**: those with a trigger word (``frames.prefilter_words``) or a cue of an
   ACLED event the triggers lack ("projectiles", "a sit-in", "a motorcade", "intercepted").
2. **What it reads**: each such sentence with the sentences after it in the same paragraph,
   up to about 60 words (a note's or a lead's account often ends in the next sentence: "...
   The inmates burnt official documents.").
3. **A frame's type**: when the model puts a sub-event type compatible with the frame's
   trigger class (``acled.COMPATIBLE``) at ``FRAME_MIN`` or more, that type; else the parse's
   own rules (``extract.classify``). Territory and deployments always keep the rules.
4. **An event the frames missed**: when no frame of the sentence can carry the model's most
   likely type and the model gives some event (any type) ``EVENT_MIN`` or more,
   the sentence's main verb becomes the frame (``root_frame``): its subject the doer (no doer
   for a witness' verb: "observers recorded 52 explosions"), its object the patient, the
   sentence's places the candidates.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sitroom.events import acled
from sitroom.events.frames import Frame, _child, _modality, _phrase, _prep_obj, _scope

__all__ = [
    "CLASS_OF",
    "EVENT_MIN",
    "FRAME_MIN",
    "contexts",
    "cue",
    "frame_type",
    "paragraph_spans",
    "root_frame",
    "top_event",
]

FRAME_MIN = 0.25
EVENT_MIN = 0.7  # news sentences the model half-believes are mostly not events (MUC-4)
SURE = 0.7  # an event this likely stands with no place and no doer named
CONTEXT_WORDS = 60

# the trigger class (``lexicon.py``) each sub-event type stands for
CLASS_OF: dict[str, str] = {
    "Armed clash": "clash", "Government regains territory": "takeover",
    "Non-state actor overtakes territory": "takeover", "Air/drone strike": "air",
    "Shelling/artillery/missile attack": "shelling", "Remote explosive/landmine/IED": "ied",
    "Suicide bomb": "suicide", "Grenade": "grenade", "Chemical weapon": "explosion",
    "Attack": "attack", "Abduction/forced disappearance": "abduct", "Sexual violence": "sexual",
    "Peaceful protest": "protest", "Protest with intervention": "protest",
    "Excessive force against protesters": "protest", "Violent demonstration": "riot",
    "Mob violence": "riot", "Agreement": "agreement", "Arrests": "arrest",
    "Change to group/activity": "change", "Disrupted weapons use": "change",
    "Headquarters or base established": "base", "Looting/property destruction": "loot",
    "Non-violent transfer of territory": "transfer", "Other": "change",
}  # fmt: skip
_RULES_ONLY = frozenset({"takeover", "transfer", "deploy"})
_CUE = re.compile(
    r"\b(?:projectil|explosi|shots?\b|gunfire|shoot|sit-?in|picket|motorcade|caravan|"
    r"gather|assembl|block|barricad|strike|boycott|hunger|intercept|defus|dismantl|seiz|"
    r"confiscat|bod(?:y|ies)|corpse|found dead|lynch|vigilant|mob|crowd|stone|pelt|"
    r"set (?:\w+ )?(?:on )?fire|torch|burn|arson|vandal|destroy|demolish|patrol|"
    r"reinforcement|recruit|curfew|ban|clash|fir(?:e|ed|ing)|shell|bomb|drone|raid|"
    r"ambush|target|hit|struck|injur|wound|kill|dead|died|death|abduct|kidnap|rape|"
    r"protest|demonstrat|rall|march|riot|arrest|detain|loot|attack|assault|stab|beat|"
    r"fight|battle|offensive|mine|ied|grenade|rocket|missile|mortar|artillery|airstrike|"
    r"air ?strike|escalat|skirmish|exchange|confront|disperse|tear ?gas|occup|overr?an|"
    r"captur|took control|seized|withdr|agreement|ceasefire|truce|handed over)",
    re.I,
)
# what a state's or a group's forces strike with, as a sentence's subject
_STRIKES = re.compile(r"(?:air ?)?(?:strike|raid|bombing|bombardment|shelling|rocket|missile|"
                      r"drone|airstrike)s?")  # fmt: skip
# verbs of witnesses and reporters: their subject saw or told, it did not act
_WITNESS = frozenset(
    "observe record report hear see monitor document note register count say tell claim "
    "confirm announce state".split()
)


_STATIVE = frozenset("be have hold control remain stay keep own seem appear cling retain "
                     "belong lie sit stand".split())  # fmt: skip


# what a stative verb can still "hold" or "have" as a happening ("held a protest")
_HAPPENINGS = frozenset("protest rally demonstration march sit-in strike vigil picket meeting "
                        "gathering procession clash clashes battle fight fighting exchange "
                        "firefight shooting attack explosion blast".split())  # fmt: skip


def cue(text: str) -> bool:
    """Does a sentence carry a word of the kinds of events ACLED codes?"""
    return bool(_CUE.search(text))


def paragraph_spans(
    reading: str, sentences: Sequence[Any], picked: Sequence[Any]
) -> list[tuple[int, int]]:
    """Each picked sentence with the rest of its paragraph, up to ``CONTEXT_WORDS`` words:
    (start, end) in ``reading``."""
    out = []
    for s in picked:
        words = len(reading[s.start : s.end].split())
        j = s.index + 1
        prev = s
        while words < CONTEXT_WORDS and j < len(sentences):
            nxt = sentences[j]
            if "\n" in reading[prev.end : nxt.start] or nxt.role != s.role:
                break
            words += len(reading[nxt.start : nxt.end].split())
            prev, j = nxt, j + 1
        out.append((s.start, prev.end))
    return out


def contexts(reading: str, sentences: Sequence[Any], picked: Sequence[Any]) -> list[str]:
    """The texts of ``paragraph_spans``, whitespace made single."""
    return [" ".join(reading[a:b].split()) for a, b in paragraph_spans(reading, sentences, picked)]


# ACLED's notes open a strategic development with its kind, a category of its codebook
# ("Movement of forces: On 2 May 2020, Russian military police conducted a patrol ..."): the
# kind decides the sub-event type, whatever the words after it suggest
_KINDS = {
    "movement of forces": "Change to group/activity",
    "security measures": "Change to group/activity",
    "property destruction": "Looting/property destruction",
    "looting": "Looting/property destruction",
    "land seizure": "Looting/property destruction",
    "arrests": "Arrests",
    "weapons seizure": "Disrupted weapons use",
    "defusal": "Disrupted weapons use",
    "detonation": "Disrupted weapons use",
    "non-violent activity": "Other",
    "explosive remnants of war": "Other",
    "headquarters or base established": "Headquarters or base established",
}
_KIND = re.compile(rf"^\s*({'|'.join(re.escape(k) for k in _KINDS)})\s*:\s", re.I)


def labelled(text: str, probs: dict[str, float]) -> dict[str, float]:
    """``probs``, or all of it on the sub-event type a paragraph's ACLED label names."""
    m = _KIND.match(text)
    if m is None:
        return probs
    sub = _KINDS[m.group(1).lower()]
    return {k: float(k == sub) for k in probs} | {sub: 1.0}


def top_event(probs: dict[str, float]) -> tuple[str, float]:
    """The most likely sub-event type (never NONE) and its probability."""
    best = max((k for k in probs if k != acled.NONE), key=lambda k: probs[k])
    return best, probs[best]


def frame_type(cls: str, probs: dict[str, float] | None) -> str | None:
    """The sub-event type the model gives a frame of trigger class ``cls``, or None (the
    rules decide)."""
    if probs is None or cls in _RULES_ONLY:
        return None
    allowed = acled.COMPATIBLE.get(cls, ())
    if not allowed:
        return None
    best = max(allowed, key=lambda k: probs.get(k, 0.0))
    return best if probs.get(best, 0.0) >= FRAME_MIN else None


def wants_root_frame(frames: Sequence[Frame], probs: dict[str, float]) -> str | None:
    """The model's event type for a sentence whose frames cannot carry it, else None."""
    sub, _p = top_event(probs)
    if 1.0 - probs.get(acled.NONE, 0.0) < EVENT_MIN:
        return None  # some event is likely, whichever type: the likeliest
    if any(f.sub_event_type == sub or acled.compatible(f.cls, sub) for f in frames):
        return None
    if any(f.cls in ("takeover", "transfer") and f.place_spans for f in frames):
        return None  # a place changing hands is the sentence's event (the fighting is part)
    if any(f.cls in _RULES_ONLY and CLASS_OF[sub] in _RULES_ONLY for f in frames):
        return None
    return sub


def _main_verb(doc: Any) -> Any | None:
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None:
        return None
    if root.lemma_.lower() in _WITNESS:
        inner = next((c for c in root.children if c.dep_ in ("ccomp", "xcomp")
                      and c.pos_ in ("VERB", "AUX")), None)  # fmt: skip
        if inner is not None:
            return inner
    return root


def root_frame(
    doc: Any, places: list[tuple[int, int]], sub: str, confident: bool = False
) -> Frame | None:
    """A frame for the sentence's main event, typed ``sub`` by the model (``confident``:
    kept even when the sentence names no place and no doer)."""
    verb = _main_verb(doc)
    if verb is None:
        return None
    if verb.lemma_.lower() in _STATIVE and not any(
        w.lemma_.lower() in _HAPPENINGS
        for c in verb.children
        if c.dep_ in ("dobj", "nsubjpass", "attr", "nsubj", "expl")
        for w in (c, *(k for k in c.children if k.dep_ == "compound"))
    ):
        return None  # "the airport was still held by government forces": a state of things
        # ("held a protest sit-in": the object's compound says it is a happening)
    cls = CLASS_OF[sub]
    passive = _child(verb, "nsubjpass") is not None
    doer = _prep_obj(verb, "by") if passive else _child(verb, "nsubj", "csubj")
    if doer is None and not passive and verb.dep_ in ("xcomp", "ccomp"):
        # "Israeli airstrikes were reported to have targeted ...": the reported subject
        doer = _child(verb.head, "nsubjpass")
    if doer is not None and (verb.lemma_.lower() in _WITNESS or doer.lower_ in
                             ("it", "they", "this", "there")):  # fmt: skip
        doer = None
    if doer is None and passive:
        # "Saudi-led coalition air raids were reported on Al Jawf": the strikes' own words
        # say whose they were (named from them as from "Israeli airstrikes hit ...")
        subj = _child(verb, "nsubjpass")
        if (
            subj is not None
            and _STRIKES.fullmatch(subj.lemma_.lower())
            and any(c.dep_ in ("compound", "amod", "poss", "nmod") and c.i < subj.i
                    for c in subj.children)
        ):  # fmt: skip
            doer = subj
    spans = [p for p in places]
    return Frame(
        cls=cls,
        trigger=(verb.idx, verb.idx + len(verb.text)),
        trigger_text=verb.text,
        noun=False,
        doer=_phrase(doer) if doer is not None else None,
        patient=None,  # whom the main verb names is too often no target (MUC-4's precision)
        place_spans=spans,
        scope=_scope(verb, doer),
        modality=_modality(verb, cls),
        sub_event_type=sub,
        from_model=True,
        confident=confident,
    )
