"""Fixtures for the alert stage: a virtual clock, the offline fake Telegram with a bot, and
the whole stack (pipeline -> enqueuer -> outbox -> sender -> real Telethon -> fake; bot
commands through Telethon's event path) over a fresh database."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes import BotLimiter, FakeTelegram
from fakes.testing import eventually, forbid_network, telethon_errors
from telethon import TelegramClient

from bot.alerts.enqueue import AlertEnqueuer
from bot.alerts.ratelimit import SendLimiter
from bot.alerts.sender import Sender
from bot.alerts.transport import BOT_CLIENT_OPTIONS, TelethonTransport
from bot.botui.app import BotApp
from bot.botui.context import Services
from bot.botui.dispatch import BotCommands
from bot.models import NewPost, Post, Source
from bot.pipeline import Pipeline
from bot.storage import Database, to_iso, utc_now

T0 = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
ADMIN = 4242


class Clock:
    """Virtual time shared by our code (rate limits, quiet hours) and the fake's limiter."""

    def __init__(self) -> None:
        self.t = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.t

    def now(self) -> datetime:
        return T0 + timedelta(seconds=self.t - 1000.0)

    def advance(self, seconds: float) -> None:
        self.t += seconds

    async def sleep(self, seconds: float) -> None:
        """A sleep of the code under test: virtual time passes, the loop takes a turn."""
        self.slept.append(seconds)
        self.advance(seconds)
        await asyncio.sleep(0)


class CrashAfter:
    """Stands in for the fake's rate limiter: admits everything, and right after Telegram
    accepted the n-th message the process "dies": from that moment nothing it does reaches
    the database (another connection takes the write lock, so the sender's last commit
    fails the way a dead process's would), and its task is cancelled. A commit of the
    sender's that is under way at that moment ends first (the process died just after it):
    the lock is taken as soon as it is free, without blocking the loop that commit needs."""

    def __init__(self, n: int, db_path: Path) -> None:
        self.n = n
        self.seen = 0
        self.task: asyncio.Task[None] | None = None
        self._path = db_path
        self._lock: sqlite3.Connection | None = None
        self._locking: asyncio.Task[None] | None = None

    def admit(self, chat_id: int) -> int:
        self.seen += 1
        if self.seen == self.n and self.task is not None:
            self._lock = sqlite3.connect(self._path, isolation_level=None, timeout=0)
            if not self._take_lock():
                self._locking = asyncio.ensure_future(self._take_lock_soon())
            asyncio.get_running_loop().call_soon(self.task.cancel)
        return 0

    def _take_lock(self) -> bool:
        assert self._lock is not None
        try:
            self._lock.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return False
        return True

    async def _take_lock_soon(self) -> None:
        while not self._take_lock():
            await asyncio.sleep(0)

    def restart(self) -> None:
        """The dead process's locks are gone (SQLite releases them when it exits)."""
        if self._locking is not None:
            self._locking.cancel()
        if self._lock is not None:
            if self._lock.in_transaction:
                self._lock.rollback()
            self._lock.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def world(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, clock: Clock
) -> Iterator[FakeTelegram]:
    """The fake enforces Telegram's bot limits on the virtual clock; no real network; a
    Telethon ERROR log or a request the fake does not know fails the test."""
    forbid_network(monkeypatch)
    caplog.set_level(logging.WARNING, logger="telethon")
    fake = FakeTelegram(limiter=BotLimiter(clock))
    yield fake
    records = caplog.get_records("call")
    errors = telethon_errors(records)
    assert not errors, f"Telethon logged errors: {errors}"
    ours = [
        r.getMessage() for r in records if r.levelno >= logging.ERROR and r.name.startswith("bot")
    ]
    assert not ours, f"uavwatch logged errors: {ours}"
    assert not fake.not_faked, f"requests the fake does not answer: {fake.not_faked}"


