"""Opening the archive and the one writer connection.

Every write in the process goes through `Database.transaction()`: one aiosqlite connection,
one asyncio lock, `BEGIN IMMEDIATE` (take the write lock up front, so two writers queue on
`busy_timeout` instead of failing half-way with SQLITE_BUSY on upgrade), COMMIT or ROLLBACK
as a whole. Readers (export, search) open their own connections; WAL lets them read a
consistent snapshot while the writer works.

Another process's write lock: `uavwatch import` holds it for a whole file (a file is
imported atomically), which can take minutes. Short commands keep the default: wait
`busy_timeout` (10 s), then fail with a clear StorageError. The service opens with
`write_wait=` (minutes) and a short `busy_timeout` (SERVICE_BUSY_TIMEOUT_MS): a write that
finds the lock taken retries with backoff, asleep in the event loop rather than inside
SQLite, until the import commits (one warning per wait), so no post is lost and no part
crashes; its own writes simply queue behind the import.

Shutdown: the service also passes its `stop` event. Once it is set, a write that finds the
lock taken gives up at once (`WriteAbandoned`), and so does every later one (busy_timeout
becomes 0): a stop never waits for an import. What was not written is not lost: posts are
read again from each channel's cursor after the restart, outbox rows stay pending.

A caller that must not stall (the sender, which can keep sending while its marks wait) asks
`transaction(wait=False)` and gets WriteBusy at once instead; its reads go through
`reader()`, a read-only connection that WAL lets read while another process writes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from types import TracebackType
from typing import NoReturn

import aiosqlite

from bot.errors import StorageError, WriteBusy
from bot.storage.migrations import MIGRATIONS, SCHEMA_VERSION, Migration, migrate

log = logging.getLogger(__name__)

# How long a writer waits for another process's write transaction before giving up.
# An import batch commits in well under a second; 10 s leaves room for a checkpoint.
BUSY_TIMEOUT_MS = 10_000
# The service's busy_timeout: each attempt blocks the database thread (and with it every
# other read and write of the process) this long; 1 s keeps a stop within its 10 s budget
# and lets the service retry in the event loop, where a shutdown can interrupt the wait.
SERVICE_BUSY_TIMEOUT_MS = 1_000

# The pragmas every connection needs (busy_timeout is set per connection, see `open`).
# synchronous=NORMAL is safe with WAL (a power cut may lose the last commits, never corrupt
# the file) and much faster than FULL.
_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA temp_store = MEMORY",  # the ingest staging table never touches the disk
)
# Retries of a locked write under `write_wait`: 0.5 s doubling to 15 s between attempts
# (each attempt itself waits busy_timeout inside SQLite).
_RETRY_FIRST = 0.5
_RETRY_CAP = 15.0
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6
# `transaction(wait=False)` waits this long at most for our own writer's lock: our writes
# take milliseconds, so a longer hold is a write of ours waiting for another process.
_NOWAIT_LOCK = 0.2


def _is_locked(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


def _create_private(path: Path) -> None:
    """Create the file with mode 0600 before SQLite does (SQLite would use 0644 & umask).

    SQLite gives the -wal and -shm files the database file's mode, so they stay private too.
    """
    if not path.parent.is_dir():
        raise StorageError(
            f"{path}: directory {path.parent} does not exist; create it or set DB_PATH/--db"
        )
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise StorageError(f"{path}: cannot create the database file: {exc.strerror}") from exc
    os.close(fd)


class WriteAbandoned(StorageError):
    """A write given up because the service is stopping while another process holds the
    write lock: nothing of it was written (a later start reads the posts again)."""


class Database:
    """The writer. Open with `await Database.open(path)` (or `async with`), close when done."""

    def __init__(
        self,
        path: Path,
        conn: aiosqlite.Connection,
        *,
        write_wait: float = 0.0,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        clock: Callable[[], float] = time.monotonic,
        stop: asyncio.Event | None = None,
    ) -> None:
        self.path = path
        self._conn: aiosqlite.Connection | None = conn
        self._lock = asyncio.Lock()
        self.write_wait = write_wait
        self.busy_timeout_ms = busy_timeout_ms
        self.lock_waits = 0  # writes that found another process's lock (and waited)
        self.abandoned = 0  # writes given up because `stop` was set (shutdown)
        self._clock = clock
        self._stop = stop
        self._held_elsewhere = False  # a write of ours is waiting for another process now
        self._reader: aiosqlite.Connection | None = None
        self._reader_lock = asyncio.Lock()

    @classmethod
    async def open(
        cls,
        path: str | Path,
        *,
        migrations: tuple[Migration, ...] = MIGRATIONS,
        write_wait: float = 0.0,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        stop: asyncio.Event | None = None,
    ) -> Database:
        """Create (0600) or open the file, set pragmas, apply pending migrations.

        `write_wait`: seconds a write keeps retrying while another process holds the write
        lock (0: give up after `busy_timeout_ms`, as short commands should). `stop`: once
        set, writes that find the lock taken give up at once (WriteAbandoned)."""
        path = Path(path)
        _create_private(path)
        try:
            conn = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise StorageError(f"{path}: cannot open the database: {exc}") from exc
        try:
            await conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            for pragma in _PRAGMAS:
                await conn.execute(pragma)
            await migrate(conn, migrations, where=str(path))
        except sqlite3.DatabaseError as exc:
            await conn.close()
            raise StorageError(
                f"{path}: not a usable uavwatch database ({exc}); check DB_PATH/--db"
            ) from exc
        except BaseException:
            await conn.close()
            raise
        return cls(path, conn, write_wait=write_wait, busy_timeout_ms=busy_timeout_ms, stop=stop)

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def closed(self) -> bool:
        return self._conn is None

    @asynccontextmanager
    async def transaction(self, *, wait: bool = True) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction: all of it is committed, or none of it (then re-raised).

        Transactions from concurrent tasks queue on the lock; sqlite3 errors become
        StorageError naming the file. Do not nest: the lock is not re-entrant.
        `wait=False`: if another process holds the write lock (or a write of ours is
        already waiting for it), raise WriteBusy at once instead of waiting.
        """
        async with self._holding(wait):
            conn = self._require_open()
            try:
                await (self._begin(conn) if wait else self._begin_now(conn))
            except BaseException:
                # Cancelled while SQLite was still waiting for the lock: BEGIN may succeed
                # in the database thread after all; roll that back (queued behind it).
                await asyncio.shield(conn.rollback())
                raise
            try:
                yield conn
            except BaseException as exc:
                await conn.rollback()
                if isinstance(exc, sqlite3.Error):
                    raise StorageError(
                        f"{self.path}: write failed and was rolled back: {exc}"
                    ) from exc
                raise
            try:
                await conn.commit()
            except sqlite3.Error as exc:
                await conn.rollback()
                raise StorageError(f"{self.path}: commit failed, rolled back: {exc}") from exc

    @asynccontextmanager
    async def _holding(self, wait: bool) -> AsyncIterator[None]:
        """Our writer's lock; without `wait`, WriteBusy instead of queueing behind a write
        of ours that waits for another process (our own transactions take milliseconds)."""
        if wait:
            async with self._lock:
                yield
            return
        busy = WriteBusy(f"{self.path}: another process holds the write lock")
        if self._held_elsewhere:
            raise busy
        try:
            async with asyncio.timeout(_NOWAIT_LOCK):
                await self._lock.acquire()
        except TimeoutError:
            raise busy from None
        try:
            yield
        finally:
            self._lock.release()

    async def _begin(self, conn: aiosqlite.Connection) -> None:
        await self._when_unlocked(lambda: conn.execute("BEGIN IMMEDIATE"), "start a write")

    async def _begin_now(self, conn: aiosqlite.Connection) -> None:
        """BEGIN IMMEDIATE without waiting for another process (WriteBusy if it holds the lock)."""
        await conn.execute("PRAGMA busy_timeout = 0")
        try:
            await conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _is_locked(exc):
                raise WriteBusy(f"{self.path}: another process holds the write lock") from exc
            raise StorageError(f"{self.path}: cannot start a write: {exc}") from exc
        finally:
            await conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")

    async def idle(self) -> None:
        """Return once the write transaction running now (if any) has ended."""
        async with self._lock:
            return

    async def _when_unlocked(self, op: Callable[[], Awaitable[object]], what: str) -> object:
        """Run `op`; while another process holds the write lock, retry with backoff for up
        to `write_wait` seconds (one warning per wait). Then StorageError, saying why."""
        try:
            return await self._retry_locked(op, what)
        finally:
            self._held_elsewhere = False

    async def _retry_locked(self, op: Callable[[], Awaitable[object]], what: str) -> object:
        started = self._clock()
        delay = _RETRY_FIRST
        warned = False
        while True:
            try:
                result = await op()
            except sqlite3.OperationalError as exc:
                waited = self._clock() - started
                if _is_locked(exc) and self._stopping():
                    await self._abandon(what)
                if not _is_locked(exc) or waited >= self.write_wait:
                    total = waited + self.busy_timeout_ms / 1000
                    raise StorageError(
                        f"{self.path}: cannot {what} ({exc}); another process held the write "
                        f"lock for over {total:.0f} s — is a second uavwatch writing (an import)?"
                    ) from exc
                self._held_elsewhere = True
                if not warned:
                    warned = True
                    self.lock_waits += 1
                    log.warning(
                        "%s: another process (an import?) holds the write lock; writes wait "
                        "for it (up to %.0f s)",
                        self.path,
                        self.write_wait,
                    )
                await self._pause(min(delay, max(0.0, self.write_wait - waited)))
                delay = min(delay * 2, _RETRY_CAP)
                continue
            if warned:
                log.info("%s: the write lock is free again; writing", self.path)
            return result

    def _stopping(self) -> bool:
        return self._stop is not None and self._stop.is_set()

    async def _pause(self, seconds: float) -> None:
        """Sleep between retries; a stop ends the sleep (the next attempt then gives up)."""
        if self._stop is None:
            await asyncio.sleep(seconds)
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), seconds)

    async def _abandon(self, what: str) -> NoReturn:
        """Give the write up (shutdown); later writes fail at once instead of each waiting
        busy_timeout for a lock that an import keeps."""
        self.abandoned += 1
        if self.busy_timeout_ms:
            self.busy_timeout_ms = 0
            conn = self._require_open()
            await conn.execute("PRAGMA busy_timeout = 0")
            log.warning(
                "%s: stopping while another process (an import?) holds the write lock: "
                "writes are given up; posts not stored are read again after the restart",
                self.path,
            )
        raise WriteAbandoned(
            f"{self.path}: cannot {what}: the service is stopping and another process holds "
            "the write lock; nothing was written"
        )

    async def read(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        """A small query on the writer connection (waits for the current transaction)."""
        async with self._lock:
            conn = self._require_open()
            return [tuple(row) for row in await conn.execute_fetchall(sql, params)]

    async def execute(self, sql: str, params: tuple[object, ...] = ()) -> int:
        """One write statement, committed on its own (SQLite makes a single statement atomic).

        For hot single-row writes (the sender's delivered mark): one round trip to the
        database thread instead of BEGIN, statement, COMMIT. Returns the rows changed."""
        async with self._lock:
            conn = self._require_open()
            try:
                cursor = await self._when_unlocked(lambda: conn.execute(sql, params), "write")
            except sqlite3.Error as exc:
                raise StorageError(f"{self.path}: write failed: {exc}") from exc
            return cursor.rowcount  # type: ignore[attr-defined]

    async def reader(self) -> aiosqlite.Connection:
        """The shared read-only connection (opened on first use, closed with the database):
        reads on it never wait for the write lock, so they go on during another process's
        long write (WAL). It sees what was committed, not the writer's open transaction."""
        async with self._reader_lock:
            self._require_open()
            if self._reader is None:
                uri = f"{self.path.resolve().as_uri()}?mode=ro"
                try:
                    reader = await aiosqlite.connect(uri, uri=True, isolation_level=None)
                    await reader.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
                except sqlite3.Error as exc:
                    raise StorageError(f"{self.path}: cannot open a reader: {exc}") from exc
                self._reader = reader
            return self._reader

    async def close(self, timeout: float | None = None) -> None:
        """Wait for the running transaction (the queue drains), then close. Idempotent.

        `timeout`: wait at most this long for the running transaction; then close anyway
        (SQLite rolls back what was not committed). `PRAGMA optimize` is skipped with a
        warning when another process holds the write lock."""
        async with self._reader_lock:
            reader, self._reader = self._reader, None
        if reader is not None:
            await reader.close()
        try:
            await asyncio.wait_for(self._lock.acquire(), timeout)
        except TimeoutError:
            log.warning("%s: a write still runs after %.0f s; closing anyway", self.path, timeout)
            locked = False
        else:
            locked = True
        try:
            if self._conn is None:
                return
            conn, self._conn = self._conn, None
            try:
                await conn.execute("PRAGMA optimize")
            except sqlite3.OperationalError as exc:
                log.warning("%s: PRAGMA optimize skipped (%s)", self.path, exc)
            finally:
                await conn.close()
        finally:
            if locked:
                self._lock.release()

    def _require_open(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise StorageError(f"{self.path}: the database is closed; open it again to write")
        return self._conn


def connect_reader(path: str | Path) -> sqlite3.Connection:
    """A read-only sqlite3 connection for export/search/stats (not for the event loop).

    Refuses a missing file (no silent empty archive) and a schema other than this code's.
    """
    path = Path(path)
    if not path.is_file():
        raise StorageError(
            f"{path}: no database here; run `uavwatch import` first or check DB_PATH/--db"
        )
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error as exc:
        raise StorageError(f"{path}: cannot read the database: {exc}") from exc
    if version != SCHEMA_VERSION:
        conn.close()
        newer = version > SCHEMA_VERSION
        raise StorageError(
            f"{path}: schema version {version}, this uavwatch reads {SCHEMA_VERSION}; "
            + ("upgrade uavwatch" if newer else "run `uavwatch reclassify --db` once to migrate it")
        )
    return conn
