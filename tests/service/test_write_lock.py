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
