"""`uavwatch run` end to end: real Telethon clients (watcher account and bot) against the
offline fake Telegram, a real SQLite file, every part supervised in one loop."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from fakes.testing import eventually
from service_helpers import CHANNEL, FAST, INCIDENT, Tg, running, subscribe_at
from telethon import functions

from bot.config import Settings
from bot.service.runner import Service
from bot.status import load_status
from bot.storage import Database


async def test_a_post_on_a_watched_channel_reaches_a_subscriber_through_the_bot(
    tg: Tg, tg_settings: Settings
) -> None:
    """1. the service starts (watcher, bot, sender, scheduler) 2. a reader subscribes with
    /subscribe 3. the governor's channel posts an incident. Result: the reader gets the
    alert from the bot; every part is running and has reported progress."""
    service = Service(tg_settings, connectors=tg.connectors(), now=tg.now, backoff=FAST)
    async with running(service):
        await eventually(lambda: len(tg.world.sent(functions.bots.SetBotCommandsRequest)) == 3)
        reader = tg.user()
        tg.world.send_private(reader, tg.bot, "/subscribe Kursk")
        await eventually(lambda: len(tg.world.private_messages(reader, tg.bot)) == 2)
        await eventually(lambda: service.parts.get("watcher").last_progress_at is not None)
        tg.world.publish(CHANNEL, INCIDENT)
        await eventually(lambda: len(tg.alerts_of(reader)) == 2, timeout=5)
        assert tg.alerts_of(reader)[-1].startswith("🛩 Kursk Oblast")
        states = {p.name: p for p in service.parts.snapshot()}
        for name in ("watcher", "bot", "sender"):
            assert states[name].status == "running", states[name]
            assert states[name].last_progress_at is not None, name
            assert states[name].restarts == 0, states[name]
        assert states["webpreview"].status == "disabled"
    assert {p.status for p in service.parts.snapshot()} <= {"stopped", "disabled"}
    assert not service.alerts or not service.alerts.client.is_connected()


async def test_a_clean_stop_leaves_every_part_stopped_in_the_database(
    tg: Tg, tg_settings: Settings, db_path: Path
) -> None:
    """Each change of a part's status is a heartbeat row at once, and the stop writes a
    last one: afterwards `uavwatch status` shows a stopped service, not parts that look
    alive until they go stale."""
    service = Service(tg_settings, connectors=tg.connectors(), now=tg.now, backoff=FAST)
    async with running(service):
        await eventually(lambda: service.parts.get("watcher").last_progress_at is not None)
        await eventually(lambda: service.reporter is not None and service.reporter.written >= 4)
    async with await Database.open(db_path) as db:
        rows = await db.read(
            "SELECT part, status FROM heartbeats AS h WHERE h.at ="
            " (SELECT max(at) FROM heartbeats WHERE part = h.part) ORDER BY part"
        )
    assert rows == [("bot", "stopped"), ("scheduler", "stopped"), ("sender", "stopped"),
                    ("watcher", "stopped"), ("webpreview", "disabled")]  # fmt: skip
    report = load_status(db_path, tg.now())
    assert report.problems() == [] and report.warnings()[0].startswith(
        "uavwatch run is not running"
    )


async def test_the_scheduler_part_runs_the_service_jobs_with_the_parts_it_supervises(
    tg: Tg, tg_settings: Settings, db_path: Path
) -> None:
    """The heartbeat job (first run at start) writes one row per part, from the same
    `Parts` the supervisor keeps: disabled parts say so."""
    service = Service(tg_settings, connectors=tg.connectors(), now=tg.now, backoff=FAST)
    async with running(service):
        await eventually(lambda: service.parts.get("scheduler").last_progress_at is not None)
        async with await Database.open(db_path) as db:
            for _ in range(200):
                rows = await db.read("SELECT part, status FROM heartbeats ORDER BY part")
                if len(rows) == 5:
                    break
                await asyncio.sleep(0.02)
    status = {str(part): str(state) for part, state in rows}
    assert set(status) == {"bot", "scheduler", "sender", "watcher", "webpreview"}
    assert status.pop("webpreview") == "disabled"
    assert set(status.values()) <= {"starting", "running"}  # the first beat is at start


async def test_catch_up_after_downtime_stores_old_posts_but_alerts_only_fresh_ones(
    tg: Tg, tg_settings: Settings, db_path: Path
) -> None:
    """1. the service runs once (the channel is resolved, its cursor set) and stops
    2. while it is down the channel posts an incident dated 3 h ago and one just now
    3. the service starts again. Result: catch-up stores both; only the fresh one is
    alerted (CATCHUP_ALERT_MAX_AGE = 1 h); the subscriber gets exactly one alert."""
    reader = tg.user()
    tg.world.publish(CHANNEL, "Открыт новый сквер у реки.")  # the cursor starts here
    first = Service(tg_settings, connectors=tg.connectors(), now=tg.now, backoff=FAST)
    async with running(first):
        await eventually(lambda: first.parts.get("watcher").last_progress_at is not None)
    await subscribe_at(db_path, tg, [reader])
    old = tg.world.publish(
        CHANNEL, "Ночью над Курской областью уничтожены два беспилотника.",
        date=tg.world.now - timedelta(hours=3),
    )  # fmt: skip
    fresh = tg.world.publish(CHANNEL, INCIDENT)
    second = Service(tg_settings, connectors=tg.connectors(), now=tg.now, backoff=FAST)
    async with running(second):
        await eventually(lambda: len(tg.alerts_of(reader)) == 1, timeout=5)
        await eventually(lambda: second.parts.get("sender").last_progress_at is not None)
    async with await Database.open(db_path) as db:
        stored = await db.read(
            "SELECT message_id, label FROM posts_current WHERE channel = ? ORDER BY message_id",
            (CHANNEL,),
        )
        alerts = await db.read("SELECT count(*) FROM alerts")
    assert [(old.id, "uav_incident"), (fresh.id, "uav_incident")] == stored[1:]
    assert alerts == [(1,)]
    assert tg.alerts_of(reader)[0].startswith("🛩 Kursk Oblast")
    assert "беспилотник, пострадавших нет" in tg.alerts_of(reader)[0]
