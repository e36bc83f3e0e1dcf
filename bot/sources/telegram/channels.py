"""Watched channels: configured refs -> rows -> peers resolved once, and membership.

`Registry.load()` turns CHANNELS and the DB's watched rows into `Watched` channels, each
with an `InputPeerChannel` built from the cached id + access hash. Only a channel whose
peer is unknown costs a request: a username is resolved once (and cached), an id is looked
up among the account's dialogs. An unknown, private or non-channel reference is reported
(`Registry.problems`, and the log) and the others go on. Membership decides the mode:
joined channels arrive live, the others are polled through history requests.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from telethon import TelegramClient
from telethon.tl import functions, types

from bot.errors import InputError
from bot.pipeline import Pipeline
from bot.sources.telegram import peers
from bot.sources.telegram.convert import ChannelInfo
from bot.sources.telegram.peers import ChannelRow
from bot.sources.telegram.refs import ChannelRef
from bot.sources.telegram.throttle import ChannelUnavailable, Throttle, why_unavailable
from bot.storage import Database

log = logging.getLogger(__name__)
#: channels.getChannels takes up to 100 ids per request (Telegram API limit for vectors).
CHUNK = 100
#: A reference that could not be resolved is tried again only this much later: asking
#: Telegram to resolve the same bad username every poll is how accounts earn FloodWaits.
RETRY_UNRESOLVED = 6 * 3600.0


@dataclass(eq=False)
class Watched:
    """One channel being watched, and where the watcher stands in it.

    `frontier`: every message id up to it is stored or known not to be a post (service
    messages, deleted ids). Live posts advance it only while ids are contiguous; anything
    else is a possible gap, closed by a history read (`sync`).
    """

    row: ChannelRow
    peer: types.InputPeerChannel
    joined: bool
    frontier: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    dirty: bool = False
    seeded: bool = False  # the frontier came from the DB or a first read

    @property
    def telegram_id(self) -> int:
        return self.peer.channel_id

    @property
    def label(self) -> str:
        return self.row.label

    @property
    def info(self) -> ChannelInfo:
        return ChannelInfo(self.row.username, self.peer.channel_id, self.row.title)


class Registry:
    """Resolves and remembers the watched channels (one per watcher)."""

    def __init__(
        self, db: Database, pipeline: Pipeline, client: TelegramClient, throttle: Throttle
    ) -> None:
        self.db = db
        self.pipeline = pipeline
        self.client = client
        self.throttle = throttle
        self.problems: dict[str, str] = {}  # channel label -> why it is not watched
        self._dialogs: dict[int, Any] | None = None
        self._failed: dict[int, float] = {}  # row pk -> when resolving it last failed

    async def mark_configured(self, refs: Sequence[ChannelRef]) -> None:
        """CHANNELS entries become watched rows (created when new)."""
        for ref in refs:
            try:
                pk = await self.pipeline.ensure_channel(
                    username=ref.username, telegram_id=ref.telegram_id, home_region=ref.home_region
                )
            except InputError as exc:
                self._problem(str(ref), f"CHANNELS entry skipped: {exc}")
                continue
            await peers.set_watched(self.db, pk, True)

    async def load(self, known: dict[int, Watched] | None = None) -> dict[int, Watched]:
        """Every watched row with a usable peer, keyed by Telegram channel id; `known`
        channels are kept as they are (their frontier and lock live on)."""
        known = known or {}
        by_pk = {w.row.pk: w for w in known.values()}
        found: dict[int, Watched] = {}
        fresh: list[tuple[ChannelRow, types.InputPeerChannel]] = []
        for row in await peers.watched_channels(self.db):
            if row.pk in by_pk and by_pk[row.pk].row.access_hash is not None:
                found[by_pk[row.pk].telegram_id] = by_pk[row.pk]
                continue
            failed = self._failed.get(row.pk)
            if failed is not None and self.throttle.clock() - failed < RETRY_UNRESOLVED:
                continue
            resolved = await self._peer(row)
            if resolved is None:
                self._failed[row.pk] = self.throttle.clock()
                self._dialogs = None  # an id may appear among the dialogs by the next try
            else:
                self._failed.pop(row.pk, None)
                fresh.append(resolved)
        for row, peer, joined in await self._membership(fresh):
            found[peer.channel_id] = Watched(row, peer, joined)
        return found

    async def resolve_one(self, ref: ChannelRef) -> Watched:
        """One channel, watched or not (backfill, `channels add`): its row is created if
        needed and its peer cached. Raises InputError saying why it cannot be read."""
        pk = await self.pipeline.ensure_channel(
            username=ref.username, telegram_id=ref.telegram_id, home_region=ref.home_region
        )
        row = await peers.find_channel(self.db, username=ref.username, telegram_id=ref.telegram_id)
        assert row is not None and row.pk == pk
        resolved = await self._peer(row)
        found = await self._membership([resolved]) if resolved is not None else []
        if not found:
            why = self.problems.get(row.label, "cannot be read by this account")
            raise InputError(f"channel {row.label} {why}")
        row, peer, joined = found[0]
        return Watched(row, peer, joined)

    async def _peer(self, row: ChannelRow) -> tuple[ChannelRow, types.InputPeerChannel] | None:
        if row.telegram_id is not None and row.access_hash is not None:
            return row, types.InputPeerChannel(row.telegram_id, row.access_hash)
        try:
            channel = await self._lookup(row)
        except ChannelUnavailable as exc:
            self._problem(row.label, why_unavailable(exc.cause))
            return None
        if channel is None:
            return None
        pk = await self.pipeline.ensure_channel(
            username=channel.username or row.username, telegram_id=channel.id, title=channel.title
        )
        await peers.store_peer(self.db, pk, channel.access_hash)
        if row.watched:  # a merge may have kept the other row: it is the watched one now
            await peers.set_watched(self.db, pk, True)
        stored = await peers.find_channel(self.db, telegram_id=channel.id)
        assert stored is not None
        log.info("resolved %s: channel id %s (%s)", row.label, channel.id, channel.title)
        return stored, types.InputPeerChannel(channel.id, channel.access_hash)

    async def _lookup(self, row: ChannelRow) -> types.Channel | None:
        """The Channel for a row without a cached peer: ResolveUsername, or the dialogs."""
        if row.username is not None:
            request = functions.contacts.ResolveUsernameRequest(row.username)

            async def resolve() -> Any:
                return await self.client(request)

            # Resolution floods are per account, not per channel: one global scope.
            result = await self.throttle.call("ResolveUsernameRequest", None, resolve)
            channel = next((c for c in result.chats if isinstance(c, types.Channel)), None)
            if channel is None:
                self._problem(row.label, "is a user or a group, not a channel")
            return channel
        dialogs = await self._dialog_channels()
        channel = dialogs.get(row.telegram_id or 0)
        if channel is None:
            self._problem(
                row.label,
                "is unknown to this account: join the channel or add it by username",
            )
        return channel

    async def _dialog_channels(self) -> dict[int, Any]:
        if self._dialogs is None:

            async def fetch() -> list[Any]:
                return [d.entity async for d in self.client.iter_dialogs()]

            entities = await self.throttle.call("GetDialogsRequest", None, fetch)
            self._dialogs = {e.id: e for e in entities if isinstance(e, types.Channel)}
        return self._dialogs

    async def _membership(
        self, rows: Sequence[tuple[ChannelRow, types.InputPeerChannel]]
    ) -> list[tuple[ChannelRow, types.InputPeerChannel, bool]]:
        """Which channels the account has joined: one channels.getChannels per 100."""
        out: list[tuple[ChannelRow, types.InputPeerChannel, bool]] = []
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            try:
                chats = await self._get_channels([p for _, p in chunk])
            except ChannelUnavailable:
                chats = {}
                for row, peer in chunk:  # find which one: ask one by one
                    try:
                        chats.update(await self._get_channels([peer]))
                    except ChannelUnavailable as exc:
                        self._problem(row.label, why_unavailable(exc.cause))
            for row, peer in chunk:
                chat = chats.get(peer.channel_id)
                if isinstance(chat, types.Channel):
                    out.append((row, peer, not chat.left))
                elif chat is not None:
                    self._problem(row.label, "is closed to this account (banned or forbidden)")
        return out

    async def _get_channels(self, peers_: Sequence[types.InputPeerChannel]) -> dict[int, Any]:
        request = functions.channels.GetChannelsRequest(
            [types.InputChannel(p.channel_id, p.access_hash) for p in peers_]
        )

        async def send() -> Any:
            return await self.client(request)

        result = await self.throttle.call("GetChannelsRequest", None, send)
        return {c.id: c for c in result.chats}

    def _problem(self, label: str, why: str) -> None:
        self.problems[label] = why
        log.error("channel %s: %s; the other channels go on", label, why)
