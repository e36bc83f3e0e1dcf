"""Batched delivered marks, and why they repeat nothing after a crash.

The sender commits the marks of plain alerts in batches (see `bot/alerts/sender.py`), so a
crash can leave several delivered alerts pending, and up to WINDOW more that were in flight
(sent, not answered yet). Each row's message carries a random_id derived from the row, and
Telegram keeps one message per random_id (the fake does too with `remember_random_ids`): the
restarted sender's resend is answered with the message already in the chat. With
`mark_batch=1` and `window=1` the sender relies on nothing from Telegram.
"""

from __future__ import annotations

import asyncio
import math

import pytest
from conftest import CrashAfter, Stack
from telethon import functions, types

from bot.alerts.ratelimit import SendLimiter
from bot.alerts.sender import Sender
from bot.alerts.transport import TelethonTransport
from bot.alerts.window import WINDOW

INCIDENT = "Над Курской областью сбит беспилотник."


async def _subscribers(stack: Stack, n: int) -> list[int]:
    users = [stack.user(f"U{i}") for i in range(n)]
    for user in users:
        await stack.say(user, "/subscribe all")
    stack.clock.advance(1.1)  # each chat's second was used by the reply
    return users


def _fast_sender(stack: Stack, mark_batch: int, window: int = WINDOW) -> Sender:
    """No rate limits on our side: one step sends every row (the burst case). Its clock
    moves 1 ms per reading, as a real one would between sends, so the (huge) global
    bucket refills between messages."""

    def ticking() -> float:
        stack.clock.advance(0.001)
        return stack.clock()

    limiter = SendLimiter(1e9, ceiling=math.inf)
    transport = TelethonTransport(stack.client)
    return Sender(stack.db, transport, limiter=limiter, clock=ticking,
                  now=stack.clock.now, mark_batch=mark_batch, window=window)  # fmt: skip


def _alerts(stack: Stack, user: int) -> list[types.Message]:
    return [
        m for m in stack.world.private_messages(user, stack.bot_id)
        if not m.out and m.message.startswith("🛩")
    ]  # fmt: skip


async def _crash_after(stack: Stack, n: int, mark_batch: int, window: int = WINDOW) -> None:
    crash = CrashAfter(n, stack.db.path)
    stack.world.limiter = crash  # type: ignore[assignment]
    stack.sender = _fast_sender(stack, mark_batch, window)
    crash.task = asyncio.ensure_future(stack.drain())
    try:
        with pytest.raises(asyncio.CancelledError):
            await crash.task
    finally:
        crash.restart()


async def test_crash_inside_a_batch_shows_every_alert_once(stack: Stack) -> None:
    """1. ten subscribers, one incident, marks batched by 64, up to WINDOW sends in flight
    2. the process dies right after Telegram accepted the 7th message: every delivered
    alert is unmarked, the 7th and those sent with it were in flight 3. a new sender starts
    on the same database. Result: every subscriber has the alert exactly once; every row is
    marked with the id of the message in its chat."""
    stack.world.remember_random_ids = True
    users = await _subscribers(stack, 10)
    await stack.post("kursk_gov", 1, INCIDENT)
    await _crash_after(stack, 7, mark_batch=64)
    before = sorted(len(_alerts(stack, u)) for u in users)
    assert set(before) <= {0, 1} and sum(before) >= 7  # the 7th and the ones in flight with it
    assert await stack.db.read("SELECT count(*) FROM outbox WHERE status = 'sent'") == [(0,)]
    stack.sender = _fast_sender(stack, 64)
    await stack.drain()
    assert [len(_alerts(stack, u)) for u in users] == [1] * 10
    marked = dict(
        await stack.db.read(
            "SELECT s.chat_id, o.telegram_message_id FROM outbox AS o"
            " JOIN subscribers AS s ON s.id = o.subscriber_id WHERE o.status = 'sent'"
        )
    )
    bot_side = {
        u: [m.id for m in stack.world.private_messages(stack.bot_id, u) if m.out][-1] for u in users
    }
    assert marked == bot_side


