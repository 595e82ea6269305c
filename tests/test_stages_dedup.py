"""Stage ``dedup``: wire reprints and near-duplicates form one copy group, across batches; the
signatures are a map, the matching a keyed step in the run's order (earliest first)."""

from __future__ import annotations

from pathlib import Path

from sitroom.model import Article, Batch
from sitroom.options import Options
from sitroom.stages import Resources
from sitroom.stages.dedup import dedup, match_copies, shingles, signature
from sitroom.store import Store, Writer

WIRE = " ".join(
    f"Sentence {i} of the wire story says the convoy reached the valley town at dawn "
    f"and unloaded {i * 7} tonnes of grain for the families there."
    for i in range(1, 13)
)
OTHER = " ".join(
    f"Paragraph {i} of an unrelated report covers the football final, where the home "
    f"side scored {i} goals before a crowd of {i * 1000} fans."
    for i in range(1, 13)
)


def _art(i: str, text: str) -> Article:
    return Article(path=f"{i}.txt", id=i, raw=text, text=text, clean_text=text)


def _dedup(arts: list[Article], store: Store) -> list[Article]:
    res, opts = Resources(archive=store), Options()
    return match_copies(dedup(Batch(articles=arts), res, opts), res, opts).articles


def test_dedup_exact_near_and_unrelated(tmp_path: Path) -> None:
    trimmed = WIRE.rsplit(" Sentence 11", 1)[0]  # a reprint that drops the last paragraphs
    edited = WIRE.replace("convoy reached", "trucks arrived in").replace("grain", "wheat", 2)
    with Store(tmp_path / "d.db") as store:
        a, b, c, d, e = _dedup(
            [
                _art("a", WIRE),
                _art("b", WIRE),
                _art("c", trimmed),
                _art("d", edited),
                _art("e", OTHER),
            ],
            store,
        )
    assert a.dedup and b.dedup and c.dedup and d.dedup and e.dedup
    assert (a.dedup.kind, a.dedup.copy_group) == ("first", "a")
    assert (b.dedup.kind, b.dedup.copy_group, b.dedup.of) == ("exact", "a", "a")
    assert (c.dedup.kind, c.dedup.copy_group) == ("near", "a")
    assert (d.dedup.kind, d.dedup.copy_group) == ("near", "a")
    assert (e.dedup.kind, e.dedup.copy_group) == ("first", "e")


def test_dedup_finds_copies_stored_by_earlier_batches(tmp_path: Path) -> None:
    with Store(tmp_path / "d.db") as store:
        writer = Writer(store)
        run = writer.start_run(["x"], {})
        first = _dedup([_art("a", WIRE)], store)
        first[0].text = first[0].raw
        writer.write_batch(Batch(articles=first), run)
        later = _dedup([_art("z", WIRE.replace("dawn", "noon", 3))], store)
    assert later[0].dedup is not None
    assert (later[0].dedup.kind, later[0].dedup.copy_group) == ("near", "a")


def test_dedup_signature_estimates_jaccard() -> None:
    s1, s2 = shingles(WIRE, 5), shingles(WIRE.replace("grain", "rice"), 5)
    true_j = len(s1 & s2) / len(s1 | s2)
    est = float((signature(s1, 256) == signature(s2, 256)).mean())
    assert abs(est - true_j) < 0.12


def test_dedup_map_is_per_article_and_the_earliest_copy_wins(tmp_path: Path) -> None:
    import json

    import sitroom

    alone = dedup(Batch(articles=[_art("z", WIRE)]), Resources(archive=None),  # type: ignore[arg-type]
                  Options()).articles[0]  # fmt: skip
    assert alone.dedup and (alone.dedup.kind, alone.dedup.copy_group) == ("first", "z")
    lines = [
        {"title": "Later", "outlet": "B", "published": "2024-05-07", "text": WIRE},
        {"title": "Earlier", "outlet": "A", "published": "2024-05-06", "text": WIRE},
        {"title": "Other", "outlet": "C", "published": "2024-05-05", "text": OTHER},
    ]
    groups = []
    for order in (lines, lines[::-1]):
        for size in (1, 50):
            src = tmp_path / f"in-{size}-{order[0]['title']}.jsonl"
            src.write_text("\n".join(json.dumps(x) for x in order), encoding="utf-8")
            db = src.with_suffix(".db")
            sitroom.run([src], db=db, stages=["ingest", "clean", "metadata", "dedup"],
                        batch_size=size, workers=1)  # fmt: skip
            with Store(db) as store:
                rows = list(store.articles())
            title = {r["id"]: r["title"] for r in rows}
            groups.append({r["title"]: (r["copy_kind"], title[r["copy_group"]]) for r in rows})
    assert all(g == groups[0] for g in groups)
    assert groups[0] == {"Earlier": ("first", "Earlier"), "Later": ("exact", "Earlier"),
                         "Other": ("first", "Other")}  # fmt: skip
