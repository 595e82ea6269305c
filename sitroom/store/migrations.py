"""The store's schema, as numbered migrations recorded in the ``migrations`` table.

A migration is applied once, in order, inside a transaction; a store opened by a newer
sitroom is migrated forward, never backward. Each stage owns its tables or columns:

    articles        ingest, clean, metadata (one row per article; rowid = arrival order)
    removed_spans   clean
    copy_groups     dedup (group membership);  minhashes, minhash_bands: dedup's index
    place_mentions  places;  time_mentions  times
    stories, topics, story_articles, cluster_merges   stories (and ``state``: the version of
                    the stories, which the index files beside the store are stamped with)
    runs, ingest_errors   the runner's record of each run and of the inputs that failed
    event_mentions, control_mentions   events (map);  events, event_sources, control: the
                    story stage that merges them;  stories_dirty: stories to merge again
    quotes          quotes;  claim_mentions   claims (map, with each claim's embedding once
                    computed);  claims, claim_sources: the topic stage that aligns them;
                    topics_dirty: topics to align again
    briefs          brief (story stage): each live story's cited brief, as JSON
    queue           the story and topic stages' work: (stage, story or topic) still to do,
                    with the attempts made and the last error (replaces stories_dirty and
                    topics_dirty); filled in the same transaction as what makes the work
    stage_errors    every fault of a stage on one article, story or topic: the stage, the
                    exception, a short traceback, the input's path and locator
    claim_units     topic_claims: each distinct claim sentence of a topic (copies are one
                    unit) with its embedding and the claim it is in; claim_mentions.unit_id
                    says which unit a mention is (NULL: not yet aligned); claim_merges: claims
                    merged into others; claims.rep_unit: the representative sentence's unit
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

__all__ = ["MIGRATIONS", "migrate"]


def _script(db: sqlite3.Connection, sql: str) -> None:
    # executescript() would commit on its own; run statement by statement in our transaction
    for statement in sql.split(";"):
        if statement.strip():
            db.execute(statement)


def _m001_spine(db: sqlite3.Connection) -> None:
    _script(
        db,
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            started TEXT NOT NULL,
            finished TEXT,
            inputs TEXT NOT NULL,
            options TEXT NOT NULL,
            added INTEGER NOT NULL DEFAULT 0,
            skipped INTEGER NOT NULL DEFAULT 0,
            failed INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'running'
        );
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            path TEXT NOT NULL,
            locator TEXT NOT NULL DEFAULT '',
            input_kind TEXT NOT NULL,
            raw TEXT NOT NULL,
            raw_format TEXT NOT NULL CHECK (raw_format IN ('text', 'html')),
            fields TEXT NOT NULL DEFAULT '{}',
            html_meta TEXT NOT NULL DEFAULT '{}',
            url TEXT,
            title TEXT,
            title_source TEXT NOT NULL DEFAULT 'unknown',
            outlet TEXT,
            outlet_source TEXT NOT NULL DEFAULT 'unknown',
            origin TEXT,
            published TEXT,
            date_source TEXT NOT NULL DEFAULT 'unknown',
            language TEXT,
            text TEXT NOT NULL,
            clean_text TEXT NOT NULL,
            offsets TEXT NOT NULL DEFAULT '[]',
            extractor TEXT,
            run_id INTEGER REFERENCES runs(id)
        );
        CREATE INDEX articles_outlet ON articles(outlet);
        CREATE INDEX articles_published ON articles(published);
        CREATE TABLE removed_spans (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            reason TEXT NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (article_id, start, end)
        );
        CREATE TABLE copy_groups (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            copy_group TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('first', 'exact', 'near')),
            of TEXT,
            score REAL NOT NULL
        );
        CREATE INDEX copy_groups_group ON copy_groups(copy_group);
        CREATE TABLE minhashes (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            text_hash TEXT NOT NULL,
            n_shingles INTEGER NOT NULL,
            signature BLOB NOT NULL
        );
        CREATE INDEX minhashes_text_hash ON minhashes(text_hash);
        CREATE TABLE minhash_bands (
            key INTEGER NOT NULL,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE
        );
        CREATE INDEX minhash_bands_key ON minhash_bands(key);
        CREATE TABLE ingest_errors (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES runs(id),
            path TEXT NOT NULL,
            locator TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL,
            reason TEXT NOT NULL
        );
        """,
    )


