"""The sender when its step is cut short, when another process holds the write lock, and
when one row fails in a way nobody planned for: what was sent stays sent, nothing is sent
twice, and one bad row never stops the others."""

from __future__ import annotations

import asyncio
import math
import sqlite3

import pytest
from conftest import Stack

from bot.alerts.ratelimit import SendLimiter
from bot.alerts.sender import RECONNECT_POLL, Sender
from bot.alerts.transport import BOT_CLIENT_OPTIONS, TelethonTransport
from bot.alerts.window import WINDOW
from bot.storage import to_iso

INCIDENT = "Над Курской областью сбит беспилотник."


async def _subscribers(stack: Stack, n: int) -> list[int]:
    users = [stack.user(f"U{i}") for i in range(n)]
    for user in users:
        await stack.say(user, "/subscribe all")
    stack.clock.advance(1.1)  # each chat's second was used by the reply
    return users


def _alert_count(stack: Stack, user: int) -> int:
    return sum(1 for m in stack.chat(user) if m.startswith("🛩"))


def _fast_sender(
    stack: Stack, mark_batch: int = 64, transport: TelethonTransport | None = None,
    window: int = WINDOW,
) -> Sender:  # fmt: skip
    """No limits on our side: one step sends every row (a burst); its clock moves 1 ms per
    reading, as a real one would between sends."""

    def ticking() -> float:
        stack.clock.advance(0.001)
        return stack.clock()

    limiter = SendLimiter(1e9, ceiling=math.inf)
    transport = transport or TelethonTransport(stack.client)
    return Sender(stack.db, transport, limiter=limiter, clock=ticking,
                  now=stack.clock.now, mark_batch=mark_batch, window=window)  # fmt: skip


