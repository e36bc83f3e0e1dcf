"""Routing: a request -> the right handler, after the checks every command passes.

Order: groups allowed at all (ALLOW_GROUPS)? the per-user command budget; the subscriber
(created on first contact, reactivated by any message); admin commands for ADMIN_IDS only
(others are ignored and logged); in groups, settings change only for the group's admins;
anything unknown gets a short help.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

from bot.alerts import subscribers as subs
from bot.alerts.i18n import Html, language_from_code
from bot.alerts.ratelimit import CommandLimiter
from bot.botui import admin, buttons
from bot.botui.context import Ctx, Reply, Request, Services
from bot.botui.user import CHANGING, USER_COMMANDS
from bot.storage import Database, utc_now

log = logging.getLogger(__name__)


def parse_command(text: str, bot_username: str | None = None) -> tuple[str | None, str]:
    """ "/subscribe@uavwatch_bot Kursk" -> ("subscribe", "Kursk"); free text -> (None, text).
    A command addressed to another bot ("/help@other_bot") -> ("", "")."""
    stripped = text.strip()
    if not stripped.startswith("/"):
        return None, stripped
    head, _, rest = stripped.partition(" ")
    name, _, target = head[1:].partition("@")
    if target and bot_username and target.lower() != bot_username.lower():
        return "", ""
    return name.lower(), rest.strip()


class BotCommands:
    """Everything the bot answers, independent of Telethon (see `app.py` for the wiring)."""

    def __init__(
        self,
        db: Database,
        *,
        admin_ids: frozenset[int] = frozenset(),
        allow_groups: bool = False,
        commands_per_minute: int = 20,
        services: Services | None = None,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = utc_now,
        bot_username: str | None = None,
    ) -> None:
        self.db = db
        self.allow_groups = allow_groups
        self.services = services or Services()
        self.services.admin_ids = frozenset(admin_ids)
        self.bot_username = bot_username
        self._limiter = CommandLimiter(commands_per_minute)
        self._clock = clock
        self._now = now

    async def _context(self, req: Request) -> Ctx:
        now = self._now()
        async with self.db.transaction() as conn:
            sub, _ = await subs.get_or_create(
                conn,
                chat_id=req.chat_id,
                access_hash=req.chat_access_hash,
                chat_kind="group" if req.is_group else "private",
                name=req.user_name,
                lang=language_from_code(req.lang_code),
                now=now,
            )
        return Ctx(req, sub, self.db, now, self.services)

    def _admitted(self, req: Request) -> str | None:
        """ "allow" or "warn" (tell once) to go on; None: ignore this request."""
        if req.is_group and not self.allow_groups:
            return None
        verdict = self._limiter.check(req.user_id, self._clock())
        return None if verdict == "drop" else verdict

    def _is_admin(self, req: Request, what: str) -> bool:
        if req.user_id in self.services.admin_ids:
            return True
        log.warning("ignored admin %s from user %s (not in ADMIN_IDS)", what, req.user_id)
        return False

    async def on_message(self, req: Request) -> Reply | None:
        name, args = parse_command(req.text, self.bot_username)
        if name == "" or (name is None and req.is_group):
            return None  # another bot's command, or chatter in a group
        verdict = self._admitted(req)
        if verdict is None:
            return None
        ctx = await self._context(req)
        if verdict == "warn":
            return ctx.reply("too_many")
        if name in admin.ADMIN_COMMANDS:
            return (
                await admin.ADMIN_COMMANDS[name](ctx, args)
                if self._is_admin(req, f"/{name}")
                else None
            )
        handler = USER_COMMANDS.get(name or "")
        if handler is None:
            return ctx.reply("help_short")
        if req.is_group and name in CHANGING and not await req.is_chat_admin():
            return ctx.reply("only_admins")
        return await handler(ctx, args)

    async def on_button(self, req: Request) -> Reply | None:
        """The new content of the pressed button's message (empty text: only a pop-up)."""
        verdict = self._admitted(req)
        if verdict is None:
            return None
        ctx = await self._context(req)
        if verdict == "warn":
            return Reply(Html(""), toast=str(ctx.t("too_many")))
        kind = req.text.partition(":")[0]
        if kind == "b":
            return (
                await admin.broadcast_button(ctx, req.text)
                if self._is_admin(req, "broadcast")
                else None
            )
        if req.is_group and kind in buttons.CHANGING_BUTTONS and not await req.is_chat_admin():
            return Reply(Html(""), toast=str(ctx.t("only_admins")))
        return await buttons.on_button(ctx, req.text)