def _m002_places_times(db: sqlite3.Connection) -> None:
    _script(
        db,
        """
        CREATE TABLE place_mentions (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            geonameid INTEGER NOT NULL,
            name TEXT NOT NULL,
            latitude REAL NOT NULL,
            longitude REAL NOT NULL,
            country_code TEXT NOT NULL,
            admin1 TEXT NOT NULL,
            admin2 TEXT NOT NULL,
            admin1_id INTEGER NOT NULL DEFAULT 0,
            feature TEXT NOT NULL,
            geo_precision INTEGER NOT NULL,
            score REAL NOT NULL,
            role TEXT NOT NULL,
            source TEXT NOT NULL,
            fallback INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (article_id, start, end)
        );
        CREATE INDEX place_mentions_geonameid ON place_mentions(geonameid);
        CREATE TABLE time_mentions (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            type TEXT NOT NULL,
            value TEXT NOT NULL,
            time_precision INTEGER NOT NULL,
            role TEXT NOT NULL,
            mod TEXT,
            anchor TEXT,
            PRIMARY KEY (article_id, start, end)
        );
        """,
    )


def _m003_stories(db: sqlite3.Connection) -> None:
    cluster_columns = """
            key INTEGER NOT NULL UNIQUE,
            label TEXT NOT NULL DEFAULT '',
            n INTEGER NOT NULL,
            sources INTEGER NOT NULL,
            first TEXT,
            last TEXT,
            outlets TEXT NOT NULL DEFAULT '{}',
            keys TEXT NOT NULL DEFAULT '{}',
            focus TEXT NOT NULL DEFAULT '{}',
            vec_sum BLOB NOT NULL,
            label_vec BLOB,
            merged_into TEXT
    """
    _script(
        db,
        f"""
        CREATE TABLE topics (
            id TEXT PRIMARY KEY,
            {cluster_columns}
        );
        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            topic_id TEXT NOT NULL,
            {cluster_columns}
        );
        CREATE INDEX stories_topic ON stories(topic_id);
        CREATE INDEX stories_last ON stories(last);
        CREATE TABLE story_articles (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            story_id TEXT NOT NULL,
            topic_id TEXT NOT NULL,
            assigned_story TEXT NOT NULL,
            how TEXT NOT NULL CHECK (how IN ('new', 'joined', 'copy')),
            score REAL NOT NULL
        );
        CREATE INDEX story_articles_story ON story_articles(story_id);
        CREATE INDEX story_articles_topic ON story_articles(topic_id);
        CREATE TABLE cluster_merges (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('story', 'topic')),
            merged TEXT NOT NULL,
            into_id TEXT NOT NULL,
            similarity REAL NOT NULL,
            run_id INTEGER REFERENCES runs(id)
        );
        CREATE TABLE state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        INSERT INTO state (key, value) VALUES ('stories.version', '0');
        """,
    )


