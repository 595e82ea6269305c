"""What the story clusterer reads of an article: text, keys, place and date."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np

import sitroom
from sitroom.cluster.features import (
    article_date,
    article_focus,
    article_keys,
    article_text,
    name_key,
)
from sitroom.embed import DIM, embedder
from sitroom.model import Article

BODY = (
    "KANDAHAR, Aug 13 (Frontier Wire) - The Taliban captured Kandahar on Friday, officials "
    "said, after Ashraf Ghani's government lost control of the city overnight. Fighters "
    "raised their flag over the governor's office in Kandahar, a resident told the BBC. "
    "In Kabul, the defence ministry said troops had withdrawn to the airport outside the "
    "city. Ghani met advisers in Kabul on Friday, his office said."
)


def _article(tmp_path: Path, title: str, body: str, **fields: str) -> Article:
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"title": title, "text": body, **fields}) + "\n", encoding="utf-8")
    stages = ("ingest", "clean", "metadata", "dedup", "nlp", "places", "times")
    found = [a for a in sitroom.extract([src], stages) if isinstance(a, Article)]
    assert len(found) == 1
    return found[0]


def test_name_keys() -> None:
    assert name_key("Ashraf Ghani", "PERSON") == name_key("Ghani", "PERSON") == "e:ghani"
    assert name_key("the Taliban's", "ORG") == "e:taliban"
    assert name_key("U.S.", "GPE") is None
    assert name_key("the", "ORG") is None
    assert name_key("NATO", "ORG") == "e:nato"


def test_keys_name_people_and_places_but_not_news_organisations(tmp_path: Path) -> None:
    a = _article(tmp_path, "Taliban take Kandahar", BODY, outlet="Frontier Wire",
                 published="2021-08-13")  # fmt: skip
    keys = article_keys(a)
    assert "e:ghani" in keys and "e:taliban" in keys
    assert "g:1138958" in keys  # Kabul
    assert not {"e:bbc", "e:frontier wire"} & keys
    assert article_date(a) == dt.date(2021, 8, 13)


def test_focus_is_the_town_the_headline_names_not_the_capital(tmp_path: Path) -> None:
    a = _article(tmp_path, "Taliban take Kandahar", BODY, published="2021-08-13")
    focus, sure = article_focus(a)
    assert "g:1138958" not in focus  # Kabul: a capital stands for the government as often
    assert any(k in focus for k in ("g:1138336", "g:1138335"))  # Kandahar (city, province)
    assert sure == 1.0
    b = _article(tmp_path, "Government loses a southern city", BODY, published="2021-08-13")
    assert article_focus(b)[1] == 0.5  # the place comes from the text only


def test_embedded_text_is_headline_and_lead_and_similar_reports_are_near(tmp_path: Path) -> None:
    a = _article(tmp_path, "Taliban take Kandahar", BODY, published="2021-08-13")
    text = article_text(a)
    assert text.startswith("Taliban take Kandahar.\n") and "captured Kandahar" in text
    vecs = embedder()([text, "Kandahar falls to the Taliban as government forces withdraw",
                       "Central bank raises interest rates to curb inflation"])  # fmt: skip
    assert vecs.shape == (3, DIM)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2] + 0.3


def test_vectors_are_the_same_whatever_the_batch() -> None:
    texts = ["Kandahar falls to the Taliban as government forces withdraw from the city",
             "Rates rise", "A much longer sentence about the central bank raising its "
             "interest rates again to curb inflation in the second quarter of the year"]  # fmt: skip
    one = np.stack([embedder()([t])[0] for t in texts])
    assert np.allclose(embedder()(texts, batch_size=2), one, atol=1e-5)
    assert np.allclose(embedder()(texts), one, atol=1e-5)
