"""Batches of post events -> rows, inside the caller's write transaction.

Speed comes from overlap, not from cutting corners: a batch's rows are written by a
background task on aiosqlite's thread (SQLite releases the GIL while it works), while the
event loop already gathers the next batch (the importer parses its file) and classifies it.
Before the next batch reads the archive, the previous write is awaited, so every batch
sees everything before it. The classifier is passed in: storage never imports it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import TracebackType

import aiosqlite

from bot.models import Classification, DeletedPost, NewPost, Post, PostEvent
from bot.storage.channels import (
    ChannelInfo,
    find_channel,
    normalize_channel_id,
    normalize_username,
    upsert_channel,
)
from bot.storage.planner import (
    DUPLICATE,
    NEW,
    Outcome,
    Planner,
    PostState,
    Verdict,
    verdict_of,
)
from bot.storage.posts import load_posts, next_post_id

Classifier = Callable[..., Classification]


@dataclass(frozen=True, slots=True)
class JudgedPost(NewPost):
    """A NewPost classified ahead, e.g. in a worker process while the file was still being
    read, by the pipeline's classifier with this home region and version. The batch uses
    the verdict only if both still hold for the post's channel (else it classifies again),
    so a stale guess costs time, never correctness."""

    verdict: Verdict
    home_region: str | None
    classifier_version: str


# How many events of CPU work between turns of the event loop during a batch: the
# background write submits its next statement only when the loop turns.
YIELD_EVERY = 64


class Batch:
    """Applies event batches inside ONE transaction; use `async with` so the last write is
    awaited (or, on error, drained) before the transaction commits or rolls back."""

    def __init__(
        self, conn: aiosqlite.Connection, classify: Classifier, version: str, now_iso: str
    ) -> None:
        self._conn = conn
        self._classify = classify
        self._version = version
        self._now = now_iso
        self._channels: dict[tuple[str | None, int | None], ChannelInfo | None] = {}
        self._pending: asyncio.Task[None] | None = None
        self._next_id: int | None = None
        self._speculate = True
        self.reshaped = False  # set when resolving a channel merged/changed other rows

    async def __aenter__(self) -> Batch:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is None:
            await self._drain()
            return
        # Already failing: let the write in flight finish (so ROLLBACK comes after it in
        # the connection's queue), then report the first error, not this one.
        with contextlib.suppress(Exception):
            await self._drain()

    async def _drain(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            await pending

    def judge(self, post: Post, ch: ChannelInfo) -> Verdict:
        """Classify with the channel's home region; the stored version is this batch's."""
        c = self._classify(post.text, home_region=ch.home_region, posted_at=post.date)
        return verdict_of(c, self._version)

    async def channel(
        self,
        username: str | None,
        telegram_id: int | None,
        *,
        create: bool,
        title: str | None = None,
        home_region: str | None = None,
    ) -> ChannelInfo | None:
        """The channel row (cached for this transaction); created/merged when `create`."""
        key = (normalize_username(username), normalize_channel_id(telegram_id))
        if key in self._channels and (self._channels[key] is not None or not create):
            return self._channels[key]
        await self._drain()  # a merge moves posts: the write in flight must land first
        if not create:
            info = await find_channel(self._conn, username=key[0], telegram_id=key[1])
        else:
            info, reshaped = await upsert_channel(
                self._conn, username=key[0], telegram_id=key[1], title=title,
                home_region=home_region, now_iso=self._now,
            )  # fmt: skip
            if reshaped:  # a merge retired a row, or a username moved: the cache is stale
                self._channels.clear()
                self.reshaped = True
        self._channels[key] = info
        return info

    async def _resolve(
        self, events: Sequence[PostEvent]
    ) -> tuple[list[tuple[PostEvent, ChannelInfo | None]], set[tuple[int, int]]]:
        """Each event's channel. If resolving merged channels, the events resolved before
        the merge may point at a retired row: resolve again (merges happen once)."""
        for _ in range(3):
            self.reshaped = False
            resolved, keys = await self._resolve_once(events)
            if not self.reshaped:
                return resolved, keys
        # Only a username claimed by two ids in one batch keeps flipping; no row was
        # retired in the last pass, so every pk in `resolved` exists.
        return resolved, keys

    async def _resolve_once(
        self, events: Sequence[PostEvent]
    ) -> tuple[list[tuple[PostEvent, ChannelInfo | None]], set[tuple[int, int]]]:
        resolved: list[tuple[PostEvent, ChannelInfo | None]] = []
        keys: set[tuple[int, int]] = set()
        for ev in events:
            if isinstance(ev, DeletedPost):
                ch = await self.channel(ev.channel, ev.channel_id, create=False)
                mids: Sequence[int] = ev.message_ids
            else:
                p = ev.post
                ch = await self.channel(p.channel, p.channel_id, create=True, title=p.channel_title)
                mids = (p.message_id,)
            resolved.append((ev, ch))
            if ch is not None:
                keys.update((ch.pk, mid) for mid in mids)
        return resolved, keys

    async def _guess(
        self, resolved: Sequence[tuple[PostEvent, ChannelInfo | None]]
    ) -> dict[int, Verdict]:
        """Classify ahead, while the previous batch is being written. Wasted only on
        repeats, so it is skipped after a batch that was mostly repeats (a re-import)."""
        guesses: dict[int, Verdict] = {}
        for i, (ev, ch) in enumerate(resolved):
            if ch is None or isinstance(ev, DeletedPost):
                continue
            if isinstance(ev, JudgedPost) and self.fits(ev, ch):
                guesses[i] = ev.verdict
            elif self._speculate:
                guesses[i] = self.judge(ev.post, ch)
                if i % YIELD_EVERY == 0:
                    await asyncio.sleep(0)  # let the write task hand its next statement over
        return guesses

    def fits(self, ev: JudgedPost, ch: ChannelInfo) -> bool:
        """Was `ev` judged as this batch would judge it? (Else it is classified again.)"""
        return ev.home_region == ch.home_region and ev.classifier_version == self._version

    async def apply(self, events: Sequence[PostEvent]) -> list[Outcome]:
        """Plan this batch and start writing it; the write is awaited by the next batch or
        on leaving the `async with` block."""
        resolved, keys = await self._resolve(events)
        guesses = await self._guess(resolved)
        await self._drain()
        states = {k: PostState(s) for k, s in (await load_posts(self._conn, keys)).items()}
        if self._next_id is None and len(states) < len(keys):
            self._next_id = await next_post_id(self._conn)
        planner = Planner(self.judge, self._version, self._now, states, self._next_id or 0)
        outcomes = planner.run(resolved, guesses)
        if self._next_id is not None:
            self._next_id = planner.next_id
        repeats = sum(o.kind == DUPLICATE for o in outcomes)
        self._speculate = repeats <= sum(o.kind == NEW for o in outcomes)
        self._pending = asyncio.ensure_future(planner.flush(self._conn))
        return outcomes