def _m004_events(db: sqlite3.Connection) -> None:
    place_columns = """
            geonameid INTEGER,
            place_text TEXT,
            location TEXT,
            latitude REAL,
            longitude REAL,
            country_code TEXT,
            admin1 TEXT,
            admin2 TEXT,
            geo_precision INTEGER
    """
    _script(
        db,
        f"""
        CREATE TABLE event_mentions (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            event_type TEXT NOT NULL,
            sub_event_type TEXT NOT NULL,
            event_class TEXT NOT NULL,
            trigger TEXT NOT NULL,
            trigger_start INTEGER NOT NULL,
            trigger_end INTEGER NOT NULL,
            sentence_start INTEGER NOT NULL,
            sentence_end INTEGER NOT NULL,
            sentence TEXT NOT NULL,
            actor1 TEXT,
            actor1_kind TEXT NOT NULL DEFAULT '',
            actor1_text TEXT,
            actor2 TEXT,
            actor2_text TEXT,
            target_text TEXT,
            {place_columns},
            event_date TEXT,
            time_precision INTEGER NOT NULL,
            date_text TEXT,
            fatalities INTEGER,
            modality TEXT NOT NULL,
            salience REAL NOT NULL,
            role TEXT NOT NULL,
            UNIQUE (article_id, idx)
        );
        CREATE INDEX event_mentions_article ON event_mentions(article_id);
        CREATE TABLE control_mentions (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            {place_columns},
            site TEXT,
            holder TEXT NOT NULL,
            holder_text TEXT NOT NULL,
            sentence_start INTEGER NOT NULL,
            sentence_end INTEGER NOT NULL,
            sentence TEXT NOT NULL,
            date TEXT,
            UNIQUE (article_id, idx)
        );
        CREATE INDEX control_mentions_article ON control_mentions(article_id);
        CREATE TABLE events (
            event_id TEXT PRIMARY KEY,
            story_id TEXT NOT NULL,
            event_date TEXT,
            year INTEGER,
            time_precision INTEGER,
            event_type TEXT NOT NULL,
            sub_event_type TEXT NOT NULL,
            event_class TEXT,
            actor1 TEXT,
            assoc_actor_1 TEXT,
            actor2 TEXT,
            assoc_actor_2 TEXT,
            iso INTEGER,
            country TEXT,
            admin1 TEXT,
            admin2 TEXT,
            location TEXT,
            latitude REAL,
            longitude REAL,
            geo_precision INTEGER,
            geonameid INTEGER,
            source TEXT,
            source_scale TEXT,
            notes TEXT,
            fatalities INTEGER,
            outlets TEXT NOT NULL,
            independent_sources INTEGER NOT NULL,
            mentions INTEGER NOT NULL
        );
        CREATE INDEX events_story ON events(story_id);
        CREATE INDEX events_date ON events(event_date);
        CREATE TABLE event_sources (
            event_id TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
            mention_id INTEGER NOT NULL,
            article_id TEXT NOT NULL,
            outlet TEXT NOT NULL,
            sentence TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL
        );
        CREATE INDEX event_sources_event ON event_sources(event_id);
        CREATE TABLE control (
            id INTEGER PRIMARY KEY,
            story_id TEXT NOT NULL,
            place TEXT,
            geonameid INTEGER,
            site TEXT,
            latitude REAL,
            longitude REAL,
            admin1 TEXT,
            country TEXT,
            controller TEXT NOT NULL,
            since TEXT,
            until TEXT,
            as_of TEXT,
            kind TEXT NOT NULL,
            partial INTEGER NOT NULL,
            event_id TEXT,
            sources TEXT NOT NULL
        );
        CREATE INDEX control_story ON control(story_id);
        CREATE TABLE stories_dirty (
            story_id TEXT PRIMARY KEY
        );
        """,
    )


def _m005_claims(db: sqlite3.Connection) -> None:
    _script(
        db,
        """
        CREATE TABLE quotes (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            quote TEXT NOT NULL,
            kind TEXT NOT NULL,
            quote_start INTEGER NOT NULL,
            quote_end INTEGER NOT NULL,
            sentence_start INTEGER NOT NULL,
            sentence_end INTEGER NOT NULL,
            speaker TEXT,
            speaker_text TEXT NOT NULL,
            speaker_start INTEGER NOT NULL,
            speaker_end INTEGER NOT NULL,
            role TEXT,
            affiliation TEXT,
            anonymous TEXT,
            cue TEXT NOT NULL,
            addressee TEXT,
            place TEXT,
            resolved_from TEXT,
            role_in_text TEXT NOT NULL,
            UNIQUE (article_id, idx)
        );
        CREATE INDEX quotes_article ON quotes(article_id);
        CREATE INDEX quotes_speaker ON quotes(speaker);
        CREATE TABLE claim_mentions (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            sentence_start INTEGER NOT NULL,
            sentence_end INTEGER NOT NULL,
            data TEXT NOT NULL,
            vec BLOB,
            UNIQUE (article_id, idx)
        );
        CREATE INDEX claim_mentions_article ON claim_mentions(article_id);
        CREATE TABLE claims (
            claim_id TEXT PRIMARY KEY,
            topic_id TEXT NOT NULL,
            story_id TEXT NOT NULL,
            text TEXT NOT NULL,
            kind TEXT NOT NULL,
            status TEXT NOT NULL,
            dimension TEXT,
            outlets TEXT NOT NULL,
            independent_sources INTEGER NOT NULL,
            sides TEXT NOT NULL,
            conflicts_with TEXT NOT NULL,
            mentions INTEGER NOT NULL
        );
        CREATE INDEX claims_topic ON claims(topic_id);
        CREATE INDEX claims_story ON claims(story_id);
        CREATE TABLE claim_sources (
            claim_id TEXT NOT NULL REFERENCES claims(claim_id) ON DELETE CASCADE,
            mention_id INTEGER NOT NULL,
            article_id TEXT NOT NULL,
            outlet TEXT NOT NULL,
            source TEXT NOT NULL,
            side INTEGER,
            sentence TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL
        );
        CREATE INDEX claim_sources_claim ON claim_sources(claim_id);
        CREATE TABLE topics_dirty (
            topic_id TEXT PRIMARY KEY
        )
        """,
    )


