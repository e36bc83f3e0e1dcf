"""Alerts end to end: a live post -> pipeline -> outbox -> sender -> real Telethon -> the fake
Telegram, read back from the subscribers' chats as they would see them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import Stack
from telethon import functions, types
from telethon.errors import MessageIdInvalidError

from bot.models import DeletedPost, EditedPost, NewPost, Post, Source
from bot.pipeline import Pipeline

SMOLENSK = "Над Смоленской областью уничтожены два беспилотника. Пострадавших нет."


_REPLIES: dict[int, int] = {}


async def _subscriber(stack: Stack, *commands: str) -> int:
    """A user who sent `commands`; what the bot writes to them after that is alerts."""
    user = stack.user()
    for command in commands:
        await stack.say(user, command)
    _REPLIES[user] = len(stack.chat(user))
    return user


def _alerts(stack: Stack, user: int) -> list[str]:
    """The bot's messages in the chat after the command replies, as they read now."""
    return stack.chat(user)[_REPLIES[user] :]


async def _statuses(stack: Stack) -> list[tuple[str, str]]:
    rows = await stack.db.read("SELECT purpose, status FROM outbox ORDER BY id")
    return [(str(p), str(s)) for p, s in rows]


async def test_incident_reaches_matching_subscribers_in_their_language(stack: Stack) -> None:
    ru = await _subscriber(stack, "/language ru", "/subscribe Смоленск")
    en = await _subscriber(stack, "/subscribe Kursk")
    uk = await _subscriber(stack, "/language uk", "/subscribe all")
    await stack.post("smolensk_gov", 101, SMOLENSK)
    await stack.drain()
    (ru_alert,) = _alerts(stack, ru)
    assert ru_alert.startswith("🛩 Смоленская область: уничтожены 2 БПЛА. Пострадавших нет.\n")
    assert "Источник: @smolensk_gov, 14.03 " in ru_alert and "MSK" in ru_alert
    (uk_alert,) = _alerts(stack, uk)
    assert uk_alert.startswith("🛩 Смоленська область: знищено 2 БпЛА. Постраждалих немає.\n")
    assert _alerts(stack, en) == []
    message = stack.world.private_messages(ru, stack.bot_id)[-1]
    links = [e.url for e in message.entities if isinstance(e, types.MessageEntityTextUrl)]
    assert links == ["https://t.me/smolensk_gov/101"]
    assert await _statuses(stack) == [("alert", "sent"), ("alert", "sent")]


async def test_post_text_is_escaped_and_arrives_literally(stack: Stack) -> None:
    user = await _subscriber(stack, "/subscribe all")
    hostile = 'Сбит беспилотник над Курском. <b>bold</b> *star* [x](y) & <a href="z">q</a>'
    await stack.post("kursk_gov", 7, hostile)
    await stack.drain()
    message = stack.world.private_messages(user, stack.bot_id)[-1]
    assert message.message.endswith(hostile)
    kinds = {type(e).__name__ for e in message.entities}
    assert kinds == {"MessageEntityBold", "MessageEntityTextUrl", "MessageEntityBlockquote"}
    quote = next(e for e in message.entities if isinstance(e, types.MessageEntityBlockquote))
    text16 = message.message.encode("utf-16-le")
    quoted = text16[quote.offset * 2 : (quote.offset + quote.length) * 2].decode("utf-16-le")
    assert quoted == hostile


async def test_a_very_long_post_still_fits_one_message(stack: Stack) -> None:
    user = await _subscriber(stack, "/subscribe all")
    await stack.post("kursk_gov", 8, "Сбит беспилотник над Курском. " + "слово " * 3000)
    await stack.drain()
    (alert,) = _alerts(stack, user)
    assert len(alert.encode("utf-16-le")) // 2 <= 4096
    assert alert.endswith("…")


async def test_outbox_rows_commit_or_roll_back_with_the_post(stack: Stack) -> None:
    """1. a subscriber; a post whose transaction fails after the enqueuer wrote its rows
    Result: neither the post nor any outbox row exists. 2. the same post again, no failure
    Result: both exist."""
    await _subscriber(stack, "/subscribe all")

    async def enqueue_then_fail(conn, results):  # type: ignore[no-untyped-def]
        await stack.enqueuer(conn, results)
        raise RuntimeError("power cut after the outbox rows were written")

    failing = Pipeline(stack.db, on_ingested=enqueue_then_fail, now=stack.clock.now)
    post = Post(
        "kursk_gov", None, 9, stack.clock.now(), "Сбит беспилотник над Курском.", Source.LIVE
    )
    with pytest.raises(RuntimeError, match="power cut"):
        await failing.ingest(NewPost(post))
    assert await stack.db.read("SELECT count(*) FROM posts") == [(0,)]
    assert await stack.db.read("SELECT count(*) FROM outbox") == [(0,)]
    await stack.pipeline.ingest(NewPost(post))
    assert await stack.db.read("SELECT count(*) FROM posts") == [(1,)]
    assert await stack.db.read("SELECT count(*) FROM outbox") == [(1,)]


