"""Running the service's parts side by side, restarting the one that crashes.

A part is `async (stop: asyncio.Event) -> None`: it works until `stop` is set, then returns.
The supervisor runs every part as its own task in one event loop:

- an unexpected exception ends only that part's run: it is logged with the part's name and
  the traceback, counted in `Parts` (restarts, last error), and the part is started again
  after a capped exponential backoff with jitter; the other parts never notice. A part
  that returns while the service runs is a crash too (`PartEnded`): every part is meant to
  work until `stop`, so an early return is a bug or a lost source, never "done";
- a setup error (`TelegramSetupError`: a refused token, a session that is not or no longer
  logged in; `ConfigError`) is not a crash but a problem no restart can fix: the part is
  marked `failed` and stays down while the others go on (the service tells the admins and
  `uavwatch status` shows it). Parts that `require` it are marked failed with it. Only when
  every `essential` part has failed is there nothing left worth running: then every part
  is stopped and `run` raises the first error (the CLI exits 2 with its message);
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
from collections.abc import Awaitable, Callable, Iterable
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
#: Errors that take a part down for good instead of restarting it (the operator must act).
FATAL: tuple[type[Exception], ...] = (TelegramSetupError, ConfigError)
#: Seconds the parts get to finish after `stop` before they are cancelled. Leaves about 2 s
#: of the 10 s shutdown budget for closing the database and the HTTP client.
SHUTDOWN_GRACE = 8.0


class PartEnded(RuntimeError):
    """A part returned while the service was running (treated as a crash)."""


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
        essential: Iterable[str] | None = None,
    ) -> None:
        self.parts = parts
        self.backoff = backoff
        self.grace = grace
        self._clock = clock
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._essential = None if essential is None else frozenset(essential)
        self._fns: dict[str, PartFn] = {}
        self._requires: dict[str, str] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._failed: dict[str, Exception] = {}
        self._all_failed = asyncio.Event()
        self.delays: list[tuple[str, float]] = []  # every restart wait, for logs and tests

    def add(self, name: str, fn: PartFn, *, requires: str | None = None) -> None:
        """`requires`: a part this one cannot work without (the sender needs the bot)."""
        if name in self._fns:
            raise ValueError(f"part {name!r} added twice")
        if requires is not None and requires not in self._fns:
            raise ValueError(f"part {name!r} requires {requires!r}, which is not added")
        self._fns[name] = fn
        if requires is not None:
            self._requires[name] = requires
        self.parts.add(name)

    async def run(self, stop: asyncio.Event) -> None:
        """Run every part until `stop` is set, or until every essential part has failed
        (then raise the first failure)."""
        self._tasks = {
            name: asyncio.ensure_future(self._keep_running(name, fn, stop))
            for name, fn in self._fns.items()
        }
        if not self._tasks:
            return
        stopping = asyncio.ensure_future(stop.wait())
        hopeless = asyncio.ensure_future(self._all_failed.wait())
        try:
            await asyncio.wait({stopping, hopeless}, return_when=asyncio.FIRST_COMPLETED)
            stop.set()  # after a hopeless failure the others wind down as in a normal stop
            await self._wind_down()
        finally:
            stopping.cancel()
            hopeless.cancel()
            for task in self._tasks.values():
                task.cancel()
            await asyncio.gather(*self._tasks.values(), return_exceptions=True)
        if self._all_failed.is_set():
            raise next(iter(self._failed.values()))

    async def _wind_down(self) -> None:
        names = {task: name for name, task in self._tasks.items()}
        _, late = await asyncio.wait(names, timeout=self.grace)
        for task in late:
            log.warning("%s did not stop within %.0f s; cancelling it", names[task], self.grace)
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)

    async def _keep_running(self, name: str, fn: PartFn, stop: asyncio.Event) -> None:
        attempt = 0
        try:
            while not stop.is_set():
                started = self._clock()
                self.parts.set(name, status="running", started_at=self.parts.now())
                try:
                    await fn(stop)
                    if not stop.is_set():
                        raise PartEnded(f"{name} returned while the service was running")
                except FATAL as exc:
                    self._fail(name, exc)
                    return
                except Exception as exc:
                    if stop.is_set():
                        log.warning("%s failed while stopping: %r", name, exc)
                        break
                    if self._clock() - started >= self.backoff.stable_after:
                        attempt = 0
                    await self._restart_after(name, exc, attempt, stop)
                    attempt += 1
        finally:
            if name not in self._failed:
                self.parts.set(name, status="stopped")

    async def _restart_after(
        self, name: str, exc: Exception, attempt: int, stop: asyncio.Event
    ) -> None:
        delay = backoff_delay(attempt, self._rng, base=self.backoff.base, cap=self.backoff.cap)
        self.delays.append((name, delay))
        restarts = self.parts.get(name).restarts + 1
        self.parts.set(name, status="restarting", restarts=restarts, last_error=repr(exc))
        log.error(
            "%s crashed; restarting it in %.1f s (restart %d)", name, delay, restarts,
            exc_info=not isinstance(exc, PartEnded),
        )  # fmt: skip
        await self._pause(stop, delay)

    def _fail(self, name: str, exc: Exception) -> None:
        """`name` is down for good; so is every part that requires it."""
        log.error("%s cannot run: %s", name, exc)
        self._failed[name] = exc
        self.parts.set(name, status="failed", last_error=str(exc))
        for other, needed in self._requires.items():
            if needed == name and other not in self._failed:
                why = TelegramSetupError(f"{other} needs {name}, which failed: {exc}")
                self._failed[other] = why
                self.parts.set(other, status="failed", last_error=str(why))
                log.error("%s stops: it needs %s", other, name)
                self._tasks[other].cancel()
        essential = self._fns.keys() if self._essential is None else self._essential
        if all(n in self._failed for n in essential if n in self._fns):
            self._all_failed.set()

    async def _pause(self, stop: asyncio.Event, seconds: float) -> None:
        """`sleep(seconds)`, cut short by `stop`."""
        sleeping = asyncio.ensure_future(self._sleep(seconds))
        stopping = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({sleeping, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeping.cancel()
            stopping.cancel()
