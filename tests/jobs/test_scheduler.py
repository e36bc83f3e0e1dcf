"""The scheduler, driven for real (APScheduler on the running loop, its own clock): a daily job
missed while the process was down runs once at start, every run is recorded in `job_runs`,
and a job that raises is logged while the scheduler carries on."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.jobs import JOB_NAMES, register_service_jobs
from bot.jobs.nightly import NightlyJob, backups_in
from bot.jobs.scheduler import Scheduler, last_fire_time, load_runs, missed_daily
from bot.service.parts import Parts
from bot.storage import Database, to_iso

WAIT = 10.0  # an upper bound for events that come at once; never a measured duration


def an_hour_ago() -> str:
    """A daily time that has just passed on the real clock: the next one is ~23 h away."""
    return (datetime.now(UTC) - timedelta(hours=1)).strftime("%H:%M")


async def set_last_run(db: Database, job: str, at: datetime) -> None:
    await db.execute(
        "INSERT INTO job_runs (job, last_run_at, last_ok_at, runs) VALUES (?, ?, ?, 5)",
        (job, to_iso(at), to_iso(at)),
    )


def test_missed_daily_compares_the_last_run_with_the_latest_due_time() -> None:
    now = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
    assert last_fire_time("03:30", now) == datetime(2025, 3, 14, 3, 30, tzinfo=UTC)
    assert last_fire_time("13:00", now) == datetime(2025, 3, 13, 13, 0, tzinfo=UTC)
    assert missed_daily("03:30", now - timedelta(days=3), now)
    assert not missed_daily("03:30", datetime(2025, 3, 14, 3, 30, tzinfo=UTC), now)
    assert not missed_daily("03:30", None, now)  # never ran: a fresh install waits


async def test_nightly_missed_during_downtime_runs_once_at_start(
    db: Database, tmp_path: Path
) -> None:
    """1. job_runs says the nightly job last ran 3 days ago  2. the service starts.
    Result: it runs exactly once (one backup file), and its next run is tomorrow."""
    await set_last_run(db, "nightly", datetime.now(UTC) - timedelta(days=3))
    nightly = NightlyJob(db, backup_dir=tmp_path / "backups", keep=7, retention_days=0)
    done = asyncio.Event()
    runs = 0

    async def job() -> None:
        nonlocal runs
        runs += 1
        await nightly()
        done.set()

    scheduler = Scheduler(db, grace=timedelta(minutes=15))
    scheduler.daily("nightly", an_hour_ago(), job)
    await scheduler.start()
    try:
        await asyncio.wait_for(done.wait(), WAIT)
        for _ in range(20):  # give a burst every chance to show itself
            await asyncio.sleep(0)
        next_run = scheduler.next_run_time("nightly")
    finally:
        await scheduler.shutdown()
    assert runs == 1
    assert len(backups_in(tmp_path / "backups", db.path)) == 1
    assert next_run is not None and next_run > datetime.now(UTC) + timedelta(hours=1)
    record = (await load_runs(db))["nightly"]
    assert record.runs == 6 and record.last_error is None


async def test_a_daily_job_that_ran_on_time_or_never_does_not_run_at_start(db: Database) -> None:
    at = an_hour_ago()
    await set_last_run(db, "on_time", last_fire_time(at, datetime.now(UTC)))
    ran: list[str] = []

    def job(name: str) -> Callable[[], asyncio.Future[None]]:
        async def run() -> None:
            ran.append(name)

        return run  # type: ignore[return-value]

    ticked = asyncio.Event()

    async def tick() -> None:
        ticked.set()

    scheduler = Scheduler(db, grace=timedelta(minutes=15))
    scheduler.daily("on_time", at, job("on_time"))
    scheduler.daily("never", at, job("never"))
    scheduler.interval("tick", 3600, tick, first_now=True)
    await scheduler.start()
    try:
        await asyncio.wait_for(ticked.wait(), WAIT)  # the scheduler did process its jobs
        for _ in range(20):
            await asyncio.sleep(0)
    finally:
        await scheduler.shutdown()
    assert ran == []


async def test_a_raising_job_is_logged_and_the_scheduler_keeps_running(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    failures: list[str] = []
    twice, healthy = asyncio.Event(), asyncio.Event()

    async def boom() -> None:
        if len(failures) >= 1:
            twice.set()
        raise RuntimeError("disk on fire")

    async def fine() -> None:
        healthy.set()

    scheduler = Scheduler(
        db, grace=timedelta(minutes=1), on_error=lambda name, exc: failures.append(name)
    )
    scheduler.interval("boom", 0.05, boom, first_now=True)
    scheduler.interval("fine", 3600, fine, first_now=True)
    with caplog.at_level(logging.ERROR, logger="bot.jobs"):
        await scheduler.start()
        try:
            await asyncio.wait_for(twice.wait(), WAIT)
            await asyncio.wait_for(healthy.wait(), WAIT)
            assert scheduler.running
        finally:
            await scheduler.shutdown()
    assert failures[:2] == ["boom", "boom"]
    logged = [r.getMessage() for r in caplog.records if r.name == "bot.jobs.scheduler"]
    assert any("scheduled job boom failed: disk on fire" in m for m in logged)
    runs = await load_runs(db)
    assert runs["boom"].runs >= 1 and runs["boom"].last_error == "RuntimeError: disk on fire"
    assert runs["boom"].last_ok_at is None
    assert runs["fine"].last_error is None and runs["fine"].last_ok_at is not None


async def test_register_service_jobs_adds_the_four_jobs(
    db: Database, make_settings: Callable[..., Settings]
) -> None:
    scheduler = Scheduler(db, grace=timedelta(minutes=15))
    register_service_jobs(scheduler, db, make_settings(), parts=Parts())
    assert scheduler.job_names() == sorted(JOB_NAMES)
    with pytest.raises(ValueError, match="already scheduled"):
        register_service_jobs(scheduler, db, make_settings(), parts=Parts())


async def test_an_interval_job_held_up_by_a_busy_loop_runs_once_not_in_a_burst(
    db: Database,
) -> None:
    """1. a job every 0.1 s  2. the event loop is blocked for 1 s (ten runs fall due)
    3. it is free again.  Result: one run for the ten missed ones (coalesce), then the
    normal rhythm: no burst of ten runs at once."""
    runs: list[int] = []
    woke = asyncio.Event()

    async def tick() -> None:
        runs.append(len(runs))
        woke.set()

    scheduler = Scheduler(db, grace=timedelta(minutes=1))
    scheduler.interval("tick", 0.1, tick)
    await scheduler.start()
    try:
        await asyncio.wait_for(woke.wait(), WAIT)
        woke.clear()
        before = len(runs)
        time.sleep(1.0)  # a busy process: nothing on the loop runs meanwhile
        await asyncio.wait_for(woke.wait(), WAIT)
        for _ in range(50):  # a burst of due runs would all start within these turns
            await asyncio.sleep(0)
        assert len(runs) - before == 1
    finally:
        await scheduler.shutdown()