def _m006_briefs(db: sqlite3.Connection) -> None:
    _script(
        db,
        """
        CREATE TABLE briefs (
            story_id TEXT PRIMARY KEY,
            topic_id TEXT NOT NULL,
            made TEXT NOT NULL,
            data TEXT NOT NULL
        )
        """,
    )


def _m007_isolation(db: sqlite3.Connection) -> None:
    _script(
        db,
        """
        CREATE TABLE queue (
            stage TEXT NOT NULL,
            key TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            PRIMARY KEY (stage, key)
        );
        INSERT INTO queue (stage, key) SELECT 'story_events', story_id FROM stories_dirty;
        INSERT INTO queue (stage, key) SELECT 'topic_claims', topic_id FROM topics_dirty;
        INSERT OR IGNORE INTO queue (stage, key) SELECT 'brief', id FROM stories
            WHERE merged_into IS NULL AND id NOT IN (SELECT story_id FROM briefs);
        DROP TABLE stories_dirty;
        DROP TABLE topics_dirty;
        CREATE TABLE stage_errors (
            id INTEGER PRIMARY KEY,
            run_id INTEGER,
            stage TEXT NOT NULL,
            article_id TEXT,
            key TEXT,
            path TEXT,
            locator TEXT,
            kept INTEGER NOT NULL,
            error TEXT NOT NULL,
            message TEXT NOT NULL,
            trace TEXT NOT NULL,
            attempt INTEGER NOT NULL DEFAULT 1,
            at TEXT NOT NULL
        );
        CREATE INDEX stage_errors_run ON stage_errors(run_id);
        ALTER TABLE runs ADD COLUMN pid INTEGER;
        ALTER TABLE runs ADD COLUMN stage_errors INTEGER NOT NULL DEFAULT 0
        """,
    )


def _m008_incremental_claims(db: sqlite3.Connection) -> None:
    _script(
        db,
        """
        CREATE TABLE claim_units (
            id INTEGER PRIMARY KEY,
            topic_id TEXT NOT NULL,
            hash TEXT NOT NULL,
            text TEXT NOT NULL,
            vec BLOB NOT NULL,
            data TEXT NOT NULL,
            claim_id TEXT,
            UNIQUE (topic_id, hash)
        );
        CREATE INDEX claim_units_claim ON claim_units(claim_id);
        ALTER TABLE claim_mentions ADD COLUMN unit_id INTEGER;
        CREATE INDEX claim_mentions_unit ON claim_mentions(unit_id);
        CREATE INDEX claim_mentions_pending ON claim_mentions(article_id) WHERE unit_id IS NULL;
        ALTER TABLE claims ADD COLUMN rep_unit INTEGER;
        CREATE TABLE claim_merges (
            id INTEGER PRIMARY KEY,
            topic_id TEXT NOT NULL,
            merged TEXT NOT NULL,
            into_id TEXT NOT NULL,
            run_id INTEGER,
            at TEXT NOT NULL DEFAULT (datetime('now'))
        );
        CREATE INDEX claim_sources_mention ON claim_sources(mention_id);
        CREATE TABLE claims_realign (
            topic_id TEXT PRIMARY KEY
        );
        INSERT OR IGNORE INTO claims_realign (topic_id) SELECT DISTINCT topic_id FROM claims;
        INSERT OR IGNORE INTO queue (stage, key)
            SELECT 'topic_claims', topic_id FROM claims_realign
        """,
    )


