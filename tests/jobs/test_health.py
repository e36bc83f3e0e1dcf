"""Health of the sources and of the service: a silent channel and its return are each told
once, a stalled part once (and its recovery), a growing outbox once; heartbeats are kept."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

import pytest
from conftest import ADMIN, T0, BotStack, Clock, add_posts, add_subscriber

from bot.config import Settings
from bot.jobs import health
from bot.jobs.health_job import HealthJob
from bot.jobs.heartbeat import write_heartbeats
from bot.models import Source
from bot.service.parts import Parts
from bot.storage import Database, to_iso

HOURLY = "Дорожные работы на трассе продолжаются."


async def notices(db: Database) -> list[str]:
    rows = await db.read("SELECT payload FROM outbox WHERE purpose = 'notice' ORDER BY id")
    return [str(r[0]) for r in rows]


def test_rhythm_needs_enough_posts_and_reads_the_90th_percentile() -> None:
    hourly = [T0 - timedelta(hours=h) for h in range(20)]
    assert health.usual_gap(hourly) == 3600
    assert health.usual_gap(hourly[:5]) is None
    nights = [T0 - timedelta(hours=h) for h in (0, 1, 2, 3, 12, 13, 14, 15, 24, 25, 26)]
    assert health.usual_gap(nights) == 9 * 3600  # the night pause, not the median hour
    few = health.rhythm(hourly[:3], 3)
    assert not health.is_silent(few, T0 + timedelta(days=30), 6, timedelta(hours=12))


def test_outbox_growth_needs_three_rises_in_a_row_above_the_depth() -> None:
    assert health.outbox_growing([501, 502, 503, 504], 500)
    assert not health.outbox_growing([501, 502, 502, 504], 500)
    assert not health.outbox_growing([10, 20, 30, 40], 500)
    assert not health.outbox_growing([502, 503, 504], 500)


async def test_silent_channel_and_its_return_are_each_told_once(
    db: Database, clock: Clock, make_settings: Callable[..., Settings],
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    """1. a channel posts hourly, an imported archive channel long ago  2. 13 h without a
    post  3. it posts again.  Result: one 'silent' notice and one 'back' notice, in the
    admin's language; an admin who never /started the bot is logged; the archive channel
    is not checked."""
    await add_subscriber(db, ADMIN, lang="ru")
    hourly = [(T0 - timedelta(hours=h), HOURLY) for h in range(20)]
    await add_posts(db, "smolensk_gov", hourly)
    await add_posts(db, "old_archive", [(T0 - timedelta(days=90, hours=h), HOURLY)
                                        for h in range(20)], source=Source.IMPORT)  # fmt: skip
    job = HealthJob(db, make_settings(ADMIN_IDS=f"{ADMIN}, 777"), parts=Parts(), now=clock.now)

    clock.set(T0 + timedelta(hours=2))
    first = await job()
    assert first.checked_channels == 1 and first.silent == []
    row = (await db.read("SELECT usual_gap_seconds, silent FROM channel_health"))[0]
    assert row == (3600.0, 0)

    clock.set(T0 + timedelta(hours=13))
    with caplog.at_level(logging.WARNING, logger="bot.jobs"):
        assert (await job()).went_silent == ["@smolensk_gov"]
    assert any("777" in r.getMessage() for r in caplog.records)
    clock.advance(3600)
    assert (await job()).went_silent == []
    assert len(await notices(db)) == 1
    assert "Канал @smolensk_gov молчит 13 ч 0 мин" in (await notices(db))[0]

    await add_posts(db, "smolensk_gov", [(clock.now(), HOURLY)])
    assert (await job()).came_back == ["@smolensk_gov"]
    assert (await job()).came_back == []
    told = await notices(db)
    assert len(told) == 2 and "снова публикует (молчал 14 ч 0 мин)" in told[1]
    assert (await db.read("SELECT silent, silent_since FROM channel_health"))[0] == (0, None)


async def test_a_stalled_part_is_told_once_and_its_recovery_once(
    db: Database, clock: Clock, make_settings: Callable[..., Settings]
) -> None:
    await add_subscriber(db, ADMIN, lang="en")
    parts = Parts(now=clock.now)
    parts.add("watcher")
    parts.add("poller", disabled="WEBPREVIEW_CHANNELS is empty")
    parts.set("watcher", status="running", started_at=clock.now())
    parts.progress("watcher")
    job = HealthJob(db, make_settings(STALL_MINUTES="15"), parts=parts, now=clock.now)

    clock.advance(10 * 60)
    assert (await job()).stalled == []
    clock.advance(10 * 60)
    assert (await job()).stalled == ["watcher"]
    clock.advance(10 * 60)
    assert (await job()).stalled == []  # remembered: no second notice
    parts.progress("watcher")
    assert (await job()).recovered == ["watcher"]
    told = await notices(db)
    assert len(told) == 2
    assert "“watcher” has made no progress for 20 min (status: running)" in told[0]
    assert "“watcher” is making progress again" in told[1]


async def test_a_slow_poller_is_stalled_only_after_two_missed_polls(
    db: Database, clock: Clock, make_settings: Callable[..., Settings]
) -> None:
    """WEBPREVIEW_POLL_SECONDS=1800 with STALL_MINUTES=15: progress comes every 30 min, so
    15 min without it is normal; two missed polls (61 min) are a stall."""
    await add_subscriber(db, ADMIN, lang="en")
    parts = Parts(now=clock.now)
    parts.add("webpreview")
    parts.set("webpreview", status="running", started_at=clock.now())
    parts.progress("webpreview")
    settings = make_settings(STALL_MINUTES="15", WEBPREVIEW_POLL_SECONDS="1800")
    job = HealthJob(db, settings, parts=parts, now=clock.now)

    clock.advance(25 * 60)
    assert (await job()).stalled == []  # a fixed 15 min limit would report it here
    parts.progress("webpreview")
    clock.advance(45 * 60)
    assert (await job()).stalled == []
    clock.advance(17 * 60)
    assert (await job()).stalled == ["webpreview"]
    assert health.stall_limit(timedelta(minutes=15), None) == timedelta(minutes=15)
    assert health.stall_limit(timedelta(minutes=15), 60) == timedelta(minutes=15)


async def test_a_growing_outbox_is_told_once(
    db: Database, clock: Clock, make_settings: Callable[..., Settings]
) -> None:
    await add_subscriber(db, ADMIN, lang="uk")
    reader = await add_subscriber(db, 5000, regions=("*",))
    job = HealthJob(db, make_settings(OUTBOX_ALERT_DEPTH="3"), parts=Parts(), now=clock.now)

    async def queue(n: int) -> None:
        for _ in range(n):
            await db.execute(
                "INSERT INTO outbox (subscriber_id, purpose, priority, payload, created_at,"
                " updated_at) VALUES (?, 'broadcast', 3, 'x', ?, ?)",
                (reader, to_iso(T0), to_iso(T0)),
            )

    await queue(4)
    flags = []
    for _ in range(4):
        flags.append((await job()).outbox_notice)
        await queue(1)
    flags.append((await job()).outbox_notice)  # still growing: already told
    assert flags == [False, False, False, True, False]
    told = await notices(db)
    assert len(told) == 1 and "Черга надсилання зростає: чекають 7" in told[0]

    await db.execute("UPDATE outbox SET status = 'sent'")
    assert (await job()).outbox_depth == 0  # back under the depth: a new episode is told


async def test_heartbeats_one_row_per_part_and_old_ones_pruned(db: Database, clock: Clock) -> None:
    parts = Parts(now=clock.now)
    parts.add("watcher")
    parts.add("bot", disabled="no TG_BOT_TOKEN")
    parts.set("watcher", status="running", restarts=2)
    parts.progress("watcher")
    assert await write_heartbeats(db, parts, clock.now()) == 2
    clock.advance(31 * 86400)
    await write_heartbeats(db, parts, clock.now())
    rows = await db.read("SELECT part, at, status, restarts, detail FROM heartbeats ORDER BY part")
    assert rows == [
        ("bot", to_iso(clock.now()), "disabled", 0, "no TG_BOT_TOKEN"),
        ("watcher", to_iso(clock.now()), "running", 2, None),
    ]


async def test_a_notice_reaches_the_admin_through_the_bot(
    botstack: BotStack, clock: Clock, db: Database, make_settings: Callable[..., Settings]
) -> None:
    """The admin /started the bot; a part stalls. Result: the admin reads the notice as a
    text message sent by the real sender through Telethon."""
    admin = botstack.world.add_user("Admin", id=ADMIN)
    await botstack.say(admin, "/start")
    parts = Parts(now=clock.now)
    parts.add("poller")
    parts.set("poller", status="running", started_at=clock.now())
    clock.advance(40 * 60)
    run = await HealthJob(db, make_settings(), parts=parts, now=clock.now)()
    assert run.stalled == ["poller"]
    await botstack.drain()
    last = botstack.received(admin)[-1]
    assert last.media is None
    assert last.message.startswith("⚠️ Part “poller” has made no progress for 40 min")
    assert await db.read("SELECT status FROM outbox WHERE purpose = 'notice'") == [("sent",)]
