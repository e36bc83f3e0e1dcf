"""The seam between the sender and Telegram: send or edit one HTML message in one chat.

`TelethonTransport` speaks to Telegram through a real Telethon client (the bot account);
`ConsoleTransport` prints what a subscriber would see (`uavwatch demo`). The sender knows
only `Transport` and the delivery errors below, never Telethon's error classes.
"""

from __future__ import annotations

import asyncio
import html
import random
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

from telethon import TelegramClient, errors, utils
from telethon.extensions import html as tl_html
from telethon.tl import functions, types

#: How the bot's TelegramClient must be built for this transport: every FloodWait reaches
#: the sender (which pauses one chat, or everything) instead of Telethon sleeping on it; no
#: retries of its own (Telethon sleeps 2 s before each retry of an internal error, 5 times,
#: which stalled all sending; the sender's backoff retries per row instead); and the last
#: RPC error raised as itself, not as `ValueError: Request was unsuccessful N time(s)`.
#: A ServerError still costs one 2-second sleep inside Telethon before it is raised.
BOT_CLIENT_OPTIONS: dict[str, Any] = {
    "flood_sleep_threshold": 0,
    "request_retries": 0,
    "raise_last_call_error": True,
}


@dataclass(frozen=True, slots=True)
class Chat:
    """A subscriber's chat: Telethon's marked id (users > 0, groups < 0) and access hash."""

    chat_id: int
    access_hash: int | None = None
    is_group: bool = False


class DeliveryError(Exception):
    """Why a message did not go; the sender decides from the subclass what happens next."""


class FloodWait(DeliveryError):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"flood wait {seconds:g} s")
        self.seconds = seconds


class RecipientGone(DeliveryError):
    """Blocked the bot, deleted the account, removed the bot from the group: stop sending."""


class CannotEdit(DeliveryError):
    """The message to edit is too old or gone: send a new one instead (or skip)."""


class NotModified(DeliveryError):
    """The edit would change nothing: the chat already shows this text."""


class Disconnected(DeliveryError):
    """The bot has no connection to Telegram: keep the row (it is not a failed attempt) and
    wait until the bot is connected again."""


class SendFailed(DeliveryError):
    """Anything else: retried with backoff, then parked."""


class Transport(Protocol):
    async def send(
        self, chat: Chat, markup: str, *, reply_to: int | None = None,
        random_id: int | None = None,
    ) -> int:  # fmt: skip
        """Send; return the new message's id. `random_id`: Telegram keeps one message per
        random_id (a repeat answers the message already sent), so a stable one makes a
        resend idempotent; None picks a fresh one."""
        ...

    async def edit(self, chat: Chat, message_id: int, markup: str) -> None: ...

    async def send_photo(
        self, chat: Chat, png: bytes, caption_markup: str, *, random_id: int | None = None,
        photo_key: str | None = None,
    ) -> int:  # fmt: skip
        """Send a PNG as a photo with an HTML caption; return the new message's id.
        `photo_key` names the picture (its hash): the same key may reuse the upload."""
        ...


_GONE = (
    errors.UserIsBlockedError,
    errors.InputUserDeactivatedError,
    errors.PeerIdInvalidError,
    errors.UserIdInvalidError,
    errors.ChatWriteForbiddenError,
    errors.ChannelPrivateError,
    errors.ChannelInvalidError,
    errors.ChatIdInvalidError,
    errors.UserBannedInChannelError,
)
_NO_EDIT = (
    errors.MessageEditTimeExpiredError,
    errors.MessageIdInvalidError,
    errors.MessageAuthorRequiredError,
)


@lru_cache(maxsize=4096)
def parse_markup(markup: str) -> tuple[str, tuple[Any, ...]]:
    """HTML -> (text, entities), parsed once per distinct message (many chats share one)."""
    text, entities = tl_html.parse(markup)
    return text, tuple(entities)


def input_peer(chat: Chat) -> Any:
    """The InputPeer for a marked id; a bot may use access hash 0 for users it has met."""
    real_id, kind = utils.resolve_id(chat.chat_id)
    if kind is types.PeerUser:
        return types.InputPeerUser(real_id, chat.access_hash or 0)
    if kind is types.PeerChat:
        return types.InputPeerChat(real_id)
    return types.InputPeerChannel(real_id, chat.access_hash or 0)


