"""Parts that fail for good, and what the service makes of it: the watcher's session is
revoked while the service runs; "web preview + bot" with no user account at all. The
other parts keep running, the admins are told through the bot, the database says so at
once (a heartbeat row per change), and `uavwatch status` shows it."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path
from typing import Any

from fakes.testing import eventually
from service_helpers import CHANNEL, FAST, INCIDENT, Site, Tg, make_settings, running, subscribe_at
from telethon import TelegramClient, functions

from bot.config import Settings
from bot.service.runner import Service
from bot.status import load_status
from bot.storage import Database

ADMIN = 4242


async def newest_heartbeats(db_path: Path) -> dict[str, str]:
    async with await Database.open(db_path) as db:
        rows = await db.read(
            "SELECT part, status FROM heartbeats AS h WHERE h.at ="
            " (SELECT max(at) FROM heartbeats WHERE part = h.part)"
        )
    return {str(part): str(status) for part, status in rows}


async def test_a_session_revoked_while_running_fails_the_watcher_and_nothing_else(
    tg: Tg, tg_settings: Settings, db_path: Path
) -> None:
    """1. the service runs (watcher, bot, sender, scheduler); an admin has started the bot
    2. the session is revoked: Telegram answers the watcher's poll AUTH_KEY_UNREGISTERED,
    and the restarted watcher's session is no longer logged in. Result: the watcher is
    `failed` (not restarted again, the service not ended); the admin gets a notice from
    the bot; the bot still answers; the database already says `failed` and `uavwatch
    status` lists it as a problem; a clean stop then leaves the watcher `failed`."""
    admin = tg.world.add_user("Admin", id=ADMIN)
    reader = tg.user()
    await subscribe_at(db_path, tg, [admin, reader])
    revoked: list[bool] = []

    def watcher(**options: Any) -> TelegramClient:
        return tg.world.client(None if revoked else tg.me, **options)

    connectors = replace(tg.connectors(), watcher_client=watcher)
    settings = replace(tg_settings, poll_seconds=0.05)
    service = Service(settings, connectors=connectors, now=tg.now, backoff=FAST)
    async with running(service) as task:
        await eventually(lambda: service.parts.get("watcher").last_progress_at is not None)
        revoked.append(True)
        tg.world.fail_next(
            functions.messages.GetDialogsRequest, "AUTH_KEY_UNREGISTERED", code=401,
            account=tg.me,
        )  # fmt: skip
        await eventually(lambda: service.parts.get("watcher").status == "failed", timeout=5)
        notices = lambda: [m for m in tg.alerts_of(admin) if "watcher" in m]  # noqa: E731
        await eventually(notices, timeout=5)
        assert "will not be restarted" in notices()[0] and "uavwatch login" in notices()[0]
        tg.world.send_private(reader, tg.bot, "/help")
        await eventually(lambda: len(tg.alerts_of(reader)) == 1)  # the bot still answers
        assert not task.done()
        assert service.parts.get("watcher").restarts == 1
        assert {service.parts.get(p).status for p in ("bot", "sender", "scheduler")} == {"running"}
        for _ in range(200):
            if (await newest_heartbeats(db_path)).get("watcher") == "failed":
                break
            await asyncio.sleep(0.01)
        report = load_status(db_path, tg.now())
        assert any(p.startswith("part watcher failed") for p in report.problems())
    beats = await newest_heartbeats(db_path)
    assert beats["watcher"] == "failed" and beats["bot"] == "stopped"


async def test_web_preview_and_bot_without_a_user_session_run_without_the_watcher(
    tg: Tg, site: Site, db_path: Path, caplog: Any
) -> None:
    """1. TG_API_ID/TG_API_HASH (the bot needs them) and a bot token, WEBPREVIEW_CHANNELS,
    but nobody ever ran `uavwatch login` 2. `uavwatch run`. Result: no watcher (the start
    log says why), the web preview stores the channel's posts and the bot alerts a
    subscriber; nothing fails."""
    site.add(CHANNEL, [INCIDENT])
    reader = tg.user()
    await subscribe_at(db_path, tg, [reader])
    settings = make_settings(
        db_path, TG_API_ID="12345", TG_API_HASH="0123456789abcdef0123456789abcdef",
        TG_BOT_TOKEN=tg.token, WEBPREVIEW_CHANNELS=CHANNEL, WEBPREVIEW_BASE_URL=site.url,
        WEBPREVIEW_POLL_SECONDS="0.05", CATCHUP_ALERT_MAX_AGE="3650d", ADMIN_IDS=str(ADMIN),
    )  # fmt: skip
    service = Service(settings, connectors=tg.connectors(), now=tg.now, backoff=FAST)
    assert not service.plan.watcher
    async with running(service):
        await eventually(lambda: len(tg.alerts_of(reader)) == 1, timeout=5)
        assert service.parts.get("watcher").status == "disabled"
        assert {p.status for p in service.parts.snapshot() if p.name != "watcher"} == {"running"}
    started = [r.getMessage() for r in caplog.records if "not running:" in r.getMessage()]
    assert len(started) == 1 and "watcher (no logged-in session" in started[0]
    assert "uavwatch login" in started[0]


async def test_the_start_says_which_parts_run_and_warns_when_no_admin_can_be_told(
    tg: Tg, tg_settings: Settings, caplog: Any
) -> None:
    """With the bot but ADMIN_IDS empty, failed parts and silent channels would be told to
    nobody: the start says so once, beside the list of parts and why each runs."""
    settings = replace(tg_settings, admin_ids=())
    service = Service(settings, connectors=tg.connectors(), now=tg.now, backoff=FAST)
    async with running(service):
        await eventually(lambda: service.parts.get("watcher").last_progress_at is not None)
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.service.runner"]
    assert any(line.startswith("uavwatch ") and "starting: watcher (WATCHER=on" in line
               and "bot (TG_BOT_TOKEN)" in line for line in lines)  # fmt: skip
    assert "not running: webpreview (WEBPREVIEW_CHANNELS not set)" in lines
    assert sum(line.startswith("ADMIN_IDS is empty") for line in lines) == 1
