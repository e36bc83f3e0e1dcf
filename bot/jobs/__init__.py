"""Scheduled jobs of `uavwatch run`: the daily digest, heartbeats, health of the sources and
of the service, nightly maintenance. `register_service_jobs` puts them on a `Scheduler`.

Each job is a small class or function with an injectable `now`; its decisions are pure
functions (digest.py, health.py) and its state lives in the database, so the jobs are
idempotent across restarts. Without the bot there is no digest job and notices are only
logged: rows queued for a sender that does not run would all go out, stale, the day a
token is set.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.config import Settings
from bot.jobs.digest_job import DigestJob
from bot.jobs.health_job import HealthJob
from bot.jobs.heartbeat import write_heartbeats
from bot.jobs.job_alerts import JobAlerts
from bot.jobs.nightly import NightlyJob
from bot.jobs.notices import Notifier
from bot.jobs.scheduler import Scheduler
from bot.service.parts import Parts
from bot.storage import Database, utc_now

# The digest job looks every 5 minutes for subscribers whose local digest time has come:
# a digest is at most 5 minutes late, and a run with nobody due costs one small query.
DIGEST_EVERY_SECONDS = 300.0
JOB_NAMES = ("digest", "heartbeat", "health", "nightly")

__all__ = [
    "DIGEST_EVERY_SECONDS",
    "JOB_NAMES",
    "DigestJob",
    "HealthJob",
    "JobAlerts",
    "NightlyJob",
    "Notifier",
    "Scheduler",
    "register_service_jobs",
]


def register_service_jobs(
    scheduler: Scheduler,
    db: Database,
    settings: Settings,
    *,
    parts: Parts,
    now: Callable[[], datetime] = utc_now,
    wake: Callable[[], None] | None = None,
    bot: bool = True,
    notices: Notifier | None = None,
) -> list[str]:
    """Add the heartbeat, health and nightly jobs, and the digest when the bot runs; tell
    the admins when a job starts or stops failing. `wake` (the sender's) is called when a
    job queued messages, so they go at once instead of at the sender's next look. Returns
    what is left out (for the start-up log)."""
    notices = notices or Notifier(settings.admin_ids, bot=bot)
    scheduler.on_outcome = JobAlerts(db, notices, now=now, wake=wake)
    health = HealthJob(db, settings, parts=parts, now=now, wake=wake, notices=notices)
    nightly = NightlyJob(
        db, backup_dir=settings.backup_dir, keep=settings.backup_keep,
        retention_days=settings.retention_days, outbox_keep_days=settings.outbox_keep_days,
        now=now,
    )  # fmt: skip

    async def heartbeat() -> int:
        return await write_heartbeats(db, parts, now())

    skipped = []
    if bot:
        digest = DigestJob(db, default_time=settings.digest_time, now=now, wake=wake)
        scheduler.interval("digest", DIGEST_EVERY_SECONDS, digest, first_now=True)
    else:
        skipped = ["the digest job", "admin notices (only logged)"]
    scheduler.interval("heartbeat", settings.heartbeat_minutes * 60, heartbeat, first_now=True)
    scheduler.interval("health", settings.health_check_minutes * 60, health)
    scheduler.daily("nightly", settings.maintenance_time, nightly)
    return skipped
