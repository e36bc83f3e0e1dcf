"""The sources' own loops as `job_runs` rows: the watcher's poll, reconcile sweep and
catch-up, and the web-preview poll (see `bot.sources.telegram.rounds` for why these stay
loops and are not APScheduler jobs). `uavwatch status` then lists their last run and
failure beside the scheduled jobs, under the names `watcher.poll`, `watcher.reconcile`,
`watcher.catchup` and `webpreview.poll`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.jobs.scheduler import record_run
from bot.sources.telegram.rounds import OnRound, RoundFailed
from bot.sources.webpreview_poller import PollError, WebPreviewPoller
from bot.storage import Database, utc_now

log = logging.getLogger(__name__)


def round_recorder(db: Database, part: str) -> OnRound:
    """`on_round` for a source: each round as the job `<part>.<round>`."""

    async def record(name: str, started: datetime, error: BaseException | None) -> None:
        await record_run(db, f"{part}.{name}", started, error)

    return record


class RecordingPoller(WebPreviewPoller):
    """The web-preview poller, each poll recorded as `webpreview.poll`. Channels are polled
    on their own schedules, so the job's error names every channel whose last poll failed
    (a good poll of one channel does not hide another's failure)."""

    def __init__(
        self,
        *args: Any,
        db: Database,
        now: Callable[[], datetime] = utc_now,
        **kwargs: Any,
    ) -> None:
        super().__init__(db, *args, **kwargs)
        self._record = round_recorder(db, "webpreview")
        self._now = now
        self.failing: dict[str, str] = {}

    async def poll_logged(self, name: str) -> PollError | None:
        started = self._now()
        error = await super().poll_logged(name)
        if error is None:
            self.failing.pop(name, None)
        else:
            self.failing[name] = str(error)
        failed = None
        if self.failing:
            listed = "; ".join(f"@{n}: {e}" for n, e in sorted(self.failing.items()))
            failed = RoundFailed(f"{len(self.failing)} channel(s) failing: {listed}")
        try:
            await self._record("poll", started, failed)
        except Exception as exc:  # bookkeeping: the poll itself is done
            log.warning("could not record the web-preview poll: %s", exc)
        return error
