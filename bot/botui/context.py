"""What a command handler gets (the request, the subscriber, the services) and returns.

Handlers never touch Telethon: `app.py` turns events into a `Request` and a `Reply` into a
message, so the commands are plain async functions over the database.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.alerts.i18n import Html
from bot.alerts.subscribers import Subscriber
from bot.botui.texts import ui
from bot.storage import Database


async def _not_admin() -> bool:
    return False


@dataclass(frozen=True, slots=True)
class Request:
    """One incoming message or button press, as the handlers see it."""

    chat_id: int  # Telethon's marked id: the user in a private chat, the group otherwise
    user_id: int
    text: str  # the message, or a button's data
    is_group: bool = False
    chat_access_hash: int | None = None
    user_name: str | None = None
    lang_code: str | None = None
    # Asked only when a group member changes settings (one Telegram request).
    is_chat_admin: Callable[[], Awaitable[bool]] = _not_admin


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    data: str  # at most 64 bytes (Telegram's limit for callback data)


Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True, slots=True)
class Reply:
    """A message to send (or, for a button press, the new content of its message)."""

    text: Html
    buttons: Keyboard = ()
    toast: str | None = None  # a button press's short pop-up answer


@dataclass(slots=True)
class Services:
    """What handlers may use besides the database."""

    admin_ids: frozenset[int] = frozenset()
    pause: Callable[[bool], Awaitable[None]] | None = None  # the sender's set_paused
    wake: Callable[[], None] | None = None  # the sender's wake
    paused: Callable[[], bool] = lambda: False
    flood_waits: Callable[[], int] = lambda: 0
    # What /health needs to read the status as `uavwatch status` does.
    webpreview_channels: tuple[str, ...] = ()
    heartbeat_minutes: float = 60.0
    pending_broadcasts: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Ctx:
    req: Request
    sub: Subscriber
    db: Database
    now: datetime
    services: Services

    @property
    def lang(self) -> str:
        return self.sub.lang

    def t(self, key: str, /, **values: object) -> Html:
        return ui(self.sub.lang, key, **values)

    def reply(self, key: str, buttons: Keyboard = (), /, **values: object) -> Reply:
        return Reply(self.t(key, **values), buttons)
