"""The watcher's lifecycle: connect, load channels, catch up, then live + polls + sweeps.

    watcher = Watcher(db, pipeline, client_factory, WatcherConfig.from_settings(settings))
    await watcher.run(stop_event)     # start(), the loops, stop() on the way out

`start()` connects, checks the session is logged in, resolves the channels (once; peers
are cached in the DB), registers the live handlers and catches every channel up from its
cursor before the loops begin. Loops: a connection watchdog (the client runs without
Telethon's auto-reconnect, so a lost connection is ours to see: reconnect with backoff,
then catch up), a poll every POLL_SECONDS (new/removed channels, channels not joined,
heads of joined ones: a >100-event gap dispatches nothing), and the reconcile sweep every
RECONCILE_MINUTES. `poll_once`, `reconcile_once` and `catch_up_all` are public so the
scheduler or a test can run one round.

`on_progress` (the service's `Parts.progress`) is called after every completed round, so a
quiet night still shows progress and only a stuck watcher stops reporting. A loop that dies
(the session was logged out) ends `run` with its error instead of leaving a watcher that
looks alive and reads nothing; the service's supervisor then restarts it, and the restart's
login check (`start`) says whether the session is gone for good (TelegramSetupError).

Why the polls and sweeps are loops here and not APScheduler jobs: they share the client's
connection state (a round during a reconnect would only fail), the FloodWait scopes of
`Throttle` (a wait Telegram imposes must delay the next round, which a timer does not
know), and the channel list. So the loops stay, and each round is reported to `on_round`
(rounds.py): the service records it in `job_runs`, beside the scheduled jobs, so `uavwatch
status` shows each sweep's last run and its failures.

Shutdown is bounded: `stop()` gives spawned work and the last commits STOP_WAIT seconds
(a write waiting for an import's lock gives up when the service stops), then disconnects.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from telethon import TelegramClient

from bot.config import Settings
from bot.errors import TelegramSetupError
from bot.pipeline import Pipeline
from bot.sources.telegram.channels import Registry, Watched
from bot.sources.telegram.ingest import Ingested, Ingestor, OnIngested, Origin
from bot.sources.telegram.live import ALBUM_WAIT, Live
from bot.sources.telegram.reconcile import Reconciler
from bot.sources.telegram.refs import ChannelRef
from bot.sources.telegram.rounds import OnRound, channel_failed, run_round
from bot.sources.telegram.sync import Syncer
from bot.sources.telegram.throttle import LOGGED_OUT, ChannelUnavailable, Throttle, backoff_delay
from bot.storage import Database, utc_now

log = logging.getLogger(__name__)

#: How the watcher's client must be built (passed to the factory as keyword arguments):
#: FloodWaits reach our code; reconnects are ours (then we catch up); Telethon's own
#: catch-up is off (our cursors are the source of truth).
CLIENT_OPTIONS: dict[str, Any] = {
    "flood_sleep_threshold": 0,
    "auto_reconnect": False,
    "catch_up": False,
    "receive_updates": True,
}
#: Reconnect backoff: 1 s doubling to a minute, with jitter, for as long as it takes.
RECONNECT_CAP = 60.0
#: Seconds `stop()` waits for spawned work, then for the last commits, before it
#: disconnects anyway: two such waits stay well inside the service's 10 s stop budget.
STOP_WAIT = 2.5
ClientFactory = Callable[..., TelegramClient]


@dataclass(frozen=True)
class WatcherConfig:
    channels: tuple[ChannelRef, ...] = ()
    poll_seconds: float = 60.0
    reconcile_minutes: float = 10.0
    window_hours: float = 48.0
    window_posts: int = 200
    alert_max_age: timedelta = timedelta(hours=1)
    max_parallel: int = 4  # channels read at the same time

    @classmethod
    def from_settings(cls, settings: Settings) -> WatcherConfig:
        return cls(
            channels=tuple(settings.channels),
            poll_seconds=settings.poll_seconds,
            reconcile_minutes=settings.reconcile_minutes,
            window_hours=settings.reconcile_window_hours,
            window_posts=settings.reconcile_window_posts,
            alert_max_age=settings.catchup_alert_max_age,
        )


class Watcher:
    def __init__(
        self,
        db: Database,
        pipeline: Pipeline,
        client_factory: ClientFactory,
        config: WatcherConfig,
        *,
        on_ingested: OnIngested | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        now: Callable[[], datetime] = utc_now,
        rng: random.Random | None = None,
        album_wait: float = ALBUM_WAIT,
        on_progress: Callable[[], None] | None = None,
        on_round: OnRound | None = None,
    ) -> None:
        self.db = db
        self.on_progress = on_progress
        self.on_round = on_round
        self.config = config
        self.sleep = sleep
        self.now = now
        self.rng = rng or random.Random()
        self.client = client_factory(**CLIENT_OPTIONS)
        self.client.flood_sleep_threshold = 0  # also when a factory ignored the option
        self.throttle = Throttle(clock=clock, sleep=sleep, rng=self.rng)
        self.ingestor = Ingestor(
            pipeline, max_age=config.alert_max_age, now=now, on_ingested=on_ingested
        )
        self.registry = Registry(db, pipeline, self.client, self.throttle)
        self.syncer = Syncer(db, self.client, self.throttle, self.ingestor)
        self.reconciler = Reconciler(
            db,
            self.client,
            self.throttle,
            self.ingestor,
            window=timedelta(hours=config.window_hours),
            window_posts=config.window_posts,
        )
        self.live = Live(
            self.channels_by_id,
            self.ingestor,
            self.client,
            self.throttle,
            on_gap=self._on_gap,
            spawn=self._spawn,
            album_wait=album_wait,
        )
        self.channels: dict[int, Watched] = {}
        self.reconnects = 0
        self.state = "new"
        self._tasks: set[asyncio.Task[Any]] = set()
        self._loops: set[asyncio.Task[Any]] = set()
        self._limit = asyncio.Semaphore(config.max_parallel)

    def channels_by_id(self, telegram_id: int) -> Watched | None:
        return self.channels.get(telegram_id)

    # -- lifecycle ----------------------------------------------------------------------
    async def start(self) -> None:
        if self.state != "new":
            raise RuntimeError(f"cannot start: the watcher is {self.state}")
        self.state = "starting"
        self.live.register(self.client)
        await self._connect()
        if not await self.client.is_user_authorized():
            await self.client.disconnect()
            self.state = "stopped"
            raise TelegramSetupError(
                "the Telegram session is not logged in (TG_SESSION / TG_SESSION_STRING): "
                "run `uavwatch login` once, then start again"
            )
        await self.registry.mark_configured(self.config.channels)
        self.channels = await self.registry.load()
        log.info(
            "watching %d channel(s): %d live, %d polled",
            len(self.channels),
            sum(c.joined for c in self.channels.values()),
            sum(not c.joined for c in self.channels.values()),
        )
        await self._round("catchup", self.catch_up_all)
        self.state = "running"

    async def run(self, stop: asyncio.Event) -> None:
        """Start, run the loops until `stop` is set, then stop (also on errors)."""
        try:
            if self.state == "new":
                await self.start()
            sweep = self.config.reconcile_minutes * 60
            loops = [
                self._spawn(self._watch_connection(), "connection watchdog"),
                self._spawn(self._every("poll", self.config.poll_seconds, self.poll_once), "poll"),
                # The first sweep runs at once: a post lost in a gap that was open when the
                # process died sits below the cursor, where only the sweep looks.
                self._spawn(
                    self._every("reconcile", sweep, self.reconcile_once, first_now=True),
                    "reconcile",
                ),
            ]
            self._loops.update(loops)
            self._progress()
            stopping = asyncio.ensure_future(stop.wait())
            try:
                await asyncio.wait({stopping, *loops}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                stopping.cancel()
            for task in loops:
                task.cancel()
            dead = [t for t in loops if t.done() and not t.cancelled() and t.exception()]
            if dead and not stop.is_set():
                raise dead[0].exception()  # type: ignore[misc]
        finally:
            await self.stop()

    def _progress(self) -> None:
        if self.on_progress is not None:
            self.on_progress()

    async def stop(self) -> None:
        """Cancel the loops, let committed work finish, disconnect. Idempotent."""
        if self.state == "stopped":
            return
        self.state = "stopping"
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            _, late = await asyncio.wait(list(self._tasks), timeout=STOP_WAIT)
            if late:
                log.warning("%d watcher task(s) did not end within %.1f s", len(late), STOP_WAIT)
        try:
            await asyncio.wait_for(self.ingestor.drain(), STOP_WAIT)
        except TimeoutError:
            log.warning(
                "the last writes did not finish within %.1f s; what they held is read "
                "again from each channel's cursor at the next start",
                STOP_WAIT,
            )
        await self.client.disconnect()
        self.state = "stopped"

    async def _connect(self) -> None:
        attempt = 0
        while True:
            try:
                await self.client.connect()
                return
            except OSError as exc:  # ConnectionError is an OSError
                delay = backoff_delay(attempt, self.rng, cap=RECONNECT_CAP)
                log.warning("cannot reach Telegram (%s); trying again in %.1f s", exc, delay)
                attempt += 1
                await self.sleep(delay)

    async def _watch_connection(self) -> None:
        while self.state in ("running", "starting"):
            reason: object = "closed"
            try:
                await self.client.disconnected
            except Exception as exc:
                reason = exc
            if self.state not in ("running", "starting"):
                return
            self.reconnects += 1
            log.warning("connection to Telegram lost (%s); reconnecting", reason)
            await self.client.disconnect()  # a clean slate: stops the old update loop
            await self._connect()
            log.info("reconnected; catching up every channel from its frontier")
            await self._round("catchup", self.catch_up_all)
            self._progress()

    async def _every(
        self,
        name: str,
        seconds: float,
        job: Callable[[], Awaitable[object]],
        *,
        first_now: bool = False,
    ) -> None:
        wait = not first_now
        while True:
            if wait:
                await self.sleep(seconds * self.rng.uniform(0.9, 1.1))
            wait = True
            try:
                await self._round(name, job)
                self._progress()
            except LOGGED_OUT:
                log.error("the Telegram session was logged out: run `uavwatch login`")
                raise
            except Exception:
                log.exception("watcher round failed; the next round retries")

    async def _round(self, name: str, job: Callable[[], Awaitable[object]]) -> None:
        await run_round(name, job, now=self.now, on_round=self.on_round)

    # -- rounds -------------------------------------------------------------------------
    async def catch_up_all(self, origin: Origin = Origin.CATCHUP) -> list[Ingested]:
        """Every channel's history after its frontier, a few channels at a time."""
        found = await asyncio.gather(
            *(
                self._guarded(ch, partial(self.syncer.sync, ch, origin))
                for ch in list(self.channels.values())
            )
        )
        return [item for items in found for item in items]

    async def poll_once(self) -> list[Ingested]:
        """Pick up added/removed channels; read channels not joined; read joined channels
        whose newest message is past the frontier (what a >100-event gap leaves)."""
        known = set(self.channels)
        self.channels = await self.registry.load(self.channels)
        heads = await self._heads() if any(c.joined for c in self.channels.values()) else {}
        due = [
            ch
            for cid, ch in self.channels.items()
            if cid not in known or not ch.joined or heads.get(cid, 0) > ch.frontier
        ]
        found = await asyncio.gather(
            *(self._guarded(ch, partial(self.syncer.sync, ch, Origin.POLL)) for ch in due)
        )
        return [item for items in found for item in items]

    async def reconcile_once(self) -> list[Ingested]:
        now = self.now()
        found = await asyncio.gather(
            *(
                self._guarded(ch, partial(self.reconciler.sweep, ch, now))
                for ch in list(self.channels.values())
            )
        )
        return [item for items in found for item in items]

    async def _heads(self) -> dict[int, int]:
        async def fetch() -> dict[int, int]:
            heads: dict[int, int] = {}
            async for dialog in self.client.iter_dialogs():
                if dialog.is_channel:
                    heads[dialog.entity.id] = dialog.dialog.top_message
            return heads

        return await self.throttle.call("GetDialogsRequest", None, fetch)

    async def _guarded(
        self, ch: Watched, round_: Callable[[], Awaitable[list[Ingested]]]
    ) -> list[Ingested]:
        """One channel's round: its failure is logged with the channel, the rest go on.

        Takes a factory, not a coroutine: a round cancelled before its turn is never created,
        so nothing is left un-awaited when the watcher stops."""
        async with self._limit:
            try:
                return await round_()
            except ChannelUnavailable as exc:
                self.registry.problems[ch.label] = str(exc).split(": ", 1)[-1]
                log.error("%s; it stays on the list and is retried next round", exc)
                channel_failed(ch.label, exc)
            except LOGGED_OUT:
                raise
            except OSError as exc:
                log.warning("%s: connection problem (%s); catch-up after reconnect", ch.label, exc)
                channel_failed(ch.label, exc)
            except Exception as exc:
                log.exception("%s: reading history failed; the next round retries", ch.label)
                channel_failed(ch.label, exc)
        return []

    def _on_gap(self, ch: Watched) -> None:
        if self.state in ("stopping", "stopped"):
            return  # the next start catches up from the cursor anyway
        self._spawn(
            self._guarded(ch, partial(self.syncer.sync, ch, Origin.CATCHUP)), f"{ch.label} gap"
        )

    def _spawn(self, work: Awaitable[Any], name: str) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)

        def done(t: asyncio.Task[Any]) -> None:
            self._tasks.discard(t)
            if not t.cancelled() and t.exception() is not None:
                log.error("%s failed: %r", name, t.exception())

        task.add_done_callback(done)
        return task

    async def settle(self, timeout: float = 10.0) -> None:
        """Wait until spawned work (gap catch-ups, albums) is done; the loops of `run` are
        not waited for. Tests and the bench use it instead of sleeping."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while busy := [t for t in self._tasks if not t.done() and t not in self._loops]:
            if loop.time() > deadline:
                raise TimeoutError(f"{len(busy)} watcher task(s) still busy after {timeout} s")
            await asyncio.wait(busy, timeout=0.05)
        await self.ingestor.drain()