async def test_edit_of_an_alerted_post_edits_the_message_instead_of_a_second_alert(
    stack: Stack,
) -> None:
    user = await _subscriber(stack, "/subscribe Smolensk")
    await stack.post("smolensk_gov", 101, SMOLENSK)
    await stack.drain()
    stack.clock.advance(600)
    edited = Post(
        "smolensk_gov", None, 101, stack.clock.now(), SMOLENSK.replace("два", "три"),
        Source.LIVE, edited_at=stack.clock.now(),
    )  # fmt: skip
    await stack.pipeline.ingest(EditedPost(edited))
    await stack.drain()
    (alert,) = _alerts(stack, user)
    assert alert.startswith("✏️ Corrected: 14.03 12:")
    assert "🛩 Smolensk Oblast: 3 drones destroyed. No casualties." in alert
    assert len(stack.world.sent(functions.messages.EditMessageRequest)) == 1
    assert await _statuses(stack) == [("alert", "sent"), ("correction", "sent")]
    shown = await stack.db.read(
        "SELECT a.telegram_message_id, a.revision, a.sources, a.post_id, p.message_id"
        " FROM sent_alerts AS a JOIN posts AS p ON p.id = a.post_id"
    )
    message_id = stack.world.private_messages(stack.bot_id, user)[-1].id
    assert shown == [(message_id, 2, 1, 1, 101)]  # the same message, now at revision 2


async def test_correction_of_an_old_alert_is_a_reply(stack: Stack) -> None:
    user = await _subscriber(stack, "/subscribe Smolensk")
    await stack.post("smolensk_gov", 101, SMOLENSK)
    await stack.drain()
    stack.clock.advance(49 * 3600)
    edited = Post(
        "smolensk_gov", None, 101, stack.clock.now(), SMOLENSK.replace("два", "три"),
        Source.LIVE, edited_at=stack.clock.now(),
    )  # fmt: skip
    await stack.pipeline.ingest(EditedPost(edited))
    await stack.drain()
    first, reply = _alerts(stack, user)
    assert "2 drones destroyed" in first  # untouched
    assert reply.startswith("✏️ Correction to the alert above:\n🛩 Smolensk Oblast: 3 drones")
    messages = stack.world.private_messages(user, stack.bot_id)
    assert messages[-1].reply_to.reply_to_msg_id == next(
        m.id for m in messages if m.message == first
    )
    assert stack.world.sent(functions.messages.EditMessageRequest) == []


async def test_an_edit_that_telegram_refuses_becomes_a_reply(stack: Stack) -> None:
    user = await _subscriber(stack, "/subscribe Smolensk")
    await stack.post("smolensk_gov", 101, SMOLENSK)
    await stack.drain()
    stack.world.fail_next(functions.messages.EditMessageRequest, MessageIdInvalidError)
    edited = Post(
        "smolensk_gov", None, 101, stack.clock.now(), SMOLENSK.replace("два", "три"),
        Source.LIVE, edited_at=stack.clock.now(),
    )  # fmt: skip
    await stack.pipeline.ingest(EditedPost(edited))
    await stack.drain()
    assert [a.split("\n")[0] for a in _alerts(stack, user)] == [
        "🛩 Smolensk Oblast: 2 drones destroyed. No casualties.",
        "✏️ Correction to the alert above:",
    ]


async def test_edit_before_delivery_sends_the_current_facts_once(stack: Stack) -> None:
    user = await _subscriber(stack, "/subscribe Smolensk")
    await stack.post("smolensk_gov", 101, SMOLENSK)
    edited = Post(
        "smolensk_gov", None, 101, stack.clock.now(), SMOLENSK.replace("два", "три"),
        Source.LIVE, edited_at=stack.clock.now(),
    )  # fmt: skip
    await stack.pipeline.ingest(EditedPost(edited))
    await stack.drain()
    (alert,) = _alerts(stack, user)
    assert alert.startswith("🛩 Smolensk Oblast: 3 drones destroyed.")
    assert await _statuses(stack) == [("alert", "sent"), ("correction", "skipped")]


