"""Helpers for tests that drive real Telethon clients against ``FakeTelegram``.

Why these exist (TELETHON_FAKE.md §7): handlers run as tasks, so tests poll for effects
(``eventually``) instead of sleeping; a client left connected after a failed assertion can
hang the event loop's teardown, so clients live in a context manager (``connected``);
Telethon only logs handler exceptions, so ``telethon_errors`` lets a test fail on them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from telethon import TelegramClient
from telethon.events.common import EventBuilder
from telethon.network.connection.connection import Connection

if TYPE_CHECKING:
    import pytest

    from .telegram import FakeTelegram


async def eventually(cond: Callable[[], object], timeout: float = 3.0) -> None:
    """Poll until ``cond()`` is truthy; fail with AssertionError after ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not cond():
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(0.005)


@asynccontextmanager
async def connected(
    world: FakeTelegram, account: int | None, **kwargs: Any
) -> AsyncIterator[TelegramClient]:
    """A connected real client for ``account``; always disconnected on exit."""
    client = world.client(account, **kwargs)
    try:
        await client.connect()
        yield client
    finally:
        await client.disconnect()


def record(client: TelegramClient, builder: EventBuilder, sink: list[Any], attr: str) -> None:
    """Register a handler that appends ``getattr(event, attr)`` to ``sink``."""

    async def handler(event: Any) -> None:
        sink.append(getattr(event, attr))

    client.add_event_handler(handler, builder)


def forbid_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to dial a real Telegram server fails the test (the fake never dials)."""

    async def refuse(self: Connection, *args: object, **kwargs: object) -> None:
        raise AssertionError("a test tried to reach the real Telegram")

    monkeypatch.setattr(Connection, "connect", refuse)


def telethon_errors(records: Iterable[logging.LogRecord]) -> list[str]:
    """ERROR records from Telethon's loggers (unhandled handler exceptions, fatal update loop)."""
    return [
        r.getMessage()
        for r in records
        if r.levelno >= logging.ERROR and r.name.startswith("telethon")
    ]