async def test_without_telegrams_memory_mark_batch_1_repeats_only_the_message_in_flight(
    stack: Stack,
) -> None:
    """The same crash against a Telegram that forgot the random_ids: with one send in
    flight at a time and one commit per message, exactly the one message in flight is
    shown twice."""
    users = await _subscribers(stack, 10)
    await stack.post("kursk_gov", 1, INCIDENT)
    await _crash_after(stack, 7, mark_batch=1, window=1)
    assert await stack.db.read("SELECT count(*) FROM outbox WHERE status = 'sent'") == [(6,)]
    stack.sender = _fast_sender(stack, 1, window=1)
    await stack.drain()
    assert sorted(len(_alerts(stack, u)) for u in users) == [1] * 9 + [2]


async def test_without_telegrams_memory_a_crash_repeats_at_most_the_window(
    stack: Stack,
) -> None:
    """The same crash with WINDOW sends in flight and one commit per answer: what is shown
    twice is at most what was in flight (sent, answer not taken in), never an answered one."""
    users = await _subscribers(stack, 20)
    await stack.post("kursk_gov", 1, INCIDENT)
    await _crash_after(stack, 7, mark_batch=1)
    ((marked,),) = await stack.db.read("SELECT count(*) FROM outbox WHERE status = 'sent'")
    delivered = sum(len(_alerts(stack, u)) for u in users)
    assert 0 < delivered - int(marked) <= WINDOW  # type: ignore[call-overload]
    stack.sender = _fast_sender(stack, 1)
    await stack.drain()
    counts = [len(_alerts(stack, u)) for u in users]
    assert set(counts) <= {1, 2} and counts.count(2) == delivered - int(marked)  # type: ignore[call-overload]


@pytest.mark.parametrize("window", [1, WINDOW])
async def test_a_crash_leaves_at_most_two_batches_unmarked_and_a_step_end_none(
    stack: Stack, window: int
) -> None:
    """Thirty alerts, batches of 4 (each committed while the next is sent): the crash
    after the 25th message finds at most two batches and the sends in flight unmarked; a
    step that finishes leaves nothing unmarked; against a Telegram that forgot the
    random_ids exactly the unmarked ones are shown again."""
    users = await _subscribers(stack, 30)
    await stack.post("kursk_gov", 1, INCIDENT)
    await _crash_after(stack, 25, mark_batch=4, window=window)
    ((marked,),) = await stack.db.read("SELECT count(*) FROM outbox WHERE status = 'sent'")
    delivered = sum(len(_alerts(stack, u)) for u in users)
    assert delivered - window - 2 * 4 <= int(marked) <= delivered - 1  # type: ignore[call-overload]
    stack.world.limiter = None
    stack.sender = _fast_sender(stack, 4, window)
    assert await stack.sender.step() is None
    assert await stack.db.read("SELECT status, count(*) FROM outbox GROUP BY status") == [
        ("sent", 30)
    ]
    assert sum(len(_alerts(stack, u)) for u in users) == 30 + delivered - int(marked)  # type: ignore[call-overload]


async def test_the_fake_answers_a_repeated_random_id_with_the_first_message(
    stack: Stack,
) -> None:
    """What the argument rests on, as the fake models Telegram: the same random_id to the
    same chat returns the first message (no second one)."""
    stack.world.remember_random_ids = True
    (first,) = await _subscribers(stack, 1)

    async def send(user: int, text: str) -> int:
        request = functions.messages.SendMessageRequest(
            peer=types.InputPeerUser(user, 0), message=text, random_id=4242
        )
        answer = await stack.client(request)
        if isinstance(answer, types.UpdateShortSentMessage):
            return int(answer.id)
        return next(u.id for u in answer.updates if isinstance(u, types.UpdateMessageID))

    before = len(stack.world.private_messages(first, stack.bot_id))
    original = await send(first, "one")
    stack.clock.advance(1.1)
    assert await send(first, "one") == original
    assert len(stack.world.private_messages(first, stack.bot_id)) == before + 1
    stack.world.remember_random_ids = False  # a Telegram that forgot: a second message
    assert await send(first, "one") != original
    assert len(stack.world.private_messages(first, stack.bot_id)) == before + 2
