"""The sender: due outbox rows -> messages, within Telegram's limits, each marked delivered.

Per row: a gone recipient (blocked, deleted account, invalid peer) deactivates the
subscriber and drops their queue; a FloodWait pauses that chat (or, when several chats
flood at once, everything) and keeps the row; a lost connection keeps the row too (it is
not a failed attempt) and sending waits until the bot is connected again (`ready`); any
other error is retried with backoff, then parked (listed by /health, `uavwatch alerts
requeue` puts it back). Rows are taken most urgent first (incidents, then threats, then
summaries); a row whose chat must wait does not hold up other chats. One sender per
database.

Reads and writes: the outbox is read through the database's read-only connection, so a
long write by another process (`uavwatch import` holds the write lock for a whole file)
does not stop sending. What each row became goes into the `Ledger` and is committed in
batches without waiting for that lock; while the lock is taken, the ledger keeps it (and
reads leave those rows out), and it goes in once the lock is free.

Crash safety: the outbox row exists before anything is sent, and is marked delivered (with
its Telegram message id) only after Telegram accepted the message, so a crash loses
nothing. How much a crash can repeat:

- Rows other than plain alerts (corrections, summaries, broadcasts, digests, notices) are
  committed one at a time, before and after each: normally a crash repeats at most the one
  message in flight.
- Plain alerts (the fan-out, thousands of rows for one incident) are marked in batches: one
  transaction per `mark_batch` messages, committed while the next batch is being sent, and
  everything is committed before a step returns (also when it fails) and before any other
  kind of row. A crash can therefore leave up to two batches of delivered alerts unmarked
  (and, while another process holds the write lock, every alert sent meanwhile).
  Their resend shows nothing twice only because of Telegram, and we rely on it on purpose:
  every row's message carries a random_id derived from the row (`outbox.send_key`: keyed
  BLAKE2b of the row id under a secret kept in the database), identical in every attempt
  and after a restart, and Telegram keeps one message per random_id: a repeat is answered
  with the message already sent (its id, in `UpdateMessageID`) instead of a second
  message, and the restarted sender marks the row with it. Telegram does not document how
  long it remembers a random_id: a restart within minutes is covered; one hours later
  could repeat up to two batches (each message in a different chat). Why batches anyway:
  a commit per message caps the sender far below the 2,000 messages/s it is built for
  (bench/fanout.py, see README), and during an import no commit is possible at all short
  of stopping every alert for its length. `mark_batch=1` commits every mark before the
  next message and, without a concurrent import, relies on nothing from Telegram.

Time is injected: `clock` (seconds, monotonic) for rate limits, `now` (aware datetime) for
quiet hours, mute and backoff, so tests drive `step()` without sleeping.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.alerts import outbox
from bot.alerts.delivery import Delivery, Keep, Outcome, Retry
from bot.alerts.ledger import Ledger
from bot.alerts.outbox import DueRow, Purpose
from bot.alerts.ratelimit import SendLimiter
from bot.alerts.setbacks import NOT_BEFORE_KEY, SenderStats, Setbacks
from bot.alerts.transport import (
    Chat,
    Disconnected,
    FloodWait,
    RecipientGone,
    SendFailed,
    Transport,
)
from bot.errors import StorageError
from bot.storage import Database, from_iso, utc_now

log = logging.getLogger(__name__)

# Rows read per refill: ten seconds of work at Telegram's pace, cheap to re-read (new rows
# committed end a pass early, so a fresh incident does not wait for the batch to be done).
BATCH = 256
# Delivered alerts marked in one transaction (see the docstring for what that relies on).
# At 25 messages/s a step sends 1-2, so batches only fill in a burst (a fan-out with limits
# lifted); 64 keeps what a crash leaves unmarked small, and one commit of 64 costs about as
# much as two single-row commits.
MARK_BATCH = 64
# Re-read the outbox at least this often (rows whose backoff ended, missed wake-ups).
REFILL_EVERY = 2.0
# Check for quiet hours that ended, and forget idle buckets, this often.
HOUSEKEEPING_EVERY = 30.0
# While another process holds the write lock: try to commit the ledger this often.
FLUSH_RETRY = 1.0
# The bot lost its connection: look again this often (or when `ready` says so).
RECONNECT_POLL = 1.0
PAUSED_KEY = "sender_paused"
# Rows that read what the chat was sent: they wait while delivered marks cannot be written.
_READS_MARKS = (Purpose.CORRECTION, Purpose.SOURCES)

Ready = Callable[[], Awaitable[None]]


class Sender:
    """Drive with `await run(stop)` in production, or `await step()` from tests and the demo.

    `ready`: awaited before each step of `run`; returns once the transport can send (the
    service passes "the bot is signed in and connected"). `allow_groups` False
    (ALLOW_GROUPS off): rows for group chats are skipped."""

    def __init__(
        self,
        db: Database,
        transport: Transport,
        *,
        limiter: SendLimiter | None = None,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = utc_now,
        batch: int = BATCH,
        mark_batch: int = MARK_BATCH,
        ready: Ready | None = None,
        allow_groups: bool = True,
    ) -> None:
        self.db = db
        self.limiter = limiter or SendLimiter()
        self.stats = SenderStats()
        self.paused = False
        self._transport = transport
        self._clock = clock
        self._now = now
        self._batch = batch
        self._mark_batch = max(1, mark_batch)
        self._ready = ready
        self._ledger = Ledger()
        self._secret: bytes | None = None  # for outbox.send_key, read at the first refill
        self._delivery = Delivery(
            db, transport, now=now, ledger=self._ledger, send_key=self._send_key,
            allow_groups=allow_groups,
        )  # fmt: skip
        self._setbacks = Setbacks(
            self.limiter, self._ledger, self._delivery, self.stats, clock=clock, now=now
        )
        self._queue: list[DueRow] = []
        self._woken = True
        self._wake = asyncio.Event()
        self._waker: asyncio.Future[None] | None = None
        self._last_refill = float("-inf")
        self._last_housekeeping = float("-inf")
        self._flush_after = float("-inf")  # the write lock was taken: not before this

    # -- control --------------------------------------------------------------------------
    def wake(self) -> None:
        """New rows were queued (called by the enqueuer, inside its transaction): re-read
        the outbox once that transaction has ended (the reads see only what is committed)."""
        if self._waker is None or self._waker.done():
            self._waker = asyncio.ensure_future(self._wake_after_commit())

    async def _wake_after_commit(self) -> None:
        await self.db.idle()
        self._woken = True
        self._wake.set()

    async def load_state(self) -> None:
        """/pause, and a pause of everything that a FloodWait imposed before a restart."""
        reader = await self.db.reader()
        rows = dict(
            await reader.execute_fetchall(
                "SELECT name, value FROM alert_state WHERE name IN (?, ?)",
                (PAUSED_KEY, NOT_BEFORE_KEY),
            )
        )
        self.paused = rows.get(PAUSED_KEY) == "1"
        if rows.get(NOT_BEFORE_KEY):
            left = (from_iso(str(rows[NOT_BEFORE_KEY])) - self._now()).total_seconds()
            if left > 0:
                self.limiter.pause_all(left, self._clock())

    async def set_paused(self, paused: bool) -> None:
        """Stop or resume sending; remembered across restarts."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT OR REPLACE INTO alert_state (name, value) VALUES (?, ?)",
                (PAUSED_KEY, "1" if paused else "0"),
            )
        self.paused = paused
        self._woken = True
        self._wake.set()

    # -- the loop ---------------------------------------------------------------------------
    async def run(self, stop: asyncio.Event) -> None:
        """Send until `stop` is set; sleeps only when nothing can go."""
        await self.load_state()
        while not stop.is_set():
            if self._ready is not None and not await self._until(stop, self._ready()):
                break
            delay = await self.step()
            await asyncio.sleep(0)  # let the enqueuer and the bot's handlers run
            if self._woken and not self.paused:
                continue  # new rows: the next step reads them
            timeout = HOUSEKEEPING_EVERY if delay is None else min(delay, HOUSEKEEPING_EVERY)
            if self._ledger:
                timeout = min(timeout, FLUSH_RETRY)
            if timeout > 0:
                await self._sleep(stop, timeout)
        await self._flush()

    async def _until(self, stop: asyncio.Event, ready: Awaitable[None]) -> bool:
        """Wait for `ready` or `stop`; True if ready."""
        waiting = asyncio.ensure_future(ready)
        stopped = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({waiting, stopped}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiting.cancel()
            stopped.cancel()
        return not stop.is_set()

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
        (a token, a pause, a retry, the connection), or None when nothing is pending.
        However it ends (an error, a cancellation), what it sent is committed first."""
        if self.paused:
            await self._flush()
            return None
        try:
            await self._housekeeping()
            self._setbacks.offline = False
            if self._woken or not self._queue or self._clock() - self._last_refill > REFILL_EVERY:
                await self._refill()
            done, wait = await self._send_queue()
        finally:
            await self._flush()
        if self._setbacks.offline:
            return RECONNECT_POLL
        if not done:
            return wait
        return await self._until_next_retry(wait)

    async def _send_queue(self) -> tuple[bool, float | None]:
        """Go through the queue once: (False, wait) if rows are left (None: paused), else
        (True, the shortest retry wait seen)."""
        queue, self._queue = self._queue, []
        next_wait: float | None = None
        for index, row in enumerate(queue):
            t = self._clock()
            if self._setbacks.offline:
                wait: float | None = RECONNECT_POLL
            else:
                wait = None if self.paused else self.limiter.global_wait(t)
            if wait is None or wait > 0 or self._woken:  # woken: read the new rows first
                self._queue.extend(queue[index:])
                return False, wait
            if row.subscriber_id in self._setbacks.gone:
                continue  # its rows were dropped when the chat turned out to be gone
            wait = self.limiter.chat_wait(row.chat_id, row.is_group, t)
            if wait > 0:
                self._queue.append(row)
            else:
                wait = await self._one(row)
            if wait is not None:
                next_wait = wait if next_wait is None else min(next_wait, wait)
        if self._queue:
            return False, next_wait if next_wait is not None else 0.0
        return True, next_wait

    async def _one(self, row: DueRow) -> float | None:
        """Handle one row whose chat may take a message; the seconds it must wait, if any."""
        alert = row.purpose is Purpose.ALERT
        if not alert and not await self._flush() and row.purpose in _READS_MARKS:
            return FLUSH_RETRY  # what the chat was sent is not written yet: later
        outcome = await self._handle(row)
        if not alert or self._mark_batch == 1:
            await self._flush()
        elif len(self._ledger) >= self._mark_batch:
            await self._commit_soon()
        if isinstance(outcome, Keep):
            self._queue.append(row)
        elif isinstance(outcome, Retry):
            return outcome.seconds
        return None

    async def _commit_soon(self) -> None:
        """A full batch: commit it while sending goes on (at most two batches uncommitted)."""
        if self._clock() < self._flush_after:
            return
        if not await self._ledger.commit_soon(self.db, self._mark_batch):
            self._flush_after = self._clock() + FLUSH_RETRY

    async def _flush(self) -> bool:
        """Commit the ledger in one transaction; False if another process holds the write
        lock (everything stays in the ledger; tried again after FLUSH_RETRY)."""
        if not self._ledger:
            return True
        if self._clock() < self._flush_after:
            return False
        if await self._ledger.flush(self.db):
            return True
        self._flush_after = self._clock() + FLUSH_RETRY
        return False

    def _send_key(self, row_id: int) -> int:
        """The random_id of a row's message (see the module docstring)."""
        if self._secret is None:
            raise RuntimeError("cannot send: the sender has not read the outbox yet")
        return outbox.send_key(self._secret, row_id)

    async def _refill(self) -> None:
        """Read the due rows again (after committing what was sent, so a row is never read
        back as pending once it went; rows still in the ledger, because another process
        holds the write lock, are left out)."""
        await self._flush()
        self._woken = False
        self._setbacks.gone = set(self._ledger.subscribers)
        self._last_refill = self._clock()
        reader = await self.db.reader()
        if self._secret is None:
            self._secret = await outbox.stored_secret(reader)
        if self._secret is None:  # a new database: made once, before the first send
            async with self.db.transaction() as conn:
                self._secret = await outbox.send_secret(conn)
        self._queue = await outbox.due_rows(
            reader, self._now(), self._batch, skip=self._ledger.rows,
            skip_subscribers=self._ledger.subscribers,
        )  # fmt: skip
        self._delivery.forget_views()

    async def _until_next_retry(self, next_wait: float | None) -> float | None:
        """The queue is empty: 0 if more rows are due already, else the wait for the next."""
        due = await outbox.next_due(
            await self.db.reader(), skip=self._ledger.rows,
            skip_subscribers=self._ledger.subscribers,
        )  # fmt: skip
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
        if await self._flush() and await self._delivery.release_held():
            self._woken = True

    # -- one row ----------------------------------------------------------------------------
    async def _handle(self, row: DueRow) -> Outcome:
        chat = Chat(row.chat_id, row.access_hash, row.is_group)
        setbacks = self._setbacks
        try:
            outcome = await self._delivery.deliver(row, chat, self._take_token)
        except FloodWait as exc:
            return setbacks.flood(row, exc.seconds)
        except Disconnected as exc:
            return setbacks.disconnected(str(exc))
        except RecipientGone as exc:
            self._queue = [r for r in self._queue if r.subscriber_id != row.subscriber_id]
            return setbacks.recipient_gone(row, str(exc))
        except SendFailed as exc:
            return setbacks.failed(row, str(exc))
        except StorageError:
            raise
        except Exception as exc:  # a bug with this one row must not stop every alert
            log.warning("outbox row %s failed unexpectedly", row.id, exc_info=True)
            return setbacks.failed(row, f"{type(exc).__name__}: {exc}")
        self.stats.count(outcome)
        setbacks.went()
        return outcome

    def _take_token(self, chat: Chat) -> None:
        self.limiter.take(chat.chat_id, chat.is_group, self._clock())
