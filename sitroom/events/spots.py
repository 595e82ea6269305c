"""Where in its article an event mention happened: which of the article's places a frame's
sentence puts it at (``Spots``, the place-picking part of the events stage's article
context).

The most specific place the sentence names, not one it only measures from ("80 miles
southwest of Kabul", "the Kabul-Kandahar highway") nor the doer itself; a town before its
bracketed region, read inside that region ("Mabai (Kankara LGA, Katsina)"); a town a region
only qualifies ("Carora, Lara state"); "the city" or "there": the last town named before; a
sentence that names none: its paragraph's; each read in its sentence's and paragraph's
context (``where.in_context``) and pinned as ACLED pins it (``where.at_seat``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sitroom.events.frames import Frame
from sitroom.events.where import at_seat, in_context, named_with_region, specificity, toward
from sitroom.reading import Sentence

__all__ = ["TOWN_FEATURES", "Spots"]

TOWN_FEATURES = ("city", "landmark")

_ANCHOR = re.compile(
    r"(?:(?:north|south|east|west)(?:east|west)?(?:ern)?\s+of|\bnear|\boutside(?:\s+of)?|"
    r"\bfrom|\bborder(?:ing)?(?:\s+with)?|\bbetween|\blinking|\bconnecting|\balong|\btowards?|\bto|\bof\s+the\s+capital,?|\bbeyond|"
    r"\bafter|\bthan|\bbesides|\bexcept|\bmiles|\bkm|\bkilomet(?:er|re)s)\s+(?:the\s+)?(?:city\s+of\s+)?$",
    re.I,
)
_DIRECTION = re.compile(
    r"(?:(?:north|south|east|west)(?:east|west)?(?:ern)?\s+of|\bnear|\boutside(?:\s+of)?|"
    r"\bafter|\bthan|\bbesides|\bexcept|\bmiles|\bkm|\bkilomet(?:er|re)s)\s+(?:the\s+)?(?:city\s+of\s+)?$",
    re.I,
)
# a place naming someone's office: "UTM's Eastern Region Director of Women", "the Kandahar
# police chief": whom the text is about, not where it happened
_TITLE_AFTER = re.compile(
    r"^\s+(?:[A-Z][a-z]+\s+)?(?:[Dd]irector|[Cc]hair(?:man|woman|person)?|[Cc]oordinator|"
    r"[Ss]ecretary|[Cc]ommissioner|[Rr]epresentative|[Ss]pokes(?:man|woman|person)|[Cc]hief|"
    r"[Pp]resident|[Oo]rgani[sz]er|[Ll]eader)s?\b"
)
_ROAD_AFTER = re.compile(r"^[-–][\w'’]+\s+(?:highway|road|motorway)\b|^\s+(?:highway|road)\b", re.I)
_ANAPHOR = re.compile(
    r"\b(?:the|this|that)\s+(?:city|town|capital|district|village)\b|\bthere\b", re.I
)
_NEAR = re.compile(
    r"\b(?:near|outside(?:\s+of)?|around|close\s+to|vicinity\s+of|outskirts\s+of|"
    r"between|area\s+of)\s+(?:the\s+)?(?:\w+\s+of\s+)?$",
    re.I,
)
_MEASURED = re.compile(
    r"(?:(?:north|south|east|west)(?:east|west)?(?:ern)?\s+of|\bmiles|\bkm|\bkilomet(?:er|re)s|"
    r"\bfrom|\bbetween|\bto|\btowards?|\blinking|\bconnecting|\bthan)\s+(?:the\s+)?"
    r"(?:city\s+of\s+)?$",
    re.I,
)
_IN_COUNTRY = re.compile(
    r"(?:\bin|,|\()\s*(?:the\s+)?(?:(?:(?:north|south)?(?:east|west)?(?:ern)?|northern|southern|"
    r"central|rural|war-torn)\s+|(?:north|south|east|west|centre|center)\s+of\s+)?$",
    re.IGNORECASE,
)
# what stands between a place and a town inside its brackets ("Udawa (Chikun LGA, Kaduna",
# "Tangail district (Dhaka"): the town only says where the place is
_IN_BRACKET = re.compile(
    r"\s*(?:(?:district|area|town|village|city|sector|county|sub-?district|locality|"
    r"community)\s+)*\(\s*[^()]*",
    re.IGNORECASE,
)


class Spots:
    """The place-picking part of the events stage's article context (``extract._Context``,
    which sets ``reading``, ``places`` as (start, end, Place), ``sentences``,
    ``paragraph_end`` and ``main_cc``)."""

    reading: str
    places: list[tuple[int, int, Any]]
    sentences: list[Sentence]
    paragraph_end: dict[int, int]
    main_cc: str

    def _anchor(self, start: int, end: int, loose: bool = False) -> bool:
        """Does the place only locate another ("80 miles southwest of Kabul", "from Kabul",
        "the Kabul-Kandahar highway")? ``loose``: only distance and direction count."""
        before = self.reading[max(0, start - 40) : start]
        if re.search(r"\b(?:highway|road|motorway)\b", self.reading[start:end], re.I):
            return True
        if _ROAD_AFTER.search(self.reading[end : end + 30]):
            return True
        return bool((_DIRECTION if loose else _ANCHOR).search(before))

    def _titled(self, c: tuple[int, int, Any]) -> bool:
        """Does the place only name someone's office ("Eastern Region Director")?"""
        return bool(_TITLE_AFTER.match(self.reading[c[1] : c[1] + 40]))

    def _event_places(self, f: Frame, sent: Sentence) -> list[tuple[int, int, Any]]:
        base = sent.start
        doer = (f.doer[0] + base, f.doer[1] + base) if f.doer else (-1, -1)
        by_span = {(s, e): (s, e, p) for s, e, p in self.places}
        cands = [by_span[(s + base, e + base)] for s, e in f.place_spans
                 if (s + base, e + base) in by_span]  # fmt: skip
        cands = [
            c for c in cands if not (doer[0] <= c[0] < doer[1]) and not self._anchor(c[0], c[1])
        ]
        if any(not self._titled(c) for c in cands):
            cands = [c for c in cands if not self._titled(c)]
        if f.cls == "deploy":
            # where the forces go ("to Kabul", "to Afghanistan"), never another place of
            # the sentence
            own = [by_span[(s + base, e + base)] for s, e in f.place_spans
                   if (s + base, e + base) in by_span]  # fmt: skip
            own = [c for c in own if not (doer[0] <= c[0] < doer[1])]
            to = [c for c in own if re.search(r"\b(?:to|into|in)\s+(?:the\s+)?$",
                                              self.reading[max(0, c[0] - 12) : c[0]])]  # fmt: skip
            return [min(to or own, key=lambda c: specificity(c[2]))] if own else []
        territory = f.cls in ("takeover", "transfer")
        towns = [c for c in cands if c[2].feature in TOWN_FEATURES]
        regions = [c for c in cands if c[2].feature not in (*TOWN_FEATURES, "country")]
        if territory:
            if towns:
                return towns
            if regions:
                return regions[:1]
        elif towns:
            # "in Qwertyville (Chikun LGA, Kaduna)": the town found is only the bracket's
            # region; the place the brackets qualify, read inside it, is where it happened
            for b in self._bracketed(sent, cands):
                if b[0] == towns[0][0] and b[2].country_code != towns[0][2].country_code:
                    return [b]  # "Mafraq ar Ruwayk area (Marib)": in Yemen, not Jordan
                if b[0] == towns[0][0] and _elsewhere(b[2], towns[0][2]):
                    return [b]  # "Buruku (Chikun LGA, Kaduna)": not Buruku, Benue
                if (
                    _IN_BRACKET.fullmatch(self.reading[b[1] : towns[0][0]])
                    and b[2].geonameid != towns[0][2].geonameid
                ):
                    town = towns[0][2]
                    if b[2].fallback and b[2].admin1 == b[2].name == town.admin1:
                        # "Khallatat (Tripoli)": a village the gazetteer lacks, in a province
                        # named after its city: near that city, not at the province's middle
                        return [(b[0], b[1], replace(town, start=b[2].start, end=b[2].end,
                                                     text=b[2].text, geo_precision=2))]  # fmt: skip
                    return [b]  # (a town or district, then the region): not the region
            return [self._qualifier_of(towns[0])]
        elif regions:
            # a town, or the district, the brackets name inside the region ("(Bassa LGA,
            # Plateau)"), before the region itself
            named = {c[2].geonameid for c in regions}
            better = [c for c in self._bracketed(sent, cands)
                      if specificity(c[2]) == 0 or c[2].geonameid not in named]  # fmt: skip
            # "Carora, Lara state, drivers protested": the town the region only qualifies
            towns_of = [
                p for r in regions[:1] for p in self.places
                if p[1] <= r[0] and re.fullmatch(r"\s*,\s*", self.reading[p[1] : r[0]])
                and p[2].feature in TOWN_FEATURES and p[2].admin1 == r[2].admin1
            ]  # fmt: skip
            return better[:1] or towns_of[-1:] or regions[:1]
        scope = self.reading[f.scope[0] + base : f.scope[1] + base]
        if _ANAPHOR.search(scope):
            prior = [c for c in self.places if c[0] < f.trigger[0] + base and c[2].feature in
                     TOWN_FEATURES and c[0] >= self._sentence_start(sent.index - 3)
                     and not self._anchor(c[0], c[1], loose=True)]  # fmt: skip
            if prior:
                return [prior[-1]]
        if territory:
            return []
        rest = [
            c for c in self.places if sent.start <= c[0] < sent.end
            and c[2].feature != "country"
            and (not (doer[0] <= c[0] < doer[1]) or self._addressed(c, doer))
        ]  # fmt: skip
        if any(not self._titled(c) for c in rest):
            rest = [c for c in rest if not self._titled(c)]
        bracketed = self._bracketed(sent, rest)
        # a name read inside the region its brackets give replaces its reading abroad
        rest = [c for c in rest if all(b[0] != c[0] or (b[2].country_code == c[2].country_code
                                                        and not _elsewhere(b[2], c[2]))
                                       for b in bracketed)] + bracketed  # fmt: skip
        # the places inside those brackets only say where the named one is
        inside = [(b[1], self.reading.find(")", b[1], sent.end)) for b in bracketed]
        rest = [c for c in rest if not any(a <= c[0] < z for a, z in inside)]
        if rest:
            # the most specific place the sentence names, one it is not only measured from
            return [min(rest, key=lambda c: (self._measured(c[0]), specificity(c[2])))]
        country = [c for c in cands if c[2].feature == "country"][:1]
        if country or any(sent.start <= c[0] < sent.end for c in self.places):
            return country
        if f.doer is None and not f.confident:
            return []  # a weak frame with nobody doing it stays out (see ``mentions``)
        return self._earlier_in_paragraph(sent)

    def _addressed(self, c: tuple[int, int, Any], doer: tuple[int, int]) -> bool:
        """Is the doer the parse found only a town written with its region ("Carora, Lara
        state, drivers protested": the parse's subject is Carora)? Then it is a place."""
        return (
            (c[0], c[1]) == doer
            and c[2].feature in TOWN_FEATURES
            and any(p[0] >= c[1] and re.fullmatch(r"\s*,\s*", self.reading[c[1] : p[0]])
                    and p[2].feature == "admin region" and p[2].admin1 == c[2].admin1
                    for p in self.places)
        )  # fmt: skip

    def _earlier_in_paragraph(self, sent: Sentence) -> list[tuple[int, int, Any]]:
        """A sentence that names no place ("Police dispersed the crowd") tells of the place
        an earlier sentence of its paragraph named: the most specific place of the nearest
        such sentence, one it does not only measure from."""
        para = self.reading.rfind("\n", 0, sent.start) + 1
        earlier = [c for c in self.places if para <= c[0] < sent.start
                   and c[2].feature != "country" and self._locative(c[0], c[2])
                   and not self._anchor(c[0], c[1])]  # fmt: skip
        if not earlier:
            return []
        last = max(i for i, s in enumerate(self.sentences) if s.start <= earlier[-1][0])
        lo = self.sentences[last].start
        own = [c for c in earlier if c[0] >= lo]
        return [min(own, key=lambda c: (self._measured(c[0]), specificity(c[2])))]

    def _qualifier_of(self, c: tuple[int, int, Any]) -> tuple[int, int, Any]:
        """The place ``c`` only qualifies, when it does ("near Hnutove, Donetsk": Donetsk the
        region, read as its city, says where Hnutove is), else ``c`` itself."""
        for p in self.places:
            if (
                p[1] <= c[0]
                and re.fullmatch(r"\s*,\s*", self.reading[p[1] : c[0]])
                and (
                    p[2].feature in TOWN_FEATURES
                    and p[2].country_code == c[2].country_code
                    and (p[2].admin1 == c[2].admin1 or c[2].feature not in TOWN_FEATURES)
                )
            ):
                return p
        return c

    def _placed(self, spot: tuple[int, int, Any], sent: Sentence) -> tuple[int, int, Any]:
        """A chosen place read in its sentence's and paragraph's context (``where.py``), at
        precision 2 when the text puts the event only near it."""
        s, e, place = spot
        end = self.paragraph_end.get(sent.index, sent.end)
        context = [replace(p, start=a, end=b) for a, b, p in self.places
                   if sent.start <= a < end and a != s and self._locative(a, p)
                   and not self._titled((a, b, p))]  # fmt: skip
        place = in_context(place, context, self.main_cc, self.reading, (s, spot[1]))
        if (
            place is not None
            and place.geo_precision == 1
            and _NEAR.search(self.reading[max(0, s - 30) : s])
        ):
            place = replace(place, geo_precision=2)
        # "in the southern countryside of Idleb", "7 km west of Hadibu": off the place named
        return s, e, toward(at_seat(place), self.reading[max(0, s - 60) : s])

    def _bracketed(
        self, sent: Sentence, known: Sequence[tuple[int, int, Any]]
    ) -> list[tuple[int, int, Any]]:
        """Towns the sentence names with their region in brackets that the places stage left
        out or placed elsewhere ("in Goma (Goma, Nord-Kivu)"), read inside that region."""
        text = self.reading[sent.start : sent.end]
        out = []
        for s, e, place in named_with_region(text, self.main_cc):
            s, e = s + sent.start, e + sent.start
            same = [k for k in known if k[0] == s]
            if (
                same
                and same[0][2].country_code == place.country_code
                and (specificity(same[0][2]) <= specificity(place))
                and not _elsewhere(place, same[0][2])
            ):
                continue
            out.append((s, e, replace(place, start=s, end=e)))
        return out

    def _measured(self, start: int) -> bool:
        """Is the place only what a distance is measured from ("80 miles southwest of Kabul",
        "the Kabul-Kandahar road")? "near Hnutove" is not: the event is at Hnutove, roughly."""
        before = self.reading[max(0, start - 40) : start]
        return bool(_MEASURED.search(before)) or bool(
            _ROAD_AFTER.search(self.reading[start : start + 40])
        )

    def _locative(self, start: int, place: Any) -> bool:
        """Does a place mention say where things are ("in Idleb", "Nis, Serbia"), rather than
        who acts ("the United States is sending", "Afghan forces")?"""
        if place.source == "demonym":
            return False
        if place.feature != "country":
            return True
        before = self.reading[max(0, start - 40) : start]
        return bool(_IN_COUNTRY.search(before))

    def _sentence_start(self, index: int) -> int:
        index = max(0, index)
        return self.sentences[index].start if index < len(self.sentences) else 0


def _elsewhere(bracketed: Any, found: Any) -> bool:
    """Is the town found another one of the name than the one its brackets place ("Buruku
    (Chikun LGA, Kaduna)" is not Buruku, Benue): the brackets' region, the gazetteer lacking
    the town there, is not the found town's?"""
    return bool(bracketed.fallback and bracketed.admin1 and found.admin1 != bracketed.admin1)
