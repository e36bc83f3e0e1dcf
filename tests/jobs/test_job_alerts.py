"""Scheduled jobs that keep failing tell the admins, once per change; without the bot
nothing is queued for sending (no digest job, notices only in the log)."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import ADMIN, T0, Clock, add_posts, add_subscriber

from bot.config import Settings
from bot.jobs import JobAlerts, Notifier, register_service_jobs
from bot.jobs.health_job import HealthJob
from bot.jobs.nightly import NightlyJob
from bot.jobs.scheduler import Scheduler
from bot.service.parts import Parts
from bot.storage import Database


async def notices(db: Database) -> list[str]:
    rows = await db.read("SELECT payload FROM outbox WHERE purpose = 'notice' ORDER BY id")
    return [str(r[0]) for r in rows]


async def test_a_nightly_backup_that_keeps_failing_is_told_once_and_its_recovery_once(
    db: Database, tmp_path: Path, clock: Clock
) -> None:
    """1. BACKUP_DIR is not writable (a file stands where the directory should be): the
    nightly job fails three nights in a row 2. the operator fixes it: it works twice
    3. it fails again. Result: three notices to the admin: failing (with the error that
    names BACKUP_DIR), working again, failing again; never one per night."""
    await add_subscriber(db, ADMIN)
    blocked = tmp_path / "backups"
    blocked.write_text("not a directory")
    alerts = JobAlerts(db, Notifier([ADMIN], bot=True), now=clock.now)
    scheduler = Scheduler(db, grace=timedelta(minutes=15), now=clock.now, on_outcome=alerts)
    nightly = NightlyJob(db, backup_dir=blocked, keep=3, retention_days=0, now=clock.now)
    for _ in range(3):
        assert not await scheduler.run_now("nightly", nightly)
        clock.advance(86400)
    told = await notices(db)
    assert len(told) == 1
    assert "Scheduled job “nightly” failed: StorageError" in told[0]
    assert "set BACKUP_DIR to a writable place" in told[0]

    blocked.unlink()
    for _ in range(2):
        assert await scheduler.run_now("nightly", nightly)
        clock.advance(86400)
    shutil.rmtree(blocked)  # the directory with its two backups gives way to a file again
    blocked.write_text("again")
    assert not await scheduler.run_now("nightly", nightly)
    told = await notices(db)
    assert len(told) == 3
    assert "“nightly” succeeds again" in told[1] and "failed" in told[2]


async def test_the_failing_state_survives_a_restart(db: Database, clock: Clock) -> None:
    """What was told is in the database: a new JobAlerts (a restart) does not tell again."""
    await add_subscriber(db, ADMIN)

    async def boom() -> None:
        raise RuntimeError("disk on fire")

    for _ in range(2):  # two processes, one after the other
        alerts = JobAlerts(db, Notifier([ADMIN], bot=True), now=clock.now)
        scheduler = Scheduler(db, grace=timedelta(minutes=1), now=clock.now, on_outcome=alerts)
        await scheduler.run_now("health", boom)
    assert len(await notices(db)) == 1


async def test_without_the_bot_no_digest_job_and_notices_are_only_logged(
    db: Database, clock: Clock, make_settings: Callable[..., Settings],
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    """No TG_BOT_TOKEN: nothing may pile up in the outbox (it would go out, stale, in a
    burst the day a token is set). So: no digest job; a silent channel and a failing job
    are written to the log, not queued."""
    await add_subscriber(db, ADMIN)
    scheduler = Scheduler(db, grace=timedelta(minutes=15), now=clock.now)
    skipped = register_service_jobs(
        scheduler, db, make_settings(), parts=Parts(), now=clock.now, bot=False
    )
    assert scheduler.job_names() == ["health", "heartbeat", "nightly"]
    assert skipped == ["the digest job", "admin notices (only logged)"]

    hourly = [(T0 - timedelta(hours=h), "Над Смоленской областью сбит БПЛА.") for h in range(20)]
    await add_posts(db, "smolensk_gov", hourly)
    notifier = Notifier([ADMIN], bot=False)
    job = HealthJob(db, make_settings(), parts=Parts(), now=clock.now, notices=notifier)
    clock.set(T0 + timedelta(hours=2))
    await job()
    clock.set(T0 + timedelta(hours=13))
    with caplog.at_level(logging.INFO, logger="bot.jobs"):
        assert (await job()).went_silent == ["@smolensk_gov"]

        async def boom() -> None:
            raise RuntimeError("disk on fire")

        alerts = JobAlerts(db, notifier, now=clock.now)
        await Scheduler(db, grace=timedelta(minutes=1), on_outcome=alerts).run_now("x", boom)
    assert await db.read("SELECT count(*) FROM outbox") == [(0,)]
    logged = [r.getMessage() for r in caplog.records if r.name == "bot.jobs.notices"]
    assert logged.count("no bot (TG_BOT_TOKEN not set): admin notices are only logged") == 1
    assert any("not sent, no bot" in m and "smolensk_gov" in m for m in logged)
    assert any("not sent, no bot" in m and "disk on fire" in m for m in logged)
