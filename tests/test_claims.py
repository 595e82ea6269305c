"""Claims: extraction, relations, cross-outlet alignment and the checker, with the real
spaCy and MiniLM models."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest

from sitroom.claims import ClaimMention, align, check, check_pairs, find_claims, relate

from .conftest import ANSWERS, SAMPLE, need_shared

# the package, not the function ``sitroom.claims`` (the API's, which shadows it as attribute)
claims = importlib.import_module("sitroom.claims")


def _one(text: str) -> ClaimMention:
    found = find_claims(text)
    assert len(found) == 1, found
    return found[0]


def _sim(a: str, b: str) -> float:
    from sitroom.embed import embedder

    v = embedder()([a, b])
    return float(v[0] @ v[1])


def test_claims_exports_are_defined() -> None:
    for name in claims.__all__:
        assert hasattr(claims, name), name


def test_claims_quantities_units_approximations_and_totals() -> None:
    c = _one("The insurgents have now seized 14 of the country's 34 provincial capitals.")
    (q,) = c.numbers
    assert (q.value, q.noun, q.total) == (14, "capital", 34)
    c = _one("Ghazni lies about 130 km (80 miles) southwest of Kabul.")
    assert {q.unit for q in c.numbers} == {"km"}
    assert sorted(round(q.value) for q in c.numbers) == [129, 130]
    c = _one("The Pentagon said it would send about 3,000 extra troops within 48 hours.")
    troops, hours = c.numbers
    assert (troops.noun, troops.low, troops.high) == ("troop", 2850, 3150)
    assert (hours.unit, hours.low, hours.high) == ("hour", 0, 48)
    c = _one("By some estimates the group controls more than two-thirds of Afghan territory.")
    assert c.kind == "assessment" and c.numbers[0].unit == "fraction"
    c = _one("Biden said Washington has spent more than $1 trillion in the war since 2001.")
    assert c.numbers[0].unit == "dollar" and c.numbers[0].value == 1e12
    assert "2001" in c.dates and len(c.numbers) == 1
    c = _one("American forces carry out between one and five airstrikes a day, an official said.")
    assert (c.numbers[0].low, c.numbers[0].high, c.numbers[0].noun) == (1, 5, "airstrike")


def test_claims_skips_questions_and_roles_and_keeps_title_offsets() -> None:
    text = "Is Kabul next? Herat fell to the Taliban on Friday, officials told Reuters."
    found = find_claims(text, title="Taliban take Herat as Afghan government reels")
    assert [c.role for c in found] == ["title", "body"]
    body = found[1]
    assert text[body.sentence_start : body.sentence_end] == body.text
    assert body.attributed_to == "Reuters" and "friday" in body.dates


def test_claims_relate_numbers_with_unit_conversion_and_polarity() -> None:
    a = _one("Ghazni lies 80 miles southwest of Kabul, on the highway to Kandahar.")
    b = _one("Ghazni lies about 130 km southwest of Kabul.")
    c = _one("Ghazni sits some 150 km southwest of Kabul, on the highway to Kandahar.")
    assert relate(a, b, _sim(a.text, b.text)).kind == "same"
    r = relate(a, c, _sim(a.text, c.text))
    assert (r.kind, r.dimension) == ("contradicts", "number")
    p = _one("Pakistan officially denies backing the Taliban.")
    q = _one("Pakistan backs the Taliban.")
    r = relate(p, q, _sim(p.text, q.text))
    assert (r.kind, r.dimension) == ("contradicts", "polarity")
    # a denial the sentence answers with an assertion ("..., but ...") takes no side on it
    both = _one("Islamabad officially denies backing the insurgents, but it has long been an "
                "open secret that the movement's leadership is based in Pakistan.")  # fmt: skip
    live = _one("But it is widely known that the group's leaders live in Pakistan.")
    assert relate(both, live, 0.99).kind != "contradicts"
    assert relate(p, q, 0.99).kind == "contradicts"  # the plain denial still does
    # different countries' troop numbers are different facts, not a contradiction
    us = _one("The United States is sending about 3,000 troops to Kabul.")
    uk = _one("Britain is sending about 600 troops to Kabul.")
    assert relate(us, uk, _sim(us.text, uk.text)).kind != "contradicts"


@pytest.fixture(scope="module")
def sample() -> tuple[list[Any], list[claims.ClaimGroup]]:
    import sitroom.api as api
    from sitroom.claims import extract_claims

    stages = ["ingest", "clean", "metadata", "dedup", "nlp"]
    arts = [a for a in api.extract([str(SAMPLE)], stages=stages) if hasattr(a, "reading")]
    items = []
    for a in arts:
        name = str(Path(a.path).relative_to(SAMPLE)) + (f"#{a.locator}" if a.locator else "")
        for c in extract_claims(a.reading, a.nlp, a.reading_roles):
            items.append((name, a.outlet, a.dedup.copy_group, c))
    return arts, align(items, story="kabul")


def _group_with(groups: list[claims.ClaimGroup], *words: str) -> claims.ClaimGroup:
    hits = [g for g in groups if any(all(w in m.claim.text for w in words) for m in g.members)]
    assert hits, words
    return hits[0]


def test_claims_sample_planted_disagreements_are_contested_with_both_sides(
    sample: tuple[list[Any], list[claims.ClaimGroup]],
) -> None:
    _, groups = sample
    key = json.loads(ANSWERS.read_text())
    planted = {k["text"]: k for k in key["claims"] if k["status"] == "contested"}
    finders = {
        "Herat's population.": ("600,000",),
        "Number of Afghanistan's 34 provincial capitals held by the Taliban.": ("14 of",),
        "Distance of Ghazni from Kabul.": ("150 km",),
    }
    assert set(finders) == set(planted)
    for text, words in finders.items():
        g = _group_with(groups, *words)
        assert g.status == "contested" and g.dimension == "number", g.text
        for side in planted[text]["sides"]:
            assert any(set(side["outlets"]) <= set(s.outlets) for s in g.sides), (text, side)
        assert len(g.sides) == 2
        json.dumps(g.to_dict())  # JSON-ready


def test_claims_sample_wire_copies_count_once(
    sample: tuple[list[Any], list[claims.ClaimGroup]],
) -> None:
    _, groups = sample
    # the Frontier Wire report (W1) is printed three times: one source, one outlet's word
    g = _group_with(groups, "Kandahar weighs especially heavily")
    assert {m.outlet for m in g.members} == {"Frontier Wire", "Pacific Herald", "Gulf Courier"}
    assert g.independent_sources == 1 and g.status == "single-source"
    # Daily Sentinel's report and Pacific Herald's near copy (N1): one source
    g = _group_with(groups, "faulted")
    assert {m.outlet for m in g.members} == {"Daily Sentinel", "Pacific Herald"}
    assert g.independent_sources == 1
    # a claim told to another outlet counts for that outlet only
    g = _group_with(groups, "Al Jazeera", "welcome")
    assert g.independent_sources == 1 and {m.source for m in g.members} == {"outlet:Al Jazeera"}
    ids = [g.claim_id for g in groups]
    assert len(set(ids)) == len(ids)


def test_claims_sample_troops_corroborated_and_check_verdicts(
    sample: tuple[list[Any], list[claims.ClaimGroup]],
) -> None:
    arts, groups = sample
    us = _group_with(groups, "3,000")
    assert us.status == "corroborated" and us.independent_sources >= 3
    docs = [(a.path + a.locator, a.clean_text) for a in arts]
    docs.append(("fake", "The United States is sending 5,000 troops to Kabul, officials said."))
    verdicts = {v.article: v for v in check("The US is sending about 3,000 troops to Kabul", docs)}
    stating = [k for k, _ in docs if "3,000" in _ and "troops" in _]
    assert sum(verdicts[k].verdict == "supports" for k in stating) >= 3
    assert verdicts["fake"].verdict == "contradicts"
    assert "5,000" in verdicts["fake"].evidence[0].text
    assert all(v.verdict != "contradicts" for k, v in verdicts.items() if k != "fake")
    negated = check("The US is not sending troops to Kabul", docs)
    assert any(v.verdict == "contradicts" for v in negated)
    pak = next(k for k, t in docs if "denies supporting the Taliban" in t)
    (v,) = check("Pakistan backs the Taliban.", [(pak, dict(docs)[pak])])
    assert v.verdict == "contradicts"


def test_claims_check_pairs_batch() -> None:
    rows = [
        {"id": 1, "claim": "Herat has about 600,000 people.",
         "text": "Herat, near the Iranian border, is home to nearly 500,000 people."},
        {"id": 2, "claim": "Herat has about 600,000 people.",
         "text": "The city of Herat, close to Iran, has about 600,000 people."},
        {"id": 3, "claim": "Herat has about 600,000 people.",
         "text": "Canada's parliament debated a fisheries bill on Tuesday."},
    ]  # fmt: skip
    out = list(check_pairs(rows))
    assert [r["verdict"] for r in out] == ["contradicts", "supports", "unrelated"]
    assert out[1]["evidence"][0]["text"].startswith("The city of Herat")


def test_claims_seeds_troop_deployments_corroborated() -> None:
    import sitroom.api as api
    from sitroom.claims import extract_claims

    seeds = need_shared("seeds")
    stages = ["ingest", "clean", "metadata", "nlp"]
    arts = [a for a in api.extract([seeds], stages=stages) if hasattr(a, "reading")]
    assert sorted(a.outlet for a in arts) == ["NBC News", "Reuters"]
    items = [
        (a.id, a.outlet, a.outlet, c)
        for a in arts
        for c in extract_claims(a.reading, a.nlp, a.reading_roles)
    ]
    groups = align(items)
    for words in (("3,000",), ("600", "Britain")):
        g = _group_with(groups, *words)
        assert g.status == "corroborated", g.text
        assert set(g.outlets) == {"NBC News", "Reuters"}
    for words in (("14 of",), ("two-thirds",)):
        g = _group_with(groups, *words)
        assert g.status == "single-source" and g.independent_sources == 1, g.text


def test_claims_check_same_event_in_other_words_supports() -> None:
    text = (
        "Taliban fighters have overrun Kandahar and Herat, the two largest Afghan cities "
        "after Kabul, officials said, deepening fears the government may not survive."
    )
    (v,) = check("The Taliban captured Kandahar.", [("a", text)])
    assert v.verdict == "supports" and "overrun" in v.evidence[0].text
    (v,) = check("The Taliban captured Mazar-i-Sharif.", [("a", text)])
    assert v.verdict != "supports"


def test_claims_one_outlet_saying_both_is_not_a_dispute() -> None:
    a = find_claims("A handful of U.S. airstrikes will stop the Taliban, officials said.")[0]
    b = find_claims("A handful of U.S. airstrikes will not stop the Taliban, they said.")[0]
    groups = align([("x1", "NBC News", "x1", a), ("x1", "NBC News", "x1", b)])
    assert all(g.status != "contested" for g in groups)
    groups = align([("x1", "NBC News", "x1", a), ("y1", "Reuters", "y1", b)])
    assert any(g.status == "contested" and g.dimension == "polarity" for g in groups)


# -- numbers as real news writes them (issue 13): parsed, or skipped, never a crash -----------


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("1,250.5", 1250.5), ("5 1/2", 5.5), ("9-1/2", 9.5), ("5½", 5.5), ("½", 0.5),
        ("2⅔", 2 + 2 / 3), ("£1.748bn", 1.748e9), ("$3m", 3e6), ("€20k", 2e4),
        ("US$1.2bn", 1.2e9), ("5.1-inch", 5.1), ("10km", 10.0), ("twenty-one", 21.0),
        ("٣٤", 34.0),
        # clock times, scores and seasons, N/0, model names: no quantity
        ("21:40", None), ("1:30", None), ("2.24am", None), ("89/90", None), ("24/7", None),
        ("1/0", None), ("5 1/0", None), ("0/0", None), ("1/2", None), ("5s", None),
        ("1080p", None), ("²", None), ("9" * 400, None), ("", None), ("$", None),
    ],
)  # fmt: skip
def test_claims_number_value_is_total(written: str, value: float | None) -> None:
    from sitroom.claims.extract import number_value

    got = number_value(written)
    assert got == pytest.approx(value) if value is not None else got is None


def _num_tokens(text: str) -> list[tuple[int, int, str]]:
    """spaCy's tags where they matter: a token starting with a digit or a fraction is NUM."""
    import re

    return [(m.start(), m.end(), "NUM" if m.group()[0].isdigit() or m.group()[0] in "½£"
             else "NOUN") for m in re.finditer(r"[^\s,()]+", text)]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("The blast came at 21:40 (20:40 GMT) near the gate.", []),
        ("Polls are open from 1:30 p.m. to 4:00 p.m. in Kabul.", []),
        ("The Yankees hold a 9 1/2-game lead over Boston.", [(9.5, 9.5, 9.5)]),
        ("He served 5 1/2 years of 1/0 in jail.", [(5.5, 5.5, 5.5)]),
        ("Waves of 4 to 5½ feet hit the coast.", [(5.5, 4.0, 5.5)]),
        ("The phone has a 5.1-inch 1080p screen.", [(5.1, 5.1, 5.1)]),
        ("The company lost £1.748bn last year.", [(1.748e9, 1.748e9, 1.748e9)]),
        ("The blast happened at 2.24am, and another at 4 p.m.", []),
        ("Apple sold the iPhone 5s and the iPhone 5 in Kabul.", []),
        ("He scored 30 goals in the 89/90 season.", [(30.0, 30.0, 30.0)]),
        ("Reporters counted 3 of ² rockets.", [(3.0, 3.0, 3.0)]),
        ("Reporters counted 7 of 89/90 rockets.", [(7.0, 7.0, 7.0)]),
        ("The court met on 2021-08-13 and 1990-95 and between 40 and 30 people came.",
         [(40.0, 30.0, 40.0)]),
    ],
)  # fmt: skip
def test_claims_quantity_regex_and_parser_agree(
    text: str, want: list[tuple[float, float, float]]
) -> None:
    from sitroom.claims.extract import find_quantities

    for tokens in ((), _num_tokens(text)):
        got = find_quantities(text, tokens)
        flat = [x for q in got for x in (q.value, q.low, q.high)]
        assert flat == pytest.approx([x for w in want for x in w]), got
        for q in got:
            assert text[q.start : q.end] == q.text


