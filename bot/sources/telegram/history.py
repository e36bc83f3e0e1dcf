"""Reading a channel's history: one `messages.getHistory` per page, paced and throttled.

Why not `iter_messages`: it sleeps on the wall clock between pages (1 s past 3,000
messages), and a FloodWait half-way loses our place. Here every page goes through
`Throttle` (pacing, FloodWait scopes, retries) and the caller keeps the position, so a
read resumes exactly where it stopped. The request fields mirror what Telethon's own
iterator sends (it never sends min_id/max_id; going up it asks `offset_id=after+1,
add_offset=-limit`), because that is the form Telegram is known to answer.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from telethon import TelegramClient
from telethon.tl import functions, types

from bot.sources.telegram.throttle import Throttle

#: Telegram's maximum page for messages.getHistory.
PAGE = 100
KIND = "GetHistoryRequest"


async def _page(
    client: TelegramClient,
    throttle: Throttle,
    peer: types.InputPeerChannel,
    label: str,
    *,
    offset_id: int,
    add_offset: int,
    limit: int,
) -> list[Any]:
    await throttle.pace_history()
    request = functions.messages.GetHistoryRequest(
        peer=peer,
        offset_id=offset_id,
        offset_date=None,
        add_offset=add_offset,
        limit=limit,
        max_id=0,
        min_id=0,
        hash=0,
    )

    async def send() -> Any:
        return await client(request)

    result = await throttle.call(KIND, label, send)
    return list(getattr(result, "messages", []))


async def read_after(
    client: TelegramClient,
    throttle: Throttle,
    peer: types.InputPeerChannel,
    after_id: int,
    *,
    label: str,
    page_size: int = PAGE,
) -> AsyncIterator[list[Any]]:
    """Pages of messages with id > `after_id`, oldest first, up to the newest."""
    position = after_id
    while True:
        got = await _page(
            client,
            throttle,
            peer,
            label,
            offset_id=position + 1,
            add_offset=-page_size,
            limit=page_size,
        )
        fresh = sorted((m for m in got if m.id > position), key=lambda m: m.id)
        if not fresh:
            return
        yield fresh
        position = fresh[-1].id
        if len(got) < page_size:
            return


async def read_before(
    client: TelegramClient,
    throttle: Throttle,
    peer: types.InputPeerChannel,
    before_id: int = 0,
    *,
    label: str,
    page_size: int = PAGE,
) -> AsyncIterator[list[Any]]:
    """Pages of messages with id < `before_id` (0: from the newest), newest first."""
    position = before_id
    while True:
        got = await _page(
            client, throttle, peer, label, offset_id=position, add_offset=0, limit=page_size
        )
        older = sorted((m for m in got if position == 0 or m.id < position), key=lambda m: -m.id)
        if not older:
            return
        yield older
        position = older[-1].id
        if len(got) < page_size:
            return
