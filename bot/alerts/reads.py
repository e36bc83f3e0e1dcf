"""What the sender reads from the outbox: the due rows, when the next is due, and the
secret its random_ids are made with. Split from the sender's loop so each reads alone.

Every read goes through the database's read-only connection (it never waits for another
process's write lock) and leaves out the rows the sender holds: settled in its ledger and
not committed yet, or in flight (a row read back as pending while its send is out would be
sent twice).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.alerts import outbox
from bot.alerts.ledger import Ledger
from bot.alerts.outbox import DueRow
from bot.alerts.window import Window
from bot.storage import Database


class OutboxReads:
    def __init__(
        self, db: Database, ledger: Ledger, window: Window, *, now: Callable[[], datetime],
        batch: int,
    ) -> None:  # fmt: skip
        self._db = db
        self._ledger = ledger
        self._window = window
        self._now = now
        self._batch = batch
        self._secret: bytes | None = None  # for outbox.send_key, read at the first `due`

    def send_key(self, row_id: int) -> int:
        """The random_id of a row's message (see sender.py, crash safety)."""
        if self._secret is None:
            raise RuntimeError("cannot send: the sender has not read the outbox yet")
        return outbox.send_key(self._secret, row_id)

    async def due(self) -> list[DueRow]:
        """Up to `batch` pending rows due now, most urgent first."""
        reader = await self._db.reader()
        if self._secret is None:
            self._secret = await outbox.stored_secret(reader)
        if self._secret is None:  # a new database: made once, before the first send
            async with self._db.transaction() as conn:
                self._secret = await outbox.send_secret(conn)
        return await outbox.due_rows(
            reader, self._now(), self._batch, skip=self._ledger.rows | self._window.rows,
            skip_subscribers=self._ledger.subscribers,
        )  # fmt: skip

    async def until_next(self, next_wait: float | None) -> float | None:
        """Nothing queued: 0 if more rows are due already, else the shorter of `next_wait`
        and the wait for the next (None: nothing pending at all)."""
        due = await outbox.next_due(
            await self._db.reader(), skip=self._ledger.rows | self._window.rows,
            skip_subscribers=self._ledger.subscribers,
        )  # fmt: skip
        if due is None:
            return next_wait
        seconds = 0.0
        if isinstance(due, datetime):
            seconds = max(0.0, (due - self._now()).total_seconds())
        return seconds if next_wait is None else min(next_wait, seconds)
