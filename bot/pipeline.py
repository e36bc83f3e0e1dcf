"""The one entry point every source feeds: events in, posts stored and classified.

Sources (live, backfill, web preview, Desktop export, replay) emit `NewPost`, `EditedPost`
and `DeletedPost`; `Pipeline` turns each into rows in one transaction and says what later
stages need to know (a new incident? a correction?). Nothing here knows where events came from.
"""

from __future__ import annotations

import asyncio
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Sequence,
)
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import aiosqlite

from bot.classify import CLASSIFIER_VERSION, classify
from bot.classify.regions import lookup_region
from bot.errors import InputError
from bot.models import Classification, PostEvent
from bot.storage import Database, from_iso, to_iso, utc_now
from bot.storage.channels import normalize_channel_id, normalize_username
from bot.storage.classifications import classification_row, insert_missing, region_rows
from bot.storage.ingest import YIELD_EVERY, Batch
from bot.storage.planner import Outcome
from bot.storage.posts import Unclassified, count_unclassified, page_unclassified

Classifier = Callable[..., Classification]
# Runs inside the write transaction, after the events' rows are written and before COMMIT:
# what it writes (the alert outbox) commits or rolls back together with the posts.
AfterIngest = Callable[[aiosqlite.Connection, Sequence["IngestResult"]], Awaitable[None]]


class IngestKind(StrEnum):
    NEW = "new"  # stored for the first time (also: an edit of a post we never saw)
    DUPLICATE = "duplicate"  # seen before with the same (or older) text: nothing written
    EDITED = "edited"  # text changed: a new version row, re-classified
    UNCHANGED = "unchanged"  # an edit whose text equals the stored text, or a repeated delete
    DELETED = "deleted"  # deleted_at set; text and versions kept
    UNKNOWN_POST = "unknown_post"  # a delete for a post we never stored: nothing written


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What one post's event did; the alert stage decides what to send from it."""

    kind: IngestKind
    post_id: int | None
    channel_pk: int | None
    message_id: int
    classification: Classification | None  # the stored, current one (None: unknown_post)
    previous: Classification | None = None  # before the edit (edits only)
    is_new_incident: bool = False
    is_correction: bool = False


@dataclass(slots=True)
class IngestSummary:
    """Counts per kind over many events (one per post; a delete of N posts counts N)."""

    new: int = 0
    duplicate: int = 0
    edited: int = 0
    unchanged: int = 0
    deleted: int = 0
    unknown_post: int = 0
    new_incidents: int = 0
    corrections: int = 0

    @property
    def total(self) -> int:
        return (
            self.new + self.duplicate + self.edited + self.unchanged + self.deleted
            + self.unknown_post
        )  # fmt: skip

    def add(self, outcomes: Iterable[Outcome]) -> None:
        for o in outcomes:
            setattr(self, o.kind, getattr(self, o.kind) + 1)
            self.new_incidents += o.new_incident
            self.corrections += o.correction


@dataclass(frozen=True, slots=True)
class ReclassifySummary:
    classifier_version: str
    classified: int  # posts that had no row for this version and now have one
    incidents: int  # of which labelled uav_incident


def _result(o: Outcome) -> IngestResult:
    st = o.state
    return IngestResult(
        kind=IngestKind(o.kind),
        post_id=None if st is None else st.stored.post_id,
        channel_pk=o.channel_pk,
        message_id=o.message_id,
        classification=None if st is None else st.current(),
        previous=o.previous,
        is_new_incident=o.new_incident,
        is_correction=o.correction,
    )


async def _batches(
    events: Iterable[PostEvent] | AsyncIterable[PostEvent], size: int
) -> AsyncIterator[list[PostEvent]]:
    """Group events; turn the event loop now and then, so the previous batch's write (a
    background task) keeps going while a sync source parses the next one."""
    batch: list[PostEvent] = []
    if isinstance(events, AsyncIterable):
        async for ev in events:
            batch.append(ev)
            if len(batch) >= size:
                yield batch
                batch = []
    else:
        for ev in events:
            batch.append(ev)
            if len(batch) >= size:
                yield batch
                batch = []
            elif len(batch) % YIELD_EVERY == 0:
                await asyncio.sleep(0)
    if batch:
        yield batch


def resolve_region(home_region: str | None) -> str | None:
    """A region name in any language, or a code, -> its code; unknown -> InputError."""
    if home_region is None or not home_region.strip():
        return None
    region = lookup_region(home_region.strip())
    if region is None:
        raise InputError(
            f"unknown region {home_region!r}: give a region name like 'Смоленская область' "
            "or a code like RU-SMO"
        )
    return region.code


