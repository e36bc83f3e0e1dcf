"""`uavwatch backfill CHANNEL [--since DATE | --limit N]`: fill a channel's history.

Two parts, both resumable because both start from what the archive holds:
1. newer: history after the channel's cursor, oldest first (the catch-up path), so the
   archive has no gap between what it held and now;
2. older: pages below the oldest post the watcher (or an earlier backfill) stored, newest
   first, until `since` or until the channel's newest `limit` posts are stored. An
   interrupted run leaves complete pages behind; the next run continues below them.
Pages are paced by `Throttle` (a burst, then about one page a second) and FloodWaits pause
the read for the seconds Telegram names. Backfilled posts are stored, never alerted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telethon import TelegramClient

from bot.models import NewPost, Source
from bot.pipeline import Pipeline
from bot.sources.telegram import peers
from bot.sources.telegram.channels import Registry, Watched
from bot.sources.telegram.convert import group_messages, to_post, utc
from bot.sources.telegram.history import read_before
from bot.sources.telegram.ingest import Ingestor, Origin
from bot.sources.telegram.refs import ChannelRef
from bot.sources.telegram.sync import Syncer
from bot.sources.telegram.throttle import Throttle
from bot.storage import Database

_WATCHER_SOURCES = ("live", "backfill")


@dataclass
class BackfillReport:
    channel: str
    newer: int = 0  # posts read after the cursor
    older: int = 0  # posts read below the oldest stored one
    new: int = 0  # of which not stored before


def _cut_oldest_album(groups: list[list[Any]]) -> tuple[list[list[Any]], list[Any]]:
    """Reading down, the oldest group of a page may continue on the next page."""
    if groups and groups[0][0].grouped_id is not None:
        return groups[1:], groups[0]
    return groups, []


class Backfill:
    def __init__(
        self,
        db: Database,
        pipeline: Pipeline,
        client: TelegramClient,
        *,
        throttle: Throttle | None = None,
    ) -> None:
        self.db = db
        self.client = client
        self.throttle = throttle or Throttle()
        self.ingestor = Ingestor(pipeline)
        self.registry = Registry(db, pipeline, client, self.throttle)
        self.syncer = Syncer(db, client, self.throttle, self.ingestor, source=Source.BACKFILL)

    async def run(
        self,
        ref: ChannelRef,
        *,
        since: datetime | None = None,
        limit: int | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> BackfillReport:
        ch = await self.registry.resolve_one(ref)
        report = BackfillReport(ch.label)
        cursor = await peers.cursor_of(self.db, ch.row.pk)
        if cursor is not None:
            ch.frontier, ch.seeded = cursor, True
            newer = await self.syncer.sync(ch, Origin.BACKFILL)
            report.newer = len(newer)
            report.new += sum(1 for s in newer if s.result.kind == "new")
            if progress is not None and newer:
                progress(len(newer))
        await self._older(ch, report, since, limit, progress)
        return report

    async def _older(
        self,
        ch: Watched,
        report: BackfillReport,
        since: datetime | None,
        limit: int | None,
        progress: Callable[[int], None] | None,
    ) -> None:
        oldest = await peers.oldest_stored(self.db, ch.row.pk, _WATCHER_SOURCES)
        before = oldest[0] if oldest else 0
        left = None
        if limit is not None:
            have = await peers.count_stored_from(self.db, ch.row.pk, before) if oldest else 0
            left = limit - have
        carry: list[Any] = []
        async for page in read_before(self.client, self.throttle, ch.peer, before, label=ch.label):
            groups, carry = _cut_oldest_album(group_messages(page + carry))
            groups = groups[::-1]  # newest first, to cut at `limit` and `since`
            if since is not None:
                groups = [g for g in groups if (utc(g[0].date) or since) >= since]
            if left is not None:
                groups = groups[:left]
                left -= len(groups)
            posts = [NewPost(to_post(g, ch.info, Source.BACKFILL)) for g in groups]
            stored = await self.ingestor.submit(posts, Origin.BACKFILL)
            report.older += len(stored)
            report.new += sum(1 for s in stored if s.result.kind == "new")
            if progress is not None:
                progress(len(stored))
            if left is not None and left <= 0:
                return
            if since is not None and (utc(page[-1].date) or since) < since:
                return
        if carry and (left is None or left > 0):
            date = utc(carry[0].date)
            if since is None or (date is not None and date >= since):
                post = NewPost(to_post(carry, ch.info, Source.BACKFILL))
                stored = await self.ingestor.submit([post], Origin.BACKFILL)
                report.older += len(stored)
                report.new += sum(1 for s in stored if s.result.kind == "new")