def _m009_source_indexes(db: sqlite3.Connection) -> None:
    # an article's page lists the events and claims it is a source of
    _script(
        db,
        """
        CREATE INDEX event_sources_article ON event_sources(article_id);
        CREATE INDEX claim_sources_article ON claim_sources(article_id)
        """,
    )


def _m010_static_claim_vectors(db: sqlite3.Connection) -> None:
    # claims are compared by static sentence vectors now (sitroom.claims.vectors): each claim
    # unit's vector is made again (well under a millisecond a sentence), its group kept as it
    # is; the mentions' MiniLM vectors are dropped (made again where a realign needs them)
    from sitroom.claims.vectors import embed

    db.execute("UPDATE claim_mentions SET vec = NULL")
    rows = db.execute("SELECT id, text FROM claim_units ORDER BY id").fetchall()
    for k in range(0, len(rows), 2000):
        part = rows[k : k + 2000]
        vecs = embed([t for _, t in part])
        db.executemany(
            "UPDATE claim_units SET vec = ? WHERE id = ?",
            [(v.astype("float32").tobytes(), i) for (i, _), v in zip(part, vecs, strict=True)],
        )


def _m011_claims_rejoin(db: sqlite3.Connection) -> None:
    # two topics merged: the smaller one's claim units are compared again with the other's
    # (claims.online.extend), instead of aligning the merged topic from scratch
    _script(
        db,
        """
        CREATE TABLE claims_rejoin (
            topic_id TEXT NOT NULL,
            unit_id INTEGER NOT NULL,
            PRIMARY KEY (topic_id, unit_id)
        )
        """,
    )


def _m012_minilm_vectors(db: sqlite3.Connection) -> None:
    # MiniLM's vector of each claim sentence it was asked to compare (a close call of the
    # static vectors), kept so that a later run never embeds the same sentence again
    _script(
        db,
        """
        CREATE TABLE minilm_vectors (
            hash TEXT PRIMARY KEY,
            vec BLOB NOT NULL
        ) WITHOUT ROWID
        """,
    )


MIGRATIONS: list[tuple[str, Callable[[sqlite3.Connection], None]]] = [
    ("001_spine", _m001_spine),
    ("002_places_times", _m002_places_times),
    ("003_stories", _m003_stories),
    ("004_events", _m004_events),
    ("005_claims", _m005_claims),
    ("006_briefs", _m006_briefs),
    ("007_isolation", _m007_isolation),
    ("008_incremental_claims", _m008_incremental_claims),
    ("009_source_indexes", _m009_source_indexes),
    ("010_static_claim_vectors", _m010_static_claim_vectors),
    ("011_claims_rejoin", _m011_claims_rejoin),
    ("012_minilm_vectors", _m012_minilm_vectors),
]


def migrate(db: sqlite3.Connection) -> list[str]:
    """Apply every migration not yet recorded; the names applied, in order."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL "
        "UNIQUE, applied_at TEXT NOT NULL DEFAULT (datetime('now')))"
    )
    done = {row[0] for row in db.execute("SELECT name FROM migrations")}
    applied = []
    for number, (name, fn) in enumerate(MIGRATIONS, 1):
        if name in done:
            continue
        db.execute("BEGIN IMMEDIATE")  # one transaction per migration (autocommit connection)
        try:
            if db.execute("SELECT 1 FROM migrations WHERE name = ?", (name,)).fetchone():
                db.execute("ROLLBACK")  # another process applied it while we waited
                continue
            fn(db)
            db.execute("INSERT INTO migrations (id, name) VALUES (?, ?)", (number, name))
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        applied.append(name)
    return applied
