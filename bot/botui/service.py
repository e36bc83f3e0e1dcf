"""The alert stage composed: one bot client, the sender, the command handlers, the enqueuer.

`uavwatch run` (the service) builds an `AlertsService`, passes `service.enqueuer` to the
pipeline as `Pipeline(on_ingested=...)`, and supervises two parts: `run_bot(stop)` (sign
in, answer commands, notice a lost connection) and `run_sender(stop)` (the outbox loop,
which before every step waits until the bot is signed in and connected: while the bot is
down nothing is tried, so no row uses up its attempts). Split so a crash of one restarts
only that one;
`run(stop)` runs both, for callers without a supervisor. The client comes from a factory
so tests hand in clients wired to the offline fake Telegram.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from datetime import datetime

from telethon import TelegramClient, errors

from bot.alerts.enqueue import AlertEnqueuer, AlertPolicy
from bot.alerts.ratelimit import SendLimiter
from bot.alerts.sender import Sender
from bot.alerts.transport import BOT_CLIENT_OPTIONS, TelethonTransport
from bot.botui.app import BotApp
from bot.botui.context import Services
from bot.botui.dispatch import BotCommands
from bot.config import Settings
from bot.errors import TelegramSetupError
from bot.storage import Database, utc_now

ClientFactory = Callable[[], TelegramClient]
Progress = Callable[[], None]

#: How often the bot part checks its connection and reports an idle tick (seconds): well
#: inside STALL_MINUTES, cheap (no request is sent).
BOT_TICK = 30.0
#: While the bot is signed in but its connection is gone, the sender looks this often.
READY_POLL = 0.5


class _ReportingSender(Sender):
    """The sender, telling the service after every step (an idle step counts: the sender
    steps at least every HOUSEKEEPING_EVERY seconds, so silence means it is stuck)."""

    on_step: Progress | None = None

    async def step(self) -> float | None:
        wait = await super().step()
        if self.on_step is not None:
            self.on_step()
        return wait


def bot_client_factory(settings: Settings) -> ClientFactory:
    """Real clients for the bot account: its own session file beside the watcher's, built
    with `BOT_CLIENT_OPTIONS` (FloodWaits and internal errors reach the sender at once)."""
    missing = [
        name
        for name, value in (
            ("TG_BOT_TOKEN", settings.tg_bot_token),
            ("TG_API_ID", settings.tg_api_id),
            ("TG_API_HASH", settings.tg_api_hash),
        )
        if not value
    ]
    if missing:
        raise TelegramSetupError(
            f"the subscriber bot needs {', '.join(missing)}: set them in .env (see "
            "config.example.env); the token comes from @BotFather, the API id and hash from "
            "https://my.telegram.org"
        )
    session = f"{settings.tg_session}-bot"
    api_id, api_hash = int(settings.tg_api_id or 0), str(settings.tg_api_hash)
    return lambda: TelegramClient(session, api_id, api_hash, **BOT_CLIENT_OPTIONS)


class AlertsService:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        client_factory: ClientFactory,
        *,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self._token = settings.tg_bot_token
        self.client = client_factory()
        limiter = SendLimiter(settings.send_rate)
        self.sender = _ReportingSender(
            db, TelethonTransport(self.client), limiter=limiter, clock=clock, now=now,
            ready=self.bot_ready, allow_groups=settings.allow_groups,
        )  # fmt: skip
        policy = AlertPolicy(
            dedup_window=settings.dedup_window, max_age=settings.catchup_alert_max_age,
            allow_groups=settings.allow_groups,
        )  # fmt: skip
        self.enqueuer = AlertEnqueuer(policy=policy, now=now, notify=self.sender.wake)
        services = Services(
            pause=self.sender.set_paused,
            wake=self.sender.wake,
            paused=lambda: self.sender.paused,
            flood_waits=lambda: self.sender.stats.flood_waits,
            webpreview_channels=settings.webpreview_channels,
            heartbeat_minutes=settings.heartbeat_minutes,
        )
        self.commands = BotCommands(
            db,
            admin_ids=frozenset(settings.admin_ids),
            allow_groups=settings.allow_groups,
            commands_per_minute=settings.command_rate,
            services=services,
            clock=clock,
            now=now,
        )
        self.app = BotApp(self.client, self.commands, limiter=limiter, clock=clock)
        self.ready = asyncio.Event()  # the bot is signed in: the sender may send
        self._installed = False
        self._sender_idle = asyncio.Event()  # no sender loop is running
        self._sender_idle.set()

    async def start(self) -> None:
        """Sign the bot in (the token is never logged) and register its handlers (once:
        a restarted bot part signs in again but keeps the handlers it has)."""
        try:
            await self.client.start(bot_token=self._token or "")
        except errors.AccessTokenInvalidError:
            raise TelegramSetupError(
                "Telegram refused TG_BOT_TOKEN (ACCESS_TOKEN_INVALID): copy the token again "
                "from @BotFather (/mybots -> API Token)"
            ) from None
        await self.sender.load_state()
        if not self._installed:
            await self.app.install()
            self._installed = True

    async def run(self, stop: asyncio.Event) -> None:
        """Start, then send until `stop` is set; the client is disconnected on the way out.
        The first error (a refused token) ends both halves and is raised."""
        tasks = [
            asyncio.ensure_future(self.run_bot(stop)),
            asyncio.ensure_future(self.run_sender(stop)),
        ]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            for task in done:
                task.result()
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def run_bot(
        self, stop: asyncio.Event, *, progress: Progress | None = None, tick: float = BOT_TICK
    ) -> None:
        """The bot part: sign in, then keep answering commands until `stop`. A connection
        Telethon could not restore ends the run with ConnectionError (the supervisor signs
        in again). On stop it waits for the sender to finish its message, then disconnects."""
        try:
            await self.start()
            self.ready.set()
            while not stop.is_set():
                if not self.client.is_connected():
                    raise ConnectionError("the bot lost its connection to Telegram")
                if progress is not None:
                    progress()
                await _wait(stop, tick)
            await self._sender_idle.wait()
        finally:
            self.ready.clear()
            await self.client.disconnect()

    async def bot_ready(self) -> None:
        """Return once the bot is signed in and connected (the sender waits on this before
        every step: a restarting bot part, a lost connection)."""
        while True:
            await self.ready.wait()
            if self.client.is_connected():
                return
            await asyncio.sleep(READY_POLL)

    async def run_sender(self, stop: asyncio.Event, *, progress: Progress | None = None) -> None:
        """The sender part: send the outbox until `stop`, whenever the bot can."""
        self.sender.on_step = progress
        self._sender_idle.clear()
        try:
            await self.sender.run(stop)
        finally:
            self._sender_idle.set()


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
