"""The archive: one SQLite file, forward-only migrations, one writer connection.

Public surface (the rest is internal to the package):
    Database            the writer: `await Database.open(path)`, `async with db.transaction()`
    connect_reader      a read-only sqlite3 connection for export/search (WAL: never blocks)
    SCHEMA_VERSION      the `PRAGMA user_version` this code creates and expects
    to_iso / from_iso   the stored time format (UTC, `YYYY-MM-DDTHH:MM:SS+00:00`)
"""

from bot.storage.database import Database, connect_reader
from bot.storage.migrations import SCHEMA_VERSION
from bot.storage.times import from_iso, to_iso, utc_now

__all__ = ["SCHEMA_VERSION", "Database", "connect_reader", "from_iso", "to_iso", "utc_now"]