@dataclass
class Stack:
    world: FakeTelegram
    clock: Clock
    db: Database
    bot_id: int
    client: TelegramClient
    sender: Sender
    enqueuer: AlertEnqueuer
    pipeline: Pipeline
    commands: BotCommands

    async def say(self, user: int, text: str, replies: int = 1) -> list[Any]:
        """`user` writes to the bot; wait for `replies` new bot messages; return them.
        A second of virtual time passes first: Telegram allows one bot message per second
        per chat, and the fake enforces it."""
        self.clock.advance(1.1)
        before = len(self.world.private_messages(user, self.bot_id))
        self.world.send_private(user, self.bot_id, text)
        want = before + 1 + replies
        await eventually(lambda: len(self.world.private_messages(user, self.bot_id)) >= want)
        return self.world.private_messages(user, self.bot_id)[before + 1 :]

    async def silent(self, user: int, text: str) -> None:
        """`user` writes; the bot must not answer (checked after the handler had its turn)."""
        self.clock.advance(1.1)
        before = len(self.world.private_messages(user, self.bot_id))
        self.world.send_private(user, self.bot_id, text)
        await self.settle()
        assert len(self.world.private_messages(user, self.bot_id)) == before + 1

    async def settle(self) -> None:
        """Let the bot's handlers run to completion (they are tasks on this loop)."""
        marker = self.world.add_user("Marker")
        self.world.send_private(marker, self.bot_id, "/help")
        await eventually(lambda: len(self.world.private_messages(marker, self.bot_id)) == 2)

    def user(self, name: str = "Subscriber") -> int:
        return self.world.add_user(name)

    def chat(self, user: int) -> list[str]:
        """The bot's messages in its chat with `user`, as the user sees them now."""
        return [m.message for m in self.world.private_messages(user, self.bot_id) if not m.out]

    async def post(self, channel: str, message_id: int, text: str, **kw: Any) -> None:
        """A live post arrives (`date` defaults to now)."""
        kw.setdefault("date", self.clock.now())
        post = Post(channel, None, message_id, text=text, source=Source.LIVE, **kw)
        await self.pipeline.ingest(NewPost(post))

    async def drain(self, max_steps: int = 200) -> None:
        """Run the sender, moving the virtual clock over its waits, until nothing is left."""
        for _ in range(max_steps):
            wait = await self.sender.step()
            if wait is None:
                return
            self.clock.advance(max(wait, 0.001))
        raise AssertionError("the sender did not settle")


@pytest.fixture
async def stack(world: FakeTelegram, clock: Clock, db: Database) -> AsyncIterator[Stack]:
    bot_id, _ = world.add_bot("uavwatch_bot")
    client = world.client(bot_id, **BOT_CLIENT_OPTIONS)
    await client.connect()
    try:
        limiter = SendLimiter(25)
        sender = Sender(db, TelethonTransport(client), limiter=limiter, clock=clock, now=clock.now)
        enqueuer = AlertEnqueuer(now=clock.now, notify=sender.wake)
        pipeline = Pipeline(db, on_ingested=enqueuer, now=clock.now)
        services = Services(
            pause=sender.set_paused,
            wake=sender.wake,
            paused=lambda: sender.paused,
            flood_waits=lambda: sender.stats.flood_waits,
        )
        commands = BotCommands(
            db, admin_ids=frozenset({ADMIN}), services=services, clock=clock, now=clock.now
        )
        await BotApp(client, commands, limiter=limiter, clock=clock, sleep=clock.sleep).install()
        yield Stack(world, clock, db, bot_id, client, sender, enqueuer, pipeline, commands)
    finally:
        await client.disconnect()


async def subscribe_everyone(db: Database, world: FakeTelegram, bot: int, n: int) -> list[int]:
    """Users who wrote /start to the bot earlier, each following every region."""
    users = [world.add_user(f"S{i}") for i in range(n)]
    now = to_iso(utc_now())
    for user in users:
        world.send_private(user, bot, "/start")
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO subscribers (chat_id, created_at, updated_at) VALUES (?, ?, ?)",
            [(u, now, now) for u in users],
        )
        await conn.execute(
            "INSERT INTO subscriptions (subscriber_id, region_code, created_at)"
            " SELECT id, '*', ? FROM subscribers",
            (now,),
        )
    return users
