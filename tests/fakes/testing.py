"""Helpers for tests that drive real Telethon clients against ``FakeTelegram``.

Why these exist (TELETHON_FAKE.md §7): handlers run as tasks, so tests poll for effects
(``eventually``) instead of sleeping; a client left connected after a failed assertion can
hang the event loop's teardown, so clients live in a context manager (``connected``);
Telethon only logs handler exceptions, so ``telethon_errors`` lets a test fail on them.
``run_virtual`` runs a test on virtual time (``VirtualTimeLoop``): the fake's ``latency``
and the code's sleeps pass instantly, and timings read from ``loop.time()`` are exact.
"""

from __future__ import annotations

import asyncio
import logging
import selectors
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from telethon import TelegramClient
from telethon.events.common import EventBuilder
from telethon.network.connection.connection import Connection

if TYPE_CHECKING:
    import pytest

    from .telegram import FakeTelegram

T = TypeVar("T")
# Real seconds an idle virtual loop waits for a thread (aiosqlite's) before it moves its
# clock to the next timer: work in a thread takes no virtual time, unless it takes this long.
_THREAD_GRACE = 0.01


class _VirtualSelector(selectors.DefaultSelector):
    """Asked to block for `timeout` seconds, moves the loop's clock on instead (once nothing
    arrives from another thread: aiosqlite answers through the loop's self-pipe)."""

    def __init__(self, loop: VirtualTimeLoop) -> None:
        super().__init__()
        self._loop = loop

    def select(self, timeout: float | None = None) -> list[Any]:
        events = super().select(0)
        if events or (timeout is not None and timeout <= 0):
            return events
        events = super().select(_THREAD_GRACE if timeout is None else min(timeout, _THREAD_GRACE))
        if not events and timeout is not None:
            self._loop.virtual += timeout
        elif not events:  # nothing scheduled at all: wait for a thread as a real loop would
            events = super().select(None)
        return events


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    """An event loop whose `time()` is virtual: it starts at 0 and jumps to the next timer
    whenever the loop has nothing else to do (no network here: the fake is in-process)."""

    def __init__(self) -> None:
        self.virtual = 0.0
        super().__init__(_VirtualSelector(self))

    def time(self) -> float:
        return self.virtual


def run_virtual(main: Coroutine[Any, Any, T]) -> T:
    """Run `main` to completion on a fresh `VirtualTimeLoop`."""
    with asyncio.Runner(loop_factory=VirtualTimeLoop) as runner:
        return runner.run(main)


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
