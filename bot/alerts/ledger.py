"""What the sender decided about its rows that is not in the database yet.

Every outcome of a row (delivered with its message id, held, skipped, backed off, parked,
its subscriber gone) is one SQL statement; the sender adds it here and commits a batch in
one transaction (`flush`). Why not write each at once:
- a fan-out commits one transaction per batch of deliveries instead of one per message;
- another process (`uavwatch import`) may hold the write lock for minutes: the sender
  keeps sending, its writes wait here (`flush` never waits for that lock, it reports
  WriteBusy and keeps them) and go in once the lock is free.
A row with a statement here is settled as far as the sender knows (`rows`): the sender's
reads of the outbox leave it out, so it is not sent again while its mark waits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from bot.errors import WriteBusy
from bot.storage import Database

Statement = tuple[str, tuple[object, ...]]


@dataclass(slots=True)
class Ledger:
    statements: list[Statement] = field(default_factory=list)
    rows: set[int] = field(default_factory=set)  # outbox ids settled here, not yet written
    subscribers: set[int] = field(default_factory=set)  # deactivated here, not yet written

    def __len__(self) -> int:
        return len(self.statements)

    def add(self, statement: Statement, row_id: int | None = None) -> None:
        self.statements.append(statement)
        if row_id is not None:
            self.rows.add(row_id)

    async def flush(self, db: Database) -> bool:
        """Commit everything in order, in one transaction. False (all kept) when another
        process holds the write lock; other storage errors are raised (all kept too)."""
        if not self.statements:
            return True
        try:
            async with db.transaction(wait=False) as conn:
                for sql, group in groupby(self.statements, key=lambda st: st[0]):
                    await conn.executemany(sql, [params for _, params in group])
        except WriteBusy:
            return False
        self.statements.clear()
        self.rows.clear()
        self.subscribers.clear()
        return True
