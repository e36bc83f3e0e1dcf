"""Set-based bulk writes: a whole batch of rows as ONE JSON parameter, ONE statement.

Why not `executemany`: it runs one statement per row, and (1) FTS5 flushes its pending
terms at the end of every statement, so the sync trigger on `posts` costs ~40 us per
single-row INSERT but a few us per row of one multi-row INSERT ... SELECT; (2) it needs the
GIL for every row, so it cannot run beside the event loop's classifying. One statement
over `json_each(?)` runs in SQLite's C code with the GIL released: the write of one batch
overlaps the classification of the next.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import aiosqlite

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def insert_select(table: str, columns: Sequence[str], tail: str = "") -> str:
    """`INSERT INTO table (columns) SELECT value->>0, ... FROM json_each(?)` + `tail`.

    `WHERE true` lets an `ON CONFLICT` tail parse (SQLite's documented upsert ambiguity).
    Table and column names are our own constants, never input; the rows are a parameter.
    """
    picks = ", ".join(f"value ->> {i}" for i in range(len(columns)))
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {picks}"
        f" FROM json_each(?) WHERE true{tail}"
    )


async def insert_rows(
    conn: aiosqlite.Connection, sql: str, rows: Sequence[Sequence[object]]
) -> None:
    """Run an `insert_select` statement over `rows` (tuples in column order)."""
    if rows:
        await conn.execute(sql, (_ENCODER.encode(rows),))


def storable(text: str) -> str:
    """Text SQLite can hold: a lone UTF-16 surrogate (a broken emoji in an export) has no
    UTF-8 form and would fail the whole batch; it becomes '?'."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text
