"""The sender: due outbox rows -> messages, within Telegram's limits, each marked delivered.

One message at a time, and each is marked (with its Telegram message id) in its own commit
before the next one goes: a crash at any moment loses nothing (the row is still pending)
and can repeat at most the one message that was in flight. One sender per database.

Per row: a gone recipient (blocked, deleted account, invalid peer) deactivates the
subscriber and drops their queue; a FloodWait pauses that chat (or, when several chats
flood at once, everything) and keeps the row; any other error is retried with backoff,
then parked (listed by /health). Rows are taken most urgent first (incidents, then threats,
then summaries); a row whose chat must wait does not hold up other chats.

Time is injected: `clock` (seconds, monotonic) for rate limits, `now` (aware datetime) for
quiet hours, mute and backoff, so tests drive `step()` without sleeping.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.alerts import outbox
from bot.alerts import subscribers as subs
from bot.alerts.delivery import Delivery, Done, Keep, Outcome, Retry
from bot.alerts.outbox import DueRow
from bot.alerts.ratelimit import SendLimiter
from bot.alerts.transport import Chat, FloodWait, RecipientGone, SendFailed, Transport
from bot.storage import Database, utc_now

log = logging.getLogger(__name__)

# Rows read per refill: a few seconds of work at Telegram's pace, cheap to re-read.
BATCH = 256
# Re-read the outbox at least this often (rows whose backoff ended, missed wake-ups).
REFILL_EVERY = 2.0
# Check for quiet hours that ended, and forget idle buckets, this often.
HOUSEKEEPING_EVERY = 30.0
PAUSED_KEY = "sender_paused"
_STAT_OF_STATUS = {
    "sent": "sent", "edited": "edited", "reply": "replies", "held": "held", "muted": "muted",
    "skipped": "skipped", "dropped": "dropped", "parked": "parked",
}  # fmt: skip


@dataclass(slots=True)
class SenderStats:
    sent: int = 0
    edited: int = 0
    replies: int = 0
    held: int = 0
    muted: int = 0
    skipped: int = 0
    dropped: int = 0
    retried: int = 0
    parked: int = 0
    deactivated: int = 0
    flood_waits: int = 0


class Sender:
    """Drive with `await run(stop)` in production, or `await step()` from tests and the demo."""

    def __init__(
        self,
        db: Database,
        transport: Transport,
        *,
        limiter: SendLimiter | None = None,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = utc_now,
        batch: int = BATCH,
    ) -> None:
        self.db = db
        self.limiter = limiter or SendLimiter()
        self.stats = SenderStats()
        self.paused = False
        self._transport = transport
        self._clock = clock
        self._now = now
        self._batch = batch
        self._delivery = Delivery(db, transport, now=now)
        self._queue: list[DueRow] = []
        self._gone: set[int] = set()  # subscribers deactivated since the last refill
        self._woken = True
        self._wake = asyncio.Event()
        self._last_refill = float("-inf")
        self._last_housekeeping = float("-inf")

    # -- control --------------------------------------------------------------------------
    def wake(self) -> None:
        """New rows were queued (called by the enqueuer): re-read the outbox soon."""
        self._woken = True
        self._wake.set()

    async def load_state(self) -> None:
        rows = await self.db.read("SELECT value FROM alert_state WHERE name = ?", (PAUSED_KEY,))
        self.paused = bool(rows) and rows[0][0] == "1"

    async def set_paused(self, paused: bool) -> None:
        """Stop or resume sending; remembered across restarts."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT OR REPLACE INTO alert_state (name, value) VALUES (?, ?)",
                (PAUSED_KEY, "1" if paused else "0"),
            )
        self.paused = paused
        self.wake()

    # -- the loop ---------------------------------------------------------------------------
    async def run(self, stop: asyncio.Event) -> None:
        """Send until `stop` is set; sleeps only when nothing can go."""
        await self.load_state()
        while not stop.is_set():
            delay = await self.step()
            await asyncio.sleep(0)  # let the enqueuer and the bot's handlers run
            if self._woken and not self.paused:
                continue  # new rows: the next step reads them
            timeout = HOUSEKEEPING_EVERY if delay is None else min(delay, HOUSEKEEPING_EVERY)
            if timeout > 0:
                await self._sleep(stop, timeout)

    async def _sleep(self, stop: asyncio.Event, timeout: float) -> None:
        """Until `timeout` passes, `wake()` is called or `stop` is set."""
        self._wake.clear()
        stopped = asyncio.ensure_future(stop.wait())
        woken = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait({stopped, woken}, timeout=timeout, return_when="FIRST_COMPLETED")
        finally:
            stopped.cancel()
            woken.cancel()

    async def step(self) -> float | None:
        """Send everything that may go now. Returns the seconds until something else may
        (a token, a pause, a retry), or None when nothing is pending."""
        if self.paused:
            return None
        await self._housekeeping()
        if self._woken or not self._queue or self._clock() - self._last_refill > REFILL_EVERY:
            await self._refill()
        queue, self._queue = self._queue, []
        next_wait: float | None = None
        for index, row in enumerate(queue):
            if self.paused:
                self._queue.extend(queue[index:])
                return None
            t = self._clock()
            wait = self.limiter.global_wait(t)
            if wait > 0:
                self._queue.extend(queue[index:])
                return wait
            if row.subscriber_id in self._gone:
                continue  # its rows were dropped when the chat turned out to be gone
            wait = self.limiter.chat_wait(row.chat_id, row.is_group, t)
            if wait > 0:
                self._queue.append(row)
                next_wait = wait if next_wait is None else min(next_wait, wait)
                continue
            outcome = await self._handle(row)
            if isinstance(outcome, Keep):
                self._queue.append(row)
            elif isinstance(outcome, Retry):
                next_wait = (
                    outcome.seconds if next_wait is None else min(next_wait, outcome.seconds)
                )
        if self._queue:
            return next_wait if next_wait is not None else 0.0
        return await self._until_next_retry(next_wait)

    async def _refill(self) -> None:
        self._woken = False
        self._gone.clear()
        self._last_refill = self._clock()
        async with self.db.transaction() as conn:
            self._queue = await outbox.due_rows(conn, self._now(), self._batch)
        self._delivery.forget_views()

    async def _until_next_retry(self, next_wait: float | None) -> float | None:
        """The queue is empty: 0 if more rows are due already, else the wait for the next."""
        async with self.db.transaction() as conn:
            due = await outbox.next_due(conn)
        if due is None:
            return next_wait
        seconds = 0.0
        if isinstance(due, datetime):
            seconds = max(0.0, (due - self._now()).total_seconds())
        return seconds if next_wait is None else min(next_wait, seconds)

    async def _housekeeping(self) -> None:
        t = self._clock()
        if t - self._last_housekeeping < HOUSEKEEPING_EVERY:
            return
        self._last_housekeeping = t
        self.limiter.forget_idle(t)
        if await self._delivery.release_held():
            self._woken = True

    # -- one row ----------------------------------------------------------------------------
    async def _handle(self, row: DueRow) -> Outcome:
        chat = Chat(row.chat_id, row.access_hash, row.is_group)
        try:
            outcome = await self._delivery.deliver(row, chat, self._take_token)
        except FloodWait as exc:
            self.stats.flood_waits += 1
            everything = self.limiter.flood_wait(row.chat_id, exc.seconds, self._clock())
            log.warning(
                "FloodWait %g s after a message to chat %s: pausing %s",
                exc.seconds, row.chat_id, "all sending" if everything else "that chat",
            )  # fmt: skip
            return Keep()
        except RecipientGone as exc:
            await self._recipient_gone(row, str(exc))
            return Done("dropped")
        except SendFailed as exc:
            return await self._failed(row, str(exc))
        self._count(outcome)
        return outcome

    def _take_token(self, chat: Chat) -> None:
        self.limiter.take(chat.chat_id, chat.is_group, self._clock())

    def _count(self, outcome: Outcome) -> None:
        if isinstance(outcome, Done):
            name = _STAT_OF_STATUS[outcome.status]
            setattr(self.stats, name, getattr(self.stats, name) + 1)

    async def _recipient_gone(self, row: DueRow, reason: str) -> None:
        now = self._now()
        async with self.db.transaction() as conn:
            await subs.deactivate(conn, row.subscriber_id, reason, now)
            await outbox.drop_pending_of(conn, row.subscriber_id, reason, now)
        self._queue = [r for r in self._queue if r.subscriber_id != row.subscriber_id]
        self._gone.add(row.subscriber_id)
        self.stats.deactivated += 1
        self.stats.dropped += 1
        log.info("subscriber %s deactivated: %s", row.subscriber_id, reason)

    async def _failed(self, row: DueRow, reason: str) -> Outcome:
        parked, seconds = await self._delivery.retry_or_park(row, reason)
        if parked:
            self.stats.parked += 1
            log.warning(
                "outbox row %s parked after %s attempts: %s", row.id, row.attempts + 1, reason
            )
            return Done("parked")
        self.stats.retried += 1
        return Retry(seconds)
