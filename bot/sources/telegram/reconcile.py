"""The reconcile sweep: re-read each channel's recent window, store what changed.

Telethon 1.x never dispatches edits and deletions made while we were away (they ride in a
difference's `other_updates`, dropped as "already applied"), so every RECONCILE_MINUTES
the window (the last RECONCILE_WINDOW_HOURS, at most RECONCILE_WINDOW_POSTS posts) is read
again and compared with the archive: text or edit date changed -> `EditedPost`, message
gone -> `DeletedPost`, never stored -> `NewPost`. The archive's side is read BEFORE the
history, so a post stored in between is never mistaken for a deleted one; a read that
fails half-way produces nothing (no deletions from a partial picture).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from telethon import TelegramClient

from bot.models import DeletedPost, EditedPost, NewPost, Post, PostEvent, Source
from bot.sources.telegram import peers
from bot.sources.telegram.channels import Watched
from bot.sources.telegram.convert import ChannelInfo, group_messages, to_post, utc
from bot.sources.telegram.history import read_before
from bot.sources.telegram.ingest import Ingested, Ingestor, Origin
from bot.sources.telegram.peers import StoredPost
from bot.sources.telegram.throttle import Throttle
from bot.storage import Database, from_iso, to_iso
from bot.storage.bulk import storable

log = logging.getLogger(__name__)
_MARGIN = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Window:
    """What Telegram holds now, from `lowest` (a message id) up: posts keyed by id."""

    lowest: int
    posts: Mapping[int, Post]


def diff_window(
    window: Window, stored: Mapping[int, StoredPost], channel: ChannelInfo, *, deleted_at: datetime
) -> list[PostEvent]:
    """Events that bring the archive in line with the window (pure)."""
    events: list[PostEvent] = []
    for mid in sorted(window.posts):
        post = window.posts[mid]
        old = stored.get(mid)
        if old is None:
            events.append(NewPost(post))
        elif not old.deleted and _changed(post, old):
            events.append(EditedPost(post))
    gone = tuple(
        sorted(
            mid
            for mid, old in stored.items()
            if mid >= window.lowest and not old.deleted and mid not in window.posts
        )
    )
    if gone:
        events.append(
            DeletedPost(channel.username, channel.telegram_id, gone, deleted_at, Source.LIVE)
        )
    return events


def _changed(post: Post, old: StoredPost) -> bool:
    if storable(post.text) != old.text:
        return True
    if post.edited_at is None:
        return False
    return old.edited_at is None or to_iso(post.edited_at) > to_iso(from_iso(old.edited_at))


def cut_window(
    messages: Sequence[Any], *, since: datetime, limit: int
) -> tuple[int, list[list[Any]]]:
    """(lowest id, groups) of the window, from messages read newest first: stop at the
    first message older than `since` or past `limit`; the window is every id above it.
    An album at the low edge may be cut by that stop: it is left out of the window."""
    kept: list[Any] = []
    boundary: int | None = None
    for message in messages:
        date = utc(getattr(message, "date", None))
        if len(kept) >= limit or (date is not None and date < since):
            boundary = message.id
            break
        kept.append(message)
    groups = group_messages(kept)
    if boundary is None:  # the read reached the channel's first message
        return 0, groups
    lowest = boundary + 1
    if groups and groups[0][0].grouped_id is not None:
        lowest = max(m.id for m in groups.pop(0)) + 1
    return lowest, groups


class Reconciler:
    def __init__(
        self,
        db: Database,
        client: TelegramClient,
        throttle: Throttle,
        ingestor: Ingestor,
        *,
        window: timedelta,
        window_posts: int,
    ) -> None:
        self.db = db
        self.client = client
        self.throttle = throttle
        self.ingestor = ingestor
        self.window = window
        self.window_posts = window_posts

    async def sweep(self, ch: Watched, now: datetime) -> list[Ingested]:
        """Reconcile one channel; raises what the read raised (nothing stored then)."""
        since = now - self.window
        # The archive's side first (see the module docstring); a margin for clock skew.
        stored = await peers.stored_since(self.db, ch.row.pk, to_iso(since - _MARGIN))
        messages: list[Any] = []
        async for page in read_before(self.client, self.throttle, ch.peer, label=ch.label):
            messages.extend(page)
            oldest = utc(page[-1].date)
            if len(messages) > self.window_posts or (oldest is not None and oldest < since):
                break
        lowest, groups = cut_window(messages, since=since, limit=self.window_posts)
        window = Window(lowest, {g[0].id: to_post(g, ch.info, Source.LIVE) for g in groups})
        mine = {mid: s for mid, s in stored.items() if mid >= lowest}
        events = diff_window(window, mine, ch.info, deleted_at=now)
        if not events:
            return []
        done = await self.ingestor.submit(events, Origin.RECONCILE)
        changed = [d for d in done if d.result.kind in ("new", "edited", "deleted")]
        if changed:
            log.info(
                "%s: reconcile stored %d change(s) in the window from id %d",
                ch.label,
                len(changed),
                lowest,
            )
        return done
