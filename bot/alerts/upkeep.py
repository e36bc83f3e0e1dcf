"""Keeping the outbox in shape: parked rows back in the queue (an administrator, after an
outage or a fix), finished rows deleted when old (the nightly job). Runs inside the
caller's transaction."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

import aiosqlite

from bot.storage import to_iso


async def requeue_parked(
    conn: aiosqlite.Connection, ids: Sequence[int] | None, now: datetime
) -> list[int]:
    """Parked rows (all, or those of `ids`) back to pending with their attempts reset, to
    be tried again now (after an outage, or once the cause was fixed). Returns their ids;
    ids that are not parked are left alone."""
    where, params = "status = 'parked'", ()
    if ids is not None:
        where += " AND id IN (SELECT value FROM json_each(?))"
        params = (json.dumps(sorted(set(ids))),)
    rows = await conn.execute_fetchall(f"SELECT id FROM outbox WHERE {where} ORDER BY id", params)
    found = [int(r[0]) for r in rows]
    await conn.executemany(
        "UPDATE outbox SET status = 'pending', attempts = 0, not_before = NULL,"
        " last_error = 'requeued after: ' || coalesce(last_error, '?'), updated_at = ?"
        " WHERE id = ? AND status = 'parked'",
        [(to_iso(now), i) for i in found],
    )
    return found


# Rows the sender is done with for good (parked ones may be requeued, held ones summarised).
_FINISHED = "status NOT IN ('pending', 'held', 'parked')"


async def prune_finished(
    conn: aiosqlite.Connection, before: datetime, after_id: int, limit: int
) -> tuple[int, int | None]:
    """Delete finished rows last touched before `before`, among the next `limit` rows with
    an id above `after_id` (a keyset walk: no index to maintain on every mark, one pass over
    the table in all). Returns (rows deleted, the id to go on from; None: the end). Also
    clears the chart copy of finished rows (digests queued before schema version 6)."""
    rows = await conn.execute_fetchall(
        "SELECT max(id) FROM (SELECT id FROM outbox WHERE id > ? ORDER BY id LIMIT ?)",
        (after_id, limit),
    )
    last = next(iter(rows))[0]
    if last is None:
        return 0, None
    span = f"id > ? AND id <= ? AND {_FINISHED}"
    await conn.execute(
        f"UPDATE outbox SET attachment = NULL WHERE {span} AND attachment IS NOT NULL",
        (after_id, last),
    )
    cur = await conn.execute(
        f"DELETE FROM outbox WHERE {span} AND updated_at < ?", (after_id, last, to_iso(before))
    )
    return cur.rowcount, int(last)
