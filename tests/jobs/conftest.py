"""Fixtures for the scheduled jobs: a virtual clock, settings over tmp_path, posts with known
dates and regions, and (for the digest) the offline fake Telegram with the real bot, the
real sender and real Telethon."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes import BotLimiter, FakeTelegram
from fakes.testing import eventually, forbid_network, telethon_errors
from telethon import TelegramClient

from bot.alerts import subscribers as subs
from bot.alerts.ratelimit import SendLimiter
from bot.alerts.sender import Sender
from bot.alerts.transport import BOT_CLIENT_OPTIONS, TelethonTransport
from bot.botui.app import BotApp
from bot.botui.dispatch import BotCommands
from bot.config import Settings, parse_settings
from bot.models import NewPost, Post, Source
from bot.pipeline import Pipeline
from bot.storage import Database

# 06:00 UTC is 09:00 in Moscow: the default digest time there.
T0 = datetime(2025, 3, 14, 6, 0, tzinfo=UTC)
ADMIN = 4242


class Clock:
    """Virtual time: `clock()` in seconds for rate limits, `clock.now()` as a datetime."""

    def __init__(self, start: datetime = T0) -> None:
        self.t = 1000.0
        self.start = start

    def __call__(self) -> float:
        return self.t

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.t - 1000.0)

    def advance(self, seconds: float) -> None:
        self.t += seconds

    def set(self, moment: datetime) -> None:
        self.t = 1000.0 + (moment - self.start).total_seconds()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    """`make_settings(OUTBOX_ALERT_DEPTH="3", ...)`: settings parsed like `.env` values."""

    def make(**env: str) -> Settings:
        values = {"BACKUP_DIR": str(tmp_path / "backups"), "ADMIN_IDS": str(ADMIN)}
        values.update(env)
        return parse_settings(values)

    return make


async def add_posts(
    db: Database, channel: str, items: list[tuple[datetime, str]], *, source: Source = Source.LIVE
) -> None:
    """Posts of `channel` with the given dates and texts, through the real pipeline."""
    pipeline = Pipeline(db, now=lambda: max(d for d, _ in items))
    base = 1 + len(await db.read("SELECT id FROM posts"))
    events = [
        NewPost(Post(channel, None, base + i, date=d, text=t, source=source))
        for i, (d, t) in enumerate(items)
    ]
    await pipeline.ingest_events(events)


async def add_subscriber(
    db: Database, chat_id: int, *, lang: str = "en", regions: tuple[str, ...] = ()
) -> int:
    async with db.transaction() as conn:
        sub, _ = await subs.get_or_create(
            conn, chat_id=chat_id, access_hash=None, chat_kind="private", name=None,
            lang=lang, now=T0,
        )  # fmt: skip
        if regions:
            await subs.add_regions(conn, sub.id, regions, T0)
    return sub.id


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
    errors = telethon_errors(caplog.get_records("call"))
    assert not errors, f"Telethon logged errors: {errors}"
    assert not fake.not_faked, f"requests the fake does not answer: {fake.not_faked}"


@dataclass
class BotStack:
    world: FakeTelegram
    clock: Clock
    db: Database
    bot_id: int
    client: TelegramClient
    sender: Sender

    async def say(self, user: int, text: str) -> str:
        """`user` writes to the bot and waits for its one answer; returns its text."""
        self.clock.advance(1.1)
        before = len(self.world.private_messages(user, self.bot_id))
        self.world.send_private(user, self.bot_id, text)
        await eventually(lambda: len(self.world.private_messages(user, self.bot_id)) >= before + 2)
        return str(self.world.private_messages(user, self.bot_id)[-1].message)

    def received(self, user: int) -> list[Any]:
        """The bot's messages to `user` (not the user's own)."""
        return [m for m in self.world.private_messages(user, self.bot_id) if not m.out]

    async def drain(self, max_steps: int = 200) -> None:
        """Run the sender, moving the virtual clock over its waits, until nothing is left."""
        for _ in range(max_steps):
            wait = await self.sender.step()
            if wait is None:
                return
            self.clock.advance(max(wait, 0.001))
        raise AssertionError("the sender did not settle")


@pytest.fixture
async def botstack(world: FakeTelegram, clock: Clock, db: Database) -> AsyncIterator[BotStack]:
    bot_id, _ = world.add_bot("uavwatch_bot")
    client = world.client(bot_id, **BOT_CLIENT_OPTIONS)
    await client.connect()
    try:
        limiter = SendLimiter(25)
        sender = Sender(db, TelethonTransport(client), limiter=limiter, clock=clock, now=clock.now)
        commands = BotCommands(db, admin_ids=frozenset({ADMIN}), clock=clock, now=clock.now)
        await BotApp(client, commands, limiter=limiter, clock=clock).install()
        yield BotStack(world, clock, db, bot_id, client, sender)
    finally:
        await client.disconnect()
