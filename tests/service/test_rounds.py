"""The sources' loops in `job_runs`: every poll, sweep and catch-up of the watcher and every
web-preview poll is a run `uavwatch status` lists beside the scheduled jobs, with the
channels that failed in it."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fakes.testing import eventually
from service_helpers import CHANNEL, FAST, INCIDENT, Site, Tg, make_settings, running
from telethon import functions

from bot.config import Settings
from bot.service.runner import Service
from bot.status import JobStatus, load_status


async def until_runs(db_path: Path, cond: Any) -> dict[str, JobStatus]:
    """`job_runs` as `uavwatch status` reads it (read-only, beside the running service)."""
    runs: dict[str, JobStatus] = {}
    for _ in range(300):
        if db_path.exists():
            runs = {j.job: j for j in load_status(db_path, datetime.now(UTC)).jobs}
            if cond(runs):
                return runs
        await asyncio.sleep(0.02)
    raise AssertionError(f"job_runs never matched: {runs}")


async def test_watcher_rounds_are_recorded_with_the_channels_that_failed(
    tg: Tg, tg_settings: Settings, db_path: Path
) -> None:
    """1. the watcher follows a joined channel and one it has not joined (polled) 2. one
    poll of the polled channel is refused. Result: catch-up, reconcile and poll rounds are
    in job_runs; the failed poll names the channel; the next poll clears it; status lists
    the rounds as jobs."""
    tg.world.add_channel("Брянск", username="bryansk_news", joined=False)
    settings = replace(
        tg_settings, poll_seconds=0.05, channels=(*tg_settings.channels, *_refs("bryansk_news"))
    )
    service = Service(settings, connectors=tg.connectors(), now=tg.now, backoff=FAST)
    async with running(service):
        await eventually(lambda: service.parts.get("watcher").last_progress_at is not None)
        await until_runs(db_path, lambda r: {"watcher.catchup", "watcher.reconcile",
                                             "watcher.poll"} <= set(r))  # fmt: skip
        tg.world.fail_next(functions.messages.GetHistoryRequest, "CHANNEL_PRIVATE", code=400)
        failed = await until_runs(db_path, lambda r: r["watcher.poll"].last_error)
        assert "1 channel(s) failed: @bryansk_news" in failed["watcher.poll"].last_error
        tg.world.publish(CHANNEL, INCIDENT)
        cleared = await until_runs(db_path, lambda r: r["watcher.poll"].last_error is None)
        assert cleared["watcher.poll"].runs > failed["watcher.poll"].runs
    jobs = {j.job for j in load_status(db_path, tg.now()).jobs}
    assert {"watcher.catchup", "watcher.poll", "watcher.reconcile", "heartbeat"} <= jobs


async def test_web_preview_polls_are_recorded_and_a_failing_channel_stays_named(
    site: Site, db_path: Path, tg: Tg
) -> None:
    """Channels are polled on their own schedules: a good poll of one must not hide that
    another keeps failing (HTTP 404: renamed or gone)."""
    site.add("demo_mod", [INCIDENT])
    settings = make_settings(
        db_path, WEBPREVIEW_CHANNELS="demo_mod, gone_mod", WEBPREVIEW_BASE_URL=site.url,
        WEBPREVIEW_POLL_SECONDS="0.05",
    )  # fmt: skip
    service = Service(settings, now=tg.now, backoff=FAST)
    async with running(service):
        await eventually(lambda: service.parts.get("webpreview").last_progress_at is not None)
        runs = await until_runs(db_path, lambda r: "webpreview.poll" in r and r[
            "webpreview.poll"].runs >= 6)  # fmt: skip
    error = runs["webpreview.poll"].last_error or ""
    assert error.startswith("RoundFailed: 1 channel(s) failing: @gone_mod:") and "HTTP 404" in error
    assert "demo_mod" not in error  # the channel that works is not blamed


def _refs(*names: str) -> tuple[Any, ...]:
    from bot.sources.telegram.refs import parse_channel_refs

    return tuple(parse_channel_refs(",".join(names)))
