"""Telling the admins when a scheduled job starts failing, and when it works again.

A nightly backup into an unwritable BACKUP_DIR fails every night; the log says so, but
nobody reads logs on a quiet VPS. The first failure after a success is one notice, the
first success after failures another: once per change, never once per run. What was told
is remembered in `alert_state` (`job_failing:<job>`), so a restart neither repeats a
notice nor forgets one is owed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.jobs import store
from bot.jobs.notices import Notifier
from bot.storage import Database, to_iso, utc_now

_PREFIX = "job_failing:"
# The error as the notice shows it: the job's own message says what and where.
_ERROR_SHOWN = 300


class JobAlerts:
    """`await alerts(job, error)` after each run (error None: it succeeded)."""

    def __init__(
        self,
        db: Database,
        notices: Notifier,
        *,
        now: Callable[[], datetime] = utc_now,
        wake: Callable[[], None] | None = None,
    ) -> None:
        self._db = db
        self._notices = notices
        self._now = now
        self._wake = wake

    async def __call__(self, job: str, error: BaseException | None) -> bool:
        """True when this run changed the job's state (and the admins were told)."""
        key, now = _PREFIX + job, self._now()
        told = 0
        async with self._db.transaction() as conn:
            failing = await store.get_state(conn, key) is not None
            if error is not None and not failing:
                await store.set_state(conn, key, to_iso(now))
                shown = f"{type(error).__name__}: {error}"[:_ERROR_SHOWN]
                told = await self._notices.notify(
                    conn, "notice_job_failed", lambda _: {"job": job, "error": shown}, now
                )
            elif error is None and failing:
                await store.set_state(conn, key, None)
                told = await self._notices.notify(
                    conn, "notice_job_ok", lambda _: {"job": job}, now
                )
            else:
                return False
        if told and self._wake is not None:
            self._wake()
        return True
