"""The sender: due outbox rows -> messages, within Telegram's limits, each marked delivered.

Per row: a gone recipient (blocked, deleted account, invalid peer) deactivates the
subscriber and drops their queue; a FloodWait pauses that chat (or, when several chats
flood at once, everything) and keeps the row; a lost connection keeps the row too (it is
not a failed attempt) and sending waits until the bot is connected again (`ready`); any
other error is retried with backoff, then parked (listed by /health, `uavwatch alerts
requeue` puts it back). Rows are taken most urgent first (incidents, then threats, then
summaries); a row whose chat must wait does not hold up other chats. Up to `window` sends
are in flight at once, never two to one chat (window.py says why and what it keeps). One
sender per database.

Reads and writes: the outbox is read through the database's read-only connection, so a
long write by another process (`uavwatch import` holds the write lock for a whole file)
does not stop sending. What each row became goes into the `Ledger` and is committed in
batches without waiting for that lock; while the lock is taken, the ledger keeps it (and
reads leave those rows out), and it goes in once the lock is free.

Crash safety: the outbox row exists before anything is sent, and is marked delivered (with
its Telegram message id) only after Telegram's answer came back, so a crash loses nothing.
What a crash can repeat:
- The sends in flight: up to `window` (WINDOW = 8) messages handed to Telegram whose
  answers had not come back. Their rows are pending, whatever their kind.
- Rows other than plain alerts (corrections, summaries, broadcasts, digests, notices):
  nothing more; each is committed as soon as its answer is taken in, and every mark before
  it is committed before it starts.
- Plain alerts (the fan-out, thousands of rows for one incident) are marked in batches: one
  transaction per `mark_batch` answers, committed while sending goes on, and everything is
  committed before a step returns (also when it fails) and before any other kind of row.
  So up to two batches of delivered alerts more (and, while another process holds the
  write lock, every alert sent meanwhile).
Their resend shows nothing twice because of Telegram, and we rely on it on purpose: every
row's message carries a random_id derived from the row (`outbox.send_key`: keyed BLAKE2b of
the row id under a secret kept in the database), identical in every attempt and after a
restart, and Telegram keeps one message per random_id: a repeat is answered with the
message already sent (its id, in `UpdateMessageID`) instead of a second message, and the
restarted sender marks the row with it. A send in flight is covered like an unmarked
batch: it is a send whose answer was lost (an edit repeated changes nothing:
MESSAGE_NOT_MODIFIED counts as done). Telegram does not document how long it remembers a
random_id: a restart within minutes is covered; one hours later could repeat up to two
batches and the window (each message in a different chat). Why batches and a window: a
commit per message caps the sender far below the 2,000 messages/s it is built for, one send
at a time at 5-20 per second (bench/fanout.py, see README); during an import no commit is
possible at all. `mark_batch=1, window=1` relies on nothing from Telegram (without a
concurrent import: a crash repeats at most the one message in flight). A forced stop (the
task cancelled) cancels the sends in flight, their rows stay pending; a clean one (`stop`,
`finish`) waits for their answers and commits everything.

Time is injected: `clock` (seconds, monotonic) for rate limits, `now` (aware datetime) for
quiet hours, mute and backoff, so tests drive `step()` without sleeping.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.alerts.delivery import Delivery, Keep, Outcome, Retry
from bot.alerts.ledger import Ledger
from bot.alerts.outbox import DueRow, Purpose
from bot.alerts.ratelimit import Reservation, SendLimiter
from bot.alerts.reads import OutboxReads
from bot.alerts.setbacks import NOT_BEFORE_KEY, SenderStats, Setbacks
from bot.alerts.transport import Chat, Transport
from bot.alerts.window import WINDOW, Window
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
        window: int = WINDOW,
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
        self._mark_batch = max(1, mark_batch)
        self._ready = ready
        self._ledger = Ledger()
        self._wake = asyncio.Event()
        self._window = Window(window, on_landing=self._wake.set)
        self._reads = OutboxReads(db, self._ledger, self._window, now=now, batch=batch)
        self._delivery = Delivery(
            db, transport, now=now, ledger=self._ledger, send_key=self._reads.send_key,
            allow_groups=allow_groups,
        )  # fmt: skip
        self._setbacks = Setbacks(
            self.limiter, self._ledger, self._delivery, self.stats, clock=clock, now=now
        )
        self._queue: list[DueRow] = []
        self._retry_wait: float | None = None  # the shortest retry seen by this step
        self._woken = True
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
        self._window.interrupt()

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
        self._window.interrupt()

    # -- the loop ---------------------------------------------------------------------------
    async def run(self, stop: asyncio.Event) -> None:
        """Send until `stop` is set; sleeps only when nothing can go."""
        await self.load_state()
        try:
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
        except asyncio.CancelledError:  # a forced stop between steps, sends still out
            await self._window.cancel()  # their rows stay pending
            await self._flush()
            raise
        await self.finish()  # a clean stop: what is in flight is answered and marked

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
        """Until `timeout` passes, `wake()` is called, a send is answered or `stop` is set."""
        self._wake.clear()
        if self._window.landed:
            return
        stopped = asyncio.ensure_future(stop.wait())
        woken = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait({stopped, woken}, timeout=timeout, return_when="FIRST_COMPLETED")
        finally:
            stopped.cancel()
            woken.cancel()

    async def step(self) -> float | None:
        """Send everything that may go now, up to `window` sends in flight; while only an
        answer would let more go, wait for it. Returns the seconds until something else may
        go (a token, a pause, a retry, the connection; sends may still be in flight, and
        their answers end the run loop's sleep), or None when nothing is pending or in
        flight. However it ends, what was answered is committed first; cancelled, it
        cancels the sends in flight (their rows stay pending)."""
        if self.paused:
            await self._land()
            await self._flush()
            return None
        self._retry_wait = None
        try:
            await self._housekeeping()
            self._setbacks.offline = False
            if self._woken or not self._queue or self._clock() - self._last_refill > REFILL_EVERY:
                await self._refill()
            wait = await self._send_all()
        except asyncio.CancelledError:
            await self._window.cancel()
            raise
        finally:
            await self._flush()
        return await self._after_step(wait)

    async def _after_step(self, wait: float | None) -> float | None:
        """What `step` returns, once its flush is done (see there)."""
        if self.paused:
            await self._land()
            await self._flush()
            return None
        if self._setbacks.offline:
            return RECONNECT_POLL
        if self._queue:
            return _shorter(wait, self._retry_wait) or 0.0
        if self._window:  # woken with sends in flight: read the new rows at once
            return 0.0
        return await self._reads.until_next(self._retry_wait)

    async def _send_all(self) -> float | None:
        """Start what may go; while nothing may go before an answer, wait for one. Returns
        the clock's wait for the first row left queued (None: none waits for the clock)."""
        while True:
            await self._harvest()
            launched = self._window.launched
            wait = await self._send_queue()
            if wait is not None or self._woken or self.paused or not self._window:
                if self._window.launched != launched:
                    await self._window.until_out()  # what started is out before the wait
                return wait
            await self._window.wait()

    async def _send_queue(self) -> float | None:
        """Go through the queue once, starting each row that may go now; the others stay
        queued, in order. Returns the shortest wait on the clock among them (None: they wait
        only for answers, or the queue is empty)."""
        queue, self._queue = self._queue, []
        clock_wait: float | None = None
        for index, row in enumerate(queue):
            t = self._clock()
            wait = RECONNECT_POLL if self._setbacks.offline else self.limiter.global_wait(t)
            if wait > 0 or self._window.full or self._woken or self.paused:
                self._queue.extend(queue[index:])  # woken: read the new rows first
                return _shorter(clock_wait, wait) if wait > 0 else clock_wait
            if row.subscriber_id in self._setbacks.gone:
                continue  # its rows were dropped when the chat turned out to be gone
            if self._window.busy(row.chat_id):
                self._queue.append(row)  # after the answer to its chat's message in flight
                continue
            wait = self.limiter.chat_wait(row.chat_id, row.is_group, t)
            if wait > 0:
                self._queue.append(row)
                clock_wait = _shorter(clock_wait, wait)
            else:
                await self._launch(row)
        return clock_wait

    async def _launch(self, row: DueRow) -> None:
        """Start sending one row whose chat may take a message: its tokens are taken now."""
        alert = row.purpose is Purpose.ALERT
        if not alert and not await self._flush() and row.purpose in _READS_MARKS:
            # what the chat was sent is not written yet: read the row again at a refill
            self._retry_wait = _shorter(self._retry_wait, FLUSH_RETRY)
            return
        reservation = Reservation.start(self.limiter, row.chat_id, row.is_group, self._clock())
        self._window.launch(row, self._fly(row, reservation))

    async def _fly(self, row: DueRow, reservation: Reservation) -> Outcome:
        def take(_chat: Chat) -> None:
            reservation.use(self._clock())
            self._window.handed(row.chat_id)

        try:
            return await self._setbacks.deliver(row, take, on_flood=self._window.hold)
        finally:
            reservation.release(self._clock())

    async def _harvest(self) -> None:
        """Take in the answered sends: a kept row is queued again, a retry noted; marks are
        committed as their kind asks (alerts in batches, anything else at once)."""
        landed = self._window.take_landed()
        commit = self._mark_batch == 1
        for flight in landed:
            if flight.task.cancelled():
                continue  # a forced stop: the row stays pending
            outcome = flight.task.result()  # a StorageError ends the step
            commit = commit or flight.row.purpose is not Purpose.ALERT
            if isinstance(outcome, Keep):
                self._queue.append(flight.row)
            elif isinstance(outcome, Retry):
                self._retry_wait = _shorter(self._retry_wait, outcome.seconds)
        if not landed:
            return
        if commit:
            await self._flush()
        elif len(self._ledger) >= self._mark_batch:
            await self._commit_soon()

    async def _land(self) -> None:
        """Every send in flight answered and taken in (a pause, a stop)."""
        await self._window.land_all()
        await self._harvest()

    async def finish(self) -> None:
        """A clean stop of a sender driven by `step()`: the sends in flight are answered
        and everything is committed (what `run` does when `stop` is set)."""
        await self._land()
        await self._flush()

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

    async def _refill(self) -> None:
        """Read the due rows again (after committing what was sent, so a row is never read
        back as pending once it went; rows still in the ledger, because another process
        holds the write lock, and rows in flight are left out)."""
        await self._flush()
        self._woken = False
        self._setbacks.gone = set(self._ledger.subscribers)
        self._last_refill = self._clock()
        self._queue = await self._reads.due()
        self._delivery.forget_views()

    async def _housekeeping(self) -> None:
        t = self._clock()
        if t - self._last_housekeeping < HOUSEKEEPING_EVERY:
            return
        self._last_housekeeping = t
        self.limiter.forget_idle(t)
        if await self._flush() and await self._delivery.release_held():
            self._woken = True


def _shorter(a: float | None, b: float | None) -> float | None:
    """The shorter of two waits (None: no wait)."""
    if a is None:
        return b
    return a if b is None else min(a, b)
