"""Set-based bulk writes: many rows per statement, as multi-row `VALUES` with bound parameters.

Why not `executemany`: it runs one statement per row, and FTS5 flushes its pending terms at
the end of every statement, so the sync trigger on `posts` costs ~40 us per single-row INSERT
but a few us per row of one multi-row INSERT. Why not one JSON parameter read back with
`json_each` (the first version): on SQLite 3.40 every `value ->> i` re-parses the row's JSON,
and the JSON had to be built in Python first; bound parameters cost ~4 us less per post row
(bench/archive.py). SQLite releases the GIL while it steps the statement, so the write of
one batch still overlaps the next batch's work on the event loop.

Every statement of a table has the same text (a fixed number of row slots; a short last chunk
is padded with NULL rows that a `WHERE` drops), so SQLite compiles it once and the sqlite3
module's statement cache keeps it, instead of one compile per distinct row count.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

# Row slots per statement, at most: past a few hundred rows the per-statement overhead is
# gone (bench: 250 and 1,000 rows per statement write equally fast), and padding a short
# last chunk stays cheap.
MAX_ROWS_PER_STATEMENT = 500


@functools.cache
def max_variables() -> int:
    """Bound parameters one statement may take in this process's SQLite (32,766 since 3.32,
    999 before): read from the library, because builds may lower it."""
    conn = sqlite3.connect(":memory:")
    try:
        return conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    finally:
        conn.close()


@dataclass(frozen=True, slots=True)
class BulkInsert:
    """One table's bulk INSERT: `rows` slots of `width` parameters each."""

    sql: str
    width: int
    rows: int


def bulk_insert(table: str, columns: Sequence[str], tail: str = "") -> BulkInsert:
    """`INSERT INTO table (columns) SELECT * FROM (VALUES (?, ...), ...) WHERE column1 IS
    NOT NULL` + `tail` (e.g. an `ON CONFLICT` clause, which the `WHERE` lets parse).

    The first column must never be NULL in a real row: padding rows are all NULL. Table
    and column names are our own constants, never input; the rows are parameters.
    """
    width = len(columns)
    rows = max(1, min(MAX_ROWS_PER_STATEMENT, max_variables() // width))
    slot = "(" + ", ".join("?" * width) + ")"
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM (VALUES "
        + ", ".join([slot] * rows)
        + f") WHERE column1 IS NOT NULL{tail}"
    )
    return BulkInsert(sql, width, rows)


async def insert_rows(
    conn: aiosqlite.Connection, stmt: BulkInsert, rows: Sequence[Sequence[object]]
) -> None:
    """Run `stmt` over `rows` (tuples in column order), `stmt.rows` rows per statement."""
    per = stmt.rows
    for start in range(0, len(rows), per):
        chunk = rows[start : start + per]
        params = [value for row in chunk for value in row]
        if len(params) != stmt.width * len(chunk):
            raise ValueError(f"rows for {stmt.sql[:40]}... must have {stmt.width} values each")
        if len(chunk) < per:
            params.extend([None] * (stmt.width * (per - len(chunk))))
        await conn.execute(stmt.sql, params)


def storable(text: str) -> str:
    """Text SQLite can hold: a lone UTF-16 surrogate (a broken emoji in an export) has no
    UTF-8 form and would fail the whole batch; it becomes '?'."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text
