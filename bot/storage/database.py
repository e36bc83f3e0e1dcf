"""Opening the archive and the one writer connection.

Every write in the process goes through `Database.transaction()`: one aiosqlite connection,
one asyncio lock, `BEGIN IMMEDIATE` (take the write lock up front, so two writers queue on
`busy_timeout` instead of failing half-way with SQLITE_BUSY on upgrade), COMMIT or ROLLBACK
as a whole. Readers (export, search) open their own connections; WAL lets them read a
consistent snapshot while the writer works.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from types import TracebackType

import aiosqlite

from bot.errors import StorageError
from bot.storage.migrations import MIGRATIONS, SCHEMA_VERSION, Migration, migrate

# How long a writer waits for another process's write transaction before giving up.
# An import batch commits in well under a second; 10 s leaves room for a checkpoint.
BUSY_TIMEOUT_MS = 10_000

# The pragmas every connection needs. synchronous=NORMAL is safe with WAL (a power cut may
# lose the last commits, never corrupt the file) and much faster than FULL.
_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA foreign_keys = ON",
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA temp_store = MEMORY",  # the ingest staging table never touches the disk
)


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


class Database:
    """The writer. Open with `await Database.open(path)` (or `async with`), close when done."""

    def __init__(self, path: Path, conn: aiosqlite.Connection) -> None:
        self.path = path
        self._conn: aiosqlite.Connection | None = conn
        self._lock = asyncio.Lock()

    @classmethod
    async def open(
        cls, path: str | Path, *, migrations: tuple[Migration, ...] = MIGRATIONS
    ) -> Database:
        """Create (0600) or open the file, set pragmas, apply pending migrations."""
        path = Path(path)
        _create_private(path)
        try:
            conn = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise StorageError(f"{path}: cannot open the database: {exc}") from exc
        try:
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
        return cls(path, conn)

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
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction: all of it is committed, or none of it (then re-raised).

        Transactions from concurrent tasks queue on the lock; sqlite3 errors become
        StorageError naming the file. Do not nest: the lock is not re-entrant.
        """
        async with self._lock:
            conn = self._require_open()
            await self._begin(conn)
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

    async def _begin(self, conn: aiosqlite.Connection) -> None:
        try:
            await conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StorageError(
                f"{self.path}: cannot start a write ({exc}); another process held the write "
                f"lock for over {BUSY_TIMEOUT_MS // 1000} s — is a second uavwatch writing?"
            ) from exc

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
                cursor = await conn.execute(sql, params)
            except sqlite3.Error as exc:
                raise StorageError(f"{self.path}: write failed: {exc}") from exc
            return cursor.rowcount

    async def close(self) -> None:
        """Wait for the running transaction (the queue drains), then close. Idempotent."""
        async with self._lock:
            if self._conn is None:
                return
            conn, self._conn = self._conn, None
            try:
                await conn.execute("PRAGMA optimize")
            finally:
                await conn.close()

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