def _message_id(result: Any, random_id: int) -> int:
    """The new message's id from SendMessage's answer (short form in private chats)."""
    if isinstance(result, types.UpdateShortSentMessage):
        return int(result.id)
    for update in getattr(result, "updates", ()):
        if isinstance(update, types.UpdateMessageID) and update.random_id == random_id:
            return int(update.id)
    for update in getattr(result, "updates", ()):
        if isinstance(update, (types.UpdateNewMessage, types.UpdateNewChannelMessage)):
            return int(update.message.id)
    raise SendFailed(f"Telegram's answer names no message id ({type(result).__name__})")


# Uploaded photos remembered for reuse (a day's digest charts: a handful).
_PHOTOS_KEPT = 16


def _photo_of(result: Any) -> types.InputPhoto | None:
    """The photo Telegram stored for a SendMedia, as an InputPhoto to send again."""
    for update in getattr(result, "updates", ()):
        message = getattr(update, "message", None)
        photo = getattr(getattr(message, "media", None), "photo", None)
        if isinstance(photo, types.Photo):
            return types.InputPhoto(photo.id, photo.access_hash, photo.file_reference)
    return None


class TelethonTransport:
    """Sends through a connected bot client built with `BOT_CLIENT_OPTIONS`, so a FloodWait
    or an internal error reaches the sender at once instead of Telethon sleeping on it."""

    def __init__(self, client: TelegramClient) -> None:
        self._client = client
        self._photos: dict[str, types.InputPhoto] = {}  # photo_key -> the uploaded photo
        self._uploads: dict[str, asyncio.Lock] = {}  # photo_key -> its first send, under way

    async def send(
        self, chat: Chat, markup: str, *, reply_to: int | None = None,
        random_id: int | None = None,
    ) -> int:  # fmt: skip
        text, entities = parse_markup(markup)
        if random_id is None:
            random_id = random.getrandbits(63)
        request = functions.messages.SendMessageRequest(
            peer=input_peer(chat),
            message=text,
            random_id=random_id,
            no_webpage=True,
            entities=list(entities) or None,
            reply_to=types.InputReplyToMessage(reply_to) if reply_to else None,
        )
        result = await self._call(request)
        return _message_id(result, random_id)

    async def edit(self, chat: Chat, message_id: int, markup: str) -> None:
        text, entities = parse_markup(markup)
        request = functions.messages.EditMessageRequest(
            peer=input_peer(chat),
            id=message_id,
            message=text,
            no_webpage=True,
            entities=list(entities) or None,
        )
        await self._call(request)

    async def send_photo(
        self, chat: Chat, png: bytes, caption_markup: str, *, random_id: int | None = None,
        photo_key: str | None = None,
    ) -> int:  # fmt: skip
        """Send a photo (messages.SendMedia). The first send of a `photo_key` uploads the
        bytes (upload.SaveFilePart); Telegram's answer carries the stored photo, which later
        sends of the same key reuse (InputMediaPhoto: no second upload). Sends of a key
        in flight at once wait for that first one (one upload, not one each). If Telegram
        no longer accepts that reference, the bytes are uploaded again."""
        if random_id is None:
            random_id = random.getrandbits(63)
        if photo_key and photo_key not in self._photos:
            async with self._uploads.setdefault(photo_key, asyncio.Lock()):
                if photo_key not in self._photos:
                    try:
                        return await self._upload(chat, png, caption_markup, random_id, photo_key)
                    finally:
                        self._uploads.pop(photo_key, None)
        known = self._photos.get(photo_key) if photo_key else None
        if known is not None:
            try:
                return await self._send_media(chat, types.InputMediaPhoto(known), caption_markup,
                                              random_id, photo_key)  # fmt: skip
            except SendFailed:  # FILE_REFERENCE_EXPIRED, MEDIA_INVALID ...: upload again
                self._photos.pop(photo_key or "", None)
        return await self._upload(chat, png, caption_markup, random_id, photo_key)

    async def _upload(
        self, chat: Chat, png: bytes, caption_markup: str, random_id: int, photo_key: str | None
    ) -> int:
        uploaded = await self._guarded(
            self._client.upload_file(png, file_name="chart.png"),
            functions.upload.SaveFilePartRequest,
        )
        media = types.InputMediaUploadedPhoto(file=uploaded)
        return await self._send_media(chat, media, caption_markup, random_id, photo_key)

    async def _send_media(
        self, chat: Chat, media: Any, caption_markup: str, random_id: int, photo_key: str | None
    ) -> int:
        text, entities = parse_markup(caption_markup)
        request = functions.messages.SendMediaRequest(
            peer=input_peer(chat),
            media=media,
            message=text,
            random_id=random_id,
            entities=list(entities) or None,
        )
        result = await self._call(request)
        photo = _photo_of(result)
        if photo_key and photo is not None:
            if len(self._photos) >= _PHOTOS_KEPT:
                self._photos.clear()
            self._photos[photo_key] = photo
        return _message_id(result, random_id)

    def connected(self) -> bool:
        return bool(self._client.is_connected())

    async def _call(self, request: Any) -> Any:
        return await self._guarded(self._client(request), request)

    async def _guarded(self, call: Awaitable[Any], request: Any) -> Any:
        """Telethon's errors -> ours (`request` names what the FloodWait was for)."""
        if not self._client.is_connected():
            _close(call)
            raise Disconnected("the bot is not connected to Telegram")
        try:
            return await call
        except ConnectionError as exc:  # "Cannot send requests while disconnected", or the
            # connection died with the request in flight (it may have arrived: the resend
            # carries the same random_id)
            raise Disconnected(f"{type(exc).__name__}: {exc}") from exc
        except (errors.FloodWaitError, errors.SlowModeWaitError) as exc:
            forget_flood(self._client, request)
            raise FloodWait(exc.seconds) from exc
        except _GONE as exc:
            raise RecipientGone(type(exc).__name__) from exc
        except errors.MessageNotModifiedError as exc:
            raise NotModified(str(exc)) from exc
        except _NO_EDIT as exc:
            raise CannotEdit(type(exc).__name__) from exc
        except (errors.RPCError, OSError) as exc:
            raise SendFailed(f"{type(exc).__name__}: {exc}") from exc
        except ValueError as exc:  # Telethon's "Request was unsuccessful N time(s)", and
            # its other refusals of a request it cannot make: an attempt that failed
            raise SendFailed(f"{type(exc).__name__}: {exc}") from exc


