"""Live updates of watched channels -> pipeline events, persisted before anything else.

Telethon logs and swallows what a handler raises, so each handler first awaits
`Ingestor.submit` (the post is committed when it returns), then does what may fail
(frontier bookkeeping, asking for a catch-up); every failure is logged with the channel and
message id. Albums arrive as one update per item; members are gathered for `album_wait`
seconds after the last one (as Telethon's `events.Album` does) and stored as one post.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telethon import TelegramClient, events
from telethon.tl import types

from bot.models import DeletedPost, EditedPost, NewPost, Source
from bot.sources.telegram.channels import Watched
from bot.sources.telegram.convert import ALBUM_MAX, album_to_post, message_to_post
from bot.sources.telegram.ingest import Ingestor, Origin
from bot.sources.telegram.sync import live_step
from bot.sources.telegram.throttle import Throttle

log = logging.getLogger(__name__)
#: Telethon's events.Album waits this long for more members of an album (_HACK_DELAY).
ALBUM_WAIT = 0.5
_RECENT_ALBUMS = 512

Lookup = Callable[[int], Watched | None]
Spawn = Callable[[Awaitable[Any], str], None]


def _channel_id(peer: Any) -> int | None:
    return peer.channel_id if isinstance(peer, types.PeerChannel) else None


class Live:
    """The event handlers; `lookup` finds a watched channel by id (the set can change)."""

    def __init__(
        self,
        lookup: Lookup,
        ingestor: Ingestor,
        client: TelegramClient,
        throttle: Throttle,
        *,
        on_gap: Callable[[Watched], None],
        spawn: Spawn,
        album_wait: float = ALBUM_WAIT,
    ) -> None:
        self.lookup = lookup
        self.ingestor = ingestor
        self.client = client
        self.throttle = throttle
        self.on_gap = on_gap
        self.spawn = spawn
        self.album_wait = album_wait
        self._albums: dict[int, tuple[Watched, list[Any], list[float]]] = {}
        self._flushed: dict[int, None] = {}  # grouped_ids already stored (recent ones)

    def register(self, client: TelegramClient) -> None:
        client.add_event_handler(self.on_new, events.NewMessage())
        client.add_event_handler(self.on_edit, events.MessageEdited())
        client.add_event_handler(self.on_delete, events.MessageDeleted())

    def advance(self, ch: Watched, ids: list[int]) -> None:
        ch.frontier, gap = live_step(ch.frontier, ids)
        if gap or not ch.seeded:
            self.on_gap(ch)

    async def on_new(self, event: Any) -> None:
        message = event.message
        ch = self.lookup(_channel_id(message.peer_id) or 0)
        if ch is None:
            return
        if message.grouped_id is not None:
            self._gather(ch, message)
            return
        try:
            await self.ingestor.submit(
                [NewPost(message_to_post(message, ch.info, Source.LIVE))], Origin.LIVE
            )
        except Exception:
            log.exception(
                "%s message %d: storing the live post failed; catch-up will retry",
                ch.label,
                message.id,
            )
            self.on_gap(ch)
            return
        self.advance(ch, [message.id])

    def _gather(self, ch: Watched, message: Any) -> None:
        gid = message.grouped_id
        if gid in self._flushed:  # a straggler after the album was stored: re-read it
            self.spawn(self._refresh_album(ch, message), f"{ch.label} album {gid}")
            return
        loop = asyncio.get_running_loop()
        if gid in self._albums:
            _, members, due = self._albums[gid]
            members.append(message)
            due[0] = loop.time() + self.album_wait
            return
        self._albums[gid] = (ch, [message], [loop.time() + self.album_wait])
        self.spawn(self._deliver_album(gid), f"{ch.label} album {gid}")

    async def _deliver_album(self, gid: int) -> None:
        loop = asyncio.get_running_loop()
        ch, members, due = self._albums[gid]
        while (left := due[0] - loop.time()) > 0:
            await asyncio.sleep(left)
        del self._albums[gid]
        self._flushed[gid] = None
        while len(self._flushed) > _RECENT_ALBUMS:
            self._flushed.pop(next(iter(self._flushed)))
        post = album_to_post(members, ch.info, Source.LIVE)
        try:
            await self.ingestor.submit([NewPost(post)], Origin.LIVE)
        except Exception:
            log.exception(
                "%s message %d: storing the live album failed; catch-up will retry",
                ch.label,
                post.message_id,
            )
            self.on_gap(ch)
            return
        self.advance(ch, [m.id for m in members])

    async def on_edit(self, event: Any) -> None:
        message = event.message
        ch = self.lookup(_channel_id(message.peer_id) or 0)
        if ch is None:
            return
        if message.grouped_id is not None:
            await self._refresh_album(ch, message)
            return
        try:
            post = message_to_post(message, ch.info, Source.LIVE)
            await self.ingestor.submit([EditedPost(post)], Origin.LIVE)
        except Exception:
            log.exception(
                "%s message %d: storing the live edit failed; the reconcile sweep will find it",
                ch.label,
                message.id,
            )

    async def _refresh_album(self, ch: Watched, message: Any) -> None:
        """An album member changed: read the whole album again (its text is all captions)."""
        ids = list(range(max(1, message.id - ALBUM_MAX + 1), message.id + ALBUM_MAX))

        async def fetch() -> Any:
            return await self.client.get_messages(ch.peer, ids=ids)

        try:
            found = await self.throttle.call("GetMessagesRequest", ch.label, fetch)
            members = [m for m in found if m is not None and m.grouped_id == message.grouped_id]
            post = album_to_post(members or [message], ch.info, Source.LIVE)
            await self.ingestor.submit([EditedPost(post)], Origin.LIVE)
        except Exception:
            log.exception(
                "%s message %d: storing the album edit failed; the reconcile sweep will find it",
                ch.label,
                message.id,
            )

    async def on_delete(self, event: Any) -> None:
        channel_id = getattr(event.original_update, "channel_id", None)
        ch = self.lookup(channel_id or 0)
        if ch is None:
            return
        ids = tuple(event.deleted_ids)
        try:
            deleted = DeletedPost(
                ch.row.username, ch.telegram_id, ids, self.ingestor.now(), Source.LIVE
            )
            await self.ingestor.submit([deleted], Origin.LIVE)
        except Exception:
            log.exception(
                "%s messages %s: storing the live deletion failed; the reconcile "
                "sweep will find it",
                ch.label,
                list(ids),
            )
