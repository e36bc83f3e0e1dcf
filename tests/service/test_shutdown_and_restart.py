"""Stopping and crashing: SIGTERM in the middle of a fan-out, then a restart on the same
database; a part that crashes through the fake while the others keep working."""

from __future__ import annotations

import asyncio
import os
import signal
from dataclasses import replace
from pathlib import Path

from fakes.testing import eventually
from service_helpers import CHANNEL, FAST, INCIDENT, Tg, running, subscribe_at
from telethon import functions

from bot.config import Settings
from bot.service.runner import Service, serve
from bot.storage import Database

READERS = 30


async def test_sigterm_during_fan_out_then_restart_sends_every_alert_exactly_once(
    tg: Tg, tg_settings: Settings, db_path: Path
) -> None:
    """1. 30 subscribers of Kursk Oblast 2. an incident is posted; the sender fans out at
    SEND_RATE 3. SIGTERM arrives after a few messages 4. the service is started again on
    the same database. Result: the first run exits cleanly with some readers served and
    some not; after the restart every reader has the alert exactly once."""
    readers = [tg.user(f"Reader {n}") for n in range(READERS)]
    await subscribe_at(db_path, tg, readers)

    def served() -> int:
        return sum(1 for r in readers if tg.alerts_of(r))

    first = Service(tg_settings, connectors=tg.connectors(), now=tg.now, backoff=FAST)
    run = asyncio.ensure_future(serve(first, force=lambda reason: None))
    try:
        await eventually(lambda: first.parts.get("watcher").last_progress_at is not None)
        await eventually(lambda: first.alerts is not None and first.alerts.ready.is_set())
        tg.world.publish(CHANNEL, INCIDENT)
        await eventually(lambda: served() >= 3, timeout=5)
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.wait_for(run, 10)  # returns normally: exit status 0
    finally:
        first.stop.set()
        await asyncio.gather(run, return_exceptions=True)
    after_first = served()
    assert 3 <= after_first < READERS
    assert {p.status for p in first.parts.snapshot()} <= {"stopped", "disabled"}
    async with await Database.open(db_path) as db:
        pending = await db.read("SELECT count(*) FROM outbox WHERE status = 'pending'")
    assert pending == [(READERS - after_first,)]

    second = Service(tg_settings, connectors=tg.connectors(), now=tg.now, backoff=FAST)
    async with running(second):
        await eventually(lambda: served() == READERS, timeout=10)
        await eventually(lambda: second.parts.get("sender").last_progress_at is not None)
    assert [len(tg.alerts_of(r)) for r in readers] == [1] * READERS


async def test_a_crashing_bot_part_restarts_with_backoff_while_the_watcher_keeps_storing(
    tg: Tg, tg_settings: Settings, db_path: Path
) -> None:
    """1. Telegram answers the bot's sign-in with an unexpected error, twice 2. meanwhile
    an incident is posted. Result: the bot part is restarted twice (with backoff), the
    watcher stores the post all along, and once the bot is up the alert goes out."""
    reader = tg.user()
    await subscribe_at(db_path, tg, [reader])
    tg.world.fail_next(functions.auth.ImportBotAuthorizationRequest, "INTERNAL_HICCUP", times=2)
    service = Service(tg_settings, connectors=tg.connectors(), now=tg.now, backoff=FAST)
    # Each change of a part's status takes a second of the fake's time: heartbeat rows are
    # keyed by the second, and with FAST backoff (no delay) the status after "restarting"
    # would otherwise land in the same second and replace its row.
    service.parts.on_change(lambda _state: tg.world.tick())
    async with running(service):
        await eventually(lambda: service.parts.get("watcher").last_progress_at is not None)
        tg.world.publish(CHANNEL, INCIDENT)
        await eventually(lambda: len(tg.alerts_of(reader)) == 1, timeout=5)
        bot = service.parts.get("bot")
        assert bot.restarts == 2 and "INTERNAL_HICCUP" in (bot.last_error or "")
        assert bot.status == "running"
        assert service.parts.get("watcher").restarts == 0
        assert [name for name, _ in service.supervisor.delays] == ["bot", "bot"]  # type: ignore[union-attr]
    async with await Database.open(service.settings.db_path) as db:
        crashes = await db.read(
            "SELECT restarts, detail FROM heartbeats WHERE part = 'bot' AND status = 'restarting'"
        )
    # written as it happened (not at the next hourly beat), with the error
    assert crashes and all("INTERNAL_HICCUP" in str(detail) for _, detail in crashes)


async def test_a_watcher_logged_out_mid_run_is_restarted_and_reports_setup_errors(
    tg: Tg, tg_settings: Settings
) -> None:
    """1. the watcher runs 2. Telegram answers its poll with AUTH_KEY_UNREGISTERED (the
    session was revoked). Result: the watcher's run ends with the error instead of idling
    as a zombie; the supervisor restarts it; the restarted watcher is signed in again
    (the fake's key is still valid) and keeps storing posts."""
    settings = replace(tg_settings, poll_seconds=0.05)
    service = Service(settings, connectors=tg.connectors(), now=tg.now, backoff=FAST)
    async with running(service):
        await eventually(lambda: service.parts.get("watcher").last_progress_at is not None)
        tg.world.fail_next(functions.messages.GetDialogsRequest, "AUTH_KEY_UNREGISTERED", code=401)
        await eventually(lambda: service.parts.get("watcher").restarts == 1, timeout=5)
        tg.world.publish(CHANNEL, INCIDENT)
        async with await Database.open(service.settings.db_path) as db:
            await eventually(lambda: service.parts.get("watcher").status == "running")

            async def stored() -> int:
                rows = await db.read("SELECT count(*) FROM posts")
                return int(rows[0][0])  # type: ignore[call-overload]

            for _ in range(200):
                if await stored() == 1:
                    break
                await asyncio.sleep(0.02)
            assert await stored() == 1
        assert "AuthKeyUnregistered" in (service.parts.get("watcher").last_error or "")
