"""The sender when things go wrong: a crash between send and mark, FloodWait, recipients that
blocked the bot or vanished, errors that persist; and Telegram's limits never broken."""

from __future__ import annotations

import asyncio

import pytest
from conftest import ADMIN, CrashAfter, Stack
from fakes import BotLimiter
from telethon import functions

from bot.alerts import subscribers as subs
from bot.alerts.sender import Sender
from bot.alerts.transport import BOT_CLIENT_OPTIONS, TelethonTransport
from bot.storage import to_iso

INCIDENT = "Над Курской областью сбит беспилотник."


async def _subscribers(stack: Stack, n: int) -> list[int]:
    users = [stack.user(f"U{i}") for i in range(n)]
    for user in users:
        await stack.say(user, "/subscribe all")
    return users


def _alert_count(stack: Stack, user: int) -> int:
    return sum(1 for m in stack.chat(user) if m.startswith("🛩"))


async def test_crash_between_send_and_mark_repeats_only_the_message_in_flight(
    stack: Stack,
) -> None:
    """1. five subscribers, one incident: five outbox rows 2. the process dies right after
    Telegram accepted the third message, before it was marked 3. a new sender starts on the
    same database. Result: every subscriber has the alert; exactly one has it twice."""
    users = await _subscribers(stack, 5)
    await stack.post("kursk_gov", 1, INCIDENT)
    crash = CrashAfter(3, stack.db.path)
    stack.world.limiter = crash  # type: ignore[assignment]
    crash.task = asyncio.ensure_future(stack.drain())
    try:
        with pytest.raises(asyncio.CancelledError):
            await crash.task
    finally:
        crash.restart()
    assert sorted(_alert_count(stack, u) for u in users) == [0, 0, 1, 1, 1]
    assert await stack.db.read("SELECT count(*) FROM outbox WHERE status = 'sent'") == [(2,)]
    restarted = Sender(
        stack.db, TelethonTransport(stack.client), clock=stack.clock, now=stack.clock.now
    )
    stack.sender = restarted
    await stack.drain()
    assert sorted(_alert_count(stack, u) for u in users) == [1, 1, 1, 1, 2]
    assert await stack.db.read("SELECT status, count(*) FROM outbox GROUP BY status") == [
        ("sent", 5)
    ]


async def test_floodwait_pauses_only_that_chat_and_requeues(stack: Stack) -> None:
    """A 5-second FloodWait on the first message: the others go at once (Telethon's own
    memory of the wait is per request type, so the transport forgets it), the first goes
    5 seconds later, once."""
    users = await _subscribers(stack, 3)
    stack.clock.advance(1.1)  # the replies to /subscribe used each chat's second
    await stack.post("kursk_gov", 1, INCIDENT)
    stack.world.fail_next(functions.messages.SendMessageRequest, seconds=5)
    start = stack.clock()
    for _ in range(20):
        wait = await stack.sender.step()
        if sum(_alert_count(stack, u) for u in users) == 2:
            break
        assert wait is not None
        stack.clock.advance(max(wait, 0.001))
    assert stack.clock() - start < 0.2
    assert [_alert_count(stack, u) for u in users] == [0, 1, 1]
    assert stack.sender.stats.flood_waits == 1
    await stack.drain()
    assert [_alert_count(stack, u) for u in users] == [1, 1, 1]
    assert stack.clock() - start >= 5.0


async def test_floodwaits_in_several_chats_pause_everything(stack: Stack) -> None:
    users = await _subscribers(stack, 4)
    await stack.post("kursk_gov", 1, INCIDENT)
    stack.world.fail_next(functions.messages.SendMessageRequest, seconds=6, times=2)
    wait = await stack.sender.step()
    while wait is not None and wait < 1:  # the global bucket's short waits
        stack.clock.advance(max(wait, 0.001))
        wait = await stack.sender.step()
    assert wait is not None and wait > 5.0  # everything paused
    assert sum(_alert_count(stack, u) for u in users) == 0
    await stack.drain()
    assert [_alert_count(stack, u) for u in users] == [1, 1, 1, 1]


