"""The service's clock: APScheduler 3.x (`AsyncIOScheduler`, UTC) plus what must survive a
restart, kept in the `job_runs` table.

APScheduler keeps its job store in memory, so on its own it forgets that a nightly job
was due while the process was down. `start()` reads `job_runs` and runs such a daily job
ONCE at start-up (missed runs coalesce, never a burst), however late: the grace below is
about a running process, and a backup hours late is worth more than a night without one.
Every job is `coalesce=True`, `max_instances=1` and `misfire_grace_time=grace` (a run
delayed that much by a busy process still happens; later, it waits for its next time).
A job that raises is logged with its name and recorded; the scheduler and the other jobs
carry on; `on_outcome(job, error)` hears of every finished run (the admins' notices).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.storage import Database, from_iso, to_iso, utc_now

log = logging.getLogger(__name__)

JobFunc = Callable[[], Awaitable[object]]
Outcome = Callable[[str, BaseException | None], Awaitable[object]]
# A job's error text is kept for `uavwatch status`; a traceback belongs in the log.
_ERROR_MAX = 500


@dataclass(frozen=True, slots=True)
class JobRun:
    """One row of `job_runs`."""

    job: str
    last_run_at: datetime | None
    last_ok_at: datetime | None
    last_error: str | None
    runs: int


def parse_clock(at: str) -> time:
    """ "03:30" -> time(3, 30); a clear ValueError otherwise."""
    hours, sep, minutes = at.strip().partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit():
        raise ValueError(f"daily time {at!r} must be HH:MM, such as 03:30")
    return time(int(hours), int(minutes))


def last_fire_time(at: str, now: datetime) -> datetime:
    """The most recent moment (UTC) at or before `now` when a job daily at `at` was due."""
    clock = parse_clock(at)
    today = datetime.combine(now.astimezone(UTC).date(), clock, tzinfo=UTC)
    return today if today <= now else today - timedelta(days=1)


def missed_daily(at: str, last_run_at: datetime | None, now: datetime) -> bool:
    """Whether a daily job's last scheduled time passed without a run (process down).

    A job that never ran has nothing to catch up: a fresh install waits for its time."""
    return last_run_at is not None and last_run_at < last_fire_time(at, now)


async def load_runs(db: Database) -> dict[str, JobRun]:
    rows = await db.read("SELECT job, last_run_at, last_ok_at, last_error, runs FROM job_runs")
    return {
        str(job): JobRun(
            str(job),
            None if run is None else from_iso(str(run)),
            None if ok is None else from_iso(str(ok)),
            None if err is None else str(err),
            int(runs),  # type: ignore[call-overload]
        )
        for job, run, ok, err, runs in rows
    }


async def record_run(
    db: Database, job: str, started: datetime, error: BaseException | None
) -> None:
    """One finished run: when it started, and whether it ended well (an error is kept
    until the next good run clears it)."""
    at = to_iso(started)
    err = None if error is None else f"{type(error).__name__}: {error}"[:_ERROR_MAX]
    await db.execute(
        "INSERT INTO job_runs (job, last_run_at, last_ok_at, last_error, runs)"
        " VALUES (?, ?, ?, ?, 1) ON CONFLICT (job) DO UPDATE SET"
        " last_run_at = excluded.last_run_at,"
        " last_ok_at = coalesce(excluded.last_ok_at, job_runs.last_ok_at),"
        " last_error = excluded.last_error, runs = job_runs.runs + 1",
        (job, at, None if error else at, err),
    )


@dataclass(slots=True)
class _Daily:
    name: str
    at: str
    func: JobFunc


class Scheduler:
    """Add jobs, then `await start()`; `await shutdown()` cancels runs in flight."""

    def __init__(
        self,
        db: Database,
        *,
        grace: timedelta,
        now: Callable[[], datetime] = utc_now,
        on_error: Callable[[str, BaseException], None] | None = None,
        on_outcome: Outcome | None = None,
    ) -> None:
        self._db = db
        self._grace = max(1, int(grace.total_seconds()))
        self._now = now
        self._on_error = on_error
        self.on_outcome = on_outcome  # public: register_service_jobs sets the notices
        self._aps = AsyncIOScheduler(timezone=UTC)
        self._daily: list[_Daily] = []
        self._first_now: list[str] = []
        self._running: set[asyncio.Task[object]] = set()
        self._started = False

    # -- jobs ---------------------------------------------------------------------------
    def interval(
        self, name: str, seconds: float, func: JobFunc, *, first_now: bool = False
    ) -> None:
        """Every `seconds`; the first run at once when `first_now`, else after one period."""
        if seconds <= 0:
            raise ValueError(f"job {name}: interval must be above 0 seconds, got {seconds}")
        self._add(name, IntervalTrigger(seconds=seconds, timezone=UTC), func)
        if first_now:
            self._first_now.append(name)

    def daily(self, name: str, at: str, func: JobFunc) -> None:
        """Every day at `at` ("HH:MM", UTC); caught up once at start if a run was missed."""
        clock = parse_clock(at)
        self._daily.append(_Daily(name, at, func))
        trigger = CronTrigger(hour=clock.hour, minute=clock.minute, timezone=UTC)
        self._add(name, trigger, func)

    def _add(self, name: str, trigger: object, func: JobFunc) -> None:
        if self._aps.get_job(name) is not None:
            raise ValueError(f"a job named {name!r} is already scheduled")
        self._aps.add_job(
            self._runner(name, func), trigger, id=name, name=name, coalesce=True,
            max_instances=1, misfire_grace_time=self._grace,
        )  # fmt: skip

    def _runner(self, name: str, func: JobFunc) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            await self.run_now(name, func)

        return run

    async def run_now(self, name: str, func: JobFunc) -> bool:
        """One run of a job, recorded; True if it succeeded. Never raises (but cancels)."""
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        started, error = self._now(), None
        try:
            await func()
        except Exception as exc:
            error = exc
            log.exception("scheduled job %s failed: %s", name, exc)
            if self._on_error is not None:
                self._on_error(name, exc)
        finally:
            if task is not None:
                self._running.discard(task)
        try:
            await record_run(self._db, name, started, error)
            if self.on_outcome is not None:
                await self.on_outcome(name, error)
        except Exception as exc:  # a closed database at shutdown must not kill the loop
            log.warning("could not record the run of job %s: %s", name, exc)
        return error is None

    # -- lifecycle ----------------------------------------------------------------------
    async def start(self) -> None:
        """Start the timers; a daily job missed while the process was down runs once now."""
        if self._started:
            raise RuntimeError("the scheduler is already started")
        runs, now = await load_runs(self._db), self._now()
        at_once = list(self._first_now)
        for job in self._daily:
            last = runs.get(job.name)
            if missed_daily(job.at, last.last_run_at if last else None, now):
                log.info("job %s missed its run at %s UTC: running it once now", job.name, job.at)
                at_once.append(job.name)
        for name in at_once:  # APScheduler's clock: it decides what is due
            self._aps.modify_job(name, next_run_time=datetime.now(UTC))
        self._aps.start()
        self._started = True

    async def shutdown(self) -> None:
        """Stop the timers and cancel runs in flight (they are recorded as not run)."""
        if not self._started:
            return
        self._started = False
        self._aps.shutdown(wait=False)
        running = list(self._running)
        for task in running:
            task.cancel()
        if running:
            await asyncio.gather(*running, return_exceptions=True)
        await asyncio.sleep(0)  # APScheduler's own shutdown runs as a loop callback

    @property
    def running(self) -> bool:
        return self._started

    def next_run_time(self, name: str) -> datetime | None:
        """When the job runs next (APScheduler's real clock), None if it is not scheduled."""
        job = self._aps.get_job(name)
        return None if job is None else job.next_run_time

    def job_names(self) -> list[str]:
        return sorted(job.id for job in self._aps.get_jobs())
