"""The alert stage composed: one bot client, the sender, the command handlers, the enqueuer.

`uavwatch run` (the service) builds an `AlertsService`, passes `service.enqueuer` to the
pipeline as `Pipeline(on_ingested=...)`, and awaits `service.run(stop)`. The client comes
from a factory so tests hand in clients wired to the offline fake Telegram.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import datetime

from telethon import TelegramClient, errors

from bot.alerts.enqueue import AlertEnqueuer, AlertPolicy
from bot.alerts.ratelimit import SendLimiter
from bot.alerts.sender import Sender
from bot.alerts.transport import TelethonTransport
from bot.botui.app import BotApp
from bot.botui.context import Services
from bot.botui.dispatch import BotCommands
from bot.config import Settings
from bot.errors import TelegramSetupError
from bot.storage import Database, utc_now

ClientFactory = Callable[[], TelegramClient]


def bot_client_factory(settings: Settings) -> ClientFactory:
    """Real clients for the bot account: its own session file beside the watcher's, and
    `flood_sleep_threshold=0` so FloodWaits reach the sender instead of being slept on."""
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
    return lambda: TelegramClient(session, api_id, api_hash, flood_sleep_threshold=0)


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
        self.sender = Sender(
            db, TelethonTransport(self.client), limiter=limiter, clock=clock, now=now
        )
        policy = AlertPolicy(
            dedup_window=settings.dedup_window, max_age=settings.catchup_alert_max_age
        )
        self.enqueuer = AlertEnqueuer(policy=policy, now=now, notify=self.sender.wake)
        services = Services(
            pause=self.sender.set_paused,
            wake=self.sender.wake,
            paused=lambda: self.sender.paused,
            flood_waits=lambda: self.sender.stats.flood_waits,
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

    async def start(self) -> None:
        """Sign the bot in (the token is never logged) and register its handlers."""
        try:
            await self.client.start(bot_token=self._token or "")
        except errors.AccessTokenInvalidError:
            raise TelegramSetupError(
                "Telegram refused TG_BOT_TOKEN (ACCESS_TOKEN_INVALID): copy the token again "
                "from @BotFather (/mybots -> API Token)"
            ) from None
        await self.sender.load_state()
        await self.app.install()

    async def run(self, stop: asyncio.Event) -> None:
        """Start, then send until `stop` is set; the client is disconnected on the way out."""
        try:
            await self.start()
            await self.sender.run(stop)
        finally:
            await self.client.disconnect()
