"""What the sender decided about its rows that is not in the database yet.

Every outcome of a row (delivered with its message id, held, skipped, backed off, parked,
its subscriber gone) is one SQL statement; the sender adds it here and commits a batch in
one transaction. Why not write each at once:
- a fan-out commits one transaction per batch of deliveries instead of one per message,
  and can go on sending while a batch commits (`commit_soon`: the database works in its
  own thread meanwhile);
- another process (`uavwatch import`) may hold the write lock for minutes: the sender
  keeps sending, its writes wait here (a commit never waits for that lock, it reports
  WriteBusy and keeps them) and go in once the lock is free.
A row with a statement here is settled as far as the sender knows (`rows`, including a
batch being committed): the sender's reads of the outbox leave it out, so it is not sent
again while its mark waits. Statements are committed in the order they were added.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from itertools import groupby

from bot.errors import WriteBusy
from bot.storage import Database

Statement = tuple[str, tuple[object, ...]]


@dataclass(slots=True)
class _Batch:
    statements: list[Statement]
    rows: set[int]
    subscribers: set[int]


@dataclass(slots=True)
class Ledger:
    _open: _Batch = field(default_factory=lambda: _Batch([], set(), set()))
    _committing: _Batch | None = None
    _task: asyncio.Task[bool] | None = None

    def __len__(self) -> int:
        """Statements not handed to a commit yet."""
        return len(self._open.statements)

    def __bool__(self) -> bool:
        return bool(self._open.statements) or self._committing is not None

    @property
    def rows(self) -> set[int]:
        """Outbox ids settled here and not yet in the database."""
        if self._committing is None:
            return self._open.rows
        return self._open.rows | self._committing.rows

    @property
    def subscribers(self) -> set[int]:
        """Subscribers deactivated here and not yet in the database."""
        if self._committing is None:
            return self._open.subscribers
        return self._open.subscribers | self._committing.subscribers

    def add(self, statement: Statement, row_id: int | None = None) -> None:
        self._open.statements.append(statement)
        if row_id is not None:
            self._open.rows.add(row_id)

    def gone(self, subscriber_id: int) -> None:
        self._open.subscribers.add(subscriber_id)

    async def commit_soon(self, db: Database, limit: int) -> bool:
        """Start committing what is here, in the background. While a commit runs, the
        statements wait for the next one; once `limit` of them wait, this waits for the
        running commit first (so at most two batches are ever uncommitted). False: the
        last commit found another process holding the write lock (nothing started)."""
        busy = self._task is not None and (self._task.done() or len(self) >= limit)
        if busy and not await self._settle():
            return False
        if self._task is None and self._open.statements:
            self._committing, self._open = self._open, _Batch([], set(), set())
            self._task = asyncio.ensure_future(_commit(db, self._committing.statements))
        return True

    async def flush(self, db: Database) -> bool:
        """Commit everything, in order, and return once it is in the database. False (all
        kept) when another process holds the write lock; other storage errors are raised
        (everything kept too)."""
        if not await self._settle():
            return False
        if not self._open.statements:
            return True
        await self.commit_soon(db, 0)  # nothing is running: this starts it
        return await self._settle()

    async def _settle(self) -> bool:
        """Wait for the running commit; if it could not write, its statements go back in
        front of the newer ones."""
        task, batch = self._task, self._committing
        if task is None or batch is None:
            return True
        try:
            written = await asyncio.shield(task)
        except BaseException:
            if task.done():
                self._take_back(batch)
            raise
        if not written:
            self._take_back(batch)
            return False
        self._task = self._committing = None
        return True

    def _take_back(self, batch: _Batch) -> None:
        self._task = self._committing = None
        self._open = _Batch(
            batch.statements + self._open.statements,
            batch.rows | self._open.rows,
            batch.subscribers | self._open.subscribers,
        )


async def _commit(db: Database, statements: list[Statement]) -> bool:
    try:
        async with db.transaction(wait=False) as conn:
            for sql, group in groupby(statements, key=lambda st: st[0]):
                await conn.executemany(sql, [params for _, params in group])
    except WriteBusy:
        return False
    return True