async def test_blocked_deleted_and_unknown_chats_deactivate_without_retry(stack: Stack) -> None:
    blocked, deleted, fine = await _subscribers(stack, 3)
    async with stack.db.transaction() as conn:  # a chat the bot never talked to
        stranger, _ = await subs.get_or_create(
            conn, chat_id=stack.user("Stranger"), access_hash=None, chat_kind="private",
            name=None, lang="en", now=stack.clock.now(),
        )  # fmt: skip
        await subs.add_regions(conn, stranger.id, ["*"], stack.clock.now())
    stack.world.block_bot(blocked, stack.bot_id)
    stack.world.deactivate(deleted)
    await stack.post("kursk_gov", 1, INCIDENT)
    await stack.post("bryansk_gov", 3, "Над Брянской областью сбит беспилотник.")
    await stack.drain()
    assert _alert_count(stack, fine) == 2
    reasons = await stack.db.read(
        "SELECT chat_id, active, inactive_reason FROM subscribers ORDER BY id"
    )
    assert reasons == [
        (blocked, 0, "UserIsBlockedError"),
        (deleted, 0, "InputUserDeactivatedError"),
        (fine, 1, None),
        (stranger.chat_id, 0, "PeerIdInvalidError"),
    ]
    sends = stack.world.sent(functions.messages.SendMessageRequest)
    tried = [r.peer.user_id for r in sends if r.message.startswith("🛩")]
    # one attempt each; the second alert of a gone chat is dropped, not tried
    assert sorted(tried) == sorted([blocked, deleted, fine, fine, stranger.chat_id])
    await stack.post("kursk_gov", 2, "Над Курской областью сбиты два беспилотника.")
    assert await stack.db.read("SELECT count(*) FROM outbox WHERE status = 'pending'") == [(1,)]
    stack.world.users[blocked].blocked_bots.clear()
    await stack.say(blocked, "/mysubs")  # writing to the bot again reactivates
    assert (
        await stack.db.read("SELECT active FROM subscribers WHERE chat_id = ?", (blocked,))
    ) == [(1,)]


async def test_persistent_errors_back_off_then_park_and_show_in_health(stack: Stack) -> None:
    (user,) = await _subscribers(stack, 1)
    admin = stack.world.add_user("Admin", id=ADMIN)
    await stack.say(admin, "/start")
    await stack.post("kursk_gov", 1, INCIDENT)
    stack.world.fail_next(functions.messages.SendMessageRequest, "SOMETHING_ODD", code=400, times=5)
    start = stack.clock()
    await stack.drain()
    assert _alert_count(stack, user) == 0
    (status, attempts, error), *_ = await stack.db.read(
        "SELECT status, attempts, last_error FROM outbox"
    )
    assert (status, attempts) == ("parked", 5) and "SOMETHING_ODD" in str(error)
    # the backoff between attempts (stored times have whole seconds: up to 1 s early)
    assert stack.clock() - start >= 10 + 20 + 40 + 80 - 1
    (reply,) = await stack.say(admin, "/health")
    assert "0 waiting, 0 held (quiet hours), 1 parked after errors" in reply.message
    assert f"→ {user}: SendFailed" not in reply.message and "SOMETHING_ODD" in reply.message
    await stack.post("kursk_gov", 2, "Над Курской областью сбиты два беспилотника.")
    await stack.drain()
    assert _alert_count(stack, user) == 1  # the next alert goes through


async def test_a_big_fanout_never_breaks_telegrams_limits(stack: Stack) -> None:
    """60 subscribers, the fake enforcing 30/s overall and 1/s per chat on the same virtual
    clock. Result: all 60 delivered, no FloodWait, at the configured 25 per second."""
    assert isinstance(stack.world.limiter, BotLimiter)
    users = await _subscribers(stack, 60)
    stack.world.limiter.flood_waits = 0  # count only the fan-out
    await stack.post("kursk_gov", 1, INCIDENT)
    start = stack.clock()
    await stack.drain()
    assert all(_alert_count(stack, u) == 1 for u in users)
    assert stack.world.limiter.flood_waits == 0 and stack.sender.stats.flood_waits == 0
    elapsed = stack.clock() - start
    assert (60 - 2) / 25 <= elapsed <= 60 / 25 + 0.5


async def test_paused_sender_sends_nothing_until_resumed(stack: Stack) -> None:
    (user,) = await _subscribers(stack, 1)
    await stack.sender.set_paused(True)
    await stack.post("kursk_gov", 1, INCIDENT)
    assert await stack.sender.step() is None
    assert _alert_count(stack, user) == 0
    await stack.sender.set_paused(False)
    await stack.drain()
    assert _alert_count(stack, user) == 1


