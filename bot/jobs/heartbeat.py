"""The heartbeat job: one `heartbeats` row per part from `Parts.snapshot()`, so `uavwatch
status` (another process) can see each part's state, restarts and last progress; rows older
than HEARTBEAT_KEEP are pruned in the same transaction."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.service.parts import Parts, PartState
from bot.storage import Database, to_iso

HEARTBEAT_KEEP = timedelta(days=30)


def heartbeat_row(state: PartState, at: datetime) -> tuple[object, ...]:
    detail = state.last_error if state.status in ("restarting", "failed") else state.detail
    progress = None if state.last_progress_at is None else to_iso(state.last_progress_at)
    return (state.name, to_iso(at), state.status, state.restarts, progress, detail)


async def write_heartbeats(db: Database, parts: Parts, now: datetime) -> int:
    """Rows written (one per part); a second beat in the same second replaces the first."""
    rows = [heartbeat_row(state, now) for state in parts.snapshot()]
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT OR REPLACE INTO heartbeats (part, at, status, restarts, last_progress_at,"
            " detail) VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
        await conn.execute("DELETE FROM heartbeats WHERE at < ?", (to_iso(now - HEARTBEAT_KEEP),))
    return len(rows)
