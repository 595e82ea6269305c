"""The one writer: every row the pipeline produces lands here, one transaction per batch.

A batch is either fully in or not at all, so a run killed mid-way re-runs cleanly: the articles
of committed batches are recognised by id and skipped, the rest are processed again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import sqlite3
from collections.abc import Sequence
from typing import Any

from sitroom.errors import InputError, StageFailure, StoreError
from sitroom.model import Article, Batch
from sitroom.store.store import Store

__all__ = ["Writer"]

_QUOTE_COLUMNS = (
    "quote", "kind", "quote_start", "quote_end", "sentence_start", "sentence_end", "speaker",
    "speaker_text", "speaker_start", "speaker_end", "role", "affiliation", "anonymous", "cue",
    "addressee", "place", "resolved_from", "role_in_text",
)  # fmt: skip
_EVENT_COLUMNS = (
    "event_id", "story_id", "event_date", "year", "time_precision", "event_type",
    "sub_event_type", "event_class", "actor1", "assoc_actor_1", "actor2", "assoc_actor_2",
    "iso", "country", "admin1", "admin2", "location", "latitude", "longitude", "geo_precision",
    "geonameid", "source", "source_scale", "notes", "fatalities", "outlets",
    "independent_sources", "mentions",
)  # fmt: skip
_CONTROL_COLUMNS = (
    "story_id", "place", "geonameid", "site", "latitude", "longitude", "admin1", "country",
    "controller", "since", "until", "as_of", "kind", "partial", "event_id", "sources",
)  # fmt: skip


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Writer:
    """Writes runs, batches of articles (with every stage's output) and input failures."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db
        self.run_id: int | None = None  # the run being written

    def start_run(self, inputs: Sequence[str], options: dict[str, Any]) -> int:
        """Record a new run. Runs still marked running were killed (the caller holds the
        store's run lock, so none is alive): they are marked interrupted."""
        with self._tx():
            self.db.execute(
                "UPDATE runs SET status = 'interrupted', finished = ? WHERE status = 'running'",
                (_now(),),
            )
            cur = self.db.execute(
                "INSERT INTO runs (started, inputs, options, pid) VALUES (?, ?, ?, ?)",
                (_now(), json.dumps(list(inputs)), json.dumps(options, default=str),
                 os.getpid()),
            )  # fmt: skip
        self.run_id = int(cur.lastrowid or 0)
        return self.run_id

    def finish_run(
        self, run_id: int, added: int, skipped: int, failed: int, status: str, errors: int = 0
    ) -> None:
        with self._tx():
            self.db.execute(
                "UPDATE runs SET finished = ?, added = ?, skipped = ?, failed = ?, status = ?, "
                "stage_errors = ? WHERE id = ?",
                (_now(), added, skipped, failed, status, errors, run_id),
            )

    def write_batch(self, batch: Batch, run_id: int) -> int:
        """Insert the batch's articles and failures in one transaction; the number added."""
        added = 0
        with self._tx():
            stored = []
            for a in batch.articles:
                if self._article(a, run_id):
                    added += 1
                    stored.append(a)
            if batch.stories:
                self._stories(batch.stories, stored, run_id)
                self._enqueue_articles([a.id for a in stored])
            for err in batch.failures:
                self._failure(err, run_id)
            for fault in batch.stage_errors:
                self.stage_error(fault, run_id)
        return added

    def stage_error(self, f: StageFailure, run_id: int | None) -> None:
        """Record one stage fault (inside the caller's transaction)."""
        self.db.execute(
            "INSERT INTO stage_errors (run_id, stage, article_id, key, path, locator, kept, "
            "error, message, trace, attempt, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (run_id, f.stage, f.article_id or None, f.key or None, f.path or None,
             f.locator or None, int(f.kept), f.error, f.message, f.trace, f.attempts, _now()),
        )  # fmt: skip

    def unit_failed(self, stage: str, key: str, f: StageFailure, run_id: int | None) -> int:
        """A story or topic stage raised on ``key``: count the attempt, keep the error; the
        number of attempts made so far. One transaction."""
        with self._tx():
            self.db.execute(
                "INSERT INTO queue (stage, key, attempts, last_error) VALUES (?, ?, 1, ?) "
                "ON CONFLICT (stage, key) DO UPDATE SET attempts = attempts + 1, "
                "last_error = excluded.last_error",
                (stage, key, f"{f.error}: {f.message}"[:500]),
            )
            row = self.db.execute(
                "SELECT attempts FROM queue WHERE stage = ? AND key = ?", (stage, key)
            ).fetchone()
            f.attempts = int(row[0])
            self.stage_error(f, run_id)
        return f.attempts

    def enqueue(self, stage: str, keys: Sequence[str]) -> None:
        """Queue ``keys`` for the story or topic stage ``stage`` (inside a transaction); a
        key queued again starts its attempts afresh (there is new work)."""
        self.db.executemany(
            "INSERT INTO queue (stage, key) VALUES (?, ?) ON CONFLICT (stage, key) DO UPDATE "
            "SET attempts = 0, last_error = NULL",
            [(stage, k) for k in keys],
        )

    def dequeue(self, stage: str, keys: Sequence[str]) -> None:
        self.db.executemany(
            "DELETE FROM queue WHERE stage = ? AND key = ?", [(stage, k) for k in keys]
        )

    def _stories(self, changes: Any, stored: list[Article], run_id: int) -> None:
        """Upsert the changed stories and topics, place the articles, apply the merges."""
        for kind, table in (("topic", "topics"), ("story", "stories")):
            rows = changes.clusters.get(kind, [])
            if not rows:
                continue
            cols = ["id", "key", "label", "n", "sources", "first", "last", "outlets", "keys",
                    "focus", "vec_sum", "label_vec", "merged_into"]  # fmt: skip
            if kind == "story":
                cols.append("topic_id")
                rows = [{**r, "topic_id": r["parent"]} for r in rows]
            update = ", ".join(f"{c} = excluded.{c}" for c in cols[1:])
            self.db.executemany(
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES "
                f"({', '.join(':' + c for c in cols)}) ON CONFLICT (id) DO UPDATE SET {update}",
                rows,
            )
        self.db.executemany(
            "INSERT INTO story_articles (article_id, story_id, topic_id, assigned_story, how, "
            "score) VALUES (?, ?, ?, ?, ?, ?)",
            [(a.id, s.story_id, s.topic_id, s.story_id, s.how, s.score)
             for a in stored if (s := a.story) is not None],
        )  # fmt: skip
        for kind, merged, into, sim in changes.merges:
            self.db.execute(
                "INSERT INTO cluster_merges (kind, merged, into_id, similarity, run_id) "
                "VALUES (?, ?, ?, ?, ?)",
                (kind, merged, into, sim, run_id),
            )
            if kind == "story":
                self.db.execute(
                    "UPDATE story_articles SET story_id = ?, topic_id = (SELECT topic_id "
                    "FROM stories WHERE id = ?) WHERE story_id = ?",
                    (into, into, merged),
                )
            else:
                self.db.execute(
                    "UPDATE stories SET topic_id = ? WHERE topic_id = ?", (into, merged)
                )
                self._merge_topic_claims(merged, into)
                self.enqueue("topic_claims", [into])
                self.db.execute(
                    "UPDATE story_articles SET topic_id = ? WHERE topic_id = ?", (into, merged)
                )
        self.db.execute(
            "UPDATE state SET value = CAST(value AS INTEGER) + 1 WHERE key = 'stories.version'"
        )

    def _merge_topic_claims(self, merged: str, into: str) -> None:
        """Topic ``merged`` joins ``into``: its claim units and claims become ``into``'s,
        and the units of the smaller of the two are queued to be compared with the other's
        (``claims_rejoin``; ``claims.online.extend``), so a merge costs what the smaller
        topic holds, not the two topics aligned again from scratch."""
        db = self.db

        def units(topic: str) -> list[int]:
            return [r[0] for r in db.execute(
                "SELECT id FROM claim_units WHERE topic_id = ?", (topic,))]  # fmt: skip

        ours, theirs = units(merged), units(into)
        rejoin = set(ours if len(ours) <= len(theirs) else theirs)
        # the same sentence on both sides is one unit, ``into``'s: its mentions move there,
        # and the claims of both copies are looked at again
        for mid, iid, old_claim in db.execute(
            "SELECT m.id, i.id, m.claim_id FROM claim_units m JOIN claim_units i ON "
            "i.topic_id = ? AND i.hash = m.hash WHERE m.topic_id = ?",
            (into, merged),
        ).fetchall():
            db.execute("UPDATE claim_mentions SET unit_id = ? WHERE unit_id = ?", (iid, mid))
            db.execute("DELETE FROM claim_units WHERE id = ?", (mid,))
            rejoin.discard(mid)
            rejoin.add(iid)
            if old_claim:
                rejoin.update(r[0] for r in db.execute(
                    "SELECT id FROM claim_units WHERE claim_id = ?", (old_claim,)))  # fmt: skip
        db.execute("UPDATE claim_units SET topic_id = ? WHERE topic_id = ?", (into, merged))
        db.execute("UPDATE claims SET topic_id = ? WHERE topic_id = ?", (into, merged))
        db.executemany(
            "INSERT OR IGNORE INTO claims_rejoin (topic_id, unit_id) VALUES (?, ?)",
            [(into, u) for u in sorted(rejoin)],
        )
        db.execute(
            "INSERT OR IGNORE INTO claims_rejoin (topic_id, unit_id) SELECT ?, unit_id FROM "
            "claims_rejoin WHERE topic_id = ?", (into, merged),
        )  # fmt: skip
        db.execute("DELETE FROM claims_rejoin WHERE topic_id = ?", (merged,))
        if db.execute("SELECT 1 FROM claims_realign WHERE topic_id = ?", (merged,)).fetchone():
            db.execute("INSERT OR IGNORE INTO claims_realign (topic_id) VALUES (?)", (into,))
            db.execute("DELETE FROM claims_realign WHERE topic_id = ?", (merged,))

    def _article(self, a: Article, run_id: int) -> bool:
        cur = self.db.execute(
            "INSERT INTO articles (id, path, locator, input_kind, raw, raw_format, "
            "fields, html_meta, url, title, title_source, outlet, outlet_source, origin, "
            "published, date_source, language, text, clean_text, offsets, extractor, run_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO NOTHING",  # only a repeated id is skipped; other faults raise
            (
                a.id, a.path, a.locator, a.input_kind, a.raw, a.raw_format,
                json.dumps(a.fields, default=str, ensure_ascii=False),
                json.dumps(a.html_meta, ensure_ascii=False), a.url, a.title, a.title_source,
                a.outlet, a.outlet_source, a.origin, a.published, a.date_source, a.language,
                a.text, a.clean_text, json.dumps(a.offsets.to_list()), a.extractor, run_id,
            ),
        )  # fmt: skip
        if cur.rowcount == 0:
            return False  # already stored (same content id)
        self.db.executemany(
            "INSERT INTO removed_spans (article_id, start, end, reason, text) "
            "VALUES (?, ?, ?, ?, ?)",
            [(a.id, r.start, r.end, r.reason, r.text) for r in a.removed],
        )
        if a.places:
            self.db.executemany(
                "INSERT INTO place_mentions (article_id, start, end, text, geonameid, name, "
                "latitude, longitude, country_code, admin1, admin2, admin1_id, feature, "
                "geo_precision, score, role, source, fallback) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                [(a.id, p.start, p.end, p.text, p.geonameid, p.name, p.latitude, p.longitude,
                  p.country_code, p.admin1, p.admin2, p.admin1_id, p.feature, p.geo_precision,
                  p.score, p.role, p.source, int(p.fallback)) for p in a.places],
            )  # fmt: skip
        if a.times:
            self.db.executemany(
                "INSERT INTO time_mentions (article_id, start, end, text, type, value, "
                "time_precision, role, mod, anchor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                [(a.id, t.start, t.end, t.text, t.type, t.value, t.time_precision, t.role,
                  t.mod, t.anchor) for t in a.times],
            )  # fmt: skip
        if a.events or a.controls:
            self._event_mentions(a)
        if a.quotes:
            self._quotes(a)
        if a.claims:
            from sitroom.claims.serial import to_json

            self.db.executemany(
                "INSERT INTO claim_mentions (article_id, idx, kind, text, sentence_start, "
                "sentence_end, data, vec) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [(a.id, i, c.kind, c.text, c.sentence_start, c.sentence_end, to_json(c),
                  a.claim_vectors[i] if i < len(a.claim_vectors) else None)
                 for i, c in enumerate(a.claims)],
            )  # fmt: skip
        d = a.dedup
        if d is not None:
            self.db.execute(
                "INSERT INTO copy_groups (article_id, copy_group, kind, of, score) "
                "VALUES (?, ?, ?, ?, ?)",
                (a.id, d.copy_group, d.kind, d.of, d.score),
            )
            self.db.execute(
                "INSERT INTO minhashes (article_id, text_hash, n_shingles, signature) "
                "VALUES (?, ?, ?, ?)",
                (a.id, d.text_hash, d.n_shingles, d.signature),
            )
            self.db.executemany(
                "INSERT INTO minhash_bands (key, article_id) VALUES (?, ?)",
                [(k, a.id) for k in d.band_keys],
            )
        return True

    def _event_mentions(self, a: Article) -> None:
        def place(p: Any, text: str | None) -> tuple[Any, ...]:
            if p is None:
                return (None, text, None, None, None, None, None, None, None)
            return (p.geonameid, text, p.name, p.latitude, p.longitude, p.country_code,
                    p.admin1, p.admin2, p.geo_precision)  # fmt: skip

        self.db.executemany(
            "INSERT INTO event_mentions (article_id, idx, event_type, sub_event_type, "
            "event_class, trigger, trigger_start, trigger_end, sentence_start, sentence_end, "
            "sentence, actor1, actor1_kind, actor1_text, actor2, actor2_text, target_text, "
            "geonameid, place_text, location, latitude, longitude, country_code, admin1, "
            "admin2, geo_precision, event_date, time_precision, date_text, fatalities, "
            "modality, salience, role) VALUES (" + ", ".join("?" * 33) + ") "
            "ON CONFLICT DO NOTHING",
            [(a.id, i, m.event_type, m.sub_event_type, m.event_class, m.trigger,
              m.trigger_start, m.trigger_end, m.sentence_start, m.sentence_end, m.sentence,
              m.actor1, m.actor1_kind, m.actor1_text, m.actor2, m.actor2_text, m.target_text,
              *place(m.location, m.place_text), m.event_date, m.time_precision, m.date_text,
              m.fatalities, m.modality, m.salience, m.role)
             for i, m in enumerate(a.events)],
        )  # fmt: skip
        self.db.executemany(
            "INSERT INTO control_mentions (article_id, idx, geonameid, place_text, location, "
            "latitude, longitude, country_code, admin1, admin2, geo_precision, site, holder, "
            "holder_text, sentence_start, sentence_end, sentence, date) VALUES ("
            + ", ".join("?" * 18) + ") ON CONFLICT DO NOTHING",
            [(a.id, i, *place(c.location, c.place_text), c.site, c.holder, c.holder_text,
              c.sentence_start, c.sentence_end, c.sentence, c.date)
             for i, c in enumerate(a.controls)],
        )  # fmt: skip

    def _quotes(self, a: Article) -> None:
        self.db.executemany(
            "INSERT INTO quotes (article_id, idx, " + ", ".join(_QUOTE_COLUMNS) + ") VALUES ("
            + ", ".join("?" * (len(_QUOTE_COLUMNS) + 2)) + ") ON CONFLICT DO NOTHING",
            [(a.id, i, *(getattr(q, c) for c in _QUOTE_COLUMNS)) for i, q in enumerate(a.quotes)],
        )  # fmt: skip

    def _enqueue_articles(self, article_ids: Sequence[str]) -> None:
        """Queue the stories and topics of these articles for the story and topic stages
        (same transaction)."""
        for i in range(0, len(article_ids), 500):
            chunk = list(article_ids[i : i + 500])
            marks = ", ".join("?" * len(chunk))
            stories = [r[0] for r in self.db.execute(
                f"SELECT DISTINCT story_id FROM story_articles WHERE article_id IN ({marks})",
                chunk)]  # fmt: skip
            topics = [r[0] for r in self.db.execute(
                "SELECT DISTINCT s.topic_id FROM story_articles sa JOIN stories s ON "
                f"s.id = sa.story_id WHERE sa.article_id IN ({marks})", chunk)]  # fmt: skip
            self.enqueue("story_events", stories)
            self.enqueue("topic_claims", topics)

    def write_briefs(self, briefs: Sequence[tuple[str, str, dict[str, Any]]]) -> None:
        """Replace the stored brief of each (story id, topic id, brief) in one transaction;
        briefs of stories merged into others go."""
        made = _now()
        with self._tx():
            self.db.execute(
                "DELETE FROM briefs WHERE story_id IN "
                "(SELECT id FROM stories WHERE merged_into IS NOT NULL)"
            )
            self.db.executemany(
                "INSERT OR REPLACE INTO briefs (story_id, topic_id, made, data) "
                "VALUES (?, ?, ?, ?)",
                [(sid, tid, made, json.dumps(b, ensure_ascii=False)) for sid, tid, b in briefs],
            )
            self.dequeue("brief", [sid for sid, _, _ in briefs])

    def drop_briefs(self, story_ids: Sequence[str]) -> None:
        """Forget the briefs of stories that are no longer live (merged away); dequeue them."""
        with self._tx():
            self.db.executemany("DELETE FROM briefs WHERE story_id = ?", [(s,) for s in story_ids])
            self.dequeue("brief", story_ids)

    def write_topic_update(self, up: Any, run_id: int | None = None) -> None:
        """Write one topic's claim alignment (``sitroom.claims.online.TopicUpdate``): its
        units, which unit each aligned mention is, the claims it replaces, the merges; take
        the topic off the queue and queue the briefs of the stories whose claims changed.
        One transaction."""
        t = up.topic_id
        with self._tx():
            self.db.execute("DELETE FROM claims_rejoin WHERE topic_id = ?", (t,))
            if getattr(up, "minilm", None):  # MiniLM's vectors of close calls, for later runs
                self.db.executemany(
                    "INSERT OR IGNORE INTO minilm_vectors (hash, vec) VALUES (?, ?)",
                    list(up.minilm.items()),
                )
            if up.realigned:  # the topic's units and claims (and its merged topics') anew
                merged = [t, *(r[0] for r in self.db.execute(
                    "SELECT id FROM topics WHERE merged_into = ?", (t,)))]  # fmt: skip
                marks = ",".join("?" * len(merged))
                self.db.execute(
                    "UPDATE claim_mentions SET unit_id = NULL WHERE unit_id IN "
                    f"(SELECT id FROM claim_units WHERE topic_id IN ({marks}))",
                    merged,
                )
                self.db.execute(f"DELETE FROM claim_units WHERE topic_id IN ({marks})", merged)
                for u in up.units:
                    u.id = None
            for u in up.units:
                if u.id is None:
                    u.id = int(self.db.execute(
                        "INSERT INTO claim_units (topic_id, hash, text, vec, data, claim_id) "
                        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (topic_id, hash) DO UPDATE SET "
                        "claim_id = excluded.claim_id RETURNING id",
                        (t, u.hash, u.text, u.vec.astype("float32").tobytes(), u.data,
                         u.claim_id)).fetchone()[0])  # fmt: skip
                else:
                    self.db.execute(
                        "UPDATE claim_units SET claim_id = ? WHERE id = ?", (u.claim_id, u.id)
                    )
            unit_id = {u.hash: u.id for u in up.units}
            self.db.executemany(
                "UPDATE claim_mentions SET unit_id = ? WHERE id = ?",
                [(unit_id[h], mid) for mid, h in up.mention_units],
            )
            self.db.executemany(
                "UPDATE claim_mentions SET vec = ? WHERE id = ?",
                [(v, k) for k, v in up.vectors.items()],
            )
            gone = list(up.removed) + [g.claim_id for g, _, _, _ in up.groups]
            for cid in gone:
                self.db.execute("DELETE FROM claim_sources WHERE claim_id = ?", (cid,))
                self.db.execute("DELETE FROM claims WHERE claim_id = ?", (cid,))
            for g, story_id, rep, members in up.groups:
                self._claim(t, g, story_id, members, unit_id.get(rep))
            self.db.executemany(
                "INSERT INTO claim_merges (topic_id, merged, into_id, run_id) VALUES (?, ?, ?, ?)",
                [(t, old, new, run_id or self.run_id) for old, new in up.merges],
            )
            self.db.execute("DELETE FROM claims_realign WHERE topic_id = ?", (t,))
            self.dequeue("topic_claims", [t])
            stories = sorted(up.stories)
            for i in range(0, len(stories), 500):
                chunk = stories[i : i + 500]
                self.enqueue("brief", [r[0] for r in self.db.execute(
                    f"SELECT id FROM stories WHERE id IN ({','.join('?' * len(chunk))}) "
                    "AND merged_into IS NULL", chunk)])  # fmt: skip

    def mark_realign(self, topic_ids: Sequence[str]) -> None:
        """Have these topics' claims aligned from scratch by the next run (ids kept)."""
        with self._tx():
            self.db.executemany(
                "INSERT OR IGNORE INTO claims_realign (topic_id) VALUES (?)",
                [(t,) for t in topic_ids],
            )
            self.enqueue("topic_claims", topic_ids)

    def _claim(
        self, topic_id: str, g: Any, story_id: str, members: list[int], rep_unit: int | None
    ) -> None:
        side_of = {m: k for k, side in enumerate(g.sides) for m in side.members}
        self.db.execute(
            "INSERT OR REPLACE INTO claims (claim_id, topic_id, story_id, text, kind, status, "
            "dimension, outlets, independent_sources, sides, conflicts_with, mentions, "
            "rep_unit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (g.claim_id, topic_id, story_id, g.text, g.kind, g.status, g.dimension,
             json.dumps(g.outlets, ensure_ascii=False), g.independent_sources,
             json.dumps([{k: v for k, v in dataclasses.asdict(side).items() if k != "members"}
                         for side in g.sides], ensure_ascii=False),
             json.dumps(g.conflicts_with), len(g.members), rep_unit),
        )  # fmt: skip
        self.db.executemany(
            "INSERT INTO claim_sources (claim_id, mention_id, article_id, outlet, source, side, "
            'sentence, start, "end") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
            [(g.claim_id, mid, m.article_id, m.outlet, m.source, side_of.get(k), m.claim.text,
              m.claim.sentence_start, m.claim.sentence_end)
             for k, (m, mid) in enumerate(zip(g.members, members, strict=True))],
        )  # fmt: skip

    def write_story_events(self, results: dict[str, Any]) -> None:
        """Replace the events and control of each story in ``results`` and clear its dirty
        mark; stories merged into others lose theirs. One transaction."""
        with self._tx():
            self._clear(
                [
                    r[0]
                    for r in self.db.execute(
                        "SELECT id FROM stories WHERE merged_into IS NOT NULL AND id IN "
                        "(SELECT DISTINCT story_id FROM events UNION SELECT DISTINCT story_id "
                        "FROM control)"
                    )
                ]
            )
            self._clear(list(results))
            for story_id, res in results.items():
                if res.events:
                    cols = list(_EVENT_COLUMNS)
                    self.db.executemany(
                        f"INSERT OR REPLACE INTO events ({', '.join(cols)}) VALUES "
                        f"({', '.join(':' + c for c in cols)})",
                        [{**e, "outlets": json.dumps(e["outlets"], ensure_ascii=False)}
                         for e in res.events],
                    )  # fmt: skip
                    self.db.executemany(
                        "INSERT INTO event_sources (event_id, mention_id, article_id, outlet, "
                        'sentence, start, "end") VALUES (:event_id, :mention_id, :article_id, '
                        ":outlet, :sentence, :start, :end)",
                        res.sources,
                    )
                if res.control:
                    cols = list(_CONTROL_COLUMNS)
                    self.db.executemany(
                        f"INSERT INTO control ({', '.join(cols)}) VALUES "
                        f"({', '.join(':' + c for c in cols)})",
                        res.control,
                    )
                self.dequeue("story_events", [story_id])
                self.enqueue("brief", [r[0] for r in self.db.execute(
                    "SELECT id FROM stories WHERE id = ? AND merged_into IS NULL",
                    (story_id,))])  # fmt: skip

    def _clear(self, story_ids: list[str]) -> None:
        for sid in story_ids:
            self.db.execute(
                "DELETE FROM event_sources WHERE event_id IN (SELECT event_id FROM events "
                "WHERE story_id = ?)",
                (sid,),
            )
            self.db.execute("DELETE FROM events WHERE story_id = ?", (sid,))
            self.db.execute("DELETE FROM control WHERE story_id = ?", (sid,))

    def _failure(self, err: Any, run_id: int) -> None:
        if isinstance(err, InputError):
            row = (run_id, err.path, err.locator, err.kind, err.reason)
        else:
            row = (run_id, "?", "", type(err).__name__, str(err))
        self.db.execute(
            "INSERT INTO ingest_errors (run_id, path, locator, kind, reason) "
            "VALUES (?, ?, ?, ?, ?)",
            row,
        )

    def _tx(self) -> _Transaction:
        return _Transaction(self.db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot write to the store ({exc})") from None

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            try:
                self.db.execute("COMMIT")
            except sqlite3.DatabaseError as e:
                self.db.execute("ROLLBACK")
                raise StoreError(f"cannot write to the store ({e})") from None
        else:
            self.db.execute("ROLLBACK")
