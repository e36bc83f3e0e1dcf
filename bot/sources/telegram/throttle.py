"""Staying under Telegram's limits: FloodWait scopes, history pacing, backoff with jitter.

The client runs with `flood_sleep_threshold=0`, so every FloodWait reaches this module
instead of being slept inside Telethon. A FloodWait pauses only its scope, the request kind
and the channel that hit it, for the seconds Telegram named; everything else goes on.
Other RPC errors are retried with capped exponential backoff and jitter; errors that say a
channel cannot be read (private, banned, invalid) are not retried: they are a fact, not a
hiccup. The clock and sleep are injected, so tests obey a 300 s FloodWait in no time.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from telethon import errors

T = TypeVar("T")
Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]
log = logging.getLogger(__name__)

#: Telegram answers these when a channel cannot be read by this account; retrying is useless.
PERMANENT = (
    errors.ChannelPrivateError,
    errors.ChannelInvalidError,
    errors.ChannelBannedError,
    errors.ChatForbiddenError,
    errors.UsernameNotOccupiedError,
    errors.UsernameInvalidError,
    errors.PeerIdInvalidError,
)
#: The session is not (or no longer) logged in: nothing to retry, the operator must log in.
LOGGED_OUT = (errors.UnauthorizedError, errors.AuthKeyError)

#: Backoff for other RPC errors: 1 s doubling to at most 5 minutes, five tries per call.
BACKOFF_BASE = 1.0
BACKOFF_CAP = 300.0
MAX_ATTEMPTS = 5
#: Telegram does not publish GetHistory limits; apps that read ~1 page/s for long stretches
#: stay clear of FloodWaits (Telethon's own iter_messages sleeps 1 s per page past 3,000
#: messages). Short reads (catch-up of a few pages) go at once: a burst of 20 pages.
HISTORY_BURST = 20
HISTORY_PER_SECOND = 1.0


def backoff_delay(
    attempt: int, rng: random.Random, *, base: float = BACKOFF_BASE, cap: float = BACKOFF_CAP
) -> float:
    """Seconds to wait before retry number `attempt` (0-based): "equal jitter", i.e. half
    of min(cap, base * 2**attempt) plus a random share of the other half, so many clients
    that failed together do not come back together."""
    ceiling = min(cap, base * (2 ** min(attempt, 32)))
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


@dataclass
class FloodGate:
    """Deadlines per scope `(request kind, channel)`; `channel=None` means every channel."""

    deadlines: dict[tuple[str, str | None], float] = field(default_factory=dict)

    def hit(self, kind: str, channel: str | None, seconds: float, now: float) -> float:
        """Record a FloodWait; returns the deadline (one extra second: Telegram rounds)."""
        deadline = now + seconds + 1
        key = (kind, channel)
        self.deadlines[key] = max(self.deadlines.get(key, 0.0), deadline)
        return deadline

    def wait(self, kind: str, channel: str | None, now: float) -> float:
        """Seconds until both the channel's scope and the kind's global scope are open."""
        ends = [self.deadlines.get((kind, channel), 0.0), self.deadlines.get((kind, None), 0.0)]
        return max(0.0, max(ends) - now)

    def paused(self, now: float) -> dict[tuple[str, str | None], float]:
        """Scopes still closed, with the seconds left (for status and logs)."""
        return {k: d - now for k, d in self.deadlines.items() if d > now}


@dataclass
class Pacer:
    """A token bucket for history pages: `burst` at once, then `rate` per second."""

    burst: int = HISTORY_BURST
    rate: float = HISTORY_PER_SECOND
    tokens: float = float(HISTORY_BURST)
    stamp: float | None = None

    def delay(self, now: float) -> float:
        """Seconds to wait before the next page; takes its token."""
        if self.stamp is not None:
            self.tokens = min(float(self.burst), self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        self.tokens -= 1
        return 0.0 if self.tokens >= 0 else -self.tokens / self.rate


def why_unavailable(cause: Exception) -> str:
    """What an operator should read about a channel the account cannot read."""
    if isinstance(cause, (errors.UsernameNotOccupiedError, errors.UsernameInvalidError)):
        return "no such username on Telegram: check the spelling in CHANNELS/channels add"
    if isinstance(cause, (errors.ChannelPrivateError, errors.ChannelBannedError)):
        return "is private or this account is banned from it: join it with the watcher account"
    return f"cannot be read by this account ({type(cause).__name__})"


class ChannelUnavailable(Exception):
    """This account cannot read the channel (private, banned, gone): reported, not retried."""

    def __init__(self, channel: str, cause: Exception) -> None:
        super().__init__(f"{channel}: {why_unavailable(cause)}")
        self.channel = channel
        self.cause = cause


class Throttle:
    """Runs requests under FloodWait scopes, pacing and retries (one per client)."""

    def __init__(
        self,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
        pacer: Pacer | None = None,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self.clock = clock
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.gate = FloodGate()
        self.pacer = pacer or Pacer()
        self.max_attempts = max_attempts
        self.flood_waits: list[tuple[str, str | None, int]] = []  # (kind, channel, seconds)

    async def pace_history(self) -> None:
        delay = self.pacer.delay(self.clock())
        if delay > 0:
            await self.sleep(delay)

    async def call(self, kind: str, channel: str | None, request: Callable[[], Awaitable[T]]) -> T:
        """`await request()` once its scope is open; FloodWait closes the scope and waits
        (as often as Telegram says so); other RPC errors back off up to `max_attempts`.
        ConnectionError and OSError propagate: the watcher reconnects, then catches up."""
        attempt = 0
        while True:
            wait = self.gate.wait(kind, channel, self.clock())
            if wait > 0:
                await self.sleep(wait)
            try:
                return await request()
            except errors.FloodWaitError as exc:
                self.gate.hit(kind, channel, exc.seconds, self.clock())
                self.flood_waits.append((kind, channel, exc.seconds))
                log.warning(
                    "FloodWait of %s s on %s for %s: pausing only that",
                    exc.seconds,
                    kind,
                    channel or "all channels",
                )
            except PERMANENT as exc:
                raise ChannelUnavailable(channel or kind, exc) from exc
            except LOGGED_OUT:
                raise
            except errors.RPCError as exc:
                if attempt + 1 >= self.max_attempts:
                    raise
                delay = backoff_delay(attempt, self.rng)
                attempt += 1
                log.warning(
                    "%s for %s failed (%s); retry %d/%d in %.1f s",
                    kind,
                    channel or "-",
                    exc,
                    attempt,
                    self.max_attempts - 1,
                    delay,
                )
                await self.sleep(delay)
