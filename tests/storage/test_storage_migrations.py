"""Opening the archive: migrations from every version, rollback, refusal, file mode."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import aiosqlite
import pytest

from bot.errors import StorageError
from bot.storage import SCHEMA_VERSION, Database, connect_reader
from bot.storage.migrations import MIGRATIONS, Migration, migrate, user_version

# One row per table that exists from version 1 on, written with plain SQL so the test does
# not depend on today's pipeline code (an old database was written by old code).
_V1_ROWS = (
    "INSERT INTO channels (id, username, telegram_id, title, home_region, added_at)"
    " VALUES (1, 'old_channel', 42, 'Old', 'RU-SMO', '2024-01-01T00:00:00+00:00')",
    "INSERT INTO posts (id, channel_pk, message_id, date, text, first_seen_at, source)"
    " VALUES (1, 1, 7, '2024-01-01T10:00:00+00:00', 'сбит беспилотник над полем',"
    " '2024-01-01T10:00:05+00:00', 'live')",
    "INSERT INTO post_versions (post_id, version, text, seen_at)"
    " VALUES (1, 1, 'сбит беспилотник над полем', '2024-01-01T10:00:05+00:00')",
    "INSERT INTO classifications (post_id, classifier_version, label, confidence,"
    " drones_destroyed, fields, classified_at) VALUES (1, 'v-old', 'uav_incident', 0.9, 1,"
    " '{}', '2024-01-01T10:00:05+00:00')",
    "INSERT INTO post_regions VALUES (1, 'v-old', 'RU-SMO')",
    "INSERT INTO channel_cursors VALUES (1, 7, '2024-01-01T10:00:05+00:00')",
)


async def _build_at(path: Path, version: int) -> None:
    """A database file at schema `version`, holding one row per table when it has tables."""
    async with aiosqlite.connect(path, isolation_level=None) as conn:
        await migrate(conn, target=version)
        if version >= 1:
            await conn.execute("BEGIN")
            for sql in _V1_ROWS:
                await conn.execute(sql)
            await conn.execute("COMMIT")


def _schema(path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL"
            " AND name NOT LIKE 'sqlite_stat%' ORDER BY type, name"
        ).fetchall()
    conn.close()
    return rows


def test_migrations_are_numbered_from_one_without_gaps() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, SCHEMA_VERSION + 1))
    assert SCHEMA_VERSION >= 2


@pytest.mark.parametrize("start", range(SCHEMA_VERSION))
async def test_upgrade_from_every_earlier_version_keeps_data(tmp_path: Path, start: int) -> None:
    """1. a DB built by the steps up to `start`, with rows  2. opened by today's code.
    Result: at SCHEMA_VERSION, same schema as a fresh file, the rows kept and visible."""
    old, fresh = tmp_path / "old.db", tmp_path / "fresh.db"
    await _build_at(old, start)
    async with await Database.open(old) as db:
        assert await db.read("PRAGMA user_version") == [(SCHEMA_VERSION,)]
        if start >= 1:
            rows = await db.read(
                "SELECT channel, channel_id, message_id, text, label, drones_destroyed, regions"
                " FROM incidents"
            )
            assert rows == [
                ("old_channel", 42, 7, "сбит беспилотник над полем", "uav_incident", 1, "RU-SMO")
            ]
            hits = await db.read("SELECT rowid FROM posts_fts WHERE posts_fts MATCH 'беспилотник'")
            assert hits == [(1,)]
    async with await Database.open(fresh):
        pass
    assert _schema(old) == _schema(fresh)


async def test_failing_step_rolls_back_whole_and_keeps_version(db_path: Path) -> None:
    """A step that creates a table and then fails leaves neither the table nor a bump."""
    broken = Migration(
        SCHEMA_VERSION + 1,
        "broken",
        ("CREATE TABLE half_done (x INTEGER)", "INSERT INTO no_such_table VALUES (1)"),
    )
    async with await Database.open(db_path):
        pass
    with pytest.raises(StorageError) as err:
        await Database.open(db_path, migrations=(*MIGRATIONS, broken))
    assert f"migration {SCHEMA_VERSION + 1} (broken) failed and was rolled back" in str(err.value)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert "half_done" not in names
    assert "posts" in names


async def test_newer_schema_is_refused_with_upgrade_hint(db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StorageError, match=r"created by a newer uavwatch.*upgrade uavwatch"):
        await Database.open(db_path)


async def test_file_and_wal_are_created_private(db_path: Path) -> None:
    """mode 0600 on the database and the -wal/-shm files SQLite creates beside it."""
    async with await Database.open(db_path) as db:
        await db.read("SELECT count(*) FROM posts")
        created = [p for p in db_path.parent.iterdir() if p.name.startswith(db_path.name)]
        assert {p.name for p in created} >= {db_path.name, db_path.name + "-wal"}
        for p in created:
            assert stat.S_IMODE(p.stat().st_mode) == 0o600, p.name


async def test_connection_pragmas(db: Database) -> None:
    assert await db.read("PRAGMA journal_mode") == [("wal",)]
    assert await db.read("PRAGMA foreign_keys") == [(1,)]
    assert await db.read("PRAGMA synchronous") == [(1,)]  # NORMAL
    assert (await db.read("PRAGMA busy_timeout"))[0][0] > 0


async def test_missing_directory_names_it(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="does not exist"):
        await Database.open(tmp_path / "nope" / "x.db")


async def test_not_a_database_is_a_storage_error(db_path: Path) -> None:
    db_path.write_bytes(b"this is a text file, not SQLite" * 100)
    with pytest.raises(StorageError, match="not a usable uavwatch database"):
        await Database.open(db_path)


async def test_closed_database_refuses_writes(db_path: Path) -> None:
    db = await Database.open(db_path)
    await db.close()
    await db.close()  # idempotent
    with pytest.raises(StorageError, match="closed"):
        async with db.transaction():
            pass


async def test_reader_refuses_missing_file_and_old_schema(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="no database here"):
        connect_reader(tmp_path / "missing.db")
    old = tmp_path / "old.db"
    await _build_at(old, 1)
    with pytest.raises(StorageError, match="schema version 1"):
        connect_reader(old)


async def test_user_version_of_an_empty_file_is_zero(db_path: Path) -> None:
    async with aiosqlite.connect(db_path) as conn:
        assert await user_version(conn) == 0


async def test_outbox_rebuild_keeps_deliveries_and_the_sent_alerts_view(tmp_path: Path) -> None:
    """Version 5 rebuilds the outbox (new purposes, an attachment column): a delivered alert
    written at version 4 is still there and still what `sent_alerts` says the chat shows."""
    path = tmp_path / "v4.db"
    async with aiosqlite.connect(path, isolation_level=None) as conn:
        await migrate(conn, target=4)
        await conn.execute("BEGIN")
        for sql in (
            "INSERT INTO subscribers (id, chat_id, created_at, updated_at)"
            " VALUES (1, 500, '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00')",
            "INSERT INTO alerts (id, label, region_codes, fields, excerpt, norm_text,"
            " posted_at, created_at, updated_at) VALUES (3, 'uav_incident', 'RU-SMO', '{}',"
            " 'x', 'x', '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00',"
            " '2025-01-01T00:00:00+00:00')",
            "INSERT INTO alert_sources (alert_id, post_id, message_id, posted_at, added_at)"
            " VALUES (3, 9, 77, '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00')",
            "INSERT INTO outbox (id, subscriber_id, alert_id, purpose, priority, status,"
            " telegram_message_id, shown_revision, shown_sources, created_at, updated_at)"
            " VALUES (11, 1, 3, 'alert', 0, 'sent', 4242, 1, 1, '2025-01-01T00:00:01+00:00',"
            " '2025-01-01T00:00:02+00:00')",
        ):
            await conn.execute(sql)
        await conn.execute("COMMIT")
    async with await Database.open(path) as db:
        assert await db.read("SELECT id, status, telegram_message_id FROM outbox") == [
            (11, "sent", 4242)
        ]
        assert await db.read(
            "SELECT alert_id, subscriber_id, post_id, telegram_message_id FROM sent_alerts"
        ) == [(3, 1, 9, 4242)]
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO outbox (subscriber_id, purpose, priority, attachment, created_at,"
                " updated_at) VALUES (1, 'digest', 2, x'89504e47', 'now', 'now')"
            )


async def test_outbox_v6_ranks_fanouts_keeps_pending_digests_and_the_send_key(
    tmp_path: Path,
) -> None:
    """Version 6 adds the fan-out rank (existing rows: 0) and the shared chart table; a
    digest queued at version 5 keeps its PNG in `attachment`; a send key made before is
    kept, and a database without one gets one."""
    path = tmp_path / "v5.db"
    async with aiosqlite.connect(path, isolation_level=None) as conn:
        await migrate(conn, target=5)
        await conn.execute("BEGIN")
        for sql in (
            "INSERT INTO subscribers (id, chat_id, created_at, updated_at)"
            " VALUES (1, 500, '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00')",
            "INSERT INTO outbox (id, subscriber_id, purpose, priority, payload, attachment,"
            " created_at, updated_at) VALUES (5, 1, 'digest', 5, 'cap', x'89504e47', 'now',"
            " 'now')",
            "INSERT INTO alert_state VALUES"
            " ('send_key_secret', '00112233445566778899aabbccddeeff')",
        ):
            await conn.execute(sql)
        await conn.execute("COMMIT")
    async with await Database.open(path) as db:
        assert await db.read("SELECT id, rank, chart, attachment FROM outbox") == [
            (5, 0, None, b"\x89PNG")
        ]
        assert await db.read("SELECT value FROM alert_state WHERE name = 'send_key_secret'") == [
            ("00112233445566778899aabbccddeeff",)
        ]
        plan = await db.read(
            "EXPLAIN QUERY PLAN SELECT id FROM outbox WHERE status = 'pending'"
            " ORDER BY priority, rank, id LIMIT 5"
        )
        assert "outbox_pending" in str(plan) and "TEMP B-TREE" not in str(plan)
    async with await Database.open(tmp_path / "fresh.db") as fresh:
        ((secret,),) = await fresh.read(
            "SELECT value FROM alert_state WHERE name = 'send_key_secret'"
        )
        assert len(bytes.fromhex(str(secret))) == 16
