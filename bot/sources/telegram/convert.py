"""Telethon messages -> `Post`s: pure functions, no client and no I/O.

An album arrives as several messages sharing a `grouped_id` (one per photo or video, the
caption usually on the first). It becomes ONE post, keyed by the group's lowest message id:
that is the id Telegram's own links to the album use (t.me/NAME/ID). The other members'
ids are never stored, so code that moves along message ids (catch-up, the reconcile window)
must see whole groups: `group_messages` drops a group cut at the low end of a read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from telethon.tl import types

from bot.models import Post, Source

#: Telegram allows at most 10 items in one album (messages.sendMultiMedia).
ALBUM_MAX = 10

_MEDIA = {
    types.MessageMediaPhoto: "photo",
    types.MessageMediaPoll: "poll",
    types.MessageMediaGeo: "location",
    types.MessageMediaGeoLive: "location",
    types.MessageMediaVenue: "location",
    types.MessageMediaContact: "contact",
    types.MessageMediaWebPage: "webpage",
    types.MessageMediaGame: "game",
    types.MessageMediaInvoice: "invoice",
    types.MessageMediaDice: "dice",
    types.MessageMediaUnsupported: "unsupported",
}
# Entity class -> the type names Telegram Desktop exports use (so sources agree).
_ENTITY_NAMES = {"TextUrl": "text_link", "Strike": "strikethrough", "Url": "url"}


@dataclass(frozen=True, slots=True)
class ChannelInfo:
    """What a post needs to know about its channel."""

    username: str | None
    telegram_id: int
    title: str | None = None


def utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def media_kind(message: Any) -> str | None:
    """photo / video / voice / document / ... as the other sources name them; None: text."""
    media = getattr(message, "media", None)
    if media is None or isinstance(media, types.MessageMediaEmpty):
        return None
    if isinstance(media, types.MessageMediaDocument):
        return _document_kind(media.document)
    kind = _MEDIA.get(type(media))
    if kind is not None:
        return kind
    name = type(media).__name__.removeprefix("MessageMedia")
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower() or None


def _document_kind(document: Any) -> str:
    for attr in getattr(document, "attributes", None) or ():
        if isinstance(attr, types.DocumentAttributeSticker):
            return "sticker"
        if isinstance(attr, types.DocumentAttributeAnimated):
            return "animation"
        if isinstance(attr, types.DocumentAttributeVideo):
            return "round_video" if attr.round_message else "video"
        if isinstance(attr, types.DocumentAttributeAudio):
            return "voice" if attr.voice else "audio"
    return "document"


def entity_dicts(message: Any, shift: int = 0) -> tuple[dict[str, Any], ...]:
    """Formatting entities as plain dicts (UTF-16 offsets, as Telegram gives them)."""
    found: list[dict[str, Any]] = []
    for entity in getattr(message, "entities", None) or ():
        name = type(entity).__name__.removeprefix("MessageEntity")
        kind = _ENTITY_NAMES.get(name) or re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
        item: dict[str, Any] = {
            "type": kind,
            "offset": entity.offset + shift,
            "length": entity.length,
        }
        for extra in ("url", "user_id", "language", "document_id"):
            value = getattr(entity, extra, None)
            if value is not None:
                item[extra] = value
        found.append(item)
    return tuple(found)


def _replies(message: Any) -> int | None:
    replies = getattr(message, "replies", None)
    return getattr(replies, "replies", None) if replies is not None else None


def is_post(message: Any) -> bool:
    """A real message (not a service message such as "pinned", not an empty slot)."""
    return isinstance(message, types.Message)


def message_to_post(message: Any, channel: ChannelInfo, source: Source) -> Post:
    """One plain (non-album) message."""
    date = utc(message.date)
    assert date is not None, "Telegram messages always carry a date"
    return Post(
        channel=channel.username,
        channel_id=channel.telegram_id,
        message_id=message.id,
        date=date,
        text=message.message or "",
        source=source,
        edited_at=utc(message.edit_date),
        views=message.views,
        forwards=message.forwards,
        replies=_replies(message),
        media_kind=media_kind(message),
        entities=entity_dicts(message),
        channel_title=channel.title,
    )


def album_to_post(messages: Sequence[Any], channel: ChannelInfo, source: Source) -> Post:
    """The members of one album (any order) as one post: the first member's id and date,
    the captions joined by a blank line, the latest edit date, the highest counters."""
    members = sorted(messages, key=lambda m: m.id)
    first = members[0]
    parts: list[str] = []
    entities: list[dict[str, Any]] = []
    offset = 0
    for member in members:
        caption = member.message or ""
        if not caption:
            continue
        if parts:
            offset += _utf16_len("\n\n")
        parts.append(caption)
        entities.extend(entity_dicts(member, shift=offset))
        offset += _utf16_len(caption)
    edits = [d for d in (utc(m.edit_date) for m in members) if d is not None]
    base = message_to_post(first, channel, source)
    return Post(
        channel=base.channel,
        channel_id=base.channel_id,
        message_id=first.id,
        date=base.date,
        text="\n\n".join(parts),
        source=source,
        edited_at=max(edits) if edits else None,
        views=_max(m.views for m in members),
        forwards=_max(m.forwards for m in members),
        replies=_max(_replies(m) for m in members),
        media_kind="album",
        entities=tuple(entities),
        channel_title=channel.title,
    )


def _max(values: Iterable[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def group_messages(messages: Iterable[Any], *, complete_above: int = 0) -> list[list[Any]]:
    """Real messages in ascending id order, each album's members together.

    A group whose lowest member is at or below `complete_above` is dropped: a read that
    starts there may have cut the album, and the album's post (keyed by its lowest id)
    was handled by whoever read that id. Service messages are left out.
    """
    groups: list[list[Any]] = []
    by_group: dict[int, list[Any]] = {}
    for message in sorted((m for m in messages if is_post(m)), key=lambda m: m.id):
        gid = message.grouped_id
        if gid is None:
            groups.append([message])
        elif gid in by_group:
            by_group[gid].append(message)
        else:
            by_group[gid] = [message]
            groups.append(by_group[gid])
    return [g for g in groups if g[0].id > complete_above]


def to_post(group: Sequence[Any], channel: ChannelInfo, source: Source) -> Post:
    """A group from `group_messages`: one message, or an album's members."""
    if len(group) == 1 and group[0].grouped_id is None:
        return message_to_post(group[0], channel, source)
    return album_to_post(group, channel, source)