class CancelAfter:
    """Stands in for the fake's rate limiter: admits everything and cancels the sender's
    task right after the n-th message was accepted (a forced stop of the sender part)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.seen = 0
        self.task: asyncio.Future[None] | None = None

    def admit(self, chat_id: int) -> int:
        self.seen += 1
        if self.seen == self.n and self.task is not None:
            asyncio.get_running_loop().call_soon(self.task.cancel)
        return 0


async def test_a_step_cut_short_commits_what_it_sent_so_a_restart_repeats_nothing(
    stack: Stack,
) -> None:
    """1. ten subscribers, one incident, marks batched by 64, one send in flight at a time
    2. the sender part is cancelled right after the 5th message was accepted 3. the part
    restarts: the same sender steps again, against a Telegram that does not remember
    random_ids. Result: only the message in flight is shown twice (the four answered
    before the stop were committed on the way out, not read back as pending). With more
    in flight, those are cancelled and resent with their random_id (test_alerts_window)."""
    users = await _subscribers(stack, 10)
    await stack.post("kursk_gov", 1, INCIDENT)
    sender = stack.sender = _fast_sender(stack, window=1)
    cancel = CancelAfter(5)
    stack.world.limiter = cancel  # type: ignore[assignment]
    cancel.task = asyncio.ensure_future(sender.step())
    with pytest.raises(asyncio.CancelledError):
        await cancel.task
    assert await stack.db.read("SELECT count(*) FROM outbox WHERE status = 'sent'") == [(4,)]
    await stack.drain()
    assert sorted(_alert_count(stack, u) for u in users) == [1] * 9 + [2]  # the one in flight
    assert await stack.db.read("SELECT status, count(*) FROM outbox GROUP BY status") == [
        ("sent", 10)
    ]


async def test_sending_goes_on_while_another_process_holds_the_write_lock(stack: Stack) -> None:
    """1. an incident for five subscribers is queued 2. another process (an import) takes
    the write lock and keeps it 3. the sender steps, several times. Result: all five are
    delivered while the lock is held, none twice; the marks wait and are committed once
    the lock is free."""
    users = await _subscribers(stack, 5)
    assert await stack.sender.step() is None  # running already (it has read its secret)
    await stack.post("kursk_gov", 1, INCIDENT)
    importer = sqlite3.connect(stack.db.path, isolation_level=None)
    try:
        importer.execute("BEGIN IMMEDIATE")
        for _ in range(6):
            wait = await stack.sender.step()
            stack.clock.advance(max(wait or 0.0, 1.0))
        assert [_alert_count(stack, u) for u in users] == [1] * 5
        pending = importer.execute("SELECT count(*) FROM outbox WHERE status = 'pending'")
        assert pending.fetchone() == (5,)  # nothing written yet
    finally:
        importer.rollback()
        importer.close()
    await stack.drain()
    assert [_alert_count(stack, u) for u in users] == [1] * 5
    assert await stack.db.read("SELECT status, count(*) FROM outbox GROUP BY status") == [
        ("sent", 5)
    ]


async def test_a_row_failing_in_an_unexpected_way_backs_off_and_the_rest_goes(
    stack: Stack,
) -> None:
    """A summary row whose payload is not what the sender expects (a bug, a hand edit):
    that row is retried with backoff and parked, the alerts behind it go, the sender lives."""
    (user,) = await _subscribers(stack, 1)
    now = to_iso(stack.clock.now())
    async with stack.db.transaction() as conn:
        await conn.execute(
            "INSERT INTO outbox (subscriber_id, purpose, priority, payload, created_at,"
            " updated_at) VALUES (1, 'summary', 0, 'not json', ?, ?)",
            (now, now),
        )
    await stack.post("kursk_gov", 1, INCIDENT)
    await stack.drain()
    assert _alert_count(stack, user) == 1
    (status, attempts, error), *_ = await stack.db.read(
        "SELECT status, attempts, last_error FROM outbox WHERE purpose = 'summary'"
    )
    assert (status, attempts) == ("parked", 5) and "JSONDecodeError" in str(error)


class DropAfter:
    """Stands in for the fake's rate limiter: right after the n-th accepted message (once
    its answer is on the way: the fake answers on the loop's next turn), the bot's
    connection dies (a client without auto-reconnect ends up disconnected)."""

    def __init__(self, stack: Stack, n: int) -> None:
        self.stack, self.n, self.seen = stack, n, 0

    def admit(self, chat_id: int) -> int:
        self.seen += 1
        if self.seen == self.n:
            loop = asyncio.get_running_loop()
            loop.call_soon(self.stack.world.drop_connection, self.stack.bot_id)
        return 0


async def test_a_lost_connection_keeps_the_rows_without_using_their_attempts(
    stack: Stack,
) -> None:
    """1. six subscribers, one incident, a burst, one send in flight at a time 2. the
    connection dies after the 2nd message 3. the sender steps while disconnected: nothing
    is tried, nothing counted 4. the bot connects again. Result: all six get the alert
    once, each row marked after exactly one attempt, nothing parked. (Sends in flight
    when the connection dies: test_alerts_window.)"""
    users = await _subscribers(stack, 6)
    client = stack.world.client(stack.bot_id, **BOT_CLIENT_OPTIONS, auto_reconnect=False)
    await client.connect()
    try:
        sender = _fast_sender(stack, transport=TelethonTransport(client), window=1)
        stack.sender = sender
        stack.world.limiter = DropAfter(stack, 2)  # type: ignore[assignment]
        await stack.post("kursk_gov", 1, INCIDENT)
        for _ in range(3):
            assert await sender.step() == RECONNECT_POLL
            await asyncio.sleep(0.01)
            stack.clock.advance(RECONNECT_POLL)
        assert sum(_alert_count(stack, u) for u in users) == 2
        assert sender.stats.disconnects == 1 and sender.stats.retried == 0
        assert await stack.db.read(
            "SELECT status, attempts, count(*) FROM outbox GROUP BY 1, 2 ORDER BY 1"
        ) == [("pending", 0, 4), ("sent", 1, 2)]
        await client.connect()
        await stack.drain()
        assert [_alert_count(stack, u) for u in users] == [1] * 6
        assert await stack.db.read(
            "SELECT status, attempts, count(*) FROM outbox GROUP BY 1, 2"
        ) == [("sent", 1, 6)]
    finally:
        await client.disconnect()