async def test_due_rows_wait_for_their_backoff(stack: Stack) -> None:
    (user,) = await _subscribers(stack, 1)
    await stack.post("kursk_gov", 1, INCIDENT)
    later = to_iso(stack.clock.now().replace(hour=13))
    await stack.db.read("UPDATE outbox SET not_before = ?", (later,))
    wait = await stack.sender.step()
    assert wait == pytest.approx(3600, abs=1) and _alert_count(stack, user) == 0
    stack.clock.advance(3600)
    await stack.drain()
    assert _alert_count(stack, user) == 1


@pytest.mark.parametrize(
    "options",
    [BOT_CLIENT_OPTIONS, {"flood_sleep_threshold": 0, "request_retries": 0}],
    ids=["the bot's client options", "Telethon's ValueError after its retries"],
)
async def test_telegram_internal_errors_back_off_the_row_instead_of_crashing(
    stack: Stack, options: dict[str, object]
) -> None:
    """Telegram answers 500 INTERNAL: Telethon gives up (raising the ServerError, or
    `ValueError: Request was unsuccessful` when built without raise_last_call_error). The
    sender survives, counts one attempt and backs the row off; later it goes, once."""
    (user,) = await _subscribers(stack, 1)
    client = stack.world.client(stack.bot_id, **options)
    await client.connect()
    try:
        sender = Sender(stack.db, TelethonTransport(client), clock=stack.clock, now=stack.clock.now)
        stack.sender = sender
        stack.clock.advance(1.1)
        await stack.post("kursk_gov", 1, INCIDENT)
        stack.world.fail_next(functions.messages.SendMessageRequest, "INTERNAL", code=500)
        wait = await sender.step()
        assert wait is not None and wait >= 9  # the first backoff: 10 s
        (status, attempts, error), *_ = await stack.db.read(
            "SELECT status, attempts, last_error FROM outbox"
        )
        assert (status, attempts) == ("pending", 1)
        assert "INTERNAL" in str(error) or "unsuccessful" in str(error)
        assert sender.stats.retried == 1 and _alert_count(stack, user) == 0
        await stack.drain()
        assert _alert_count(stack, user) == 1
    finally:
        await client.disconnect()


def _sends_to(stack: Stack, user: int) -> int:
    return sum(
        1 for r in stack.world.sent(functions.messages.SendMessageRequest)
        if getattr(r.peer, "user_id", None) == user and r.message.startswith("🛩")
    )  # fmt: skip


async def test_a_long_floodwait_outlives_a_restart(stack: Stack) -> None:
    """1. Telegram answers FLOOD_WAIT_120 for one chat 2. the sender restarts at once.
    Result: the new sender does not write to that chat before the 120 s are over (the
    wait is kept on the chat's queued rows), the other chat is served, and afterwards the
    alert goes once."""
    slow, fine = await _subscribers(stack, 2)
    stack.clock.advance(1.1)
    await stack.post("kursk_gov", 1, INCIDENT)
    stack.world.fail_next(functions.messages.SendMessageRequest, seconds=120, account=None)
    await stack.sender.step()
    assert _sends_to(stack, slow) == 1 and _alert_count(stack, fine) == 1
    stack.sender = Sender(
        stack.db, TelethonTransport(stack.client), clock=stack.clock, now=stack.clock.now
    )
    for _ in range(5):
        stack.clock.advance(10)
        await stack.sender.step()
    assert _sends_to(stack, slow) == 1  # nothing sent into the wait
    await stack.drain()
    assert _alert_count(stack, slow) == 1 and stack.clock() - 1000 >= 120


async def test_a_long_pause_of_everything_outlives_a_restart(stack: Stack) -> None:
    """FloodWaits of 90 s in two chats at once pause all sending; a restarted sender keeps
    the pause (it is remembered in the database) instead of sending into it."""
    users = await _subscribers(stack, 3)
    stack.clock.advance(1.1)
    await stack.post("kursk_gov", 1, INCIDENT)
    stack.world.fail_next(functions.messages.SendMessageRequest, seconds=90, times=2)
    wait = await stack.sender.step()
    while wait is not None and wait < 1:
        stack.clock.advance(max(wait, 0.001))
        wait = await stack.sender.step()
    await stack.sender.finish()  # it stops: the sends still in flight are answered first
    before = len(stack.world.sent(functions.messages.SendMessageRequest))
    stack.sender = Sender(
        stack.db, TelethonTransport(stack.client), clock=stack.clock, now=stack.clock.now
    )
    await stack.sender.load_state()
    stack.clock.advance(30)
    await stack.sender.step()
    assert len(stack.world.sent(functions.messages.SendMessageRequest)) == before
    await stack.drain()
    assert [_alert_count(stack, u) for u in users] == [1, 1, 1]
