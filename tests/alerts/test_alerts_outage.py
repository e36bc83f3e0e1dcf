"""A bot outage in the middle of a fan-out, through the composed service: the sender waits
for the bot instead of burning the rows' attempts, and every subscriber gets the alert once
the bot is back. Parked rows can be put back in the queue (CLI and /requeue)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from conftest import ADMIN, Stack, subscribe_everyone
from fakes import FakeTelegram
from fakes.testing import eventually
from telethon import functions

from bot.alerts.transport import BOT_CLIENT_OPTIONS
from bot.botui.service import AlertsService
from bot.cli import main
from bot.config import parse_settings
from bot.models import NewPost, Post, Source
from bot.pipeline import Pipeline
from bot.storage import Database, to_iso, utc_now

INCIDENT = "Над Курской областью сбит беспилотник."


class DropAfter:
    """Stands in for the fake's rate limiter: admits everything, and right after the n-th
    message was accepted the bot's connection dies (Telethon without auto-reconnect: the
    client ends up disconnected, as when its reconnects ran out)."""

    def __init__(self, world: FakeTelegram, bot: int, n: int) -> None:
        self.world, self.bot, self.n = world, bot, n
        self.seen = 0

    def admit(self, chat_id: int) -> int:
        self.seen += 1
        if self.seen == self.n:
            asyncio.get_running_loop().call_soon(self.world.drop_connection, self.bot)
        return 0


def _alerts(world: FakeTelegram, user: int, bot: int) -> int:
    return sum(1 for m in world.private_messages(user, bot) if m.message.startswith("🛩"))


async def test_the_bot_drops_mid_fanout_and_everyone_gets_the_alert_once(
    world: FakeTelegram, db: Database
) -> None:
    """1. twelve subscribers, one incident 2. after the 5th message the bot's connection
    dies; the bot part fails (as it does when Telethon gives up) 3. the supervisor starts
    the bot part again. Result: every subscriber has the alert exactly once, nothing is
    parked, no row used an attempt on the outage."""
    bot, token = world.add_bot("uavwatch_bot")
    users = await subscribe_everyone(db, world, bot, 12)
    settings = parse_settings({"TG_BOT_TOKEN": token, "TG_API_ID": "1", "TG_API_HASH": "0" * 32})
    service = AlertsService(
        db, settings, lambda: world.client(None, **BOT_CLIENT_OPTIONS, auto_reconnect=False),
        clock=time.monotonic,
    )  # fmt: skip
    world.limiter = DropAfter(world, bot, 5)  # type: ignore[assignment]
    stop = asyncio.Event()
    sender = asyncio.ensure_future(service.run_sender(stop))
    bot_part = asyncio.ensure_future(service.run_bot(stop, tick=0.05))
    try:
        await eventually(lambda: len(world.sent(functions.bots.SetBotCommandsRequest)) == 3)
        post = Post("kursk_gov", None, 1, utc_now(), INCIDENT, Source.LIVE)
        await Pipeline(db, on_ingested=service.enqueuer).ingest(NewPost(post))
        with pytest.raises(ConnectionError, match="lost its connection"):
            await asyncio.wait_for(bot_part, 5)
        assert sum(_alerts(world, u, bot) for u in users) == 5
        await asyncio.sleep(0.2)  # the sender is waiting for the bot, not trying
        bot_part = asyncio.ensure_future(service.run_bot(stop, tick=0.05))  # the restart
        await eventually(lambda: all(_alerts(world, u, bot) == 1 for u in users), 5)
        stop.set()  # a clean stop: the last answers are taken in and their marks committed
        await asyncio.wait_for(sender, 5)
        assert all(_alerts(world, u, bot) == 1 for u in users)
        rows = await db.read("SELECT status, attempts, count(*) FROM outbox GROUP BY 1, 2")
        assert rows == [("sent", 1, 12)]
        assert service.sender.stats.parked == 0 and service.sender.stats.retried == 0
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(sender, bot_part, return_exceptions=True), 5)


async def _park_two(db_path: Path) -> None:
    now = to_iso(utc_now())
    async with await Database.open(db_path) as db, db.transaction() as conn:
        await conn.execute(
            "INSERT INTO subscribers (chat_id, created_at, updated_at) VALUES (77, ?, ?)",
            (now, now),
        )
        await conn.executemany(
            "INSERT INTO outbox (subscriber_id, purpose, priority, payload, status, attempts,"
            " last_error, created_at, updated_at)"
            " VALUES (1, 'broadcast', 3, 'hi', 'parked', 5, 'Disconnected', ?, ?)",
            [(now, now), (now, now)],
        )


async def _rows(db_path: Path) -> list[tuple[object, ...]]:
    async with await Database.open(db_path) as db:
        return await db.read("SELECT id, status, attempts, not_before, last_error FROM outbox")


def test_uavwatch_alerts_requeue_puts_parked_rows_back(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_park_two(db_path))
    assert main(["alerts", "requeue", "--id", "2", "--id", "9", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "requeued 1 parked delivery" in out and "not parked (left alone): 9" in out
    assert main(["alerts", "requeue", "--all", "--db", str(db_path)]) == 0
    rows = asyncio.run(_rows(db_path))
    assert [r[:4] for r in rows] == [(1, "pending", 0, None), (2, "pending", 0, None)]
    assert str(rows[0][4]).startswith("requeued after: Disconnected")
    assert main(["alerts", "requeue", "--all", "--db", str(db_path.with_name("nope.db"))]) == 1
    assert "no database here" in capsys.readouterr().err


async def test_admins_requeue_parked_rows_and_health_says_how(stack: Stack) -> None:
    admin = stack.world.add_user("Admin", id=ADMIN)
    await stack.say(admin, "/start")
    now = to_iso(stack.clock.now())
    async with stack.db.transaction() as conn:
        await conn.execute(
            "INSERT INTO outbox (subscriber_id, purpose, priority, payload, status, attempts,"
            " last_error, created_at, updated_at)"
            " VALUES (1, 'broadcast', 3, 'hello again', 'parked', 5, 'Disconnected', ?, ?)",
            (now, now),
        )
    (health,) = await stack.say(admin, "/health")
    assert "/requeue all" in health.message and "uavwatch alerts requeue --all" in health.message
    (usage,) = await stack.say(admin, "/requeue soon")
    assert usage.message.startswith("/requeue all")
    (done,) = await stack.say(admin, "/requeue all")
    assert done.message == "Back in the queue: 1."
    await stack.drain()
    assert "hello again" in stack.chat(admin)[-1]
