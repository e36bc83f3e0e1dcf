"""Part states into the database as they change, so `uavwatch status` shows the truth.

The hourly heartbeat job alone would leave status wrong for up to HEARTBEAT_MINUTES: a
part that failed would show "running", a clean stop "running" until it looked stale, a
crash late. So every change of a part's status (`Parts.on_change`) is written at once as a
`heartbeats` row, in order, by one writer task; a part that fails for good is also told to
the admins (`notice_part_failed`, through the `Notifier`: only when the bot runs). `close`
writes what is queued and one last row per part (stopped, failed or disabled) before the
database closes, within a time limit: a stop must not wait for an import's write lock.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from bot.jobs.heartbeat import heartbeat_row, write_heartbeats
from bot.jobs.notices import Notifier
from bot.service.parts import Parts, PartState
from bot.storage import Database, utc_now

log = logging.getLogger(__name__)

_INSERT = (
    "INSERT OR REPLACE INTO heartbeats (part, at, status, restarts, last_progress_at, detail)"
    " VALUES (?, ?, ?, ?, ?, ?)"
)


class PartReporter:
    """`start()` once the database is open; `await close(timeout)` before it closes."""

    def __init__(
        self,
        db: Database,
        parts: Parts,
        notices: Notifier,
        *,
        now: Callable[[], datetime] = utc_now,
        wake: Callable[[], None] | None = None,
    ) -> None:
        self._db = db
        self._parts = parts
        self._notices = notices
        self._now = now
        self._wake = wake
        self._queue: asyncio.Queue[tuple[PartState, datetime] | None] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self.written = 0  # rows written on changes (tests, the log)
        parts.on_change(self._changed)

    def _changed(self, state: PartState) -> None:
        self._queue.put_nowait((state, self._now()))

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.ensure_future(self._write_changes())

    async def _write_changes(self) -> None:
        while (item := await self._queue.get()) is not None:
            try:
                await self._write(*item)
            except Exception as exc:  # bookkeeping must never take the service down
                log.warning("could not record that %s is %s: %s", item[0].name, item[0].status, exc)
        try:
            await write_heartbeats(self._db, self._parts, self._now())
        except Exception as exc:
            log.warning("could not write the last heartbeats: %s", exc)

    async def _write(self, state: PartState, at: datetime) -> None:
        told = 0
        async with self._db.transaction() as conn:
            await conn.execute(_INSERT, heartbeat_row(state, at))
            if state.status == "failed":
                error = state.last_error or "?"
                told = await self._notices.notify(
                    conn, "notice_part_failed",
                    lambda _: {"part": state.name, "error": error}, at,
                )  # fmt: skip
        self.written += 1
        if told and self._wake is not None:
            self._wake()

    async def close(self, timeout: float) -> None:
        """Write the queued changes and a last row per part, for at most `timeout` s."""
        if self._task is None:
            return
        self._queue.put_nowait(None)
        done, _ = await asyncio.wait({self._task}, timeout=timeout)
        if not done:
            log.warning("part states not written within %.1f s; status shows older ones", timeout)
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