def forget_flood(client: TelegramClient, request: Any) -> None:
    """Telethon remembers a FloodWait per request TYPE and then refuses every send to every
    chat until it passes; our limiter owns the scopes (one chat, or everything). `request`:
    the request or its class."""
    waited = getattr(client, "_flood_waited_requests", None)
    constructor = getattr(request, "CONSTRUCTOR_ID", None)
    if isinstance(waited, dict) and constructor is not None:
        waited.pop(constructor, None)


def _close(call: Awaitable[Any]) -> None:
    """A coroutine that will not be awaited: close it (no "never awaited" warning)."""
    close = getattr(call, "close", None)
    if close is not None:
        close()


_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.DOTALL)
_QUOTE = re.compile(r"<blockquote>(.*?)</blockquote>", re.DOTALL)
_ANY_TAG = re.compile(r"<[^>]+>")


def console_text(markup: str) -> str:
    """What the subscriber reads, as plain text: links shown as `label (url)`, quotes marked."""
    out = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", markup)
    out = _QUOTE.sub(lambda m: "\n".join("  │ " + line for line in m.group(1).split("\n")), out)
    return html.unescape(_ANY_TAG.sub("", out))


@dataclass
class ConsoleTransport:
    """Prints each message as the chat would show it; message ids count up per chat."""

    write: Callable[[str], None]
    names: dict[int, str] = field(default_factory=dict)
    sent: int = 0
    edited: int = 0
    _next_id: dict[int, int] = field(default_factory=dict)

    def _who(self, chat: Chat) -> str:
        return self.names.get(chat.chat_id, str(chat.chat_id))

    async def send(
        self, chat: Chat, markup: str, *, reply_to: int | None = None,
        random_id: int | None = None,
    ) -> int:  # fmt: skip
        message_id = self._next_id.get(chat.chat_id, 1)
        self._next_id[chat.chat_id] = message_id + 1
        self.sent += 1
        head = f"to {self._who(chat)}, message #{message_id}"
        if reply_to:
            head += f", a reply to #{reply_to}"
        self.write(f"─── {head} ───\n{console_text(markup)}\n")
        return message_id

    async def send_photo(
        self, chat: Chat, png: bytes, caption_markup: str, *, random_id: int | None = None,
        photo_key: str | None = None,
    ) -> int:  # fmt: skip
        text = f"[a chart: PNG image, {len(png):,} bytes]\n{caption_markup}"
        return await self.send(chat, text)

    async def edit(self, chat: Chat, message_id: int, markup: str) -> None:
        self.edited += 1
        head = f"to {self._who(chat)}, message #{message_id} edited"
        self.write(f"─── {head} ───\n{console_text(markup)}\n")