class Pipeline:
    """Stores and classifies post events; the only writer of posts and classifications.

    `classify` and `classifier_version` are injectable so a test or `reclassify` can run a
    different classifier (dependency injection, not mocking); `now` fixes the clock.
    `on_ingested` (the alert stage) sees every result inside the same transaction.
    """

    def __init__(
        self,
        db: Database,
        *,
        classify: Classifier = classify,
        classifier_version: str = CLASSIFIER_VERSION,
        now: Callable[[], datetime] = utc_now,
        on_ingested: AfterIngest | None = None,
    ) -> None:
        self.db = db
        self.classify = classify
        self.classifier_version = classifier_version
        self._now = now
        self._on_ingested = on_ingested

    async def _after(self, conn: aiosqlite.Connection, outcomes: Sequence[Outcome]) -> None:
        if self._on_ingested is not None and outcomes:
            await self._on_ingested(conn, [_result(o) for o in outcomes])

    def _batch(self, conn: aiosqlite.Connection) -> Batch:
        return Batch(conn, self.classify, self.classifier_version, to_iso(self._now()))

    async def ingest(self, event: PostEvent) -> IngestResult:
        """One event in its own transaction. For a DeletedPost naming several messages this
        is the first message's result; `ingest_events` gives one per message."""
        return (await self.ingest_events([event]))[0]

    async def ingest_events(self, events: Sequence[PostEvent]) -> list[IngestResult]:
        """Several events in ONE transaction; one result per post (deletes expanded)."""
        async with self.db.transaction() as conn:
            async with self._batch(conn) as batch:
                outcomes = await batch.apply(list(events))
            await self._after(conn, outcomes)
        return [_result(o) for o in outcomes]

    async def ingest_many(
        self,
        events: Iterable[PostEvent] | AsyncIterable[PostEvent],
        *,
        atomic: bool = False,
        batch_size: int = 1000,
        progress: Callable[[int], None] | None = None,
    ) -> IngestSummary:
        """Stream events in batches of `batch_size`, one transaction per batch.

        atomic=True: one transaction for everything; an exception raised by the iterable
        (a malformed file half-way) leaves the database exactly as before and propagates.
        Not atomic: batches already committed stay; the batch being gathered is dropped.
        `progress(n)` is called after each batch with the number of events it held.
        """
        summary = IngestSummary()
        if atomic:
            async with self.db.transaction() as conn:
                done: list[Outcome] = []
                async with self._batch(conn) as writer:
                    async for batch in _batches(events, batch_size):
                        outcomes = await writer.apply(batch)
                        summary.add(outcomes)
                        if self._on_ingested is not None:
                            done.extend(outcomes)
                        if progress is not None:
                            progress(len(batch))
                await self._after(conn, done)
            return summary
        async for batch in _batches(events, batch_size):
            async with self.db.transaction() as conn:
                async with self._batch(conn) as writer:
                    outcomes = await writer.apply(batch)
                summary.add(outcomes)
                await self._after(conn, outcomes)
            if progress is not None:
                progress(len(batch))
        return summary

    async def ensure_channel(
        self,
        *,
        username: str | None = None,
        telegram_id: int | None = None,
        title: str | None = None,
        home_region: str | None = None,
    ) -> int:
        """The channel's pk: created, completed or merged (username + id known) as needed.

        `home_region` is a region name in any language or a code; it is stored as a code and
        passed to the classifier for this channel's posts.
        """
        if normalize_username(username) is None and normalize_channel_id(telegram_id) is None:
            raise InputError("a channel needs a username (like 'mod_russia') or a numeric id")
        code = resolve_region(home_region)
        async with self.db.transaction() as conn:
            info = await self._batch(conn).channel(
                username, telegram_id, create=True, title=title, home_region=code
            )
        assert info is not None
        return info.pk

    async def reclassify(
        self,
        *,
        since: datetime | None = None,
        channel: str | int | None = None,
        batch_size: int = 2000,
        progress: Callable[[int], None] | None = None,
        total: Callable[[int], None] | None = None,
    ) -> ReclassifySummary:
        """Classify stored posts that have no row for this pipeline's classifier_version.

        Rows of other versions are left alone; the new rows become the current ones (the
        highest id). Keyset-paged, one transaction per page. `total(n)` is told the number
        of posts to do before the first page, `progress(k)` after each page.
        """
        channel_pk = await self._channel_filter(channel)
        since_iso = None if since is None else to_iso(since)
        version = self.classifier_version
        if total is not None:
            async with self.db.transaction() as conn:
                total(
                    await count_unclassified(conn, version, since=since_iso, channel_pk=channel_pk)
                )
        after, scanned, incidents = 0, 0, 0
        while True:
            async with self.db.transaction() as conn:
                page = await page_unclassified(
                    conn, version, after_id=after, limit=batch_size, since=since_iso,
                    channel_pk=channel_pk,
                )  # fmt: skip
                if not page:
                    break
                incidents += await self._classify_page(conn, page)
            after, scanned = page[-1].post_id, scanned + len(page)
            if progress is not None:
                progress(len(page))
        return ReclassifySummary(version, scanned, incidents)

    async def _channel_filter(self, channel: str | int | None) -> int | None:
        if channel is None:
            return None
        username = channel if isinstance(channel, str) else None
        telegram_id = channel if isinstance(channel, int) else None
        async with self.db.transaction() as conn:
            info = await self._batch(conn).channel(username, telegram_id, create=False)
        if info is None:
            raise InputError(
                f"no channel {channel!r} in {self.db.path}; give a username or numeric id "
                "of a channel already stored (import or monitor it first)"
            )
        return info.pk

    async def _classify_page(self, conn: aiosqlite.Connection, page: Sequence[Unclassified]) -> int:
        """Classify one page and add its rows; return how many are incidents."""
        now_iso, version = to_iso(self._now()), self.classifier_version
        rows, regions, incidents = [], [], 0
        for u in page:
            c = self.classify(u.text, home_region=u.home_region, posted_at=from_iso(u.date))
            rows.append(classification_row(u.post_id, c, version, now_iso))
            regions.extend(region_rows(u.post_id, c, version))
            incidents += c.is_incident
        await insert_missing(conn, rows, regions)
        return incidents
