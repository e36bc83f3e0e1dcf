"""Every bot command through the real Telethon event path: a subscriber's message reaches the
fake Telegram, is pushed to the bot's real client, handled, and answered in the chat."""

from __future__ import annotations

import logging

import pytest
from conftest import ADMIN, Stack
from fakes.testing import eventually
from telethon import functions, types

from bot.alerts import subscribers as subs
from bot.botui import archive
from bot.models import Label


async def _sub(stack: Stack, user: int) -> subs.Subscriber:
    async with stack.db.transaction() as conn:
        found = await subs.by_chat(conn, user)
    assert found is not None
    return found


def _buttons(message: types.Message) -> list[tuple[str, str]]:
    markup = message.reply_markup
    assert isinstance(markup, types.ReplyInlineMarkup), "expected an inline keyboard"
    return [(b.text, b.type.data.decode()) for row in markup.rows for b in row.buttons]


async def _press(stack: Stack, user: int, message: types.Message, data: str) -> types.Message:
    """Tap a button under the bot's message; wait for the message to change; return it."""
    bot_copy = next(
        m for m in stack.world.private_messages(stack.bot_id, user) if m.message == message.message
    )
    query = stack.world.press_button(user, stack.bot_id, bot_copy.id, data.encode())
    await eventually(lambda: query in stack.world.callback_answers)
    await stack.settle()
    return next(m for m in stack.world.private_messages(user, stack.bot_id) if m.id == message.id)


async def test_start_welcomes_registers_and_offers_buttons(stack: Stack) -> None:
    user = stack.user()
    (reply,) = await stack.say(user, "/start")
    assert reply.message.startswith("👋 Hello!")
    assert ("🗺 Regions", "m:r") in _buttons(reply)
    assert ("Українська", "l:uk") in _buttons(reply)
    sub = await _sub(stack, user)
    assert (sub.lang, sub.tz, sub.active, sub.kinds) == ("en", "UTC", True, {Label.UAV_INCIDENT})


async def test_language_switch_by_argument_and_by_button(stack: Stack) -> None:
    user = stack.user()
    (reply,) = await stack.say(user, "/language uk")
    assert reply.message == "Мова: українська."
    (reply,) = await stack.say(user, "/help")
    assert reply.message.startswith("Команди") and "/subscribe [регіон|all]" in reply.message
    (reply,) = await stack.say(user, "/language")
    assert reply.message == "Оберіть мову:"
    edited = await _press(stack, user, reply, "l:ru")
    assert edited.message == "Язык: русский."
    (reply,) = await stack.say(user, "/mysubs")
    assert reply.message.startswith("Ваши подписки") and "Язык: Русский" in reply.message
    assert (await _sub(stack, user)).lang == "ru"


@pytest.mark.parametrize(
    "query", ["смоленск", "Smolensk", "Смоленщина", "СМОЛЕНСКОЙ", "smolensk oblast", "Смоленськ"]
)
async def test_typed_region_in_any_language_or_case_subscribes_at_once(
    stack: Stack, query: str
) -> None:
    user = stack.user()
    (reply,) = await stack.say(user, f"/subscribe {query}")
    assert reply.message == "✅ Subscribed: Smolensk (incidents)."
    assert (await _sub(stack, user)).regions == {"RU-SMO"}


async def test_subscribe_all_and_kind_words(stack: Stack) -> None:
    user = stack.user()
    (reply,) = await stack.say(user, "/subscribe all")
    assert reply.message == "✅ Subscribed: all regions (incidents)."
    (reply,) = await stack.say(user, "/subscribe Kursk threats")
    assert reply.message == "✅ Subscribed: Kursk (incidents, threats)."
    sub = await _sub(stack, user)
    assert sub.regions == {"*", "RU-KRS"}  # "all" stays; Kursk is kept for when it goes
    assert sub.kinds == {Label.UAV_INCIDENT, Label.UAV_THREAT}


async def test_ambiguous_name_offers_choices_and_unknown_name_says_so(stack: Stack) -> None:
    user = stack.user()
    (reply,) = await stack.say(user, "/subscribe моск")
    assert reply.message == "Several regions match «моск». Choose one:"
    assert ("Moscow", "p:RU-MOW") in _buttons(reply)
    edited = await _press(stack, user, reply, "p:RU-MOS")
    assert edited.message == "✅ Subscribed: Moscow (incidents)."  # the oblast, shortened
    assert (await _sub(stack, user)).regions == {"RU-MOS"}
    (reply,) = await stack.say(user, "/subscribe Atlantis")
    assert reply.message.startswith("No region «Atlantis».")


