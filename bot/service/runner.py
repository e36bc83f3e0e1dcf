"""`uavwatch run` composed: how the parts are wired, and the run itself.

    service = Service(settings)            # decides the parts (plan.py); nothing connects yet
    await serve(service)                   # until SIGINT/SIGTERM (see signals.py)

Parts, each supervised (supervisor.py), each optional by configuration (plan.py):

    watcher     the user account (a session; WATCHER=on/off overrides)
    webpreview  public channels through t.me/s pages (WEBPREVIEW_CHANNELS)
    bot         the subscriber bot (TG_BOT_TOKEN): commands
    sender      the outbox -> Telegram, through the bot's client (requires the bot)
    scheduler   digests, heartbeats, health checks, nightly maintenance (bot/jobs)

Without a bot token posts are stored and classified but nothing is sent, no digest is
queued and admin notices are only logged. With the bot, the pipeline's transaction also
queues the alerts (`AlertEnqueuer`), whose `max_age` is CATCHUP_ALERT_MAX_AGE: a post that
catch-up finds after downtime and that is older than that is stored, never alerted.

A part that fails for good (a session no longer logged in, a refused token) is marked
`failed`, written to the database at once (reporting.py) and told to the admins; the others
go on. Only when none of watcher, web preview and bot is left does the service exit (2).

Writes wait for an import: the database is opened with `write_wait=WRITE_WAIT` and a short
busy timeout, so while `uavwatch import` holds the write lock for a whole file the
service's writes queue (one warning) instead of failing; alerts go out when the import
commits. When the service stops meanwhile, the waiting writes give up at once: what they
carried is read again from the channels' cursors at the next start.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import httpx
from telethon import TelegramClient

from bot import __version__
from bot.botui.service import AlertsService, bot_client_factory
from bot.config import Settings
from bot.jobs import Notifier, register_service_jobs
from bot.jobs.scheduler import Scheduler
from bot.pipeline import Pipeline
from bot.service.parts import Parts
from bot.service.plan import Plan, SessionFinder, plan_service
from bot.service.reporting import PartReporter
from bot.service.rounds import RecordingPoller, round_recorder
from bot.service.signals import SHUTDOWN_DEADLINE, Shutdown
from bot.service.supervisor import DEFAULT_BACKOFF, Backoff, PartFn, Supervisor
from bot.sources.telegram.client import client_factory, find_session
from bot.sources.telegram.ingest import Ingestor
from bot.sources.telegram.watcher import Watcher, WatcherConfig
from bot.sources.webpreview_poller import make_http_client
from bot.storage import Database, utc_now
from bot.storage.database import SERVICE_BUSY_TIMEOUT_MS

log = logging.getLogger(__name__)

#: How long a write waits for another process's write lock (seconds). `uavwatch import`
#: holds it for a whole file: ~11,700 posts/s makes a million-post export about 90 s, so
#: 15 minutes leaves a wide margin before a write gives up (and its part restarts).
WRITE_WAIT = 15 * 60.0
#: The scheduler part's idle tick (seconds): it reports progress while its timers run.
SCHEDULER_TICK = 60.0
PART_NAMES = ("watcher", "webpreview", "bot", "sender", "scheduler")
#: The parts worth running for: with all of them failed, the service exits.
ESSENTIAL = ("watcher", "webpreview", "bot")
#: After the parts stopped (at most SHUTDOWN_GRACE): seconds for the last part states, then
#: for the transaction still running before the database closes. With the grace that
#: stays inside the 10 s stop budget even while an import holds the write lock.
REPORT_WAIT = 0.5
CLOSE_WAIT = 0.5

WatcherClients = Callable[..., TelegramClient]  # **options -> client (CLIENT_OPTIONS)
BotClients = Callable[[], TelegramClient]
HttpClients = Callable[[str], httpx.AsyncClient]  # base URL -> client


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
        find: SessionFinder = find_session,
    ) -> None:
        self.settings = settings
        self.plan = plan_service(settings, find=find)
        self.connectors = connectors or Connectors.production(settings, self.plan)
        self.now = now
        self.backoff = backoff
        self.write_wait = write_wait
        self.parts = Parts(now)
        disabled = self.plan.disabled()
        for name in PART_NAMES:  # visible (starting or disabled) before run() begins
            self.parts.add(name, disabled=disabled.get(name))
        self.stop = asyncio.Event()
        self.notices = Notifier(settings.admin_ids, bot=self.plan.bot)
        self.alerts: AlertsService | None = None
        self.supervisor: Supervisor | None = None
        self.reporter: PartReporter | None = None

    async def run(self) -> None:
        """Open the database, run every part until `stop`, then flush and close."""
        settings = self.settings
        async with self.connectors.http_client(settings.webpreview_base_url) as http:
            db = await Database.open(
                settings.db_path, write_wait=self.write_wait,
                busy_timeout_ms=SERVICE_BUSY_TIMEOUT_MS, stop=self.stop,
            )  # fmt: skip
            try:
                await self._supervise(db, http)
            finally:
                await db.close(timeout=CLOSE_WAIT)
        if db.abandoned:
            log.warning(
                "%d write(s) given up while another process held the write lock: the posts "
                "they held are read again from the channels' cursors at the next start",
                db.abandoned,
            )
        log.info("uavwatch stopped; the database is flushed and closed")

    async def _supervise(self, db: Database, http: httpx.AsyncClient) -> None:
        fns = self._parts(db, http)
        wake = self.alerts.sender.wake if self.alerts is not None else None
        self.reporter = PartReporter(db, self.parts, self.notices, now=self.now, wake=wake)
        self.supervisor = Supervisor(self.parts, backoff=self.backoff, essential=ESSENTIAL)
        for name, fn in fns.items():
            self.supervisor.add(name, fn, requires="bot" if name == "sender" else None)
        self.reporter.start()
        self._log_start()
        try:
            await self.supervisor.run(self.stop)
        finally:
            await self.reporter.close(REPORT_WAIT)

    def _log_start(self) -> None:
        plan = self.plan
        running = ", ".join(f"{name} ({why})" for name, why in plan.why.items())
        log.info("uavwatch %s starting: %s", __version__, running)
        off = {k: v for k, v in plan.off.items() if k != "sender" or "bot" not in plan.off}
        if off:
            log.info("not running: %s", "; ".join(f"{k} ({v})" for k, v in off.items()))
        if not plan.bot:
            log.warning(
                "TG_BOT_TOKEN is not set: posts are stored and classified, but no alerts, "
                "digests or admin notices are sent (notices go to this log; set it to run "
                "the subscriber bot)"
            )
        elif not self.settings.admin_ids:
            log.warning(
                "ADMIN_IDS is empty: nobody can use the admin commands or hear of failed "
                "parts, stalls, silent channels or failing jobs; set it to your Telegram "
                "user id (numeric, comma-separated for several)"
            )
        if not plan.watcher and not plan.bot:
            log.info("no Telegram account in use: archive-only from the web preview")

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
        rounds = round_recorder(db, "watcher")

        async def run(stop: asyncio.Event) -> None:
            # A new Watcher per run: a crashed one has stopped and disconnected for good.
            watcher = Watcher(
                db, pipeline, factory, config, now=self.now,
                on_progress=self.parts.progress_of("watcher"), on_round=rounds,
            )  # fmt: skip
            await watcher.run(stop)

        return run

    def _webpreview_part(self, db: Database, pipeline: Pipeline, http: httpx.AsyncClient) -> PartFn:
        settings = self.settings

        async def run(stop: asyncio.Event) -> None:
            ingestor = Ingestor(pipeline, max_age=settings.catchup_alert_max_age, now=self.now)
            poller = RecordingPoller(
                ingestor, http, settings.webpreview_channels, db=db, now=self.now,
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
            register_service_jobs(
                scheduler, db, settings, parts=parts, now=self.now, wake=wake,
                bot=self.plan.bot, notices=self.notices,
            )  # fmt: skip
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
    outlive: bool = False,
) -> Shutdown:
    """Run `service` with SIGINT/SIGTERM handlers: the first signal stops it cleanly; a
    second one, or `deadline` seconds, calls `force(reason)` (default: cancel this task).
    `outlive`: the deadline keeps running after this returns (see signals.py). Returns
    the handler, which knows what was received and how long the stop took."""
    task = asyncio.current_task()
    assert task is not None

    def cancel(reason: str) -> None:
        task.cancel(f"forced shutdown ({reason})")

    with Shutdown(service.stop, force or cancel, deadline=deadline, outlive=outlive) as shutdown:
        await service.run()
        took = shutdown.elapsed()
        if took is not None:
            name = signal_name(shutdown)
            log.info("stopped in %.1f s after %s (limit %.0f s)", took, name, deadline)
    return shutdown


def signal_name(shutdown: Shutdown) -> str:
    return signal.Signals(shutdown.received[0]).name if shutdown.received else "stop"
