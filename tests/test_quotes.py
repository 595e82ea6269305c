"""Quote attribution: each construction on small hand-written texts, then the seeds and the
sample corpus."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from sitroom.quotes import QuoteMention, extract_quotes, find_quotes
from sitroom.quotes.marks import quote_spans
from sitroom.quotes.speakers import describe

from .conftest import ANSWERS, SAMPLE, need_shared

# the package, not the API's function ``sitroom.quotes`` that shadows it as an attribute
quotes_pkg = importlib.import_module("sitroom.quotes")


def one(text: str, **kw: Any) -> QuoteMention:
    """The single quote of ``text`` whose fields equal ``kw``."""
    got = [q for q in find_quotes(text) if all(getattr(q, k) == v for k, v in kw.items())]
    assert len(got) == 1, (kw, find_quotes(text))
    return got[0]


def test_quotes_exports() -> None:
    assert set(quotes_pkg.__all__) == {"QuoteMention", "extract_quotes", "find_quotes"}
    for name in quotes_pkg.__all__:
        assert getattr(quotes_pkg, name) is not None


# ---------------------------------------------------------------- direct speech


@pytest.mark.parametrize("marks", [("“", "”"), ('"', '"')])
def test_quotes_direct_after_cue_named_role_addressee(marks: tuple[str, str]) -> None:
    o, c = marks
    text = f"{o}This is not an abandonment,{c} State Department spokesman Ned Price told reporters."
    q = one(text)
    assert (q.kind, q.quote, q.speaker, q.cue) == ("direct", "This is not an abandonment",
                                                  "Ned Price", "tell")  # fmt: skip
    assert q.role == "State Department spokesman" and q.addressee == "reporters"
    assert q.anonymous is None and q.resolved_from is None
    assert text[q.quote_start : q.quote_end].startswith("This is not an abandonment")
    assert text[q.speaker_start : q.speaker_end] == q.speaker_text
    assert (q.sentence_start, q.sentence_end) == (0, len(text))


def test_quotes_direct_before_quote_with_colon() -> None:
    q = one("A government official told Reuters: “The Taliban took control of Kandahar city.”")
    assert q.kind == "direct" and q.quote.startswith("The Taliban took control of Kandahar")
    assert (q.speaker, q.anonymous, q.affiliation, q.addressee) == (None, "official",
                                                                    "government", "Reuters")  # fmt: skip


def test_quotes_multi_paragraph_quote_runs_on() -> None:
    text = ('Ned Price said: "The drawdown is temporary and it is measured.\n\n'
            '"We will keep a core team in Kabul and review it every day."')  # fmt: skip
    q = one(text)
    assert q.kind == "direct" and q.speaker == "Ned Price"
    assert "temporary" in q.quote and "core team in Kabul" in q.quote
    assert q.quote_start < text.index("\n\n") < q.quote_end


def test_quotes_split_and_continued_quotes_keep_the_speaker() -> None:
    text = ("State Department spokesman Ned Price spoke to reporters on Thursday.\n\n"
            "“This is not an abandonment,” he said. “This is not an evacuation.”\n\n"
            "“Our embassy will keep working.”")  # fmt: skip
    got = find_quotes(text)
    assert [(q.kind, q.speaker) for q in got] == [("direct", "Ned Price")] * 3
    assert got[0].resolved_from == "he"
    assert [q.quote for q in got][1:] == ["This is not an evacuation.",
                                          "Our embassy will keep working."]  # fmt: skip


def test_quotes_marks_straight_single_quotes_and_apostrophes() -> None:
    text = "'We will not close the door,' he said. The Taliban's fighters' guns stayed quiet."
    spans = quote_spans(text)
    assert [text[s.start : s.end] for s in spans] == ["We will not close the door,"]


def test_quotes_mixed_partial_quote_in_reported_speech() -> None:
    q = one(
        'Provincial council member Ghulam Habib Hashimo said the city had become a "ghost town".'
    )
    assert q.kind == "mixed" and q.speaker == "Ghulam Habib Hashimo"
    assert q.quote.startswith("the city had become") and q.role == "Provincial council member"


# ---------------------------------------------------------------- reported speech


def test_quotes_reported_with_and_without_that() -> None:
    a = one("Ned Price said that the troops would arrive within 48 hours.")
    b = one("Ned Price said the troops would arrive within 48 hours.")
    assert a.quote == b.quote == "the troops would arrive within 48 hours"
    assert a.kind == b.kind == "reported" and a.speaker == b.speaker == "Ned Price"


def test_quotes_reported_before_cue_and_parenthetical_cue() -> None:
    q = one("Kandahar was lost after a night of heavy fighting, a government official said.")
    assert q.quote == "Kandahar was lost after a night of heavy fighting"
    text = ("Government troops were still holding the airport, Hashimo said, but the Taliban "
            "controlled the rest of the city.")  # fmt: skip
    q = one(text, cue="say")
    assert "holding the airport" in q.quote and "rest of the city" in q.quote
    assert "Hashimo said" not in q.quote


@pytest.mark.parametrize(
    ("sentence", "cue"),
    [
        ("Ben Wallace warned that the country was heading towards civil war.", "warn"),
        ("Ben Wallace added that the country was heading towards civil war.", "add"),
        ("Ben Wallace stressed that the country was heading towards civil war.", "stress"),
        ("Ben Wallace insisted the country was heading towards civil war.", "insist"),
        ("Ben Wallace acknowledged that the country was heading towards civil war.", "acknowledge"),
        ("Ben Wallace noted that the country was heading towards civil war.", "note"),
        ("Ben Wallace claimed the country was heading towards civil war.", "claim"),
    ],
)
def test_quotes_speech_verbs(sentence: str, cue: str) -> None:
    q = one(sentence)
    assert (q.cue, q.speaker, q.kind) == (cue, "Ben Wallace", "reported")
    assert q.quote == "the country was heading towards civil war"


def test_quotes_deny_takes_a_gerund() -> None:
    q = one("Pakistan officially denies backing the Taliban.")
    assert (q.cue, q.speaker, q.quote) == ("deny", "Pakistan", "backing the Taliban")


def test_quotes_according_to() -> None:
    q = one("The city fell overnight, according to a provincial official.")
    assert (q.cue, q.quote, q.anonymous, q.speaker) == ("according to", "The city fell overnight",
                                                       "local official", None)  # fmt: skip


def test_quotes_inverted_said_x() -> None:
    q = one('"We are heading towards a civil war," said British Defence Secretary Ben Wallace.')
    assert (q.speaker, q.role, q.affiliation) == ("Ben Wallace", "Defence Secretary", "Britain")


# ---------------------------------------------------------------- speakers


@pytest.mark.parametrize(
    ("phrase", "name", "role", "affiliation"),
    [
        ("President Joe Biden", "Joe Biden", "President", None),
        (
            "Ned Price, a State Department spokesman",
            "Ned Price",
            "State Department spokesman",
            None,
        ),
        (
            "Ned Price, the State Department's spokesman",
            "Ned Price",
            "State Department spokesman",
            "State Department",
        ),
        ("British Defence Secretary Ben Wallace", "Ben Wallace", "Defence Secretary", "Britain"),
        ("Imran Khan, Pakistan's prime minister", "Imran Khan", "prime minister", "Pakistan"),
        ("Pakistani Prime Minister Imran Khan", "Imran Khan", "Prime Minister", "Pakistan"),
        (
            "a member of Herat's provincial council, Ghulam Habib Hashimi",
            "Ghulam Habib Hashimi",
            "council member",
            "Herat provincial council",
        ),
        ("Kandahar lawmaker Gul Ahmad Kamin", "Gul Ahmad Kamin", "Kandahar lawmaker", "Kandahar"),
    ],
)
def test_quotes_speaker_names_roles_affiliations(
    phrase: str, name: str, role: str, affiliation: str | None
) -> None:
    from sitroom.nlp import analyse

    sp = describe(phrase, analyse(phrase).entities)
    assert (sp.kind, sp.name, sp.role, sp.affiliation) == ("person", name, role, affiliation)


@pytest.mark.parametrize(
    ("subject", "anonymous", "affiliation"),
    [
        ("A U.S. defense official", "official", "U.S."),
        ("A Taliban spokesman", "spokesperson", "Taliban"),
        ("A resident", "resident", None),
        ("Witnesses", "witness", None),
        ("A local official", "local official", None),
        ("A provincial official", "local official", None),
        ("Three U.S. defense officials", "official", "U.S."),
        ("A Western diplomat", "diplomat", "Western"),
    ],
)
def test_quotes_anonymous_sources_typed(
    subject: str, anonymous: str, affiliation: str | None
) -> None:
    q = one(f"{subject} said the city had fallen to the Taliban.")
    assert (q.speaker, q.anonymous, q.affiliation) == (None, anonymous, affiliation)
    assert q.speaker_text == subject


def test_quotes_told_addressee_and_spokesman_to_al_jazeera() -> None:
    q = one("A Taliban spokesman told Al Jazeera that the group would not shut the door.")
    assert (q.addressee, q.anonymous, q.affiliation, q.cue) == ("Al Jazeera", "spokesperson",
                                                                "Taliban", "tell")  # fmt: skip
    q = one("Gul Ahmad Kamin told the Kabul Ledger that his city had fallen.")
    assert (q.speaker, q.addressee, q.quote) == ("Gul Ahmad Kamin", "Kabul Ledger",
                                                 "his city had fallen")  # fmt: skip
    q = one("Speaking to the BBC, Defence Secretary Ben Wallace said the war was lost.")
    assert (q.speaker, q.addressee) == ("Ben Wallace", "BBC")


def test_quotes_place_of_speaking() -> None:
    text = (
        "“The city looks like a ghost town,” council member Ghulam Habib Hashimo said by "
        "telephone from Herat, a city of about 600,000 people."
    )
    assert one(text).place == "from Herat"
    assert one("Ned Price said on Friday that the embassy would close.").place is None


def test_quotes_organisations_speak() -> None:
    q = one("The Pentagon said it would send 3,000 troops.")
    assert (q.speaker, q.anonymous) == ("Pentagon", None)
    q = one("The Taliban said in a statement that they had taken the city.")
    assert (q.speaker, q.place, q.quote) == ("Taliban", "in a statement",
                                             "they had taken the city")  # fmt: skip


# ---------------------------------------------------------------- resolution


def test_quotes_pronoun_resolves_to_last_speaker() -> None:
    text = ("In Herat, lawmaker Masood Karokhai said the militants had entered the city. "
            "He said the airport was still held by government forces.")  # fmt: skip
    got = find_quotes(text)
    assert [q.speaker for q in got] == ["Masood Karokhai", "Masood Karokhai"]
    assert got[1].resolved_from == "He" and got[1].speaker_text == "He"
    assert got[1].role == "lawmaker"


def test_quotes_pronoun_respects_known_gender() -> None:
    text = ("Ned Price said his team was ready to leave. Jane Doe said her office agreed. "
            "He added that the embassy would stay open.")  # fmt: skip
    assert find_quotes(text)[-1].speaker == "Ned Price"


def test_quotes_pronoun_takes_the_intervening_person() -> None:
    text = ("Ned Price said the embassy would stay open. Antony Blinken met President Ashraf "
            "Ghani on Thursday. He said the talks had gone well.")  # fmt: skip
    assert find_quotes(text)[-1].speaker == "Antony Blinken"


def test_quotes_pronoun_too_far_back_stays_unresolved() -> None:
    text = ("Ned Price said the embassy would stay open. The roads were closed. Flights were "
            "cancelled. Shops shut early. Banks ran out of cash. He said the talks failed.")  # fmt: skip
    last = find_quotes(text)[-1]
    assert last.speaker is None and last.resolved_from is None


def test_quotes_definite_role_and_surname_resolve() -> None:
    text = ("State Department spokesman Ned Price said the drawdown was temporary. "
            "The spokesman added that staff would return. "
            "Price said the decision was final.")  # fmt: skip
    got = find_quotes(text)
    assert [q.speaker for q in got] == ["Ned Price"] * 3
    assert got[1].resolved_from == "The spokesman" and got[2].resolved_from is None
    assert got[2].role == "State Department spokesman"  # carried from the first mention


def test_quotes_they_takes_an_anonymous_source() -> None:
    text = ("The airstrikes are not changing the war, a U.S. defense official said. "
            "A few strikes will not stop the Taliban, they said.")  # fmt: skip
    last = find_quotes(text)[-1]
    assert (last.speaker, last.anonymous, last.affiliation, last.resolved_from) == (
        None, "official", "U.S.", "they")  # fmt: skip


# ---------------------------------------------------------------- not speech


@pytest.mark.parametrize(
    "text",
    [
        "The commander is said to be hiding in the hills.",
        'The so-called "peace dividend" never arrived in Kandahar.',
        'Her favourite song is "Let It Be" by the Beatles.',
        'The novel "War and Peace" sold out in Kabul.',
        "Taliban fighters patrol the city.",
    ],
)
def test_quotes_not_speech(text: str) -> None:
    assert find_quotes(text) == []


def test_quotes_headline_nouns_and_captions_are_skipped() -> None:
    title = "Taliban claim Kandahar and Herat"
    text = "The city fell on Friday."
    assert find_quotes(text, title=title) == []
    reading = ('Taliban fighters in Farah. "We are here," a fighter said.\n\n'
               "The city fell, officials said.")  # fmt: skip
    from sitroom.nlp import analyse

    cut = reading.index("\n\n")
    roles = [(0, cut, "caption"), (cut + 2, len(reading), "body")]
    got = extract_quotes(reading, analyse(reading), roles)
    assert [q.quote for q in got] == ["The city fell"]


def test_quotes_title_offsets_and_role() -> None:
    title = '"We are heading towards a civil war," says Ben Wallace'
    text = "Ben Wallace said the country was sliding into war."
    got = find_quotes(text, title=title)
    head = [q for q in got if q.role_in_text == "title"]
    body = [q for q in got if q.role_in_text == "body"]
    assert head and body and head[0].speaker == body[0].speaker == "Ben Wallace"
    assert title[head[0].quote_start : head[0].quote_end].startswith("We are heading")
    assert text[body[0].quote_start : body[0].quote_end] == body[0].quote


# ---------------------------------------------------------------- real reports


def _articles(path: Path) -> list[Any]:
    import sitroom.api as api

    return [a for a in api.extract([path], stages=["ingest", "clean", "nlp"], quiet=True)
            if hasattr(a, "reading")]  # fmt: skip


def _quotes(a: Any) -> list[QuoteMention]:
    return extract_quotes(a.reading, a.nlp, a.reading_roles, a.reading_map.to_original)


def test_quotes_seeds_carry_their_speakers() -> None:
    seeds = need_shared("seeds")
    by_outlet = {}
    for a in _articles(seeds):
        by_outlet["reuters" if "Reuters" in a.reading else "nbc"] = (a, _quotes(a))
    a, nbc = by_outlet["nbc"]
    text = a.text
    named = {q.speaker for q in nbc}
    assert {"Ned Price", "Masood Karokhai", "Gul Ahmad Kamin"} <= named
    price = [q for q in nbc if q.speaker == "Ned Price" and q.kind == "direct"]
    assert any(q.quote.startswith("This is not an abandonment. This is not an evacuation")
               and q.resolved_from == "he" for q in price)  # fmt: skip
    for q in price:
        assert text[q.quote_start : q.quote_end].split()[:3] == q.quote.split()[:3]
    kamin = next(q for q in nbc if q.speaker == "Gul Ahmad Kamin")
    assert kamin.cue == "confirm" and kamin.addressee == "NBC News"
    spokes = next(q for q in nbc if q.anonymous == "spokesperson")
    assert (spokes.affiliation, spokes.addressee) == ("Taliban", "NBC News")
    momentum = next(q for q in nbc if q.quote.startswith("All of the momentum"))
    assert (momentum.kind, momentum.anonymous, momentum.affiliation) == ("direct", "official",
                                                                         "U.S.")  # fmt: skip
    a, reu = by_outlet["reuters"]
    speakers = {q.speaker for q in reu}
    assert {"Ghulam Habib Hashimo", "Ben Wallace", "Mitch McConnell", "Imran Khan",
            "Joe Biden", "Pentagon"} <= speakers  # fmt: skip
    hashimo = [q.quote for q in reu if q.speaker == "Ghulam Habib Hashimo" and q.kind == "direct"]
    assert hashimo[:2] == ["The city looks like a front line, a ghost town",
                           "Families have either left or are hiding in their homes."]  # fmt: skip
    wallace = next(q for q in reu if q.speaker == "Ben Wallace")
    assert (wallace.kind, wallace.addressee, wallace.role) == ("direct", "BBC", "Defence Secretary")
    mcc = [q for q in reu if q.speaker == "Mitch McConnell"]
    assert [q.kind for q in mcc] == ["mixed", "direct"]
    assert mcc[1].quote.startswith("Without it, al Qaeda")
    khan = next(q for q in reu if q.speaker == "Imran Khan")
    assert (khan.affiliation, khan.role) == ("Pakistan", "Prime Minister")
    assert any(q.anonymous == "spokesperson" and q.addressee == "Al Jazeera" for q in reu)
    assert not any("Taliban Could Take Afghan Capital" in q.quote for q in reu)


def _key_speaker_found(speaker: str, quotes: list[QuoteMention]) -> bool:
    low = speaker.lower()
    if "anonymous" in low or re.match(r"^(?:taliban|u\.s\.)\b", low):
        want = "spokesperson" if "spokes" in low else "official"
        return any(q.speaker is None and (q.anonymous or "").endswith(want) for q in quotes)
    last = speaker.split(" (")[0].split()[-1]
    return any(q.speaker and q.speaker.split()[-1] == last for q in quotes)


def test_quotes_sample_corpus_speakers_found_in_every_listed_article() -> None:
    key = json.loads(ANSWERS.read_text(encoding="utf-8"))["quotes"]
    found = {}
    for a in _articles(SAMPLE):
        rel = str(Path(a.path).resolve().relative_to(SAMPLE.resolve()))
        found[(rel, a.locator)] = _quotes(a)
    assert len(found) == 17
    missing = [(e["speaker"], x["file"], x["locator"]) for e in key for x in e["articles"]
               if not _key_speaker_found(e["speaker"], found[(x["file"], x["locator"])])]  # fmt: skip
    assert missing == []
    # the direct quotes the key lists are found as quoted words
    sentinel = found[("scrapes/scrape_03.txt", "")]
    assert any(q.speaker == "Ned Price" and q.kind == "direct"
               and q.quote == "This is not an abandonment" for q in sentinel)  # fmt: skip
    wire = found[("scrapes/scrape_02.txt", "")]
    assert any(q.speaker == "Ben Wallace" and q.kind == "mixed" and q.addressee == "BBC"
               for q in wire)  # fmt: skip


def test_quotes_possessive_owner_is_affiliation_not_name() -> None:
    (q,) = find_quotes("The State Department's Ned Price said the embassy would stay open.")
    assert q.speaker == "Ned Price" and q.affiliation == "State Department"


@pytest.mark.parametrize("phrase", ["THE", "The", "A", "An"])
def test_quotes_speaker_that_is_only_a_determiner_is_generic(phrase: str) -> None:
    """Soak, 1989 wire copy in capitals: spaCy called "THE" a person; the speaker's name was
    empty and ``describe`` raised (the article's quotes were lost)."""
    sp = describe(phrase, [(0, len(phrase), "PERSON")])
    assert (sp.kind, sp.name) == ("generic", None)