async def test_menu_buttons_toggle_regions_kinds_and_channels(stack: Stack) -> None:
    await stack.pipeline.ensure_channel(username="smolensk_gov")
    async with stack.db.transaction() as conn:
        await archive.set_watched(conn, "smolensk_gov", True)
    user = stack.user()
    (menu,) = await stack.say(user, "/subscribe")
    assert menu.message.startswith("Regions: tap to switch") and menu.message.endswith(
        "Now: nothing"
    )
    assert ("Smolensk", "r:RU-SMO") in _buttons(menu)
    menu = await _press(stack, user, menu, "r:RU-SMO")
    assert ("✅ Smolensk", "r:RU-SMO") in _buttons(menu) and menu.message.endswith(
        "Smolensk Oblast"
    )
    menu = await _press(stack, user, menu, "m:k")
    assert menu.message.startswith("What to send")
    menu = await _press(stack, user, menu, "k:uav_threat")
    assert ("✅ threats", "k:uav_threat") in _buttons(menu)
    menu = await _press(stack, user, menu, "m:c")
    assert ("@smolensk_gov", "c:smolensk_gov") in _buttons(menu)
    menu = await _press(stack, user, menu, "c:smolensk_gov")
    assert ("✅ @smolensk_gov", "c:smolensk_gov") in _buttons(menu)
    menu = await _press(stack, user, menu, "m:d")
    assert (
        "Channels: @smolensk_gov" in menu.message
        and "What to send: incidents, threats" in menu.message
    )
    sub = await _sub(stack, user)
    assert (sub.regions, sub.channels) == ({"RU-SMO"}, {"smolensk_gov"})
    menu = await _press(stack, user, menu, "m:r")
    menu = await _press(stack, user, menu, "r:RU-SMO")  # off again
    assert (await _sub(stack, user)).regions == frozenset()


async def test_unsubscribe_by_name_by_button_and_everything(stack: Stack) -> None:
    user = stack.user()
    (reply,) = await stack.say(user, "/unsubscribe")
    assert reply.message == "No subscriptions. Subscribe: /subscribe"
    await stack.say(user, "/subscribe Kursk")
    await stack.say(user, "/subscribe Bryansk")
    await stack.say(user, "/subscribe Belgorod")
    (reply,) = await stack.say(user, "/unsubscribe курск")
    assert reply.message == "❌ Unsubscribed: Kursk."
    (reply,) = await stack.say(user, "/unsubscribe Kharkiv")
    assert reply.message.startswith("You are not subscribed to Kharkiv.")
    (reply,) = await stack.say(user, "/unsubscribe")
    assert ("❌ Bryansk", "u:RU-BRY") in _buttons(reply)
    edited = await _press(stack, user, reply, "u:RU-BRY")
    assert edited.message == "❌ Unsubscribed: Bryansk."
    (reply,) = await stack.say(user, "/unsubscribe all")
    assert reply.message.startswith("❌ No subscriptions left.")
    assert (await _sub(stack, user)).regions == frozenset()


async def test_latest_and_stats_read_the_archive(stack: Stack) -> None:
    await stack.post("kursk_gov", 1, "Над Курской областью сбиты три беспилотника.")
    await stack.post("bryansk_gov", 2, "Над Брянской областью уничтожен БПЛА. Пострадавших нет.")
    await stack.post("bryansk_gov", 3, "Поздравляю жителей с праздником!")
    user = stack.user()
    (reply,) = await stack.say(user, "/latest")
    lines = reply.message.splitlines()
    assert lines[0] == "Latest incidents" and len(lines) == 3
    assert "Bryansk Oblast: 1 drone destroyed. No casualties." in lines[1]
    links = [e.url for e in reply.entities if isinstance(e, types.MessageEntityTextUrl)]
    assert links == ["https://t.me/bryansk_gov/2", "https://t.me/kursk_gov/1"]
    (reply,) = await stack.say(user, "/latest Kursk 5")
    assert reply.message.splitlines()[0] == "Latest incidents — Kursk Oblast"
    assert len(reply.message.splitlines()) == 2 and "3 drones destroyed" in reply.message
    (reply,) = await stack.say(user, "/stats 7")
    assert reply.message.splitlines()[0] == "Incidents in 7 days, 2 in all:"
    assert {line.split(maxsplit=1)[1] for line in reply.message.splitlines()[1:]} == {
        "Kursk Oblast",
        "Bryansk Oblast",
    }
    stack.clock.advance(30 * 86400)
    (reply,) = await stack.say(user, "/stats")
    assert reply.message == "No incidents in 7 days."


