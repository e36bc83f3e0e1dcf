"""Handing watcher events to the pipeline: group commit, and "alert this" or "store only".

Persist first: a live handler awaits `Ingestor.submit`, which returns only once its events
are committed. Handlers run as concurrent tasks, so while one transaction commits the
next events queue up and go together in the next one (group commit): one event alone
commits at once (low latency at 100 updates/s), a burst shares transactions (throughput).
A batch that fails is retried submission by submission, so one bad event fails alone.

The alert stage is not built here; `Ingested.alert` tells it whether an event is fresh
enough to alert (`should_alert`): catch-up finds posts published while we were away, and
those older than CATCHUP_ALERT_MAX_AGE are stored but not alerted.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.models import DeletedPost, PostEvent
from bot.pipeline import IngestKind, IngestResult, Pipeline
from bot.storage import utc_now

log = logging.getLogger(__name__)

DEFAULT_MAX_AGE = timedelta(hours=1)
#: Events per transaction at most; SQLite and the planner handle 1,000 comfortably.
MAX_BATCH = 1000


class Origin(StrEnum):
    """Which watcher path saw the event (the post's `source` says live/backfill/webpreview)."""

    LIVE = "live"  # pushed by Telegram to a joined channel
    CATCHUP = "catchup"  # history read after start, reconnect or a gap
    POLL = "poll"  # history read of a channel the account has not joined
    RECONCILE = "reconcile"  # the sweep found an edit/deletion/missed post
    BACKFILL = "backfill"  # `uavwatch backfill`
    WEBPREVIEW = "webpreview"  # the web-preview poller


@dataclass(frozen=True, slots=True)
class Ingested:
    """One post's outcome, for the alert stage: `alert` False means store only."""

    event: PostEvent
    result: IngestResult
    origin: Origin
    alert: bool


OnIngested = Callable[[Ingested], Awaitable[None]]


def should_alert(
    event: PostEvent, result: IngestResult, origin: Origin, now: datetime, max_age: timedelta
) -> bool:
    """Alert only what is new to us and fresh: a new or edited post whose publication (or
    edit) is at most `max_age` old; a deletion only when Telegram pushed it as it happened.
    Backfill never alerts."""
    if origin is Origin.BACKFILL:
        return False
    if result.kind is IngestKind.DELETED:
        return origin is Origin.LIVE
    if result.kind not in (IngestKind.NEW, IngestKind.EDITED) or isinstance(event, DeletedPost):
        return False
    post = event.post
    moment = post.date
    if result.kind is IngestKind.EDITED and post.edited_at is not None:
        moment = post.edited_at
    return now - moment <= max_age


def _width(event: PostEvent) -> int:
    """How many results the pipeline returns for the event (a delete: one per id)."""
    return len(event.message_ids) if isinstance(event, DeletedPost) else 1


def _describe(event: PostEvent) -> str:
    if isinstance(event, DeletedPost):
        return f"{event.channel or event.channel_id} messages {list(event.message_ids)}"
    post = event.post
    return f"{post.channel or post.channel_id} message {post.message_id}"


@dataclass
class _Pending:
    events: Sequence[PostEvent]
    future: asyncio.Future[list[IngestResult]]


class Ingestor:
    """The watcher's one way into the pipeline (shared by live, catch-up and sweeps)."""

    def __init__(
        self,
        pipeline: Pipeline,
        *,
        max_age: timedelta = DEFAULT_MAX_AGE,
        now: Callable[[], datetime] = utc_now,
        on_ingested: OnIngested | None = None,
        max_batch: int = MAX_BATCH,
    ) -> None:
        self.pipeline = pipeline
        self.max_age = max_age
        self.now = now
        self.on_ingested = on_ingested
        self.max_batch = max_batch
        self._queue: deque[_Pending] = deque()
        self._flusher: asyncio.Task[None] | None = None
        self.transactions = 0

    async def submit(self, events: Sequence[PostEvent], origin: Origin) -> list[Ingested]:
        """Store `events` (in order, after anything submitted earlier); return each post's
        outcome once committed. Raises what the pipeline raised (StorageError...)."""
        if not events:
            return []
        future: asyncio.Future[list[IngestResult]] = asyncio.get_running_loop().create_future()
        self._queue.append(_Pending(list(events), future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.ensure_future(self._flush())
        results = await asyncio.shield(future)
        now = self.now()
        done: list[Ingested] = []
        position = 0
        for event in events:
            for result in results[position : position + _width(event)]:
                alert = should_alert(event, result, origin, now, self.max_age)
                done.append(Ingested(event, result, origin, alert))
            position += _width(event)
        await self._notify(done)
        return done

    async def _notify(self, done: list[Ingested]) -> None:
        if self.on_ingested is None:
            return
        for item in done:
            try:
                await self.on_ingested(item)
            except Exception:
                # Stored already: a failing listener must not undo or block that.
                log.exception("after storing %s: the listener failed", _describe(item.event))

    async def _flush(self) -> None:
        limit = self.max_batch
        while self._queue:
            batch: list[_Pending] = []
            size = 0
            while self._queue and (not batch or size + len(self._queue[0].events) <= limit):
                item = self._queue.popleft()
                batch.append(item)
                size += len(item.events)
            await self._commit(batch)

    async def _commit(self, batch: list[_Pending]) -> None:
        events = [e for item in batch for e in item.events]
        try:
            results = await self.pipeline.ingest_events(events)
            self.transactions += 1
        except Exception as exc:
            if len(batch) == 1:
                _settle(batch[0].future, error=exc)
                return
            for item in batch:  # find the culprit: each submission on its own
                await self._commit([item])
            return
        position = 0
        for item in batch:
            width = sum(_width(e) for e in item.events)
            _settle(item.future, result=results[position : position + width])
            position += width

    async def drain(self) -> None:
        """Wait until everything submitted so far is committed (shutdown)."""
        while self._flusher is not None and not self._flusher.done():
            await asyncio.shield(self._flusher)


def _settle(
    future: asyncio.Future[list[IngestResult]],
    *,
    result: list[IngestResult] | None = None,
    error: BaseException | None = None,
) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result or [])