async def test_retraction_and_deletion_are_corrections(stack: Stack) -> None:
    user = await _subscriber(stack, "/subscribe all")
    await stack.post("kursk_gov", 1, "Над Курчатовом сбит беспилотник.")
    await stack.post("kursk_gov", 2, "Над Рыльском сбит беспилотник.")
    await stack.drain()
    stack.clock.advance(60)
    retracted = Post(
        "kursk_gov", None, 1, stack.clock.now(), "Поздравляем победителей олимпиады по физике!",
        Source.LIVE, edited_at=stack.clock.now(),
    )  # fmt: skip
    await stack.pipeline.ingest(EditedPost(retracted))
    await stack.pipeline.ingest(
        DeletedPost("kursk_gov", None, (2,), stack.clock.now(), Source.LIVE)
    )
    await stack.drain()
    first, second = _alerts(stack, user)
    assert "❌ The source no longer reports this." in first
    assert "🗑 The source deleted the post." in second


async def test_same_incident_from_two_channels_is_one_message_with_both_sources(
    stack: Stack,
) -> None:
    user = await _subscriber(stack, "/subscribe all")
    await stack.post("smolensk_gov", 101, SMOLENSK)
    await stack.drain()
    stack.clock.advance(300)
    await stack.post(
        "drone_wire", 5, "Two UAVs downed over Smolensk Oblast, no casualties, governor says."
    )
    await stack.drain()
    (alert,) = _alerts(stack, user)
    assert "Also reported by: @drone_wire" in alert
    stack.clock.advance(3600)  # outside DEDUP_WINDOW: a new incident
    await stack.post("drone_wire", 6, "Two UAVs downed over Smolensk Oblast again.")
    await stack.drain()
    assert len(_alerts(stack, user)) == 2
    assert await stack.db.read("SELECT id, sources FROM alerts ORDER BY id") == [(1, 2), (2, 1)]


async def test_old_posts_and_imports_do_not_alert(stack: Stack) -> None:
    await _subscriber(stack, "/subscribe all")
    await stack.post(
        "kursk_gov", 1, "Сбит беспилотник над Курском.", date=stack.clock.now() - timedelta(hours=3)
    )
    imported = Post(
        "kursk_gov", None, 2, stack.clock.now(), "Сбит беспилотник над Курском.", Source.IMPORT
    )
    await stack.pipeline.ingest(NewPost(imported))
    assert await stack.db.read("SELECT count(*) FROM outbox") == [(0,)]
    assert stack.enqueuer.stats.too_old == 1


async def test_incidents_go_before_threats(stack: Stack) -> None:
    users = [await _subscriber(stack, "/subscribe all threats") for _ in range(3)]
    await stack.post("kursk_gov", 1, "Внимание! В Курской области объявлена беспилотная опасность.")
    await stack.post("kursk_gov", 2, "Над Курской областью сбит беспилотник.")
    await stack.drain()
    texts = [r.message for r in stack.world.sent(functions.messages.SendMessageRequest)]
    alerts = [t[:2] for t in texts if t[:1] in "🛩⚠"]
    assert alerts == ["🛩 "] * 3 + ["⚠️"] * 3
    for user in users:
        assert len(_alerts(stack, user)) == 2


async def test_quiet_hours_hold_alerts_and_send_one_summary_afterwards(stack: Stack) -> None:
    user = await _subscriber(stack, "/subscribe all", "/quiet 12:00-13:00")
    await stack.post("kursk_gov", 1, "Над Курской областью сбит беспилотник.")
    stack.clock.advance(120)
    await stack.post("bryansk_gov", 2, "Над Брянской областью уничтожены два БПЛА.")
    await stack.drain()
    assert _alerts(stack, user) == []
    assert [s for _, s in await _statuses(stack)] == ["held", "held"]
    stack.clock.advance(3600)
    await stack.drain()
    (summary,) = _alerts(stack, user)
    lines = summary.splitlines()
    assert lines[0] == "🌙 Alerts during your quiet hours: 2"
    assert "Kursk Oblast: 1 drone destroyed." in lines[1]
    assert "Bryansk Oblast: 2 drones destroyed." in lines[2]
    assert [s for _, s in await _statuses(stack)] == ["summarized", "summarized", "sent"]


async def test_mute_drops_alerts_until_it_ends(stack: Stack) -> None:
    user = await _subscriber(stack, "/subscribe all", "/mute 1h")
    await stack.post("kursk_gov", 1, "Над Курской областью сбит беспилотник.")
    await stack.drain()
    assert _alerts(stack, user) == []
    stack.clock.advance(3601)
    await stack.post("kursk_gov", 2, "Над Курской областью сбиты два беспилотника.")
    await stack.drain()
    (alert,) = _alerts(stack, user)
    assert "2 drones destroyed" in alert
    assert [s for _, s in await _statuses(stack)] == ["muted", "sent"]


