"""Fixtures for the watcher: the offline Telegram, a fake clock, watchers that always stop.

The watcher's client is built by its own factory call (`client_factory(**CLIENT_OPTIONS)`);
here the factory is `world.client(account, **options)`: a REAL TelegramClient whose sender
is the fake's. Time is fake: `FakeTime.sleep` advances the clock instead of sleeping, and
forgets Telethon's wall-clock FloodWait memory, as real time passing would.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from fakes import FakeTelegram
from fakes.testing import forbid_network, telethon_errors
from telethon import TelegramClient
from telethon._updates import messagebox

from bot.pipeline import Pipeline
from bot.sources.telegram.watcher import Watcher, WatcherConfig
from bot.storage import Database


class FakeTime:
    """A monotonic clock and a sleep that only moves it (and yields to the loop)."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self.slept: list[float] = []
        self.clients: list[TelegramClient] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        for client in self.clients:  # Telethon remembers FloodWaits on the wall clock
            client._flood_waited_requests.clear()
        await asyncio.sleep(0.001)


@pytest.fixture
def world(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> Iterator[FakeTelegram]:
    """A fresh fake Telegram; dialling the real one fails; Telethon errors fail the test."""
    forbid_network(monkeypatch)
    monkeypatch.setattr(messagebox, "POSSIBLE_GAP_TIMEOUT", 0.01)
    caplog.set_level(logging.INFO)
    fake = FakeTelegram()
    yield fake
    errors = telethon_errors(caplog.get_records("call"))
    assert not errors, f"Telethon logged errors: {errors}"
    assert not fake.not_faked, f"requests the fake does not answer: {fake.not_faked}"


@pytest.fixture
def me(world: FakeTelegram) -> int:
    return world.add_user("Watcher", username="watcher_acc", phone="70000000000")


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


WatcherFactory = Callable[..., Watcher]


@pytest.fixture
async def make_watcher(
    world: FakeTelegram, me: int, db: Database, pipeline: Pipeline, fake_time: FakeTime
) -> AsyncIterator[WatcherFactory]:
    """`make_watcher(channels=("gov_news",), **config)`: a watcher on the fake, on this
    test's archive; every one made is stopped afterwards (a connected client left behind
    hangs the loop's teardown)."""
    made: list[Watcher] = []

    def make(*, account: int | None = None, on_ingested: Any = None, **config: Any) -> Watcher:
        from bot.sources.telegram.refs import parse_channel_refs

        refs = parse_channel_refs(",".join(config.pop("channels", ())))
        who = me if account is None else account

        def factory(**options: Any) -> TelegramClient:
            client = world.client(who, **options)
            fake_time.clients.append(client)
            return client

        watcher = Watcher(
            db,
            pipeline,
            factory,
            WatcherConfig(channels=refs, **config),
            on_ingested=on_ingested,
            clock=fake_time,
            sleep=fake_time.sleep,
            now=lambda: world.now + timedelta(seconds=1),
            album_wait=0.05,
        )
        made.append(watcher)
        return watcher

    yield make
    for watcher in made:
        await watcher.stop()


Rows = list[tuple[int, str, str | None, bool]]


@pytest.fixture
def posts_of(db: Database) -> Callable[[str], Any]:
    """`await posts_of("gov_news")`: (message_id, text, label, deleted) by message id."""

    async def read(channel: str) -> Rows:
        rows = await db.read(
            "SELECT message_id, text, label, deleted FROM posts_current WHERE channel = ?"
            " ORDER BY message_id",
            (channel,),
        )
        return [(int(r[0]), str(r[1]), r[2], bool(r[3])) for r in rows]  # type: ignore[call-overload]

    return read
