"""An import beside the service: another process holds SQLite's write lock (here a second
connection in `BEGIN IMMEDIATE`, as `uavwatch import` does for a whole file). The service's
writes wait for it instead of failing; short commands still fail fast and say why."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakes.testing import eventually

from bot.errors import StorageError
from bot.models import NewPost, Post, Source
from bot.pipeline import Pipeline
from bot.storage import Database
from bot.storage.database import WriteAbandoned

POST = Post(
    "kursk_news", None, 7, datetime(2026, 1, 1, tzinfo=UTC), "Сбит беспилотник.", Source.LIVE
)


@pytest.fixture
def importer(db_path: Path) -> Iterator[Callable[[], sqlite3.Connection]]:
    """`hold()` opens a second connection and takes the write lock, as an import does."""
    held: list[sqlite3.Connection] = []

    def hold() -> sqlite3.Connection:
        conn = sqlite3.connect(db_path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO alert_state (name, value) VALUES ('import', 'running')")
        held.append(conn)
        return conn

    yield hold
    for conn in held:
        conn.close()


async def test_a_service_write_waits_for_an_import_and_loses_nothing(
    db_path: Path, importer: Callable[[], sqlite3.Connection], caplog: pytest.LogCaptureFixture
) -> None:
    """1. the import takes the write lock 2. a live post arrives 3. the import commits.
    Result: the post is stored (after the import), one warning says why it waited."""
    async with await Database.open(db_path, write_wait=60.0, busy_timeout_ms=20) as db:
        importing = importer()
        caplog.set_level(logging.WARNING)
        write = asyncio.ensure_future(Pipeline(db).ingest(NewPost(POST)))
        await eventually(lambda: db.lock_waits == 1)
        await asyncio.sleep(0.1)  # several retries while the lock is held
        assert not write.done()
        importing.execute("COMMIT")
        result = await asyncio.wait_for(write, 10)
        assert result.kind == "new"
        assert await db.read("SELECT message_id FROM posts") == [(7,)]
        assert await db.read("SELECT value FROM alert_state WHERE name = 'import'") == [
            ("running",)
        ]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "holds the write lock" in warnings[0]


async def test_a_single_statement_write_waits_too(
    db_path: Path, importer: Callable[[], sqlite3.Connection]
) -> None:
    """`Database.execute` (the sender's delivered mark) takes the same lock."""
    async with await Database.open(db_path, write_wait=60.0, busy_timeout_ms=20) as db:
        importing = importer()
        write = asyncio.ensure_future(
            db.execute("INSERT INTO alert_state (name, value) VALUES ('x', '1')")
        )
        await eventually(lambda: db.lock_waits == 1)
        importing.execute("COMMIT")
        assert await asyncio.wait_for(write, 10) == 1


async def test_without_write_wait_a_held_lock_fails_fast_with_a_clear_error(
    db_path: Path, importer: Callable[[], sqlite3.Connection]
) -> None:
    async with await Database.open(db_path, busy_timeout_ms=20) as db:
        importer()
        with pytest.raises(StorageError) as err:
            await Pipeline(db).ingest(NewPost(POST))
    message = str(err.value)
    assert str(db_path) in message and "another process held the write lock" in message
    assert "an import" in message


async def test_a_write_that_waits_longer_than_write_wait_gives_up(
    db_path: Path, importer: Callable[[], sqlite3.Connection]
) -> None:
    async with await Database.open(db_path, write_wait=0.05, busy_timeout_ms=20) as db:
        importer()
        with pytest.raises(StorageError, match="another process held the write lock"):
            await Pipeline(db).ingest(NewPost(POST))
        assert db.lock_waits == 1


async def test_a_write_waiting_for_an_import_gives_up_when_the_service_stops(
    db_path: Path, importer: Callable[[], sqlite3.Connection]
) -> None:
    """1. the import holds the lock 2. a live post's write waits (write_wait 15 min)
    3. the service starts stopping. Result: the waiting write gives up at once with
    WriteAbandoned (nothing written), later writes fail at once too, and the database
    closes while the import still holds the lock."""
    stop = asyncio.Event()
    db = await Database.open(db_path, write_wait=900.0, busy_timeout_ms=200, stop=stop)
    try:
        importing = importer()
        write = asyncio.ensure_future(Pipeline(db).ingest(NewPost(POST)))
        await eventually(lambda: db.lock_waits == 1)
        stop.set()
        with pytest.raises(WriteAbandoned, match="the service is stopping"):
            await asyncio.wait_for(write, 10)
        assert db.busy_timeout_ms == 0
        assert (await db.read("PRAGMA busy_timeout")) == [(0,)]
        with pytest.raises(WriteAbandoned):
            await db.execute("INSERT INTO alert_state (name, value) VALUES ('x', '1')")
        assert db.abandoned == 2 and db.lock_waits == 1  # the second never waited
    finally:
        await db.close()
    importing.execute("COMMIT")
    with sqlite3.connect(db_path) as check:
        assert check.execute("SELECT count(*) FROM posts").fetchone() == (0,)
        assert check.execute("SELECT count(*) FROM alert_state WHERE name = 'x'").fetchone() == (0,)


async def test_a_transaction_cancelled_while_sqlite_waits_for_the_lock_leaves_none_open(
    db_path: Path, importer: Callable[[], sqlite3.Connection]
) -> None:
    """1. the import holds the lock 2. a transaction's BEGIN IMMEDIATE waits inside SQLite
    (busy_timeout) 3. its task is cancelled 4. the import commits while SQLite still waits,
    so that BEGIN succeeds after all. Result: it is rolled back; the next transaction
    starts and commits normally."""
    async with await Database.open(db_path, busy_timeout_ms=5_000) as db:
        importing = importer()

        async def write() -> None:
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO alert_state (name, value) VALUES ('a', '1')")

        task = asyncio.ensure_future(write())
        await asyncio.sleep(0.2)  # BEGIN IMMEDIATE is now waiting in the database thread
        task.cancel()
        await asyncio.sleep(0)
        importing.execute("COMMIT")
        with pytest.raises(asyncio.CancelledError):
            await task
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO alert_state (name, value) VALUES ('b', '1')")
        names = await db.read("SELECT name FROM alert_state WHERE name IN ('a', 'b')")
    assert names == [("b",)]
