"""Events as ACLED's coders code them: taxonomy, the sub-event model, actors, places,
fatalities and dates, and the sample corpus' former errors (issue 15)."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

import pytest

import sitroom
from sitroom.events import extract
from sitroom.events.acled import (
    EVENT_TYPE_OF,
    EVENT_TYPES,
    NONE,
    SUB_EVENT_TYPES,
    TAXONOMY,
    ascii_name,
    classify_note,
    classify_texts,
    model_text,
    protest_kind,
    riot_kind,
    strategic_kind,
    violence_kind,
)
from sitroom.events.classify import load_classifier
from sitroom.events.counts import fatalities
from sitroom.events.merge import merge_story

ROOT = Path(__file__).resolve().parent.parent


def _happened(text: str, published: str = "2021-08-13") -> list[sitroom.EventMention]:
    return [m for m in extract(text, published) if m.happened]


def test_events_acled_taxonomy_whole() -> None:
    assert len(EVENT_TYPES) == 6 and len(SUB_EVENT_TYPES) == 25 == len(TAXONOMY)
    assert sum(len(v) for v in EVENT_TYPES.values()) == 25
    assert EVENT_TYPE_OF["Disrupted weapons use"] == "Strategic developments"
    assert EVENT_TYPE_OF["Mob violence"] == "Riots"
    disorder = {t.name: t.disorder_type for t in TAXONOMY}
    assert disorder["Excessive force against protesters"] == "Political violence; Demonstrations"
    assert disorder["Peaceful protest"] == "Demonstrations"
    assert disorder["Arrests"] == "Strategic developments"


def test_events_acled_rules_between_neighbours() -> None:
    assert violence_kind(target_armed=True, fought_back=False) == "Armed clash"
    assert violence_kind(target_armed=False, fought_back=False) == "Attack"
    assert violence_kind(False, False, remote="Air/drone strike") == "Air/drone strike"
    assert riot_kind(demonstrating=True, targets_people=False) == "Violent demonstration"
    assert riot_kind(demonstrating=False, targets_people=True) == "Mob violence"
    assert protest_kind(intervened=False, lethal=False) == "Peaceful protest"
    assert protest_kind(intervened=True, lethal=False) == "Protest with intervention"
    assert protest_kind(intervened=True, lethal=True) == "Excessive force against protesters"
    assert strategic_kind("Police defused an IED planted on the road.") == "Disrupted weapons use"
    assert strategic_kind("The two sides signed a ceasefire.") == "Agreement"
    assert strategic_kind("Police arrested three party leaders.") == "Arrests"
    assert strategic_kind("Men looted shops in the market.") == "Looting/property destruction"


def test_events_acled_model_shipped_and_reads_news() -> None:
    clf = load_classifier("acled")
    assert clf.labels == [*SUB_EVENT_TYPES, NONE]
    assert clf.info["dev_notes_accuracy"] > 0.8
    assert model_text("On 3 May 2020, locals protested. [size=no report]") == "locals protested."
    sub, p = classify_note("Hundreds of teachers staged a protest outside the ministry over pay.")
    assert sub == "Peaceful protest" and p > 0.5
    got = _happened(
        "Warplanes bombed rebel positions near Maarat al-Numan on Monday, killing 4 fighters."
    )  # the weapon decides, whoever the target
    assert [(m.sub_event_type, m.fatalities) for m in got] == [("Air/drone strike", 4)]
    probs = classify_texts(["The minister said the budget would be presented next week."])[0]
    assert max(probs, key=lambda k: probs[k]) == NONE


def test_events_acled_notes_the_triggers_missed() -> None:
    day = "2020-05-04"
    got = _happened(
        "On 3 May 2020, around 50 people held a protest in Vitebsk out of "
        "solidarity with the environmental protest in Brest. [size=around 50]",
        day,
    )
    assert got and got[0].sub_event_type == "Peaceful protest"
    assert got[0].actor1 == "Protesters (Belarus)" and got[0].event_date == "2020-05-03"
    got = _happened(
        "On 3 May 2020, Egyptian military forces used artillery to bombard areas "
        "west of Rafah (North Sinai). No reports on injuries or fatalities.",
        day,
    )
    assert got[0].sub_event_type == "Shelling/artillery/missile attack"
    assert got[0].actor1.startswith("Military Forces of Egypt") and got[0].fatalities == 0


def test_events_acled_dateline_is_never_an_actor() -> None:
    got = _happened(
        "KABUL, Aug. 13 (Test) - The Taliban captured Herat, the country's "
        "third-largest city, a provincial official said."
    )
    assert [(m.actor1, m.place_text) for m in got] == [("Taliban", "Herat")]
    assert got[0].sub_event_type == "Non-state actor overtakes territory"


def test_events_acled_ghazni_not_kandahar() -> None:
    got = _happened(
        "The Taliban captured Ghazni on Thursday, raising their flags over a "
        "provincial capital that straddles the main highway between Kabul and "
        "Kandahar."
    )
    assert [m.place_text for m in got] == ["Ghazni"]


def test_events_acled_britain_sends_soldiers_not_a_takeover() -> None:
    got = _happened(
        "Britain will send roughly 600 soldiers to Afghanistan for a short "
        "deployment to help its citizens leave, one of several Western "
        "governments moving diplomats and nationals out as the Taliban took "
        "Kandahar and Herat."
    )
    assert [m.event_class for m in got] == ["deploy"]
    assert got[0].location.name == "Afghanistan" and "United Kingdom" in got[0].actor1


def test_events_acled_place_in_its_context() -> None:
    day = "2020-05-04"
    got = _happened(
        "On 3 May 2020, unknown gunmen shot dead a man in Valencia, Carabobo state.", day
    )
    assert got[0].location.country_code == "VE"
    got = _happened(
        "On 2 May 2020, regime forces shelled the village of Fakkeh in the "
        "countryside of Al-Hasakeh.",
        day,
    )
    assert got and all(m.location.country_code == "SY" for m in got)
    got = _happened(
        "WASHINGTON, Aug. 13 - The United States is sending 3,000 troops to Kabul "
        "to help move most of its embassy staff."
    )
    assert got[0].location.country_code == "AF"


def test_events_acled_demonym_and_acronym_are_no_place_and_forces_of_a_named_state() -> None:
    day = "2020-05-04"
    # the village is not in the gazetteer: Idleb ("the countryside of"), never Russia
    got = _happened(
        "On 3 May 2020, regime forces shelled Kafr Oweid in the southern countryside of Idleb "
        "amid the overflight of Russian reconnaissance drones.",
        day,
    )
    assert got[0].location.country_code == "SY" and "Syria" in got[0].actor1
    got = _happened(
        "On 2 May 2020, an IED attached to the vehicle of the Kahda District Commissioner (DC) "
        "exploded in Mogadishu. The DC's family was unhurt.",
        day,
    )
    assert got and all(m.location.country_code == "SO" for m in got)
    got = _happened(
        "On 2 May 2020, military forces of Artsakh fired with unspecified weapons on the "
        "positions of the military forces of Azerbaijan near Tartar.",
        day,
    )
    assert got[0].actor1 == "Military Forces of Artsakh"


def test_events_acled_unidentified_gang_where_the_account_speaks_of_crime() -> None:
    from sitroom.events.actors import GANG, GENERIC

    day = "2020-05-04"
    got = _happened("On 3 May 2020, in Garcia, Nuevo Leon, three men were shot inside a "
                    "barbershop. The attack could be related to organized crime.", day)  # fmt: skip
    assert got[0].actor1 == GANG
    got = _happened("On 3 May 2020, in Juiz de Fora, Minas Gerais, a man was shot to death by "
                    "three armed men.", day)  # fmt: skip
    assert got[0].actor1 == GENERIC
    (event,) = merge_story("s1", [_mention(actor1=GANG)]).events
    assert event["actor1"] == "Unidentified Gang (Burundi)"


def test_events_acled_a_gang_the_account_names_so_is_a_gang() -> None:
    from sitroom.events.actors import GANG, GANG_SAID, unidentified

    day = "2020-04-30"
    got = _happened("On 29 April 2020, in Fortaleza, Ceara, a man was killed in a drive-by "
                    "shooting. Police believe in rivalry between gangs as the motive.", day)  # fmt: skip
    assert got[0].actor1 == GANG_SAID
    # a gang, not the country's name for killers no one knows ("and/or Police Militia")
    assert unidentified("BR", GANG_SAID) == "Unidentified Gang (Brazil)"
    assert unidentified("BR", GANG) == "Unidentified Gang and/or Police Militia"
    # "gang-raped" speaks of no gang
    got = _happened("On 30 April 2020, gunmen gang-raped a woman during a raid in Bafut.", day)
    assert got and got[0].actor1 not in (GANG, GANG_SAID)


@pytest.mark.parametrize(
    ("text", "deaths"),
    [
        ("In 2020 militants killed 3 soldiers and 2 civilians.", 5),
        ("On 7 May 2020, gunmen attacked a bus. 1 fatality.", 1),
        ("Police dispersed the crowd. No fatalities reported.", 0),
        ("3 people were killed, 5 according to other sources.", 3),
        ("Gunmen shot dead a shopkeeper in the market.", 1),
        ("Fighting continued through May 2020 in the district.", None),
        ("The toll from the 2019 attack was revised.", None),
        ("Dozens were killed in the raid.", 12),
        ("5 civilians (2 men, 2 women, and 1 child) were killed when a bomb hit their car.", 5),
        ("3 civilians including a former commander were kidnapped and killed.", 3),
        ("The offensive resulted in 6 rebel fatalities.", 6),
        ("Troops detained and tortured a villager to death.", 1),
        ("5 people were injured and 2 were killed.", 2),
        ("The deputy police chief of the district was killed in an ambush.", 1),
        ("A former soldier was shot and killed by gang members.", 1),
        ("Gunmen shot a trader at the market, resulting in his death.", 1),
        ("4 soldiers, 2 policemen, and 1 civilian were killed in the attack.", 7),
        ("Two farmers and a herder were killed near the river.", 3),
        ("Police fought 4 suspects. All 4 were killed, with no further casualties reported.", 4),
        ("A shepherd's body was found on the roadside with gunshot wounds.", 1),
        ("Police said no one was killed in the blast.", 0),
        ("A rebel was killed in a firefight. The army reported no casualties.", 1),
        ("A bomb went off near the market. No casualties were reported.", 0),
        ("Two militants and five soldiers including one officer and four privates were "
         "killed.", 7),
        ("At least 11 soldiers, including 3 officers, were killed in the attack.", 11),
        ("12 militants and three soldiers were killed.", 15),
    ],
)
def test_events_acled_fatalities(text: str, deaths: int | None) -> None:
    assert fatalities(text) == deaths


def test_events_acled_dates() -> None:
    got = _happened(
        "Around 7 May 2020 (as reported), gunmen killed a farmer in Kaduna.", "2020-05-09"
    )
    assert got[0].event_date == "2020-05-07"
    got = _happened("Gunmen killed a farmer in Kaduna on Thursday.", "2020-05-09")
    assert got[0].event_date == "2020-05-07" and got[0].time_precision == 1
    got = _happened("Gunmen killed a farmer in Kaduna.", "2020-05-09")
    assert got[0].event_date == "2020-05-09" and got[0].time_precision == 2


def _mention(**kw: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": 1, "article_id": "a1", "outlet": "X", "copy_group": None, "published": None,
        "event_type": "Violence against civilians", "sub_event_type": "Attack",
        "event_class": "kill", "actor1": "?armed", "actor1_kind": "generic", "actor2": None,
        "geonameid": 1, "country_code": "BI", "admin1": "", "admin2": "", "location": "x",
        "latitude": 0.0, "longitude": 0.0, "geo_precision": 1, "event_date": "2020-05-01",
        "time_precision": 1, "date_text": "1 May 2020", "fatalities": 1, "modality":
        "asserted", "salience": 1.0, "sentence": "s", "sentence_start": 0, "sentence_end": 1,
    }  # fmt: skip
    base.update(kw)
    return base


def test_events_acled_unidentified_group_of_the_events_own_country() -> None:
    res = merge_story("s1", [_mention(), _mention(id=2, article_id="a2", country_code="SD",
                                                  geonameid=2)])  # fmt: skip
    names = sorted(e["actor1"] for e in res.events)
    assert names == ["Unidentified Armed Group (Burundi)", "Unidentified Armed Group (Sudan)"]
    # two days, two events; the same day, one
    res = merge_story("s1", [_mention(), _mention(id=2, event_date="2020-05-02",
                                                  date_text="2 May 2020")])  # fmt: skip
    assert len(res.events) == 2


def test_events_acled_rioters_of_a_story_do_not_name_its_unnamed_gunmen() -> None:
    riot = _mention(id=2, article_id="a2", event_type="Riots", sub_event_type="Mob violence",
                    event_class="attack", actor1="Rioters", actor1_kind="identity",
                    event_date="2020-05-02", date_text="2 May 2020")  # fmt: skip
    events = merge_story("s1", [_mention(event_class="attack"), riot]).events
    attack = next(e for e in events if e["event_date"] == "2020-05-01")
    assert attack["actor1"] == "Unidentified Armed Group (Burundi)"
    # ... but those of the same account do ("a policewoman was attacked by a group of sellers")
    same = dict(riot, article_id="a1")
    events = merge_story("s1", [_mention(event_class="attack"), same]).events
    attack = next(e for e in events if e["event_date"] == "2020-05-01")
    assert attack["actor1"] == "Rioters"


def test_events_acled_export_plain_ascii_names(tmp_path: Path) -> None:
    assert ascii_name("Ḩammām Damt") == "Hammam Damt" and ascii_name("Colíder") == "Colider"
    db = tmp_path / "k.db"
    sitroom.run([ROOT / "examples" / "kabul-aug-2021"], db=db)
    buf = io.StringIO()
    sitroom.export_events(db, buf, "csv")
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert rows and all(r[c].isascii() for r in rows for c in ("country", "admin1",
                                                                "location"))  # fmt: skip
    assert "Kandahar" in {r["location"] for r in rows}
    shown = {e["location"] for e in sitroom.events(db)}
    assert "Kandahār" in shown  # listings keep GeoNames' spelling
    control = {(c["place"], c["since"]) for c in sitroom.control(db) if c["place"] == "Kandahār"}
    assert ("Kandahār", "2021-08-12") not in control  # the Ghazni report is no takeover of it
    for e in sitroom.events(db):  # "Britain will send ... as the Taliban took Kandahar"
        if any("Britain will send roughly" in s["sentence"] for s in e["sources"]):
            assert e["event_type"] == "Strategic developments", e
            assert e["location"] not in ("Kandahār", "Herāt"), e


def test_events_acled_export_english_region_names() -> None:
    from sitroom.export.events import acled_names

    row = acled_names({"iso": 760, "admin1": "Ḩalab", "admin2": "", "location": "Ḩalab",
                       "country": "Syria"})  # fmt: skip
    assert row["admin1"] == "Aleppo" and row["location"] == "Halab"
    assert acled_names({"iso": 422, "admin1": "Bayrūt"})["admin1"] == "Beirut"
    assert acled_names({"iso": 840, "admin1": "Texas"})["admin1"] == "Texas"
    assert acled_names({"iso": None, "admin1": "Ḩalab"})["admin1"] == "Halab"
    # ACLED's own names where they differ, from the shipped table learnt on its coded rows
    assert acled_names({"iso": 356, "admin1": "Jammu and Kashmīr"})["admin1"] == (
        "Jammu and Kashmir")  # fmt: skip
    assert acled_names({"iso": 804, "admin1": "Kyiv"})["admin1"] == "Kiev City"
    assert acled_names({"iso": 688, "admin1": "Nišavski okrug"})["admin1"] == "Central Serbia"


def test_events_acled_identity_groups_are_assoc_actors(tmp_path: Path) -> None:
    from sitroom.events.actors import identity_groups

    assert identity_groups("health workers and teachers", "India") == [
        "Health Workers (India)", "Teachers (India)"]  # fmt: skip
    assert identity_groups("the police", "India") == []  # forces are no identity group
    note = tmp_path / "note.txt"
    note.write_text(
        "SANTIAGO, May 1 (Test) - Hundreds of municipal teachers staged a protest in "
        "Santiago, Chile, on Friday over unpaid wages, organisers said.\n",
        encoding="utf-8",
    )
    db = tmp_path / "s.db"
    sitroom.run([note], db=db)
    protests = [e for e in sitroom.events(db) if e["event_type"] == "Protests"]
    assert protests and protests[0]["actor1"] == "Protesters (Chile)"
    assert protests[0]["assoc_actor_1"] == "Teachers (Chile)"


@pytest.mark.parametrize(
    ("phrase", "name"),
    [
        ("pro-Houthi forces", "Military Forces of Yemen (2016-) Supreme Political Council"),
        ("the Saudi-led coalition", "Operation Restoring Hope"),
        ("GNA air force", "Military Forces of Libya (2016-) Government of National Accord"),
        ("the NAF rebel forces", "NAF: United Armed Forces of Novorossiya"),
        ("Boko Haram/IS", "Islamic State (West Africa) and/or Boko Haram - Jamatu Ahli "
         "is-Sunnah lid-Dawatai wal-Jihad"),
        ("Boko Haram fighters", "Boko Haram - Jamatu Ahli is-Sunnah lid-Dawatai wal-Jihad"),
        ("the SDF", "QSD: Syrian Democratic Forces"),
    ],
)
def test_events_acled_sides_of_long_wars_by_acleds_names(phrase: str, name: str) -> None:
    from sitroom.events.actors import name_actor

    actor = name_actor(phrase)
    assert actor is not None and actor.name == name
    other = name_actor(phrase.lower().replace("gna", "gnat"))
    assert other is None or other.name != name or "GNA" not in phrase


def test_events_acled_never_a_namesake_abroad() -> None:
    # a place the gazetteer lacks ("Bala Sur") whose first word names a village abroad: the
    # district town the account names after it, in the account's own country
    (got, *_) = _happened("On 2 May 2020, Taliban militants ambushed and killed 3 policemen in "
                          "Bala Sur area of Pul-e Khumri district, Baghlan.", "2020-05-04")  # fmt: skip
    assert got.location.country_code == "AF" and got.location.geo_precision == 2
    # only the country is known besides the namesake: the country, never the namesake
    (got,) = _happened("On 2 May 2020, an air raid was reported on upper Wadi Sawar area in "
                       "northwestern Yemen, burning a car.", "2020-05-04")  # fmt: skip
    assert got.location.country_code == "YE"


def test_events_acled_place_of_an_earlier_sentence() -> None:
    got = _happened("On 3 May 2020, residents blocked a road in Soweto, Gauteng, after a clinic "
                    "closed. Police on the scene dispersed the crowd.", "2020-05-04")  # fmt: skip
    assert got and all(m.location is not None and m.location.name == "Soweto" for m in got)


def test_events_acled_held_a_sit_in_and_an_age_is_no_duration() -> None:
    (got,) = _happened("On 30 April 2020, teachers held a protest sit-in outside the governorate "
                       "building in Nouakchott.", "2020-05-04")  # fmt: skip
    assert got.sub_event_type == "Peaceful protest"
    (got,) = _happened("On 1 May 2020, militiamen abducted a 15-year-old boy near Kutum, North "
                       "Darfur.", "2020-05-04")  # fmt: skip
    assert got.sub_event_type == "Abduction/forced disappearance"  # happened, not background
    # an anniversary is no duration of the fighting either; "for 20 years" is
    got = _happened("On 3 May 2020, journalists and forest guards clashed near Satpada town "
                    "(Puri, Odisha), marking one year since Cyclone Fani hit the state.",
                    "2020-05-04")  # fmt: skip
    assert got
    assert not _happened("The army has battled the militants for 20 years in Kunar.",
                         "2020-05-04")  # fmt: skip
    # "entering their homes" takes no place: the protest is the sentence's event
    got = _happened("On 27 April 2020, villagers held a protest demonstration in Kumb town "
                    "(Khairpur, Sindh) against police for entering their homes.", "2020-05-04")  # fmt: skip
    assert [m.sub_event_type for m in got] == ["Peaceful protest"]


def test_events_acled_no_merge_across_provinces() -> None:
    # one report places its shooting only at its province, another at a town of another one
    vague = _mention(id=1, geonameid=2, admin1="Paraiba", geo_precision=3)
    town = _mention(id=2, article_id="a2", geonameid=3, admin1="Minas Gerais")
    assert len(merge_story("s1", [vague, town]).events) == 2
    same = _mention(id=3, article_id="a3", geonameid=4, admin1="Paraiba")
    assert len(merge_story("s1", [vague, same]).events) == 1


def test_events_acled_islamic_state_branch_and_groups_full_names() -> None:
    from sitroom.events.actors import acled_name, islamic_state, name_actor

    assert islamic_state("IQ") == "Islamic State (Iraq)"
    assert islamic_state("NE") == "Islamic State (Greater Sahara)"
    actor = name_actor("Islamic State militants", [("Islamic", "NORP")], (), "EG", "attack")
    assert actor is not None and actor.name == "Islamic State (Egypt)"
    actor = name_actor("an IS sniper", (), (), "SY", "attack")
    assert actor is not None and actor.name == "Islamic State (Syria)"
    # a group's acronym: ACLED's full name where the shipped table knows it in that country;
    # elsewhere too when it is an "ACRONYM: Full Name" the table knows under one name only
    assert acled_name("JNIM", "ML") == "JNIM: Group for Support of Islam and Muslims"
    assert acled_name("JNIM", "NE") == "JNIM: Group for Support of Islam and Muslims"
    assert acled_name("Some Unknown Front", "ML") == "Some Unknown Front"


def test_events_acled_an_acronym_of_two_groups_stays_as_written(tmp_path: Path) -> None:
    import json

    from sitroom.events import actors

    table = {"aliases": {"pdf": {"Myanmar": "PDF: People's Defence Force",
                                 "Nigeria": "PDF: Plateau Defence Front"},
                         "jnim": {"Mali": "JNIM: Group for Support of Islam and Muslims"}},
             "gangs": {}, "islamist": {"Mozambique": "Islamist Militia (Mozambique)"}}  # fmt: skip
    (tmp_path / "acled_actors.json").write_text(json.dumps(table), encoding="utf-8")
    actors.aliases_from(tmp_path)
    try:
        assert actors.acled_name("PDF", "MM") == "PDF: People's Defence Force"
        assert actors.acled_name("PDF", "CM") == "PDF"  # two groups: which one is unknown
        assert actors.acled_name("JNIM", "BF") == "JNIM: Group for Support of Islam and Muslims"
        moz = actors.name_actor("Islamic militants", [("Islamic", "NORP")], (), "MZ", "attack")
        assert moz is not None and moz.name == "Islamist Militia (Mozambique)"
    finally:
        actors._ALIASES_FROM.clear()
        actors._table.cache_clear()


def test_events_acled_creeds_are_no_group_names_and_forces_take_the() -> None:
    from sitroom.events.actors import GENERIC, forces, name_actor

    # "Islamic militants": a creed, not a name; unidentified where ACLED has no name for them
    for phrase, norp in (("Islamic militants", "Islamic"), ("jihadists", "")):
        actor = name_actor(phrase, [(norp, "NORP")] if norp else [], (), "BF", "attack")
        assert actor is not None and actor.name == GENERIC, phrase
    moz = name_actor("Islamist insurgents", [("Islamist", "NORP")], (), "MZ", "attack")
    assert moz is not None and moz.name == "Islamist Militia (Mozambique)"
    imn = name_actor("Islamic Movement of Nigeria members",
                     [("Islamic Movement of Nigeria", "ORG")], (), "NG", "protest")  # fmt: skip
    assert imn is not None and imn.name == "Islamic Movement of Nigeria"  # a group's own name
    assert forces("Military", "CD").startswith("Military Forces of the Democratic Republic")
    assert forces("Police", "PH").startswith("Police Forces of the Philippines")
    assert forces("Military", "US").startswith("Military Forces of the United States")
    assert forces("Government", "GB").startswith("Government of the United Kingdom")
    assert forces("Military", "UA").startswith("Military Forces of Ukraine")
    assert forces("Military", "HN").startswith("Military Forces of Honduras")


def test_events_acled_attack_or_armed_clash_by_the_target() -> None:
    from sitroom.events.actors import Actor
    from sitroom.events.rules import by_target as _by_target

    teacher = Actor("Civilians (Somalia)", "civilian", "a school teacher")
    soldier = Actor("Military Forces of Syria (2000-)", "state", "a soldier")
    assert _by_target("Armed clash", teacher, "militants shot a school teacher") == "Attack"
    # the civilians fought back: two armed sides
    assert _by_target("Armed clash", teacher, "villagers clashed with the militants") == (
        "Armed clash"
    )
    assert _by_target("Attack", soldier, "a gunman shot a soldier") == "Armed clash"
    # a named group that is no armed side ("the leader of a movement") decides nothing
    movement = Actor("Pashtun Tahafuz Movement", "nonstate", "the leader of PTM")
    assert _by_target("Attack", movement, "gunmen shot the leader of PTM") == "Attack"
    # the target as written, when no actor is named for it: people nobody arms
    koranic = Actor("Koranic", "nonstate", "a Koranic school teacher")
    assert _by_target("Armed clash", koranic, "shot a teacher", "a Koranic school teacher") == (
        "Attack"
    )
    assert _by_target("Armed clash", None, "two persons were killed", "two persons") == "Attack"
    assert _by_target("Armed clash", None, "killed 3 members", "3 militia members") == (
        "Armed clash"
    )
    got = _happened("On 3 May 2020, Al Shabaab militants shot and killed a school teacher in "
                    "Afgooye, Lower Shabelle.", "2020-05-04")  # fmt: skip
    assert {m.sub_event_type for m in got} == {"Attack"}
    # the target's head decides, not what is said of it; a fighter of any side is armed
    state = Actor("Military Forces of Somalia", "state", "government forces")
    spies = "three civilians accused of spying for government forces"
    assert _by_target("Attack", state, f"militants killed {spies}", spies) == "Attack"
    assert _by_target("Attack", None, "gunmen killed a QSD fighter", "a QSD fighter") == (
        "Armed clash"
    )
    assert _by_target("Attack", None, "gunmen killed a former fighter", "a former fighter") == (
        "Attack"
    )
    assert _by_target("Attack", None, "they beat 3 CNL members", "3 CNL members") == "Attack"


def test_events_acled_joined_verbs_share_their_object_and_their_passive() -> None:
    # "shot and killed a fighter": both verbs have the fighter as their target
    got = _happened("On 28 April 2020, unknown gunmen shot and killed a QSD fighter in "
                    "Ar-Raqqa city.", "2020-05-04")  # fmt: skip
    assert got and {m.sub_event_type for m in got} == {"Armed clash"}
    assert all(m.actor2_text and "fighter" in m.actor2_text for m in got)
    # "was shot and wounded by gunmen": one target and one doer for both verbs
    from sitroom.events.frames import frames
    from sitroom.nlp import load

    text = "On 3 May 2020, a man was shot and wounded by gunmen in Afgooye, Lower Shabelle."
    found = {(f.trigger_text, text[f.patient[0] : f.patient[1]] if f.patient else None,
              text[f.doer[0] : f.doer[1]] if f.doer else None)
             for f in frames(load()(text), [])}  # fmt: skip
    assert found == {("shot", "a man", "gunmen"), ("wounded", "a man", "gunmen")}


def test_events_acled_a_village_the_gazetteer_lacks_at_its_district() -> None:
    # "(Chikun LGA, Kaduna)": the district the brackets name, not Kaduna the city
    (got, *_) = _happened("On 3 May 2020, gunmen killed a farmer in Qwertyville (Chikun LGA, "
                          "Kaduna).", "2020-05-04")  # fmt: skip
    assert got.location.name == "Chikun" and got.location.geo_precision == 2
    # only the region in brackets: the town of that name stands
    (got, *_) = _happened("On 3 May 2020, gunmen killed a farmer in Goma (Goma, Nord-Kivu).",
                          "2020-05-04")  # fmt: skip
    assert got.location.name == "Goma" and got.location.geo_precision == 1


def test_events_acled_the_forces_that_fired_or_carried_out() -> None:
    (got,) = _happened("On 2 May 2020, indiscriminate shells fired by presumed LNA forces fell "
                       "in Ayn Zarah (Tripoli). No casualties reported.", "2020-05-04")  # fmt: skip
    assert got.actor1 == "Military Forces of Libya (2014-) Haftar Faction"
    got = _happened("On 29 April 2020, 2 PKK militants were killed during security operations "
                    "carried out by the Gendarmerie forces in Kagizman district, Kars.",
                    "2020-05-04")  # fmt: skip
    assert got and got[0].actor1.startswith("Military Forces of Turkey")


def test_events_acled_protesters_of_an_unplaced_report_take_the_storys_country() -> None:
    placed = _mention(id=1, event_type="Protests", sub_event_type="Peaceful protest",
                      event_class="protest", actor1="Protesters (Lebanon)", country_code="LB",
                      admin1="Beirut", fatalities=None)  # fmt: skip
    unplaced = _mention(id=2, article_id="a2", event_type="Protests",
                        sub_event_type="Peaceful protest", event_class="protest",
                        actor1="Protesters", geonameid=None, country_code="", admin1="",
                        geo_precision=None, event_date="2020-05-03", fatalities=None)  # fmt: skip
    events = merge_story("s1", [placed, unplaced]).events
    assert {e["actor1"] for e in events} == {"Protesters (Lebanon)"}


def test_events_acled_date_of_an_earlier_sentence() -> None:
    got = _happened("On 3 May 2020, residents blocked a road in Soweto, Gauteng, after a clinic "
                    "closed. Police on the scene dispersed the crowd.", "2020-05-06")  # fmt: skip
    assert got and {(m.event_date, m.time_precision) for m in got} == {("2020-05-03", 1)}


def test_events_acled_merged_event_takes_the_leading_named_doer() -> None:
    lead = _mention(id=1, event_type="Battles", sub_event_type="Armed clash", event_class="clash",
                    actor1="Military Forces of Brazil (2019-)", salience=2.0)  # fmt: skip
    others = [_mention(id=i, event_type="Battles", sub_event_type="Armed clash",
                       event_class="kill", actor1="Unidentified Armed Group (Brazil)",
                       salience=1.5) for i in (2, 3)]  # fmt: skip
    (event,) = merge_story("s1", [lead, *others]).events
    assert event["actor1"] == "Military Forces of Brazil (2019-)"


def test_events_acled_no_fatalities_and_a_death_are_two_events() -> None:
    none = _mention(id=1, fatalities=0)
    one = _mention(id=2, article_id="a2", fatalities=1)
    assert sorted(e["fatalities"] for e in merge_story("s1", [none, one]).events) == [0, 1]


def test_events_acled_unnamed_gang_under_acleds_name_for_the_country() -> None:
    from sitroom.events.actors import unidentified

    assert unidentified("BR", gang=True) == "Unidentified Gang and/or Police Militia"
    assert unidentified("MX", gang=True) == "Unidentified Gang (Mexico)"
    assert unidentified("BR") == "Unidentified Armed Group (Brazil)"


def test_events_acled_no_riot_without_violence(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # whatever the model says, a demonstration in which no one did violence is no riot
    from sitroom.events import decide
    from sitroom.events.rules import VIOLENCE as _VIOLENCE

    monkeypatch.setattr(decide, "frame_type", lambda cls, probs: "Violent demonstration")
    got = _happened("On 29 April 2020, in Hermosillo, Sonora, dozens of taxi drivers protested "
                    "demanding new rules.", "2020-05-04")  # fmt: skip
    assert got and {m.sub_event_type for m in got} == {"Peaceful protest"}
    got = _happened("On 1 May 2020, citizens who had blocked a road in El Alto, Bolivia were "
                    "dispersed by police.", "2020-05-04")  # fmt: skip
    assert got and {m.sub_event_type for m in got} <= {"Protest with intervention"}
    got = _happened("On 28 April 2020, locals demonstrated and threw stones at police in "
                    "Pulwama.", "2020-05-04")  # fmt: skip
    assert "Violent demonstration" in {m.sub_event_type for m in got}
    assert _VIOLENCE.search("rioters hurled Molotov cocktails")


def test_events_acled_mob_violence_or_attack_by_the_doer() -> None:
    from sitroom.events.actors import Actor
    from sitroom.events.rules import by_doer as _by_doer

    assert _by_doer("Attack", None, "a mob of locals") == "Mob violence"
    assert _by_doer("Attack", None, "residents of the village") == "Mob violence"
    assert _by_doer("Attack", None, "armed residents") == "Attack"
    assert _by_doer("Attack", None, "a group of people") == "Attack"
    guards = Actor("Police Forces of Cuba (1959-)", "state", "prison guards")
    assert _by_doer("Mob violence", guards, "prison guards", "beaten") == "Attack"
    # police stepping into a crowd's fight do not make the fight theirs
    assert _by_doer("Mob violence", guards, "policemen", "intervened") == "Mob violence"


_MISSILE, _IED = "Shelling/artillery/missile attack", "Remote explosive/landmine/IED"
_DISRUPTED = "Disrupted weapons use"


@pytest.mark.parametrize(
    ("sub", "text", "want"),
    [
        (_MISSILE, "Air defence systems intercepted a ballistic missile fired over Marib.",
         _DISRUPTED),
        (_IED, "Police recovered 153 crude bombs at a house in Lalpur village.", _DISRUPTED),
        (_IED, "Police detonated a bomb planted by an unidentified man at a mosque.",
         _DISRUPTED),
        (_IED, "A bomb planted by the Taliban injured 2 soldiers in Khost.", _IED),
        ("Armed clash", "troops recovered the bodies", "Armed clash"),
        # a weapon stopped hurt no one: a blast that killed is an explosion, whatever else
        # the sentence says ("police defused a second bomb")
        (_IED, "A bomb killed 3 people in the market; police defused a second bomb nearby.",
         _IED),
        (_MISSILE, "Patriot systems intercepted a missile over Marib. No casualties were "
         "reported.", _DISRUPTED),
        # the forces as the target of a detonation: an explosion still
        (_IED, "Militants attacked Indian security forces by detonating an IED near Kamjong.",
         _IED),
    ],
)  # fmt: skip
def test_events_acled_a_weapon_stopped_is_disrupted_weapons_use(
    sub: str, text: str, want: str
) -> None:
    from sitroom.events.rules import disrupted

    assert disrupted(sub, text) == want


def test_events_acled_a_notes_label_names_its_strategic_development() -> None:
    from sitroom.events.decide import labelled

    # ACLED's label before a note's first sentence decides its kind
    got = _happened("Movement of forces: On 2 May 2020, Russian military police conducted a "
                    "patrol in the vicinity of Abu Rasin in Al-Hasakeh.", "2020-05-04")  # fmt: skip
    assert got and got[0].sub_event_type == "Change to group/activity"
    probs = {"Armed clash": 0.7, "Arrests": 0.1, "Change to group/activity": 0.2}
    assert labelled("Arrests: On 1 May 2020, police held two men.", probs)["Arrests"] == 1.0
    assert labelled("Weapons seizure: police found a cache.", probs) == {
        "Armed clash": 0.0, "Arrests": 0.0, "Change to group/activity": 0.0,
        "Disrupted weapons use": 1.0,
    }  # fmt: skip
    # the words anywhere else are no label
    assert labelled("Officials described the movement of forces: tanks, trucks.", probs) == probs
    assert labelled("Arrests continued: police held two men.", probs) == probs


def test_events_acled_places_read_in_their_brackets_region() -> None:
    # a name with particles placed by its bracket's region, not a namesake abroad
    (m,) = _happened("On 30 April 2020, an IED planted by unidentified armed men reportedly "
                     "detonated in Mafraq ar Ruwayk area (Marib), on a desert road, killing a "
                     "truck driver.", "2020-05-01")  # fmt: skip
    assert m.location is not None and m.location.country_code == "YE"
    # a verb before the village: the village, read inside the district the brackets name,
    # not the region's capital inside the brackets
    got = _happened("On 29 April 2020, unidentified gunmen attacked Mabai (Kankara LGA, "
                    "Katsina), killed 1 resident and injured another.", "2020-05-01")  # fmt: skip
    assert got and all(m.location is not None and m.location.name == "Kankara"
                       and m.location.geo_precision == 2 for m in got)  # fmt: skip


def test_events_acled_a_province_alone_is_pinned_at_its_seat() -> None:
    from sitroom.geo.gazetteer import distance_km

    (m,) = _happened("On 2 May 2020, a group of farmers in Kerman province held a protest "
                     "against the low price of tomato.", "2020-05-03")  # fmt: skip
    loc = m.location
    assert loc is not None and (loc.feature, loc.geo_precision) == ("admin region", 3)
    # ACLED pins an event known only by its province at the province's capital
    assert distance_km(loc.latitude, loc.longitude, 30.283, 57.079) < 5


def test_events_acled_regions_are_no_actors_and_unknown_doers_stay_unknown() -> None:
    from sitroom.events.actors import is_region_name, said_unknown

    assert is_region_name("Kankara LGA") and is_region_name("Biobio")
    assert not is_region_name("Taliban") and not is_region_name("Hamza Division")
    got = _happened("Around 2 May 2020, in San Pedro de la Paz, Biobio, a group of "
                    "unidentified armed men opened fire against a military unit.", "2020-05-03")  # fmt: skip
    assert got and all(m.actor1 != "Biobio" for m in got)
    assert said_unknown("unknown gunmen") and not said_unknown("Taliban fighters")
    assert said_unknown(None, "a landmine planted by an unidentified armed group exploded")
    assert not said_unknown(None, "an unidentified man was found dead")
    # the group the text names elsewhere does not stand for doers it says are unknown
    text = ("On 1 May 2020, Taliban militants attacked a checkpoint in Khost. On 2 May 2020, "
            "unidentified armed men threw a grenade at a car in Khost, injuring the driver.")
    grenade = [m for m in _happened(text, "2020-05-03") if "grenade" in m.sentence]
    assert grenade and all(m.actor1 != "Taliban" for m in grenade)


def test_events_acled_a_villages_namesake_read_where_the_story_happens() -> None:
    """A story of shelling in Donetsk oblast: "near Mykhaylivka" is the village of that name
    there, not the largest Mykhaylivka (Zaporizhzhia); a village placed by its context, or
    in another country, stays where it is."""
    donetsk = {"country_code": "UA", "admin1": "Donetska oblast", "geo_precision": 1}
    rows = [_mention(id=i, article_id=f"a{i}", geonameid=709717, location="Donetsk",
                     place_text="Donetsk", event_date=f"2020-04-2{i}", **donetsk)
            for i in range(3)]  # fmt: skip
    far = _mention(id=9, article_id="a9", geonameid=701233, location="Mykhaylivka",
                   place_text="Mykhaylivka", country_code="UA", admin1="Zaporizka oblast",
                   event_date="2020-04-29", date_text="29 April 2020")  # fmt: skip
    res = merge_story("s1", [*rows, far])
    (event,) = [e for e in res.events if e["event_date"] == "2020-04-29"]
    assert (event["geonameid"], event["admin1"]) == (8354712, "Donetska oblast")
    context = dict(far, place_text="Mabai")  # the text's own name is not this place's
    res = merge_story("s1", [*rows, context])
    (event,) = [e for e in res.events if e["event_date"] == "2020-04-29"]
    assert event["geonameid"] == 701233


def test_events_acled_guards_and_alliances_by_acleds_names() -> None:
    from sitroom.events.actors import name_actor

    kg = name_actor("Kyrgyz border guards", [("Kyrgyz", "NORP")])
    assert kg is not None and kg.name.startswith("Police Forces of Kyrgyzstan")
    cu = name_actor("prison guards", [], [], "CU")
    assert cu is not None and cu.name.startswith("Police Forces of Cuba")
    guards = name_actor("the security guards of the mine", [], [], "CU")
    assert guards is None or not guards.name.startswith("Police")
    nato = name_actor("a NATO airstrike", [("NATO", "ORG")], [], "AF")
    assert nato is not None and nato.name == "NATO: North Atlantic Treaty Organization"


def test_events_acled_no_toll_for_a_peaceful_protest_or_an_uncertain_fate() -> None:
    # deaths one fate among several are no count
    assert fatalities("2 PKK militants were killed, injured or captured in the operation.") is None
    assert fatalities("3 people were killed or wounded in the raid.") is None
    assert fatalities("12 people were killed and 4 wounded.") == 12
    # the killings a peaceful protest is about are not its own deaths
    got = _happened("On 2 May 2020, in Guanare, Portuguesa state, relatives of prisoners "
                    "protested after the previous day more than 40 prisoners were killed "
                    "inside the prison by prison guards.", "2020-05-03")  # fmt: skip
    protests = [m for m in got if m.event_type == "Protests"]
    assert protests and all(not m.fatalities for m in protests)


def test_events_acled_the_forces_a_when_clause_names_did_it() -> None:
    got = _happened("On 1 May 2020, 2 civilians were wounded and several houses were damaged "
                    "when Afghan forces fired mortars in Zadran district, Paktia.", "2020-05-02")  # fmt: skip
    assert got and all(m.actor1.startswith("Military Forces of Afghanistan") for m in got)


def test_events_acled_forces_stepping_in_anywhere_in_the_account() -> None:
    from sitroom.events.rules import stepped_in

    told = ("A group of women gathered outside the prison to protest the new law. Police "
            "intervened, prevented the group from reading their statement and dispersed it.")
    assert stepped_in("Peaceful protest", told) == "Protest with intervention"
    assert stepped_in("Peaceful protest", "Police reached the spot and controlled the "
                      "situation.") == "Protest with intervention"  # fmt: skip
    assert stepped_in("Peaceful protest", "Some protesters were arrested.") == (
        "Protest with intervention")
    quiet = "Hundreds of merchants held a motorcade. The police escorted the convoy."
    assert stepped_in("Peaceful protest", quiet) == "Peaceful protest"
    assert stepped_in("Armed clash", told) == "Armed clash"


def test_events_acled_a_far_namesake_gives_way_to_the_region_the_sentence_names() -> None:
    (m,) = _happened("On 2 May 2020, police recovered 153 crude bombs at a local resident's "
                     "house in Lalpur village of Bhagabanpur area (East Midnapore district, "
                     "West Bengal).", "2020-05-03")  # fmt: skip
    loc = m.location
    assert loc is not None and loc.admin1 == "West Bengal" and loc.geo_precision == 2


def test_events_acled_the_town_before_a_bracket_not_the_town_inside_it() -> None:
    (m,) = _happened("On 27 April 2020, more than 300 villagers staged a protest demonstration "
                     "in Tangail district (Dhaka) demanding aid relief.", "2020-04-28")  # fmt: skip
    assert m.location is not None and m.location.text == "Tangail"
    # a village the gazetteer lacks in a province named after its city: near the city
    got = _happened("On 3 May 2020, GNA forces targeted LNA positions with heavy artillery "
                    "fire in Khallatat (Tripoli). No casualties reported.", "2020-05-04")  # fmt: skip
    assert got and all(m.location is not None and m.location.feature == "city"
                       and m.location.geo_precision == 2 for m in got)  # fmt: skip


def test_events_acled_a_participles_doer_and_a_town_the_parse_made_the_subject() -> None:
    # ", killing 3": the participle's doer is its clause's subject
    got = _happened("Russian forces launched missile strikes on Kyiv on Monday, killing 3.",
                    "2022-03-01")  # fmt: skip
    assert got and all(m.actor1.startswith("Military Forces of Russia") for m in got)
    assert all(m.location is not None and m.location.name == "Kyiv" for m in got)
    # "Carora, Lara state, drivers protested": the parse's subject is the town, the place
    (m,) = _happened("On 28 April 2020, Carora, Lara state, public transportation drivers "
                     "protested to demand the distribution of fuel.", "2020-04-29")  # fmt: skip
    assert m.location is not None and m.location.name == "Carora"


def test_events_acled_forces_firing_on_protesters_is_excessive_force() -> None:
    from sitroom.events.actors import Actor
    from sitroom.events.rules import on_protesters

    police = Actor("Police Forces of Iraq (2018-)", "state", "police")
    text = "Security forces opened fire on protesters in Baghdad, wounding five."
    assert on_protesters("Attack", police, "protesters", text) == (
        "Excessive force against protesters")
    # demonstrators who rioted: the forces answered a riot
    riot = "Protesters threw stones at police, who opened fire, wounding five protesters."
    assert on_protesters("Violent demonstration", police, "five protesters", riot) == (
        "Violent demonstration")
    # no lethal force, or no state: unchanged
    assert on_protesters("Attack", police, "protesters", "Police beat protesters.") == "Attack"
    gunmen = Actor("?armed", "generic", "gunmen")
    assert on_protesters("Attack", gunmen, "protesters", text) == "Attack"
    got = _happened("Security forces shot dead two protesters in Baghdad on Friday.",
                    "2020-05-02")  # fmt: skip
    assert got and got[0].sub_event_type == "Excessive force against protesters"


def test_events_acled_a_capital_alone_as_the_doer_is_its_state() -> None:
    from sitroom.events.actors import name_actor

    got = _happened("Moscow launched missile strikes on Kyiv on Monday, killing 3.", "2022-03-01")
    assert got and all(m.actor1.startswith("Military Forces of Russia") for m in got)
    assert all(m.location is not None and m.location.name == "Kyiv" for m in got)
    said = name_actor("Washington", [("Washington", "GPE")], [], "", "deploy")
    assert said is not None and said.name.startswith("Military Forces of the United States")
    # a capital inside a longer phrase is where, not who
    crowd = name_actor("residents of Moscow", [("Moscow", "GPE")], [], "RU", "protest")
    assert crowd is None or "Government" not in crowd.name


def test_events_acled_a_place_naming_an_office_is_not_where_it_happened() -> None:
    # "Eastern Region" only names someone's office: neither the place nor its context
    text = ("On 3 May 2020, the party vehicle of the UTM's Eastern Region Director of Women was "
            "torched by unknown people in Balaka (Balaka, Southern).")  # fmt: skip
    got = _happened(text, "2020-05-04")
    assert got and all(m.location is not None and m.location.name == "Balaka" for m in got)
    assert all(m.location.country_code == "MW" for m in got if m.location is not None)


def test_events_acled_doer_after_an_opening_chain_of_places() -> None:
    day = "2020-05-04"
    # the parse took a township of the chain for the subject: the forces before the verb
    got = _happened("On 29 April 2020, near Nat Taug village, Ponnagyun township, Sittwe "
                    "District, Rakhine State, Myanmar military and AA fought with small and "
                    "heavy weapons.", day)  # fmt: skip
    assert got and got[0].actor1.startswith("Military Forces of Myanmar")
    # a passive verb's subject is whom, not who; nor is a town a side
    got = _happened("On 2 May 2020, on the road that connects Iguala to Huitzuco, Guerrero, a "
                    "police officer from Huitzuco was attacked.", day)  # fmt: skip
    assert got and "Huitzuco" not in (got[0].actor1 or "")


def test_events_acled_first_side_of_a_fight_between_two() -> None:
    got = _happened("On 1 May 2020, an NPA militant was killed during a 30-minute firefight "
                    "between the NPA and the military in Tulunan, Cotabato.", "2020-05-04")  # fmt: skip
    assert got and got[0].actor1 == "NPA: New People's Army"


def test_events_acled_police_forces_are_the_police() -> None:
    from sitroom.events.actors import name_actor

    for phrase in ("police forces", "the civil police forces", "border police forces"):
        actor = name_actor(phrase, context_country="CM")
        assert actor is not None and actor.name.startswith("Police Forces of Cameroon"), phrase
    for phrase in ("government forces", "army forces", "military police forces"):
        actor = name_actor(phrase, context_country="CM")
        assert actor is not None and actor.name.startswith("Military Forces of Cameroon"), phrase


def test_events_acled_whose_strikes_a_passive_sentence_reports() -> None:
    (got,) = _happened("On 28 April 2020, Saudi-led coalition air raids were reported on Al "
                       "Jawf governorate in northern Yemen.", "2020-05-04")  # fmt: skip
    assert got.actor1 == "Operation Restoring Hope"
    (got,) = _happened("On 28 April 2020, air raids were reported on Al Jawf governorate in "
                       "northern Yemen.", "2020-05-04")  # fmt: skip
    assert got.actor1 == "?armed"


def test_events_acled_foreigners_who_protest_are_their_own_countrys_protesters() -> None:
    from sitroom.events.extract import _coded_actors

    text = "In Providencia, Chile, a group of 50 Peruvian citizens protested."
    got, _ = _coded_actors("Peaceful protest", None, None, "CL", text)
    assert got is not None and got.name == "Protesters (Peru)"
    got, _ = _coded_actors("Peaceful protest", None, None, "AF",
                           "Afghan workers protested in Kabul against Indian firms.")  # fmt: skip
    assert got is not None and got.name == "Protesters (Afghanistan)"


def test_events_acled_states_forces_under_their_initials() -> None:
    from sitroom.events.actors import name_actor

    for phrase, want in (("the FARDC", "Military Forces of the Democratic Republic of Congo"),
                         ("the RDF", "Military Forces of Rwanda"),
                         ("PNP officers", "Police Forces of the Philippines")):  # fmt: skip
        actor = name_actor(phrase, [(phrase.split()[-1], "ORG")])
        assert actor is not None and actor.name.startswith(want), phrase
    # ... in its own country's events only: "UPDF" in Bangladesh is a party's armed wing
    actor = name_actor("UPDF", [("UPDF", "ORG")], context_country="BD")
    assert actor is None or not actor.name.startswith("Military Forces of Uganda")
    actor = name_actor("the UPDF", [("UPDF", "ORG")], context_country="UG")
    assert actor is not None and actor.name.startswith("Military Forces of Uganda")
    # initials that stand for more than one body are no state's ("AFP" is a news agency too)
    actor = name_actor("AFP", [("AFP", "ORG")])
    assert actor is None or not actor.name.startswith("Military Forces")


def test_events_acled_an_event_off_the_place_named() -> None:
    from sitroom.events.where import SECTOR_KM, toward
    from sitroom.geo.gazetteer import distance_km

    (got,) = _happened("On 3 May 2020, regime forces shelled Kafr Oweid in the southern "
                       "countryside of Idleb, Syria.", "2020-05-04")  # fmt: skip
    loc = got.location
    assert loc is not None and loc.name == "Idlib" and loc.geo_precision == 2
    idlib = (35.93062, 36.63393)
    assert loc.latitude < idlib[0]  # south of the town
    assert abs(distance_km(loc.latitude, loc.longitude, *idlib) - SECTOR_KM) < 1
    # "7 km west of": that far that way; a place named plainly stays where it is
    town = dataclasses.replace(loc, latitude=12.6488, longitude=53.95443, geo_precision=1)
    moved = toward(town, "clashed in Qadub area, located 7km west of ")
    assert abs(distance_km(moved.latitude, moved.longitude, 12.6488, 53.95443) - 7) < 0.1
    assert moved.longitude < 53.95443
    assert toward(town, "clashed in ") is town


def test_events_acled_a_towns_namesake_in_the_storys_own_country() -> None:
    def protest(i: int, **kw: object) -> dict[str, object]:
        base = dict(id=i, article_id=f"a{i}", event_type="Protests",
                    sub_event_type="Peaceful protest", event_class="protest", fatalities=None,
                    event_date=f"2020-05-0{i}", date_text=f"{i} May 2020")  # fmt: skip
        return _mention(**{**base, **kw})

    beirut = dict(geonameid=276781, country_code="LB", admin1="Beirut", location="Beirut",
                  place_text="Beirut", actor1="Protesters (Lebanon)")  # fmt: skip
    sidon = dict(geonameid=268064, country_code="LB", admin1="South Governorate",
                 location="Sidon", place_text="Sidon", actor1="Protesters (Lebanon)")  # fmt: skip
    tripoli = dict(geonameid=2210247, country_code="LY", admin1="Tripoli", location="Tripoli",
                   place_text="Tripoli", actor1="Protesters (Libya)")  # fmt: skip
    events = merge_story("s1", [protest(1, **beirut), protest(2, **sidon),
                                protest(3, **beirut), protest(4, **tripoli)]).events  # fmt: skip
    moved = next(e for e in events if e["event_date"] == "2020-05-04")
    assert moved["country"] == "Lebanon" and moved["actor1"] == "Protesters (Lebanon)"
    # ... unless its sentence names the country it is in
    said = {**tripoli, "sentence": "Students demonstrated in Tripoli, Libya."}
    events = merge_story("s1", [protest(1, **beirut), protest(2, **sidon),
                                protest(3, **beirut), protest(4, **said)]).events  # fmt: skip
    assert next(e for e in events if e["event_date"] == "2020-05-04")["country"] == "Libya"
    # a story as much abroad as at home keeps each place where its text put it
    events = merge_story("s1", [protest(1, **beirut), protest(4, **tripoli),
                                protest(5, **tripoli)]).events  # fmt: skip
    assert {e["country"] for e in events} == {"Lebanon", "Libya"}


def test_events_acled_a_big_citys_name_qualified_by_another_region() -> None:
    (got,) = _happened("On 2 May 2020, in Benito Juarez, Nuevo Leon, a man was shot dead.",
                       "2020-05-04")  # fmt: skip
    assert got.location is not None and got.location.admin1 == "Nuevo León"
    # in a list, a city is itself
    got = _happened("On 2 May 2020, Taliban fighters attacked checkpoints in Kabul, Logar and "
                    "Wardak.", "2020-05-04")  # fmt: skip
    assert got and got[0].location is not None and got[0].location.admin1 == "Kābul"


def test_events_acled_a_town_placed_by_its_brackets_not_its_namesake() -> None:
    got = _happened("On 1 May 2020, unidentified gunmen clashed with communal militiamen in "
                    "Buruku (Chikun LGA, Kaduna) and killed 4 militiamen.", "2020-05-04")  # fmt: skip
    assert got and all(m.location is not None and m.location.admin1 == "Kaduna" for m in got)


def test_events_acled_who_fires_in_the_operation_the_paragraph_names() -> None:
    got = _happened("On 1 May 2020, in Niteroi, Rio de Janeiro, the Military Police carried out "
                    "an operation against drug trafficking in Morro do Palacio. A shoot-out "
                    "broke out and a suspect was shot dead.", "2020-05-04")  # fmt: skip
    assert got and all(m.actor1.startswith("Military Forces of Brazil") for m in got)
    # nobody named operating: the unnamed stay unnamed
    got = _happened("On 1 May 2020, in Niteroi, Rio de Janeiro, a shoot-out broke out and a "
                    "suspect was shot dead.", "2020-05-04")  # fmt: skip
    assert got and not got[0].actor1.startswith("Military Forces")


def test_events_acled_who_claims_an_attack_did_it() -> None:
    got = _happened("On 2 May 2020, Boko Haram/IS claimed to have killed 3 soldiers in an IED "
                    "attack near Buratai (Biu LGA, Borno).", "2020-05-04")  # fmt: skip
    assert got and got[0].actor1.startswith("Islamic State (West Africa) and/or Boko Haram")
    from sitroom.events.actors import name_actor

    either = name_actor("ISWAP or Boko Haram militants", context_country="NE")
    assert either is not None and either.name.startswith("Islamic State (West Africa) and/or")
