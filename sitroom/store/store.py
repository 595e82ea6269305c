"""The SQLite store: opening, migrating, and the read side (queries and the archive view)."""

from __future__ import annotations

import json
import sqlite3
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sitroom.errors import StoreError
from sitroom.store.migrations import migrate

__all__ = ["Store"]

_CHUNK = 500  # SQLite host parameters per IN (...) query
_OPEN_WAIT = 120.0  # seconds opening a store keeps trying while another process holds it


class Store:
    """One SQLite file. Reads here; every write goes through :class:`sitroom.store.Writer`."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        deadline = time.monotonic() + _OPEN_WAIT
        try:
            self.db = sqlite3.connect(str(self.path), isolation_level=None, timeout=30)
            self.db.row_factory = sqlite3.Row
            while True:
                # SQLite can answer "database is locked" at once, without waiting, while
                # another process switches or checkpoints its journal: try again for a while
                try:
                    self.db.execute("PRAGMA journal_mode=WAL")
                    self.db.execute("PRAGMA synchronous=NORMAL")
                    self.db.execute("PRAGMA foreign_keys=ON")
                    self.migrations_applied = migrate(self.db)
                    break
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) or time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot open store ({exc})") from None

    @classmethod
    def open_existing(cls, path: str | Path) -> Store:
        """Open a store that must already exist (the read commands)."""
        p = Path(path)
        if not p.is_file():
            raise StoreError(f"{path}: no such store (run `sitroom run ... --db {path}` first)")
        try:
            with p.open("rb") as fh:
                head = fh.read(16)
        except OSError as exc:
            raise StoreError(f"{path}: cannot read the store ({exc.strerror})") from None
        if head != b"SQLite format 3\x00":
            what = "an empty file" if not head else "not an SQLite file"
            raise StoreError(f"{path}: not a sitroom store ({what})")
        try:  # read-only: what is not a store is never written to
            con = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True)
            try:
                ours = con.execute(
                    "SELECT count(*) FROM sqlite_master WHERE name = 'migrations'"
                ).fetchone()[0]
            finally:
                con.close()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: not a sitroom store ({exc})") from None
        if not ours:
            raise StoreError(f"{path}: not a sitroom store (no sitroom tables)")
        return cls(path)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- queries ---------------------------------------------------------------------------

    def count_articles(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def count_stories(self) -> tuple[int, int]:
        """Live stories and topics."""
        row = self.db.execute(
            "SELECT (SELECT count(*) FROM stories WHERE merged_into IS NULL), "
            "(SELECT count(*) FROM topics WHERE merged_into IS NULL)"
        ).fetchone()
        return int(row[0]), int(row[1])

    def articles(self, with_text: bool = True) -> Iterator[dict[str, Any]]:
        """Every article in arrival order, with its copy group and removed spans."""
        cols = (
            "a.*"
            if with_text
            else (
                "a.id, a.path, a.locator, a.input_kind, a.url, a.title, a.title_source, a.outlet, "
                "a.outlet_source, a.origin, a.published, a.date_source, a.language, a.extractor, "
                "length(a.clean_text) AS clean_chars"
            )
        )
        sql = (
            f"SELECT {cols}, g.copy_group, g.kind AS copy_kind, g.of AS copy_of, "
            "g.score AS copy_score, (SELECT count(*) FROM copy_groups h "
            "WHERE h.copy_group = g.copy_group) AS copies, sa.story_id, sa.topic_id "
            "FROM articles a LEFT JOIN copy_groups g ON g.article_id = a.id "
            "LEFT JOIN story_articles sa ON sa.article_id = a.id ORDER BY a.rowid"
        )
        for row in self.db.execute(sql):
            yield self._row(row, with_text)

    def article(self, article_id: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT a.*, g.copy_group, g.kind AS copy_kind, g.of AS copy_of, g.score AS "
            "copy_score, (SELECT count(*) FROM copy_groups h WHERE h.copy_group = "
            "g.copy_group) AS copies, sa.story_id, sa.topic_id FROM articles a LEFT JOIN "
            "copy_groups g ON g.article_id = a.id LEFT JOIN story_articles sa ON "
            "sa.article_id = a.id WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        return self._row(row, True) if row else None

    def _row(self, row: sqlite3.Row, with_text: bool) -> dict[str, Any]:
        d = dict(row)
        for key in ("fields", "html_meta", "offsets"):
            if key in d:
                d[key] = json.loads(d[key])
        if with_text:
            d["removed"] = self.removed_spans(d["id"])
        return d

    def removed_spans(self, article_id: str) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT start, end, reason, text FROM removed_spans WHERE article_id = ? "
            "ORDER BY start",
            (article_id,),
        )
        return [dict(r) for r in rows]

    def errors(self, run_id: int | None = None) -> list[dict[str, Any]]:
        sql = "SELECT * FROM ingest_errors"
        args: tuple[Any, ...] = ()
        if run_id is not None:
            sql += " WHERE run_id = ?"
            args = (run_id,)
        return [dict(r) for r in self.db.execute(sql + " ORDER BY id", args)]

    def runs(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.execute("SELECT * FROM runs ORDER BY id")]

    def place_mentions(self, article_id: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT * FROM place_mentions"
        args: tuple[Any, ...] = ()
        if article_id is not None:
            sql += " WHERE article_id = ?"
            args = (article_id,)
        return [dict(r) for r in self.db.execute(sql + " ORDER BY article_id, start", args)]

    def time_mentions(self, article_id: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT * FROM time_mentions"
        args: tuple[Any, ...] = ()
        if article_id is not None:
            sql += " WHERE article_id = ?"
            args = (article_id,)
        return [dict(r) for r in self.db.execute(sql + " ORDER BY article_id, start", args)]

    def stories(
        self, topic_id: str | None = None, story_id: str | None = None
    ) -> list[dict[str, Any]]:
        """Live stories (of one topic, or the one story asked for), latest first: label,
        span, counts, outlets, topic and its label."""
        sql = (
            "SELECT s.id AS story_id, s.label, s.topic_id, t.label AS topic_label, s.n AS "
            "articles, s.sources, s.first, s.last, s.outlets FROM stories s LEFT JOIN topics t "
            "ON t.id = s.topic_id WHERE s.merged_into IS NULL"
        )
        args: tuple[Any, ...] = ()
        if topic_id is not None:
            sql += " AND s.topic_id = ?"
            args = (topic_id,)
        if story_id is not None:
            sql += " AND s.id = ?"
            args += (story_id,)
        sql += " ORDER BY s.last DESC, s.n DESC, s.id"
        out = []
        for r in self.db.execute(sql, args):
            d = dict(r)
            d["outlets"] = json.loads(d["outlets"])
            out.append(d)
        return out

    def topics(self) -> list[dict[str, Any]]:
        """Live topics, latest first, with how many live stories each holds."""
        sql = (
            "SELECT t.id AS topic_id, t.label, t.n AS articles, t.sources, t.first, t.last, "
            "t.outlets, (SELECT count(*) FROM stories s WHERE s.topic_id = t.id AND "
            "s.merged_into IS NULL) AS stories FROM topics t WHERE t.merged_into IS NULL "
            "ORDER BY t.last DESC, t.n DESC, t.id"
        )
        out = []
        for r in self.db.execute(sql):
            d = dict(r)
            d["outlets"] = json.loads(d["outlets"])
            out.append(d)
        return out

    def story_articles(self, story_id: str | None = None) -> list[dict[str, Any]]:
        """One row per placed article (of every story, or of one): its story and topic (as
        they stand after merges)."""
        where, args = ("WHERE sa.story_id = ? ", (story_id,)) if story_id else ("", ())
        sql = (
            "SELECT sa.article_id, sa.story_id, s.label AS story_label, sa.topic_id, "
            "t.label AS topic_label, a.outlet, a.published, a.title, g.copy_group, sa.how, "
            "sa.score, sa.assigned_story FROM story_articles sa JOIN articles a ON "
            "a.id = sa.article_id LEFT JOIN stories s ON s.id = sa.story_id LEFT JOIN topics t "
            "ON t.id = sa.topic_id LEFT JOIN copy_groups g ON g.article_id = sa.article_id "
            f"{where}ORDER BY s.last DESC, sa.story_id, a.published, a.rowid"
        )
        return [dict(r) for r in self.db.execute(sql, args)]

    def merges(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.execute("SELECT * FROM cluster_merges ORDER BY id")]

    # -- events (story stage inputs and outputs) -------------------------------------------

    def count_events(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM events").fetchone()[0])

    def queued(self, stage: str, max_attempts: int | None = None) -> list[str]:
        """The stories or topics queued for the story or topic stage ``stage`` (those that
        failed ``max_attempts`` times already are left out)."""
        sql = "SELECT key FROM queue WHERE stage = ?"
        args: tuple[Any, ...] = (stage,)
        if max_attempts is not None:
            sql += " AND attempts < ?"
            args += (max_attempts,)
        return [r[0] for r in self.db.execute(sql + " ORDER BY key", args)]

    def queue(self) -> list[dict[str, Any]]:
        """Every queued unit of story and topic work, with its attempts and last error."""
        return [dict(r) for r in self.db.execute("SELECT * FROM queue ORDER BY stage, key")]

    def stage_errors(self, run_id: int | None = None) -> list[dict[str, Any]]:
        """Faults of stages on single articles, stories or topics (all runs, or one)."""
        sql = "SELECT * FROM stage_errors"
        args: tuple[Any, ...] = ()
        if run_id is not None:
            sql += " WHERE run_id = ?"
            args = (run_id,)
        return [dict(r) for r in self.db.execute(sql + " ORDER BY id", args)]

    def stories_version(self) -> int:
        """Bumped by every batch that changes stories or topics."""
        row = self.db.execute("SELECT value FROM state WHERE key = 'stories.version'").fetchone()
        return int(row[0]) if row else 0

    def dirty_stories(self) -> list[str]:
        """Stories whose articles changed since the story stages last ran over them."""
        return self.queued("story_events")

    def story_mentions(self, story_id: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The event and control mentions of a story's articles, with each article's outlet,
        date and copy group."""
        join = (
            "JOIN story_articles sa ON sa.article_id = m.article_id JOIN articles a ON "
            "a.id = m.article_id LEFT JOIN copy_groups g ON g.article_id = m.article_id "
            "WHERE sa.story_id = ? ORDER BY a.published, m.article_id, m.idx"
        )
        cols = "m.*, a.outlet, a.published, g.copy_group"
        events = [dict(r) for r in self.db.execute(
            f"SELECT {cols} FROM event_mentions m {join}", (story_id,))]  # fmt: skip
        controls = [dict(r) for r in self.db.execute(
            f"SELECT {cols} FROM control_mentions m {join}", (story_id,))]  # fmt: skip
        return events, controls

    def dirty_topics(self) -> list[str]:
        return self.queued("topic_claims")

    # -- the topic_claims stage's reads (all scoped to the work at hand) ---------------------

    _MENTION = (
        "SELECT m.id AS mention_id, m.article_id, m.data, m.vec, m.text, m.unit_id, a.outlet, "
        "sa.story_id, COALESCE(g.copy_group, m.article_id) AS source_key FROM claim_mentions m "
        "JOIN story_articles sa ON sa.article_id = m.article_id "
        "JOIN articles a ON a.id = m.article_id "
        "LEFT JOIN copy_groups g ON g.article_id = m.article_id "
    )

    def pending_claims(self, topic_id: str) -> list[dict[str, Any]]:
        """The claim mentions of a topic's articles not aligned yet, in publication order."""
        return [dict(r) for r in self.db.execute(
            self._MENTION + "JOIN stories s ON s.id = sa.story_id "
            "WHERE m.unit_id IS NULL AND s.topic_id = ? ORDER BY a.published, m.article_id, "
            "m.idx", (topic_id,))]  # fmt: skip

    def unit_mentions(self, unit_ids: Iterable[int]) -> list[dict[str, Any]]:
        """The mentions of these claim units, in publication order."""
        out: list[dict[str, Any]] = []
        for chunk in _chunks(sorted(set(unit_ids))):
            out += [dict(r) for r in self.db.execute(
                self._MENTION + f"WHERE m.unit_id IN ({','.join('?' * len(chunk))})",
                chunk)]  # fmt: skip
        return out

    def claim_units_by_hash(self, topic_id: str, hashes: Iterable[str]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for chunk in _chunks(sorted(set(hashes))):
            out += [dict(r) for r in self.db.execute(
                "SELECT * FROM claim_units WHERE topic_id = ? AND hash IN "
                f"({','.join('?' * len(chunk))})", [topic_id, *chunk])]  # fmt: skip
        return out

    def claim_units_of(self, claim_ids: Iterable[str]) -> list[dict[str, Any]]:
        """The units of these claims."""
        out: list[dict[str, Any]] = []
        for chunk in _chunks(sorted(set(claim_ids))):
            out += [dict(r) for r in self.db.execute(
                f"SELECT * FROM claim_units WHERE claim_id IN ({','.join('?' * len(chunk))})",
                chunk)]  # fmt: skip
        return out

    def claim_units_by_id(self, unit_ids: Iterable[int]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for chunk in _chunks(sorted(set(unit_ids))):
            out += [dict(r) for r in self.db.execute(
                f"SELECT * FROM claim_units WHERE id IN ({','.join('?' * len(chunk))})",
                chunk)]  # fmt: skip
        return out

    def topic_unit_vectors(self, topic_id: str, after: int = 0) -> tuple[list[int], bytes]:
        """Ids and embeddings (float32, concatenated) of a topic's claim units above id
        ``after`` (the ones a saved index does not hold yet)."""
        ids, vecs = [], []
        for uid, vec in self.db.execute(
            "SELECT id, vec FROM claim_units WHERE topic_id = ? AND id > ? ORDER BY id",
            (topic_id, after),
        ):
            ids.append(int(uid))
            vecs.append(vec)
        return ids, b"".join(vecs)

    def count_claim_units(self, topic_id: str, upto: int) -> int:
        """How many of a topic's claim units have ids up to ``upto``."""
        row = self.db.execute(
            "SELECT count(*) FROM claim_units WHERE topic_id = ? AND id <= ?", (topic_id, upto)
        ).fetchone()
        return int(row[0])

    def claim_index_dir(self) -> Path:
        """Where the topics' claim-unit indexes live, beside the store."""
        return self.path.with_name(f"{self.path.name}.claim-index")

    def claims_by_id(self, claim_ids: Iterable[str]) -> list[dict[str, Any]]:
        """Claim rows (no sources) of these ids."""
        out: list[dict[str, Any]] = []
        for chunk in _chunks(sorted(set(claim_ids))):
            out += [dict(r) for r in self.db.execute(
                f"SELECT * FROM claims WHERE claim_id IN ({','.join('?' * len(chunk))})",
                chunk)]  # fmt: skip
        return out

    def topic_claim_ids(self, topic_id: str) -> list[str]:
        """The claims of a topic and of the topics merged into it."""
        return [r[0] for r in self.db.execute(
            "SELECT claim_id FROM claims WHERE topic_id = ? OR topic_id IN (SELECT id FROM "
            "topics WHERE merged_into = ?)", (topic_id, topic_id))]  # fmt: skip

    def rejoin_units(self, topic_id: str) -> list[dict[str, Any]]:
        """The claim units of a topic to be compared again with the rest of it (they came
        with a topic merged into it)."""
        return [dict(r) for r in self.db.execute(
            "SELECT u.* FROM claims_rejoin j JOIN claim_units u ON u.id = j.unit_id "
            "WHERE j.topic_id = ? ORDER BY u.id", (topic_id,))]  # fmt: skip

    def minilm_vectors(self, hashes: list[str]) -> dict[str, bytes]:
        """Kept MiniLM vectors of claim sentences, by ``claims.vectors.text_hash``."""
        out: dict[str, bytes] = {}
        for i in range(0, len(hashes), 500):
            part = hashes[i : i + 500]
            out |= {r[0]: r[1] for r in self.db.execute(
                f"SELECT hash, vec FROM minilm_vectors WHERE hash IN ({','.join('?' * len(part))})",
                part)}  # fmt: skip
        return out

    def needs_realign(self, topic_id: str) -> bool:
        """The topic's claims are to be aligned from scratch (a topic merge, an old store)."""
        row = self.db.execute(
            "SELECT 1 FROM claims_realign WHERE topic_id = ?", (topic_id,)
        ).fetchone()
        return row is not None

    def topic_claim_mentions(self, topic_id: str) -> list[dict[str, Any]]:
        """Every claim mention of a topic's articles, with the claim each is in now."""
        return [dict(r) for r in self.db.execute(
            "SELECT x.*, u.claim_id AS unit_claim, (SELECT claim_id FROM claim_sources cs "
            "WHERE cs.mention_id = x.mention_id LIMIT 1) AS source_claim FROM ("
            + self._MENTION + "JOIN stories s ON s.id = sa.story_id WHERE s.topic_id = ? "
            "ORDER BY a.published, m.article_id, m.idx) x LEFT JOIN claim_units u "
            "ON u.id = x.unit_id", (topic_id,))]  # fmt: skip

    def claims(self, story_id: str | None = None, status: str | None = None,
               topic_id: str | None = None) -> list[dict[str, Any]]:  # fmt: skip
        """Aligned claims, most independently sourced first, each with its sources."""
        where, args = [], []
        for col, val in (("story_id", story_id), ("status", status), ("topic_id", topic_id)):
            if val is not None:
                where.append(f"{col} = ?")
                args.append(val)
        cond = " WHERE " + " AND ".join(f"c.{w}" for w in where) if where else ""
        rows = [dict(r) for r in self.db.execute(
            f"SELECT * FROM claims c{cond} "
            "ORDER BY independent_sources DESC, mentions DESC, claim_id", args)]  # fmt: skip
        sources: dict[str, list[dict[str, Any]]] = {}
        for r in self.db.execute(  # only the sources of the claims asked for
            "SELECT s.claim_id, s.article_id, s.outlet, s.source, s.side, s.sentence, s.start, "
            f's."end" FROM claims c JOIN claim_sources s ON s.claim_id = c.claim_id{cond} '
            "ORDER BY s.claim_id, s.outlet, s.start",
            args,
        ):
            d = dict(r)
            sources.setdefault(d.pop("claim_id"), []).append(d)
        for r in rows:
            for key in ("outlets", "sides", "conflicts_with"):
                r[key] = json.loads(r[key])
            r["sources"] = sources.get(r["claim_id"], [])
        return rows

    def topic_stories(self, topic_ids: Iterable[str]) -> list[tuple[str, str]]:
        """(story id, topic id) of the live stories of these topics."""
        out = []
        for tid in topic_ids:
            out += [(r[0], tid) for r in self.db.execute(
                "SELECT id FROM stories WHERE topic_id = ? AND merged_into IS NULL "
                "ORDER BY id", (tid,))]  # fmt: skip
        return out

    def live_topic(self, topic_id: str) -> str | None:
        """``topic_id`` when it is a live topic, else None."""
        row = self.db.execute(
            "SELECT id FROM topics WHERE id = ? AND merged_into IS NULL", (topic_id,)
        ).fetchone()
        return str(row[0]) if row else None

    def story_topic(self, story_id: str) -> str | None:
        """The topic of a live story; None when the story was merged away or is unknown."""
        row = self.db.execute(
            "SELECT topic_id FROM stories WHERE id = ? AND merged_into IS NULL", (story_id,)
        ).fetchone()
        return str(row[0]) if row else None

    def brief(self, story_id: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT data FROM briefs WHERE story_id = ?", (story_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def claim_vectors(self, story_id: str) -> dict[str, Any]:
        """The kept embeddings of a story's claim sentences, by sentence text (an embedding
        of the claim's text stands for its sentence when the two are the same)."""
        import numpy as np

        return {r[0]: np.frombuffer(r[1], dtype=np.float32) for r in self.db.execute(
            "SELECT m.text, m.vec FROM claim_mentions m JOIN story_articles sa "
            "ON sa.article_id = m.article_id WHERE sa.story_id = ? AND m.vec IS NOT NULL",
            (story_id,))}  # fmt: skip

    def claim_candidates(self, story_id: str | None = None) -> list[dict[str, Any]]:
        """Every stored claim mention (of one story's articles) with its embedding if kept."""
        sql = "SELECT m.article_id, m.text, m.data, m.vec FROM claim_mentions m"
        args: tuple[Any, ...] = ()
        if story_id is not None:
            sql += " JOIN story_articles sa ON sa.article_id = m.article_id WHERE sa.story_id = ?"
            args = (story_id,)
        return [dict(r) for r in self.db.execute(sql + " ORDER BY m.id", args)]

    def quotes(self, speaker: str | None = None) -> list[dict[str, Any]]:
        """Quotes with their article's outlet, title and story."""
        sql = (
            "SELECT q.*, a.outlet, a.title, a.published, sa.story_id FROM quotes q "
            "JOIN articles a ON a.id = q.article_id "
            "LEFT JOIN story_articles sa ON sa.article_id = q.article_id"
        )
        args: tuple[Any, ...] = ()
        if speaker:
            sql += " WHERE q.speaker LIKE ? OR q.speaker_text LIKE ?"
            args = (f"%{speaker}%", f"%{speaker}%")
        sql += " ORDER BY a.published, q.article_id, q.idx"
        return [dict(r) for r in self.db.execute(sql, args)]

    def count_claims(self) -> Counter[str]:
        rows = self.db.execute("SELECT status, COUNT(*) FROM claims GROUP BY 1").fetchall()
        return Counter({str(k): int(v) for k, v in rows})

    def events(self, story_id: str | None = None) -> list[dict[str, Any]]:
        """Merged events, earliest first, each with its sources."""
        sql = "SELECT * FROM events"
        args: tuple[Any, ...] = ()
        if story_id is not None:
            sql += " WHERE story_id = ?"
            args = (story_id,)
        rows = [dict(r) for r in self.db.execute(sql + " ORDER BY event_date, event_id", args)]
        sources: dict[str, list[dict[str, Any]]] = {}
        for r in self.db.execute(  # only the sources of the events asked for
            'SELECT s.event_id, s.article_id, s.outlet, s.sentence, s.start, s."end" FROM events e '
            "JOIN event_sources s ON s.event_id = e.event_id"
            + (" WHERE e.story_id = ?" if story_id is not None else "")
            + " ORDER BY s.event_id, s.outlet, s.start",
            args,
        ):
            d = dict(r)
            sources.setdefault(d.pop("event_id"), []).append(d)
        for r in rows:
            r["outlets"] = json.loads(r["outlets"])
            r["sources"] = sources.get(r["event_id"], [])
        return rows

    def event_mentions(self, article_id: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT * FROM event_mentions"
        args: tuple[Any, ...] = ()
        if article_id is not None:
            sql += " WHERE article_id = ?"
            args = (article_id,)
        return [dict(r) for r in self.db.execute(sql + " ORDER BY article_id, idx", args)]

    def control(self, story_id: str | None = None) -> list[dict[str, Any]]:
        """Who controls each place (or site) since when, per story."""
        sql = "SELECT * FROM control"
        args: tuple[Any, ...] = ()
        if story_id is not None:
            sql += " WHERE story_id = ?"
            args = (story_id,)
        sql += " ORDER BY place, coalesce(site, ''), coalesce(since, as_of), id"
        return [dict(r) for r in self.db.execute(sql, args)]

    # -- the archive view stages may read (sitroom.stages.base.ArchiveView) -----------------

    def clusters(self, kind: str) -> Iterator[dict[str, Any]]:
        if kind == "story":
            sql = "SELECT *, topic_id AS parent FROM stories"
        elif kind == "topic":
            sql = "SELECT *, NULL AS parent FROM topics"
        else:
            raise ValueError(f"unknown cluster kind {kind!r}")
        for row in self.db.execute(sql + " ORDER BY key"):
            yield dict(row)

    def story_groups(self) -> dict[str, str]:
        rows = self.db.execute(
            "SELECT g.copy_group, sa.story_id FROM story_articles sa JOIN copy_groups g ON "
            "g.article_id = sa.article_id"
        )
        return {group: story for group, story in rows}

    def cluster_index(self, kind: str) -> tuple[Path | None, int, int]:
        from sitroom.cluster.state import index_version

        row = self.db.execute("SELECT value FROM state WHERE key = 'stories.version'").fetchone()
        version = int(row[0]) if row else 0
        path = self.path.with_name(f"{self.path.name}.{kind}-index.usearch")
        return path, version, index_version(path)

    def outlet_regions(self, outlet: str) -> dict[int, int]:
        rows = self.db.execute(
            "SELECT p.admin1_id, count(*) FROM place_mentions p JOIN articles a ON "
            "a.id = p.article_id WHERE a.outlet = ? AND p.role = 'body' AND p.fallback = 0 "
            "AND p.score >= 0.9 AND p.admin1_id != 0 GROUP BY p.admin1_id",
            (outlet,),
        )
        return {int(g): int(n) for g, n in rows}

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        out: set[str] = set()
        for chunk in _chunks(list(ids)):
            q = f"SELECT id FROM articles WHERE id IN ({','.join('?' * len(chunk))})"
            out.update(r[0] for r in self.db.execute(q, chunk))
        return out

    def article_dates(self, ids: Iterable[str]) -> dict[str, tuple[str | None, str]]:
        """Article id -> (published, date_source) of the stored articles among ``ids``."""
        out: dict[str, tuple[str | None, str]] = {}
        for chunk in _chunks(list(ids)):
            q = (
                "SELECT id, published, date_source FROM articles WHERE id IN "
                f"({','.join('?' * len(chunk))})"
            )
            out.update((r[0], (r[1], r[2] or "")) for r in self.db.execute(q, chunk))
        return out

    def exact_copies(self, text_hashes: Iterable[str]) -> dict[str, tuple[str, str]]:
        out: dict[str, tuple[str, str]] = {}
        for chunk in _chunks(list(text_hashes)):
            q = (
                "SELECT m.text_hash, m.article_id, g.copy_group FROM minhashes m JOIN "
                "copy_groups g ON g.article_id = m.article_id WHERE m.text_hash IN "
                f"({','.join('?' * len(chunk))}) ORDER BY m.rowid"
            )
            for h, aid, group in self.db.execute(q, chunk):
                out.setdefault(h, (aid, group))
        return out

    def band_candidates(self, keys: Iterable[int]) -> dict[str, tuple[str, int, bytes]]:
        out: dict[str, tuple[str, int, bytes]] = {}
        for chunk in _chunks(list(keys)):
            q = (
                "SELECT DISTINCT m.article_id, g.copy_group, m.n_shingles, m.signature FROM "
                "minhash_bands b JOIN minhashes m ON m.article_id = b.article_id JOIN "
                "copy_groups g ON g.article_id = b.article_id WHERE b.key IN "
                f"({','.join('?' * len(chunk))})"
            )
            for aid, group, n, sig in self.db.execute(q, chunk):
                out[aid] = (group, n, sig)
        return out


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]
