"""The Telethon side of the bot: events -> `Request`, `Reply` -> messages and buttons.

Thin on purpose: everything the bot decides lives in `dispatch` and the command modules,
which never see Telethon. Replies count against the sender's rate buckets (so alerts slow
down around them) but do not wait for them: they answer a person, and the per-user command
budget already bounds them. A FloodWait on a reply pauses that chat for the sender too; a
short one (REPLY_WAIT) is waited out and the reply sent once more, a longer one drops the
reply (logged).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telethon import Button as TlButton
from telethon import TelegramClient, errors, events, functions, types

from bot.alerts.ratelimit import SendLimiter
from bot.alerts.transport import forget_flood
from bot.botui.context import Keyboard, Request
from bot.botui.dispatch import BotCommands

log = logging.getLogger(__name__)

#: A FloodWait on a reply up to this long is waited out (a person is waiting); longer, the
#: reply is given up.
REPLY_WAIT = 3.0
Sleep = Callable[[float], Awaitable[None]]

# Shown in Telegram's command menu, per language (Telegram picks by the user's language).
_MENU = {
    "en": {
        "subscribe": "choose regions",
        "mysubs": "my subscriptions",
        "latest": "latest incidents",
        "unsubscribe": "unsubscribe",
        "help": "all commands",
    },
    "ru": {
        "subscribe": "выбрать регионы",
        "mysubs": "мои подписки",
        "latest": "последние инциденты",
        "unsubscribe": "отписаться",
        "help": "все команды",
    },
    "uk": {
        "subscribe": "обрати регіони",
        "mysubs": "мої підписки",
        "latest": "останні інциденти",
        "unsubscribe": "відписатися",
        "help": "усі команди",
    },
}


def _buttons(keyboard: Keyboard) -> list[list[Any]] | None:
    if not keyboard:
        return None
    return [[TlButton.inline(b.label, b.data.encode()) for b in row] for row in keyboard]


class BotApp:
    def __init__(
        self,
        client: TelegramClient,
        commands: BotCommands,
        *,
        limiter: SendLimiter | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.client = client
        self.commands = commands
        self._limiter = limiter
        self._clock = clock
        self._sleep = sleep

    async def install(self) -> None:
        """Register the handlers and the command menu (the client must be signed in)."""
        me = await self.client.get_me()
        self.commands.bot_username = getattr(me, "username", None)
        self.client.add_event_handler(self._on_message, events.NewMessage(incoming=True))
        self.client.add_event_handler(self._on_button, events.CallbackQuery())
        for lang, menu in _MENU.items():
            await self.client(
                functions.bots.SetBotCommandsRequest(
                    scope=types.BotCommandScopeDefault(),
                    lang_code="" if lang == "en" else lang,
                    commands=[types.BotCommand(name, about) for name, about in menu.items()],
                )
            )

    async def _send(
        self, chat_id: int, is_group: bool, request: type, send: Callable[[], Awaitable[Any]]
    ) -> None:
        """One reply (`send()`, a Telethon call of type `request`), counted against the
        sender's buckets; a FloodWait pauses the chat for the sender and, when short, is
        waited out once."""
        limiter = self._limiter
        if limiter is not None:
            limiter.take(chat_id, is_group, self._clock())
        try:
            await send()
        except errors.FloodWaitError as exc:
            forget_flood(self.client, request)  # it is about this chat, not every send
            if limiter is not None:
                limiter.flood_wait(chat_id, exc.seconds, self._clock())
            if exc.seconds > REPLY_WAIT:
                raise
            await self._sleep(exc.seconds)
            await send()

    async def _request(self, event: Any, text: str) -> Request:
        sender = await event.get_sender()
        chat = await event.get_input_chat()
        chat_id, user_id = int(event.chat_id), int(event.sender_id)

        async def is_chat_admin() -> bool:
            try:
                permissions = await self.client.get_permissions(chat_id, user_id)
            except (errors.RPCError, ValueError):
                return False
            return bool(permissions.is_admin)

        return Request(
            chat_id=chat_id,
            user_id=user_id,
            text=text,
            is_group=bool(event.is_group),
            chat_access_hash=getattr(chat, "access_hash", None),
            user_name=getattr(sender, "first_name", None) or getattr(sender, "title", None),
            lang_code=getattr(sender, "lang_code", None),
            is_chat_admin=is_chat_admin,
        )

    async def _on_message(self, event: events.NewMessage.Event) -> None:
        if not (event.is_private or event.is_group) or event.sender_id is None:
            return
        try:
            reply = await self.commands.on_message(await self._request(event, event.raw_text or ""))
            if reply is not None:
                await self._send(
                    int(event.chat_id), bool(event.is_group), functions.messages.SendMessageRequest,
                    lambda: event.respond(
                        str(reply.text), parse_mode="html", link_preview=False,
                        buttons=_buttons(reply.buttons),
                    ),
                )  # fmt: skip
        except errors.RPCError as exc:  # the chat went away mid-reply: nothing to do
            log.info("reply to chat %s failed: %s", event.chat_id, exc)
        except Exception:  # a bug must not stop the bot; it is logged with its traceback
            log.exception("command in chat %s failed", event.chat_id)

    async def _on_button(self, event: events.CallbackQuery.Event) -> None:
        try:
            data = event.data.decode("utf-8", errors="replace")
            reply = await self.commands.on_button(await self._request(event, data))
            await event.answer((reply.toast or "") if reply is not None else "")
            if reply is not None and reply.text:
                await self._send(
                    int(event.chat_id), bool(event.is_group), functions.messages.EditMessageRequest,
                    lambda: event.edit(
                        str(reply.text), parse_mode="html", link_preview=False,
                        buttons=_buttons(reply.buttons),
                    ),
                )  # fmt: skip
        except errors.MessageNotModifiedError:
            pass  # the same menu again: nothing changed
        except errors.RPCError as exc:
            log.info("button answer in chat %s failed: %s", event.chat_id, exc)
        except Exception:
            log.exception("button in chat %s failed", event.chat_id)