def test_claims_real_news_numbers_do_not_crash_extraction() -> None:
    text = (
        "The attack happened at 21:40 (20:40 GMT) in Kabul, officials said. "
        "Polls were open from 1:30 p.m. to 4:00 p.m. in Herat, officials said. "
        "The Yankees hold a 9 1/2-game lead over Boston. "
        "He served 5 1/2 years in prison in Kabul. "
        "Waves of 4 to 5½ feet hit Kabul on Monday. "
        "The phone has a 5.1-inch 1080p screen, Apple said. "
        "The company lost £1.748bn last year, Reuters said. "
        "The blast happened at 2.24am in Kabul, police said. "
        "Apple sold 9 iPhone 5s in Kabul on Monday. "
        "He scored 30 goals in the 89/90 season for Arsenal. "
        "He scored 3 of 1/0 goals for Arsenal in London."
    )
    found = find_claims(text)
    numbers = {q.text: q.value for c in found for q in c.numbers}
    assert numbers.get("5 1/2 years") == 5.5
    assert numbers.get("£1.748bn") == pytest.approx(1.748e9)
    assert not {"21", "40", "20", "1", "4", "00", "2.24", "89", "90", "5s"} & set(numbers)
    for c in found:
        assert text[c.sentence_start : c.sentence_end] == c.text
