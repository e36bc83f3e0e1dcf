"""`uavwatch run` composed: which parts run, how they are wired, and the run itself.

    service = Service(settings)            # validates; nothing connects yet
    await serve(service)                   # until SIGINT/SIGTERM (see signals.py)

Parts, each supervised (supervisor.py), each optional by configuration:

    watcher     the user account (TG_API_ID + TG_API_HASH, a logged-in session)
    webpreview  public channels through t.me/s pages (WEBPREVIEW_CHANNELS)
    bot         the subscriber bot (TG_BOT_TOKEN): commands
    sender      the outbox -> Telegram, through the bot's client
    scheduler   digests, heartbeats, health checks, nightly maintenance (bot/jobs)

Without a bot token posts are stored and classified but nothing is sent (logged once).
With the bot, the pipeline's transaction also queues the alerts (`AlertEnqueuer`), whose
`max_age` is CATCHUP_ALERT_MAX_AGE: a post that catch-up finds after downtime and that is
older than that is stored, never alerted, whichever part found it.

Writes wait for an import: the database is opened with `write_wait=WRITE_WAIT`, so while
`uavwatch import` holds the write lock for a whole file, the service's writes queue (one
warning) instead of failing; nothing is lost, alerts go out when the import commits.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import httpx
from telethon import TelegramClient

from bot import __version__
from bot.botui.service import AlertsService, bot_client_factory
from bot.config import Settings
from bot.errors import InputError, TelegramSetupError
from bot.jobs import register_service_jobs
from bot.jobs.scheduler import Scheduler
from bot.pipeline import Pipeline
from bot.service.parts import Parts
from bot.service.signals import SHUTDOWN_DEADLINE, Shutdown
from bot.service.supervisor import DEFAULT_BACKOFF, Backoff, PartFn, Supervisor
from bot.sources.telegram.client import client_factory, require_credentials
from bot.sources.telegram.ingest import Ingestor
from bot.sources.telegram.watcher import Watcher, WatcherConfig
from bot.sources.webpreview_poller import WebPreviewPoller, make_http_client
from bot.storage import Database, utc_now

log = logging.getLogger(__name__)

#: How long a write waits for another process's write lock (seconds). `uavwatch import`
#: holds it for a whole file: ~11,700 posts/s makes a million-post export about 90 s, so
#: 15 minutes leaves a wide margin before a write gives up (and its part restarts).
WRITE_WAIT = 15 * 60.0
#: The scheduler part's idle tick (seconds): it reports progress while its timers run.
SCHEDULER_TICK = 60.0
PART_NAMES = ("watcher", "webpreview", "bot", "sender", "scheduler")

WatcherClients = Callable[..., TelegramClient]  # **options -> client (CLIENT_OPTIONS)
BotClients = Callable[[], TelegramClient]
HttpClients = Callable[[str], httpx.AsyncClient]  # base URL -> client


@dataclass(frozen=True)
class Plan:
    """Which parts run, and why the others do not (shown by status and at start)."""

    watcher: bool
    webpreview: bool
    bot: bool

    def disabled(self) -> dict[str, str]:
        why: dict[str, str] = {}
        if not self.watcher:
            why["watcher"] = "TG_API_ID/TG_API_HASH not set"
        if not self.webpreview:
            why["webpreview"] = "WEBPREVIEW_CHANNELS not set"
        if not self.bot:
            why["bot"] = why["sender"] = "TG_BOT_TOKEN not set: storing only, no alerts"
        return why


def plan_service(settings: Settings) -> Plan:
    """Decide the parts from the settings alone; raise before anything connects when the
    configuration cannot work (nothing to watch, half the credentials)."""
    watcher = bool(settings.tg_api_id or settings.tg_api_hash)
    webpreview = bool(settings.webpreview_channels)
    if not watcher and not webpreview:
        raise InputError(
            "nothing to watch: set TG_API_ID and TG_API_HASH (the watcher's Telegram account, "
            "from https://my.telegram.org; then run `uavwatch login`), or WEBPREVIEW_CHANNELS "
            "(public channels read without an account), in .env or the environment"
        )
    if watcher:
        require_credentials(settings)  # names the missing half
    bot = settings.tg_bot_token is not None
    if bot and not (settings.tg_api_id and settings.tg_api_hash):
        raise TelegramSetupError(
            "the subscriber bot (TG_BOT_TOKEN) also needs TG_API_ID and TG_API_HASH: get them "
            "at https://my.telegram.org, or remove TG_BOT_TOKEN to run without alerts"
        )
    return Plan(watcher=watcher, webpreview=webpreview, bot=bot)


@dataclass(frozen=True)
class Connectors:
    """How the service reaches the outside world; tests hand in the offline fakes."""

    watcher_client: WatcherClients | None = None
    bot_client: BotClients | None = None
    http_client: HttpClients = make_http_client

    @classmethod
    def production(cls, settings: Settings, plan: Plan) -> Connectors:
        return cls(
            watcher_client=client_factory(settings) if plan.watcher else None,
            bot_client=bot_client_factory(settings) if plan.bot else None,
        )


class Service:
    """The composed service. `run()` until `stop` is set; `parts` shows each part's state."""

    def __init__(
        self,
        settings: Settings,
        *,
        connectors: Connectors | None = None,
        now: Callable[[], datetime] = utc_now,
        backoff: Backoff = DEFAULT_BACKOFF,
        write_wait: float = WRITE_WAIT,
    ) -> None:
        self.settings = settings
        self.plan = plan_service(settings)
        self.connectors = connectors or Connectors.production(settings, self.plan)
        self.now = now
        self.backoff = backoff
        self.write_wait = write_wait
        self.parts = Parts(now)
        disabled = self.plan.disabled()
        for name in PART_NAMES:  # visible (starting or disabled) before run() begins
            self.parts.add(name, disabled=disabled.get(name))
        self.stop = asyncio.Event()
        self.alerts: AlertsService | None = None
        self.supervisor: Supervisor | None = None

    async def run(self) -> None:
        """Open the database, run every part until `stop`, then flush and close."""
        settings = self.settings
        async with (
            await Database.open(settings.db_path, write_wait=self.write_wait) as db,
            self.connectors.http_client(settings.webpreview_base_url) as http,
        ):
            self.supervisor = Supervisor(self.parts, backoff=self.backoff)
            for name, fn in self._parts(db, http).items():
                self.supervisor.add(name, fn)
            self._log_start()
            await self.supervisor.run(self.stop)
        log.info("uavwatch stopped; the database is flushed and closed")

    def _log_start(self) -> None:
        running = [p.name for p in self.parts.snapshot() if p.status != "disabled"]
        log.info("uavwatch %s starting: %s", __version__, ", ".join(running))
        if not self.plan.bot:
            log.warning(
                "TG_BOT_TOKEN is not set: posts are stored and classified, but no alerts "
                "are sent (set it to run the subscriber bot)"
            )
        if not self.plan.watcher:
            log.info("no Telegram account configured: archive-only from the web preview")

    def _parts(self, db: Database, http: httpx.AsyncClient) -> dict[str, PartFn]:
        settings, parts = self.settings, self.parts
        fns: dict[str, PartFn] = {}
        if self.plan.bot:
            assert self.connectors.bot_client is not None
            alerts = self.alerts = AlertsService(
                db, settings, self.connectors.bot_client, now=self.now
            )
            pipeline = Pipeline(db, on_ingested=alerts.enqueuer, now=self.now)
            fns["bot"] = lambda stop: alerts.run_bot(stop, progress=parts.progress_of("bot"))
            fns["sender"] = lambda stop: alerts.run_sender(
                stop, progress=parts.progress_of("sender")
            )
        else:
            pipeline = Pipeline(db, now=self.now)
        if self.plan.watcher:
            fns["watcher"] = self._watcher_part(db, pipeline)
        if self.plan.webpreview:
            fns["webpreview"] = self._webpreview_part(db, pipeline, http)
        fns["scheduler"] = self._scheduler_part(db)
        return {name: fns[name] for name in PART_NAMES if name in fns}

    def _watcher_part(self, db: Database, pipeline: Pipeline) -> PartFn:
        factory = self.connectors.watcher_client
        assert factory is not None
        config = WatcherConfig.from_settings(self.settings)

        async def run(stop: asyncio.Event) -> None:
            # A new Watcher per run: a crashed one has stopped and disconnected for good.
            watcher = Watcher(
                db, pipeline, factory, config, now=self.now,
                on_progress=self.parts.progress_of("watcher"),
            )  # fmt: skip
            await watcher.run(stop)

        return run

    def _webpreview_part(self, db: Database, pipeline: Pipeline, http: httpx.AsyncClient) -> PartFn:
        settings = self.settings

        async def run(stop: asyncio.Event) -> None:
            ingestor = Ingestor(pipeline, max_age=settings.catchup_alert_max_age, now=self.now)
            poller = WebPreviewPoller(
                db, ingestor, http, settings.webpreview_channels,
                interval=settings.webpreview_poll_seconds,
                sleep=lambda seconds: until_stopped(stop, seconds),
                on_progress=self.parts.progress_of("webpreview"),
            )  # fmt: skip
            try:
                await poller.run(stop)
            finally:
                await ingestor.drain()

        return run

    def _scheduler_part(self, db: Database) -> PartFn:
        settings, parts = self.settings, self.parts

        def on_error(job: str, exc: BaseException) -> None:
            parts.set("scheduler", last_error=f"job {job}: {exc!r}")

        wake = self.alerts.sender.wake if self.alerts is not None else None

        async def run(stop: asyncio.Event) -> None:
            scheduler = Scheduler(
                db, grace=settings.job_misfire_grace, now=self.now, on_error=on_error
            )
            register_service_jobs(scheduler, db, settings, parts=parts, now=self.now, wake=wake)
            await scheduler.start()
            try:
                while not stop.is_set():
                    parts.progress("scheduler")
                    await until_stopped(stop, SCHEDULER_TICK)
            finally:
                await scheduler.shutdown()

        return run


async def until_stopped(stop: asyncio.Event, seconds: float) -> None:
    """Sleep `seconds`, or less if `stop` is set meanwhile (a shutdown never waits a poll)."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def serve(
    service: Service,
    *,
    force: Callable[[str], None] | None = None,
    deadline: float = SHUTDOWN_DEADLINE,
) -> None:
    """Run `service` with SIGINT/SIGTERM handlers: the first signal stops it cleanly; a
    second one, or `deadline` seconds, calls `force(reason)` (default: cancel this task)."""
    task = asyncio.current_task()
    assert task is not None

    def cancel(reason: str) -> None:
        task.cancel(f"forced shutdown ({reason})")

    with Shutdown(service.stop, force or cancel, deadline=deadline):
        await service.run()