async def test_mute_quiet_and_time_zone_are_stored_and_confirmed(stack: Stack) -> None:
    user = stack.user()
    (reply,) = await stack.say(user, "/tz Europe/Kyiv")
    assert reply.message.startswith("Time zone: Europe/Kyiv (now 14.03 14:00 EET")
    (reply,) = await stack.say(user, "/tz Mars/Olympus")
    assert reply.message.startswith("For example: /tz")
    (reply,) = await stack.say(user, "/mute 2h")
    assert reply.message.startswith("🔕 Alerts paused until 14.03 16:00 EET")
    sub = await _sub(stack, user)
    assert sub.muted_until is not None and sub.tz == "Europe/Kyiv"
    assert abs((sub.muted_until - stack.clock.now()).total_seconds() - 7200) < 1
    (reply,) = await stack.say(user, "/mute forever")
    assert reply.message.startswith("Give a duration")
    (reply,) = await stack.say(user, "/mute 30d")
    assert reply.message.startswith("Give a duration")  # more than a week
    (reply,) = await stack.say(user, "/mute off")
    assert reply.message == "🔔 Alerts are on again."
    (reply,) = await stack.say(user, "/quiet 23:00-07:00")
    assert reply.message.startswith("🌙 Quiet hours 23:00–07:00 (Europe/Kyiv)")
    (reply,) = await stack.say(user, "/quiet 25:00-7")
    assert reply.message.startswith("For example: /quiet")
    sub = await _sub(stack, user)
    assert (sub.quiet_start, sub.quiet_end, sub.muted_until) == ("23:00", "07:00", None)
    (reply,) = await stack.say(user, "/quiet off")
    assert reply.message == "Quiet hours are off."


async def test_unknown_commands_and_free_text_get_a_short_help(stack: Stack) -> None:
    user = stack.user()
    for text in ("/frobnicate", "hello there", "Смоленск"):
        (reply,) = await stack.say(user, text)
        assert reply.message == "I understand commands: /subscribe, /mysubs, /latest, /help."


async def test_command_flood_is_answered_once_then_ignored(stack: Stack) -> None:
    """1. 22 commands within the same second (the fake's bot limiter off, so every reply
    can go) Result: 20 answers, one "too many", then silence; a minute later it answers."""
    stack.world.limiter = None
    user = stack.user()
    for _ in range(22):
        stack.world.send_private(user, stack.bot_id, "/help")
    await eventually(lambda: len(stack.chat(user)) >= 21)
    await stack.settle()
    replies = stack.chat(user)
    assert len(replies) == 21
    assert replies[-1] == "Too many commands. Please wait a minute."
    stack.clock.advance(60)
    (reply,) = await stack.say(user, "/help")
    assert reply.message.startswith("Commands")


