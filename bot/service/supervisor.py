"""Running the service's parts side by side, restarting the one that crashes.

A part is `async (stop: asyncio.Event) -> None`: it works until `stop` is set, then returns.
The supervisor runs every part as its own task in one event loop:

- an unexpected exception ends only that part's run: it is logged with the part's name and
  the traceback, counted in `Parts` (restarts, last error), and the part is started again
  after a capped exponential backoff with jitter; the other parts never notice;
- a setup error (`TelegramSetupError`: a refused token, a session that is not logged in;
  `ConfigError`) is not a crash but a problem no restart can fix: the part is
  marked `failed`, every part is stopped, and `run` raises it, so the operator sees one
  clear message and a non-zero exit instead of a process that looks alive and does nothing;
- once `stop` is set, parts get `grace` seconds to finish (in-flight sends, the last
  commit); stragglers are cancelled, so a shutdown always ends in bounded time.

A run that lasted `stable_after` seconds resets the backoff: a part that crashes once a
day restarts after a second, one that crashes on every start waits up to `cap`.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.errors import ConfigError, TelegramSetupError
from bot.service.parts import Parts
from bot.sources.telegram.throttle import backoff_delay

log = logging.getLogger(__name__)

PartFn = Callable[[asyncio.Event], Awaitable[None]]
Sleep = Callable[[float], Awaitable[None]]

#: Restart backoff: 1 s doubling to 5 minutes ("equal jitter", see `backoff_delay`). Five
#: minutes keeps a part that fails on every start (Telegram down) from spinning, and is
#: well under STALL_MINUTES' default of 15, so one slow restart is not reported as a stall.
RESTART_BASE = 1.0
RESTART_CAP = 300.0
#: A run this long (seconds) counts as healthy: the next crash restarts after RESTART_BASE.
STABLE_AFTER = 600.0
#: Errors that end the service instead of restarting the part (the operator must act).
FATAL: tuple[type[Exception], ...] = (TelegramSetupError, ConfigError)
#: Seconds the parts get to finish after `stop` before they are cancelled. Leaves about 2 s
#: of the 10 s shutdown budget for closing the database and the HTTP client.
SHUTDOWN_GRACE = 8.0


@dataclass(frozen=True)
class Backoff:
    base: float = RESTART_BASE
    cap: float = RESTART_CAP
    stable_after: float = STABLE_AFTER


DEFAULT_BACKOFF = Backoff()


class Supervisor:
    """Add parts with `add(name, fn)`, then `await run(stop)`."""

    def __init__(
        self,
        parts: Parts,
        *,
        backoff: Backoff = DEFAULT_BACKOFF,
        grace: float = SHUTDOWN_GRACE,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.parts = parts
        self.backoff = backoff
        self.grace = grace
        self._clock = clock
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._fns: dict[str, PartFn] = {}
        self.delays: list[tuple[str, float]] = []  # every restart wait, for logs and tests

    def add(self, name: str, fn: PartFn) -> None:
        if name in self._fns:
            raise ValueError(f"part {name!r} added twice")
        self._fns[name] = fn
        self.parts.add(name)

    async def run(self, stop: asyncio.Event) -> None:
        """Run every part until `stop` is set (or one fails for good: then raise its error)."""
        fatal: list[Exception] = []
        tasks = {
            asyncio.ensure_future(self._keep_running(name, fn, stop, fatal)): name
            for name, fn in self._fns.items()
        }
        if not tasks:
            return
        stopping = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({stopping, *tasks}, return_when=asyncio.FIRST_COMPLETED)
            if fatal:
                stop.set()  # the others wind down as in a normal shutdown
            await stop.wait()
            await self._wind_down(tasks)
        finally:
            stopping.cancel()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        if fatal:
            raise fatal[0]

    async def _wind_down(self, tasks: dict[asyncio.Task[None], str]) -> None:
        _, late = await asyncio.wait(tasks, timeout=self.grace)
        for task in late:
            log.warning("%s did not stop within %.0f s; cancelling it", tasks[task], self.grace)
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)

    async def _keep_running(
        self, name: str, fn: PartFn, stop: asyncio.Event, fatal: list[Exception]
    ) -> None:
        attempt = 0
        while not stop.is_set():
            started = self._clock()
            self.parts.set(name, status="running", started_at=self.parts.now())
            try:
                await fn(stop)
            except FATAL as exc:
                log.error("%s cannot run: %s", name, exc)
                self.parts.set(name, status="failed", last_error=str(exc))
                fatal.append(exc)
                return
            except Exception as exc:
                if stop.is_set():
                    log.warning("%s failed while stopping: %r", name, exc)
                    break
                if self._clock() - started >= self.backoff.stable_after:
                    attempt = 0
                delay = backoff_delay(
                    attempt, self._rng, base=self.backoff.base, cap=self.backoff.cap
                )
                attempt += 1
                self.delays.append((name, delay))
                state = self.parts.get(name)
                self.parts.set(
                    name, status="restarting", restarts=state.restarts + 1, last_error=repr(exc)
                )
                log.exception("%s crashed; restarting it in %.1f s (restart %d)", name, delay,
                              state.restarts + 1)  # fmt: skip
                await self._pause(stop, delay)
                continue
            if not stop.is_set():
                log.info("%s finished on its own; it has nothing to do", name)
            break
        self.parts.set(name, status="stopped")

    async def _pause(self, stop: asyncio.Event, seconds: float) -> None:
        """`sleep(seconds)`, cut short by `stop`."""
        sleeping = asyncio.ensure_future(self._sleep(seconds))
        stopping = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({sleeping, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeping.cancel()
            stopping.cancel()
