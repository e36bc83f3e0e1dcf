"""The schema, as forward-only numbered steps keyed by `PRAGMA user_version`.

Each step and its `user_version` bump run in ONE transaction, so a step that fails leaves
the database at the previous version, whole. Never edit a released step: add the next one.
Steps are tuples of single statements (not a script) because `executescript` would commit
behind our back and break the one-transaction rule. The column meanings are documented in
docs/data-dictionary.md; keep it in step when adding a migration.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

from bot.errors import StorageError


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


_V1_TABLES = (
    """CREATE TABLE channels (
        id INTEGER PRIMARY KEY,
        telegram_id INTEGER UNIQUE,
        username TEXT UNIQUE COLLATE NOCASE,
        title TEXT,
        home_region TEXT,
        access_hash INTEGER,
        added_at TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1
    )""",
    """CREATE TABLE posts (
        id INTEGER PRIMARY KEY,
        channel_pk INTEGER NOT NULL REFERENCES channels(id),
        message_id INTEGER NOT NULL,
        date TEXT NOT NULL,
        text TEXT NOT NULL,
        entities TEXT,
        views INTEGER,
        forwards INTEGER,
        replies INTEGER,
        media_kind TEXT,
        permalink TEXT,
        first_seen_at TEXT NOT NULL,
        edited_at TEXT,
        deleted_at TEXT,
        source TEXT NOT NULL
            CHECK (source IN ('live', 'backfill', 'webpreview', 'import', 'replay')),
        UNIQUE (channel_pk, message_id)
    )""",
    """CREATE TABLE post_versions (
        id INTEGER PRIMARY KEY,
        post_id INTEGER NOT NULL REFERENCES posts(id),
        version INTEGER NOT NULL,
        text TEXT NOT NULL,
        edited_at TEXT,
        seen_at TEXT NOT NULL,
        UNIQUE (post_id, version)
    )""",
    """CREATE TABLE classifications (
        id INTEGER PRIMARY KEY,
        post_id INTEGER NOT NULL REFERENCES posts(id),
        classifier_version TEXT NOT NULL,
        label TEXT NOT NULL,
        confidence REAL NOT NULL,
        drones_destroyed INTEGER,
        drones_launched INTEGER,
        casualties TEXT,
        damage TEXT,
        fields TEXT NOT NULL,
        classified_at TEXT NOT NULL,
        UNIQUE (post_id, classifier_version)
    )""",
    """CREATE TABLE post_regions (
        post_id INTEGER NOT NULL REFERENCES posts(id),
        classifier_version TEXT NOT NULL,
        region_code TEXT NOT NULL,
        PRIMARY KEY (post_id, classifier_version, region_code)
    ) WITHOUT ROWID""",
    "CREATE INDEX post_regions_by_region ON post_regions (region_code, post_id)",
    """CREATE TABLE channel_cursors (
        channel_pk INTEGER PRIMARY KEY REFERENCES channels(id),
        last_message_id INTEGER NOT NULL,
        updated_at TEXT NOT NULL
    )""",
)

# External-content FTS5: the index stores no second copy of the text; triggers keep it in
# step with `posts`. Only a change of `text` touches the index (views/deleted_at do not).
_V1_FTS = (
    """CREATE VIRTUAL TABLE posts_fts USING fts5(
        text, content='posts', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN
        INSERT INTO posts_fts (rowid, text) VALUES (new.id, new.text);
    END""",
    """CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN
        INSERT INTO posts_fts (posts_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END""",
    """CREATE TRIGGER posts_fts_update AFTER UPDATE OF text ON posts BEGIN
        INSERT INTO posts_fts (posts_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO posts_fts (rowid, text) VALUES (new.id, new.text);
    END""",
)

# Views researchers open directly (Datasette, pandas), plus the indexes the filters need.
# "Current" classification = the most recently added row (highest id) of any version.
_V2_VIEWS = (
    "CREATE INDEX posts_by_date ON posts (date)",
    "CREATE INDEX posts_by_channel_date ON posts (channel_pk, date)",
    "CREATE INDEX classifications_by_post ON classifications (post_id, id)",
    "CREATE INDEX classifications_by_label ON classifications (label)",
    """CREATE VIEW current_classifications AS
        SELECT c.* FROM classifications AS c
        WHERE c.id = (SELECT max(c2.id) FROM classifications AS c2 WHERE c2.post_id = c.post_id)
    """,
    """CREATE VIEW posts_current AS
        SELECT
            p.id AS id,
            p.channel_pk AS channel_pk,
            ch.username AS channel,
            ch.telegram_id AS channel_id,
            p.message_id AS message_id,
            p.permalink AS permalink,
            p.date AS date,
            p.text AS text,
            p.entities AS entities,
            p.edited_at IS NOT NULL AS edited,
            p.deleted_at IS NOT NULL AS deleted,
            p.edited_at AS edited_at,
            p.deleted_at AS deleted_at,
            p.views AS views,
            p.forwards AS forwards,
            p.replies AS replies,
            p.media_kind AS media_kind,
            p.source AS source,
            p.first_seen_at AS first_seen_at,
            c.label AS label,
            c.confidence AS confidence,
            c.drones_destroyed AS drones_destroyed,
            c.drones_launched AS drones_launched,
            (SELECT group_concat(r.region_code, ';') FROM (
                SELECT region_code FROM post_regions
                WHERE post_id = p.id AND classifier_version = c.classifier_version
                ORDER BY region_code) AS r) AS regions,
            c.casualties AS casualties,
            c.damage AS damage,
            c.classifier_version AS classifier_version,
            c.classified_at AS classified_at,
            c.fields AS fields
        FROM posts AS p
        JOIN channels AS ch ON ch.id = p.channel_pk
        LEFT JOIN classifications AS c
            ON c.id = (SELECT max(c2.id) FROM classifications AS c2 WHERE c2.post_id = p.id)
    """,
    """CREATE VIEW incidents AS
        SELECT * FROM posts_current WHERE label = 'uav_incident' AND deleted_at IS NULL
    """,
)

# The watcher follows channels named in CHANNELS and those added with `uavwatch channels add`.
# `active` cannot say so: every imported channel is created active (its default is 1).
_V3_WATCHED = ("ALTER TABLE channels ADD COLUMN watched INTEGER NOT NULL DEFAULT 0",)

# Alerts (issue 5): subscribers and what they follow, alerts (one per incident: a dedup group
# of posts), the outbox (one row per message to one subscriber, written in the same
# transaction as the post that caused it; a delivered row keeps the Telegram message id and
# what it showed, which is what corrections edit: view `sent_alerts`).
# Post and channel ids carry no foreign key: a channel merge deletes duplicate post rows and
# retired channel rows, and an alert must outlive that.
_V4_ALERTS = (
    """CREATE TABLE subscribers (
        id INTEGER PRIMARY KEY,
        chat_id INTEGER NOT NULL UNIQUE,
        access_hash INTEGER,
        chat_kind TEXT NOT NULL DEFAULT 'private' CHECK (chat_kind IN ('private', 'group')),
        name TEXT,
        lang TEXT NOT NULL DEFAULT 'en' CHECK (lang IN ('ru', 'uk', 'en')),
        tz TEXT NOT NULL DEFAULT 'UTC',
        kinds TEXT NOT NULL DEFAULT 'uav_incident',
        quiet_start TEXT,
        quiet_end TEXT,
        muted_until TEXT,
        active INTEGER NOT NULL DEFAULT 1,
        inactive_reason TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    """CREATE TABLE subscriptions (
        subscriber_id INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
        region_code TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (subscriber_id, region_code)
    ) WITHOUT ROWID""",
    "CREATE INDEX subscriptions_by_region ON subscriptions (region_code, subscriber_id)",
    """CREATE TABLE subscription_channels (
        subscriber_id INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
        channel TEXT NOT NULL COLLATE NOCASE,
        PRIMARY KEY (subscriber_id, channel)
    ) WITHOUT ROWID""",
    """CREATE TABLE alerts (
        id INTEGER PRIMARY KEY,
        label TEXT NOT NULL,
        region_codes TEXT NOT NULL,
        fields TEXT NOT NULL,
        excerpt TEXT NOT NULL,
        norm_text TEXT NOT NULL,
        posted_at TEXT NOT NULL,
        sources INTEGER NOT NULL DEFAULT 1,
        revision INTEGER NOT NULL DEFAULT 1,
        status TEXT NOT NULL DEFAULT 'active'
            CHECK (status IN ('active', 'retracted', 'deleted')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX alerts_by_posted ON alerts (posted_at)",
    """CREATE TABLE alert_sources (
        alert_id INTEGER NOT NULL REFERENCES alerts(id),
        post_id INTEGER NOT NULL UNIQUE,
        channel TEXT,
        channel_title TEXT,
        message_id INTEGER NOT NULL,
        permalink TEXT,
        posted_at TEXT NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0,
        added_at TEXT NOT NULL,
        PRIMARY KEY (alert_id, post_id)
    )""",
    """CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        subscriber_id INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
        alert_id INTEGER REFERENCES alerts(id),
        purpose TEXT NOT NULL
            CHECK (purpose IN ('alert', 'correction', 'sources', 'summary', 'broadcast')),
        priority INTEGER NOT NULL,
        payload TEXT,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN
            ('pending', 'sent', 'held', 'summarized', 'muted', 'skipped', 'parked', 'dropped')),
        attempts INTEGER NOT NULL DEFAULT 0,
        not_before TEXT,
        last_error TEXT,
        telegram_message_id INTEGER,
        shown_revision INTEGER,
        shown_sources INTEGER,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX outbox_pending ON outbox (priority, id) WHERE status = 'pending'",
    "CREATE INDEX outbox_held ON outbox (subscriber_id) WHERE status = 'held'",
    "CREATE INDEX outbox_by_alert ON outbox (alert_id, subscriber_id)",
    "CREATE INDEX outbox_sent ON outbox (updated_at) WHERE status = 'sent'",
    # What each chat shows of each alert: its latest delivered alert/correction/sources row
    # (the message id to edit, the revision and number of sources it shows).
    """CREATE VIEW sent_alerts AS
        SELECT o.alert_id AS alert_id, o.subscriber_id AS subscriber_id,
            (SELECT s.post_id FROM alert_sources AS s WHERE s.alert_id = o.alert_id
             ORDER BY s.rowid LIMIT 1) AS post_id,
            o.telegram_message_id AS telegram_message_id, o.shown_revision AS revision,
            o.shown_sources AS sources, o.updated_at AS sent_at
        FROM outbox AS o
        WHERE o.id = (SELECT max(o2.id) FROM outbox AS o2 WHERE o2.alert_id = o.alert_id
            AND o2.subscriber_id = o.subscriber_id AND o2.status = 'sent'
            AND o2.purpose IN ('alert', 'correction', 'sources'))
    """,
    "CREATE TABLE alert_state (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
)

# The service (issue 6): what must survive a restart. The outbox is rebuilt (SQLite cannot
# widen a CHECK in place) to carry digests (a PNG chart in `attachment`) and admin notices;
# `sent_alerts` reads the outbox, so it is dropped and made again around the rebuild.
_OUTBOX_COLUMNS = (
    "id, subscriber_id, alert_id, purpose, priority, payload, status, attempts, not_before,"
    " last_error, telegram_message_id, shown_revision, shown_sources, created_at, updated_at"
)
_SENT_ALERTS_VIEW = next(s for s in _V4_ALERTS if s.startswith("CREATE VIEW sent_alerts"))
_V5_SERVICE = (
    "DROP VIEW sent_alerts",
    """CREATE TABLE outbox_v5 (
        id INTEGER PRIMARY KEY,
        subscriber_id INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
        alert_id INTEGER REFERENCES alerts(id),
        purpose TEXT NOT NULL CHECK (purpose IN
            ('alert', 'correction', 'sources', 'summary', 'broadcast', 'digest', 'notice')),
        priority INTEGER NOT NULL,
        payload TEXT,
        attachment BLOB,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN
            ('pending', 'sent', 'held', 'summarized', 'muted', 'skipped', 'parked', 'dropped')),
        attempts INTEGER NOT NULL DEFAULT 0,
        not_before TEXT,
        last_error TEXT,
        telegram_message_id INTEGER,
        shown_revision INTEGER,
        shown_sources INTEGER,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    f"INSERT INTO outbox_v5 ({_OUTBOX_COLUMNS}) SELECT {_OUTBOX_COLUMNS} FROM outbox",
    "DROP TABLE outbox",
    "ALTER TABLE outbox_v5 RENAME TO outbox",
    "CREATE INDEX outbox_pending ON outbox (priority, id) WHERE status = 'pending'",
    "CREATE INDEX outbox_held ON outbox (subscriber_id) WHERE status = 'held'",
    "CREATE INDEX outbox_by_alert ON outbox (alert_id, subscriber_id)",
    "CREATE INDEX outbox_sent ON outbox (updated_at) WHERE status = 'sent'",
    _SENT_ALERTS_VIEW,
    # Daily digest: NULL = off, 'default' = the service's DIGEST_TIME, else 'HH:MM', all in
    # the subscriber's tz; the local date of the last digest enqueued makes the job
    # idempotent across restarts.
    "ALTER TABLE subscribers ADD COLUMN digest_time TEXT",
    "ALTER TABLE subscribers ADD COLUMN digest_last_date TEXT",
    # One row per part per heartbeat (hourly), kept for `status` and stall detection.
    """CREATE TABLE heartbeats (
        part TEXT NOT NULL,
        at TEXT NOT NULL,
        status TEXT NOT NULL,
        restarts INTEGER NOT NULL DEFAULT 0,
        last_progress_at TEXT,
        detail TEXT,
        PRIMARY KEY (part, at)
    ) WITHOUT ROWID""",
    # Scheduled jobs: when each last ran, so a restart neither repeats nor bursts them.
    """CREATE TABLE job_runs (
        job TEXT PRIMARY KEY,
        last_run_at TEXT,
        last_ok_at TEXT,
        last_error TEXT,
        runs INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID""",
    # Per-channel rhythm; `silent` is remembered so admins hear once when it goes silent
    # and once when it comes back.
    """CREATE TABLE channel_health (
        channel_id INTEGER PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
        posts_per_day REAL,
        usual_gap_seconds REAL,
        last_post_at TEXT,
        silent INTEGER NOT NULL DEFAULT 0,
        silent_since TEXT,
        checked_at TEXT NOT NULL
    )""",
)

# Issue 5 follow-ups. `rank`: a row's place within its fan-out (0, 1, 2 ... per alert and
# purpose in one enqueue), so the sender orders by (priority, rank, id) and a later
# incident's first messages go out among an earlier fan-out's instead of behind all of it.
# `outbox_charts`: a digest chart stored once, keyed by its SHA-256, referenced by `chart`
# from every digest row that sends it (it was copied into each row's `attachment`).
# The random_id key is made here (SQLite's randomblob reads the OS's randomness), so the
# sender never needs a write before its first send.
_V6_FANOUT = (
    "ALTER TABLE outbox ADD COLUMN rank INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE outbox ADD COLUMN chart TEXT",
    "DROP INDEX outbox_pending",
    "CREATE INDEX outbox_pending ON outbox (priority, rank, id) WHERE status = 'pending'",
    "CREATE INDEX outbox_by_chart ON outbox (chart) WHERE chart IS NOT NULL",
    """CREATE TABLE outbox_charts (
        sha256 TEXT PRIMARY KEY,
        png BLOB NOT NULL,
        created_at TEXT NOT NULL
    )""",
    "INSERT OR IGNORE INTO alert_state (name, value)"
    " VALUES ('send_key_secret', lower(hex(randomblob(16))))",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "contract schema: tables, FTS5 index and its triggers", _V1_TABLES + _V1_FTS),
    Migration(2, "views for researchers and the indexes filters use", _V2_VIEWS),
    Migration(3, "channels the Telegram watcher follows (channels add/remove)", _V3_WATCHED),
    Migration(4, "alerts: subscribers, subscriptions, alerts, outbox, sent alerts", _V4_ALERTS),
    Migration(5, "service: digests, notices, heartbeats, job runs, channel health", _V5_SERVICE),
    Migration(6, "outbox: fan-out rank, digest charts stored once", _V6_FANOUT),
)

SCHEMA_VERSION = MIGRATIONS[-1].version


async def user_version(conn: aiosqlite.Connection) -> int:
    async with conn.execute("PRAGMA user_version") as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


async def migrate(
    conn: aiosqlite.Connection,
    migrations: Sequence[Migration] = MIGRATIONS,
    *,
    target: int | None = None,
    where: str = "database",
) -> list[int]:
    """Apply the steps after the file's `user_version` (up to `target`); return those applied.

    `conn` must be in autocommit mode (isolation_level=None) so BEGIN/COMMIT are ours.
    """
    _check_sequence(migrations)
    known = migrations[-1].version if migrations else 0
    current = await user_version(conn)
    if current > known:
        raise StorageError(
            f"{where}: schema version {current} was created by a newer uavwatch "
            f"(this one knows up to {known}); upgrade uavwatch to open it"
        )
    goal = known if target is None else target
    applied: list[int] = []
    for step in migrations:
        if current < step.version <= goal:
            await _apply(conn, step, where)
            applied.append(step.version)
    return applied


async def _apply(conn: aiosqlite.Connection, step: Migration, where: str) -> None:
    await conn.execute("BEGIN IMMEDIATE")
    try:
        for statement in step.statements:
            await conn.execute(statement)
        # PRAGMA takes no parameters; the version is an int from our own table, not input.
        await conn.execute(f"PRAGMA user_version = {int(step.version)}")
    except sqlite3.Error as exc:
        await conn.rollback()
        raise StorageError(
            f"{where}: migration {step.version} ({step.name}) failed and was rolled back, "
            f"the schema stays at version {step.version - 1}: {exc}"
        ) from exc
    except BaseException:
        await conn.rollback()
        raise
    await conn.commit()


def _check_sequence(migrations: Sequence[Migration]) -> None:
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise StorageError(f"migrations must be numbered 1..N without gaps, got {versions}")