async def test_admin_commands_are_silently_ignored_for_others_and_logged(
    stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.botui.dispatch")
    user = stack.user()
    for command in ("/pause", "/health", "/broadcast hi", "/channels", "/subscribers"):
        await stack.silent(user, command)
    assert not stack.sender.paused
    logged = [r.getMessage() for r in caplog.records if r.name == "bot.botui.dispatch"]
    assert f"ignored admin /pause from user {user} (not in ADMIN_IDS)" in logged
    assert len(logged) == 5


async def test_admin_pause_resume_health_and_subscribers(stack: Stack) -> None:
    admin = stack.world.add_user("Admin", id=ADMIN)
    other = stack.user()
    await stack.say(other, "/subscribe Kursk")
    (reply,) = await stack.say(admin, "/pause")
    assert reply.message.startswith("⏸ Sending paused") and stack.sender.paused
    assert await stack.db.read("SELECT value FROM alert_state WHERE name = 'sender_paused'") == [
        ("1",)
    ]
    (reply,) = await stack.say(admin, "/health")
    assert "Sending: paused" in reply.message and "Subscribers: 2 active" in reply.message
    (reply,) = await stack.say(admin, "/resume")
    assert reply.message == "▶️ Sending resumed." and not stack.sender.paused
    (reply,) = await stack.say(admin, "/subscribers")
    assert reply.message.startswith("Subscribers: 2 active of 2")
    assert "Regions: RU-KRS 1" in reply.message


async def test_admin_channels_add_list_remove(stack: Stack) -> None:
    admin = stack.world.add_user("Admin", id=ADMIN)
    (reply,) = await stack.say(admin, "/channels")
    assert reply.message == "No channels."
    (reply,) = await stack.say(admin, "/channels add https://t.me/s/Kursk_Gov")
    assert reply.message == "👁 @kursk_gov is watched."
    (reply,) = await stack.say(admin, "/channels")
    assert reply.message.splitlines()[1].startswith("👁 @kursk_gov")
    (reply,) = await stack.say(admin, "/channels remove kursk_gov")
    assert reply.message == "@kursk_gov is no longer watched."
    assert await stack.db.read("SELECT username, watched FROM channels") == [("kursk_gov", 0)]
    (reply,) = await stack.say(admin, "/channels remove nobody_here")
    assert reply.message == "No channel @nobody_here in the archive."
    (reply,) = await stack.say(admin, "/channels add x!")
    assert "is not a Telegram channel username" in reply.message
    (reply,) = await stack.say(admin, "/channels drop x")
    assert reply.message.startswith("/channels, /channels add NAME")


async def test_admin_bad_channel_name_is_answered_in_the_admins_language(stack: Stack) -> None:
    admin = stack.world.add_user("Admin", id=ADMIN)
    await stack.say(admin, "/language uk")
    (reply,) = await stack.say(admin, "/channels add x!")
    assert reply.message.startswith("«x!» — не ім'я каналу Telegram")
    await stack.say(admin, "/language ru")
    (reply,) = await stack.say(admin, "/channels add t.me/1abc")
    assert reply.message.startswith("«t.me/1abc» — не имя канала Telegram")


async def test_broadcast_asks_first_then_reaches_every_active_subscriber(stack: Stack) -> None:
    admin = stack.world.add_user("Admin", id=ADMIN)
    users = [stack.user(f"U{i}") for i in range(2)]
    for u in users:
        await stack.say(u, "/start")
    (confirm,) = await stack.say(admin, "/broadcast Maintenance at <b>22:00</b> & *soon*")
    assert confirm.message.startswith("Send to 3 subscribers?")
    assert await stack.db.read("SELECT count(*) FROM outbox") == [(0,)]
    (send, cancel) = _buttons(confirm)
    done = await _press(stack, admin, confirm, send[1])
    assert done.message == "📢 Queued for 3 subscribers."
    await stack.drain()
    for u in users:
        assert stack.chat(u)[-1] == (
            "📢 A message from the administrators:\nMaintenance at <b>22:00</b> & *soon*"
        )
    (confirm,) = await stack.say(admin, "/broadcast second")
    _, cancel = _buttons(confirm)
    done = await _press(stack, admin, confirm, cancel[1])
    assert done.message == "Broadcast cancelled."
    await stack.drain()
    assert await stack.db.read("SELECT count(*) FROM outbox") == [(3,)]


async def test_command_menu_is_registered_in_three_languages(stack: Stack) -> None:
    sent = stack.world.sent(functions.bots.SetBotCommandsRequest)
    assert sorted(r.lang_code for r in sent) == ["", "ru", "uk"]
    assert {c.command for c in sent[0].commands} >= {"subscribe", "mysubs", "latest", "help"}


async def test_a_short_floodwait_on_a_reply_is_waited_out_and_the_reply_sent(
    stack: Stack,
) -> None:
    """Telegram answers the reply to /help with FLOOD_WAIT_2: the bot waits the 2 s and
    sends it once more; the person gets their answer."""
    user = stack.user()
    await stack.say(user, "/start")
    stack.world.fail_next(functions.messages.SendMessageRequest, seconds=2)
    (reply,) = await stack.say(user, "/help")
    assert "/subscribe" in reply.message and 2 in stack.clock.slept


async def test_a_long_floodwait_on_a_reply_pauses_only_that_chat(stack: Stack) -> None:
    """FLOOD_WAIT_30 on one person's reply: that reply is given up (a person does not wait
    half a minute for /help), the sender keeps off that chat for 30 s, and alerts to
    everyone else go at once (Telethon's memory of the wait, kept per request type for
    every chat, is cleared)."""
    flooded, other = stack.user("Flooded"), stack.user("Other")
    for user in (flooded, other):
        await stack.say(user, "/subscribe all")
    stack.world.fail_next(functions.messages.SendMessageRequest, seconds=30)
    stack.clock.advance(1.1)
    before = len(stack.world.private_messages(flooded, stack.bot_id))
    stack.world.send_private(flooded, stack.bot_id, "/help")
    await stack.settle()
    assert len(stack.world.private_messages(flooded, stack.bot_id)) == before + 1  # no reply
    stack.clock.advance(1.1)
    await stack.post("kursk_gov", 1, "Над Курской областью сбит беспилотник.")
    await stack.sender.step()
    assert sum(1 for m in stack.chat(other) if m.startswith("🛩")) == 1
    assert stack.sender.stats.flood_waits == 0  # not refused client-side
    assert not any(m.startswith("🛩") for m in stack.chat(flooded))
    await stack.drain()
    assert sum(1 for m in stack.chat(flooded) if m.startswith("🛩")) == 1