async def test_an_old_post_edited_into_an_incident_now_is_alerted(stack: Stack) -> None:
    """Freshness counts from the edit: a 3-hour-old post that now reports a downed drone."""
    user = await _subscriber(stack, "/subscribe all")
    old = stack.clock.now() - timedelta(hours=3)
    await stack.post("kursk_gov", 1, "Доброе утро, Курская область!", date=old)
    edited = Post(
        "kursk_gov", None, 1, old, "Над Курской областью сбит беспилотник.", Source.LIVE,
        edited_at=stack.clock.now(),
    )  # fmt: skip
    await stack.pipeline.ingest(EditedPost(edited))
    await stack.drain()
    (alert,) = _alerts(stack, user)
    assert alert.startswith("🛩 Kursk Oblast: 1 drone destroyed.")


async def test_the_quiet_hours_summary_leaves_out_what_was_retracted(stack: Stack) -> None:
    """1. quiet hours 2. an incident (held), then its post is edited into a non-incident
    3. another incident 4. quiet hours end. Result: the summary lists only the second."""
    user = await _subscriber(stack, "/subscribe all", "/quiet 12:00-13:00")
    await stack.post("kursk_gov", 1, "Над Курской областью сбит беспилотник.")
    await stack.drain()
    retracted = Post(
        "kursk_gov", None, 1, stack.clock.now(), "Поздравляем победителей олимпиады по физике!",
        Source.LIVE, edited_at=stack.clock.now(),
    )  # fmt: skip
    await stack.pipeline.ingest(EditedPost(retracted))
    stack.clock.advance(120)
    await stack.post("bryansk_gov", 2, "Над Брянской областью уничтожены два БПЛА.")
    await stack.drain()
    stack.clock.advance(3600)
    await stack.drain()
    (summary,) = _alerts(stack, user)
    lines = summary.splitlines()
    assert lines[0] == "🌙 Alerts during your quiet hours: 1"
    assert "Bryansk Oblast: 2 drones destroyed." in lines[1] and len(lines) == 2


async def test_no_summary_when_every_held_alert_was_withdrawn(stack: Stack) -> None:
    """Every alert held during quiet hours was deleted or retracted by its source: nothing
    is sent afterwards, and the held rows are skipped."""
    user = await _subscriber(stack, "/subscribe all", "/quiet 12:00-13:00")
    await stack.post("kursk_gov", 1, "Над Курской областью сбит беспилотник.")
    await stack.post("bryansk_gov", 2, "Над Брянской областью уничтожены два БПЛА.")
    await stack.drain()
    await stack.pipeline.ingest(
        DeletedPost("kursk_gov", None, (1,), stack.clock.now(), Source.LIVE)
    )
    retracted = Post(
        "bryansk_gov", None, 2, stack.clock.now(), "Хорошего дня!", Source.LIVE,
        edited_at=stack.clock.now(),
    )  # fmt: skip
    await stack.pipeline.ingest(EditedPost(retracted))
    stack.clock.advance(3600)
    await stack.drain()
    assert _alerts(stack, user) == []
    statuses = await stack.db.read("SELECT purpose, status FROM outbox ORDER BY id")
    assert [s for p, s in statuses if p == "alert"] == ["skipped", "skipped"]
    assert [p for p, _ in statuses] == ["alert", "alert"]  # no summary row, no correction


async def test_a_second_incident_goes_out_among_a_running_fanout_not_behind_it(
    stack: Stack,
) -> None:
    """1. an incident in Kursk for 20 subscribers; the sender is under way (4 sent) 2. an
    incident in Bryansk, for two other subscribers. Result: both Bryansk alerts go within
    the next few messages, long before the Kursk fan-out ends."""
    for _ in range(20):
        await _subscriber(stack, "/subscribe Kursk")
    bryansk = [await _subscriber(stack, "/subscribe Bryansk") for _ in range(2)]
    stack.clock.advance(1.1)
    await stack.post("kursk_gov", 1, "Над Курской областью сбит беспилотник.")

    def alerts_sent() -> list[bool]:
        """Per alert sent so far: is it Bryansk's?"""
        sent = stack.world.sent(functions.messages.SendMessageRequest)
        return ["Bryansk" in r.message for r in sent if r.message.startswith("🛩")]

    while len(alerts_sent()) < 4:
        stack.clock.advance(max(await stack.sender.step() or 0.0, 0.001))
    await stack.post("bryansk_gov", 2, "Над Брянской областью уничтожены два БПЛА.")
    await stack.drain()
    order = alerts_sent()
    assert len(order) == 22 and order[:4] == [False] * 4
    assert order.index(True) <= 6 and True in order[order.index(True) + 1 : 10]
    assert all(len(_alerts(stack, u)) == 1 for u in bryansk)
