"""Gap-free catch-up: per-channel frontiers advanced only by what history proves.

Telethon's update state is no guarantee (a reconnect does not catch up, a gap of more than
100 events dispatches nothing), so each channel keeps a `frontier`: every id up to it is
handled. At start it is the archive's cursor; a live post right after it moves it on; any
other live id, a reconnect, or a poll means "read history after the frontier", in id order,
in pages, each page stored before the frontier moves past it. A crash mid-read therefore
resumes from the last stored page, and a post that arrived live meanwhile is a duplicate.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from telethon import TelegramClient

from bot.models import NewPost, Source
from bot.sources.telegram import peers
from bot.sources.telegram.channels import Watched
from bot.sources.telegram.convert import ALBUM_MAX, group_messages, to_post
from bot.sources.telegram.history import PAGE, read_after, read_before
from bot.sources.telegram.ingest import Ingested, Ingestor, Origin
from bot.sources.telegram.throttle import Throttle
from bot.storage import Database

log = logging.getLogger(__name__)


def live_step(frontier: int, ids: Iterable[int]) -> tuple[int, bool]:
    """Advance the frontier over live ids that continue it; True when some id jumps ahead
    (a possible gap: ids between were never seen). Ids at or below it change nothing."""
    gap = False
    for message_id in sorted(set(ids)):
        if message_id <= frontier:
            continue
        if message_id == frontier + 1 and not gap:
            frontier = message_id
        else:
            gap = True
    return frontier, gap


def hold_back_album(groups: list[list[Any]]) -> tuple[list[list[Any]], list[Any]]:
    """Split off a trailing album: the next page may hold more of its members."""
    if groups and groups[-1][0].grouped_id is not None:
        return groups[:-1], groups[-1]
    return groups, []


class Syncer:
    """Reads history after a channel's frontier and stores it (one per watcher)."""

    def __init__(
        self,
        db: Database,
        client: TelegramClient,
        throttle: Throttle,
        ingestor: Ingestor,
        *,
        source: Source = Source.LIVE,
    ) -> None:
        self.source = source
        self.db = db
        self.client = client
        self.throttle = throttle
        self.ingestor = ingestor

    async def seed(self, ch: Watched) -> None:
        """The frontier from the archive; a channel never stored gets its newest page."""
        if ch.seeded:
            return
        cursor = await peers.cursor_of(self.db, ch.row.pk)
        if cursor is not None:
            ch.frontier = max(ch.frontier, cursor)
            ch.seeded = True
            return
        async for page in read_before(self.client, self.throttle, ch.peer, label=ch.label):
            groups = group_messages(page)
            if len(page) >= PAGE and groups and groups[0][0].grouped_id is not None:
                groups = groups[1:]  # the oldest album on the page may be cut: leave it
            posts = [NewPost(to_post(g, ch.info, self.source)) for g in groups]
            await self.ingestor.submit(posts, Origin.CATCHUP)
            ch.frontier = max(ch.frontier, page[0].id)
            break
        ch.seeded = True
        log.info("%s: first seen; stored its newest page (older history: backfill)", ch.label)

    async def sync(self, ch: Watched, origin: Origin = Origin.CATCHUP) -> list[Ingested]:
        """Store every post after the frontier, oldest first; then move the frontier.
        A sync already running for the channel is told to go round once more instead."""
        if ch.lock.locked():
            ch.dirty = True
            return []
        stored: list[Ingested] = []
        async with ch.lock:
            await self.seed(ch)
            ch.dirty = True
            while ch.dirty:
                ch.dirty = False
                stored.extend(await self._read(ch, origin))
        return stored

    async def _read(self, ch: Watched, origin: Origin) -> list[Ingested]:
        start = ch.frontier
        carry: list[Any] = []
        stored: list[Ingested] = []
        after = max(0, start - ALBUM_MAX)  # re-read enough to see an album around `start`
        async for page in read_after(self.client, self.throttle, ch.peer, after, label=ch.label):
            groups, carry = hold_back_album(group_messages(carry + page, complete_above=start))
            events = [NewPost(to_post(g, ch.info, self.source)) for g in groups]
            stored.extend(await self.ingestor.submit(events, origin))
            top = page[-1].id if not carry else carry[0].id - 1
            ch.frontier = max(ch.frontier, top)
        if carry:
            post = NewPost(to_post(carry, ch.info, self.source))
            stored.extend(await self.ingestor.submit([post], origin))
            ch.frontier = max(ch.frontier, carry[-1].id)
        if stored:
            new = sum(1 for s in stored if s.result.kind == "new")
            log.info(
                "%s: %s read %d post(s) after %d, %d new", ch.label, origin, len(stored), start, new
            )
        return stored
